"""Rules against the history: a figure of an earlier year that differs from what was reported
then. A warning, never a change: what the department submits this year is what is used."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from reporter.checks import at
from reporter.core import era, held, issues
from reporter.core.held import History
from reporter.core.issues import Issue
from reporter.core.model import Master
from reporter.core.records import SheetRecord

# The issue codes this module raises (tests/test_contracts.py holds every code to one module).
CODES = (
    "history.figure-changed",
)


def changed_figures(records: Sequence[SheetRecord], master: Master, history: History) -> Iterator[Issue]:
    plan = master.plan
    if history.latest_before(plan.fiscal_year) is None:
        return
    for record in records:
        rows = held.carried(history, record.spec, plan.fiscal_year)
        by_label = {row.label: row for row in rows}
        for figure in record.figures:
            r = figure.row
            # a labelled row by its label; a row without one by its place (forms carry rows in order)
            row = by_label.get(figure.label) if figure.label else (
                rows[r - 1] if r <= len(rows) and not rows[r - 1].label else None)
            if row is None:
                continue
            for c, (year, value) in enumerate(zip(plan.years, figure.values, strict=False), start=1):
                if year not in row.values or held.same_figure(value, row.values[year]):
                    continue
                yield issues.make("history.figure-changed", at(record, f"F_FIG_{r}_Y{c}"), year=era.long(year),
                                  label=figure.label or f"{r}行目", value=_shown(value),
                                  reported=_shown(row.values[year]))


def _shown(value: held.Figure) -> str:
    if value is None:
        return "（空欄）"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,}"
    return value
