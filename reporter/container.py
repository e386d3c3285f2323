"""What a file really is, and whether it is safe to parse, decided from its bytes.

Before any workbook parser sees a file: its signature (zip, OLE2, other), for a zip the member
count, declared and total uncompressed sizes, compression ratios and methods; then, for each
worksheet, the used range and the formula cells found by a bounded scan of its XML. A hostile
or broken file is refused here, so it cannot exhaust memory later.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property, lru_cache
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from reporter import bookxml, safexml

NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

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


class ReasonedError(Exception):
    """A file that cannot be used; ``reason`` says why in plain Japanese for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnsafeError(ReasonedError):
    """The container breaks a safety limit."""


@dataclass(frozen=True)
class Geometry:
    """What sizes the printed boxes of a sheet."""

    row_heights: dict[int, float]  # points, rows with ht=
    column_widths: dict[int, float]  # character units
    merged_from: dict[str, str]  # top-left cell -> merged range "C11:L11"
    default_row_height: float = 15.0
    default_column_width: float = 8.43


@dataclass(frozen=True)
class SheetScan:
    formulas: dict[str, bool] = field(default_factory=dict)  # A1 -> has a cached value
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

    entries: list[bookxml.Entry]
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

    @property
    def names(self) -> tuple[DefinedName, ...]:
        return self.defined.all


def sniff(path: Path) -> Kind:
    kind = _signature(path)
    if kind is not Kind.XLSX:
        return kind
    try:
        with zipfile.ZipFile(path) as z:
            return _zip_kind(z)
    except (zipfile.BadZipFile, OSError, KeyError):
        return Kind.DAMAGED


def _signature(path: Path) -> Kind:
    """The kind told by the first bytes; XLSX here only means 'a zip, look inside'."""
    with path.open("rb") as f:
        head = f.read(8)
    if not head:
        return Kind.EMPTY
    if head.startswith(OLE2):
        return Kind.ENCRYPTED if _ole_has_encryption(path) else Kind.XLS
    return Kind.XLSX if head.startswith(ZIP) else Kind.NOT_WORKBOOK


def _zip_kind(z: zipfile.ZipFile) -> Kind:
    names = set(z.namelist())
    if "mimetype" in names and b"opendocument.spreadsheet" in z.read("mimetype")[:100]:
        return Kind.ODS
    return Kind.XLSX if "xl/workbook.xml" in names else Kind.OTHER_ZIP


def _ole_has_encryption(path: Path) -> bool:
    # The directory entry names are UTF-16LE; a password-protected .xlsx has "EncryptionInfo".
    with path.open("rb") as f:
        data = f.read(4 * 1024 * 1024)
    return "EncryptionInfo".encode("utf-16-le") in data


Selector = Callable[[LocalNames], set[str]]


def inspect(path: Path, limits: Limits | None = None, select: Selector | None = None) -> Container:
    """Sniff the file and, for an xlsx, check the container, read its defined names and scan
    the worksheets that will be parsed (``select(local names)``; default: every worksheet)."""
    limits = limits or Limits()
    kind = _signature(path)
    if kind is not Kind.XLSX:
        return Container(kind)
    if path.stat().st_size > limits.max_file_bytes:
        raise UnsafeError(f"ファイルが大きすぎます（{path.stat().st_size // 1024 // 1024} MB）")
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return Container(Kind.DAMAGED)
    with z:
        kind = _zip_kind(z)
        if kind is not Kind.XLSX:
            return Container(kind)
        _check_members(z.infolist(), limits)
        members, names = _workbook(z)
        chosen = set(members) if select is None else select(names.local)
        wanted = {n: m for n, m in members.items() if n in chosen}
        return Container(kind, _scan_sheets(z, wanted, limits), names, tuple(members))


