"""The sheets and defined names of an xlsx's workbook.xml, read exactly as its element tree says.

A form's workbook.xml is a few hundred ``<definedName>`` elements, all written the same way;
building its tree costs more than anything else the container check does to a file. Written the
way Excel, LibreOffice and openpyxl write it, the document is read by patterns over its text
(``_plain``); anything else (a declaration or comment, an entity, a namespace prefix, an element
or attribute spelled otherwise, a character XML forbids) is parsed into a tree under
defusedxml's guard (``_parsed``). Both give the same answer for every document ``_plain`` takes,
which a differential test checks.

The plain reading does not prove the rest of the document well-formed: the workbook reader
(calamine) parses it again and refuses it if it is not.
"""

from __future__ import annotations

import re

from reporter.intake import safexml

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_MAIN = f"{{{_MAIN}}}"
NS_REL = f"{{{_REL}}}"

Sheet = tuple[str, str]  # (name, relationship id)
Entry = tuple[str, str | None, str]  # (name, localSheetId or None, the reference text)

_ROOT = re.compile(rf'(?:<\?xml [^<>?]*\?>\s*)?(<workbook xmlns="{_MAIN}")[\s>]')
# Characters XML does not allow (the tree parser refuses the document): control characters
# other than tab, line feed and carriage return; U+FFFE and U+FFFF are looked for after decoding.
_CONTROLS = bytes(range(0x09)) + b"\x0b\x0c" + bytes(range(0x0e, 0x20))
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_ENTITY = re.compile(r"&(amp|lt|gt|quot|apos);")
_OTHER_REFERENCE = re.compile(r"&(?!(?:amp|lt|gt|quot|apos);)")  # a character reference, or not XML
# The elements as Excel, LibreOffice and openpyxl write them, their attributes in these orders.
_VALUE = r'"([^"<\t\n]*)"'  # tab and line feed would be normalised to spaces
_SHEET = re.compile(
    rf'<sheet (?:xmlns:r="{_REL}" )?name={_VALUE} sheetId="\d+"(?: state="\w+")? r:id={_VALUE}/>')
_DEFINED = re.compile(  # Excel, openpyxl: (name, localSheetId, reference)
    rf'<definedName name={_VALUE}(?: localSheetId="(\d+)")?(?: hidden="(?:0|1|true|false)")?>([^<]*)</definedName>')
_DEFINED_CALC = re.compile(  # LibreOffice: (localSheetId, name, reference)
    rf'<definedName function="(?:false|true)" hidden="(?:false|true)"(?: localSheetId="(\d+)")? name={_VALUE}'
    r' vbProcedure="(?:false|true)">([^<]*)</definedName>')


def read(data: bytes) -> tuple[list[Sheet], list[Entry]]:
    """The sheets in order and every defined name; raises one of ``safexml.ParseError`` for a
    document that is broken or unsafe."""
    found = _plain(data)
    return found if found is not None else _parsed(data)


def _parsed(data: bytes) -> tuple[list[Sheet], list[Entry]]:
    book = safexml.parse(data)
    sheets = [(e.get("name", ""), e.get(f"{NS_REL}id", "")) for e in book.iter(f"{NS_MAIN}sheet")]
    entries = [(e.get("name", ""), e.get("localSheetId"), e.text or "") for e in book.iter(f"{NS_MAIN}definedName")]
    return sheets, entries


def _plain(data: bytes) -> tuple[list[Sheet], list[Entry]] | None:
    """The answer from patterns, or None when the document is not written the plain way."""
    if not safexml.declaration_free(data) or len(data.translate(None, _CONTROLS)) != len(data):
        return None  # a declaration, comment or CDATA section; a control character XML forbids
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if "\ufffe" in text or "\uffff" in text:  # not characters either (found at once in ASCII text)
        return None
    root = _ROOT.match(text)
    if root is None:
        return None
    body = root.start(1)  # before it, only the XML declaration and white space
    if (text.find("\r", body) >= 0 or text.find("<?", body) >= 0  # line ends to normalise; an instruction
            or ":sheet" in text or ":definedName" in text or not _namespaces_plain(text)
            or ("&" in text and _OTHER_REFERENCE.search(text))):
        return None
    sheets = _SHEET.findall(text)
    entries = [(name, local or None, ref) for name, local, ref in _DEFINED.findall(text)]
    defined = text.count("<definedName") - text.count("<definedNames")
    if len(entries) != defined:
        entries = [(name, local or None, ref) for local, name, ref in _DEFINED_CALC.findall(text)]
    if len(sheets) != text.count("<sheet") - text.count("<sheets") or len(entries) != defined:
        return None  # some element not written the plain way
    if "&" in text:
        sheets = [(_unescape(name), _unescape(rid)) for name, rid in sheets]
        entries = [(_unescape(name), local, _unescape(ref)) for name, local, ref in entries]
    return sheets, entries


def _unescape(value: str) -> str:
    return _ENTITY.sub(lambda m: _ENTITIES[m.group(1)], value) if "&" in value else value


def _namespaces_plain(text: str) -> bool:
    """The root's default namespace is the only one, and the prefix r is only ever bound to
    the relationships namespace."""
    defaults = 0
    at = text.find("xmlns")
    while at >= 0:
        after = text[at + 5:at + 7]
        if after == '="':
            defaults += 1
        elif after == ":r" and not text.startswith(f':r="{_REL}"', at + 5):
            return False
        elif after[:1] != ":":
            return False  # "xmlns =", or the word in a name
        at = text.find("xmlns", at + 5)
    return defaults == 1
