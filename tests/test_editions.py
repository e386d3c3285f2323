"""The report's two editions: the public one (accessible PDF, read back with pikepdf) and the
office's internal check report; an incomplete year says so, and --strict refuses it."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from click.testing import CliRunner
from docx import Document

from reporter import api
from reporter.cli import main
from tests.conftest import ROOT

INPUT = ROOT / "input"
MASTER = INPUT / "計画マスタ.xlsx"
TEMPLATE = ROOT / "templates" / "報告書.docx"
TODAY = date(2021, 5, 31)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> api.BuildOutcome:
    """The shipped demo (38 sheets) built with its PDFs."""
    out = tmp_path_factory.mktemp("editions")
    return api.build(MASTER, INPUT / "提出", out, TEMPLATE, TODAY, pdf=True)


def text_of(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts.extend(c.text for t in doc.tables for row in t.rows for c in row.cells)
    return "\n".join(parts)


def pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    return subprocess.run(["pdftotext", "-layout", *pages, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def structure(pdf: pikepdf.Pdf) -> list[tuple[str, pikepdf.Dictionary]]:
    """Every element of the PDF's structure tree, in reading order, with its standard role."""
    role_map = pdf.Root.StructTreeRoot.get("/RoleMap", {})
    found: list[tuple[str, pikepdf.Dictionary]] = []

    def walk(node: Any) -> None:
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)
        elif isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                role = str(node.S)
                found.append((str(role_map.get(role, role)).lstrip("/"), node))
            if "/K" in node:
                walk(node.K)

    walk(pdf.Root.StructTreeRoot)
    return found


def test_the_public_pdf_is_accessible(demo: api.BuildOutcome) -> None:
    assert demo.pdf is not None
    with pikepdf.open(demo.pdf) as pdf:
        info = pdf.docinfo
        assert str(pdf.Root.Lang) == "ja-JP"
        assert bool(pdf.Root.MarkInfo.Marked)  # tagged
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)  # the title, not the file name
        assert str(info.Title) == "第３期仙台市地域保健福祉計画「支え合いのまち推進プラン」 令和2年度 進行管理報告書"
        assert str(info.Author) == "仙台市"
        assert "令和2年度" in str(info.Subject)
        meta = " ".join(str(v) for v in info.values())
        assert "python-docx" not in meta and "2013" not in meta
        assert str(info.CreationDate).startswith(f"D:{date.today().year}")
        elements = structure(pdf)
    roles = Counter(role for role, _ in elements)
    # Headings from H1 down, never skipping a level.
    levels = [int(role[1:]) for role, _ in elements if re.fullmatch(r"H[1-6]", role)]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    assert Counter(levels)[3] == 38  # one heading per sheet, one level below its policy
    # Table header cells: every table with a heading row has them (the sheet tables have none).
    assert roles["TH"] >= 60
    # Every chart is a figure with alternative text that states its data.
    figures = [node for role, node in elements if role == "Figure"]
    assert len(figures) == 4
    alts = [str(node.get("/Alt", "")) for node in figures]
    assert all(alts), alts
    costs = next(a for a in alts if "施策別の事業費" in a)
    assert "1-4" in costs and "24,976" in costs and "35,969" in costs


def test_the_cover_has_no_page_number_and_an_era_date(demo: api.BuildOutcome) -> None:
    assert demo.pdf is not None
    cover = pdf_text(demo.pdf, 1, 1)
    lines = [line.strip() for line in cover.splitlines() if line.strip()]
    assert lines[:2] == ["第３期仙台市地域保健福祉計画", "「支え合いのまち推進プラン」"]
    assert "令和3年5月31日" in cover.replace(" ", "")  # the day of the build, in era years
    assert not re.search(r"\b20\d\d\b", cover)  # no Western year
    assert not any(re.fullmatch(r"\d+", line) for line in lines)  # no page number
    assert "速報" not in cover  # every sheet is in
    assert any(re.fullmatch(r"2", line.strip()) for line in pdf_text(demo.pdf, 2, 2).splitlines())


