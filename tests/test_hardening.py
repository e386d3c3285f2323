"""Hardening: no single file, path or option stops the batch or loses a byte.

Every hostile or careless input here is made from the real demo forms (``tests/hostile.py``),
run through the real commands, and the outputs are read back. The numbers in the test names
follow the points of the hardening issue.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from reporter import api, places, runtime
from reporter.cli import main
from reporter.core.issues import Severity
from reporter.intake import container
from reporter.outputs.build import office
from reporter.outputs.xlsx import fit_cell
from tests import hostile
from tests.conftest import ROOT

DEMO = ROOT / "input"
SUBMITTED = DEMO / "提出"
MASTER_NAME = "計画マスタ.xlsx"
TEMPLATE = ROOT / "templates" / "報告書.docx"
PREFIX = "令和2年度_自己評価シート_"


def demo_file(department: str) -> Path:
    return SUBMITTED / f"{PREFIX}{department}.xlsx"


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def copy_demo(root: Path, only: int | None = None) -> Path:
    """The demo's input folder (master and 19 returned workbooks) under ``root``; with ``only``,
    just the first ``only`` workbooks (for tests about files, not about the year's counts)."""
    shutil.copytree(DEMO, root / "input")
    if only is not None:
        for extra in sorted((root / "input" / "提出").glob("*.xlsx"))[only:]:
            extra.unlink()
    return root / "input"


def cli(*args: str | Path) -> tuple[int, str]:
    """Exit code and what was printed, the console's line wrapping undone."""
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output.replace("\n", "")


# --- the batch: the 19 demo files with one file of each hostile kind --------------------------

# Usable files changed in place: their sheets must still be read (and are not duplicates).
REPLACED = {
    "健康福祉局総務課": ("nested-f", lambda s, t: hostile.nested_formulas(s, t), ".xlsx"),
    "健康福祉局健康政策課": ("nested-f-deep", lambda s, t: hostile.nested_formula_elements(s, t), ".xlsx"),
    "市民局地域政策課": ("named-zip", None, ".zip"),
    "市民局消費生活センター": ("no-extension", None, ""),
    "教育局学びの連携推進室": ("named-xls", None, ".xls"),
    "子供未来局総務課": ("named-ods", None, ".ods"),
    "危機管理局減災推進課": ("remerged", lambda s, t: hostile.remerged(s, t), ".xlsx"),
}
# Hostile files added: each refused and named, one line each.
ADDED = {
    "sst-bomb": ("健康福祉局障害企画課", hostile.huge_unique_count),
    "lists-entity": ("健康福祉局高齢企画課", hostile.entity_in),
    "lists-huge-merge": ("子供未来局子供家庭支援課", hostile.huge_merge_in_lists),
    "form-huge-merge": ("子供未来局子供保健福祉課", hostile.huge_merge_in_form_sheet),
    "many-empty-cells": ("市民局市民協働推進課", lambda s, t: hostile.many_empty_cells(s, t, rows=2_000, columns=120)),
    "hyperlink-range": ("健康福祉局保護自立支援課", hostile.hyperlink_range),
}


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    inbox = copy_demo(root)
    for department, (_, make, suffix) in REPLACED.items():
        real = inbox / "提出" / f"{PREFIX}{department}.xlsx"
        if make is not None:
            made = make(demo_file(department), root / "made" / real.name)
            shutil.copy(made, real)
        real.rename(real.with_suffix(suffix))
    for case, (department, make) in ADDED.items():
        make(demo_file(department), inbox / "提出" / f"届いた_{case}.xlsx")
    return root


def test_1_to_6_a_batch_with_every_hostile_kind_checks_and_builds(hostile_root: Path) -> None:
    root = hostile_root
    inbox, output = root / "input", root / "output"
    before = digests(inbox)
    code, text = cli("check", inbox, "--master", inbox / MASTER_NAME, "--output", output,
                     "--json", root / "check.json")
    assert code == 1, text  # errors: the refused files
    assert "Traceback" not in text
    data = json.loads((root / "check.json").read_text(encoding="utf-8"))
    counts = data["counts"]
    assert (counts["expected"], counts["included"], counts["excluded"], counts["superseded"]) == (38, 38, 0, 0)
    assert counts["files"] == 19 + len(ADDED) and counts["unusable_files"] == len(ADDED)
    refused = {i["file"]: i["code"] for i in data["issues"] if i["severity"] == "error"}
    assert refused == {f"提出/届いた_{case}.xlsx": "file.unsafe" for case in ADDED}
    for case in ADDED:
        assert f"届いた_{case}.xlsx" in text  # named to the office
    # Every usable workbook got its feedback copy, whatever its name ended with.
    year = output / "令和2年度"
    copies = sorted(p.name for p in (year / "確認結果").glob("*.xlsx"))
    assert len(copies) == 19
    for department, (_, _, suffix) in REPLACED.items():
        assert f"{PREFIX}{department}_確認結果.xlsx" in copies, (department, suffix)
    assert (year / "提出状況.xlsx").is_file()
    # The re-merged row: the budget's comment sits on the merged box's top-left cell.
    remerged = load_workbook(year / "確認結果" / f"{PREFIX}危機管理局減災推進課_確認結果.xlsx")["1-4_01"]
    assert remerged["E17"].comment is not None and "予算" in remerged["E17"].comment.text
    # build: the same batch, the report made, every real sheet in it.
    code, text = cli("build", inbox, "--master", inbox / MASTER_NAME, "--output", output, "--template", TEMPLATE)
    assert code == 1, text
    assert "照合: 38 = 38 + 0（提出＋未提出）、38 = 38 + 0（集計対象＋除外）" in text
    assert (year / "報告書" / "令和2年度_進行管理報告書.docx").is_file()
    assert digests(inbox) == before  # inputs untouched, byte for byte


def test_5_the_tools_own_outputs_are_never_read_as_submissions(tmp_path: Path) -> None:
    inbox = copy_demo(tmp_path, only=4)  # 4 workbooks, 15 sheets
    for _ in range(2):  # `reporter check .`: the output folder lies inside the folder read
        code, text = cli("check", tmp_path, "--master", inbox / MASTER_NAME, "--output", tmp_path / "output",
                         "--json", tmp_path / "output" / "r.json")
        assert code == 0, text  # the other departments' sheets are missing: a warning each
        counts = json.loads((tmp_path / "output" / "r.json").read_text(encoding="utf-8"))["counts"]
        assert (counts["files"], counts["included"], counts["superseded"]) == (4, 15, 0)
    inside = inbox / "確認結果の出力"  # --output inside the input folder
    for _ in range(2):
        code, text = cli("check", inbox, "--master", inbox / MASTER_NAME, "--output", inside,
                         "--json", inside / "r.json")
        assert code == 0, text
        counts = json.loads((inside / "r.json").read_text(encoding="utf-8"))["counts"]
        assert (counts["files"], counts["included"], counts["superseded"]) == (4, 15, 0)
    assert (inside / places.OUTPUT_MARK).is_file()


def test_4_an_output_path_on_an_input_is_refused_before_any_work(tmp_path: Path) -> None:
    inbox = copy_demo(tmp_path)
    before = digests(inbox)
    submission = next((inbox / "提出").glob("*.xlsx"))
    code, text = cli("check", inbox, "--master", inbox / MASTER_NAME, "--output", tmp_path / "out",
                     "--json", submission)
    assert code == 2 and "JSON" in text and submission.name in text, text
    code, text = cli("build", inbox, "--master", inbox / MASTER_NAME, "--output", tmp_path / "out",
                     "--template", TEMPLATE, "--dump-context", inbox / MASTER_NAME)
    assert code == 2 and "計画マスタ" in text, text
    code, text = cli("check", inbox, "--master", inbox / MASTER_NAME, "--output", inbox)
    assert code == 2, text
    assert digests(inbox) == before
    assert not (tmp_path / "out").exists()  # nothing was done


@pytest.mark.parametrize("case", ["sst-bomb", "far-cell", "entity"])
def test_1_a_hostile_master_is_one_japanese_line_and_exit_2(case: str, tmp_path: Path) -> None:
    inbox = copy_demo(tmp_path)
    master = inbox / MASTER_NAME
    source = tmp_path / "original.xlsx"
    shutil.copy(master, source)
    if case == "sst-bomb":
        hostile.huge_unique_count(source, master)
    elif case == "far-cell":
        hostile.far_cell(source, master, "事業")
    else:
        hostile.entity_in(source, master, "事業")
    for command in ("forms", "check"):
        args = ["--template", ROOT / "templates" / "様式.xlsx"] if command == "forms" else [inbox]
        code, text = cli(command, *args, "--master", master, "--output", tmp_path / "out")
        assert code == 2, text
        assert "計画マスタを開けませんでした" in text and "Traceback" not in text and "XmlError" not in text


def test_1_a_worker_that_aborts_costs_its_file_only() -> None:
    results = list(runtime.isolated(_abort_on_three, list(range(6)), 10, workers=2))
    assert results[:3] == [10, 11, 12] and results[4:] == [14, 15]
    assert isinstance(results[3], runtime.Failed) and results[3].kind == "crash"


def _abort_on_three(state: int, job: int) -> int:
    if job == 3:
        os.abort()  # what the Rust allocator does when it cannot reserve memory
    return state + job


def test_2_a_file_over_the_time_bound_is_named_and_the_rest_go_on() -> None:
    results = list(runtime.isolated(_sleep_on_one, [0, 1, 2, 3], 0, workers=1, timeout=1.0))
    assert results[0] == 0 and results[2:] == [2, 3]
    assert results[1] == runtime.Failed("timeout", "1")


def _sleep_on_one(state: int, job: int) -> int:
    if job == 1:
        time.sleep(60)
    return state + job


def test_2_nested_formula_elements_are_scanned_within_the_time_bound(tmp_path: Path) -> None:
    """230,000 formula elements in one cell (16 KB zipped): the scan is linear. Run under the
    tool's own time bound per file; before the fix it never ended."""
    made = [hostile.nested_formulas(demo_file("健康福祉局総務課"), tmp_path / "a.xlsx"),
            hostile.nested_formula_elements(demo_file("健康福祉局総務課"), tmp_path / "b.xlsx")]
    assert max(p.stat().st_size for p in made) < 100_000
    scans = list(runtime.isolated(_formula_cells, made, None, workers=1, timeout=20))
    assert scans == [{"A60": False}, {"A60": False}]


def _formula_cells(_: None, path: Path) -> dict[str, bool | None]:
    box = container.inspect(path)
    return {a: c for scan in box.sheets.values() for a, c in scan.formulas.items()}


# --- 7: silent wrong values ----------------------------------------------------------------

def _edit_cell(source: Path, target: Path, sheet: str, address: str, value: str) -> Path:
    """Write an inline string into one cell of a real form."""
    member = hostile.sheet_members(source)[sheet]
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").encode()

    def edit(xml: bytes) -> bytes:
        new = b'<c r="%s" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>' % (address.encode(), escaped)
        return re.sub(rb'<c r="%s"(?:[^>]*?/>|[^>]*?>.*?</c>)' % address.encode(), lambda _: new, xml, count=1,
                      flags=re.S)

    return hostile.rewrite(source, target, {member: edit})


def _check_one(tmp_path: Path, department: str, made: Path) -> api.CheckReport:
    inbox = copy_demo(tmp_path)
    shutil.copy(made, inbox / "提出" / f"{PREFIX}{department}.xlsx")
    report = api.check(inbox / MASTER_NAME, inbox).report
    assert report is not None
    return report


def test_7_emoji_are_counted_as_excel_counts_them(tmp_path: Path) -> None:
    made = _edit_cell(demo_file("健康福祉局総務課"), tmp_path / "m.xlsx", "3-3_06", "C16", "😀" * 20_000)
    report = _check_one(tmp_path, "健康福祉局総務課", made)
    hits = [i for i in report.issues if i.code == "cell.too-long"]
    assert [(i.location.sheet, i.location.cell, i.params["units"]) for i in hits] == [("3-3_06", "C16", 40_000)]
    assert len(report.excluded) == 1


def test_7_a_cell_too_long_for_excel_is_cut_with_a_note_never_silently() -> None:
    kept = fit_cell("😀" * 20_000)
    assert len(kept.encode("utf-16-le")) // 2 <= 32_767
    assert kept.startswith("😀" * 100) and kept.endswith("参照してください）") and "省略" in kept
    assert fit_cell("短い文") == "短い文"


def test_7_a_cached_value_the_workbook_calls_stale_is_an_error_not_zero(tmp_path: Path) -> None:
    made = hostile.full_calc_on_load(demo_file("健康福祉局総務課"), tmp_path / "m.xlsx", "E17")
    report = _check_one(tmp_path, "健康福祉局総務課", made)
    hits = [i for i in report.issues if i.code == "cell.formula-stale"]
    assert [(i.location.cell, i.severity) for i in hits] == [("E17", Severity.ERROR)]
    assert "0" in hits[0].message and len(report.excluded) == 1


def test_7_control_characters_are_dropped_with_a_notice(tmp_path: Path) -> None:
    made = _edit_cell(demo_file("健康福祉局総務課"), tmp_path / "m.xlsx", "3-3_06", "C16", "実施した。\x07\x1b")
    report = _check_one(tmp_path, "健康福祉局総務課", made)
    hits = [i for i in report.issues if i.code == "cell.control-characters"]
    assert [(i.location.cell, i.params["count"]) for i in hits] == [("C16", 2)]
    record = next(r for r in report.records if r.source.sheet == "3-3_06" and "総務課" in r.source.file)
    assert record.text("status") == "実施した。"


def test_7_docxtpl_braces_in_a_submission_reach_word_as_written(tmp_path: Path) -> None:
    written = "記入例 {_{ x }_} と {_% if %_} をそのまま"
    made = _edit_cell(demo_file("健康福祉局総務課"), tmp_path / "m.xlsx", "3-3_06", "C16", written)
    inbox = copy_demo(tmp_path)
    shutil.copy(made, inbox / "提出" / f"{PREFIX}健康福祉局総務課.xlsx")
    result = api.build(inbox / MASTER_NAME, inbox, tmp_path / "out", TEMPLATE, date(2021, 6, 1))
    assert result.docx is not None
    text = "".join(Document(str(result.docx)).element.body.itertext())  # as Word reads it
    assert written in text


# --- 8: leftovers ----------------------------------------------------------------------------

def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_8_what_a_killed_run_left_is_swept_and_a_moved_aside_file_put_back(tmp_path: Path) -> None:
    year = tmp_path / "out" / "令和2年度"
    year.mkdir(parents=True)
    pid = _dead_pid()
    (year / f".tmp-{pid}-abcd.xlsx").write_bytes(b"half")
    (year / f".tmp-{pid}-old-0a1b2c3d-提出状況.xlsx").write_bytes(b"previous status")
    (year / f".tmp-{os.getpid()}-mine.xlsx").write_bytes(b"a live writer's")  # this process runs
    swept = places.sweep(tmp_path / "out")
    assert len(swept) == 2
    assert (year / "提出状況.xlsx").read_bytes() == b"previous status"
    assert sorted(p.name for p in year.iterdir()) == [f".tmp-{os.getpid()}-mine.xlsx", "提出状況.xlsx"]


def test_8_a_build_killed_outright_leaves_nothing_behind_after_the_next_run(tmp_path: Path) -> None:
    inbox = copy_demo(tmp_path)
    args = [sys.executable, "-m", "reporter.launch", "build", str(inbox), "--master", str(inbox / MASTER_NAME),
            "--output", str(tmp_path / "out"), "--template", str(TEMPLATE)]
    for delay in (0.8, 1.6, 2.4):
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
    done = subprocess.run(args, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    leftovers = [p for p in (tmp_path / "out").rglob("*") if p.name.startswith(".tmp-")]
    assert leftovers == []
    with zipfile.ZipFile(tmp_path / "out" / "令和2年度" / "報告書" / "令和2年度_進行管理報告書.docx") as z:
        assert z.testzip() is None


def test_8_libreoffice_left_by_a_killed_run_is_ended_and_its_profile_removed(tmp_path: Path) -> None:
    docx = tmp_path / "a.docx"
    document = Document()
    document.add_paragraph("テスト")
    document.save(str(docx))
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    code = ("import sys; from pathlib import Path; from reporter.outputs.build import office; "
            "office.convert(Path(sys.argv[1]), 'pdf', Path(sys.argv[2]))")
    process = subprocess.Popen([sys.executable, "-c", code, str(docx), str(tmp_path / "pdf")], env=env)
    deadline = time.monotonic() + 60
    while not any(temp.glob(f"{office.PROFILE_PREFIX}*/user")) and time.monotonic() < deadline:
        time.sleep(0.05)  # until LibreOffice has started on its profile
    process.send_signal(signal.SIGKILL)
    process.wait()
    profiles = list(temp.glob(f"{office.PROFILE_PREFIX}*"))
    assert len(profiles) == 1
    removed = office.sweep(temp)
    assert removed == profiles and not profiles[0].exists()
    time.sleep(0.5)
    assert office._processes_of(profiles[0]) == []


def test_8_a_full_disk_is_one_japanese_line_without_a_stray_traceback(tmp_path: Path) -> None:
    inbox = copy_demo(tmp_path)
    code = ("import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
            "resource.setrlimit(resource.RLIMIT_FSIZE, (30_000, 30_000)); "
            "sys.argv = ['reporter'] + sys.argv[1:]; from reporter.launch import run; run()")
    done = subprocess.run([sys.executable, "-c", code, "build", str(inbox), "--master", str(inbox / MASTER_NAME),
                           "--output", str(tmp_path / "out"), "--template", str(TEMPLATE)],
                          capture_output=True, text=True)
    assert done.returncode == 3, done.stderr
    assert "ディスクの空き容量が足りない" in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert [p for p in (tmp_path / "out").rglob("*") if p.name.startswith(".tmp-")] == []


def test_8_escape_sequences_in_file_names_never_reach_the_terminal(tmp_path: Path) -> None:
    inbox = copy_demo(tmp_path, only=1)
    (inbox / "提出" / "回答\x1b[31m赤\x07.xlsx").write_bytes("表ではありません".encode())
    code, text = cli("check", inbox, "--master", inbox / MASTER_NAME, "--output", tmp_path / "out")
    assert code == 1
    assert "\x1b" not in text and "\x07" not in text
    assert "回答\\x1b[31m赤\\x07.xlsx" in text


def test_8_a_status_table_open_elsewhere_does_not_block_the_report(tmp_path: Path) -> None:
    inbox = copy_demo(tmp_path)
    status = tmp_path / "out" / "令和2年度" / "提出状況.xlsx"
    status.mkdir(parents=True)  # cannot be replaced, as a file held open in Excel on Windows
    code, text = cli("build", inbox, "--master", inbox / MASTER_NAME, "--output", tmp_path / "out",
                     "--template", TEMPLATE)
    assert code == 3, text
    assert "提出状況.xlsx」を書き換えられませんでした" in text
    assert (tmp_path / "out" / "令和2年度" / "報告書" / "令和2年度_進行管理報告書.docx").is_file()
    code, text = cli("check", inbox, "--master", inbox / MASTER_NAME, "--output", tmp_path / "out")
    assert code == 3 and len(list((tmp_path / "out" / "令和2年度" / "確認結果").glob("*.xlsx"))) == 19


def test_8_an_entity_is_refused_even_when_openpyxl_is_told_not_to_guard(tmp_path: Path) -> None:
    inbox = copy_demo(tmp_path)
    department = "健康福祉局高齢企画課"
    real = inbox / "提出" / f"{PREFIX}{department}.xlsx"
    hostile.entity_in(demo_file(department), real)
    env = {**os.environ, "OPENPYXL_DEFUSEDXML": "False"}
    done = subprocess.run([sys.executable, "-m", "reporter.launch", "check", str(inbox), "--master",
                           str(inbox / MASTER_NAME), "--output", str(tmp_path / "out")],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 1
    assert real.name in done.stdout and "DTD" in done.stdout
    for copy in (tmp_path / "out").rglob("*.xlsx"):
        with zipfile.ZipFile(copy) as z:
            assert not any(b"entity-expanded" in z.read(n) for n in z.namelist())


def test_8_a_missing_package_is_named_in_japanese_without_a_traceback() -> None:
    code = ("import sys; sys.modules['defusedxml'] = None; sys.argv = ['reporter', '--help']; "
            "from reporter.launch import run; run()")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 3
    assert "defusedxml" in done.stderr and "pip install" in done.stderr and "Traceback" not in done.stderr
