"""The master's classification axes (分類軸, 事業の分類) and the settings that shape a plan
unlike Sendai's: the unit of a sheet (one per department or per placement) and the tree level
the charts compare."""

from __future__ import annotations

from dataclasses import replace

from reporter.core import normalize, schema
from reporter.core.issues import Location
from reporter.core.model import Axis, AxisValue, Plan, PolicyNode, Project
from reporter.master_sheets import SHEET_PLAN, Collector, read_rows, required, setting

# The issue codes this module raises (tests/test_contracts.py holds every code to one module).
CODES = (
    "master.unknown-axis",
    "master.unknown-axis-value",
    "master.mixed-axis-kind",
    "master.unknown-level",
)

SHEET_AXES, SHEET_PROJECT_AXES = schema.AXES, schema.PROJECT_AXES


def sheet_unit(value: str, default: bool, loc: Location, out: Collector) -> bool:
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


def per_placement(table: list[list[object]], out: Collector) -> bool:
    row, value = setting(table, "シートの単位")
    return sheet_unit(value, False, Location(sheet=SHEET_PLAN, row=row, column="値"), out)


def chart_level(plan: Plan, table: list[list[object]], policies: tuple[PolicyNode, ...],
                 out: Collector) -> Plan:
    """The 計画 sheet's グラフの階層: a level name or a number from 1 (the top)."""
    row, value = setting(table, "グラフの階層")
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


def axes(tables: dict[str, list[list[object]]], out: Collector) -> tuple[Axis, ...]:
    """The 分類軸 sheet: each axis with its values, in the master's order."""
    if SHEET_AXES not in tables:
        return ()
    values: dict[str, list[AxisValue]] = {}
    kinds: dict[str, tuple[bool, int]] = {}
    seen: dict[tuple[str, str], int] = {}
    for r in read_rows(SHEET_AXES, tables, out, schema.BY_NAME[SHEET_AXES].column_names):
        axis, value = required(r, "軸名", out), required(r, "値", out)
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


def with_axes(projects: tuple[Project, ...], axes: tuple[Axis, ...], tables: dict[str, list[list[object]]],
               out: Collector) -> tuple[Project, ...]:
    """Each project's values on each axis (the 事業の分類 sheet); values the 分類軸 sheet does not
    declare are refused."""
    if SHEET_PROJECT_AXES not in tables:
        return projects
    declared = {a.name: [v.name for v in a.values] for a in axes}
    ids = {p.id for p in projects}
    given: dict[str, dict[str, list[str]]] = {}
    for r in read_rows(SHEET_PROJECT_AXES, tables, out, schema.BY_NAME[SHEET_PROJECT_AXES].column_names):
        pid, axis, value = (required(r, c, out) for c in ("事業ID", "軸名", "値"))
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
