"""The plain, JSON-able context handed to the Word and Excel templates (--dump-context)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from reporter.core import era
from reporter.core.held import History
from reporter.core.issues import Severity
from reporter.core.normalize import circled
from reporter.core.report import CheckReport
from reporter.outputs.build import yearly
from reporter.outputs.build.aggregate import Aggregates, question_labels
from reporter.outputs.build.ratings import ratings
from reporter.outputs.build.yearly import amount_text

Context = dict[str, Any]


def figure_text(value: float | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
    return value


def build_context(report: CheckReport, agg: Aggregates, today: date, history: History | None = None,
                  opinions: Mapping[str, str] | None = None) -> Context:
    master = report.master
    rated = ratings(report, history or History(master.plan.name), agg.sheets, opinions)
    indicators_by_policy: dict[str, list[dict[str, Any]]] = {}
    for row in rated["indicators"]:
        indicators_by_policy.setdefault(row["policy_code"], []).append(row)
    policy_ratings = {p["code"]: p for p in rated["policies"]}
    years = yearly.compare(agg.sheets, master, history or History(master.plan.name))
    previous = years["previous"]
    plan = master.plan
    choices = master.choices
    scale = {c.number: f"{circled(c.number)}{c.label}" for c in choices.scale}
    partners = {p.number: p for p in choices.partners}
    other_labels = frozenset(c.label for c in choices.targets if c.named)
    # Projects in the order of the master (number inside the policy, then department).
    order = {(s.project_id, s.policy_code, s.department): i for i, s in enumerate(master.sheets())}
    rows = sorted(agg.sheets, key=lambda r: order.get((r["project_id"], r["policy_code"], r["department"]), 0))
    sheets_by_policy: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        before = years["sheets"].get((row["project_id"], row["policy_code"], row["department"]))
        entry = {**_sheet(row, scale, partners, other_labels), "previous": before,
                 "new": previous is not None and before is None}
        # A sheet answering for several placements is shown under each, with that placement's number.
        for code, number in row["placements"]:
            sheets_by_policy.setdefault(code, []).append(
                {**entry, "number": number, "also": [f"{c} No.{n}" for c, n in row["placements"] if c != code]})
    for entries in sheets_by_policy.values():
        entries.sort(key=lambda e: e["number"])
    # Sheets of each policy the report does not hold (not returned; returned with errors and
    # being checked): an incomplete year says so at each policy.
    missing: Counter[str] = Counter(s.policy_code for s in report.missing)
    pending: Counter[str] = Counter(r.spec.policy_code for r in report.excluded)
    parents = {p["parent"] for p in agg.policies if p["parent"]}
    policies = [{**p, "heading": min(p["depth"] + 2, 8), "settled_text": amount_text(p["settled"]),
                 "has_children": p["code"] in parents, "missing": missing[p["code"]],
                 "notes": [{"heading": h, "text": t} for h, t in master.policy(p["code"]).notes],
                 "path": "　＞　".join(f"{n.level or '施策'} {n.code}" for n in master.path(p["code"])),
                 "pending": pending[p["code"]],
                 "budget_text": amount_text(p["budget"]), "entries": sheets_by_policy.get(p["code"], []),
                 "previous": years["policies"].get(p["code"]),
                 "indicators": indicators_by_policy.get(p["code"], []),
                 "rating": policy_ratings[p["code"]] if rated["enabled"] else None}
                for p in agg.policies]
    counts = report.counts()
    year_label = era.long(plan.fiscal_year)
    return {
        "plan": {"name": plan.name, "title_lines": title_lines(plan.name), "city": plan.city,
                 "fiscal_year": plan.fiscal_year,
                 "fiscal_year_label": era.long(plan.fiscal_year), "next_year_label": era.long(plan.fiscal_year + 1),
                 "period_label": f"{era.long(plan.first_year)}～{era.long(plan.last_year)}", "unit": plan.unit,
                 "years": [era.short(y) for y in plan.years],
                 "year_index": plan.years.index(plan.fiscal_year)},
        "generated": era.date_text(today),
        "document": {"title": f"{plan.name} {year_label} 進行管理報告書", "author": plan.city,
                     "subject": f"{plan.city} {plan.name}の{year_label}の進行管理（自己評価の集計）",
                     "keywords": f"{plan.name}、{year_label}、進行管理、自己評価"},
        # Sheets missing or in error: the report is provisional (速報) until every one is in.
        "provisional": counts["missing"] + counts["excluded"] > 0,
        "counts": {**counts, "not_included": counts["expected"] - counts["included"]},
        "totals": {**agg.totals, "settled_text": amount_text(agg.totals["settled"]),
                   "budget_text": amount_text(agg.totals["budget"]),
                   "double_settled_text": amount_text(agg.totals["possible_double_count_settled"]),
                   "double_budget_text": amount_text(agg.totals["possible_double_count_budget"]),
                   # Projects placed under several policies count once per policy in the policy
                   # table, once in the total: the table says so when its column adds up to more.
                   "multi_placed": sum(1 for p in agg.projects if len(p["policies"]) > 1),
                   "policy_projects_sum": sum(p["own"]["projects"] for p in agg.policies)},
        "policies": policies,
        "projects": [{**p, "settled_text": amount_text(p["settled"]), "budget_text": amount_text(p["budget"]),
                      "departments_text": "、".join(c["department"] for c in p["contributions"]),
                      "previous": years["projects"].get(p["project_id"])}
                     for p in agg.projects],
        "previous": previous,
        "ended_projects": years["ended"],
        "trend": years["trend"],
        "period": years["period"],
        "departments": [{**d, "settled_text": amount_text(d["settled"]), "budget_text": amount_text(d["budget"])}
                        for d in agg.departments],
        "partners": agg.partners,
        "targets": [{**t, "share_text": f"{t['share'] * 100:.0f}%"} for t in agg.targets],
        "collaboration": [{**c, "share_text": f"{c['share'] * 100:.0f}%"} for c in agg.collaboration],
        "shared_budgets": [{**g, "settled_text": amount_text(g["settled"]), "budget_text": amount_text(g["budget"]),
                            "names": "、".join(_sheet_label(s) for s in g["sheets"])} for g in agg.shared_budgets],
        "missing": [{"department": s.department, "policy_code": s.policy_code, "number": s.number,
                     "project_name": master.project(s.project_id).name, "reason": "未提出"} for s in report.missing],
        "excluded": [_excluded(report, r) for r in report.excluded],
        "unusable_files": [_unusable(f) for f in report.files if not f.usable],
        "ratings": rated,
        "chart_depth": master.chart_depth,
        "questions": list(question_labels(master)),  # the collaboration questions as the master names them
        "axes": [_axis(a) for a in agg.axes],
        "sub_plans": _sub_plans(agg, master, sheets_by_policy),
        "amounts_differ": [{**d, "settled_text": amount_text(d["settled"]), "budget_text": amount_text(d["budget"]),
                            "sheets_text": "、".join(f"{x['policy_code']} No.{x['number']}：{amount_text(x['settled'])}"
                                                    f"／{amount_text(x['budget'])}" for x in d["sheets"])}
                           for d in agg.amounts_differ],
        "charts": {},
        "toc_placeholder": "（目次は Word でファイルを開くと作成されます。）",
    }


def _with_texts(row: Mapping[str, Any]) -> dict[str, Any]:
    ratings = row.get("ratings", {})
    return {**row, "settled_text": amount_text(row["settled"]), "budget_text": amount_text(row["budget"]),
            "ratings_text": "、".join(f"{label} {n}" for label, n in ratings.items()) if ratings else ""}


def _axis(axis: Mapping[str, Any]) -> dict[str, Any]:
    """One axis's cross-tabulation: each value's projects, sheets and amounts, and the total
    (each project once: the grand total)."""
    return {**axis, "values": [_with_texts(v) for v in axis["values"]], "total": _with_texts(axis["total"])}


def _sub_plans(agg: Aggregates, master: Any, sheets_by_policy: Mapping[str, list[dict[str, Any]]]) -> list[Any]:
    """Each value of a sub-plan axis (個別計画): its projects' sheets in tree order, its totals."""
    result = []
    for axis in agg.axes:
        if not axis["sub_plan"]:
            continue
        for value in axis["values"]:
            if not value["assigned"]:
                continue
            ids = {p.id for p in master.projects if value["value"] in p.values_of(axis["name"])}
            entries = [{**e, "policy_code": code} for code, entries in sheets_by_policy.items()
                       for e in entries if e["project_id"] in ids and e["policy_code"] == code]
            result.append({**_with_texts(value), "axis": axis["name"], "name": value["value"], "entries": entries})
    return result


