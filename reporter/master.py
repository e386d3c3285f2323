"""Load the plan master (the office's workbook) into plain objects, checking it as it goes.

Every problem becomes an Issue naming sheet, row and column; the caller refuses to go on
when there is any.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from reporter import runtime
from reporter.core import form, issues, normalize, presets, rating, schema
from reporter.core.issues import Issue, Location, Severity
from reporter.core.model import (
    Axis,
    AxisValue,
    Choice,
    ChoiceLists,
    Master,
    Placement,
    Plan,
    PolicyNode,
    Project,
)
from reporter.core.rating import Direction, Grade, Indicator, Method, RatingRule, Rollup, Special
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
    "master.unknown-department",
    "master.rule-unusable",
    "master.bad-bands",
    "master.unknown-axis",
    "master.unknown-axis-value",
    "master.mixed-axis-kind",
    "master.unknown-level",
)

SHEET_PLAN, SHEET_POLICIES, SHEET_PROJECTS = schema.PLAN, schema.POLICIES, schema.PROJECTS
SHEET_PLACEMENTS, SHEET_DEPARTMENTS, SHEET_CHOICES = schema.PLACEMENTS, schema.DEPARTMENTS, schema.CHOICES
SHEET_INDICATORS, SHEET_RULES = schema.INDICATORS, schema.RULES
SHEET_AXES, SHEET_PROJECT_AXES = schema.AXES, schema.PROJECT_AXES
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
    if plan is not None:
        plan = _chart_level(plan, tables.get(SHEET_PLAN, []), policies, out)
    axes = _axes(tables, out)
    projects = _with_axes(_projects(rows[SHEET_PROJECTS], _per_placement(tables.get(SHEET_PLAN, []), out), out),
                          axes, tables, out)
    placements = _placements(rows[SHEET_PLACEMENTS], policies, projects, out)
    assignments = _assignments(rows[SHEET_DEPARTMENTS], projects, out)
    _check_coverage(projects, placements, assignments, out)
    choices = _choices(rows[SHEET_CHOICES], out)
    indicators = _indicators(tables, policies, assignments, out)
    rule = _rule(tables, out)
    _check_indicators(indicators, rule, plan, out)
    if plan is not None:
        _check_slots(plan, choices, tables, out)
    _unknown_columns(tables, out)
    if plan is None or any(i.severity is Severity.ERROR for i in out.found):
        return None, tuple(out.found)
    master = Master(plan, policies, projects, placements, assignments, choices, indicators,
                    rule if indicators or rule.project_rating else None, axes)
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
    known = {**_REQUIRED, **{s.name: s.column_names for s in schema.SHEETS if s.optional}}
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
_RULE_COLUMNS = schema.BY_NAME[SHEET_RULES].column_names
# Headings a sheet must have: its required columns (a master written before an optional column
# was added keeps working).
_HEADINGS = {s.name: tuple(c.name for c in s.columns if c.required) for s in schema.SHEETS}
_OPTIONAL = {s.name for s in schema.SHEETS if s.optional}


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
    missing = [c for c in columns if c not in header and c in _HEADINGS.get(sheet, columns)]
    if missing and sheet in _OPTIONAL and not any(any(v is not None and v != "" for v in r) for r in table[1:]):
        missing = []  # an optional sheet left empty: its headings do not matter
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
                            r.get("親コード") or None, r.get("階層名"),
                            notes=tuple((name, r.get(name)) for name in schema.NODE_NOTES if r.get(name))))
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
                ordered.append(replace(n, depth=depth))
                visit(n.code, depth + 1)

    visit(None, 0)
    return tuple(ordered)


def _projects(rows: list[Row], per_placement: bool, out: _Collector) -> tuple[Project, ...]:
    return tuple(Project(r.get("事業ID"), _required(r, "事業名", out), r.get("概要"),
                         _sheet_unit(r.get("シートの単位"), per_placement, r.at("シートの単位"), out))
                 for r in _unique(rows, "事業ID", out))


def _sheet_unit(value: str, default: bool, loc: Location, out: _Collector) -> bool:
    """Whether a project is answered on one sheet per placement (「施策ごと」) or one per
    department (「担当課ごと」); blank keeps ``default``."""
    word = normalize.text(value)
    if not word:
        return default
    if word not in (schema.PER_PLACEMENT, schema.PER_DEPARTMENT):
        out.add("master.bad-value", loc, column="シートの単位", value=value,
                hint=f"「{schema.PER_DEPARTMENT}」または「{schema.PER_PLACEMENT}」を入力してください。")
        return default
    return word == schema.PER_PLACEMENT


def _setting(table: list[list[object]], key: str) -> tuple[int, str]:
    """A setting of the 計画 sheet read as text, with its row (0 and "" when absent)."""
    for n, row in enumerate(table, start=1):
        if row and normalize.text(row[0]) == key:
            return n, _cell_text(row[1]) if len(row) > 1 else ""
    return 0, ""


def _per_placement(table: list[list[object]], out: _Collector) -> bool:
    row, value = _setting(table, "シートの単位")
    return _sheet_unit(value, False, Location(sheet=SHEET_PLAN, row=row, column="値"), out)


def _chart_level(plan: Plan, table: list[list[object]], policies: tuple[PolicyNode, ...],
                 out: _Collector) -> Plan:
    """The 計画 sheet's グラフの階層: a level name or a number from 1 (the top)."""
    row, value = _setting(table, "グラフの階層")
    if not value:
        return plan
    depths = {p.level: p.depth for p in reversed(policies) if p.level}
    number = normalize.text(value)
    depth = int(number) - 1 if number.isdigit() else depths.get(value)
    if depth is None or not any(p.depth == depth for p in policies):
        out.add("master.unknown-level", Location(sheet=SHEET_PLAN, row=row, column="値"), value=value,
                levels="、".join(depths) or "（階層名なし）")
        return plan
    return replace(plan, chart_level=depth)


