"""Rules across the whole batch: duplicates (newest wins), shared amounts, projects under
several policies, and every expected sheet that did not arrive."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from reporter.checks import at
from reporter.core import issues
from reporter.core.issues import Issue, Location
from reporter.core.model import Master, SheetSpec
from reporter.core.normalize import AmountKind
from reporter.core.records import SheetRecord

# The issue codes this module raises (tests/test_contracts.py holds every code to one module).
CODES = (
    "batch.duplicate-submission",
    "batch.shared-amount",
    "batch.multi-policy-project",
    "batch.amounts-differ",
    "batch.missing",
)


def newest_first(records: Sequence[SheetRecord]) -> tuple[list[SheetRecord], list[Issue]]:
    """One record per (project, policy, department): the newest file wins; the others are
    named in a warning on the superseded sheet and returned nowhere else."""
    groups: dict[tuple[str, str, str], list[SheetRecord]] = defaultdict(list)
    for r in records:
        groups[r.spec.key].append(r)
    winners, found = [], []
    for group in groups.values():
        ordered = sorted(group, key=lambda r: (r.source.modified, r.source.file, r.source.sheet), reverse=True)
        winners.append(ordered[0])
        for older in ordered[1:]:
            found.append(issues.make("batch.duplicate-submission", Location(older.source.file, older.source.sheet),
                                     newer=_where(ordered[0]), older=_where(older)))
    order = {id(r): i for i, r in enumerate(records)}
    return sorted(winners, key=lambda r: order[id(r)]), found


def superseded(records: Sequence[SheetRecord], winners: Sequence[SheetRecord]) -> list[SheetRecord]:
    kept = {id(r) for r in winners}
    return [r for r in records if id(r) not in kept]


def _where(r: SheetRecord) -> str:
    return f"{r.source.file}／{r.source.sheet}"


def shared_amounts(records: Sequence[SheetRecord], master: Master) -> Iterator[Issue]:
    groups: dict[tuple[float, float], list[SheetRecord]] = defaultdict(list)
    for r in records:
        if r.settled.kind is AmountKind.OK and r.budget.kind is AmountKind.OK \
                and (r.settled.value or r.budget.value):
            groups[(r.settled.value or 0.0, r.budget.value or 0.0)].append(r)
    for group in groups.values():
        if len({r.spec.project_id for r in group}) < 2:
            continue
        for r in group:
            others = [o for o in group if o.spec.project_id != r.spec.project_id]
            names = "、".join(f"{o.spec.policy_code} No.{o.spec.number}「{master.project(o.spec.project_id).name}」"
                             for o in others)
            yield issues.make("batch.shared-amount", _budget_cell(r), settled=f"{r.settled.number:,}",
                              budget=f"{r.budget.number:,}", others=names)


def multi_policy(records: Sequence[SheetRecord]) -> Iterator[Issue]:
    policies: dict[tuple[str, str], list[SheetRecord]] = defaultdict(list)
    for r in records:
        policies[(r.spec.project_id, r.spec.department)].append(r)
    for group in policies.values():
        if len({r.spec.policy_code for r in group}) > 1:
            codes = "、".join(sorted({r.spec.policy_code for r in group}))  # codes may hold 「・」
            for r in group:
                yield issues.make("batch.multi-policy-project", Location(r.source.file, r.source.sheet),
                                  policies=codes)


def amounts_differ(records: Sequence[SheetRecord]) -> Iterator[Issue]:
    """One department's sheets of one project (one sheet per placement) that disagree on the
    amounts: the totals use their sum, which is right only if the amounts were split on purpose."""
    groups: dict[tuple[str, str], list[SheetRecord]] = defaultdict(list)
    for r in records:
        groups[(r.spec.project_id, r.spec.department)].append(r)
    for group in groups.values():
        pairs = {(r.settled.value, r.budget.value) for r in group}
        if len(group) < 2 or len(pairs) < 2:
            continue
        listed = "、".join(f"{r.spec.policy_code} No.{r.spec.number}：{_amount(r.settled.value)}／"
                          f"{_amount(r.budget.value)}" for r in group)
        settled = sum(r.settled.value or 0.0 for r in group)
        budget = sum(r.budget.value or 0.0 for r in group)
        for r in group:
            yield issues.make("batch.amounts-differ", _budget_cell(r), sheets=listed, settled=_amount(settled),
                              budget=_amount(budget))


def _amount(value: float | None) -> str:
    return "空欄" if value is None else f"{value:,.0f}"


def missing(master: Master, received: set[tuple[str, str, str]]) -> tuple[list[SheetSpec], list[Issue]]:
    absent = [s for s in master.sheets() if s.key not in received]
    found = [issues.make("batch.missing", Location(sheet=s.sheet_name, field=s.department),
                         project=master.project(s.project_id).name, policy_code=s.policy_code)
             for s in absent]
    return absent, found


def _budget_cell(r: SheetRecord) -> Location:
    return at(r, "F_SETTLED")
