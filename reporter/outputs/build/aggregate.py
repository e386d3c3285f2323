"""Aggregation (pandas lives here; DataFrames do not leave this module).

Everything returned is plain, JSON-able data: lists of dicts and numbers. Amounts are in the
plan's unit (千円). A project placed under several policies counts in each policy's own total
(one sheet answering for several placements counts under each), but once in any total above
them and in the grand total. When one department's sheets of a project disagree on the amounts
(one sheet per placement, split differently), the totals use the sum of its sheets and say so;
when they agree, the amount counts once. A pair of amounts shared by sheets of different
projects is marked, so a reader sees where a naive sum double-counts. Every classification
axis is cross-tabulated, a project counted once under each of its values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
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
    amounts_differ: list[Row] = field(default_factory=list)  # one department's sheets of a project disagree
    axes: list[Row] = field(default_factory=list)  # per axis: per value, projects, sheets and amounts


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
            "file": r.source.file, "sheet": r.source.sheet, "sheet_id": f"{r.source.file}|{r.source.sheet}",
            "placements": [[code, number] for code, number in r.spec.placements],
            "rating": r.rating, "rating_reason": r.rating_reason,
        })
    return rows


COLUMNS = ["project_id", "policy_code", "number", "department", "settled", "budget", "collab_internal",
           "collab_community", "sheet_id"]


def _placed(rows: Sequence[Row]) -> pd.DataFrame:
    """One row per placement a sheet answers for (a sheet answering for two policies is counted
    under each; ``sheet_id`` tells that it is one sheet)."""
    expanded = [{**{c: row[c] for c in COLUMNS}, "policy_code": code, "number": number}
                for row in rows for code, number in row["placements"]]
    return pd.DataFrame(expanded, columns=COLUMNS)


def aggregate(records: Sequence[SheetRecord], master: Master) -> Aggregates:
    rows = sheet_rows(records, master)
    frame = pd.DataFrame(rows, columns=COLUMNS)  # one row per sheet
    placed = _placed(rows)  # one row per placement answered
    shared = _shared(frame, master)
    return Aggregates(
        sheets=rows, projects=_projects(frame, placed, master), policies=_policies(placed, master),
        departments=_departments(frame, master),
        targets=_targets(records, master), collaboration=_collaboration(frame, master),
        partners=_partners(records, master), totals=_totals(frame, shared), shared_budgets=shared,
        amounts_differ=_differing(frame, master), axes=_axes(frame, rows, master),
    )


def _unique_contributions(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (project, department), with its first sheet's policy and number, ``agree``
    (its sheets give one pair of amounts) and the amounts the totals use: that pair when they
    agree (a project under two policies is counted once), the sums of its sheets when not (the
    rule batch.amounts_differ tells the department)."""
    keys = ["project_id", "department"]
    sheets = frame.drop_duplicates(subset=["sheet_id"])
    grouped = sheets.groupby(keys, sort=False)
    first = grouped[["policy_code", "number"]].first()
    pairs = sheets.drop_duplicates(subset=[*keys, "settled", "budget"]).groupby(keys, sort=False).size()
    first["agree"] = pairs.reindex(first.index) <= 1
    for column in ("settled", "budget"):
        first[column] = grouped[column].max().where(first["agree"], grouped[column].sum())
    return first.reset_index()


def _sums(frame: pd.DataFrame) -> Row:
    unique = _unique_contributions(frame)
    return {
        "sheets": int(frame["sheet_id"].nunique()),
        "projects": int(frame["project_id"].nunique()),
        "settled": float(unique["settled"].fillna(0).sum()),
        "budget": float(unique["budget"].fillna(0).sum()),
    }


def _policies(placed: pd.DataFrame, master: Master) -> list[Row]:
    rows = []
    for p in master.policies:
        own = placed[placed["policy_code"] == p.code]
        below = placed[placed["policy_code"].isin(master.subtrees[p.code])]
        rows.append({"code": p.code, "name": p.name, "level": p.level, "depth": p.depth, "parent": p.parent,
                     "own": _sums(own), **_sums(below)})
    return rows