def title_lines(name: str, width: int = 16) -> list[str]:
    """A long plan name broken for the cover at sensible points: before an opening bracket
    (「支え合いのまち推進プラン」 stays whole) and never inside a word; short names stay one line."""
    if len(name) <= width:
        return [name]
    parts = [part for part in re.split(r"(?=[「『（(〜～])|(?<=[」』）)])|(?<=[\s　])", name) if part.strip()]
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + len(part.rstrip()) <= width:
            lines[-1] += part
        else:
            lines.append(part)
    return [line.strip() for line in lines]


def _sheet(row: Mapping[str, Any], scale: Mapping[int, str], partners: Mapping[int, Any],
           other_labels: frozenset[str] = frozenset()) -> dict[str, Any]:
    def partner_text(numbers: Sequence[int]) -> str:
        if not numbers:
            return "なし"
        return "、".join(f"{circled(n)}{partners[n].label}" if n in partners else str(n) for n in numbers)

    names = "、".join(f"{circled(int(n))}{name}" for n, name in row["partner_names"].items())
    targets = list(row["targets"])
    if row["target_other"]:  # the free text belongs to the named choice: その他（関連団体、企業等）
        named = [n for n, t in enumerate(targets) if t in other_labels]
        if named:
            targets[named[-1]] += f"（{row['target_other']}）"
        else:
            targets.append(f"（{row['target_other']}）")
    return {
        **row,
        "targets_text": "、".join(targets) or "－",  # group names may hold 「・」 themselves
        "settled_text": amount_text(row["settled"]), "budget_text": amount_text(row["budget"]),
        "collab_internal_text": scale.get(row["collab_internal"] or 0, "－"),
        "collab_community_text": scale.get(row["collab_community"] or 0, "－"),
        "partners_done_text": partner_text(row["partners_done"]),
        "partners_wanted_text": partner_text(row["partners_wanted"]),
        "partner_names_text": names,
        "figures": [{"label": f["label"], "cells": [figure_text(v) for v in f["values"]], "values": f["values"],
                     "total": figure_text(f["total"]), "total_value": f["total"]} for f in row["figures"]],
    }


def _unusable(f: Any) -> dict[str, Any]:
    reasons = [i.message for i in f.reasons]
    return {"file": f.name, "reasons": reasons, "reasons_text": "\n".join(reasons)}


def _sheet_label(s: Mapping[str, Any]) -> str:
    return f"{s['policy_code']} No.{s['number']}「{s['project_name']}」（{s['department']}）"


def _excluded(report: CheckReport, record: Any) -> dict[str, Any]:
    errors = [i for i in report.sheet_issues(record) if i.severity is Severity.ERROR]
    return {"department": record.spec.department, "policy_code": record.spec.policy_code,
            "number": record.spec.number, "project_name": report.master.project(record.spec.project_id).name,
            "file": record.source.file, "sheet": record.source.sheet,
            "reasons": [f"{i.location.field or i.location.cell}：{i.message}" for i in errors],
            "reasons_text": "\n".join(f"{i.location.field or i.location.cell}：{i.message}" for i in errors)}
