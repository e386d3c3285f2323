"""Benchmark: what each speed trick buys, by turning it off.

Every trick of the tool is listed here with the switch that turns it off (a monkeypatch in a
fresh process: benchmarks may patch, tests never do). Each trick is timed on, off, on, off, …
REPEAT times over the 1,000 generated files of bench_check.py (or on the part it speeds up), and
the medians are compared. A trick that buys nothing measurable goes (see bench/README.md).

Run: python bench/bench_tricks.py               (a trick's name as argument runs only that one;
     FILES=334 for the generator's 1,000 sheets instead of 1,000 files)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_check import generate  # noqa: E402

CHECK = """
import sys, time, pathlib
{patch}
from reporter import api
t = time.perf_counter()
api.check(pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[1]))
print(time.perf_counter() - t)
"""

BUILD = """
import sys, time, pathlib, datetime, tempfile
{patch}
from reporter import api
out = pathlib.Path(tempfile.mkdtemp())
t = time.perf_counter()
api.build(pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[1]), out, pathlib.Path('templates/報告書.docx'),
          datetime.date(2021, 5, 31))
print(time.perf_counter() - t)
"""

FORMS = """
import sys, time, pathlib, tempfile
{patch}
from reporter import api
out = pathlib.Path(tempfile.mkdtemp())
t = time.perf_counter()
api.forms(pathlib.Path(sys.argv[2]), pathlib.Path('templates/様式.xlsx'), out)
print(time.perf_counter() - t)
"""

FEEDBACK = """
import sys, time, pathlib, datetime, tempfile
from reporter import api
report = api.check(pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[1])).report
{patch}
out = pathlib.Path(tempfile.mkdtemp())
t = time.perf_counter()
api.write_check_outputs(report, out, datetime.date(2021, 5, 31))
print(time.perf_counter() - t)
"""

# name: (what the trick is, where it lives, the timed script, the patch that turns it off)
TRICKS: dict[str, tuple[str, str, str, str]] = {
    "workers": ("two worker processes check files (one per core) instead of one", "runtime.isolated",
                CHECK, "import os; os.environ['REPORTER_WORKERS'] = '1'"),
    "ordinary-sheets": ("a sheet written the ordinary way is bounded by one pattern, not read cell by cell",
                        "container._ordinary_and_inside", CHECK,
                        "from reporter.intake import container; container._ordinary_and_inside = lambda d, l: False"),
    "plain-merges": ("merged ranges written the ordinary way read by one pattern", "container._PLAIN_MERGE",
                     CHECK, "import re; from reporter.intake import container; "
                            "container._PLAIN_MERGE = re.compile(rb'(?!x)x(a)(b)(c)(d)')"),
    "marked-copies": ("feedback copies made by editing the submission's parts, not with openpyxl",
                      "outputs/check/marked.py", FEEDBACK,
                      "from reporter.outputs.check import marked\n"
                      "def off(*a, **k):\n    raise marked.Unusual('off')\n"
                      "marked.write_copy = off"),
    "tables-aside": ("the status table and the Excel summary written in a forked process while the charts and "
                     "the Word report are made", "runtime.aside", BUILD,
                     "from reporter.outputs.build import publish; publish.PARALLEL_FROM = 10 ** 9"),
    "freeze-build": ("the checked batch frozen out of the collector's reach while the report is made",
                     "api.build, runtime.frozen", BUILD,
                     "import contextlib; from reporter import runtime; runtime.frozen = contextlib.nullcontext"),
    "word-as-text": ("the Word body post-processed as text instead of by docxtpl's tree", "wordtpl.FastTemplate",
                     BUILD, "import docxtpl; from reporter.outputs.build import word; "
                            "word.FastTemplate = docxtpl.DocxTemplate"),
    "assembled-forms": ("department workbooks assembled from one prototype sheet, not each written by openpyxl",
                        "forms/assembly.py", FORMS,
                        "from reporter.forms import assembly, writer\n"
                        "class Forms:\n"
                        "    def __init__(self, master, template, history=None):\n"
                        "        self.m, self.t, self.h = master, template, history\n"
                        "    def write(self, department, target):\n"
                        "        writer.write_department(self.m, department, self.t, target, self.h)\n"
                        "assembly.Forms = Forms"),
}


def timed(script: str, patch: str, inbox: Path, master: Path) -> float:
    out = subprocess.run([sys.executable, "-c", script.format(patch=patch), str(inbox), str(master)],
                         check=True, capture_output=True, text=True, cwd=ROOT).stdout.split()
    return float(out[-1])


def main(names: list[str]) -> None:
    master, inbox = generate(int(os.environ.get("FILES", "1000")))
    repeat = max(1, int(os.environ.get("REPEAT", "5")))
    rows = []
    for name in names or list(TRICKS):
        what, where, script, patch = TRICKS[name]
        on: list[float] = []
        off: list[float] = []
        for _ in range(repeat):
            on.append(timed(script, "", inbox, master))
            off.append(timed(script, patch, inbox, master))
        row = {"trick": name, "what": what, "where": where, "on_s": round(statistics.median(on), 2),
               "off_s": round(statistics.median(off), 2),
               "saves": f"{(1 - statistics.median(on) / statistics.median(off)) * 100:.0f} %",
               "pairs": [round(b / a, 2) for a, b in zip(on, off, strict=True)]}
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    out = ROOT / "bench" / "out" / "tricks.json"
    out.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
