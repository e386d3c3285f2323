"""What the history holds of earlier years, as plain frozen data, and the rules that read it.

Pure: the history store (reporter/history) loads these from its database; the forms, the checks
and the report use them. A sheet is keyed by project ID, policy and department, so a project
renamed between years keeps its history.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from reporter.core.model import SheetSpec

Figure = float | str | None


@dataclass(frozen=True)
class HeldFigure:
    label: str
    values: Mapping[int, Figure]  # fiscal year -> value, as reported
    total: Figure = None
    row: int = 0  # the row of the table it was reported in


@dataclass(frozen=True)
class HeldSheet:
    year: int  # the fiscal year this sheet reported on
    project_id: str
    policy_code: str
    department: str
    number: int
    project_name: str  # as it was named that year
    settled: float | None
    budget: float | None
    texts: Mapping[str, str]  # status, results, challenges … (records.TEXT_FIELDS)
    figures: tuple[HeldFigure, ...]
    collab_internal: int | None = None
    collab_community: int | None = None
    file: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.project_id, self.policy_code, self.department)


@dataclass(frozen=True)
class HeldYear:
    year: int
    source: str  # "build" or "import"
    recorded: str  # when, ISO 8601
    sheets: int
    projects: int
    departments: int
    settled: float
    budget: float


@dataclass(frozen=True)
class HeldIndicator:
    """An indicator's actual as a year's build recorded it."""

    year: int
    indicator_id: str
    value: float | None  # numeric actual
    text: str  # a qualitative choice or the code for no value (測定不能 …)
    explanation: str = ""
    label: str = ""  # the rating it was given that year


@dataclass(frozen=True)
class History:
    plan: str
    years: tuple[HeldYear, ...] = ()
    sheets: tuple[HeldSheet, ...] = ()
    indicators: tuple[HeldIndicator, ...] = ()

    @cached_property
    def _indicators(self) -> dict[str, dict[int, HeldIndicator]]:
        found: dict[str, dict[int, HeldIndicator]] = {}
        for i in self.indicators:
            found.setdefault(i.indicator_id, {})[i.year] = i
        return found

    def indicator(self, indicator_id: str, before: int) -> dict[int, HeldIndicator]:
        """The actuals held for an indicator, for the years before ``before``, by year."""
        return {y: i for y, i in sorted(self._indicators.get(indicator_id, {}).items()) if y < before}

    @cached_property
    def _index(self) -> dict[tuple[int, str, str, str], HeldSheet]:
        return {(s.year, *s.key): s for s in self.sheets}

    @cached_property
    def _by_project(self) -> dict[tuple[int, str, str], HeldSheet]:
        found: dict[tuple[int, str, str], HeldSheet] = {}
        for s in self.sheets:
            found.setdefault((s.year, s.project_id, s.department), s)
        return found

    @property
    def held_years(self) -> tuple[int, ...]:
        return tuple(y.year for y in self.years)

    def year(self, year: int) -> HeldYear | None:
        return next((y for y in self.years if y.year == year), None)

    def of_year(self, year: int) -> tuple[HeldSheet, ...]:
        return tuple(s for s in self.sheets if s.year == year)

    def latest_before(self, year: int) -> int | None:
        earlier = [y for y in self.held_years if y < year]
        return max(earlier) if earlier else None

    def sheet(self, year: int, spec: SheetSpec) -> HeldSheet | None:
        """The sheet held for ``spec`` in ``year``; a project moved to another policy is found
        by its project and department."""
        return (self._index.get((year, *spec.key))
                or self._by_project.get((year, spec.project_id, spec.department)))


@dataclass(frozen=True)
class CarriedRow:
    """A row of the yearly figures table as the earlier reports left it."""

    label: str
    values: Mapping[int, Figure]  # earlier fiscal year -> value


def carried(history: History, spec: SheetSpec, year: int) -> tuple[CarriedRow, ...]:
    """The figures of ``spec`` for the years before ``year``: the rows of the latest report held
    (which restates every earlier year, corrections included), each year's gap filled from that
    year's own report."""
    reported = [y for y in history.held_years if y < year and history.sheet(y, spec) is not None]
    if not reported:
        return ()
    last = history.sheet(max(reported), spec)  # a project not reported last year: its latest report
    assert last is not None
    rows = []
    for figure in last.figures:
        values: dict[int, Figure] = {y: v for y, v in figure.values.items() if y < year and v is not None}
        for y in reported:
            own = history.sheet(y, spec) if y not in values else None
            row = _same_row(own, figure) if own else None
            if row is not None and row.values.get(y) is not None:
                values[y] = row.values[y]
        rows.append(CarriedRow(figure.label, dict(sorted(values.items()))))
    return tuple(rows)


def _same_row(sheet: HeldSheet, figure: HeldFigure) -> HeldFigure | None:
    """The row of ``sheet`` that is ``figure``: the same label, or for a row without a label the
    same row of the table."""
    if figure.label:
        return next((f for f in sheet.figures if f.label == figure.label), None)
    return next((f for f in sheet.figures if not f.label and f.row == figure.row), None)


def same_figure(a: Figure, b: Figure) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    return a == b
