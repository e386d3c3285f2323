"""Load the plan master (the office's workbook) into plain objects, checking it as it goes.

Every problem becomes an Issue naming sheet, row and column; the caller refuses to go on
when there is any.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from reporter import runtime
from reporter.core import form, issues, normalize, schema
from reporter.core.issues import Issue, Location, Severity
from reporter.core.model import (
    Choice,
    ChoiceLists,
    Indicator,
    Master,
    Placement,
    Plan,
    PolicyNode,
    Project,
)
from reporter.intake.read import UnreadableError, read_tables

# The issue codes this module raises (tests/test_contracts.py holds every code to one module).
CODES = (
    "master.unreadable",
    "master.missing-sheet",
    "master.missing-column",
    "master.missing-setting",
    "master.empty-value",
    "master.bad-value",
    "master.duplicate-id",
    "master.unknown-parent",
    "master.cycle",
    "master.unknown-policy",
    "master.unknown-project",
    "master.project-unplaced",
    "master.project-without-department",
    "master.year-outside-plan",
    "master.bad-period",
    "master.empty-list",
    "master.too-many-choices",
    "master.too-many-years",
    "master.unknown-column",
    "master.unknown-sheet",
)

SHEET_PLAN, SHEET_POLICIES, SHEET_PROJECTS = schema.PLAN, schema.POLICIES, schema.PROJECTS
SHEET_PLACEMENTS, SHEET_DEPARTMENTS, SHEET_CHOICES = schema.PLACEMENTS, schema.DEPARTMENTS, schema.CHOICES
SHEET_INDICATORS = schema.INDICATORS
LIST_TARGETS, LIST_SCALE, LIST_PARTNERS = schema.LIST_TARGETS, schema.LIST_SCALE, schema.LIST_PARTNERS

BAND_KEY = "予算増減の確認幅（％）"
DEFAULT_BAND = 100.0  # a budget over twice, or under half, the settlement is told
PLAN_KEYS = tuple(c.name for c in schema.SETTINGS if c.required)
PLAN_OPTIONAL_KEYS = tuple(c.name for c in schema.SETTINGS if not c.required)
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


class _Collector:
    def __init__(self, file: str) -> None:
        self.file = file
        self.found: list[Issue] = []

    def add(self, code: str, loc: Location, **params: object) -> None:
        loc = Location(self.file, loc.sheet, loc.cell, loc.field, loc.row, loc.column)
        self.found.append(issues.make(code, loc, **params))


def load_master(path: Path) -> tuple[Master | None, tuple[Issue, ...]]:
    """Read and check the master: (master, warnings) when it can be used, else (None, problems
    with the warnings among them). Every problem names the sheet, row and column."""
    out = _Collector(path.name)
    # Read in a worker process: even the office's own file must not be able to abort this one.
    tables = next(runtime.isolated(_tables, [path], None, workers=min(1, runtime.default_workers())))
    if isinstance(tables, runtime.Failed | str):
        reason = tables if isinstance(tables, str) else "読み込みの途中で処理が異常終了しました"
        out.add("master.unreadable", Location(), reason=reason)
        return None, tuple(out.found)
    rows = {name: _rows(name, tables, out) for name in _REQUIRED}
    plan = _plan(tables.get(SHEET_PLAN), out)
    policies = _policies(rows[SHEET_POLICIES], out)
    projects = _projects(rows[SHEET_PROJECTS], out)
    placements = _placements(rows[SHEET_PLACEMENTS], policies, projects, out)
    assignments = _assignments(rows[SHEET_DEPARTMENTS], projects, out)
    _check_coverage(projects, placements, assignments, out)
    choices = _choices(rows[SHEET_CHOICES], out)
    indicators = _indicators(tables, policies, out)
    if plan is not None:
        _check_slots(plan, choices, tables, out)
    _unknown_columns(tables, out)
    if plan is None or any(i.severity is Severity.ERROR for i in out.found):
        return None, tuple(out.found)
    master = Master(plan, policies, projects, placements, assignments, choices, indicators)
    return master, tuple(out.found)


def _check_slots(plan: Plan, choices: ChoiceLists, tables: dict[str, list[list[object]]], out: _Collector) -> None:
    """The form holds so many target groups, named partners and plan years: never fewer in
    silence (the form would drop the rest)."""
    named = [p for p in choices.partners if p.named]
    for kind, count, slots in ((LIST_TARGETS, len(choices.targets), form.TARGET_SLOTS),
                               (f"{LIST_PARTNERS}（名称を記入）", len(named), form.PARTNER_NAME_SLOTS)):
        if count > slots:
            out.add("master.too-many-choices", Location(sheet=SHEET_CHOICES, column="種類"), kind=kind,
                    count=count, slots=slots)
    if len(plan.years) > form.FIGURE_YEARS:
        row = next((n for n, r in enumerate(tables.get(SHEET_PLAN, []), start=1)
                    if r and normalize.text(r[0]) == "計画終了年度"), None)
        out.add("master.too-many-years", Location(sheet=SHEET_PLAN, row=row, column="値"),
                count=len(plan.years), slots=form.FIGURE_YEARS)


# Sheets and columns the tool reads; anything else in the master is told, never dropped in silence.
GUIDE_SHEET = schema.GUIDE  # the explanations a blank master carries (reporter init)


def _unknown_columns(tables: dict[str, list[list[object]]], out: _Collector) -> None:
    known = {**_REQUIRED, SHEET_INDICATORS: _INDICATOR_COLUMNS}
    for sheet, table in tables.items():
        if sheet == GUIDE_SHEET:
            continue
        if sheet == SHEET_PLAN:
            for n, row in enumerate(table, start=1):
                key = normalize.text(row[0]) if row else ""
                if key and key not in {normalize.text(k) for k in (*PLAN_KEYS, *PLAN_OPTIONAL_KEYS, "項目")}:
                    out.add("master.unknown-column", Location(sheet=sheet, row=n, column="項目"), column=key)
            continue
        if sheet not in known:
            out.add("master.unknown-sheet", Location(sheet=sheet), sheet=sheet)
            continue
        header = [normalize.text(h) for h in table[0]] if table else []
        for name in header:
            if name and name not in known[sheet]:
                out.add("master.unknown-column", Location(sheet=sheet, row=1, column=name), column=name)


def _tables(_: None, path: Path) -> dict[str, list[list[object]]] | str:
    """The master's sheets as rows, or why they cannot be read (in plain Japanese)."""
    if not path.is_file():
        return "ファイルが見つかりません"
    try:
        return read_tables(path)
    except UnreadableError as exc:
        return exc.reason