def _axes(tables: dict[str, list[list[object]]], out: _Collector) -> tuple[Axis, ...]:
    """The 分類軸 sheet: each axis with its values, in the master's order."""
    if SHEET_AXES not in tables:
        return ()
    values: dict[str, list[AxisValue]] = {}
    kinds: dict[str, tuple[bool, int]] = {}
    seen: dict[tuple[str, str], int] = {}
    for r in _rows(SHEET_AXES, tables, out, schema.BY_NAME[SHEET_AXES].column_names):
        axis, value = _required(r, "軸名", out), _required(r, "値", out)
        if not (axis and value):
            continue
        if (axis, value) in seen:
            out.add("master.duplicate-id", r.at("値"), column="軸名・値", value=f"{axis} {value}",
                    first_row=seen[(axis, value)])
            continue
        seen[(axis, value)] = r.number
        sub_plan = normalize.text(r.get("区分")) == schema.SUB_PLAN
        if r.get("区分") and not sub_plan:
            out.add("master.bad-value", r.at("区分"), column="区分", value=r.get("区分"),
                    hint=f"個別計画の軸は「{schema.SUB_PLAN}」と入力し、それ以外は空欄にしてください。")
        first = kinds.setdefault(axis, (sub_plan, r.number))
        if first[0] != sub_plan:
            out.add("master.mixed-axis-kind", r.at("区分"), axis=axis, first_row=first[1])
        values.setdefault(axis, []).append(AxisValue(value, r.get("説明")))
    return tuple(Axis(name, kinds[name][0], tuple(v)) for name, v in values.items())


