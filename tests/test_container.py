"""The container check refuses what a parser would choke on, and passes ordinary forms."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment

from reporter.intake import container
from reporter.intake.container import Limits, UnsafeError


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


def _zip(path: Path, workbook_xml: str, sheet_xml: str = "<worksheet><sheetData/></worksheet>") -> Path:
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Target="/xl/worksheets/sheet2.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", workbook_xml)
        z.writestr("xl/_rels/workbook.xml.rels", rels)
        for n in (1, 2):
            z.writestr(f"xl/worksheets/sheet{n}.xml", sheet_xml)
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


MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _sheet(rows: str, before: str = "", prefix: str = "") -> str:
    p = f"{prefix}:" if prefix else ""
    ns = MAIN.replace("xmlns=", f"xmlns:{prefix}=") if prefix else MAIN
    return (f"<{p}worksheet {ns}>{before}<{p}sheetData>{rows}</{p}sheetData></{p}worksheet>")


# Each hides a cell beyond 10,000 rows or 200 columns from a reader that looks only at the
# ordinary `<c r="..."` form; the workbook reader would still place it there.
HOSTILE = {
    "four-letter column": _sheet('<row r="1"><c r="AAAA1"><v>1</v></c></row>'),
    "three-letter column": _sheet('<row r="1"><c r="ZZZ1"><v>1</v></c></row>'),
    "lower case": _sheet('<row r="1"><c r="a50000"><v>1</v></c></row>'),
    "single quotes": _sheet("<row r='1'><c r='A50000'><v>1</v></c></row>"),
    "spaces around =": _sheet('<row r="1"><c r = "A50000"><v>1</v></c></row>'),
    "another attribute first": _sheet('<row r="1"><c s="1" r="A50000"><v>1</v></c></row>'),
    "row without reference": _sheet("<row><c><v>1</v></c></row>" * 3 + '<row r="50000"><c><v>1</v></c></row>'),
    "cells without reference": _sheet('<row r="1">' + "<c><v>1</v></c>" * 300 + "</row>"),
    "comment decoy": _sheet('<row r="1"><c r="A1"><v>1</v></c></row>').replace(
        "</sheetData>", '<!--</sheetData>--><row r="50000"><c r="A50000"><v>1</v></c></row></sheetData >'),
    "prefixed elements": _sheet('<x:row r="1"><x:c r="A50000"><x:v>1</x:v></x:c></x:row>', prefix="x"),
    "second reference": _sheet('<row r="1"><c r="A1" r="A50000"><v>1</v></c></row>'),
    "encoding the XML parser cannot read": '<?xml version="1.0" encoding="UTF-16-LE"?>' + _sheet(
        '<row r="1"><c s="1" r="A50000"><v>1</v></c></row>'),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_cells_beyond_the_limits_are_found_however_they_are_written(tmp_path: Path, case: str) -> None:
    path = _zip(tmp_path / "h.xlsx", WORKBOOK_XML, HOSTILE[case])
    with pytest.raises(UnsafeError):
        container.inspect(path)


BENIGN = {
    "ordinary": _sheet('<row r="1"><c r="A1" s="1" t="s"><v>0</v></c><c r="GR10000"><v>1</v></c></row>'),
    "empty formatted row far down": _sheet('<row r="1"><c r="A1"><v>1</v></c></row><row r="50000" ht="30"/>'),
    "reference-like text in a formula": _sheet('<row r="1"><c r="A1"><f>IF(B1="K12345",1,0)</f><v>0</v></c></row>'),
    "prefixed but inside": _sheet('<x:row r="2"><x:c r="B2"><x:v>1</x:v></x:c></x:row>', prefix="x"),
    "cells without reference inside": _sheet("<row>" + "<c><v>1</v></c>" * 200 + "</row>"),
}


@pytest.mark.parametrize("case", list(BENIGN), ids=list(BENIGN))
def test_ordinary_and_unusual_but_small_sheets_pass(tmp_path: Path, case: str) -> None:
    path = _zip(tmp_path / "b.xlsx", WORKBOOK_XML, BENIGN[case])
    assert container.inspect(path).kind is container.Kind.XLSX


def test_two_sheets_with_one_name_are_refused(tmp_path: Path) -> None:
    twice = WORKBOOK_XML.replace('name="B"', "name=\"It's!\"")
    with pytest.raises(UnsafeError):
        container.inspect(_zip(tmp_path / "d.xlsx", twice))


def test_names_with_several_areas_or_formulas_point_nowhere(tmp_path: Path) -> None:
    xml = WORKBOOK_XML.replace("</x:definedNames>", (
        '<x:definedName name="MULTI" localSheetId="1">B!$A$1:$D$10,B!$F$1:$H$10</x:definedName>'
        "<x:definedName name=\"QMULTI\" localSheetId=\"1\">'It''s!'!$A$1,'It''s!'!$B$2</x:definedName>"
        "</x:definedNames>"))
    names = [n.name for n in container.inspect(_zip(tmp_path / "m.xlsx", xml)).names]
    assert "MULTI" not in names and "QMULTI" not in names and "QUOTED" in names


def test_formula_cells_are_found_with_whether_they_hold_a_result(tmp_path: Path) -> None:
    rows = ('<row r="1"><c r="A1" s="2"/><c r="B1"><f>1+1</f><v>2</v></c><c r="C1"><v>3</v></c></row>'
            '<row r="2"><c r="A2" t="str"><f t="shared" ref="A2:A3" si="0">B1</f></c>'
            '<c r="B2" t="inlineStr"><is><t>&lt;f&gt; in text</t></is></c><c r="C2"><f/></c></row>')
    box = container.inspect(_zip(tmp_path / "f.xlsx", WORKBOOK_XML, _sheet(rows)))
    assert box.sheets["B"].formulas == {"B1": True, "A2": False, "C2": False}


@pytest.mark.parametrize(("ref", "refused"), [("B2", False), ("A1:Z20000", True), ("A1:XFD1048576", True)])
def test_a_comment_anchored_to_a_range_is_measured(tmp_path: Path, ref: str, refused: bool) -> None:
    """openpyxl makes a cell for every cell a comment's range covers (520,000 for A1:Z20000)."""
    path = _book(tmp_path / "b.xlsx", 2, 2)
    wb = load_workbook(path)
    wb.active["B2"].comment = Comment("メモ", "担当")
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    comments = next(name for name in parts if name.startswith("xl/comments"))
    parts[comments] = parts[comments].replace(b'ref="B2"', f'ref="{ref}"'.encode())
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    if refused:
        with pytest.raises(UnsafeError, match="コメント"):
            container.inspect(path, Limits())
    else:
        assert container.inspect(path, Limits()).kind is container.Kind.XLSX