# The sheets read as tables, with the headings each must have (the plan sheet is read as settings).
_REQUIRED: dict[str, tuple[str, ...]] = {
    s.name: s.column_names for s in schema.SHEETS if s.name != SHEET_PLAN and not s.optional}
_INDICATOR_COLUMNS = schema.BY_NAME[SHEET_INDICATORS].column_names


def _rows(
    sheet: str,
    tables: dict[str, list[list[object]]],
    out: _Collector,
    columns: Sequence[str] | None = None,
) -> list[Row]:
    columns = columns or _REQUIRED[sheet]
    if sheet not in tables:
        out.add("master.missing-sheet", Location(sheet=sheet), sheet=sheet)
        return []
    table = tables[sheet]
    header = [normalize.text(h) for h in table[0]] if table else []
    missing = [c for c in columns if c not in header]
    for column in missing:
        out.add("master.missing-column", Location(sheet=sheet, row=1), column=column)
    if missing:
        return []
    result = []
    for n, raw in enumerate(table[1:], start=2):
        values = {h: _cell_text(raw[i]) if i < len(raw) else "" for i, h in enumerate(header)}
        if any(values.values()):
            result.append(Row(sheet, n, values))
    return result


def _cell_text(value: object) -> str:
    # Keep the office's own characters (full-width names, line breaks); only trim.
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _required(row: Row, column: str, out: _Collector) -> str:
    value = row.get(column)
    if not value:
        out.add("master.empty-value", row.at(column), column=column)
    return value


def _unique(rows: list[Row], column: str, out: _Collector) -> Iterator[Row]:
    """Rows whose key in ``column`` is present and not seen before; reports the others."""
    seen: dict[str, int] = {}
    for row in rows:
        key = _required(row, column, out)
        if not key:
            continue
        if key in seen:
            out.add("master.duplicate-id", row.at(column), column=column, value=key,
                    first_row=seen[key])
            continue
        seen[key] = row.number
        yield row