def _with_axes(projects: tuple[Project, ...], axes: tuple[Axis, ...], tables: dict[str, list[list[object]]],
               out: _Collector) -> tuple[Project, ...]:
    """Each project's values on each axis (the 事業の分類 sheet); values the 分類軸 sheet does not
    declare are refused."""
    if SHEET_PROJECT_AXES not in tables:
        return projects
    declared = {a.name: [v.name for v in a.values] for a in axes}
    ids = {p.id for p in projects}
    given: dict[str, dict[str, list[str]]] = {}
    for r in _rows(SHEET_PROJECT_AXES, tables, out, schema.BY_NAME[SHEET_PROJECT_AXES].column_names):
        pid, axis, value = (_required(r, c, out) for c in ("事業ID", "軸名", "値"))
        if pid and pid not in ids:
            out.add("master.unknown-project", r.at("事業ID"), value=pid)
        elif axis and axis not in declared:
            out.add("master.unknown-axis", r.at("軸名"), value=axis, axes="、".join(declared) or "（なし）")
        elif axis and value and value not in declared[axis]:
            out.add("master.unknown-axis-value", r.at("値"), axis=axis, value=value,
                    values="、".join(declared[axis]))
        elif pid and axis and value and value not in given.setdefault(pid, {}).setdefault(axis, []):
            given[pid][axis].append(value)
    order = {a.name: i for i, a in enumerate(axes)}
    return tuple(replace(p, axes=tuple((axis, tuple(v)) for axis, v in sorted(
        given.get(p.id, {}).items(), key=lambda item: order[item[0]]))) for p in projects)


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
    lists: dict[str, list[Choice]] = {LIST_TARGETS: [], LIST_SCALE: [], LIST_PARTNERS: [], schema.LIST_QUESTIONS: []}
    for r in rows:
        kind = _required(r, "種類", out)
        number = _number(r, "番号", out)
        label = _required(r, "表示名", out)
        if kind and kind not in lists:
            out.add("master.bad-value", r.at("種類"), column="種類", value=kind,
                    hint=f"{'、'.join(lists)} のいずれかを入力してください。")
            continue
        if kind and number is not None and label:
            named = normalize.text(r.get("名称を記入")).lower() in YES
            lists[kind].append(Choice(number, label, named))
    for kind, items in lists.items():
        if rows and not items and kind != schema.LIST_QUESTIONS:
            out.add("master.empty-list", Location(sheet=SHEET_CHOICES), kind=kind)
    return ChoiceLists(tuple(lists[LIST_TARGETS]), tuple(lists[LIST_SCALE]),
                       tuple(lists[LIST_PARTNERS]), tuple(lists[schema.LIST_QUESTIONS]))


def _indicators(tables: dict[str, list[list[object]]], policies: tuple[PolicyNode, ...],
                assignments: tuple[tuple[str, str], ...], out: _Collector) -> tuple[Indicator, ...]:
    if SHEET_INDICATORS not in tables:  # optional sheet
        return ()
    codes = {p.code for p in policies}
    departments = {d for _, d in assignments}
    result = []
    for r in _unique(_rows(SHEET_INDICATORS, tables, out, _INDICATOR_COLUMNS), "指標ID", out):
        code = _required(r, "施策コード", out)
        if code and code not in codes:
            out.add("master.unknown-policy", r.at("施策コード"), value=code)
        department = _required(r, "報告担当", out)
        if department and department not in departments:
            out.add("master.unknown-department", r.at("報告担当"), value=department)
        kind = normalize.text(r.get("種類")) or "数値"
        if kind not in ("数値", "定性"):
            out.add("master.bad-value", r.at("種類"), column="種類", value=r.get("種類"),
                    hint="「数値」か「定性」を入力してください。")
        direction = normalize.text(r.get("方向")) or Direction.UP.value
        if direction not in {d.value for d in Direction}:
            out.add("master.bad-value", r.at("方向"), column="方向", value=r.get("方向"),
                    hint="「増加」「減少」「維持」のいずれかを入力してください。")
            direction = Direction.UP.value
        ind = Indicator(
            r.get("指標ID"), code, _required(r, "指標名", out), department, r.get("単位"), kind == "定性",
            Direction(direction), _year(r, "基準年度", out), None, r.get("基準値"), _year(r, "目標年度", out), None,
            r.get("目標値"), (), r.get("目標設定の考え方"), r.get("備考"), r.number)
        if not ind.qualitative:
            ind = replace(ind, baseline=_measure(r, "基準値", ind.unit, out),
                          target=_measure(r, "目標値", ind.unit, out),
                          interim=_interim(r, ind.unit, out))
        result.append(ind)
    return tuple(result)


