"""Hostile and careless variants of a real returned form, byte by byte.

Each maker takes a real workbook (a demo submission or a generated form) and writes one variant
to ``target``; the source is only read. The hardening tests and ``bench/bench_hostile.py`` use
the same makers, so that what is tested is what is measured.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl.utils.cell import get_column_letter

MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SST_TYPE = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
SST_CONTENT = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
ENTITY_DTD = b'<!DOCTYPE worksheet [<!ENTITY e "entity-expanded">]>'

Edit = Callable[[bytes], bytes]


def rewrite(source: Path, target: Path, edits: dict[str, Edit] | None = None,
            added: dict[str, bytes] | None = None) -> Path:
    """Copy a zip member by member, editing some and adding others."""
    with zipfile.ZipFile(source) as z:
        parts = [(info.filename, z.read(info)) for info in z.infolist()]
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            z.writestr(name, (edits or {}).get(name, lambda d: d)(data))
        for name, data in (added or {}).items():
            z.writestr(name, data)
    return target


def sheet_members(path: Path) -> dict[str, str]:
    """Sheet name -> zip member, from workbook.xml and its relationships (plain patterns: the
    files here are written by openpyxl)."""
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    targets = dict(re.findall(r'Id="(rId\d+)"[^>]*?Target="([^"]+)"', rels))
    targets |= {rid: t for t, rid in re.findall(r'Target="([^"]+)"[^>]*?Id="(rId\d+)"', rels)}
    found = {}
    for name, rid in re.findall(r'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="(rId\d+)"', book):
        target = targets[rid]
        found[_unescape(name)] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return found


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def form_sheet(path: Path) -> str:
    """The first visible project sheet of a form."""
    return next(n for n in sheet_members(path) if not n.startswith("_"))


def _shared_strings(source: Path, target: Path, sst: bytes) -> Path:
    def rels(d: bytes) -> bytes:
        return d.replace(b"</Relationships>", b'<Relationship Id="rIdSst" Type="%s" Target="sharedStrings.xml"/>'
                         b"</Relationships>" % SST_TYPE)

    def types(d: bytes) -> bytes:
        return d.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="%s"/></Types>'
                         % SST_CONTENT)

    return rewrite(source, target, {"xl/_rels/workbook.xml.rels": rels, "[Content_Types].xml": types},
                   {"xl/sharedStrings.xml": b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="%s" '
                                            b'count="4294967295" uniqueCount="4294967295">%s</sst>' % (MAIN_NS, sst)})


def huge_unique_count(source: Path, target: Path) -> Path:
    """sharedStrings.xml declaring 4,294,967,295 strings: calamine reserves ~100 GB and aborts."""
    return _shared_strings(source, target, b"<si><t>a</t></si>")


def _edit_sheet(source: Path, target: Path, sheet: str, edit: Edit) -> Path:
    return rewrite(source, target, {sheet_members(source)[sheet]: edit})


def nested_formulas(source: Path, target: Path, count: int = 230_000) -> Path:
    """One cell of a form sheet holding ``count`` formula elements (a few KB compressed)."""
    def edit(xml: bytes) -> bytes:
        row = b'<row r="60"><c r="A60">' + b"<f/>" * count + b"</c></row>"
        return xml.replace(b"</sheetData>", row + b"</sheetData>", 1)

    return _edit_sheet(source, target, form_sheet(source), edit)


def nested_formula_elements(source: Path, target: Path, count: int = 230_000) -> Path:
    """Formula elements nested in one another inside a cell that never closes in time."""
    def edit(xml: bytes) -> bytes:
        row = b'<row r="60"><c r="A60">' + b"<f>" * count + b"</f>" * count + b"</c></row>"
        return xml.replace(b"</sheetData>", row + b"</sheetData>", 1)

    return _edit_sheet(source, target, form_sheet(source), edit)


def remerged(source: Path, target: Path) -> Path:
    """A user merged E17:L17 over the amount boxes (E17:F17, H17:I17, J17:K17) of a sheet."""
    return _edit_sheet(source, target, form_sheet(source), _remerge)


def _remerge(xml: bytes) -> bytes:
    merges = [m for m in re.findall(rb'<mergeCell ref="([A-Z]+\d+:[A-Z]+\d+)"/>', xml)
              if not re.fullmatch(rb"[E-L]17:[E-L]17", m)]
    merges.append(b"E17:L17")
    body = b"".join(b'<mergeCell ref="%s"/>' % m for m in merges)
    return re.sub(rb"<mergeCells[^>]*>.*?</mergeCells>", b'<mergeCells count="%d">%s</mergeCells>'
                  % (len(merges), body), xml, count=1, flags=re.S)


def _with_merge(xml: bytes, ref: bytes) -> bytes:
    if b"<mergeCells" in xml:
        return re.sub(rb"<mergeCells[^>]*>", b'<mergeCells><mergeCell ref="%s"/>' % ref, xml, count=1)
    return xml.replace(b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="%s"/></mergeCells>'
                       % ref, 1)


def huge_merge_in_form_sheet(source: Path, target: Path) -> Path:
    """<mergeCell ref="A10:XFD1048576"/> in a form sheet: openpyxl makes a cell per merged cell."""
    return _edit_sheet(source, target, form_sheet(source), lambda x: _with_merge(x, b"A100:XFD1048576"))


def huge_merge_in_lists(source: Path, target: Path) -> Path:
    """The same in the hidden _lists sheet, which the checks never read."""
    return _edit_sheet(source, target, "_lists", lambda x: _with_merge(x, b"A100:XFD1048576"))


def entity_in(source: Path, target: Path, sheet: str = "_lists") -> Path:
    """An entity declaration (and its use in a cell) in a sheet; by default the hidden _lists
    sheet of a form, which the checks never read."""
    def edit(xml: bytes) -> bytes:
        xml = re.sub(rb"^<\?xml[^>]*>", b"", xml)
        xml = re.sub(rb"(<c r=\"A1\"[^>]*?)(?:/>|>.*?</c>)", rb'\1 t="inlineStr"><is><t>&e;</t></is></c>', xml,
                     count=1, flags=re.S)
        return b'<?xml version="1.0" encoding="UTF-8"?>' + ENTITY_DTD + xml

    return _edit_sheet(source, target, sheet, edit)


def far_cell(source: Path, target: Path, sheet: str) -> Path:
    """One cell at XFD1048576, the last cell a sheet can have."""
    row = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return _edit_sheet(source, target, sheet, lambda x: x.replace(b"</sheetData>", row + b"</sheetData>", 1))


def many_empty_cells(source: Path, target: Path, rows: int = 10_000, columns: int = 200) -> Path:
    """A non-form sheet (the identity sheet) with rows × columns empty styled cells, inside the
    used-range limits."""
    letters = [get_column_letter(c).encode() for c in range(1, columns + 1)]

    def edit(xml: bytes) -> bytes:
        body = b"".join(b'<row r="%d">' % r + b"".join(b'<c r="%s%d" s="0"/>' % (c, r) for c in letters)
                        + b"</row>" for r in range(100, 100 + rows))
        return xml.replace(b"</sheetData>", body + b"</sheetData>", 1)

    return _edit_sheet(source, target, "_identity", edit)


def hyperlink_range(source: Path, target: Path) -> Path:
    """A hyperlink over a whole sheet: openpyxl gives every cell of its range the link."""
    def edit(xml: bytes) -> bytes:
        link = b'<hyperlinks><hyperlink ref="A100:XFD1048576" location="A1"/></hyperlinks>'
        at = xml.find(b"<pageMargins")
        return xml[:at] + link + xml[at:] if at >= 0 else xml

    return _edit_sheet(source, target, form_sheet(source), edit)


def full_calc_on_load(source: Path, target: Path, field_address: str) -> Path:
    """The settled amount as a formula whose cached value is 0, in a workbook that asks to be
    recalculated on opening (its cached values are not to be trusted)."""
    def sheet(xml: bytes) -> bytes:
        return re.sub(rb'<c r="%s"([^>]*?)(?:/>|>.*?</c>)' % field_address.encode(),
                      lambda m: b'<c r="%s"%s><f>1000+1</f><v>0</v></c>' % (
                          field_address.encode(), re.sub(rb'\s+t="\w+"', b"", m.group(1))), xml, count=1, flags=re.S)

    def book(xml: bytes) -> bytes:  # openpyxl, which wrote the demo forms, sets the flag already
        if b"fullCalcOnLoad" in xml:
            return xml
        if b"<calcPr" in xml:
            return re.sub(rb"<calcPr", b'<calcPr fullCalcOnLoad="1"', xml, count=1)
        return xml.replace(b"</workbook>", b'<calcPr calcId="191029" fullCalcOnLoad="1"/></workbook>')

    return rewrite(source, target, {sheet_members(source)[form_sheet(source)]: sheet, "xl/workbook.xml": book})