def _plan(table: list[list[object]] | None, out: _Collector) -> Plan | None:
    if table is None:
        out.add("master.missing-sheet", Location(sheet=SHEET_PLAN), sheet=SHEET_PLAN)
        return None
    settings = {normalize.text(r[0]): (n, r[1] if len(r) > 1 else None)
                for n, r in enumerate(table, start=1) if r and r[0] is not None}
    values: dict[str, object] = {}
    for key in PLAN_KEYS:
        if key not in settings or _cell_text(settings[key][1]) == "":
            out.add("master.missing-setting", Location(sheet=SHEET_PLAN), key=key)
            continue
        row, raw = settings[key]
        if key.endswith("年度"):
            year = normalize.fiscal_year(raw)
            if year is None:
                out.add("master.bad-value", Location(sheet=SHEET_PLAN, row=row, column="値"),
                        column=key, value=_cell_text(raw),
                        hint="2020 や 令和2年度、R2 のように年度を入力してください。")
            values[key] = year
        else:
            values[key] = _cell_text(raw)
    if any(values.get(k) is None for k in PLAN_KEYS):
        return None
    first, last, year = (int(str(values[k])) for k in ("計画開始年度", "計画終了年度", "評価年度"))
    loc = Location(sheet=SHEET_PLAN, row=settings["評価年度"][0], column="値")
    if first > last:
        out.add("master.bad-period", loc, first=first, last=last)
        return None
    if not first <= year <= last:
        out.add("master.year-outside-plan", loc, year=year, first=first, last=last)
        return None
    unit = _cell_text(settings.get("金額単位", (0, "千円"))[1]) or "千円"
    band_row, band_raw = settings.get(normalize.text(BAND_KEY), (0, None))  # keys are read folded: （％） -> (%)
    band = normalize.amount(band_raw).number if _cell_text(band_raw) else DEFAULT_BAND
    if band is None or band < 0:
        out.add("master.bad-value", Location(sheet=SHEET_PLAN, row=band_row, column="値"),
                column=BAND_KEY, value=_cell_text(band_raw), hint="0 以上の数値（例：50）を入力してください。")
        return None
    return Plan(str(values["計画名"]), str(values["市区町村名"]), first, last, year, unit, float(band))


def _policies(rows: list[Row], out: _Collector) -> tuple[PolicyNode, ...]:
    nodes = [(r, PolicyNode(r.get("コード"), _required(r, "名称", out),
                            r.get("親コード") or None, r.get("階層名")))
             for r in _unique(rows, "コード", out)]
    codes = {n.code for _, n in nodes}
    for row, node in nodes:
        if node.parent is not None and node.parent not in codes:
            out.add("master.unknown-parent", row.at("親コード"), value=node.parent)
    parent_of = {n.code: n.parent for _, n in nodes}
    for row, node in nodes:
        path = [node.code]
        current = node.parent
        while current is not None and current in parent_of and current not in path:
            path.append(current)
            current = parent_of[current]
        if current == node.code:
            out.add("master.cycle", row.at("親コード"), path=" → ".join([*path, node.code]))
    return _tree_order([n for _, n in nodes])


def _tree_order(nodes: list[PolicyNode]) -> tuple[PolicyNode, ...]:
    codes = {n.code for n in nodes}
    ordered: list[PolicyNode] = []

    def visit(parent: str | None, depth: int) -> None:
        for n in nodes:
            is_child = n.parent == parent or (parent is None and n.parent not in codes)
            if is_child and all(o.code != n.code for o in ordered):
                ordered.append(PolicyNode(n.code, n.name, n.parent, n.level, depth))
                visit(n.code, depth + 1)

    visit(None, 0)
    return tuple(ordered)


def _projects(rows: list[Row], out: _Collector) -> tuple[Project, ...]:
    return tuple(Project(r.get("事業ID"), _required(r, "事業名", out), r.get("概要"))
                 for r in _unique(rows, "事業ID", out))