def _check_members(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(members) > limits.max_members:
        raise UnsafeError(f"ブックの部品が多すぎます（{len(members)} 個）")
    total = 0
    for m in members:
        if m.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UnsafeError(f"対応していない圧縮方式です（{m.filename}）")
        if m.file_size > limits.max_member_bytes:
            raise UnsafeError(f"部品 {m.filename} が大きすぎます（展開後 {m.file_size // 1024 // 1024} MB）")
        if m.file_size > 1024 * 1024 and m.file_size > limits.max_ratio * max(m.compress_size, 1):
            raise UnsafeError(f"部品 {m.filename} の圧縮率が異常です（圧縮爆弾の疑い）")
        total += m.file_size
    if total > limits.max_total_bytes:
        raise UnsafeError(f"展開後の合計サイズが大きすぎます（{total // 1024 // 1024} MB）")


_CACHED_RE = re.compile(rb"<v>[^<]+</v>|<is>")
_CELL_RE = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"[^>]*?(/>|>(.*?)</c>)', re.S)


def _scan_sheets(z: zipfile.ZipFile, members: dict[str, str], limits: Limits) -> dict[str, SheetScan]:
    result = {}
    for name, member in members.items():
        data = _read_bounded(z, member, limits.max_member_bytes)
        _check_range(name, data, limits)
        result[name] = SheetScan(_formulas(data), data)
    return result


def _formulas(data: bytes) -> dict[str, bool]:
    """A1 -> has a cached value, for every cell holding a formula. A form has a few formulas
    among hundreds of cells: each formula element is found (bytes.find, far quicker than a
    pattern over the whole sheet), then the cell that holds it."""
    found: dict[str, bool] = {}
    # Cells are inside the first sheetData element (the reader stops at its end; what follows
    # holds data validations' <formula1> and such).
    start = max(data.find(b"sheetData"), 0)
    end = data.find(b"sheetData", start + 9)
    at = data.find(b"<f", start, end)
    while at >= 0:
        if data[at + 2:at + 3] in _AFTER_F:
            cell = _CELL_RE.match(data, max(data.rfind(b"<c ", 0, at), 0))
            if cell is not None and cell.end() > at:  # else not inside a cell written the ordinary way
                cached = _CACHED_RE.search(cell.group(4) or b"") is not None
                found[f"{cell.group(1).decode()}{cell.group(2).decode()}"] = cached
        at = data.find(b"<f", at + 2, end)
    return found


_AFTER_F = (b" ", b">", b"/")  # "<f>", "<f t=…>", "<f/>"; not "<font" nor "</f>"


def _check_range(name: str, data: bytes, limits: Limits) -> None:
    """Refuse a sheet with a cell beyond the limits: a parser would allocate the whole range.

    Excel, LibreOffice and openpyxl write every row and cell with its reference first
    (``<row r="12"``, ``<c r="C12"``). One search over the sheetData element confirms that
    this sheet is written so and that no reference could pass a limit; anything else (no
    reference, another spelling, a second reference, a namespace prefix, a comment) has the
    sheet read element by element, as the workbook reader places cells, and every cell measured.
    """
    if _ordinary_and_inside(data, limits):
        return
    for row, column in _positions(name, data):
        if row > limits.max_rows:
            raise UnsafeError(f"シート「{name}」に {row:,} 行目のセルがあり、使用範囲が大きすぎます")
        if column > limits.max_columns:
            raise UnsafeError(f"シート「{name}」に {_column_letters(column)} 列のセルがあり、使用範囲が大きすぎます")


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


def _positions(name: str, data: bytes) -> list[tuple[int, int]]:
    """(row, column) of every cell, placed as the workbook reader places it: by its reference
    when it has one (letters in either case), else next to the previous cell, in the row given
    by its row element or the one after the previous row."""
    found: list[tuple[int, int]] = []
    row, column = 0, 0

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal row, column
        local = tag.rsplit(":", 1)[-1]
        if local == "row":  # a row without cells allocates nothing; it places the cells after it
            r = attrs.get("r", "").strip()
            row = int(r) if r.isdigit() else row + 1
            column = 0
        elif local == "c":
            m = _REF_ANY.fullmatch(attrs.get("r", ""))
            if m:
                column, row = _column_number(m.group(1).upper().encode()), int(m.group(2))
            else:
                column += 1
            found.append((row, column))

    parser = safexml.guarded_parser()
    parser.StartElementHandler = start
    try:
        safexml.feed(parser, data)
    except safexml.ParseError as exc:
        raise UnsafeError(f"シート「{name}」の構造が壊れています") from exc
    return found


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


def _read_bounded(z: zipfile.ZipFile, member: str, limit: int) -> bytes:
    """A member's bytes; zipfile never gives more than the declared size (and checks the CRC)."""
    info = z.getinfo(member)
    with z.open(info) as f:
        data = f.read(min(info.file_size, limit) + 1)
    if len(data) > limit:
        raise UnsafeError(f"部品 {member} が大きすぎます")
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


def _workbook(z: zipfile.ZipFile) -> tuple[dict[str, str], Names]:
    """(sheet name -> zip member of its XML, defined names), from workbook.xml and its rels."""
    try:
        sheets, entries = bookxml.read(_read_bounded(z, "xl/workbook.xml", MAX_PART_BYTES))
        rels = safexml.parse(_read_bounded(z, "xl/_rels/workbook.xml.rels", MAX_PART_BYTES))
    except (KeyError, *safexml.ParseError) as exc:
        raise UnsafeError("ブックの構造が壊れています") from exc
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{NS_PKG_REL}Relationship")}
    names = [name for name, _ in sheets]
    if len(set(names)) != len(names):  # readers would disagree on which of them is meant
        raise UnsafeError("同じ名前のシートが複数あります")
    members = {}
    present = set(z.namelist())
    for name, rid in sheets:
        target = targets.get(rid, "")
        member = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        if member in present:
            members[name] = member
    return members, _names(entries, names)


def _names(entries: list[bookxml.Entry], sheets: list[str]) -> Names:
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


def _resolved(entries: list[bookxml.Entry], sheets: list[str]) -> list[DefinedName]:
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
    """The defined names of an xlsx file (no size checks: for the office's own files)."""
    with zipfile.ZipFile(path) as z:
        return _workbook(z)[1]


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n
