"""Aggregation (pandas lives here; DataFrames do not leave this module).

Everything returned is plain, JSON-able data: lists of dicts and numbers. Amounts are in the
plan's unit (千円). A project reported under several policies counts in each policy's own
total, but once in any total above them and in the grand total; a pair of amounts shared by
sheets of different projects is marked, so a reader sees where a naive sum double-counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from reporter.core.model import Master
from reporter.core.records import SheetRecord

Row = dict[str, Any]


@dataclass(frozen=True)
class Aggregates:
    sheets: list[Row]  # one per included sheet, every field
    projects: list[Row]  # one per project: its policies and each department's contribution
    policies: list[Row]  # every node of the tree, in tree order, with subtree figures
    departments: list[Row]
    targets: list[Row]
    collaboration: list[Row]  # the two scales: counts and shares per choice
    partners: list[Row]  # per policy and partner: done / wanted
    totals: Row
    shared_budgets: list[Row]  # groups of sheets of different projects with the same amounts


def _amount(r: SheetRecord, which: str) -> float | None:
    value = getattr(r, which)
    return None if value.value is None else float(value.value)


def sheet_rows(records: Sequence[SheetRecord], master: Master) -> list[Row]:
    rows = []
    for r in records:
        project = master.project(r.spec.project_id)
        rows.append({
            "project_id": r.spec.project_id, "policy_code": r.spec.policy_code, "number": r.spec.number,
            "project_name": project.name, "overview": project.overview, "department": r.spec.department,
            "targets": [c.label for c, t in zip(master.choices.targets, r.targets, strict=False) if t],
            "target_other": r.target_other,
            **{key: r.text(key) for key in r.texts},
            "settled": _amount(r, "settled"), "budget": _amount(r, "budget"),
            "collab_internal": r.collab_internal, "collab_community": r.collab_community,
            "partners_done": list(r.partners_done.numbers), "partners_wanted": list(r.partners_wanted.numbers),
            "partner_names": {str(k): v for k, v in r.partner_names.items()},
            "figures": [{"label": f.label, "values": list(f.values), "total": f.total} for f in r.figures],
            "file": r.source.file, "sheet": r.source.sheet,
            "rating": r.rating, "rating_reason": r.rating_reason,
        })
    return rows


def aggregate(records: Sequence[SheetRecord], master: Master) -> Aggregates:
    rows = sheet_rows(records, master)
    frame = pd.DataFrame(rows, columns=["project_id", "policy_code", "number", "department", "settled",
                                        "budget", "collab_internal", "collab_community"])
    shared = _shared(frame, master)
    return Aggregates(
        sheets=rows, projects=_projects(frame, master), policies=_policies(frame, master),
        departments=_departments(frame, master),
        targets=_targets(records, master), collaboration=_collaboration(frame, master),
        partners=_partners(records, master), totals=_totals(frame, shared), shared_budgets=shared,
    )


def _unique_contributions(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (project, department): a project under two policies is counted once."""
    return frame.drop_duplicates(subset=["project_id", "department"])


def _sums(frame: pd.DataFrame) -> Row:
    unique = _unique_contributions(frame)
    return {
        "sheets": len(frame),
        "projects": int(frame["project_id"].nunique()),
        "settled": float(unique["settled"].fillna(0).sum()),
        "budget": float(unique["budget"].fillna(0).sum()),
    }


def _policies(frame: pd.DataFrame, master: Master) -> list[Row]:
    rows = []
    for p in master.policies:
        own = frame[frame["policy_code"] == p.code]
        below = frame[frame["policy_code"].isin(master.subtrees[p.code])]
        rows.append({"code": p.code, "name": p.name, "level": p.level, "depth": p.depth, "parent": p.parent,
                     "own": _sums(own), **_sums(below)})
    return rows


def _projects(frame: pd.DataFrame, master: Master) -> list[Row]:
    """A project reported by several departments is one project with several contributions."""
    rank = {key: i for i, key in enumerate(master.assignments)}
    unique = _unique_contributions(frame)
    unique = unique.assign(rank=[rank.get(k, 0) for k in zip(unique["project_id"], unique["department"],
                                                             strict=True)]).sort_values("rank")
    policies = frame.groupby("project_id")["policy_code"].agg(lambda codes: sorted(set(codes))).to_dict()
    sheets = frame.groupby("project_id").size().to_dict()
    contributions: dict[str, list[Row]] = {}
    for row in unique.to_dict("records"):
        contributions.setdefault(str(row["project_id"]), []).append(
            {"department": str(row["department"]), "settled": _float(row["settled"]),
             "budget": _float(row["budget"])})
    rows = []
    for project in master.projects:
        if project.id not in sheets:
            continue
        mine = contributions[project.id]
        rows.append({
            "project_id": project.id, "name": project.name, "policies": policies[project.id],
            "sheets": int(sheets[project.id]), "contributions": mine,
            "settled": sum(c["settled"] or 0.0 for c in mine), "budget": sum(c["budget"] or 0.0 for c in mine),
        })
    return rows


