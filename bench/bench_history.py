"""Benchmark: what the plan period's history costs.

  - `build` at 1,000 files (3,000 sheets, bench_check.py's generator), without a history and
    with one (the year recorded into a fresh file, the report set beside nothing held);
  - `forms` for 1,000 sheets (334 departments) of a six-year plan, without a history and with
    five earlier years held (every sheet's figures carried and locked, last year's answers on
    the reference sheet).

Fresh processes, alternating, REPEAT times (default 5); medians. Not a test: the figures go to
bench/README.md (targets: recording adds at most 10 % to build; forms with five years of history
take at most 1.2 x forms without).

Run: python bench/bench_history.py
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"

BUILD = """
import sys, time, pathlib, datetime, tempfile
from reporter import api
history = pathlib.Path(sys.argv[3]) if sys.argv[3] != "-" else None
if history is not None and history.exists():
    history.unlink()
out = pathlib.Path(tempfile.mkdtemp())
t = time.perf_counter()
api.build(pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[1]), out, pathlib.Path('templates/報告書.docx'),
          datetime.date(2026, 12, 2), history=history)
print(time.perf_counter() - t)
"""

FORMS = """
import sys, time, pathlib, tempfile
from reporter import api
history = pathlib.Path(sys.argv[2]) if sys.argv[2] != "-" else None
out = pathlib.Path(tempfile.mkdtemp())
t = time.perf_counter()
api.forms(pathlib.Path(sys.argv[1]), pathlib.Path('templates/様式.xlsx'), out, history=history)
print(time.perf_counter() - t)
"""


def run(code: str, *args: str) -> float:
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(done.stdout.split()[-1])


def six_year_master(folder: Path, n: int) -> Path:
    """The generator's master for ``n`` departments, its plan extended to R3 and R3 under review."""
    from bench.bench_check import master_tables
    from demo.build_demo import write_master

    tables = master_tables(n)
    tables["計画"] = [row if row[0] not in ("計画終了年度", "評価年度") else [row[0], "R3"] for row in tables["計画"]]
    return write_master(tables, folder / "計画マスタ_R3.xlsx")


def five_years(folder: Path, master_r2: Path, inbox: Path, master_r3: Path) -> Path:
    """A history holding H28 to R2: the generated R2 answers recorded as each of those years."""
    from reporter import api
    from reporter.history import store
    from reporter.master import load_master

    history = folder / "five_years.sqlite3"
    if history.exists():
        return history
    report = api.check(master_r2, inbox).report
    master = load_master(master_r3)[0]
    assert report is not None and master is not None
    for year in range(2016, 2021):
        store.record(history, master, year, report.included, inbox, "import", datetime.now())
    return history


def main() -> None:
    from bench.bench_check import generate

    repeat = max(1, int(os.environ.get("REPEAT", "5")))
    folder = OUT / "history"
    folder.mkdir(parents=True, exist_ok=True)
    rows = {}
    master, inbox = generate(1000)
    scratch = Path(tempfile.mkdtemp(prefix="bench-history-"))
    times: dict[str, list[float]] = {"build": [], "build+history": []}
    for _ in range(repeat):
        times["build"].append(run(BUILD, str(inbox), str(master), "-"))
        times["build+history"].append(run(BUILD, str(inbox), str(master), str(scratch / "h.sqlite3")))
    rows["build 1000 files"] = {k: round(statistics.median(v), 2) for k, v in times.items()}
    master_r2, inbox_334 = generate(334)
    master_r3 = six_year_master(folder, 334)
    history = five_years(folder, master_r2, inbox_334, master_r3)
    times = {"forms": [], "forms+5 years": []}
    for _ in range(repeat):
        times["forms"].append(run(FORMS, str(master_r3), "-"))
        times["forms+5 years"].append(run(FORMS, str(master_r3), str(history)))
    rows["forms 1000 sheets"] = {k: round(statistics.median(v), 2) for k, v in times.items()}
    shutil.rmtree(scratch, ignore_errors=True)
    build, forms = rows["build 1000 files"], rows["forms 1000 sheets"]
    rows["ratios"] = {"build with history / without": round(build["build+history"] / build["build"], 3),
                      "forms with 5 years / without": round(forms["forms+5 years"] / forms["forms"], 3)}
    print(json.dumps(rows, ensure_ascii=False, indent=2))
    (OUT / "history.json").write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