def _placements(rows: list[Row], policies: tuple[PolicyNode, ...],
                projects: tuple[Project, ...], out: _Collector) -> tuple[Placement, ...]:
    codes = {p.code for p in policies}
    ids = {p.id for p in projects}
    found: dict[tuple[str, int], int] = {}
    result = []
    for r in rows:
        pid, code = _required(r, "事業ID", out), _required(r, "施策コード", out)
        number = _number(r, "番号", out)
        if pid and pid not in ids:
            out.add("master.unknown-project", r.at("事業ID"), value=pid)
        if code and code not in codes:
            out.add("master.unknown-policy", r.at("施策コード"), value=code)
        if number is None or not pid or not code:
            continue
        if (code, number) in found:
            out.add("master.duplicate-id", r.at("番号"), column="施策コード・番号",
                    value=f"{code} {number}", first_row=found[(code, number)])
            continue
        found[(code, number)] = r.number
        result.append(Placement(pid, code, number))
    return tuple(result)


def _number(row: Row, column: str, out: _Collector) -> int | None:
    raw = _required(row, column, out)
    value = normalize.text(raw)
    if raw and not value.isdigit():
        out.add("master.bad-value", row.at(column), column=column, value=raw,
                hint="1 以上の整数を入力してください。")
        return None
    return int(value) if raw else None


def _assignments(rows: list[Row], projects: tuple[Project, ...],
                 out: _Collector) -> tuple[tuple[str, str], ...]:
    ids = {p.id for p in projects}
    seen: dict[tuple[str, str], int] = {}
    for r in rows:
        pid, dept = _required(r, "事業ID", out), _required(r, "担当課名", out)
        if pid and pid not in ids:
            out.add("master.unknown-project", r.at("事業ID"), value=pid)
        if not (pid and dept):
            continue
        if (pid, dept) in seen:
            out.add("master.duplicate-id", r.at("担当課名"), column="事業ID・担当課名",
                    value=f"{pid} {dept}", first_row=seen[(pid, dept)])
            continue
        seen[(pid, dept)] = r.number
    return tuple(seen)


def _check_coverage(projects: tuple[Project, ...], placements: tuple[Placement, ...],
                    assignments: tuple[tuple[str, str], ...], out: _Collector) -> None:
    placed = {p.project_id for p in placements}
    staffed = {pid for pid, _ in assignments}
    for p in projects:
        loc = Location(sheet=SHEET_PROJECTS, column="事業ID")
        if p.id not in placed:
            out.add("master.project-unplaced", loc, value=p.id)
        if p.id not in staffed:
            out.add("master.project-without-department", loc, value=p.id)


def _choices(rows: list[Row], out: _Collector) -> ChoiceLists:
    lists: dict[str, list[Choice]] = {LIST_TARGETS: [], LIST_SCALE: [], LIST_PARTNERS: []}
    for r in rows:
        kind = _required(r, "種類", out)
        number = _number(r, "番号", out)
        label = _required(r, "表示名", out)
        if kind and kind not in lists:
            out.add("master.bad-value", r.at("種類"), column="種類", value=kind,
                    hint=f"{'・'.join(lists)} のいずれかを入力してください。")
            continue
        if kind and number is not None and label:
            named = normalize.text(r.get("名称を記入")).lower() in YES
            lists[kind].append(Choice(number, label, named))
    for kind, items in lists.items():
        if rows and not items:
            out.add("master.empty-list", Location(sheet=SHEET_CHOICES), kind=kind)
    return ChoiceLists(tuple(lists[LIST_TARGETS]), tuple(lists[LIST_SCALE]),
                       tuple(lists[LIST_PARTNERS]))


def _indicators(tables: dict[str, list[list[object]]], policies: tuple[PolicyNode, ...],
                out: _Collector) -> tuple[Indicator, ...]:
    if SHEET_INDICATORS not in tables:  # optional sheet
        return ()
    codes = {p.code for p in policies}
    result = []
    for r in _unique(_rows(SHEET_INDICATORS, tables, out, _INDICATOR_COLUMNS), "指標ID", out):
        code = _required(r, "施策コード", out)
        if code and code not in codes:
            out.add("master.unknown-policy", r.at("施策コード"), value=code)
        result.append(Indicator(
            r.get("指標ID"), code, _required(r, "指標名", out), r.get("単位"),
            normalize.fiscal_year(r.get("基準年度")), r.get("基準値"),
            normalize.fiscal_year(r.get("目標年度")), r.get("目標値"), r.get("目標設定の考え方"),
        ))
    return tuple(result)
