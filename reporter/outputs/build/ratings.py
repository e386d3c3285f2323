"""Indicators and ratings for the report: each indicator's run of actuals, achievement and rating,
the rating counts at every level of the tree and each policy's rolled-up rating (plain data).

This year's actual comes from the check (the newest file's answer); earlier years' from the
history. The rule (the master's 評価基準) decides every rating; its text goes into the report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reporter.core import era, rating
from reporter.core.held import History
from reporter.core.rating import Actual, Indicator, RatingRule
from reporter.core.report import CheckReport

Row = dict[str, Any]


def ratings(report: CheckReport, history: History, sheets: Sequence[Row],
            opinions: Mapping[str, str] | None = None) -> Row:
    """The ``ratings`` part of the report's context (``enabled`` False without indicators and
    without project self-ratings)."""
    master = report.master
    rule = master.rule
    if rule is None:
        return {"enabled": False, "indicators": [], "policies": [], "labels": [], "lines": [], "years": [],
                "reported": 0, "expected": 0, "name": "", "totals": {}, "project_rating": False}
    plan = master.plan
    years = [y for y in plan.years if y <= plan.fiscal_year]
    rows = [_indicator(rule, ind, report, history, years, plan.fiscal_year) for ind in master.indicators]
    labels_by_policy: dict[str, list[str]] = {}
    for row in rows:
        labels_by_policy.setdefault(row["policy_code"], []).append(row["label"])
    if rule.include_projects:
        for s in sheets:
            if s.get("rating"):
                labels_by_policy.setdefault(s["policy_code"], []).append(s["rating"])
    shown = list(rating.counts(rule, []))
    policies = []
    for p in master.policies:
        below = [label for code in master.subtrees[p.code] for label in labels_by_policy.get(code, [])]
        counts = rating.counts(rule, below)
        policies.append({"code": p.code, "name": p.name, "level": p.level, "depth": p.depth,
                         "counts": counts, "cells": [counts[k] for k in shown],
                         "rating": rating.rollup(rule, below) or "－", "rated": sum(counts[k] for k in rule.labels),
                         "opinion": (opinions or {}).get(p.code, "")})
    everything = [label for labels in labels_by_policy.values() for label in labels]
    totals = rating.counts(rule, everything)
    return {
        "enabled": True, "name": rule.name, "labels": shown, "grades": [{"label": g.label, "meaning": g.meaning}
                                                                        for g in rule.grades],
        "lines": list(rating.describe(rule)), "years": [era.short(y) for y in years],
        "indicators": rows, "policies": policies,
        "totals": {"counts": totals, "cells": [totals[k] for k in shown], "rating": rating.rollup(rule, everything)},
        "reported": sum(1 for r in rows if r["reported"]), "expected": len(rows),
        "project_rating": rule.project_rating, "include_projects": rule.include_projects,
    }


def _indicator(rule: RatingRule, ind: Indicator, report: CheckReport, history: History, years: list[int],
               year: int) -> Row:
    answer = report.indicator_answer(ind.id)
    actual = answer.actual if answer is not None else None
    held = history.indicator(ind.id, year)
    cells, values = [], []
    for y in years:
        if y == year:
            text, value = _text(ind, actual), actual.value if actual is not None else None
        elif y in held:
            h = held[y]
            text, value = (rating.number_text(h.value, ind.unit) if h.value is not None else h.text or "－"), h.value
        else:
            text, value = "－", None
        cells.append(text)
        values.append(value)
    rated = rating.rate(rule, ind, actual, year)
    reported = actual is not None and actual.given
    return {
        "id": ind.id, "name": ind.name, "policy_code": ind.policy_code, "department": ind.department,
        "unit": ind.unit, "qualitative": ind.qualitative, "direction": ind.direction.value,
        "baseline_text": _with_year(ind.baseline, ind.baseline_text, ind.unit, ind.baseline_year),
        "target_text": _with_year(ind.target, ind.target_text, ind.unit, ind.target_year),
        "baseline": ind.baseline, "baseline_year": ind.baseline_year, "target": ind.target,
        "target_year": ind.target_year, "cells": cells, "values": values,
        "actual_text": _text(ind, actual), "achievement": rated.achievement,
        "achievement_text": rating.percent(rated.achievement) if rated.achievement is not None else "－",
        "goal_text": rating.number_text(rated.goal, ind.unit) if rated.goal is not None else "",
        "label": rated.label or "－", "basis": rated.basis if reported else "未報告", "reported": reported,
        "explanation": actual.explanation if actual is not None else "",
        "rationale": ind.rationale, "note": ind.note, "chart": f"indicator_{ind.id}",
        "trend": _trend(ind, years, values),
    }


def _text(ind: Indicator, actual: Actual | None) -> str:
    if actual is None or not actual.given:
        return "未報告"
    if actual.special is not None:
        return actual.special.value
    if ind.qualitative:
        return actual.choice
    return rating.number_text(actual.value, ind.unit)


def _with_year(value: float | None, written: str, unit: str, year: int | None) -> str:
    text = rating.number_text(value, unit) if value is not None else written
    return f"{text}（{era.short(year)}）" if year else text


def _trend(ind: Indicator, years: list[int], values: list[float | None]) -> Row | None:
    """The points of the indicator's small chart: the baseline, each year's actual, the target."""
    if ind.qualitative or ind.baseline is None:
        return None
    points = [(era.short(y), v) for y, v in zip(years, values, strict=True) if v is not None]
    if not points:
        return None
    return {"baseline": ind.baseline, "baseline_label": era.short(ind.baseline_year) if ind.baseline_year else "基準",
            "points": points, "target": ind.target,
            "target_label": era.short(ind.target_year) if ind.target_year else "目標", "unit": ind.unit}
