"""The guarded XML parse: the C parser only where no declaration can exist, defusedxml elsewhere."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from defusedxml import DTDForbidden

from reporter.intake import container, safexml
from reporter.intake.container import UnsafeError

BOMB = '<!DOCTYPE a [<!ENTITY x "xxxxxxxxxx"><!ENTITY y "&x;&x;&x;&x;&x;&x;&x;&x;&x;&x;">]><a>&y;</a>'


def test_plain_utf8_document_parses_with_entities_and_japanese() -> None:
    root = safexml.parse('<?xml version="1.0" encoding="UTF-8"?><a b="&quot;x&quot;">事業&amp;&#x41;</a>'.encode())
    assert (root.get("b"), root.text) == ('"x"', "事業&A")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-le", "utf-16-be"])
def test_a_dtd_is_refused_in_any_encoding(encoding: str) -> None:
    declaration = f'<?xml version="1.0" encoding="{encoding.upper()}"?>'
    data = (declaration + BOMB).encode(encoding)
    if encoding == "utf-16":
        assert data.startswith(b"\xff\xfe")  # with a byte-order mark: no "<!" among its bytes
    assert b"<!" not in data or encoding == "utf-8"
    # expat reads "UTF-16" but refuses the names of its two byte orders: refused either way
    with pytest.raises(DTDForbidden if encoding in ("utf-8", "utf-16") else safexml.ParseError):
        safexml.parse(data)


def test_documents_in_other_encodings_are_read_as_declared() -> None:
    utf16 = '<?xml version="1.0" encoding="UTF-16"?><a>事業</a>'.encode("utf-16")
    latin1 = '<?xml version="1.0" encoding="ISO-8859-1"?><a>caf\u00e9</a>'.encode("latin-1")
    # These bytes are valid UTF-8 too ("Ã©"): read as UTF-8 they would say something else.
    mojibake = '<?xml version="1.0" encoding="ISO-8859-1"?><a>\u00c3\u00a9</a>'.encode("latin-1")
    assert [safexml.parse(d).text for d in (utf16, latin1, mojibake)] == ["事業", "caf\u00e9", "\u00c3\u00a9"]


@pytest.mark.parametrize("data", [b"<a><b></a>", b"", b"<a>&undefined;</a>", b"\xff\xfe<\x00a\x00"])
def test_broken_documents_raise_a_parse_error(data: bytes) -> None:
    with pytest.raises(safexml.ParseError):
        safexml.parse(data)


def test_an_oversized_workbook_part_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    filler = "<x/>" * (container.MAX_PART_BYTES // 4)
    with zipfile.ZipFile(path, "w") as z:  # stored: no compression ratio to refuse it first
        z.writestr("xl/workbook.xml", f"<workbook>{filler}</workbook>")
        z.writestr("xl/_rels/workbook.xml.rels", "<Relationships/>")
    with pytest.raises(UnsafeError, match="大きすぎます"):
        container.inspect(path)
