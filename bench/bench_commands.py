"""Benchmark: the commands whole, as a user runs them, beside what a user could write instead.

For each size (the demo's 38 sheets, 1,000 and 5,000 sheets made by the generator of
bench_check.py, three sheets a department), in fresh processes, alternating REPEAT times, with
the wall time and the peak memory of the whole process tree (GNU time's maximum resident set):

  - `reporter check` (feedback copies written, status table), as the office runs it;
  - the check stage alone (api.check: reading, checking, no outputs);
  - a naive script: pandas.read_excel(sheet_name=None) over every file;
  - openpyxl in read-only mode reading every cell of every file;
  - a bare python-calamine read of every cell;
  - `reporter build` (no PDF) and `reporter forms` at 1,000 sheets; `reporter build --pdf` on
    the demo.

The package measured is the one on PYTHONPATH (or installed): run from another checkout to
measure other code on the same files. Results go to bench/out/commands.json.

Run: python bench/bench_commands.py [demo] [1000] [5000] [forms] [build] [pdf]
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"

CLI = "import sys; from reporter.cli import main; sys.argv[0] = 'reporter'; main()"
STAGE = """
import sys, pathlib
try:
    from reporter import api
except ImportError:
    from reporter import pipeline as api
api.check(pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[1]))
"""
PANDAS = """
import sys, pathlib, pandas as pd
for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.xlsx')):
    pd.read_excel(p, sheet_name=None)
"""
OPENPYXL = """
import sys, pathlib, openpyxl
for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.xlsx')):
    wb = openpyxl.load_workbook(p, read_only=True)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            pass
    wb.close()
"""
BARE = """
import sys, pathlib, python_calamine as pc
for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.xlsx')):
    wb = pc.CalamineWorkbook.from_path(str(p))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python()
    wb.close()
"""


def run(code: str, *args: str) -> tuple[float, float]:
    """(wall seconds, peak MB of the process tree) of ``python -c code args`` in a fresh process;
    a command that fails (exit 2 or more) stops the bench instead of giving a time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as stats:
        done = subprocess.run(["/usr/bin/time", "-o", stats.name, "-f", "%e %M", sys.executable, "-c", code, *args],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False,
                              env={**os.environ, "COLUMNS": "200"})
        if done.returncode not in (0, 1):  # 1: the batch has errors, as a real one may
            raise SystemExit(f"{args[:1]} exited with {done.returncode}: {done.stderr[-2000:]}")
        wall, kb = stats.read().split()[-2:]
    return float(wall), int(kb) / 1024


def sized(sheets: int) -> tuple[Path, Path]:
    """(master, input folder) of ``sheets`` sheets, three a department."""
    from bench.bench_check import generate

    return generate((sheets + 2) // 3)


def measure(label: str, runs: dict[str, tuple[str, ...]], repeat: int) -> dict[str, object]:
    times: dict[str, list[tuple[float, float]]] = {k: [] for k in runs}
    for _ in range(repeat):
        for key, (code, *args) in runs.items():
            if "--output" in args:  # the output folder and the history, fresh each time
                shutil.rmtree(args[args.index("--output") + 1], ignore_errors=True)
            if "--history" in args:
                Path(args[args.index("--history") + 1]).unlink(missing_ok=True)
            times[key].append(run(code, *args))
    row: dict[str, object] = {"size": label}
    for key, values in times.items():
        row[key] = {"s": round(statistics.median(v[0] for v in values), 2),
                    "mb": round(max(v[1] for v in values))}
    print(json.dumps(row, ensure_ascii=False), flush=True)
    return row


def main(what: list[str]) -> None:
    what = what or ["demo", "1000", "5000", "forms", "build", "pdf"]
    repeat = max(1, int(os.environ.get("REPEAT", "3")))
    rows = []
    out = Path(tempfile.mkdtemp(prefix="bench-out-"))
    # The history the commands read and write lives with the outputs, not in the repository
    # (code from before the history has no such option).
    has_history = (ROOT / "reporter" / "history").is_dir()

    def history(name: str) -> tuple[str, ...]:
        return ("--history", str(out / f"{name}.sqlite3")) if has_history else ()

    for size in [w for w in what if w in ("demo", "1000", "5000")]:
        if size == "demo":
            master, inbox = ROOT / "input" / "計画マスタ.xlsx", ROOT / "input"
        else:
            master, inbox = sized(int(size))
        check = (CLI, "check", str(inbox), "--master", str(master), "--output", str(out / "o"), *history("o"))
        rows.append(measure(size, {"check": check, "stage": (STAGE, str(inbox), str(master)),
                                   "pandas": (PANDAS, str(inbox)), "openpyxl": (OPENPYXL, str(inbox)),
                                   "calamine": (BARE, str(inbox))}, repeat))
    master, inbox = sized(1000)
    template = ROOT / "templates"
    if "build" in what:
        rows.append(measure("build 1000", {"build": (CLI, "build", str(inbox), "--master", str(master), "--output",
                                                     str(out / "b"), "--template", str(template / "報告書.docx"),
                                                     *history("b"))},
                            repeat))
    if "forms" in what:
        rows.append(measure("forms 1000", {"forms": (CLI, "forms", "--master", str(master), "--output",
                                                     str(out / "f"), "--template", str(template / "様式.xlsx"),
                                                     *history("f"))},
                            repeat))
    if "pdf" in what:
        rows.append(measure("build --pdf demo", {"pdf": (CLI, "build", str(ROOT / "input"), "--pdf", "--output",
                                                         str(out / "p"), "--template",
                                                         str(template / "報告書.docx"), *history("p"))}, repeat))
    shutil.rmtree(out, ignore_errors=True)
    (OUT / "commands.json").write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
