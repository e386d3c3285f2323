"""What departments and the office read in Excel: the feedback copies (no issue codes, problems
by severity, a request only when something needs fixing or checking), the status table and the
summary (rows high enough for their wrapped text, numbers as numbers with separators, the yearly
figures as a numeric long table). Every workbook is written by the real code and read back."""

from __future__ import annotations

import json
import math
import re
import shutil
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.worksheet.worksheet import Worksheet

from reporter import api
from reporter.core.catalogue import CATALOGUE
from reporter.core.issues import Location, Severity, make
from reporter.forms.cells import put
from reporter.forms.workbook import open_for_edit
from reporter.outputs.build.summary import FIGURES_LONG_SHEET
from reporter.outputs.check import feedback
from reporter.outputs.check.marked import LIST_HEADER_ROW
from reporter.outputs.xlsx import LINE_PT, MAX_ROW_PT
from tests import corpus
from tests.conftest import ROOT

DEMO = ROOT / "input"
REPORT_TEMPLATE = ROOT / "templates" / "報告書.docx"
TODAY = date(2021, 5, 1)
BROKEN = "危機管理局減災推進課"  # given an error below: errors, warnings and notices
WARNED = "仙台市社会福祉協議会"  # warnings and notices
NOTICED = "健康福祉局社会課・仙台市社会福祉協議会"  # notices only
CLEAN = "健康福祉局総務課"  # nothing
REQUEST = ("お願いします", "ご提出ください", "修正してください")  # words that ask the department to act
RANK = {s.label: n for n, s in enumerate(Severity)}
NUMBER_FORMATS = ("#,##0", "#,##0.0#")


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> api.CheckFiles:
    """The demo's submissions, one of them with its 実施状況 emptied, checked and written."""
    inbox = tmp_path_factory.mktemp("inbox") / "input"
    shutil.copytree(DEMO, inbox)
    broken = next(p for p in inbox.rglob("*.xlsx") if p.stem.endswith(f"_{BROKEN}"))
    wb = open_for_edit(broken)
    put(wb["1-4_01"][corpus.address(wb["1-4_01"], "F_STATUS")], None)
    wb.save(broken)
    report = api.check(inbox / "計画マスタ.xlsx", inbox).report
    assert report is not None
    return api.write_check_outputs(report, tmp_path_factory.mktemp("out"), TODAY)


def _copy(files: api.CheckFiles, department: str, suffix: str = ".xlsx") -> Path:
    return next(p for p in files.feedback if p.suffix == suffix and p.stem.endswith(f"_{department}_確認結果"))


def _issues_of(files: api.CheckFiles, department: str) -> list[Any]:
    (f,) = [f for f in files.report.files if f.department == department]
    return list(f.issues)


def _min_lines(text: str, width: float) -> int:
    """The fewest lines a text can take in a column: each full-width character two units wide,
    every unit of the column used (the code under test leaves room; this is the floor)."""
    def units(line: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)

    return sum(max(1, math.ceil(units(line) / width)) for line in text.split("\n"))


def _widths(ws: Worksheet) -> dict[int, float]:
    """Column widths by 1-based index (openpyxl keys a run of equal columns by its first)."""
    found: dict[int, float] = {}
    for dim in ws.column_dimensions.values():
        if dim.min is not None and dim.max is not None and dim.width:
            found.update(dict.fromkeys(range(dim.min, dim.max + 1), dim.width))
    return found


def _assert_rows_fit(ws: Worksheet, first: int, last: int | None = None) -> int:
    """Every row from ``first`` holding text that wraps has a height that holds its longest
    cell; returns how many such rows there were."""
    wrapped = 0
    widths = _widths(ws)
    for row in ws.iter_rows(min_row=first, max_row=last or ws.max_row):
        lines = max((_min_lines(c.value, widths[c.column])
                     for c in row if isinstance(c.value, str) and c.alignment.wrap_text), default=1)
        if lines > 1:
            wrapped += 1
            height = ws.row_dimensions[row[0].row].height
            assert height is not None, (ws.title, row[0].row)
            assert height >= min(MAX_ROW_PT, lines * LINE_PT), (ws.title, row[0].row, height, lines)
    return wrapped


# --- feedback copies ----------------------------------------------------------------------

def test_the_departments_copies_and_letters_carry_no_issue_codes(checked: api.CheckFiles) -> None:
    codes = re.compile("|".join(re.escape(c) for c in CATALOGUE))
    for department in (BROKEN, WARNED, NOTICED, CLEAN):
        wb = load_workbook(_copy(checked, department))
        listing = wb[feedback.LIST_SHEET]
        assert "コード" not in [c.value for c in listing[LIST_HEADER_ROW]]
        shown = [str(c.value) for row in listing.iter_rows() for c in row if c.value is not None]
        shown += [c.comment.text for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.comment]
        shown.append(_copy(checked, department, ".txt").read_text(encoding="utf-8"))
        assert [m.group(0) for text in shown if (m := codes.search(text))] == [], department
    assert len(_issues_of(checked, BROKEN)) > 3  # there was something to leak


