"""Reading the plan master's sheets as rows: each row with its number and values by heading,
the collector of the master's problems, and the small readers every sheet shares (a required
value, a unique key, a whole number, a setting of the 計画 sheet)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from reporter.core import issues, normalize, schema
from reporter.core.issues import Issue, Location

# The issue codes this module raises (tests/test_contracts.py holds every code to one module).
CODES = (
    "master.missing-column",
    "master.empty-value",
)

SHEET_PLAN, SHEET_INDICATORS, SHEET_RULES = schema.PLAN, schema.INDICATORS, schema.RULES

YES = {"○", "〇", "◯", "有", "あり", "はい", "yes", "y", "1", "true", "■", "✓", "☑"}


@dataclass(frozen=True)
class Row:
    """One data row of a master sheet: its 1-based row number and values by heading."""

    sheet: str
    number: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")

    def at(self, column: str) -> Location:
        return Location(sheet=self.sheet, row=self.number, column=column)


class Collector:
    """The master's problems, each naming the file, sheet, row and column."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.found: list[Issue] = []

    def add(self, code: str, loc: Location, **params: object) -> None:
        loc = Location(self.file, loc.sheet, loc.cell, loc.field, loc.row, loc.column)
        self.found.append(issues.make(code, loc, **params))


# The sheets read as tables, with the headings each must have (the plan sheet is read as settings).
REQUIRED: dict[str, tuple[str, ...]] = {
    s.name: s.column_names for s in schema.SHEETS if s.name != SHEET_PLAN and not s.optional}
INDICATOR_COLUMNS = schema.BY_NAME[SHEET_INDICATORS].column_names
RULE_COLUMNS = schema.BY_NAME[SHEET_RULES].column_names
# Headings a sheet must have: its required columns (a master written before an optional column
# was added keeps working).
HEADINGS = {s.name: tuple(c.name for c in s.columns if c.required) for s in schema.SHEETS}
OPTIONAL = {s.name for s in schema.SHEETS if s.optional}


def read_rows(
    sheet: str,
    tables: dict[str, list[list[object]]],
    out: Collector,
    columns: Sequence[str] | None = None,
) -> list[Row]:
    columns = columns or REQUIRED[sheet]
    if sheet not in tables:
        out.add("master.missing-sheet", Location(sheet=sheet), sheet=sheet)
        return []
    table = tables[sheet]
    header = [normalize.text(h) for h in table[0]] if table else []
    missing = [c for c in columns if c not in header and c in HEADINGS.get(sheet, columns)]
    if missing and sheet in OPTIONAL and not any(any(v is not None and v != "" for v in r) for r in table[1:]):
        missing = []  # an optional sheet left empty: its headings do not matter
    for column in missing:
        out.add("master.missing-column", Location(sheet=sheet, row=1), column=column)
    if missing:
        return []
    result = []
    for n, raw in enumerate(table[1:], start=2):
        values = {h: cell_text(raw[i]) if i < len(raw) else "" for i, h in enumerate(header)}
        if any(values.values()):
            result.append(Row(sheet, n, values))
    return result


def cell_text(value: object) -> str:
    # Keep the office's own characters (full-width names, line breaks); only trim.
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def required(row: Row, column: str, out: Collector) -> str:
    value = row.get(column)
    if not value:
        out.add("master.empty-value", row.at(column), column=column)
    return value


def unique(rows: list[Row], column: str, out: Collector) -> Iterator[Row]:
    """Rows whose key in ``column`` is present and not seen before; reports the others."""
    seen: dict[str, int] = {}
    for row in rows:
        key = required(row, column, out)
        if not key:
            continue
        if key in seen:
            out.add("master.duplicate-id", row.at(column), column=column, value=key,
                    first_row=seen[key])
            continue
        seen[key] = row.number
        yield row


def setting(table: list[list[object]], key: str) -> tuple[int, str]:
    """A setting of the 計画 sheet read as text, with its row (0 and "" when absent)."""
    for n, row in enumerate(table, start=1):
        if row and normalize.text(row[0]) == key:
            return n, cell_text(row[1]) if len(row) > 1 else ""
    return 0, ""


def whole_number(row: Row, column: str, out: Collector) -> int | None:
    raw = required(row, column, out)
    value = normalize.text(raw)
    if raw and not value.isdigit():
        out.add("master.bad-value", row.at(column), column=column, value=raw,
                hint="1 以上の整数を入力してください。")
        return None
    return int(value) if raw else None
