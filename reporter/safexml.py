"""An expat parser guarded by defusedxml: no DTD, no entity declarations, no external references.

defusedxml's ElementTree parser builds a tree through Python callbacks for every element; where
only a few elements matter (the defined names of workbook.xml) or only well-formedness does (the
rendered Word body), this parser gets defusedxml's guard handlers and no others.
"""

from __future__ import annotations

from typing import Any
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

ParseError = (expat.ExpatError, DefusedXmlException)


def guarded_parser(namespace_separator: str | None = None) -> Any:
    """A fresh expat parser that raises on any DTD, entity declaration or external reference."""
    guard = DefusedXMLParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser: Any = expat.ParserCreate(namespace_separator=namespace_separator)
    parser.StartDoctypeDeclHandler = guard.defused_start_doctype_decl
    parser.EntityDeclHandler = guard.defused_entity_decl
    parser.UnparsedEntityDeclHandler = guard.defused_unparsed_entity_decl
    parser.ExternalEntityRefHandler = guard.defused_external_entity_ref_handler
    return parser


def well_formed_error(data: bytes) -> int | None:
    """None when ``data`` is one well-formed XML element; else the byte offset of the error."""
    parser = guarded_parser()
    try:
        parser.Parse(data, True)
    except ParseError:
        return int(parser.CurrentByteIndex)
    return None
