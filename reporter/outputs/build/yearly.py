"""The year set beside the years before it: the previous year per sheet, project and policy (with
the change), the plan period's trend per top-level policy, and the plan-period summary in the
plan's last year. Plain JSON-able dicts for the context.

Amounts follow the report's rule: a project answered under several policies counts in each
policy's own figure and once above them. A project is matched across years by its ID (a renamed
project keeps its history); one added this year is marked as new, one held last year that the
master no longer lists as ended, and a year not held is "no record", never a zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from reporter.core import era
from reporter.core.held import HeldSheet, History
from reporter.core.model import Master

Row = dict[str, Any]
NOT_HELD = "記録なし"  # a plan year the history does not hold
Amounts = tuple[str, str, str, float | None, float | None]  # project, policy, department, settled, budget


def amount_text(value: float | None) -> str:
    if value is None:
        return "－"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def change_text(now: float | None, before: float | None) -> str:
    if now is None or before is None:
        return "－"
    diff = now - before
    if diff == 0:
        return "±0"
    return ("+" if diff > 0 else "－") + amount_text(abs(diff))


def _pair(now: Mapping[str, float | None] | None, before: Mapping[str, float | None] | None) -> Row | None:
    """The previous year's amounts beside this year's, with the change."""
    if before is None:
        return None
    now = now or {"settled": None, "budget": None}
    return {"settled": before["settled"], "budget": before["budget"],
            "settled_text": amount_text(before["settled"]), "budget_text": amount_text(before["budget"]),
            "settled_change_text": change_text(now["settled"], before["settled"]),
            "budget_change_text": change_text(now["budget"], before["budget"])}


def _sums(rows: Iterable[Amounts], codes: set[str] | None = None) -> dict[str, float | None]:
    """Settled and budget of ``rows`` under ``codes`` (all when None), each (project,
    department) once."""
    seen: dict[tuple[str, str], tuple[float | None, float | None]] = {}
    for project, policy, department, settled, budget in rows:
        if codes is None or policy in codes:
            seen.setdefault((project, department), (settled, budget))
    if not seen:
        return {"settled": None, "budget": None}
    return {"settled": sum(s or 0.0 for s, _ in seen.values()), "budget": sum(b or 0.0 for _, b in seen.values())}


def _held_rows(sheets: Sequence[HeldSheet]) -> list[Amounts]:
    return [(s.project_id, s.policy_code, s.department, s.settled, s.budget) for s in sheets]


def _by_project(rows: Iterable[Amounts]) -> dict[str, list[Amounts]]:
    grouped: dict[str, list[Amounts]] = {}
    for r in rows:
        grouped.setdefault(r[0], []).append(r)
    return grouped


def compare(sheets: Sequence[Row], master: Master, history: History) -> Row:
    """What the context adds for the years before: ``previous`` (None without a held previous
    year), per-sheet/project/policy pairs keyed for the context to attach, ``trend`` and
    ``period`` (None when there is nothing to show: the period needs the plan's last year and
    at least one earlier year held)."""
    plan = master.plan
    year = plan.fiscal_year
    now_rows: list[Amounts] = [(s["project_id"], s["policy_code"], s["department"], s["settled"], s["budget"])
                               for s in sheets]
    by_year = {y: _held_rows(history.of_year(y)) for y in history.held_years if y < year}
    by_year[year] = now_rows
    subtrees = {code: set(codes) for code, codes in master.subtrees.items()}
    last = history.latest_before(year)
    out: Row = {"previous": None, "sheets": {}, "projects": {}, "policies": {}, "ended": [],
                "trend": _trend(by_year, master, subtrees), "period": None}
    if plan.last_year == year and len(by_year) > 1:  # the plan's last year, beside at least one other
        out["period"] = _period(by_year, master, subtrees, history)
    if last is None:
        return out
    before = history.of_year(last)
    held_year = history.year(last)
    totals_now, totals_before = _sums(now_rows), _sums(_held_rows(before))
    out["previous"] = {"year": last, "label": era.long(last), "sheets": held_year.sheets if held_year else 0,
                       "projects": held_year.projects if held_year else 0,
                       **(_pair(totals_now, totals_before) or {})}
    held_by_key = {h.key: h for h in before}
    held_by_project: dict[tuple[str, str], HeldSheet] = {}
    for h in before:
        held_by_project.setdefault((h.project_id, h.department), h)
    for row in sheets:
        key = (row["project_id"], row["policy_code"], row["department"])
        old = held_by_key.get(key) or held_by_project.get((row["project_id"], row["department"]))
        out["sheets"][key] = _pair(row, {"settled": old.settled, "budget": old.budget} if old else None)
    now_by_project, before_by_project = _by_project(now_rows), _by_project(_held_rows(before))
    for pid, mine in now_by_project.items():
        old_rows = before_by_project.get(pid)
        out["projects"][pid] = _pair(_sums(mine), _sums(old_rows) if old_rows else None)
    for p in master.policies:
        then = _sums(_held_rows(before), subtrees[p.code])
        out["policies"][p.code] = _pair(_sums(now_rows, subtrees[p.code]),
                                        then if then["settled"] is not None else None)
    listed = {p.id for p in master.projects}
    ended: dict[tuple[str, str], HeldSheet] = {}  # each department of an ended project, its first sheet
    for h in before:
        if h.project_id not in listed:
            ended.setdefault((h.project_id, h.department), h)
    out["ended"] = [{"project_id": h.project_id, "name": h.project_name, "department": h.department,
                     "settled": h.settled, "budget": h.budget,
                     "settled_text": amount_text(h.settled), "budget_text": amount_text(h.budget)}
                    for h in ended.values()]
    return out


def _trend(by_year: Mapping[int, list[Amounts]], master: Master, subtrees: Mapping[str, set[str]]) -> Row | None:
    """Settled amounts per top-level policy over the plan years held (None before two years)."""
    years = [y for y in master.plan.years if y in by_year]
    if len(years) < 2:
        return None
    series = [{"code": p.code, "name": p.name,
               "values": [_sums(by_year[y], subtrees[p.code])["settled"] for y in years]}
              for p in master.policies if p.parent is None]
    return {"years": [era.short(y) for y in years], "series": series}


def _period(by_year: Mapping[int, list[Amounts]], master: Master, subtrees: Mapping[str, set[str]],
            history: History) -> Row:
    """Every plan year side by side: settled per policy (each level) and per project."""
    years = master.plan.years
    held = set(by_year)

    def cells(rows_of: Any) -> dict[str, list[Any]]:
        """Per plan year: the settled amount (None: no report that year), NOT_HELD for a year
        the history does not hold; and the same as texts."""
        values: list[float | str | None] = [rows_of(y) if y in held else NOT_HELD for y in years]
        return {"values": values, "cells": [v if isinstance(v, str) else amount_text(v) for v in values]}

    policies = [{"code": p.code, "name": p.name, "depth": p.depth,
                 **cells(lambda y, c=p.code: _sums(by_year[y], subtrees[c])["settled"])}
                for p in master.policies]
    names = {pid: name for y in sorted(held) for pid, name in
             ((s.project_id, s.project_name) for s in history.of_year(y))}
    names.update({p.id: p.name for p in master.projects})
    grouped = {y: _by_project(by_year[y]) for y in held}
    projects = []
    for pid in dict.fromkeys(r[0] for y in sorted(held) for r in by_year[y]):
        projects.append({"project_id": pid, "name": names.get(pid, pid),
                         **cells(lambda y, i=pid: _sums(grouped[y].get(i, ()))["settled"])})
    total = cells(lambda y: _sums(by_year[y])["settled"])
    return {"years": [era.short(y) for y in years], "policies": policies, "projects": projects,
            "total": total["cells"], "total_values": total["values"]}
