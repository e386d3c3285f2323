"""Benchmark: each hostile kind at full size, alone with the demo batch, as a user runs `check`.

For every kind of tests/hostile.py (at the size that hurt: 230,000 formula elements, 10,000 ×
200 empty cells, ...), a copy of the demo input gets that one file, and `reporter check` runs
in a fresh process (feedback copies written). Reported: the wall time of the whole command,
the time the guard and reader spent on the hostile file alone (``container.inspect`` plus the
read, in a fresh process), and the peak memory of the command and of its worker processes.

The bound the hardening issue sets: memory under 1 GB and no file over 10 s.

Run: python bench/bench_hostile.py            (a kind's name as argument runs only that kind)
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out" / "hostile"

from tests import hostile  # noqa: E402

SOURCE = ROOT / "input" / "提出" / "令和2年度_自己評価シート_健康福祉局総務課.xlsx"
KINDS = {
    "sst-bomb": hostile.huge_unique_count,
    "nested-f": hostile.nested_formulas,
    "nested-f-deep": hostile.nested_formula_elements,
    "remerged": hostile.remerged,
    "lists-entity": hostile.entity_in,
    "lists-huge-merge": hostile.huge_merge_in_lists,
    "form-huge-merge": hostile.huge_merge_in_form_sheet,
    "many-empty-cells": hostile.many_empty_cells,
    "hyperlink-range": hostile.hyperlink_range,
}

ALONE = """
import json, resource, sys, time
from pathlib import Path
from reporter.intake import read
t = time.perf_counter()
try:
    read.open_submission(Path(sys.argv[1]))
    verdict = "read"
except read.Refused as refused:
    verdict = f"{refused.code}: {refused.reason}"
print(json.dumps({"seconds": time.perf_counter() - t, "verdict": verdict,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

COMMAND = """
import json, resource, sys, time
from click.testing import CliRunner
from reporter.cli import main
t = time.perf_counter()
result = CliRunner().invoke(main, sys.argv[1:])
print(json.dumps({"seconds": time.perf_counter() - t, "exit": result.exit_code,
                  "main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "workers_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


MAKE = """
import sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from bench.bench_hostile import KINDS, SOURCE
KINDS[sys.argv[2]](SOURCE, Path(sys.argv[3]))
"""


def run(kind: str) -> dict[str, object]:
    folder = OUT / kind
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(ROOT / "input", folder / "input")
    made = folder / "input" / "提出" / f"届いた_{kind}.xlsx"
    # Made in a process of its own: a peak memory is inherited by the processes started after it.
    subprocess.run([sys.executable, "-c", MAKE, str(ROOT), kind, str(made)], check=True, cwd=ROOT)
    alone = json.loads(subprocess.run([sys.executable, "-c", ALONE, str(made)], capture_output=True, text=True,
                                      check=True, cwd=ROOT).stdout)
    args = ["check", str(folder / "input"), "--master", str(folder / "input" / "計画マスタ.xlsx"),
            "--output", str(folder / "out")]
    started = time.perf_counter()
    whole = json.loads(subprocess.run([sys.executable, "-c", COMMAND, *args], capture_output=True, text=True,
                                      check=True, cwd=ROOT).stdout)
    whole["process_seconds"] = time.perf_counter() - started
    return {"kind": kind, "bytes": made.stat().st_size, "alone": alone, "check": whole}


def main() -> None:
    kinds = sys.argv[1:] or list(KINDS)
    print("| kind | file size | the file alone: verdict | alone: time | alone: peak RSS "
          "| `check` with the 19 demo files: exit, time | peak RSS main / workers |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for kind in kinds:
        r = run(kind)
        a, c = r["alone"], r["check"]
        assert isinstance(a, dict) and isinstance(c, dict)
        print(f"| {kind} | {r['bytes']:,} B | {a['verdict'][:60]} | {a['seconds']:.2f} s | {a['rss_mb']:.0f} MB "
              f"| {c['exit']}, {c['process_seconds']:.1f} s | {c['main_mb']:.0f} / {c['workers_mb']:.0f} MB |")


if __name__ == "__main__":
    main()
