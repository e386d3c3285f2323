"""A filled form opened and saved by LibreOffice still reads back.

LibreOffice is a declared test prerequisite (.ci/run installs it); this test fails, not skips,
when it is missing.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from reporter import pipeline
from reporter.read import read_form
from reporter.render.cells import put
from reporter.render.office import convert
from tests.conftest import TEMPLATE, MasterFactory
from tests.test_forms import _address, sample_values


def test_filled_form_survives_libreoffice_resave(make_master: MasterFactory,
                                                 tmp_path: Path) -> None:
    result = pipeline.forms(make_master(), TEMPLATE, tmp_path / "out")
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
        assert {k: c.value for k, c in a.cells.items()} == {k: c.value for k, c in b.cells.items()}
