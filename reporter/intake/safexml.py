"""XML parsing guarded against DTD, entity and external-reference attacks.

defusedxml's guards are handlers on expat's DTD and entity events. Its ElementTree parser builds
a tree through Python callbacks for every element; ``parse`` gives the same tree from the C
parser when the document cannot hold a declaration at all, and ``guarded_parser`` gives an expat
parser with defusedxml's guard handlers and no others (for the used-range guard's exact reading
of a sheet and the Word body's check), run with ``feed``.

Every fault comes out as one of ``ParseError``, an encoding expat cannot read included (expat
raises a bare ValueError for it).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from xml.parsers import expat

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

ParseError = (expat.ExpatError, ET.ParseError, DefusedXmlException)


def parse(data: bytes) -> ET.Element:
    """The element tree of ``data``; raises one of ``ParseError`` for a broken or unsafe document.

    Every declaration (DOCTYPE, and the ENTITY declarations that live inside it) begins with
    "<!", and without one the only entities are XML's five and character references. A UTF-8
    document (no multi-byte character of UTF-8 contains "<" or "!") whose bytes hold no "<!" is
    therefore parsed by the C parser directly; anything else, including a document in another
    encoding or one that does not parse, goes through defusedxml with DTDs forbidden."""
    if declaration_free(data):
        try:
            return ET.fromstring(data)
        except ET.ParseError:
            pass  # defusedxml gives the verdict
    with _encoding_faults():
        return SafeET.fromstring(data, forbid_dtd=True)


def declaration_free(data: bytes) -> bool:
    """True when ``data`` is read as UTF-8 and cannot hold a DTD or an entity declaration: no
    "<!" among its bytes (every declaration begins so, and no multi-byte UTF-8 character holds
    "<" or "!"). A comment or CDATA section begins so too: such a document is not taken either."""
    return b"<!" not in data and utf8(data)


@contextmanager
def _encoding_faults() -> Iterator[None]:
    """An encoding expat cannot read ("multi-byte encodings are not supported", a bare
    ValueError) raised as a parse error like any other fault."""
    try:
        yield
    except DefusedXmlException:  # a ValueError too
        raise
    except ValueError as exc:
        raise ET.ParseError(str(exc)) from exc


_ENCODING = re.compile(rb"""\sencoding\s*=\s*["']([^"']*)["']""")
_DECLARATION = re.compile(rb"<\?xml\s")


def utf8(data: bytes) -> bool:
    """True when the parser will read ``data`` as UTF-8: it starts with "<" (after a UTF-8
    byte-order mark, if any) not followed by a NUL, so neither a UTF-16 or UTF-32 mark nor
    such text without one, and its XML declaration, if any, names no other encoding. The
    declaration is read to its end however long it is (spaces may push the encoding far in)."""
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    if data[start:start + 1] != b"<" or data[start + 1:start + 2] in (b"\x00", b""):
        return False
    if not _DECLARATION.match(data, start):
        return True
    end = data.find(b"?>", start)
    declared = _ENCODING.search(data, start, end) if end >= 0 else None
    return end >= 0 and (declared is None or declared.group(1).lower() in (b"utf-8", b"utf8"))


def guarded_parser() -> Any:
    """A fresh expat parser that raises on any DTD, entity declaration or external reference."""
    guard = DefusedXMLParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser: Any = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = guard.defused_start_doctype_decl
    parser.EntityDeclHandler = guard.defused_entity_decl
    parser.UnparsedEntityDeclHandler = guard.defused_unparsed_entity_decl
    parser.ExternalEntityRefHandler = guard.defused_external_entity_ref_handler
    return parser


def well_formed_error(data: bytes) -> int | None:
    """None when ``data`` is one well-formed XML element; else the byte offset of the error."""
    parser = guarded_parser()
    try:
        feed(parser, data)
    except ParseError:
        return int(parser.CurrentByteIndex)
    return None


def feed(parser: Any, data: bytes) -> None:
    """Parse the whole of ``data`` with ``parser``; raises one of ``ParseError``."""
    with _encoding_faults():
        parser.Parse(data, True)