def test_problems_are_listed_errors_first_then_warnings_then_notices_in_sheet_and_cell_order(
        checked: api.CheckFiles) -> None:
    wb = load_workbook(_copy(checked, BROKEN))
    sheets = wb.sheetnames[1:]
    rows = [r for r in wb[feedback.LIST_SHEET].iter_rows(min_row=LIST_HEADER_ROW + 1, values_only=True) if r[0]]
    assert [r[4] for r in rows] == sorted((r[4] for r in rows), key=RANK.__getitem__)
    assert {r[4] for r in rows} == {"エラー", "警告", "お知らせ"}

    def place(r: tuple[Any, ...]) -> tuple[int, int, int, int]:
        column, row = coordinate_from_string(r[2]) if r[2] else ("", 0)
        return (RANK[r[4]], sheets.index(r[1]) if r[1] in sheets else -1, row,
                column_index_from_string(column) if column else 0)

    assert [place(r) for r in rows] == sorted(place(r) for r in rows)
    found = _issues_of(checked, BROKEN)
    assert sorted((r[1], r[2], r[4]) for r in rows) == sorted(
        (i.location.sheet, i.location.cell, i.severity.label) for i in found)
    assert [i.code for i in found if i.severity is Severity.ERROR] == ["cell.required"]


@pytest.mark.parametrize(("department", "asks"), [(BROKEN, True), (WARNED, True), (NOTICED, False), (CLEAN, False)])
def test_the_department_is_asked_to_act_only_for_errors_and_warnings(
        checked: api.CheckFiles, department: str, asks: bool) -> None:
    severities = {i.severity for i in _issues_of(checked, department)}
    assert (Severity.ERROR in severities or Severity.WARNING in severities) is asks
    listing = load_workbook(_copy(checked, department))[feedback.LIST_SHEET]
    head = " ".join(str(listing.cell(row=r, column=1).value or "") for r in range(1, LIST_HEADER_ROW))
    letter = _copy(checked, department, ".txt").read_text(encoding="utf-8")
    for text in (head, letter):
        assert any(word in text for word in REQUEST) is asks, (department, text)
    if severities == {Severity.INFO}:  # the notices are still pointed at
        assert "お知らせ" in str(listing["A4"].value) and "お知らせ" in letter


def test_a_letter_names_a_missing_sheet_as_the_department_knows_it() -> None:
    missing = make("batch.missing", Location(sheet="2-1_03", field="健康福祉局社会課"), project="相談窓口の運営",
                   policy_code="2-1")
    text = feedback.email_text("健康福祉局社会課", "令和2年度", "回答.xlsx", [], [missing])
    assert "2-1_03" in text and "相談窓口の運営" in text and "batch.missing" not in text
    assert any(word in text for word in REQUEST)


def test_every_row_of_a_feedback_list_holds_its_text(checked: api.CheckFiles, tmp_path: Path) -> None:
    for department in (BROKEN, WARNED, NOTICED):
        listing = load_workbook(_copy(checked, department))[feedback.LIST_SHEET]
        assert _assert_rows_fit(listing, LIST_HEADER_ROW + 1) > 0
    # the copy made with openpyxl (a workbook with comments of its own) sizes its rows the same way
    (f,) = [f for f in checked.report.files if f.department == WARNED]
    own = tmp_path / f.path.name
    wb = load_workbook(f.path)
    wb["2-2_03"]["C11"].comment = Comment("課内メモ", "担当")
    wb.save(own)
    target = tmp_path / "copy.xlsx"
    assert feedback.write_workbook(own, target, WARNED, "令和2年度", f.issues, TODAY) == "openpyxl"
    listing = load_workbook(target)[feedback.LIST_SHEET]
    assert "コード" not in [c.value for c in listing[LIST_HEADER_ROW]]
    assert _assert_rows_fit(listing, LIST_HEADER_ROW + 1) > 0


# --- the office's status table --------------------------------------------------------------

def _assert_numbers(ws: Worksheet, columns: set[int], first: int = 2) -> int:
    """Cells of ``columns`` (1-based) from row ``first`` are numbers shown with separators,
    right-aligned (as numbers are unless told otherwise); returns how many there were."""
    seen = 0
    for row in ws.iter_rows(min_row=first):
        for c in row:
            if c.column in columns and c.value is not None:
                assert isinstance(c.value, int | float), (ws.title, c.coordinate, c.value)
                assert c.number_format in NUMBER_FORMATS and c.alignment.horizontal in (None, "general", "right"), \
                    c.coordinate
                seen += 1
    return seen


