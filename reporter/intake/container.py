"""What a file really is, and whether it is safe to parse, decided from its bytes.

Before any parser sees a file: its signature (zip, OLE2, other), for a zip the member count,
declared and total uncompressed sizes, compression ratios and methods; then every member is
decompressed (within its declared size, its checksum checked) and every XML part is required to
be UTF-8 without a DTD, whatever reads it later (calamine for the checks, openpyxl for the
feedback copy, calamine again for the master). The shared strings may not declare more strings
than they can hold nor expand past a budget in the sheets read; every worksheet's used range,
merged and hyperlinked ranges and cell count are bounded. The formula cells of the sheets to be
read are found by a linear scan. A hostile or broken file is refused here, so that it cannot
exhaust memory or time later.
"""

from __future__ import annotations

import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property, lru_cache
from pathlib import Path
from typing import NamedTuple

from reporter.core.layout import Geometry
from reporter.intake import safexml

NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
Entry = tuple[str, str | None, str]  # a defined name: (name, localSheetId or None, the reference text)

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"


class Kind(StrEnum):
    XLSX = "xlsx"
    ODS = "ods"
    XLS = "xls"
    ENCRYPTED = "encrypted"  # OOXML with a password: an OLE2 box holding EncryptionInfo
    OTHER_ZIP = "other-zip"  # docx, pptx, an archive …
    NOT_WORKBOOK = "not-workbook"
    EMPTY = "empty"
    DAMAGED = "damaged"  # starts like a workbook but its zip structure is broken


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 50 * 1024 * 1024
    max_members: int = 1000
    max_member_bytes: int = 100 * 1024 * 1024
    max_total_bytes: int = 200 * 1024 * 1024
    max_ratio: int = 200  # uncompressed / compressed, for members above 1 MB
    max_rows: int = 10_000
    max_columns: int = 200
    max_cells: int = 200_000  # cell elements in the whole workbook (openpyxl makes an object of each)
    max_ranged_cells: int = 100_000  # cells covered by merged and hyperlinked ranges, per workbook
    max_shared_strings_bytes: int = 20 * 1024 * 1024
    max_expanded_bytes: int = 256 * 1024 * 1024  # shared strings as copied into the cells read


class ReasonedError(Exception):
    """A file that cannot be used; ``reason`` says why in plain Japanese for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnsafeError(ReasonedError):
    """The container breaks a safety limit."""


@dataclass(frozen=True)
class SheetScan:
    # A1 -> True: a cached value; False: none; None: one the workbook says is stale
    formulas: dict[str, bool | None] = field(default_factory=dict)
    xml: bytes = field(default=b"", repr=False)  # kept while the file is checked, for geometry

    @cached_property
    def geometry(self) -> Geometry:
        """Parsed only when a text needs its box measured."""
        return _geometry(self.xml)


class DefinedName(NamedTuple):
    name: str
    sheet: str  # the sheet the name points into
    address: str  # A1 address of the top-left cell
    scope: str | None  # sheet the name is local to; None = workbook-wide


# sheet -> {defined name: A1 address} for the names local to a sheet that point into it: where
# a form's fields are.
LocalNames = dict[str, dict[str, str]]


@dataclass(frozen=True)
class Names:
    """A workbook's defined names as written, and those local to a sheet pointing into it."""

    entries: list[Entry]
    sheets: list[str]
    local: LocalNames

    @cached_property
    def all(self) -> tuple[DefinedName, ...]:
        """Every name that points at a cell or a range, resolved (the checks need only ``local``)."""
        return tuple(_resolved(self.entries, self.sheets))


@dataclass(frozen=True)
class Container:
    kind: Kind
    sheets: dict[str, SheetScan] = field(default_factory=dict)  # scanned sheets by name (xlsx only)
    defined: Names = field(default_factory=lambda: Names([], [], {}))
    sheet_names: tuple[str, ...] = ()
    full_calc_on_load: bool = False  # the workbook asks to be recalculated: cached values are stale
    # Every part as checked, in the zip's order, and each sheet's part: what an editor of the
    # workbook (the feedback copy) works on, so that it edits only what was checked.
    parts: dict[str, bytes] = field(default_factory=dict, repr=False)
    members: dict[str, str] = field(default_factory=dict)

    @property
    def names(self) -> tuple[DefinedName, ...]:
        return self.defined.all


