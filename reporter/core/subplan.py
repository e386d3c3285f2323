"""A sub-plan's own view of a checked year: only its projects, under its own name.

A sub-plan (成年後見制度利用促進計画, 再犯防止推進計画 …) is a value of a classification axis the
master marks 個別計画. Its report is made from the same submissions: the policies that hold its
projects (and the policies above them), its projects' sheets, the sheets of them still missing.
"""

from __future__ import annotations

from dataclasses import replace

from reporter.core.model import Master
from reporter.core.report import CheckReport, index_by_sheet


def names(master: Master) -> tuple[str, ...]:
    """Every sub-plan of the master, in its order."""
    return tuple(v.name for a in master.axes if a.sub_plan for v in a.values)


def restrict(report: CheckReport, name: str) -> CheckReport:
    """The report as the sub-plan ``name`` sees it (``name`` must be one of ``names``)."""
    master = report.master
    axis = next(a for a in master.axes if a.sub_plan and any(v.name == name for v in a.values))
    ids = {p.id for p in master.projects if name in p.values_of(axis.name)}
    placed = {pl.policy_code for pl in master.placements if pl.project_id in ids}
    kept = {node.code for code in placed for node in master.path(code)}  # with every policy above
    mine = replace(
        master, plan=replace(master.plan, name=name),
        policies=tuple(p for p in master.policies if p.code in kept),
        projects=tuple(p for p in master.projects if p.id in ids),
        placements=tuple(pl for pl in master.placements if pl.project_id in ids),
        assignments=tuple(a for a in master.assignments if a[0] in ids),
        indicators=tuple(i for i in master.indicators if i.policy_code in placed),  # not the goals above
        # Its own report: no sub-plan chapters, and only the axes its projects are classified on.
        axes=tuple(a for a in master.axes if not a.sub_plan
                   and any(p.values_of(a.name) for p in master.projects if p.id in ids)))
    records = tuple(r for r in report.records if r.spec.project_id in ids)
    sheets = {(r.source.file, r.source.sheet) for r in records}
    issues = tuple(i for i in report.issues if (i.location.file, i.location.sheet) in sheets)
    # Its files: those holding its sheets, and every file that could not be read (it may hold them).
    files = tuple(f for f in report.files if not f.usable or any(file == f.name for file, _ in sheets))
    return replace(report, master=mine, files=files, records=records,
                   superseded=tuple(r for r in report.superseded if r.spec.project_id in ids),
                   missing=tuple(s for s in report.missing if s.project_id in ids), issues=issues,
                   by_sheet=index_by_sheet(issues),
                   indicators=tuple(r for r in report.indicators if mine.indicator(r.indicator_id) is not None))