def _year(row: Row, column: str, out: _Collector) -> int | None:
    raw = row.get(column)
    year = normalize.fiscal_year(raw) if raw else None
    if raw and year is None:
        out.add("master.bad-value", row.at(column), column=column, value=raw, hint=schema.YEAR_FORMS)
    return year


def _measure(row: Row, column: str, unit: str, out: _Collector) -> float | None:
    raw = row.get(column)
    if not raw:
        return None
    found = rating.measure(raw, unit)
    if found.value is None:
        hint = (f"単位は「{unit}」です。数値だけ（例：85）を入力してください。" if found.problem == "unit"
                else "数値を入力してください。数で測らない指標なら「種類」を「定性」にしてください。")
        out.add("master.bad-value", row.at(column), column=column, value=raw, hint=hint)
    return found.value


def _interim(row: Row, unit: str, out: _Collector) -> tuple[tuple[int, float], ...]:
    raw = normalize.text(row.get("年度別目標"))
    if not raw:
        return ()
    found = []
    for part in re.split(r"[、,;；\s]+", raw):
        year_text, _, value_text = part.partition("=")
        year = normalize.fiscal_year(year_text)
        value = rating.measure(value_text, unit).value if value_text else None
        if year is None or value is None:
            out.add("master.bad-value", row.at("年度別目標"), column="年度別目標", value=row.get("年度別目標"),
                    hint="「R3=9000、R4=9250」のように、年度=値 を「、」で区切って入力してください。")
            return ()
        found.append((year, value))
    return tuple(sorted(found))


def _check_indicators(indicators: tuple[Indicator, ...], rule: RatingRule, plan: Plan | None,
                      out: _Collector) -> None:
    """The rule must apply to every numeric indicator: a baseline, a target, a span to divide by."""
    for ind in indicators:
        def at(column: str, ind: Indicator = ind) -> Location:
            return Location(sheet=SHEET_INDICATORS, row=ind.row, column=column)

        if ind.qualitative:
            continue
        if ind.baseline is None and ind.baseline_text == "":
            out.add("master.rule-unusable", at("基準値"), id=ind.id, reason="基準値がありません",
                    hint="基準値を入力してください。")
        if ind.target is None and ind.target_text == "":
            out.add("master.rule-unusable", at("目標値"), id=ind.id, reason="目標値がありません",
                    hint="目標値を入力してください。")
        if ind.baseline is None or ind.target is None:
            continue
        if ind.direction is not Direction.KEEP and ind.target == ind.baseline:
            out.add("master.rule-unusable", at("目標値"), id=ind.id,
                    reason="目標値が基準値と同じで、達成率を計算できません",
                    hint="基準値を保つ目標なら「方向」を「維持」にしてください。")
        elif ind.direction is Direction.KEEP and ind.target == 0:
            out.add("master.rule-unusable", at("目標値"), id=ind.id,
                    reason="維持する目標値が 0 で、達成率を計算できません",
                    hint="目標値を確かめてください。")
        elif (ind.direction is Direction.UP and ind.target < ind.baseline) or (
                ind.direction is Direction.DOWN and ind.target > ind.baseline):
            out.add("master.rule-unusable", at("方向"), id=ind.id,
                    reason=f"方向が「{ind.direction.value}」なのに目標値が基準値の"
                           f"{'下' if ind.direction is Direction.UP else '上'}です",
                    hint="「方向」か目標値を直してください。")
        if rule.method is Method.PRORATED and not ind.interim:
            if ind.baseline_year is None or ind.target_year is None or ind.target_year <= ind.baseline_year:
                out.add("master.rule-unusable", at("目標年度"), id=ind.id,
                        reason="按分の評価には基準年度より後の目標年度が要ります",
                        hint="基準年度と目標年度を入力するか、「年度別目標」を入力してください。")
            elif plan is not None and plan.fiscal_year <= ind.baseline_year:
                out.add("master.rule-unusable", at("基準年度"), id=ind.id,
                        reason="評価年度が基準年度より後でないため、按分した目標が 0 になります",
                        hint="「年度別目標」にこの年度の目標を入力してください。")


