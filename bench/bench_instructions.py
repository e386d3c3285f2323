"""Benchmark: instructions a file for `check` and for a bare python-calamine read (valgrind).

On a shared machine whose speed wanders, timings of one change against another need many runs;
instruction counts do not wander. Each side runs under callgrind twice, reading 0 and N files
after the same warm-up, and the difference divided by N is what one file costs. Not the same as
time (the interpreter does less per instruction than calamine's compiled code), but the way to
tell whether a change made the check do less.

Run (valgrind installed; the n100 files from bench_check.py):
    python bench/bench_instructions.py 10
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = ROOT / "bench" / "out" / os.environ.get("BENCH_FILES", "n100")

CHECK = """
import sys, pathlib
from reporter.master import load_master
from reporter.intake.scan import _check_file
folder = pathlib.Path(sys.argv[1])
master, _ = load_master(folder / "計画マスタ.xlsx")
files = sorted((folder / "input").glob("*.xlsx"))
_check_file(files[-1], "warm-up", master)
for p in files[:int(sys.argv[2])]:
    _check_file(p, p.name, master)
"""

BARE = """
import sys, pathlib, python_calamine as pc
files = sorted((pathlib.Path(sys.argv[1]) / "input").glob("*.xlsx"))
def bare(p):
    wb = pc.CalamineWorkbook.from_path(str(p))
    for name in wb.sheet_names:
        sum(len(r) for r in wb.get_sheet_by_name(name).to_python())
    wb.close()
bare(files[-1])
for p in files[:int(sys.argv[2])]:
    bare(p)
"""


def instructions(script: str, n: int) -> int:
    env = {**os.environ, "PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1"}  # no idle threads counted
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
                          "-c", script, str(FILES), str(n)], capture_output=True, text=True, env=env, cwd=ROOT,
                         check=True).stderr
    # A forked worker (the master is read in one) reports its own count first; this process's is last.
    found = re.findall(r"Collected : (\d+)", out)
    assert found, out
    return int(found[-1])


def main(n: int) -> None:
    for label, script in (("bare", BARE), ("check", CHECK)):
        per_file = (instructions(script, n) - instructions(script, 0)) / n
        print(f"{label}: {per_file / 1e6:.2f} million instructions a file", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