def _float(value: Any) -> float | None:
    return None if value is None or value != value else float(value)  # NaN is not equal to itself


def _departments(frame: pd.DataFrame, master: Master) -> list[Row]:
    unique = _unique_contributions(frame)
    sheets = frame.groupby("department").size()
    projects = frame.groupby("department")["project_id"].nunique()
    money = unique.fillna({"settled": 0, "budget": 0}).groupby("department")[["settled", "budget"]].sum()
    settled, budget = money["settled"].to_dict(), money["budget"].to_dict()
    return [{"department": dept, "sheets": int(sheets.get(dept, 0)), "projects": int(projects.get(dept, 0)),
             "settled": float(settled.get(dept, 0.0)), "budget": float(budget.get(dept, 0.0))}
            for dept in master.departments]


def _targets(records: Sequence[SheetRecord], master: Master) -> list[Row]:
    n = len(records)
    rows = []
    for i, choice in enumerate(master.choices.targets):
        count = sum(1 for r in records if i < len(r.targets) and r.targets[i])
        rows.append({"label": choice.label, "sheets": count, "share": count / n if n else 0.0})
    return rows


def _collaboration(frame: pd.DataFrame, master: Master) -> list[Row]:
    rows = []
    for column, label in (("collab_internal", "市の関係部局内との組織横断的な連携"),
                          ("collab_community", "地域保健福祉活動の担い手との連携")):
        counts = frame[column].value_counts()
        answered = int(counts.sum())
        for choice in master.choices.scale:
            count = int(counts.get(choice.number, 0))
            rows.append({"scale": label, "number": choice.number, "label": choice.label, "sheets": count,
                         "share": count / answered if answered else 0.0})
        rows.append({"scale": label, "number": None, "label": "無回答", "sheets": int(len(frame) - answered),
                     "share": 0.0})
    return rows


def _partners(records: Sequence[SheetRecord], master: Master) -> list[Row]:
    rows = []
    for policy in master.policies:
        mine = [r for r in records if r.spec.policy_code == policy.code]
        if not mine:
            continue
        for partner in master.choices.partners:
            done = sum(1 for r in mine if partner.number in r.partners_done.numbers)
            wanted = sum(1 for r in mine if partner.number in r.partners_wanted.numbers)
            rows.append({"policy_code": policy.code, "number": partner.number, "label": partner.label,
                         "done": done, "wanted": wanted, "sheets": len(mine)})
    return rows


def _shared(frame: pd.DataFrame, master: Master) -> list[Row]:
    unique = _unique_contributions(frame).dropna(subset=["settled", "budget"])
    unique = unique[(unique["settled"] != 0) | (unique["budget"] != 0)]
    projects = unique.groupby(["settled", "budget"])["project_id"].transform("nunique")
    shared = unique[projects >= 2].sort_values(["settled", "budget"], kind="stable")
    groups: dict[tuple[float, float], list[Row]] = {}
    for row in shared.to_dict("records"):
        key = (float(row["settled"]), float(row["budget"]))
        groups.setdefault(key, []).append({
            "project_id": str(row["project_id"]), "project_name": master.project(str(row["project_id"])).name,
            "policy_code": str(row["policy_code"]), "number": int(row["number"]),
            "department": str(row["department"])})
    return [{"settled": settled, "budget": budget, "sheets": members,
             "overcount_settled": settled * (len(members) - 1), "overcount_budget": budget * (len(members) - 1)}
            for (settled, budget), members in groups.items()]


def _totals(frame: pd.DataFrame, shared: list[Row]) -> Row:
    sums = _sums(frame)
    over_s = sum(g["overcount_settled"] for g in shared)
    over_b = sum(g["overcount_budget"] for g in shared)
    return {**sums, "departments": int(frame["department"].nunique()),
            "possible_double_count_settled": over_s, "possible_double_count_budget": over_b}
