"""A filled form opened and saved by LibreOffice still reads back.

LibreOffice is a declared test prerequisite (.ci/run installs it); this test fails, not skips,
when it is missing.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from reporter import api
from reporter.forms.cells import put
from reporter.intake.read import read_form
from reporter.outputs.build.office import convert
from tests.conftest import TEMPLATE, MasterFactory
from tests.test_forms import _address, sample_values


def test_filled_form_survives_libreoffice_resave(make_master: MasterFactory,
                                                 tmp_path: Path) -> None:
    result = api.forms(make_master(), TEMPLATE, tmp_path / "out")
    path = result.files[1]
    wb = load_workbook(path)
    visible = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    for n, ws in enumerate(visible):
        for name, value in sample_values(n).items():
            put(ws[_address(ws, name)], value)
    filled = tmp_path / "filled" / "記入済.xlsx"
    filled.parent.mkdir()
    wb.save(filled)
    before = read_form(filled)

    resaved = convert(filled, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    after = read_form(resaved)

    assert after.identity == before.identity
    assert [s.name for s in after.sheets] == [s.name for s in before.sheets]
    for a, b in zip(after.sheets, before.sheets, strict=True):
        assert a.fingerprint == b.fingerprint  # names still point where they did
        assert a.values == b.values


def test_feedback_workbook_opens_in_libreoffice_with_marks_and_comments(make_master: MasterFactory,
                                                                         tmp_path: Path) -> None:
    from datetime import date

    from reporter.core.issues import Location, make
    from reporter.outputs.check.feedback import write_workbook

    result = api.forms(make_master(), TEMPLATE, tmp_path / "out")
    source = result.files[1]
    wb = load_workbook(source)
    ws = wb["1-1_01"]
    cell = _address(ws, "F_STATUS")
    issue = make("cell.required", Location(source.name, "1-1_01", cell, "5 実施状況"))
    target = tmp_path / "fb" / "確認結果.xlsx"
    target.parent.mkdir()
    write_workbook(source, target, "健康福祉局社会課", "令和2年度", [issue], date(2021, 5, 1))

    resaved = convert(target, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    back = load_workbook(resaved)
    assert back.sheetnames[0] == "確認結果"
    marked = back["1-1_01"][cell]
    assert marked.comment is not None and "未記入" in marked.comment.text
    assert marked.fill.fgColor.rgb.endswith("FFC7CE")
