"""Feedback copies: made by editing the submission's own parts (or, for a workbook written
otherwise, with openpyxl), every value of the submission kept, the problems marked and listed,
and sound by the rules Excel checks on opening (tests/ooxml.py)."""

from __future__ import annotations

import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
import python_calamine
from openpyxl import load_workbook
from openpyxl.comments import Comment

from reporter import api
from reporter.core.report import CheckReport
from reporter.intake import container
from reporter.outputs.check import feedback
from tests import ooxml
from tests.conftest import ROOT

DEMO = ROOT / "input"


@pytest.fixture(scope="module")
def report() -> CheckReport:
    checked = api.check(DEMO / "計画マスタ.xlsx", DEMO).report
    assert checked is not None
    return checked


@pytest.fixture(scope="module")
def copies(report: CheckReport, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    out = tmp_path_factory.mktemp("copies")
    made = {}
    for f in report.files:
        assert f.department is not None
        target = out / f"{f.path.stem}_確認結果.xlsx"
        way = feedback.write_workbook(f.path, target, f.department, report.year_label, f.issues, date(2021, 5, 1))
        made[f.name] = (target, way)
    return made


def _values(path: Path) -> dict[str, list[list[object]]]:
    """Every sheet's cells as a workbook reader sees them (python-calamine, a reader other than
    the openpyxl the fallback copy uses)."""
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}


def test_every_demo_copy_is_made_by_editing_its_parts_and_is_sound(copies: dict[str, tuple[Path, str]]) -> None:
    assert {way for _, way in copies.values()} == {"edited"}
    for name, (copy, _) in copies.items():
        assert ooxml.problems(copy) == [], name


def test_a_copy_keeps_every_value_of_its_submission_cell_by_cell(
        report: CheckReport, copies: dict[str, tuple[Path, str]]) -> None:
    for f in report.files:
        copy = copies[f.name][0]
        source, kept = _values(f.path), _values(copy)
        assert {k: v for k, v in kept.items() if k != feedback.LIST_SHEET} == source, f.name
        with zipfile.ZipFile(f.path) as a, zipfile.ZipFile(copy) as b:
            for info in a.infolist():  # parts the copy had no reason to touch are byte for byte the same
                if info.filename.startswith(("xl/theme/", "docProps/", "xl/printerSettings/")):
                    assert a.read(info) == b.read(info.filename)


def test_problem_boxes_are_coloured_and_commented_and_listed_first(
        report: CheckReport, copies: dict[str, tuple[Path, str]]) -> None:
    f = next(f for f in report.files if "危機管理局減災推進課" in f.name)
    wb = load_workbook(copies[f.name][0])
    assert wb.sheetnames[0] == feedback.LIST_SHEET and wb.active.title == feedback.LIST_SHEET
    ws = wb["1-4_01"]
    assert ws["J17"].fill.fgColor.rgb == "FFFFEB9C"
    box = container.inspect(copies[f.name][0])  # the whole merged box (openpyxl reads only its first cell)
    sheet, styles = box.parts[box.members["1-4_01"]].decode(), box.parts["xl/styles.xml"].decode()
    formats = re.findall(r"<xf [^>]*>", styles.split("<cellXfs")[1])
    fills = {c: re.search(r'fillId="(\d+)"', formats[int(re.search(rf'<c r="{c}" s="(\d+)"', sheet)[1])])[1]  # type: ignore[index]
             for c in ("J17", "K17")}
    assert fills["J17"] == fills["K17"]
    (band,) = [i for i in f.issues if i.code == "cross.budget-band" and i.location.sheet == "1-4_01"]
    assert band.location.cell == "J17"
    assert ws["J17"].comment is not None and band.message in ws["J17"].comment.text
    assert ws["E17"].fill.fgColor.rgb != "FFFFEB9C"  # the settled amount is not marked
    listed = [r for r in wb[feedback.LIST_SHEET].iter_rows(min_row=6, values_only=True) if r[0]]
    assert [(r[1], r[2], r[4]) for r in listed] == [(i.location.sheet, i.location.cell, i.severity.label)
                                                    for i in feedback.sort_issues(f.issues, wb.sheetnames[1:])]
    names = wb["1-4_01"].defined_names
    assert names["F_SETTLED"].attr_text == "'1-4_01'!$E$17"  # sheet-local names follow their sheets


def test_a_workbook_with_comments_of_its_own_is_copied_with_openpyxl(report: CheckReport, tmp_path: Path) -> None:
    f = next(f for f in report.files if "危機管理局減災推進課" in f.name)
    own = tmp_path / f.path.name
    wb = load_workbook(f.path)
    wb["1-4_01"]["C16"].comment = Comment("課内メモ：要確認", "担当")
    wb.save(own)
    target = tmp_path / "copy.xlsx"
    assert feedback.write_workbook(own, target, "危機管理局減災推進課", report.year_label, f.issues,
                                   date(2021, 5, 1)) == "openpyxl"
    copied = load_workbook(target)
    assert copied["1-4_01"]["C16"].comment.text.startswith("課内メモ")
    (band,) = [i for i in f.issues if i.code == "cross.budget-band" and i.location.sheet == "1-4_01"]
    assert band.message in copied["1-4_01"]["J17"].comment.text
    assert ooxml.problems(target) == []


def test_a_copy_sent_back_corrected_gets_one_fresh_list(
        report: CheckReport, copies: dict[str, tuple[Path, str]], tmp_path: Path) -> None:
    f = next(f for f in report.files if "危機管理局減災推進課" in f.name)
    returned = Path(shutil.copy(copies[f.name][0], tmp_path / "返送.xlsx"))
    target = tmp_path / "again.xlsx"
    feedback.write_workbook(returned, target, "危機管理局減災推進課", report.year_label, f.issues, date(2021, 6, 1))
    wb = load_workbook(target)
    assert [n for n in wb.sheetnames if n.startswith(feedback.LIST_SHEET)] == [feedback.LIST_SHEET]
    assert "令和3年6月1日" in wb[feedback.LIST_SHEET]["A2"].value


def test_the_soundness_check_can_fail(copies: dict[str, tuple[Path, str]], tmp_path: Path) -> None:
    copy = next(iter(copies.values()))[0]
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(copy) as a, zipfile.ZipFile(broken, "w") as b:
        for info in a.infolist():
            data = a.read(info)
            if info.filename == "xl/workbook.xml":
                data = re.sub(rb'localSheetId="\d+"', b'localSheetId="99"', data, count=1)
            if info.filename != "xl/styles.xml":
                b.writestr(info, data)
    found = ooxml.problems(broken)
    assert any("points at missing xl/styles.xml" in p for p in found)
    assert any("does not exist (99)" in p for p in found)
