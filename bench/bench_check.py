"""Benchmark: `check` throughput and peak memory against a bare python-calamine read.

Generates N department workbooks (3 sheets each) from the real form and template, filled with
valid answers, then times in fresh processes:
  - bare: python-calamine reading every cell of every sheet of every file, nothing else;
  - check: reporter's check (container scan, read, normalise, validate, batch rules);
and reports files/s and peak RSS. Not a test: figures go to bench/README.md.

Each size is timed REPEAT times (default 5), bare and check alternating so that a disturbance
of the shared machine falls on both; the medians are compared, and the minima shown beside them.

Run: python bench/bench_check.py 100 1000        (REPEAT=3 python bench/bench_check.py ... for fewer)
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"

BARE = """
import sys, time, resource, pathlib, python_calamine as pc
t = time.perf_counter(); cells = 0
for p in sorted(pathlib.Path(sys.argv[1]).glob('*.xlsx')):
    wb = pc.CalamineWorkbook.from_path(str(p))
    for name in wb.sheet_names:
        cells += sum(len(r) for r in wb.get_sheet_by_name(name).to_python())
    wb.close()
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, cells)
"""

CHECK = """
import sys, time, resource, pathlib
from reporter import api
t = time.perf_counter()
outcome = api.check(pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[1]))
elapsed = time.perf_counter() - t
n = outcome.report.counts()
worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, n['submitted'], n['errors'], worker)
"""


def master_tables(n: int) -> dict[str, list[list[object]]]:
    from tests.conftest import SMALL_MASTER

    tables = {k: [list(r) for r in v] for k, v in SMALL_MASTER.items()}
    tables["施策体系"] = [tables["施策体系"][0], ["1", "基本目標", "", "基本目標"]] + [
        [f"1-{p}", f"施策{p}", "1", "施策の方向"] for p in range(1, 11)]
    tables["事業"] = [tables["事業"][0]] + [[f"P{i:04d}", f"事業{i}", f"事業{i}の概要。"] for i in range(1, 3 * n + 1)]
    tables["事業配置"] = [tables["事業配置"][0]] + [
        [f"P{i:04d}", f"1-{i % 10 + 1}", i // 10 + 1] for i in range(1, 3 * n + 1)]
    tables["担当課"] = [tables["担当課"][0]] + [
        [f"P{i:04d}", f"部局{(i - 1) // 3 + 1:04d}課"] for i in range(1, 3 * n + 1)]
    return tables


def generate(n: int) -> tuple[Path, Path]:
    from demo.build_demo import write_master
    from reporter import api
    from tests import corpus

    folder = OUT / f"n{n}"
    inbox = folder / "input"
    if inbox.is_dir() and len(list(inbox.glob("*.xlsx"))) == n:
        return folder / "計画マスタ.xlsx", inbox
    shutil.rmtree(folder, ignore_errors=True)
    master = write_master(master_tables(n), folder / "計画マスタ.xlsx")
    result = api.forms(master, ROOT / "templates" / "様式.xlsx", folder / "generated")
    inbox.mkdir(parents=True)
    for i, path in enumerate(result.files):
        # Distinct amounts for every sheet: the same pair in two projects is told as a possible
        # shared budget, a quirk of real data (three pairs among Sendai's 38 sheets), not the rule.
        sheets: list[str] = []

        def amounts(title: str, values: dict[str, object], i: int = i, sheets: list[str] = sheets) -> None:
            sheets.append(title)
            values.update(F_SETTLED=1000 + 10 * i + len(sheets), F_BUDGET=1050 + 10 * i + len(sheets))

        corpus.fill(path, amounts)
        path.rename(inbox / path.name)
    return master, inbox


def measure(script: str, *args: str) -> list[float]:
    out = subprocess.run([sys.executable, "-c", script, *args], check=True, capture_output=True, text=True,
                         cwd=ROOT).stdout.split()
    return [float(x) for x in out]


def alternating(runs: dict[str, tuple[str, ...]], repeat: int) -> dict[str, list[list[float]]]:
    """Each script ``repeat`` times, in turn: a, b, a, b, …"""
    found: dict[str, list[list[float]]] = {key: [] for key in runs}
    for _ in range(repeat):
        for key, (script, *args) in runs.items():
            found[key].append(measure(script, *args))
    return found


def median(values: list[list[float]], column: int = 0) -> float:
    return statistics.median(v[column] for v in values)


def repeats() -> int:
    return max(1, int(os.environ.get("REPEAT", "5")))


def main(sizes: list[int]) -> None:
    results = []
    for n in sizes:
        t0 = time.perf_counter()
        master, inbox = generate(n)
        made = time.perf_counter() - t0
        runs = alternating({"bare": (BARE, str(inbox)), "check": (CHECK, str(inbox), str(master))}, repeats())
        bare_s, check_s = median(runs["bare"]), median(runs["check"])
        last = runs["check"][-1]
        row = {"files": n, "sheets": int(last[2]), "generate_s": round(made, 1), "repeat": len(runs["bare"]),
               "bare_s": round(bare_s, 3), "bare_min_s": round(min(r[0] for r in runs["bare"]), 3),
               "bare_files_per_s": round(n / bare_s, 1),
               "bare_peak_mb": round(max(r[1] for r in runs["bare"]) / 1024), "check_s": round(check_s, 3),
               "check_min_s": round(min(r[0] for r in runs["check"]), 3),
               "check_files_per_s": round(n / check_s, 1),
               "check_peak_mb": round(max(r[1] for r in runs["check"]) / 1024),
               "check_worker_peak_mb": round(max(r[4] for r in runs["check"]) / 1024),
               "ratio": round(bare_s / check_s, 2),
               "ratios": [round(b[0] / c[0], 2) for b, c in zip(runs["bare"], runs["check"], strict=True)],
               "errors": int(last[3])}
        results.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    (OUT / "check.json").write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 1000])
