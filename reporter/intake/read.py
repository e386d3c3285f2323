"""Bytes on disk -> raw cells with their sheet and A1 address.

The only module that opens input workbooks. Values are read with python-calamine; defined
names and sheet order come from the workbook's own XML, parsed under defusedxml's guard (safexml).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import python_calamine as pc

from reporter.core import form, identity
from reporter.core.identity import Identity, SheetIdentity
from reporter.intake import container, safexml
from reporter.intake.container import Container, Kind, Limits, LocalNames, ReasonedError, UnsafeError

# The issue codes this module raises (tests/test_contracts.py holds every code to one module).
CODES = (
    "file.not-workbook",
    "file.empty",
    "file.encrypted",
    "file.old-format",
    "file.ods-format",
    "file.damaged",
    "file.unsafe",
)

CellValue = str | int | float | bool | object


class UnreadableError(ReasonedError):
    """The file is not a workbook we can read."""


@dataclass(frozen=True)
class RawSheet:
    name: str
    values: dict[str, CellValue]  # by defined name, as stored: str, float, bool, date…; '' when empty
    addresses: dict[str, str]  # by defined name: the A1 address of the field's cell
    fingerprint: str  # computed from where the names point now
    identity: SheetIdentity | None  # what the identity sheet says of it


@dataclass(frozen=True)
class RawIndicatorRow:
    row: int  # 1-based
    indicator_id: str
    values: dict[str, CellValue]  # actual / no_value / note -> value as stored
    cells: dict[str, str]  # the same keys -> A1


@dataclass(frozen=True)
class FormWorkbook:
    path: Path
    identity: Identity | None
    sheets: tuple[RawSheet, ...]
    sheet_names: tuple[str, ...]  # every sheet in the workbook, hidden ones included
    indicators: tuple[RawIndicatorRow, ...] | None = None  # the 指標 sheet's rows; None: no such sheet


# The master is the office's own, but it passes the same guard: a far cell or a declared entity
# would otherwise abort the process or reach the parser. Its sheets are longer than a form's.
MASTER_LIMITS = Limits(max_rows=20_000, max_columns=100)


def read_tables(path: Path) -> dict[str, list[list[object]]]:
    """Every sheet's used range as rows of values (for the office's own master workbook), after
    the container guard; raises UnreadableError with the reason in plain Japanese."""
    try:
        data = container.read_bounded_file(path, MASTER_LIMITS)
        box = container.inspect(data, MASTER_LIMITS)
    except UnsafeError as exc:
        raise UnreadableError(f"安全のため読み込みを中止しました：{exc.reason}") from exc
    except (OSError, zipfile.BadZipFile) as exc:
        raise UnreadableError("ファイルを読み込めません") from exc
    if box.kind is not Kind.XLSX:
        raise UnreadableError(MASTER_KINDS.get(box.kind, "Excel ブック（.xlsx）ではありません"))
    book = _open(path, data)
    try:
        return {name: [list(row) for row in book.get_sheet_by_name(name).to_python(skip_empty_area=False)]
                for name in book.sheet_names}
    except Exception as exc:  # calamine raises several types for damaged sheets
        raise UnreadableError("シートの内容を読み取れません") from exc
    finally:
        book.close()


MASTER_KINDS = {
    Kind.EMPTY: "ファイルが空です",
    Kind.XLS: "古い Excel 形式（.xls）です。Excel ブック（.xlsx）で保存し直してください",
    Kind.ODS: "OpenDocument 形式（.ods）です。Excel ブック（.xlsx）で保存し直してください",
    Kind.ENCRYPTED: "パスワードが設定されています。解除して保存し直してください",
    Kind.DAMAGED: "ファイルが壊れています",
}


def local_names(path: Path) -> LocalNames:
    """The workbook's defined names local to a sheet and pointing into it, by sheet."""
    try:
        return container.defined_names(path).local
    except (zipfile.BadZipFile, KeyError, OSError, *safexml.ParseError, UnsafeError) as exc:
        raise UnreadableError("Excel ブック（.xlsx）として読み取れません") from exc


def read_form(path: Path, local: LocalNames | None = None, data: bytes | None = None) -> FormWorkbook:
    """Every input and pre-filled field of every form sheet, by defined name (from ``data``, the
    file's bytes as checked, when given)."""
    local = local_names(path) if local is None else local
    book = _open(path, data)
    try:
        return _read_form(path, book, local)
    except UnreadableError:
        raise
    except Exception as exc:  # calamine raises several types for damaged sheets
        raise UnreadableError("シートの内容を読み取れません") from exc
    finally:
        book.close()


def _read_form(path: Path, book: pc.CalamineWorkbook, local: LocalNames) -> FormWorkbook:
    ident = _identity(book)
    by_sheet = {s.sheet_name: s for s in ident.sheets} if ident else {}
    sheets = []
    for sheet_name in book.sheet_names:
        addresses = local.get(sheet_name, {})
        if not _holds_fields(addresses):
            continue
        grid = book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        at = {name: address for name, address in addresses.items() if name in form.BY_NAME}
        values = {name: _cell(grid, address) for name, address in at.items()}
        sheets.append(RawSheet(sheet_name, values, at, identity.fingerprint(addresses), by_sheet.get(sheet_name)))
    indicators = None
    if form.INDICATOR_SHEET in book.sheet_names:
        indicators = _indicator_rows(book.get_sheet_by_name(form.INDICATOR_SHEET).to_python(skip_empty_area=False))
    return FormWorkbook(path, ident, tuple(sheets), tuple(book.sheet_names), indicators)


