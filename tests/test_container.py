"""The container check refuses what a parser would choke on, and passes ordinary forms."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from reporter import container
from reporter.container import Limits, UnsafeError


def _book(path: Path, row: int, column: int) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "x"
    ws.cell(row=row, column=column, value="far")
    wb.save(path)
    return path


@pytest.mark.parametrize(("row", "column", "refused"), [
    (10_000, 200, False), (10_001, 1, True), (1, 201, True), (99_999, 1, True), (5, 16_384, True),
])
def test_used_range_limits(tmp_path: Path, row: int, column: int, refused: bool) -> None:
    path = _book(tmp_path / "b.xlsx", row, column)
    if refused:
        with pytest.raises(UnsafeError):
            container.inspect(path, Limits())
    else:
        assert container.inspect(path, Limits()).kind is container.Kind.XLSX


def test_uncalculated_formula_is_found(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["C5"] = "=1+1"
    ws["D5"] = "text with <f> inside"
    wb.save(tmp_path / "f.xlsx")
    scan = container.inspect(tmp_path / "f.xlsx").sheets["Sheet"]
    assert scan.formulas == {"C5": False}


WORKBOOK_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<x:sheets><x:sheet name="It's!" sheetId="1" r:id="rId1"/><x:sheet name="B" sheetId="2" r:id="rId2"/></x:sheets>
<x:definedNames>
<x:definedName name="QUOTED" localSheetId="0">'It''s!'!$C$11</x:definedName>
<x:definedName name="PLAIN" localSheetId="1">B!D5</x:definedName>
<x:definedName name="RANGE">B!$A$2:$A$9</x:definedName>
<x:definedName name="BROKEN" localSheetId="1">#REF!</x:definedName>
<x:definedName name="DELETED">B!#REF!</x:definedName>
<x:definedName name="FORMULA">OFFSET(B!$A$1,0,0,3,1)</x:definedName>
<x:definedName name="AMP" localSheetId="1">'A&amp;B'!E7</x:definedName>
</x:definedNames></x:workbook>"""


def _zip(path: Path, workbook_xml: str) -> Path:
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Target="/xl/worksheets/sheet2.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", workbook_xml)
        z.writestr("xl/_rels/workbook.xml.rels", rels)
        for n in (1, 2):
            z.writestr(f"xl/worksheets/sheet{n}.xml", "<worksheet><sheetData/></worksheet>")
    return path


def test_defined_names_resolve_to_sheet_and_cell_whatever_the_prefix(tmp_path: Path) -> None:
    box = container.inspect(_zip(tmp_path / "n.xlsx", WORKBOOK_XML))
    assert box.sheet_names == ("It's!", "B")
    assert set(box.sheets) == {"It's!", "B"}
    assert [tuple(n) for n in box.names] == [
        ("QUOTED", "It's!", "C11", "It's!"),
        ("PLAIN", "B", "D5", "B"),
        ("RANGE", "B", "A2", None),
        ("AMP", "A&B", "E7", "B"),
    ]


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
    '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE x SYSTEM "http://example.invalid/x.dtd">',
])
def test_workbook_xml_with_a_dtd_is_refused(tmp_path: Path, doctype: str) -> None:
    xml = WORKBOOK_XML.replace("?>", "?>" + doctype, 1)
    with pytest.raises(UnsafeError):
        container.inspect(_zip(tmp_path / "dtd.xlsx", xml))