def test_the_status_table_rows_hold_their_text_and_numbers_are_numbers(checked: api.CheckFiles) -> None:
    assert checked.status is not None
    wb = load_workbook(checked.status)
    assert _assert_rows_fit(wb["提出状況"], 1) > 0 and _assert_rows_fit(wb["問題一覧"], 1) > 0
    _assert_rows_fit(wb["担当課別"], 1)
    status = wb["提出状況"]
    titles = [c.value for c in status[1]]
    assert _assert_numbers(status, {titles.index(t) + 1 for t in ("番号", "エラー", "警告", "お知らせ")}) == 4 * 38
    overview = wb["概要"]
    assert all(overview.cell(row=r, column=2).number_format == "#,##0" for r in range(3, 14))
    issues = [r for r in wb["問題一覧"].iter_rows(min_row=2, values_only=True)]
    assert [r[4] for r in issues] == sorted((r[4] for r in issues), key=RANK.__getitem__)
    assert {r[6] for r in issues} >= {"cell.required", "cross.budget-band", "batch.shared-amount"}  # office: codes kept


# --- the summary --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The demo built once: the summary workbook and the context it was written from."""
    out = tmp_path_factory.mktemp("build")
    outcome = api.build(DEMO / "計画マスタ.xlsx", DEMO, out / "output", REPORT_TEMPLATE, date(2021, 6, 1),
                        dump_context=out / "context.json")
    assert outcome.xlsx is not None and outcome.context is not None
    return outcome.xlsx, json.loads(outcome.context.read_text(encoding="utf-8"))


def test_summary_rows_hold_their_text_and_amounts_are_numbers(summary: tuple[Path, dict[str, Any]]) -> None:
    wb = load_workbook(summary[0])
    for name in ("事業一覧", "事業別", "事業費", "施策別", FIGURES_LONG_SHEET, "提出状況"):
        _assert_rows_fit(wb[name], 1)
    assert _assert_rows_fit(wb["事業一覧"], 2) > 30 and _assert_rows_fit(wb["事業別"], 2) > 0
    by_project = wb["事業別"]
    titles = [str(c.value) for c in by_project[1]]
    money = {n for n, t in enumerate(titles, start=1) if t.startswith(("決算額", "次年度予算額"))}
    assert _assert_numbers(by_project, money) == 2 * len(summary[1]["projects"])
    costs = wb["事業費"]
    assert _assert_numbers(costs, {5, 6}, first=2) >= 2 * 38


def test_a_projects_policies_are_joined_unambiguously(summary: tuple[Path, dict[str, Any]]) -> None:
    ws = load_workbook(summary[0])["事業別"]
    titles = [c.value for c in ws[1]]
    shown = {r[0]: r[titles.index("施策")] for r in ws.iter_rows(min_row=2, values_only=True)}
    for p in summary[1]["projects"]:
        assert shown[p["project_id"]].split("、") == p["policies"]
    assert shown["P01"] == "1-4、3-3"


def test_the_yearly_figures_long_table_has_one_numeric_row_per_item_and_year(
        summary: tuple[Path, dict[str, Any]]) -> None:
    ctx = summary[1]
    ws = load_workbook(summary[0])[FIGURES_LONG_SHEET]
    titles = [c.value for c in ws[1]]
    assert titles[:8] == ["施策", "No.", "事業ID", "事業名", "担当課", "項目", "年度", "値"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    entries = [s for p in ctx["policies"] for s in p["entries"]]
    years = ["平成28年度", "平成29年度", "平成30年度", "令和元年度", "令和2年度"]
    assert len(rows) == sum(len(s["figures"]) for s in entries) * len(years)
    assert {r[6] for r in rows} == set(years)
    sums: dict[tuple[Any, ...], float] = {}
    for r in rows:
        assert r[7] is None or isinstance(r[7], int | float)
        if r[7] is not None:
            sums[(r[0], r[2], r[4], r[5])] = sums.get((r[0], r[2], r[4], r[5]), 0.0) + r[7]
    totals = [(s, f) for s in entries for f in s["figures"] if f["total_value"] is not None]
    assert len(totals) >= 5
    for s, f in totals:  # each item's years add up to the total its sheet reported
        assert sums[(s["policy_code"], s["project_id"], s["department"], f["label"])] == f["total_value"]
    first = next(r for r in rows if r[2] == "P01" and r[0] == "1-4")
    assert first[5:8] == ("新規養成講習会参加者", "平成28年度", 54)
    texts = [r for r in rows if r[7] is None and r[8]]  # a cell that is no number keeps what was written
    assert texts and all(isinstance(r[8], str) for r in texts)
    number_cells = [c for c in ws["H"][1:] if c.value is not None]
    assert all(c.number_format in NUMBER_FORMATS for c in number_cells)