# The rows of the 評価基準 sheet, by their 項目 (A column).
_RULE_KEYS = ("プリセット", "方式", "評価", "許容幅（％）", "測定不能", "終了", "未着手", "定性", "施策の評価",
              "施策の評価に事業を含める", "事業の自己評価")


def _rule(tables: dict[str, list[list[object]]], out: _Collector) -> RatingRule:
    """The rating rule: a preset, changed by the rows of the 評価基準 sheet (the default preset
    when the sheet is absent)."""
    rule = presets.PRESETS[presets.DEFAULT]
    if SHEET_RULES not in tables:
        return rule
    rows = _rows(SHEET_RULES, tables, out, _RULE_COLUMNS)
    keys = {normalize.text(k): k for k in _RULE_KEYS}
    grades: list[tuple[Row, Grade]] = []
    specials = dict(rule.specials)
    qualitative: dict[str, str] = {}
    qualitative_rows: list[tuple[Row, str]] = []
    for r in rows:
        key = keys.get(normalize.text(r.get("項目")))
        value = r.get("値")
        if key is None:
            out.add("master.bad-value", r.at("項目"), column="項目", value=r.get("項目"),
                    hint=f"{'・'.join(_RULE_KEYS)} のいずれかを入力してください。")
            continue
        if key == "プリセット":
            if value not in presets.PRESETS:
                out.add("master.bad-value", r.at("値"), column="値", value=value,
                        hint=f"プリセットは {'・'.join(presets.PRESETS)} のいずれかです。")
            else:
                rule = presets.PRESETS[value]
                specials = dict(rule.specials)
        elif key == "方式":
            if _one_of(r, [m.value for m in Method], out):
                rule = replace(rule, method=Method(value))
        elif key == "評価":
            if _required(r, "値", out):
                grades.append((r, _grade(r, out)))
        elif key == "許容幅（％）":
            tolerance = normalize.amount(value).number
            if tolerance is None or tolerance < 0:
                out.add("master.bad-value", r.at("値"), column="値", value=value,
                        hint="0 以上の数値（例：10）を入力してください。")
            else:
                rule = replace(rule, tolerance=tolerance)
        elif key in ("測定不能", "終了", "未着手"):
            specials[Special(key)] = _required(r, "値", out)
        elif key == "定性":
            if _one_of(r, rating.QUALITATIVE_CHOICES, out):
                qualitative[value] = r.get("条件")
                qualitative_rows.append((r, r.get("条件")))
        elif key == "施策の評価":
            if _one_of(r, [m.value for m in Rollup], out):
                rule = replace(rule, rollup=Rollup(value))
        else:
            flag = normalize.text(value).lower()
            _one_of(r, ["する", "しない"], out, accepted=flag in ON | NO)
            if key == "施策の評価に事業を含める":
                rule = replace(rule, include_projects=flag in ON)
            else:
                rule = replace(rule, project_rating=flag in ON)
    if grades:
        rule = replace(rule, grades=tuple(g for _, g in grades), name="計画マスタの評価基準")
    rule = replace(rule, specials=specials, qualitative={**rule.qualitative, **qualitative})
    _check_grades(rule, grades, out)
    for r, label in qualitative_rows:
        if label not in rule.labels:
            out.add("master.bad-value", r.at("条件"), column="条件", value=label,
                    hint=f"評価の記号（{'・'.join(rule.labels)}）のいずれかを入力してください。")
    return rule


