"""Benchmark: `build` end to end (check, aggregate, Word and Excel; no PDF) against `check`
over the same generated department workbooks (see bench_check.py, which makes them).

Check and build alternate REPEAT times (default 3); the medians are compared.

Run: python bench/bench_build.py 1000
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_check import CHECK, OUT, alternating, generate, median  # noqa: E402

BUILD = """
import sys, time, resource, pathlib, datetime, tempfile
from reporter import api
out = pathlib.Path(tempfile.mkdtemp())
t = time.perf_counter()
result = api.build(pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[1]), out,
                        pathlib.Path('templates/報告書.docx'), datetime.date(2021, 5, 31))
elapsed = time.perf_counter() - t
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, result.report.counts()['included'],
      result.docx.stat().st_size // 1024)
"""


def main(sizes: list[int]) -> None:
    rows = []
    for n in sizes:
        master, inbox = generate(n)
        repeat = max(1, int(os.environ.get("REPEAT", "3")))
        runs = alternating({"check": (CHECK, str(inbox), str(master)), "build": (BUILD, str(inbox), str(master))},
                           repeat)
        check_s, build_s = median(runs["check"]), median(runs["build"])
        last = runs["build"][-1]
        row = {"files": n, "sheets": int(last[2]), "repeat": repeat, "check_s": round(check_s, 2),
               "build_s": round(build_s, 2), "build_over_check": round(build_s / check_s, 2),
               "ratios": [round(b[0] / c[0], 2) for c, b in zip(runs["check"], runs["build"], strict=True)],
               "build_peak_mb": round(max(r[1] for r in runs["build"]) / 1024), "docx_kb": int(last[3])}
        rows.append(row)
        print(json.dumps(row), flush=True)
    (OUT / "build.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000])
