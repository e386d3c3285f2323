"""Benchmark: `build` end to end (check, aggregate, Word and Excel; no PDF) against `check`
over the same generated department workbooks (see bench_check.py, which makes them).

Run: python bench/bench_build.py 1000
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_check import CHECK, OUT, generate, measure  # noqa: E402

BUILD = """
import sys, time, resource, pathlib, datetime, tempfile
from reporter import pipeline
out = pathlib.Path(tempfile.mkdtemp())
t = time.perf_counter()
result = pipeline.build(pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[1]), out,
                        pathlib.Path('templates/報告書.docx'), datetime.date(2021, 5, 31))
elapsed = time.perf_counter() - t
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, result.report.counts()['included'],
      result.docx.stat().st_size // 1024)
"""


def main(sizes: list[int]) -> None:
    rows = []
    for n in sizes:
        master, inbox = generate(n)
        check = measure(CHECK, str(inbox), str(master))
        build = measure(BUILD, str(inbox), str(master))
        row = {"files": n, "sheets": int(build[2]), "check_s": round(check[0], 2), "build_s": round(build[0], 2),
               "build_over_check": round(build[0] / check[0], 2), "build_peak_mb": round(build[1] / 1024),
               "docx_kb": int(build[3])}
        rows.append(row)
        print(json.dumps(row), flush=True)
    (OUT / "build.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000])