_INDICATOR_COLUMNS = {"actual": form.INDICATOR_ACTUAL, "no_value": form.INDICATOR_NO_VALUE, "note": form.INDICATOR_NOTE}


def _letters(column: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _indicator_rows(grid: Sequence[Sequence[object]]) -> tuple[RawIndicatorRow, ...]:
    """The rows of the 指標 sheet below its headings, by the indicator ID in the ID column;
    none when the headings are not where the form put them."""
    head = form.INDICATOR_HEADER_ROW - 1
    if len(grid) <= head:
        return ()
    titles = [str(v).strip() if v is not None else "" for v in grid[head]]
    if form.INDICATOR_ID not in titles or any(t not in titles for t in _INDICATOR_COLUMNS.values()):
        return ()
    id_col = titles.index(form.INDICATOR_ID)
    columns = {key: titles.index(title) for key, title in _INDICATOR_COLUMNS.items()}
    rows = []
    for n in range(head + 1, len(grid)):
        line = grid[n]
        ident = str(line[id_col]).strip() if id_col < len(line) and line[id_col] not in (None, "") else ""
        if not ident:
            continue
        rows.append(RawIndicatorRow(
            n + 1, ident, {k: line[c] if c < len(line) else "" for k, c in columns.items()},
            {k: f"{_letters(c + 1)}{n + 1}" for k, c in columns.items()}))
    return tuple(rows)


def _open(path: Path, data: bytes | None = None) -> pc.CalamineWorkbook:
    """The workbook, its format told by its content (from_path goes by the extension: a form
    saved under the name .xls or .ods would be read as one)."""
    try:
        if data is not None:
            return pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
        with path.open("rb") as f:
            return pc.CalamineWorkbook.from_filelike(f)
    except Exception as exc:  # calamine raises several types for damaged files
        raise UnreadableError("Excel ブックとして開けません（破損しているか、形式が違います）") from exc


def _identity(book: pc.CalamineWorkbook) -> Identity | None:
    if form.IDENTITY_SHEET not in book.sheet_names:
        return None
    rows = book.get_sheet_by_name(form.IDENTITY_SHEET).to_python(skip_empty_area=False)
    return identity.from_rows(rows)


@lru_cache(maxsize=4096)
def _position(address: str) -> tuple[int, int]:
    """'C11' -> (10, 2): zero-based row and column."""
    m = re.match(r"([A-Z]+)(\d+)", address)
    assert m is not None
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def _cell(grid: Sequence[Sequence[object]], address: str) -> CellValue:
    row, col = _position(address)
    try:
        return grid[row][col]
    except IndexError:  # beyond the used range: empty
        return ""


# --- intake of returned workbooks ----------------------------------------------------------

DEFAULT_LIMITS = Limits()
REFUSED_KINDS = {
    Kind.EMPTY: "file.empty",
    Kind.NOT_WORKBOOK: "file.not-workbook",
    Kind.OTHER_ZIP: "file.not-workbook",
    Kind.XLS: "file.old-format",
    Kind.ODS: "file.ods-format",
    Kind.ENCRYPTED: "file.encrypted",
    Kind.DAMAGED: "file.damaged",
}


class Refused(Exception):
    """A file that cannot be used: ``code`` is an issue code, ``reason`` plain Japanese."""

    def __init__(self, code: str, reason: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.reason = reason


def form_sheets(local: LocalNames) -> set[str]:
    """The sheets the reader will parse: those holding a form field, and the identity sheet."""
    return ({sheet for sheet, names in local.items() if _holds_fields(names)}
            | {form.IDENTITY_SHEET, form.INDICATOR_SHEET})


def _holds_fields(names: Mapping[str, str]) -> bool:
    """Whether some of a sheet's local names are form fields (a form sheet, not a list or note)."""
    return not form.BY_NAME.keys().isdisjoint(names)


@dataclass(frozen=True)
class Submission:
    path: Path
    container: Container
    book: FormWorkbook


def open_submission(path: Path, limits: Limits = DEFAULT_LIMITS) -> Submission:
    """Check the container, then read the form from the very bytes checked; raises Refused for
    anything unusable."""
    try:
        data = container.read_bounded_file(path, limits)
        box = container.inspect(data, limits, form_sheets)
    except UnsafeError as exc:
        raise Refused("file.unsafe", exc.reason) from exc
    except (OSError, zipfile.BadZipFile) as exc:
        raise Refused("file.damaged", "ファイルを読み込めません") from exc
    if box.kind in REFUSED_KINDS:
        raise Refused(REFUSED_KINDS[box.kind], "ファイルの構造が壊れています" if box.kind is Kind.DAMAGED else "")
    try:
        book = read_form(path, box.defined.local, data)
    except UnreadableError as exc:
        raise Refused("file.damaged", exc.reason) from exc
    return Submission(path, box, book)
