"""Rules across the fields of one sheet."""

from __future__ import annotations

from collections.abc import Iterator

from reporter.checks import at
from reporter.core import form, issues
from reporter.core.issues import Issue
from reporter.core.model import Master
from reporter.core.normalize import AmountKind, circled
from reporter.core.records import SheetRecord

# The issue codes this module raises (tests/test_contracts.py holds every code to one module).
CODES = (
    "cross.other-without-text",
    "cross.text-without-other",
    "cross.partner-without-name",
    "cross.name-without-partner",
    "cross.done-without-partner",
    "cross.partner-both",
    "cross.none-with-numbers",
    "cross.budget-band",
    "cross.figure-total",
)

DONE = 1  # 「①できた」 on the collaboration scale


def check_cross(record: SheetRecord, master: Master) -> Iterator[Issue]:
    yield from _other_target(record, master)
    yield from _partner_names(record, master)
    yield from _partners(record)
    yield from _budget_band(record, master)
    yield from _figure_totals(record)


def _other_target(record: SheetRecord, master: Master) -> Iterator[Issue]:
    for i, choice in enumerate(master.choices.targets):
        if not choice.named or i >= len(record.targets):
            continue
        name = f"F_TARGET_{i + 1}"
        if record.targets[i] and not record.target_other:
            yield issues.make("cross.other-without-text", at(record, "F_TARGET_OTHER"), label=choice.label)
        elif record.target_other and record.targets[i] is False:
            yield issues.make("cross.text-without-other", at(record, name), label=choice.label)


def _partner_names(record: SheetRecord, master: Master) -> Iterator[Issue]:
    chosen = set(record.partners_done.numbers) | set(record.partners_wanted.numbers)
    named = [p for p in master.choices.partners if p.named][: form.PARTNER_NAME_SLOTS]
    for slot, partner in enumerate(named, start=1):
        name = f"F_PARTNER_NAME_{slot}"
        label = form.BY_NAME[name].label
        mark = f"{circled(partner.number)}{partner.label}"
        has_name = partner.number in record.partner_names
        if partner.number in chosen and not has_name:
            yield issues.make("cross.partner-without-name", at(record, name), partner=mark, label=label)
        elif has_name and partner.number not in chosen:
            yield issues.make("cross.name-without-partner", at(record, name), partner=mark, label=label)


def _partners(record: SheetRecord) -> Iterator[Issue]:
    done, wanted = record.partners_done, record.partners_wanted
    for name, parsed in (("F_PARTNERS_DONE", done), ("F_PARTNERS_WANTED", wanted)):
        if parsed.none and parsed.numbers:
            yield issues.make("cross.none-with-numbers", at(record, name),
                              numbers="".join(circled(n) for n in parsed.numbers))
    if DONE in (record.collab_internal, record.collab_community) and not done.numbers \
            and (done.none or done.empty):
        yield issues.make("cross.done-without-partner", at(record, "F_PARTNERS_DONE"),
                          value="なし" if done.none else "未記入")
    both = [n for n in done.numbers if n in wanted.numbers]
    if both:
        yield issues.make("cross.partner-both", at(record, "F_PARTNERS_WANTED"),
                          partners="".join(circled(n) for n in both))


def _budget_band(record: SheetRecord, master: Master) -> Iterator[Issue]:
    """The budget is told when it is more than (1 + band) times the settlement, or less than
    its inverse: a ratio band treats a doubling and a halving alike."""
    settled, budget = record.settled, record.budget
    if settled.kind is not AmountKind.OK or budget.kind is not AmountKind.OK:
        return
    s, b = settled.value or 0.0, budget.value or 0.0
    if s < 0 or b < 0 or (s == 0 and b == 0):
        return
    high = 1 + master.plan.budget_band / 100
    if s == 0:
        detail = "今年度は 0 千円"
    else:
        ratio = b / s
        if 1 / high <= ratio <= high:
            return
        detail = f"約 {ratio:.2g} 倍" if ratio < 0.1 else f"約 {ratio:.1f} 倍"
    yield issues.make("cross.budget-band", at(record, "F_BUDGET"), budget=f"{budget.number:,}",
                      settled=f"{settled.number:,}", detail=detail, low=f"{1 / high:.2g}", high=f"{high:g}")


def _figure_totals(record: SheetRecord) -> Iterator[Issue]:
    for r, row in enumerate(record.figures, start=1):
        numbers = [v for v in row.values if isinstance(v, float)]
        if not isinstance(row.total, float) or not numbers \
                or any(isinstance(v, str) for v in row.values):
            continue
        total = sum(numbers)
        if abs(total - row.total) > 0.5 + 1e-6 * abs(total):
            yield issues.make("cross.figure-total", at(record, f"F_FIG_{r}_TOTAL"), label=row.label,
                              total=f"{row.total:,g}", sum=f"{total:,g}")