def _signature(data: bytes) -> Kind:
    """The kind told by the first bytes; XLSX here only means 'a zip, look inside'."""
    if not data:
        return Kind.EMPTY
    if data.startswith(OLE2):
        # The directory entry names are UTF-16LE; a password-protected .xlsx has "EncryptionInfo".
        return Kind.ENCRYPTED if "EncryptionInfo".encode("utf-16-le") in data[:4 * 1024 * 1024] else Kind.XLS
    return Kind.XLSX if data.startswith(ZIP) else Kind.NOT_WORKBOOK


def _zip_kind(z: zipfile.ZipFile) -> Kind:
    names = set(z.namelist())
    if "mimetype" in names:
        try:
            with z.open("mimetype") as f:
                head = f.read(100)  # a mimetype member is a few bytes; a larger one is not read whole
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError):
            return Kind.DAMAGED
        if b"opendocument.spreadsheet" in head:
            return Kind.ODS
    return Kind.XLSX if "xl/workbook.xml" in names else Kind.OTHER_ZIP


Selector = Callable[[LocalNames], set[str]]


def read_bounded_file(path: Path, limits: Limits) -> bytes:
    """The file's bytes, refused above the size limit before they are read."""
    with path.open("rb") as f:
        data = f.read(limits.max_file_bytes + 1)
    if len(data) > limits.max_file_bytes:
        raise UnsafeError(f"ファイルが大きすぎます（{limits.max_file_bytes // 1024 // 1024} MB を超えています）")
    return data


def inspect(source: Path | bytes, limits: Limits | None = None, select: Selector | None = None) -> Container:
    """Sniff the file and, for an xlsx, check the container and every part in it, read its
    defined names, bound every worksheet and scan the formula cells of the worksheets that will
    be read (``select(local names)``; default: every worksheet).

    Given bytes, those are what is checked: a reader handed the same bytes afterwards reads
    exactly what was checked (a file on disk could change in between)."""
    limits = limits or Limits()
    data = source if isinstance(source, bytes) else read_bounded_file(source, limits)
    kind = _signature(data)
    if kind is not Kind.XLSX:
        return Container(kind)
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        return Container(Kind.DAMAGED)
    with z:
        _check_members(z.infolist(), limits)
        kind = _zip_kind(z)
        if kind is not Kind.XLSX:
            return Container(kind)
        if foreign := [n for n in z.namelist() if _normal(n) in _FOREIGN_PARTS]:
            # another format's part: a reader that refuses the xlsx could take the file for that
            raise UnsafeError(f"Excel ブックにはない部品 {foreign[0]} があります")
        parts = _parts(z, limits)
    members, names, full_calc = _workbook(parts)
    chosen = set(members) if select is None else select(names.local)
    sheets = _scan_sheets(parts, members, chosen, limits, full_calc)
    _check_shared_strings(parts, {n: parts[members[n]] for n in sheets}, limits)
    return Container(kind, sheets, names, tuple(members), full_calc, parts, members)


