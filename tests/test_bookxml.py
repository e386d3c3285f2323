"""workbook.xml read by patterns gives exactly what its element tree gives, or steps aside."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reporter.intake import bookxml, safexml
from tests import corpus

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'

Sheets = list[tuple[str, str]]
Entries = list[tuple[str, str | None, str]]


def excel(sheets: Sheets, entries: Entries) -> str:
    """As Excel writes it: a carriage return after the declaration, extra namespaces."""
    body = "".join(f"<sheet name={quoteattr(n)} sheetId=\"{i}\" r:id={quoteattr(r)}/>"
                   for i, (n, r) in enumerate(sheets, 1))
    names = "".join(f"<definedName name={quoteattr(n)}{_local(local)}>{_text(t)}</definedName>"
                    for n, local, t in entries)
    return (f'{DECLARATION}\r\n<workbook xmlns="{MAIN}" xmlns:r="{REL}" '
            'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x15">'
            '<fileVersion appName="xl" lastEdited="7"/><mc:AlternateContent><mc:Choice Requires="x15">'
            '<x15ac:absPath xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac" '
            'url="C:\\Users\\soumu\\"/></mc:Choice></mc:AlternateContent>'
            f"<sheets>{body}</sheets><definedNames>{names}</definedNames><calcPr calcId=\"191029\"/></workbook>")


def openpyxl_like(sheets: Sheets, entries: Entries) -> str:
    body = "".join(f'<sheet xmlns:r="{REL}" name={quoteattr(n)} sheetId="{i}" state="visible" r:id={quoteattr(r)}/>'
                   for i, (n, r) in enumerate(sheets, 1))
    names = "".join(f"<definedName name={quoteattr(n)}{_local(local)}>{_text(t)}</definedName>"
                    for n, local, t in entries)
    return (f'<workbook xmlns="{MAIN}"><workbookPr/><sheets>{body}</sheets>'
            f"<definedNames>{names}</definedNames></workbook>")


def calc(sheets: Sheets, entries: Entries) -> str:
    """As LibreOffice writes it: its own attribute order, quotes as entities."""
    body = "".join(f'<sheet name={quoteattr(n)} sheetId="{i}" state="visible" r:id={quoteattr(r)}/>'
                   for i, (n, r) in enumerate(sheets, 1))
    names = "".join(f'<definedName function="false" hidden="false"{_local(local)} name={quoteattr(n)} '
                    f'vbProcedure="false">{_text(t, True)}</definedName>' for n, local, t in entries)
    return (f'{DECLARATION}\n<workbook xmlns="{MAIN}" xmlns:r="{REL}"><fileVersion appName="Calc"/>'
            f"<sheets>{body}</sheets><definedNames>{names}</definedNames></workbook>")


def _local(local: str | None) -> str:
    return "" if local is None else f' localSheetId="{local}"'


def _text(value: str, escape_quotes: bool = False) -> str:
    return escape(value, {"'": "&apos;", '"': "&quot;"} if escape_quotes else {})


SHEETS = [("1-1_01", "rId1"), ("It's 事業", "rId2"), ("A&B", "rId3")]
ENTRIES: Entries = [("F_STATUS", "0", "'1-1_01'!$C$11"), ("F_X", "1", "'It''s 事業'!$D$5"),
                    ("LIST", None, "_lists!$A$2:$A$3"), ("AMP", "2", "'A&B'!E7"), ("BROKEN", "0", "#REF!")]
WRITERS = {"excel": excel, "openpyxl": openpyxl_like, "calc": calc}


@pytest.mark.parametrize("writer", list(WRITERS))
def test_each_writers_way_is_read_by_patterns_as_the_tree_reads_it(writer: str) -> None:
    data = WRITERS[writer](SHEETS, ENTRIES).encode()
    assert bookxml._plain(data) is not None  # the quick way is taken
    assert bookxml.read(data) == bookxml._parsed(data) == (SHEETS, ENTRIES)


def test_a_generated_form_is_read_by_patterns(tmp_path: Path) -> None:
    path = corpus.generate(tmp_path)[0]
    with zipfile.ZipFile(path) as z:
        data = z.read("xl/workbook.xml")
    plain = bookxml._plain(data)
    assert plain is not None and plain == bookxml._parsed(data)
    assert len(plain[1]) > 50


BASE = excel(SHEETS[:1], ENTRIES[:1])
# Each is well-formed and says something the patterns cannot take at face value; read must
# still give the tree's answer (the patterns step aside).
VARIANTS = {
    "comment": BASE.replace("<sheets>", "<!-- <definedName name=\"HIDDEN\">S!A1</definedName> --><sheets>"),
    "cdata": BASE.replace("'1-1_01'!$C$11", "<![CDATA['1-1_01'!$C$99]]>"),
    "character reference": BASE.replace("$C$11", "$C$&#49;1"),
    "carriage return in text": BASE.replace("$C$11", "$C$11\r"),
    "tab in an attribute": BASE.replace('name="F_STATUS"', 'name="F_\tSTATUS"'),
    "new line in an attribute": BASE.replace('name="F_STATUS"', 'name="F_\nSTATUS"'),
    "single quotes": BASE.replace('name="F_STATUS"', "name='F_STATUS'"),
    "attributes reordered": BASE.replace('name="F_STATUS" localSheetId="0"', 'localSheetId="0" name="F_STATUS"'),
    "another attribute": BASE.replace('localSheetId="0">', 'localSheetId="0" comment="x">'),
    "prefixed name": BASE.replace("<definedName ", "<x:definedName xmlns:x=\"" + MAIN + "\" ").replace(
        "</definedName>", "</x:definedName>"),
    "name in another namespace": BASE.replace("<definedName ", '<definedName xmlns="urn:other" '),
    "names in another namespace": BASE.replace("<definedNames>", '<definedNames xmlns="urn:other">'),
    "r bound elsewhere": BASE.replace('r:id="rId1"', 'xmlns:r="urn:other" r:id="rId1"'),
    "r bound elsewhere above": BASE.replace("<sheets>", '<sheets xmlns:r="urn:other">'),
    "relationship under another prefix": BASE.replace('r:id="rId1"', f'xmlns:q="{REL}" q:id="rId1"'),
    "processing instruction": BASE.replace("<sheets>", "<?pi x?><sheets>"),
    "spaces in the tag": BASE.replace('<sheet name="1-1_01"', '<sheet  name = "1-1_01" '),
    "byte-order mark": "\ufeff" + BASE,
    "sheet as start and end tags": BASE.replace('r:id="rId1"/>', 'r:id="rId1"></sheet>'),
}


@pytest.mark.parametrize("case", list(VARIANTS), ids=list(VARIANTS))
def test_anything_written_otherwise_is_read_through_the_tree(case: str) -> None:
    data = VARIANTS[case].encode()
    assert bookxml.read(data) == bookxml._parsed(data)


def test_an_encoding_declared_far_into_a_long_declaration_is_honoured() -> None:
    # Found in review: spaces pushed the encoding past the first 200 bytes, and the bytes were
    # taken for UTF-8 where the parser reads them as Latin-1.
    data = (b'<?xml version="1.0"' + b" " * 200 + b'encoding="latin1"?>'
            + f'<workbook xmlns="{MAIN}"><definedNames><definedName name="\u00e9">x</definedName>'
              "</definedNames></workbook>".encode())
    assert not safexml.utf8(data)
    assert bookxml.read(data) == bookxml._parsed(data) == ([], [("\u00c3\u00a9", None, "x")])
    assert safexml.utf8(data.replace(b"latin1", b"UTF-8"))
    assert not safexml.utf8(data.replace(b"?>", b""))  # a declaration never closed


@pytest.mark.parametrize("data", [
    BASE.replace("<sheets>", '<!DOCTYPE x [<!ENTITY a "b">]><sheets>').encode(),
    BASE.replace("$C$11", "&undefined;").encode(),
    BASE.replace("$C$11", "\x01").encode(),
    BASE.replace("$C$11", "\ufffe").encode(),
    BASE.encode("utf-16"),
    BASE.replace('encoding="UTF-8"', 'encoding="UTF-16-LE"').encode(),
    BASE.replace('localSheetId="0"', 'localSheetId="0" localSheetId="1"').encode(),
])
def test_what_the_tree_refuses_is_refused(data: bytes) -> None:
    with pytest.raises(safexml.ParseError):
        bookxml.read(data)


names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@settings(max_examples=150, deadline=None)
@given(writer=st.sampled_from(list(WRITERS)),
       sheets=st.lists(st.tuples(names, names), max_size=4),
       entries=st.lists(st.tuples(names, st.none() | st.sampled_from(["0", "1", "12"]), names), max_size=6))
def test_any_names_are_read_as_the_tree_reads_them(writer: str, sheets: Sheets, entries: Entries) -> None:
    try:
        expected = bookxml._parsed(WRITERS[writer](sheets, entries).encode())
    except safexml.ParseError:  # a character XML cannot hold
        with pytest.raises(safexml.ParseError):
            bookxml.read(WRITERS[writer](sheets, entries).encode())
        return
    assert bookxml.read(WRITERS[writer](sheets, entries).encode()) == expected