def _differing(frame: pd.DataFrame, master: Master) -> list[Row]:
    """Projects whose sheets from one department disagree on the amounts: what each sheet says
    and what the totals use (their sums)."""
    sheets = frame.drop_duplicates(subset=["sheet_id"])
    rows = []
    for c in _unique_contributions(frame).to_dict("records"):
        if c["agree"]:
            continue
        mine = sheets[(sheets["project_id"] == c["project_id"]) & (sheets["department"] == c["department"])]
        rows.append({"project_id": str(c["project_id"]), "project_name": master.project(str(c["project_id"])).name,
                     "department": str(c["department"]),
                     "sheets": [{"policy_code": str(r["policy_code"]), "number": int(r["number"]),
                                 "settled": _float(r["settled"]), "budget": _float(r["budget"])}
                                for r in mine.to_dict("records")],
                     "settled": float(c["settled"]), "budget": float(c["budget"])})
    return rows


def _axes(frame: pd.DataFrame, rows_: Sequence[Row], master: Master) -> list[Row]:
    """Each axis of the master: per value, the projects carrying it, their sheets and amounts
    (a project counted once under each of its values) and, when projects rate themselves, the
    sheets' self-ratings; projects with no value are a row of their own, so the total (each
    project once) is the grand total."""
    rated = master.project_rating
    labels = [g.label for g in master.rule.grades] if rated and master.rule is not None else []
    result = []
    for axis in master.axes:
        values = {pid: master.project(pid).values_of(axis.name) for pid in frame["project_id"].unique()}
        rows = []
        for value in [*(v.name for v in axis.values), None]:
            mine = [pid for pid, given in values.items() if (value in given if value else not given)]
            if value is None and not mine:
                continue
            sums = _sums(frame[frame["project_id"].isin(mine)])
            description = next((v.description for v in axis.values if v.name == value), "")
            given = [r["rating"] for r in rows_ if r["project_id"] in mine and r["rating"]]
            rows.append({"value": value or "（分類なし）", "description": description, "assigned": value is not None,
                         **sums, "ratings": {label: given.count(label) for label in labels}})
        result.append({"name": axis.name, "sub_plan": axis.sub_plan, "values": rows, "total": _sums(frame)})
    return result


def _projects(frame: pd.DataFrame, placed: pd.DataFrame, master: Master) -> list[Row]:
    """A project reported by several departments is one project with several contributions."""
    rank = {key: i for i, key in enumerate(master.assignments)}
    unique = _unique_contributions(frame)
    unique = unique.assign(rank=[rank.get(k, 0) for k in zip(unique["project_id"], unique["department"],
                                                             strict=True)]).sort_values("rank")
    policies = placed.groupby("project_id")["policy_code"].agg(lambda codes: sorted(set(codes))).to_dict()
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
    sheets = frame.groupby("department")["sheet_id"].nunique()
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
    for column, label in zip(("collab_internal", "collab_community"), question_labels(master), strict=True):
        counts = frame[column].value_counts()
        answered = int(counts.sum())
        for choice in master.choices.scale:
            count = int(counts.get(choice.number, 0))
            rows.append({"scale": label, "number": choice.number, "label": choice.label, "sheets": count,
                         "share": count / answered if answered else 0.0})
        rows.append({"scale": label, "number": None, "label": "無回答", "sheets": int(len(frame) - answered),
                     "share": 0.0})
    return rows


def question_labels(master: Master) -> tuple[str, str]:
    """The two collaboration questions as the master names them (選択肢 「連携設問」); plain
    numbered labels when it does not."""
    given = [c.label for c in sorted(master.choices.questions, key=lambda c: c.number)]
    return (given[0] if given else "連携の設問1", given[1] if len(given) > 1 else "連携の設問2")


def _partners(records: Sequence[SheetRecord], master: Master) -> list[Row]:
    rows = []
    for policy in master.policies:
        mine = [r for r in records if any(code == policy.code for code, _ in r.spec.placements)]
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
