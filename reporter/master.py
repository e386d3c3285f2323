"""Load the plan master (the office's workbook) into plain objects, checking it as it goes.

Every problem becomes an Issue naming sheet, row and column; the caller refuses to go on
when there is any.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from reporter import master_axes, master_rules, runtime
from reporter.core import form, normalize, schema
from reporter.core.issues import Issue, Location, Severity
from reporter.core.model import (
    Choice,
    ChoiceLists,
    Master,
    Placement,
    Plan,
    PolicyNode,
    Project,
)
from reporter.intake.read import UnreadableError, read_tables
from reporter.master_sheets import (
    REQUIRED,
    YES,
    Collector,
    Row,
    cell_text,
    read_rows,
    required,
    unique,
    whole_number,
)

# The issue codes this module raises (tests/test_contracts.py holds every code to one module).
CODES = (
    "master.unreadable",
    "master.missing-sheet",
    "master.missing-setting",
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
SHEET_INDICATORS, SHEET_RULES = schema.INDICATORS, schema.RULES
SHEET_AXES, SHEET_PROJECT_AXES = schema.AXES, schema.PROJECT_AXES
LIST_TARGETS, LIST_SCALE, LIST_PARTNERS = schema.LIST_TARGETS, schema.LIST_SCALE, schema.LIST_PARTNERS

BAND_KEY = "予算増減の確認幅（％）"
DEFAULT_BAND = 100.0  # a budget over twice, or under half, the settlement is told
PLAN_KEYS = tuple(c.name for c in schema.SETTINGS if c.required)
PLAN_OPTIONAL_KEYS = tuple(c.name for c in schema.SETTINGS if not c.required)

def load_master(path: Path) -> tuple[Master | None, tuple[Issue, ...]]:
    """Read and check the master: (master, warnings) when it can be used, else (None, problems
    with the warnings among them). Every problem names the sheet, row and column."""
    out = Collector(path.name)
    # Read in a worker process: even the office's own file must not be able to abort this one.
    tables = next(runtime.isolated(_tables, [path], None, workers=min(1, runtime.default_workers())))
    if isinstance(tables, runtime.Failed | str):
        reason = tables if isinstance(tables, str) else "読み込みの途中で処理が異常終了しました"
        out.add("master.unreadable", Location(), reason=reason)
        return None, tuple(out.found)
    rows = {name: read_rows(name, tables, out) for name in REQUIRED}
    plan = _plan(tables.get(SHEET_PLAN), out)
    policies = _policies(rows[SHEET_POLICIES], out)
    if plan is not None:
        plan = master_axes.chart_level(plan, tables.get(SHEET_PLAN, []), policies, out)
    axes = master_axes.axes(tables, out)
    per_placement = master_axes.per_placement(tables.get(SHEET_PLAN, []), out)
    projects = master_axes.with_axes(_projects(rows[SHEET_PROJECTS], per_placement, out), axes, tables, out)
    placements = _placements(rows[SHEET_PLACEMENTS], policies, projects, out)
    assignments = _assignments(rows[SHEET_DEPARTMENTS], projects, out)
    _check_coverage(projects, placements, assignments, out)
    choices = _choices(rows[SHEET_CHOICES], out)
    indicators = master_rules.indicators(tables, policies, assignments, out)
    rule = master_rules.rule(tables, out)
    master_rules.check_indicators(indicators, rule, plan, out)
    if plan is not None:
        _check_slots(plan, choices, tables, out)
    _unknown_columns(tables, out)
    if plan is None or any(i.severity is Severity.ERROR for i in out.found):
        return None, tuple(out.found)
    master = Master(plan, policies, projects, placements, assignments, choices, indicators,
                    rule if indicators or rule.project_rating else None, axes)
    return master, tuple(out.found)


def _check_slots(plan: Plan, choices: ChoiceLists, tables: dict[str, list[list[object]]], out: Collector) -> None:
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


def _unknown_columns(tables: dict[str, list[list[object]]], out: Collector) -> None:
    known = {**REQUIRED, **{s.name: s.column_names for s in schema.SHEETS if s.optional}}
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


def _plan(table: list[list[object]] | None, out: Collector) -> Plan | None:
    if table is None:
        out.add("master.missing-sheet", Location(sheet=SHEET_PLAN), sheet=SHEET_PLAN)
        return None
    settings = {normalize.text(r[0]): (n, r[1] if len(r) > 1 else None)
                for n, r in enumerate(table, start=1) if r and r[0] is not None}
    values: dict[str, object] = {}
    for key in PLAN_KEYS:
        if key not in settings or cell_text(settings[key][1]) == "":
            out.add("master.missing-setting", Location(sheet=SHEET_PLAN), key=key)
            continue
        row, raw = settings[key]
        if key.endswith("年度"):
            year = normalize.fiscal_year(raw)
            if year is None:
                out.add("master.bad-value", Location(sheet=SHEET_PLAN, row=row, column="値"),
                        column=key, value=cell_text(raw),
                        hint="2020 や 令和2年度、R2 のように年度を入力してください。")
            values[key] = year
        else:
            values[key] = cell_text(raw)
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
    unit = cell_text(settings.get("金額単位", (0, "千円"))[1]) or "千円"
    band_row, band_raw = settings.get(normalize.text(BAND_KEY), (0, None))  # keys are read folded: （％） -> (%)
    band = normalize.amount(band_raw).number if cell_text(band_raw) else DEFAULT_BAND
    if band is None or band < 0:
        out.add("master.bad-value", Location(sheet=SHEET_PLAN, row=band_row, column="値"),
                column=BAND_KEY, value=cell_text(band_raw), hint="0 以上の数値（例：50）を入力してください。")
        return None
    return Plan(str(values["計画名"]), str(values["市区町村名"]), first, last, year, unit, float(band))


def _policies(rows: list[Row], out: Collector) -> tuple[PolicyNode, ...]:
    nodes = [(r, PolicyNode(r.get("コード"), required(r, "名称", out),
                            r.get("親コード") or None, r.get("階層名"),
                            notes=tuple((name, r.get(name)) for name in schema.NODE_NOTES if r.get(name))))
             for r in unique(rows, "コード", out)]
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


def _projects(rows: list[Row], per_placement: bool, out: Collector) -> tuple[Project, ...]:
    return tuple(Project(r.get("事業ID"), required(r, "事業名", out), r.get("概要"),
                         master_axes.sheet_unit(r.get("シートの単位"), per_placement, r.at("シートの単位"), out))
                 for r in unique(rows, "事業ID", out))


def _placements(rows: list[Row], policies: tuple[PolicyNode, ...],
                projects: tuple[Project, ...], out: Collector) -> tuple[Placement, ...]:
    codes = {p.code for p in policies}
    ids = {p.id for p in projects}
    found: dict[tuple[str, int], int] = {}
    result = []
    for r in rows:
        pid, code = required(r, "事業ID", out), required(r, "施策コード", out)
        number = whole_number(r, "番号", out)
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


def _assignments(rows: list[Row], projects: tuple[Project, ...],
                 out: Collector) -> tuple[tuple[str, str], ...]:
    ids = {p.id for p in projects}
    seen: dict[tuple[str, str], int] = {}
    for r in rows:
        pid, dept = required(r, "事業ID", out), required(r, "担当課名", out)
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
                    assignments: tuple[tuple[str, str], ...], out: Collector) -> None:
    placed = {p.project_id for p in placements}
    staffed = {pid for pid, _ in assignments}
    for p in projects:
        loc = Location(sheet=SHEET_PROJECTS, column="事業ID")
        if p.id not in placed:
            out.add("master.project-unplaced", loc, value=p.id)
        if p.id not in staffed:
            out.add("master.project-without-department", loc, value=p.id)


def _choices(rows: list[Row], out: Collector) -> ChoiceLists:
    lists: dict[str, list[Choice]] = {LIST_TARGETS: [], LIST_SCALE: [], LIST_PARTNERS: [], schema.LIST_QUESTIONS: []}
    for r in rows:
        kind = required(r, "種類", out)
        number = whole_number(r, "番号", out)
        label = required(r, "表示名", out)
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
