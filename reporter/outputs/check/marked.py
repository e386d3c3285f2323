"""The department's feedback copy made by editing its own parts: the problem cells coloured and
commented, a list of the problems as the first sheet; every other byte of the workbook kept.

Opening and saving a whole workbook with openpyxl costs about a fifth of a second a file, most
of a `check` of a thousand sheets. Here the submission's parts are taken as the container guard
checked them (the same bytes: nothing is parsed that the guard did not bound) and edited as
text: styles.xml gains fills, fonts and cell formats; each marked sheet gets its cells'
formats and a comments part with its drawing; workbook.xml, the relationships and the content
types gain the list sheet. A workbook not written the way Excel, LibreOffice and openpyxl
write these parts raises ``Unusual``, and the caller makes the copy with openpyxl instead.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils.cell import column_index_from_string, get_column_letter

from reporter.core.issues import Issue, Severity
from reporter.core.normalize import xml_safe
from reporter.intake.container import Container
from reporter.outputs.xlsx import is_number, row_height

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_SHEET = f"{NS_R}/worksheet"
REL_COMMENTS = f"{NS_R}/comments"
REL_VML = f"{NS_R}/vmlDrawing"
CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"

FILL_RGB = {Severity.ERROR: "FFFFC7CE", Severity.WARNING: "FFFFEB9C", Severity.INFO: "FFDDEBF7"}
HEADER_RGB = "FFD9D9D9"
LIST_HEADER_ROW = 5  # the list's header (1-based), below the title, file, counts and guide lines
ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


class Unusual(Exception):
    """The workbook is not written the way this module edits it (the openpyxl path is used)."""


@dataclass(frozen=True)
class ListSheet:
    """What the list sheet shows; the caller has ordered the issues."""

    name: str
    title: str
    header_line: str
    counts_line: str
    guide_line: str  # what the department is asked to do (or that nothing needs doing)
    headers: tuple[str, ...]
    widths: tuple[int, ...]
    rows: tuple[tuple[object, ...], ...]  # one per issue, in the headers' order
    severities: tuple[Severity, ...]  # one per row: the 区分 cell's colour
    severity_column: int  # 0-based


@dataclass(frozen=True)
class Mark:
    """A problem box: its worst severity, the comment on its top-left cell, its range."""

    severity: Severity
    text: str
    range: str  # "E12:F12"; a single cell as "E12:E12"


def write_copy(box: Container, target: io.BufferedIOBase | str, marks: dict[tuple[str, str], Mark],
               listing: ListSheet) -> None:
    """Write the marked copy of the checked workbook ``box`` to ``target``: ``marks`` by (sheet,
    top-left cell of the box), ``listing`` as the first sheet. Raises Unusual."""
    book = _Book(box)
    book.add_list_sheet(listing)
    for sheet in sorted({s for s, _ in marks}):
        book.mark(sheet, {cell: mark for (s, cell), mark in marks.items() if s == sheet})
    book.unselect_other_tabs()
    book.save(target)


def marks_of(box: Container, found: Iterable[Issue]) -> dict[tuple[str, str], Mark]:
    """The problem boxes of ``found``: each issue's cell taken to the merged box that holds it
    (a user may have merged a field into a wider box); issues of one box share it."""
    merges = {sheet: _merges(box.parts[member]) for sheet, member in box.members.items()}
    grouped: dict[tuple[str, str], list[Issue]] = {}
    ranges: dict[tuple[str, str], str] = {}
    for issue in found:
        loc = issue.location
        if not loc.cell or loc.sheet not in merges:
            continue
        rng = next((r for r in merges[loc.sheet] if _in_range(loc.cell, r)), f"{loc.cell}:{loc.cell}")
        key = (loc.sheet, rng.split(":")[0])
        grouped.setdefault(key, []).append(issue)
        ranges[key] = rng
    result = {}
    for key, here in grouped.items():
        worst = min(here, key=lambda i: ORDER[i.severity]).severity
        result[key] = Mark(worst, "\n".join(f"【{i.severity.label}】{i.message}" for i in here), ranges[key])
    return result


_MERGE = re.compile(rb'<mergeCell ref="([A-Z]{1,3}\d{1,7}(?::[A-Z]{1,3}\d{1,7})?)"/>')
_CELL = re.compile(r"([A-Z]{1,3})(\d{1,7})")


def _merges(xml: bytes) -> list[str]:
    return [m.decode() if b":" in m else f"{m.decode()}:{m.decode()}" for m in _MERGE.findall(xml)]


def _split(address: str) -> tuple[int, int]:
    m = _CELL.fullmatch(address)
    if m is None:
        raise Unusual(address)
    return int(m.group(2)), column_index_from_string(m.group(1))


def _in_range(address: str, rng: str) -> bool:
    (r, c), (r1, c1), (r2, c2) = _split(address), *(_split(a) for a in rng.split(":"))
    return min(r1, r2) <= r <= max(r1, r2) and min(c1, c2) <= c <= max(c1, c2)


def _text(value: object) -> str:
    return escape(xml_safe(str(value)))


class _Book:
    """The checked parts of one workbook, edited as text."""

    def __init__(self, box: Container) -> None:
        self.parts = dict(box.parts)
        self.members = dict(box.members)
        self.order = list(self.parts)
        self.names_lower = {n.lower() for n in self.parts}
        self.styles = _Styles(self._part("xl/styles.xml"))
        self.types = self._part("[Content_Types].xml")
        self.book = self._part("xl/workbook.xml")
        self.book_rels = self._part("xl/_rels/workbook.xml.rels")
        if any(re.search(rf"<\w+:{tag}[\s>/]", text) for text, tag in (
                (self.book, "sheets"), (self.book, "sheet"), (self.book_rels, "Relationship"),
                (self.types, "Override"), (self.types, "Default"))):
            raise Unusual("prefixed elements")

    def _part(self, name: str) -> str:
        if name not in self.parts:
            raise Unusual(f"no {name}")
        try:
            return self.parts[name].decode("utf-8")
        except UnicodeDecodeError as exc:  # the guard let only UTF-8 through; a BOM and such
            raise Unusual(name) from exc

    def _free(self, pattern: str) -> str:
        """A part name of this form ('xl/comments{}.xml') that the workbook does not use."""
        n = 1
        while pattern.format(n).lower() in self.names_lower:
            n += 1
        name = pattern.format(n)
        self.names_lower.add(name.lower())
        return name

    def _override(self, part: str, content_type: str) -> None:
        self.types = self.types.replace("</Types>", f'<Override PartName="/{part}" ContentType="{content_type}"/>'
                                                    "</Types>", 1)

    def _default(self, extension: str, content_type: str) -> None:
        if not re.search(rf'<Default [^>]*Extension="{extension}"', self.types, re.IGNORECASE):
            self.types = self.types.replace("</Types>", f'<Default Extension="{extension}" '
                                                        f'ContentType="{content_type}"/></Types>', 1)

    # --- the list sheet ---------------------------------------------------------------------

    def add_list_sheet(self, listing: ListSheet) -> None:
        sheets = re.search(r"<sheets>(.*?)</sheets>", self.book, re.S)
        if sheets is None or "<sheets>" not in self.book or self.book.count("<sheets>") != 1:
            raise Unusual("sheets")
        if re.search(rf'<sheet [^>]*name={quoteattr(listing.name)}', sheets.group(1)):
            raise Unusual("a sheet of the list's name already exists")
        ids = [int(i) for i in re.findall(r'\bsheetId="(\d+)"', sheets.group(1))]
        part = self._free("xl/worksheets/sheet{}.xml")
        rid = self._relationship(REL_SHEET, part.removeprefix("xl/"))
        entry = (f'<sheet xmlns:r="{NS_R}" name={quoteattr(listing.name)} sheetId="{max(ids, default=0) + 1}" '
                 f'r:id="{rid}"/>')
        book = self.book[:sheets.start(1)] + entry + self.book[sheets.start(1):]
        # Sheet-local names count sheets from the first: every sheet moves one place down.
        book = re.sub(r'localSheetId="(\d+)"', lambda m: f'localSheetId="{int(m.group(1)) + 1}"', book)
        book = self._first_tab(book)
        header = LIST_HEADER_ROW
        title = (f'<definedName name="_xlnm.Print_Titles" localSheetId="0">'
                 f"{escape(quoted(listing.name))}!${header}:${header}</definedName>")
        if "<definedNames>" in book:
            book = book.replace("<definedNames>", "<definedNames>" + title, 1)
        elif "<definedNames/>" in book:
            book = book.replace("<definedNames/>", f"<definedNames>{title}</definedNames>", 1)
        else:
            at = _after(book, ("</sheets>", "</functionGroups>", "</externalReferences>"))
            book = book[:at] + f"<definedNames>{title}</definedNames>" + book[at:]
        self.book = book
        self.parts[part] = list_sheet_xml(listing, self.styles).encode("utf-8")
        self.order.insert(self.order.index("xl/workbook.xml") + 1, part)
        self._override(part, CT_SHEET)

    @staticmethod
    def _first_tab(book: str) -> str:
        view = re.search(r"<workbookView\b[^>]*?/?>", book)
        if view is None:
            return book
        tag = re.sub(r'\s(?:activeTab|firstSheet)="\d+"', "", view.group(0))
        tag = tag.replace("<workbookView", '<workbookView activeTab="0"', 1)
        return book[:view.start()] + tag + book[view.end():]

    def _relationship(self, kind: str, target: str) -> str:
        ids = set(re.findall(r'\bId="([^"]+)"', self.book_rels))
        n = 1
        while f"rIdReporter{n}" in ids:
            n += 1
        rid = f"rIdReporter{n}"
        if "</Relationships>" not in self.book_rels:
            raise Unusual("relationships")
        self.book_rels = self.book_rels.replace(
            "</Relationships>", f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/></Relationships>', 1)
        return rid

    # --- marking the cells of a sheet ------------------------------------------------------

    def mark(self, sheet: str, marks: dict[str, Mark]) -> None:
        member = self.members.get(sheet)
        if member is None:
            raise Unusual(f"no part for sheet {sheet}")
        xml = self._part(member)
        if "legacyDrawing " in xml or "<legacyDrawing" in xml or re.search(r"<\w+:(?:c|row|sheetData)[\s>/]", xml):
            raise Unusual("the sheet has comments of its own, or prefixed elements")
        cells: dict[str, Severity] = {}
        for mark in marks.values():
            (r1, c1), (r2, c2) = (_split(a) for a in mark.range.split(":"))
            for row in range(min(r1, r2), max(r1, r2) + 1):
                for column in range(min(c1, c2), max(c1, c2) + 1):
                    cells[f"{get_column_letter(column)}{row}"] = mark.severity
        xml = _restyle(xml, cells, self.styles)
        comments_part = self._free("xl/comments{}.xml")
        vml_part = self._free("xl/drawings/vmlDrawing{}.vml")
        number = int(re.search(r"(\d+)\.vml$", vml_part).group(1))  # type: ignore[union-attr]
        notes = [(cell, mark.text) for cell, mark in marks.items()]
        self.parts[comments_part] = comments_xml(notes).encode("utf-8")
        self.parts[vml_part] = vml_xml(notes, number).encode("utf-8")
        self.order += [comments_part, vml_part]
        rels_name = f"{member.rsplit('/', 1)[0]}/_rels/{member.rsplit('/', 1)[1]}.rels"
        empty = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{NS_PKG}">'
                 "</Relationships>")
        rels = self._part(rels_name) if rels_name in self.parts else empty
        if rels_name not in self.parts:
            self.order.append(rels_name)
        if "</Relationships>" not in rels:
            raise Unusual("sheet relationships")
        used = set(re.findall(r'\bId="([^"]+)"', rels))
        free = (f"rIdNote{n}" for n in range(1, len(used) + 3) if f"rIdNote{n}" not in used)
        rid_c, rid_v = next(free), next(free)
        rels = rels.replace("</Relationships>", (
            f'<Relationship Id="{rid_c}" Type="{REL_COMMENTS}" Target="{_relative(member, comments_part)}"/>'
            f'<Relationship Id="{rid_v}" Type="{REL_VML}" Target="{_relative(member, vml_part)}"/>'
            "</Relationships>"), 1)
        self.parts[rels_name] = rels.encode("utf-8")
        at = _before(xml, ("<legacyDrawingHF", "<picture", "<oleObjects", "<controls", "<webPublishItems",
                           "<tableParts", "<extLst", "</worksheet>"))
        xml = xml[:at] + f'<legacyDrawing xmlns:r="{NS_R}" r:id="{rid_v}"/>' + xml[at:]
        self.parts[member] = xml.encode("utf-8")
        self._override(comments_part, CT_COMMENTS)
        self._default("vml", CT_VML)
        self._default("rels", "application/vnd.openxmlformats-package.relationships+xml")

    def unselect_other_tabs(self) -> None:
        """Only the list sheet is selected (two selected tabs are a group: typing edits both)."""
        for member in self.members.values():
            data = self.parts[member]
            if b'tabSelected="1"' in data or b"tabSelected=\"true\"" in data:
                self.parts[member] = re.sub(rb'\stabSelected="(?:1|true)"', b"", data)

    def save(self, target: io.BufferedIOBase | str) -> None:
        self.parts["xl/styles.xml"] = self.styles.text.encode("utf-8")
        self.parts["[Content_Types].xml"] = self.types.encode("utf-8")
        self.parts["xl/workbook.xml"] = self.book.encode("utf-8")
        self.parts["xl/_rels/workbook.xml.rels"] = self.book_rels.encode("utf-8")
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            for name in dict.fromkeys(self.order):
                z.writestr(name, self.parts[name])


def _after(text: str, closers: Sequence[str]) -> int:
    found = [text.index(c) + len(c) for c in closers if c in text]
    if not found:
        raise Unusual("no place")
    return max(found)


def _before(text: str, openers: Sequence[str]) -> int:
    found = [text.index(o) for o in openers if o in text]
    if not found:
        raise Unusual("no place")
    return min(found)


def _relative(source_part: str, target_part: str) -> str:
    """A relationship target from the folder of ``source_part`` (both inside xl/)."""
    base = source_part.rsplit("/", 1)[0].split("/")
    target = target_part.split("/")
    common = 0
    while common < min(len(base), len(target) - 1) and base[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + target[common:])


def quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


# --- styles ------------------------------------------------------------------------------

class _Styles:
    """styles.xml as text: fonts, fills and cell formats appended, each index handed out once."""

    def __init__(self, text: str) -> None:
        self.text = text
        for tag in ("fonts", "fills", "cellXfs"):
            if text.count(f"<{tag}") != 1 or f"</{tag}>" not in text or re.search(rf"<\w+:{tag}[\s>]", text):
                raise Unusual(f"styles: {tag}")
        self.fonts = self._count("fonts", "font")
        self.fills = self._count("fills", "fill")
        self.xfs = self._elements("cellXfs", "xf")
        self.xf_count = len(self.xfs)
        self._fill_ids: dict[str, int] = {}
        self._clones: dict[tuple[int, str], int] = {}
        self._list_styles: dict[str, int] = {}

    def _block(self, tag: str) -> re.Match[str]:
        m = re.search(rf"<{tag}(?=[\s/>])[^>]*>(.*?)</{tag}>", self.text, re.S)
        if m is None:
            raise Unusual(f"styles: {tag}")
        return m

    def _elements(self, block: str, tag: str) -> list[str]:
        """The elements of a block, which must hold nothing else (white space aside)."""
        inner = self._block(block).group(1)
        # the tag's own name, not a longer one (<xf-a>): each false start would scan to the end
        found = re.findall(rf"<{tag}(?=[\s/>])[^>]*?/>|<{tag}(?=[\s/>])[^>]*?>.*?</{tag}>", inner, re.S)
        if _tight(inner) != _tight("".join(found)):
            raise Unusual(f"styles: {block} holds other than {tag}")
        return found

    def _count(self, block: str, tag: str) -> int:
        return len(self._elements(block, tag))

    def _append(self, block: str, element: str) -> None:
        m = self._block(block)
        self.text = self.text[:m.end(1)] + element + self.text[m.end(1):]
        opening = re.match(rf"<{block}\b[^>]*>", self.text[m.start():])
        assert opening is not None
        tag = opening.group(0)
        n = len(self._elements(block, {"fonts": "font", "fills": "fill", "cellXfs": "xf"}[block]))
        new = re.sub(r'\scount="\d+"', f' count="{n}"', tag) if "count=" in tag else tag
        self.text = self.text[:m.start()] + new + self.text[m.start() + len(tag):]

    def fill(self, rgb: str) -> int:
        if rgb not in self._fill_ids:
            self._append("fills", f'<fill><patternFill patternType="solid"><fgColor rgb="{rgb}"/>'
                                  '<bgColor indexed="64"/></patternFill></fill>')
            self._fill_ids[rgb] = self.fills
            self.fills += 1
        return self._fill_ids[rgb]

    def font(self, size: int, bold: bool) -> int:
        first = self._elements("fonts", "font")[0]
        body = re.sub(r"<b\s*/>|<sz\b[^>]*/>", "", first)
        inner = body[body.index(">") + 1:-len("</font>")] if body.endswith("</font>") else ""
        element = f'<font>{"<b/>" if bold else ""}<sz val="{size}"/>{inner}</font>'
        self._append("fonts", element)
        self.fonts += 1
        return self.fonts - 1

    def cell_format(self, font: int = 0, fill: int = 0, wrap: bool = False) -> int:
        aligned = ' applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>' if wrap else "/>"
        element = (f'<xf numFmtId="0" fontId="{font}" fillId="{fill}" borderId="0" xfId="0" applyFont="1" '
                   f'applyFill="1"{aligned}')
        self._append("cellXfs", element)
        self.xf_count += 1
        return self.xf_count - 1

    def marked(self, original: int, rgb: str) -> int:
        """A copy of cell format ``original`` with the fill of ``rgb``."""
        key = (original, rgb)
        if key not in self._clones:
            fill = self.fill(rgb)
            xfs = self._elements("cellXfs", "xf")
            if original >= len(xfs):
                raise Unusual("a cell format the styles do not have")
            clone = xfs[original]
            start = re.match(r"<xf\b[^>]*?(/?)>", clone)
            assert start is not None
            tag = re.sub(r'\s(?:fillId|applyFill)="[^"]*"', "", start.group(0))
            tag = tag.replace("<xf", f'<xf fillId="{fill}" applyFill="1"', 1)
            self._append("cellXfs", tag + clone[start.end():])
            self._clones[key] = self.xf_count
            self.xf_count += 1
        return self._clones[key]

    def for_list(self, kind: str) -> int:
        """The few formats of the list sheet, made once."""
        if kind not in self._list_styles:
            if kind == "title":
                value = self.cell_format(font=self.font(14, True))
            elif kind == "header":
                value = self.cell_format(font=self.font(11, True), fill=self.fill(HEADER_RGB), wrap=True)
            elif kind == "wrap":
                value = self.cell_format(wrap=True)
            else:
                value = self.cell_format(fill=self.fill(FILL_RGB[Severity(kind)]), wrap=True)
            self._list_styles[kind] = value
        return self._list_styles[kind]


def _tight(xml: str) -> str:
    return re.sub(r">\s+<", "><", xml.strip())


# --- cells of a sheet -------------------------------------------------------------------

_ROW = re.compile(r'<row r="(\d+)"[^>]*?(/?)>')
_CELL_TAG = re.compile(r'<c r="([A-Z]{1,3})(\d{1,7})"([^>]*?)(/?)>')


def _restyle(xml: str, cells: dict[str, Severity], styles: _Styles) -> str:
    """Each of ``cells`` given a copy of its own format with its severity's fill; cells that
    the sheet does not hold yet are added in their places (rows, then columns, in order)."""
    start, end = xml.find("<sheetData"), xml.find("</sheetData>")
    if start < 0:
        raise Unusual("no sheetData")
    if end < 0:  # <sheetData/>: no cells at all
        close = xml.index(">", start)
        xml = xml[:start] + "<sheetData></sheetData>" + xml[close + 1:]
        end = xml.find("</sheetData>")
    by_row: dict[int, dict[int, Severity]] = {}
    for address, severity in cells.items():
        row, column = _split(address)
        by_row.setdefault(row, {})[column] = severity
    body_start = xml.index(">", start) + 1
    out: list[str] = [xml[:body_start]]
    pos = body_start
    pending = sorted(by_row)
    for m in _ROW.finditer(xml, body_start, end):
        number = int(m.group(1))
        while pending and pending[0] < number:  # rows the sheet does not have, before this one
            out.append(xml[pos:m.start()])
            pos = m.start()
            out.append(_new_row(pending.pop(0), by_row, styles))
        if pending and pending[0] == number:
            pending.pop(0)
            row_end = m.end() if m.group(2) else xml.index("</row>", m.end()) + len("</row>")
            out.append(xml[pos:m.start()])
            out.append(_edit_row(xml[m.start():row_end], number, by_row[number], styles))
            pos = row_end
    out.append(xml[pos:end])
    for row in pending:
        out.append(_new_row(row, by_row, styles))
    out.append(xml[end:])
    return "".join(out)


def _style_of(attrs: str) -> int:
    m = re.search(r'\ss="(\d+)"', attrs)
    return int(m.group(1)) if m else 0


def _edit_row(row_xml: str, number: int, columns: dict[int, Severity], styles: _Styles) -> str:
    if row_xml.endswith("/>"):
        open_tag = row_xml[:-2] + ">"
        return open_tag + "".join(_new_cell(c, number, columns[c], 0, styles) for c in sorted(columns)) + "</row>"
    head_end = row_xml.index(">") + 1
    out = [row_xml[:head_end]]
    pos = head_end
    pending = sorted(columns)
    for m in _CELL_TAG.finditer(row_xml, head_end):
        if int(m.group(2)) != number:
            raise Unusual("a cell outside its row")
        column = _split(f"{m.group(1)}{m.group(2)}")[1]
        while pending and pending[0] < column:
            out.append(row_xml[pos:m.start()])
            pos = m.start()
            c = pending.pop(0)
            out.append(_new_cell(c, number, columns[c], 0, styles))
        if pending and pending[0] == column:
            pending.pop(0)
            attrs = re.sub(r'\ss="\d+"', "", m.group(3))
            style = styles.marked(_style_of(m.group(3)), FILL_RGB[columns[column]])
            out.append(row_xml[pos:m.start()])
            out.append(f'<c r="{m.group(1)}{m.group(2)}" s="{style}"{attrs}{m.group(4)}>')
            pos = m.end()
    closing = row_xml.rindex("</row>")
    out.append(row_xml[pos:closing])
    out += [_new_cell(c, number, columns[c], 0, styles) for c in pending]
    out.append(row_xml[closing:])
    return "".join(out)


def _new_cell(column: int, row: int, severity: Severity, original: int, styles: _Styles) -> str:
    return f'<c r="{get_column_letter(column)}{row}" s="{styles.marked(original, FILL_RGB[severity])}"/>'


def _new_row(number: int, by_row: dict[int, dict[int, Severity]], styles: _Styles) -> str:
    columns = by_row[number]
    return f'<row r="{number}">' + "".join(_new_cell(c, number, columns[c], 0, styles) for c in sorted(columns)) \
        + "</row>"


# --- parts written new ---------------------------------------------------------------------

def list_sheet_xml(listing: ListSheet, styles: _Styles) -> str:
    header = LIST_HEADER_ROW
    title, wrap, head = styles.for_list("title"), styles.for_list("wrap"), styles.for_list("header")
    rows: list[str] = []

    def text_cell(ref: str, value: object, style: int | None = None) -> str:
        s = f' s="{style}"' if style is not None else ""
        return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{_text(value)}</t></is></c>'

    rows.append(f'<row r="1" ht="24" customHeight="1">{text_cell("A1", listing.title, title)}</row>')
    rows.append(f'<row r="2">{text_cell("A2", listing.header_line)}</row>')
    rows.append(f'<row r="3">{text_cell("A3", listing.counts_line)}</row>')
    rows.append(f'<row r="4">{text_cell("A4", listing.guide_line)}</row>')
    cells = "".join(text_cell(f"{get_column_letter(c + 1)}{header}", t, head) for c, t in enumerate(listing.headers))
    height = row_height(zip(listing.headers, listing.widths, strict=True))
    rows.append(f'<row r="{header}" ht="{height}" customHeight="1">{cells}</row>')
    for n, (values, severity) in enumerate(zip(listing.rows, listing.severities, strict=True), start=1):
        r = header + n
        height = row_height((v, w) for v, w in zip(values, listing.widths, strict=True) if not is_number(v))
        cells = ""
        for c, value in enumerate(values):
            ref = f"{get_column_letter(c + 1)}{r}"
            style = styles.for_list(severity.value) if c == listing.severity_column else wrap
            if isinstance(value, int):
                cells += f'<c r="{ref}" s="{style}"><v>{value}</v></c>'
            else:
                cells += text_cell(ref, value, style)
        rows.append(f'<row r="{r}" ht="{height}" customHeight="1">{cells}</row>')
    cols = "".join(f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>'
                   for c, w in enumerate(listing.widths, start=1))
    last = header + len(listing.rows)
    top = f"A{header + 1}"
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_R}">'
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            f'<dimension ref="A1:{get_column_letter(len(listing.headers))}{last}"/>'
            f'<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
            f'<pane ySplit="{header}" topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>'
            f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/></sheetView></sheetViews>'
            '<sheetFormatPr defaultRowHeight="15"/>'
            f"<cols>{cols}</cols><sheetData>{''.join(rows)}</sheetData>"
            '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
            '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
            "</worksheet>")


def comments_xml(notes: Sequence[tuple[str, str]]) -> str:
    body = "".join(f'<comment ref="{cell}" authorId="0"><text><t xml:space="preserve">{_text(text)}</t></text>'
                   "</comment>" for cell, text in notes)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="{NS_MAIN}">'
            f"<authors><author>reporter</author></authors><commentList>{body}</commentList></comments>")


def vml_xml(notes: Sequence[tuple[str, str]], number: int) -> str:
    """The drawing of a sheet's comments (legacy VML, as Excel and openpyxl write it); the
    shapes of the n-th drawing are numbered from 1024 n, as Excel numbers them."""
    shapes = []
    for i, (cell, text) in enumerate(notes, start=1):
        row, column = _split(cell)
        height = 40 + 18 * (len(text) // 22 + text.count("\n") + 1)
        shapes.append(
            f'<v:shape id="_x0000_s{1024 * number + i}" type="#_x0000_t202" style="position:absolute;'
            f'margin-left:59.25pt;margin-top:1.5pt;width:320px;height:{height}px;z-index:{i};visibility:hidden" '
            'fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/>'
            '<v:shadow color="black" obscured="t"/><v:path o:connecttype="none"/>'
            '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>'
            '<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:AutoFill>False</x:AutoFill>'
            f"<x:Row>{row - 1}</x:Row><x:Column>{column - 1}</x:Column></x:ClientData></v:shape>")
    return ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:x="urn:schemas-microsoft-com:office:excel">'
            f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{number}"/></o:shapelayout>'
            '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
            '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
            + "".join(shapes) + "</xml>")