def test_internal_notes_are_in_the_check_report_only(demo: api.BuildOutcome) -> None:
    assert demo.docx is not None and demo.check_docx is not None and demo.check_pdf is not None
    public, internal = text_of(demo.docx), text_of(demo.check_docx)
    for note in ("二重", "除外", "使用できなかったファイル", "127,409", "batch."):
        assert note not in public, note
    assert "二重に数えている可能性のある事業費" in internal and "127,409" in internal
    assert "使用できなかったファイルはありません" in internal
    with pikepdf.open(demo.check_pdf) as pdf:
        assert "内部資料" in str(pdf.docinfo.Title)
        assert str(pdf.Root.Lang) == "ja-JP"
    # The policy table says why its project counts add up to more than the total.
    assert "1 件の事業は複数の施策に位置づけられているため、各施策の事業数の和（36）は合計の事業数（35）" in public
    # 「（下位の施策を含む）」 only where a policy has a lower level (Sendai's have none).
    assert "下位の施策を含む" not in public


@pytest.fixture
def few(tmp_path: Path) -> Path:
    """The demo with only the 危機管理局 workbook returned (5 of 38 sheets)."""
    folder = tmp_path / "提出"
    folder.mkdir()
    for f in (INPUT / "提出").glob("*危機管理局*.xlsx"):
        shutil.copy2(f, folder / f.name)
    return folder


def test_an_incomplete_year_is_provisional_at_each_policy(few: Path, tmp_path: Path) -> None:
    result = api.build(MASTER, few, tmp_path / "out", TEMPLATE, TODAY)
    assert result.report is not None and result.docx is not None and not result.refused
    counts = result.report.counts()
    assert 0 < counts["included"] < counts["expected"]
    doc = Document(str(result.docx))
    cover = [p.text for p in doc.paragraphs[:12]]
    assert "【速報】" in cover
    text = text_of(result.docx)
    assert f"【速報】{counts['expected'] - counts['included']} 枚はまだ集計に含まれていません" in text
    # Each policy says how many of its sheets are missing, and together they are all.
    paragraphs = [p.text for p in doc.paragraphs]
    missing = Counter(spec.policy_code for spec in result.report.missing)
    said = {}
    for n, line in enumerate(paragraphs):
        if m := re.fullmatch(r"施策の方向 (\S+)　.*", line):
            note = paragraphs[n + 1]
            found = re.fullmatch(r"【速報】この施策のシートのうち未提出 (\d+) 件は、まだ集計に含まれていません。", note)
            said[m.group(1)] = int(found.group(1)) if found else 0
    assert said == {code: missing[code] for code in said}
    assert sum(said.values()) == counts["missing"] == 33


def test_strict_refuses_while_sheets_are_missing(few: Path, tmp_path: Path) -> None:
    args = ["build", str(few), "--master", str(MASTER), "--output", str(tmp_path / "out"), "--strict"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert "--strict が指定されているため、報告書を作りません（未提出 33 枚" in result.output.replace("\n", "")
    assert not list((tmp_path / "out").rglob("*.docx"))
    assert list((tmp_path / "out").rglob("提出状況.xlsx"))  # the status table still says who is missing


def test_a_year_with_no_usable_sheet_makes_no_report(tmp_path: Path) -> None:
    empty = tmp_path / "提出"
    empty.mkdir()
    result = CliRunner().invoke(main, ["build", str(empty), "--master", str(MASTER), "--output",
                                       str(tmp_path / "out"), "--pdf"])
    assert result.exit_code == 1, result.output
    assert "集計できるシートが1枚もないため、報告書を作りませんでした。" in result.output.replace("\n", "")
    assert "Traceback" not in result.output
    assert not list((tmp_path / "out").rglob("*.docx")) and not list((tmp_path / "out").rglob("*.pdf"))


def test_a_plan_master_among_the_submissions_is_passed_over(tmp_path: Path) -> None:
    folder = tmp_path / "提出"
    shutil.copytree(INPUT / "提出", folder)
    shutil.copy2(MASTER, folder / "計画マスタ（前年度）.xlsx")
    report = api.check(MASTER, folder).report
    assert report is not None
    assert report.counts()["unusable_files"] == 0 and report.counts()["files"] == 19
    assert [p.name for p in report.passed_over] == ["計画マスタ（前年度）.xlsx"]


def test_help_is_in_japanese() -> None:
    for args in (["--help"], ["build", "--help"], ["check", "-h"], ["history", "import", "--help"]):
        shown = CliRunner().invoke(main, args).output
        for english in ("Usage:", "Options:", "Commands:", "Show this message", "[OPTIONS]", "default:"):
            assert english not in shown, (args, english)
        assert "使い方:" in shown and "このヘルプを表示して終了します。" in shown
    wrong = CliRunner().invoke(main, ["build", "--nope"])
    assert wrong.exit_code == 2 and "オプション '--nope' はありません。" in wrong.output