def _check_members(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(members) > limits.max_members:
        raise UnsafeError(f"ブックの部品が多すぎます（{len(members)} 個）")
    total = 0
    seen: set[str] = set()
    for m in members:
        if m.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UnsafeError(f"対応していない圧縮方式です（{m.filename}）")
        if m.file_size > limits.max_member_bytes:
            raise UnsafeError(f"部品 {m.filename} が大きすぎます（展開後 {m.file_size // 1024 // 1024} MB）")
        if m.file_size > 1024 * 1024 and m.file_size > limits.max_ratio * max(m.compress_size, 1):
            raise UnsafeError(f"部品 {m.filename} の圧縮率が異常です（圧縮爆弾の疑い）")
        name = _normal(m.filename)
        if name in seen:  # readers would disagree on which of them is meant
            raise UnsafeError(f"同じ名前の部品 {m.filename} が複数あります")
        seen.add(name)
        total += m.file_size
    if total > limits.max_total_bytes:
        raise UnsafeError(f"展開後の合計サイズが大きすぎます（{total // 1024 // 1024} MB）")


# Parts of OpenDocument and of the binary Excel format: calamine tries those readers on a file
# its xlsx reader refuses.
_FOREIGN_PARTS = {"content.xml", "xl/workbook.bin"}


def _normal(name: str) -> str:
    """A member name as the zip readers of the parsers match it: case and slashes aside."""
    return name.replace("\\", "/").lstrip("/").lower()


def _parts(z: zipfile.ZipFile, limits: Limits) -> dict[str, bytes]:
    """Every member's bytes (within its declared size, checksum checked); every XML part is
    UTF-8 and holds no DTD, whichever library will read it."""
    parts = {}
    for info in z.infolist():
        if info.is_dir():
            continue
        data = _read_bounded(z, info, limits.max_member_bytes)
        _check_xml(info.filename, data)
        parts[info.filename] = data
    return parts


_UTF16_32 = (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<", b"\x00\x00\xfe\xff", b"\x00\x00\x00<")


def _check_xml(name: str, data: bytes) -> None:
    """A part that an XML parser would read must be UTF-8 and hold no DTD: entity declarations
    live only inside one, and a DTD in UTF-8 always shows as these bytes."""
    head = data[:64].removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    if head.startswith(b"<"):
        if not safexml.utf8(data):
            raise UnsafeError(f"部品 {name} の文字コードが UTF-8 ではありません")
        if b"<!DOCTYPE" in data:
            raise UnsafeError(f"部品 {name} に DTD（実体宣言など）があります")
    elif data.startswith(_UTF16_32):
        raise UnsafeError(f"部品 {name} の文字コードが UTF-8 ではありません")


# uniqueCount as calamine reads it (leading zeros, either quote), and as a superset of it.
_UNIQUE_COUNT = re.compile(rb"""uniqueCount\s*=\s*["']\s*\+?0*(\d+)""")
_STRING_CELL = re.compile(rb"""(?<![\w:-])t\s*=\s*["']s["']""")
_SHARED_STRINGS = "xl/sharedstrings.xml"


def _check_shared_strings(parts: dict[str, bytes], read: dict[str, bytes], limits: Limits) -> None:
    """The shared strings cannot declare more strings than their bytes hold (calamine reserves
    room for every declared one at once), and copied into the string cells of the sheets read
    they stay within a budget (calamine copies a string into every cell that uses it)."""
    for name, data in parts.items():
        if _normal(name) != _SHARED_STRINGS:
            continue
        if len(data) > limits.max_shared_strings_bytes:
            raise UnsafeError(f"共有文字列（{name}）が大きすぎます")
        for m in _UNIQUE_COUNT.finditer(data):
            if int(m.group(1)) > len(data) // 5 + 1:  # a string takes five bytes at least: <si/>
                raise UnsafeError(f"共有文字列（{name}）の件数の宣言（{int(m.group(1)):,} 件）が中身と合いません")
        cells = sum(len(_STRING_CELL.findall(xml)) for xml in read.values())
        if cells * len(data) > limits.max_expanded_bytes and \
                _expanded(data, read.values()) > limits.max_expanded_bytes:
            raise UnsafeError("共有文字列を使うセルが多すぎます（展開すると大きすぎます）")


def _expanded(strings: bytes, sheets: Iterable[bytes]) -> int:
    """The bytes the string cells of ``sheets`` take once each is given a copy of its shared
    string (the exact count, asked for only when the quick bound is passed)."""
    lengths: list[int] = []

    def string_start(tag: str, attrs: dict[str, str]) -> None:
        if tag.rsplit(":", 1)[-1] == "si":
            lengths.append(0)

    def string_text(text: str) -> None:
        if lengths:
            lengths[-1] += len(text.encode())

    _parse(strings, string_start, string_text)
    total = 0
    for data in sheets:
        cells = _StringCells()
        _parse(data, cells.start, cells.text, cells.end)
        total += sum(24 + (lengths[i] if i < len(lengths) else 0) for i in cells.indices)
    return total


class _StringCells:
    """The shared-string indices of a sheet's string cells, as an XML parser reports them."""

    def __init__(self) -> None:
        self.indices: list[int] = []
        self.string = False
        self.value: str | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = tag.rsplit(":", 1)[-1]
        if local == "c":
            self.string, self.value = attrs.get("t", "").strip() == "s", None
        elif local == "v" and self.string:
            self.value = ""

    def text(self, text: str) -> None:
        if self.value is not None:
            self.value += text

    def end(self, tag: str) -> None:
        if tag.rsplit(":", 1)[-1] == "c":
            if self.value is not None and self.value.strip().isdigit():
                self.indices.append(int(self.value.strip()))
            self.string, self.value = False, None


def _parse(data: bytes, start: Callable[[str, dict[str, str]], None], text: Callable[[str], None],
           end: Callable[[str], None] | None = None) -> None:
    parser = safexml.guarded_parser()
    parser.StartElementHandler = start
    parser.CharacterDataHandler = text
    if end is not None:
        parser.EndElementHandler = end
    try:
        safexml.feed(parser, data)
    except safexml.ParseError as exc:
        raise UnsafeError("共有文字列またはシートの構造が壊れています") from exc


def _scan_sheets(parts: dict[str, bytes], members: dict[str, str], chosen: set[str],
                 limits: Limits, stale: bool) -> dict[str, SheetScan]:
    """Bound every worksheet (each one is read by the feedback copy); scan the chosen ones."""
    result = {}
    ranged = 0
    # A cell element takes four bytes at least: workbooks as small as forms need no count.
    counted = sum(len(parts[m]) for m in members.values()) // 4 > limits.max_cells
    cells = 0
    for name, member in members.items():
        data = parts[member]
        cells += _check_range(name, data, limits, counted)
        ranged += _ranged_cells(name, data, limits)
        if cells > limits.max_cells:
            raise UnsafeError(f"ブックのセルが多すぎます（{cells:,} 個以上）")
        if ranged > limits.max_ranged_cells:
            raise UnsafeError(f"シート「{name}」までの結合・リンクの範囲が広すぎます（{ranged:,} セル）")
        if name in chosen:
            formulas: dict[str, bool | None] = dict(_formulas(data))
            if stale:  # cached values of a workbook to be recalculated on opening are not results
                formulas = {a: None if cached else False for a, cached in formulas.items()}
            result[name] = SheetScan(formulas, data)
    sheet_parts = set(members.values())
    for member, data in parts.items():  # comments: openpyxl makes a cell for each one their range covers
        if member not in sheet_parts and b"comment" in data:
            ranged += _comment_cells(member, data, limits)
            if ranged > limits.max_ranged_cells:
                raise UnsafeError(f"部品 {member} のコメントの範囲が広すぎます（{ranged:,} セル）")
    return result


_CACHED_RE = re.compile(rb"<v>[^<]+</v>|<is>")
_CELL_START = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"[^>]*?(/?)>')


def _formulas(data: bytes) -> dict[str, bool]:
    """A1 -> has a cached value, for every cell holding a formula.

    A form has a few formulas among hundreds of cells: each formula element is found
    (bytes.find, far quicker than a pattern over the whole sheet), then the cell that holds it
    and the end of that cell. Every byte is looked at a bounded number of times, however the
    elements nest: what lies before ``done`` is never searched again, and the next end of a
    cell is found once for all the formula elements before it."""
    found: dict[str, bool] = {}
    # Cells are inside the first sheetData element (the reader stops at its end; what follows
    # holds data validations' <formula1> and such).
    start = max(data.find(b"sheetData"), 0)
    end = data.find(b"sheetData", start + 9)
    end = len(data) if end < 0 else end
    done = start
    close = -1  # the next "</c>" at or after the current position; len(data) when none is left
    at = data.find(b"<f", start, end)
    while at >= 0:
        if data[at + 2:at + 3] in _AFTER_F and (opened := data.rfind(b"<c ", done, at)) >= 0:
            cell = _CELL_START.match(data, opened)
            if close < at:
                close = data.find(b"</c>", at, end)
                close = len(data) if close < 0 else close
            if cell is not None and not cell.group(3) and cell.end() <= at and close < end:
                cached = _CACHED_RE.search(data, cell.end(), close) is not None
                found[f"{cell.group(1).decode()}{cell.group(2).decode()}"] = cached
                done = close + 4
                at = data.find(b"<f", done, end)
                continue
        done = max(done, at + 2)
        at = data.find(b"<f", at + 2, end)
    return found


_AFTER_F = (b" ", b">", b"/")  # "<f>", "<f t=…>", "<f/>"; not "<font" nor "</f>"


def _check_range(name: str, data: bytes, limits: Limits, count: bool = True) -> int:
    """Refuse a sheet with a cell beyond the limits: a parser would allocate the whole range.
    Returns the number of cell elements (0 unless ``count``, when the workbook is too small to
    hold too many).

    Excel, LibreOffice and openpyxl write every row and cell with its reference first
    (``<row r="12"``, ``<c r="C12"``). One search over the sheetData element confirms that
    this sheet is written so and that no reference could pass a limit; anything else (no
    reference, another spelling, a second reference, a namespace prefix, a comment) has the
    sheet read element by element, as the workbook reader places cells, and every cell measured.
    """
    # At most this many cell elements (a prefixed one is not counted here, but measured below).
    cells = _cell_elements(data) if count else 0
    if cells > limits.max_cells:
        raise UnsafeError(f"シート「{name}」のセルが多すぎます（{cells:,} 個）")
    if _ordinary_and_inside(data, limits):
        return cells
    return _measured(name, data, limits)


def _cell_elements(data: bytes) -> int:
    return data.count(b"<c ") + data.count(b"<c>") + data.count(b"<c/>")


def _inside(name: str, row: int, column: int, limits: Limits, what: str = "セル") -> None:
    if row > limits.max_rows:
        raise UnsafeError(f"シート「{name}」に {row:,} 行目の{what}があり、使用範囲が大きすぎます")
    if column > limits.max_columns:
        raise UnsafeError(f"シート「{name}」に {_column_letters(column)} 列の{what}があり、使用範囲が大きすぎます")


# Merged and hyperlinked ranges, however the element and attribute are spelled (a superset:
# openpyxl makes a cell object for every cell such a range covers).
_RANGED = re.compile(rb"""<(?:[\w.-]+:)?(?:mergeCell|hyperlink)\s[^>]*?ref\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_RANGE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?")


def _ranged_cells(name: str, data: bytes, limits: Limits) -> int:
    """The cells that merged and hyperlinked ranges cover; a range reaching beyond the limits,
    or written so that it cannot be measured, is refused.

    Written as Excel, LibreOffice and openpyxl write them (``<mergeCell ref="C11:L11"/>``), the
    ranges are read by one pattern, once it is sure that every mention of the elements is one
    of those; any other spelling is read by the general pattern."""
    # Each element's name is looked for once through the whole sheet; from its first mention on
    # (merged ranges follow the cells, at the end of a sheet) the rest is read.
    merges, links = data.find(b"mergeCell"), data.find(b"hyperlink")
    if merges < 0 and links < 0:
        return 0
    start = min(p for p in (merges, links) if p >= 0) - 1
    plain = _PLAIN_MERGE.findall(data, start) if merges >= 0 else []
    mentions = ((data.count(b"mergeCell", merges) - data.count(b"mergeCells", merges) if merges >= 0 else 0)
                + (data.count(b"hyperlink", links) - data.count(b"hyperlinks", links) if links >= 0 else 0))
    if len(plain) == mentions:
        refs = plain
    else:
        refs = []
        for m in _RANGED.finditer(data):
            ref = (m.group(1) if m.group(1) is not None else m.group(2)).decode("utf-8", "replace")
            if not (r := _RANGE.fullmatch(ref)):
                raise UnsafeError(f"シート「{name}」の結合・リンクの範囲「{ref[:40]}」を読み取れません")
            first, last = r.group(1).upper().encode(), (r.group(3) or r.group(1)).upper().encode()
            refs.append((first, r.group(2).encode(), last, (r.group(4) or r.group(2)).encode()))
    covered = 0
    for ref in refs:
        area, row, column = _range_area(*ref)
        if row > limits.max_rows or column > limits.max_columns:
            _inside(name, row, column, limits, "結合・リンクの範囲")
        covered += area
    return covered


_COMMENT = re.compile(rb"""<(?:[\w.-]+:)?comment\s[^>]*?ref\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _comment_cells(member: str, data: bytes, limits: Limits) -> int:
    """The cells the comments of a comments part are anchored to (a comment's ref may be a range)."""
    covered = 0
    for m in _COMMENT.finditer(data):
        ref = (m.group(1) if m.group(1) is not None else m.group(2)).decode("utf-8", "replace")
        if not (r := _RANGE.fullmatch(ref)):
            raise UnsafeError(f"部品 {member} のコメントの位置「{ref[:40]}」を読み取れません")
        first, last = r.group(1).upper().encode(), (r.group(3) or r.group(1)).upper().encode()
        area, row, column = _range_area(first, r.group(2).encode(), last, (r.group(4) or r.group(2)).encode())
        if row > limits.max_rows or column > limits.max_columns:
            raise UnsafeError(f"部品 {member} のコメントの位置「{ref[:40]}」が使用範囲を超えています")
        covered += area
    return covered


@lru_cache(maxsize=4096)
def _range_area(first_col: bytes, first_row: bytes, last_col: bytes, last_row: bytes) -> tuple[int, int, int]:
    """(cells covered, last row, last column) of a range; the forms of a year share theirs."""
    c1, c2, r1, r2 = _column_number(first_col), _column_number(last_col), int(first_row), int(last_row)
    return (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1), max(r1, r2), max(c1, c2)


# A merged range as every common writer spells it: the element, one attribute, no prefix.
_PLAIN_MERGE = re.compile(rb'<mergeCell ref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"/>')



def _ordinary_and_inside(data: bytes, limits: Limits) -> bool:
    """True when every row and cell of the sheetData element is written the ordinary way, with
    one reference surely inside the limits. The workbook reader stops at the first end of
    sheetData; what follows it is never read as cells."""
    start = data.find(b"<sheetData")
    if start < 0:
        return b"sheetData" not in data  # no cells at all; a prefixed element is measured
    end = data.find(b"sheetData", start + 10)
    if end < 0:
        return data[start:start + 12] == b"<sheetData/>" and b"sheetData" not in data[start + 12:]
    if data[end - 2:end] != b"</" or data.find(b"<!", 0, start) >= 0 or data.find(b"<?", 2, start) >= 0:
        return False
    return (_unusual(limits.max_rows, limits.max_columns).search(data, start, end) is None
            and _PREFIXED.search(data, start, end) is None)


_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")


def prepare(limits: Limits) -> None:
    """Compile the used-range guard for these limits now (before worker processes are forked)."""
    _unusual(limits.max_rows, limits.max_columns)


@lru_cache(maxsize=8)
def _unusual(max_rows: int, max_columns: int) -> re.Pattern[bytes]:
    """A comment, CDATA or processing instruction (which could hide a tag), or a row or cell
    start tag not written exactly as Excel, LibreOffice and openpyxl write them: the reference
    first, in double quotes, surely inside the limits, and no second reference after it."""
    digits = max(len(str(max_rows + 1)) - 1, 1)  # row numbers with this many digits are inside
    wide = max_columns // 26 - 1  # two-letter columns with a first letter up to this are inside
    if max_columns < 26:
        last = _column_letters(max_columns).encode()
        columns = b"[A-%sa-%s]" % (last, last.lower())
    elif wide < 1:
        columns = b"[A-Za-z]"
    else:
        first = _column_letters(min(wide, 26)).encode()
        columns = b"(?:[A-%sa-%s][A-Za-z]|[A-Za-z])" % (first, first.lower())
    # Possessive quantifiers: a tag that does not fit is given up at once, without backtracking.
    cell = rb'r="%s\d{1,%d}"(?: s="\d++")?+(?: t="[a-zA-Z]++")?+(?: (?:cm|vm|ph)="\d++")*+/?>' % (columns, digits)
    row = rb'r="\d{1,%d}"(?: (?!r\b)[\w:]++="[^"<>]*+")*+/?>' % digits
    return re.compile(rb"<(?:[!?]|c(?! %s)[\s/>]|row(?! %s)[\s/>])" % (cell, row))


def _measured(name: str, data: bytes, limits: Limits) -> int:
    """The number of cells, each placed as the workbook reader places it (by its reference when
    it has one, letters in either case; else next to the previous cell, in the row given by its
    row element or the one after the previous row) and refused at once beyond the limits."""
    row, column, count = 0, 0, 0

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal row, column, count
        local = tag.rsplit(":", 1)[-1]
        if local == "row":  # a row without cells allocates nothing; it places the cells after it
            r = attrs.get("r", "").strip()
            row = int(r) if r.isdigit() and len(r) < 12 else row + 1 if not r else limits.max_rows + 1
            column = 0
        elif local == "c":
            m = _REF_ANY.fullmatch(attrs.get("r", ""))
            if m and len(m.group(1)) < 8 and len(m.group(2)) < 12:
                column, row = _column_number(m.group(1).upper().encode()), int(m.group(2))
            elif m:
                column, row = limits.max_columns + 1, limits.max_rows + 1
            else:
                column += 1
            _inside(name, row, column, limits)
            count += 1
            if count > limits.max_cells:
                raise UnsafeError(f"シート「{name}」のセルが多すぎます（{count:,} 個以上）")

    parser = safexml.guarded_parser()
    parser.StartElementHandler = start
    try:
        safexml.feed(parser, data)
    except safexml.ParseError as exc:
        raise UnsafeError(f"シート「{name}」の構造が壊れています") from exc
    return count


_REF_ANY = re.compile(r"\s*([A-Za-z]+)(\d+)\s*")


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_ROW_HT_RE = re.compile(rb'<row r="(\d+)"[^>]*?\sht="([\d.]+)"')
_COL_RE = re.compile(rb"<col [^>]*>")
_MERGE_RE = re.compile(rb'<mergeCell ref="([A-Z]+\d+:[A-Z]+\d+)"')
_DEFAULTS_RE = re.compile(rb"<sheetFormatPr[^>]*>")


def _geometry(data: bytes) -> Geometry:
    """Row heights, column widths, merged ranges and defaults."""
    heights = {int(r): float(h) for r, h in _ROW_HT_RE.findall(data)}
    widths: dict[int, float] = {}
    for tag in _COL_RE.findall(data[:200_000]):
        attrs = dict(re.findall(rb'(\w+)="([^"]*)"', tag))
        try:
            lo, hi, width = int(attrs[b"min"]), int(attrs[b"max"]), float(attrs[b"width"])
        except (KeyError, ValueError):
            continue
        for c in range(lo, min(hi, 1000) + 1):
            widths[c] = width
    merges = tuple(m.decode() for m in _MERGE_RE.findall(data))
    row_h, col_w = 15.0, 8.43
    if m := _DEFAULTS_RE.search(data[:200_000]):
        tag = m.group(0)
        if h := re.search(rb'defaultRowHeight="([\d.]+)"', tag):
            row_h = float(h.group(1))
        if w := re.search(rb'defaultColWidth="([\d.]+)"', tag):
            col_w = float(w.group(1))
    return Geometry(heights, widths, {m.split(":")[0]: m for m in merges}, row_h, col_w)


# workbook.xml and its relationships are read whole (and parsed into a tree when not written the
# plain way): a form's are tens of kilobytes, a workbook with thousands of names a few hundred.
MAX_PART_BYTES = 8 * 1024 * 1024


def _read_bounded(z: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """A member's bytes; zipfile never gives more than the declared size (and checks the CRC)."""
    try:
        with z.open(info) as f:
            data = f.read(min(info.file_size, limit) + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise UnsafeError(f"部品 {info.filename} を展開できません") from exc
    if len(data) > limit:
        raise UnsafeError(f"部品 {info.filename} が大きすぎます")
    return data


# The cell part of a name's reference: $C$11, C11, or a range (its top-left cell is taken).
_CELL_REF_RE = re.compile(r"\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?[A-Z]{1,3}\$?\d{1,7})?")


@lru_cache(maxsize=8192)
def _cell_ref(ref: str) -> str | None:
    """'$C$11' -> 'C11'; None when the reference is not a cell or a range (#REF!, a formula)."""
    m = _CELL_REF_RE.fullmatch(ref.strip())
    return m.group(1) + m.group(2) if m else None


def _sheet_ref(part: str) -> str | None:
    """"'Sheet name'" or "Sheet" -> the sheet name; None for anything else (several areas,
    a formula: "S!$A$1:$B$2,S" is not a sheet)."""
    part = part.strip()
    if len(part) >= 2 and part[0] == part[-1] == "'":
        inner = part[1:-1]
        return inner.replace("''", "'") if "'" not in inner.replace("''", "") else None
    return part if part and not any(c in part for c in "'!,()") else None


def _sheets_and_names(book: ET.Element) -> tuple[list[tuple[str, str]], list[Entry]]:
    """The sheets in order (name, relationship id) and every defined name of workbook.xml."""
    sheets = [(e.get("name", ""), e.get(f"{NS_REL}id", "")) for e in book.iter(f"{NS_MAIN}sheet")]
    entries = [(e.get("name", ""), e.get("localSheetId"), e.text or "") for e in book.iter(f"{NS_MAIN}definedName")]
    return sheets, entries


_FULL_CALC = re.compile(rb"""<(?:[\w.-]+:)?calcPr\s[^>]*?fullCalcOnLoad\s*=\s*["'](?:1|true)["']""")


def _workbook(parts: dict[str, bytes]) -> tuple[dict[str, str], Names, bool]:
    """(sheet name -> zip member of its XML, defined names, whether the workbook asks to be
    recalculated on opening), from workbook.xml and its relationships."""
    try:
        book = parts["xl/workbook.xml"]
        if len(book) > MAX_PART_BYTES:
            raise UnsafeError("ブックの構造（xl/workbook.xml）が大きすぎます")
        sheets, entries = _sheets_and_names(safexml.parse(book))
        rels = safexml.parse(parts["xl/_rels/workbook.xml.rels"][:MAX_PART_BYTES + 1])
    except (KeyError, *safexml.ParseError) as exc:
        raise UnsafeError("ブックの構造が壊れています") from exc
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{NS_PKG_REL}Relationship")}
    names = [name for name, _ in sheets]
    if len(set(names)) != len(names):  # readers would disagree on which of them is meant
        raise UnsafeError("同じ名前のシートが複数あります")
    members = {}
    present = {_normal(n): n for n in parts}
    for name, rid in sheets:
        target = targets.get(rid, "")
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        if _normal(member) in present:
            members[name] = present[_normal(member)]
    return members, _names(entries, names), _FULL_CALC.search(book) is not None


def _names(entries: list[Entry], sheets: list[str]) -> Names:
    """The names local to a sheet that point at a cell of it, by sheet (a form's fields): the
    one loop every file goes through, over a few hundred names."""
    local: LocalNames = {}
    scopes = {str(i): sheet for i, sheet in enumerate(sheets)}  # localSheetId as Excel writes it
    seen: dict[str, str | None] = {}  # the names of a sheet all quote the same sheet part
    for name, where, text in entries:
        if where is None:
            continue  # workbook-wide
        scope = scopes[where] if where in scopes else _scope(where, sheets)
        sheet_part, bang, ref = text.rpartition("!")
        if sheet_part not in seen:
            seen[sheet_part] = _sheet_ref(sheet_part) if bang else None
        sheet = seen[sheet_part]
        if scope is None or sheet != scope:
            continue  # points into another sheet, or nowhere
        address = _cell_ref(ref)
        if address is not None:
            fields = local.get(scope)
            if fields is None:
                fields = local[scope] = {}
            fields[name] = address
    return Names(entries, sheets, local)


def _resolved(entries: list[Entry], sheets: list[str]) -> list[DefinedName]:
    result = []
    for name, where, text in entries:
        sheet_part, bang, ref = text.rpartition("!")
        sheet = _sheet_ref(sheet_part) if bang else None
        address = _cell_ref(ref) if sheet is not None else None
        if sheet is not None and address is not None:  # else #REF! or a formula
            result.append(DefinedName(name, sheet, address, _scope(where, sheets)))
    return result


def _scope(local: str | None, sheets: list[str]) -> str | None:
    """The sheet a localSheetId names ("0", or written unusually, "01"); None when it names none."""
    return sheets[int(local)] if local is not None and local.isdigit() and int(local) < len(sheets) else None


def defined_names(path: Path) -> Names:
    """The defined names of an xlsx file (the office's own files: its parts are read whole)."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")}
    return _workbook(parts)[1]


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n
