"""Benchmark: a plan shaped unlike Sendai's: a 4-level tree, 1,000 projects (one in ten placed
under two policies), 3 classification axes (one of them sub-plans), one sheet per project and
department (~334 departments of three projects each).

Times in fresh processes, alternating REPEAT times (default 3), as a user runs them:
  - `reporter check` (feedback copies and status table written);
  - `reporter build` (no PDF): check, aggregate (with the axes' cross-tabulation), the charts,
    both Word editions and the summary;
and reports the medians and build ÷ check (target: build within 2× check). Not a test: the
figures go to bench/README.md and bench/out/deep.json.

Run: python bench/bench_deep.py
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
PROJECTS = 1000
CLI = "import sys; from reporter.cli import main; sys.argv[0] = 'reporter'; main()"


def master_tables() -> dict[str, list[list[object]]]:
    from tests.conftest import SMALL_MASTER

    tables = {k: [list(r) for r in v] for k, v in SMALL_MASTER.items()}
    tree = [["コード", "名称", "親コード", "階層名", "課題認識", "対応方針"]]
    leaves = []
    for a in range(1, 5):
        tree.append([f"{a}", f"基本目標{a}", "", "基本目標", "", ""])
        for b in range(1, 4):
            tree.append([f"{a}-{b}", f"施策{a}-{b}", f"{a}", "施策", f"課題{a}-{b}", f"方針{a}-{b}"])
            for c in range(1, 4):
                tree.append([f"{a}-{b}-{c}", f"重点施策{a}-{b}-{c}", f"{a}-{b}", "重点施策", "", ""])
                for d in range(1, 4):
                    code = f"{a}-{b}-{c}-{d}"
                    tree.append([code, f"取組{code}", f"{a}-{b}-{c}", "取組", "", ""])
                    leaves.append(code)
    tables["施策体系"] = tree
    ids = [f"P{i:04d}" for i in range(1, PROJECTS + 1)]
    tables["事業"] = [tables["事業"][0]] + [[pid, f"事業{pid}", f"{pid}の概要。"] for pid in ids]
    numbers: dict[str, int] = {}
    placed = [tables["事業配置"][0]]
    for i, pid in enumerate(ids):
        for code in {leaves[i % len(leaves)], *([leaves[(i * 7) % len(leaves)]] if i % 10 == 0 else [])}:
            numbers[code] = numbers.get(code, 0) + 1
            placed.append([pid, code, numbers[code]])
    tables["事業配置"] = placed
    tables["担当課"] = [tables["担当課"][0]] + [[pid, f"部局{i // 3 + 1:04d}課"] for i, pid in enumerate(ids)]
    axes = {"支援の種類": ["相談支援", "参加支援", "地域づくり"], "キーワード": [f"キーワード{k}" for k in range(1, 9)],
            "個別計画": ["成年後見", "再犯防止"]}
    tables["分類軸"] = [["軸名", "値", "区分", "説明"], *([axis, v, "個別計画" if axis == "個別計画" else "", ""]
                                                    for axis, values in axes.items() for v in values)]
    tables["事業の分類"] = [["事業ID", "軸名", "値"]] + [
        [pid, axis, values[(i + k) % len(values)]] for i, pid in enumerate(ids)
        for k, (axis, values) in enumerate(axes.items()) if axis != "個別計画" or i % 5 == 0]
    return tables


def generate() -> tuple[Path, Path]:
    from bench.bench_check import answered

    folder = OUT / "deep"
    master, inbox = folder / "計画マスタ.xlsx", folder / "input"
    if inbox.is_dir() and master.exists():
        return master, inbox
    return answered(master_tables(), folder)


def run(*args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CLI, *args], check=False, capture_output=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    elapsed = time.perf_counter() - started
    if done.returncode != 0:  # a command that failed fast would look quick
        raise SystemExit(f"{args[0]} exited {done.returncode}:\n{done.stderr.decode(errors='replace')}")
    return elapsed


def main() -> None:
    master, inbox = generate()
    out = OUT / "deep" / "out"
    repeat = int(os.environ.get("REPEAT", "3"))
    common = ["--master", str(master), "--output", str(out), "--history", str(OUT / "deep" / "h.sqlite3")]
    times: dict[str, list[float]] = {"check": [], "build": []}
    for _ in range(repeat):
        times["check"].append(run("check", str(inbox), *common))
        times["build"].append(run("build", str(inbox), *common))
    medians = {k: statistics.median(v) for k, v in times.items()}
    result = {"projects": PROJECTS, "files": len(list(inbox.glob("*.xlsx"))), "runs": times, "medians": medians,
              "build_over_check": medians["build"] / medians["check"]}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "deep.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