def _one_of(row: Row, words: Sequence[str], out: _Collector, accepted: bool | None = None) -> bool:
    """Whether the row's 値 is one of ``words`` (or ``accepted`` says so); else a bad-value issue
    listing them."""
    ok = row.get("値") in words if accepted is None else accepted
    if not ok:
        out.add("master.bad-value", row.at("値"), column="値", value=row.get("値"),
                hint=f"{'・'.join(f'「{w}」' for w in words)} のいずれかを入力してください。")
    return ok


ON = YES | {"する"}
NO = {"しない", "いいえ", "no", "n", "0", "false", "×", "✕", "無", "なし"}


def _grade(row: Row, out: _Collector) -> Grade:
    condition = normalize.text(row.get("条件"))
    bound: float | None = None
    if condition and condition not in rating.CONDITIONS:
        bound = normalize.amount(condition.rstrip("%")).number
        if bound is None:
            out.add("master.bad-value", row.at("条件"), column="条件", value=row.get("条件"),
                    hint=f"達成率の下限（例：80）か、{'・'.join(rating.CONDITIONS)} のどれかを入力してください。")
        condition = ""
    return Grade(row.get("値"), row.get("意味"), bound, condition)


def _check_grades(rule: RatingRule, rows: list[tuple[Row, Grade]], out: _Collector) -> None:
    """A scale whose bands overlap, leave a gap or repeat a label cannot rate: say which row."""
    if not rows:
        return
    seen: dict[str, int] = {}
    for r, g in rows:
        if g.label in seen:
            out.add("master.duplicate-id", r.at("値"), column="評価の記号", value=g.label, first_row=seen[g.label])
        seen.setdefault(g.label, r.number)
    if rule.method is Method.BASELINE:
        used: dict[str, int] = {}
        for r, g in rows:
            if g.condition not in rating.CONDITIONS:
                out.add("master.bad-bands", r.at("条件"), label=g.label,
                        reason=f"基準値比較の方式では、条件に {'・'.join(rating.CONDITIONS)} のどれかが要ります")
            elif g.condition in used:
                out.add("master.bad-bands", r.at("条件"), label=g.label,
                        reason=f"条件「{g.condition}」が {used[g.condition]}行目と重なっています")
            used.setdefault(g.condition, r.number)
        missing = [c for c in rating.CONDITIONS if c not in used]
        if missing:
            out.add("master.bad-bands", rows[-1][0].at("条件"), label=rows[-1][1].label,
                    reason=f"条件 {'・'.join(missing)} に当たる評価がなく、評価できない実績が残ります")
        return
    previous: tuple[Row, Grade] | None = None
    for n, (r, g) in enumerate(rows):
        last = n == len(rows) - 1
        if g.condition:
            out.add("master.bad-bands", r.at("条件"), label=g.label,
                    reason=f"{rule.method.value}の方式では、条件は達成率の下限（％）です")
        elif g.bound is None and not last:
            out.add("master.bad-bands", r.at("条件"), label=g.label,
                    reason="下限が空欄なのは最後の評価だけです（空欄の評価より下の評価に当たる実績がなくなります）")
        elif g.bound is not None and last:
            out.add("master.bad-bands", r.at("条件"), label=g.label,
                    reason=f"最後の評価の下限を空欄にしてください（{g.bound:g}%未満の実績に当たる評価がありません）")
        elif g.bound is not None and previous is not None and previous[1].bound is not None \
                and g.bound >= previous[1].bound:
            out.add("master.bad-bands", r.at("条件"), label=g.label,
                    reason=f"下限 {g.bound:g}% が {previous[0].number}行目の評価「{previous[1].label}」の下限"
                           f" {previous[1].bound:g}% 以上で、区分が重なっています（上の行ほど大きくしてください）")
        previous = (r, g)
