"""Normalisation of one returned sheet: raw cells by defined name -> a SheetRecord.

Pure: takes the raw cells and the master, returns plain values plus the parse results the
checks need (an unreadable amount stays visible as such, never silently zero).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from reporter.core import form, normalize
from reporter.core.model import Master, SheetSpec
from reporter.core.normalize import Amount, Numbers
from reporter.core.rating import Actual

TEXT_FIELDS = {
    "status": "F_STATUS", "results": "F_RESULTS", "contribution_year": "F_CONTRIB_YEAR",
    "contribution_period": "F_CONTRIB_PERIOD", "challenges": "F_CHALLENGES",
    "collab_detail": "F_COLLAB_DETAIL",
}


@dataclass(frozen=True)
class Source:
    file: str  # path relative to the input folder, as the office sees it
    sheet: str
    modified: float  # file modification time: the newest of two copies wins


@dataclass(frozen=True)
class FigureRow:
    label: str
    values: tuple[float | str | None, ...]  # one per plan year
    total: float | str | None
    row: int = 0  # the row of the table (1 …), empty rows being left out


@dataclass(frozen=True)
class SheetRecord:
    spec: SheetSpec
    source: Source
    addresses: Mapping[str, str]  # field name -> A1
    raw: Mapping[str, object]  # field name -> value as stored
    targets: tuple[bool | None, ...]  # per master target choice; None = unreadable mark
    target_other: str
    texts: Mapping[str, str]  # status, results, contribution_year, … (see TEXT_FIELDS)
    settled: Amount
    budget: Amount
    figures: tuple[FigureRow, ...]
    collab_internal: int | None
    collab_community: int | None
    partners_done: Numbers
    partners_wanted: Numbers
    partner_names: Mapping[int, str]  # partner number -> name written
    # field -> True: a cached result; False: none; None: one the workbook marks as stale
    formulas: Mapping[str, bool | None] = field(default_factory=dict)
    rating: str = ""  # the project's self-rating (when the master asks for one)
    rating_reason: str = ""

    def text(self, key: str) -> str:
        return self.texts[key]


def build_record(spec: SheetSpec, source: Source, raw: Mapping[str, object],
                 addresses: Mapping[str, str], master: Master,
                 formulas: Mapping[str, bool | None] | None = None) -> SheetRecord:
    choices = master.choices
    scale_labels = {c.number: c.label for c in choices.scale}
    named = [p.number for p in choices.partners if p.named]
    names = {number: normalize.clean_text(raw.get(f"F_PARTNER_NAME_{i}"))
             for i, number in enumerate(named[:form.PARTNER_NAME_SLOTS], start=1)}
    return SheetRecord(
        spec=spec, source=source, addresses=dict(addresses), raw=dict(raw),
        targets=tuple(normalize.check(raw.get(f"F_TARGET_{i}"))
                      for i in range(1, len(choices.targets) + 1)),
        target_other=normalize.clean_text(raw.get("F_TARGET_OTHER")),
        texts={key: normalize.clean_text(raw.get(name)) for key, name in TEXT_FIELDS.items()},
        settled=normalize.amount(raw.get("F_SETTLED")),
        budget=normalize.amount(raw.get("F_BUDGET")),
        figures=_figures(raw, len(master.plan.years)),
        collab_internal=normalize.scale(raw.get("F_COLLAB_INTERNAL"), scale_labels),
        collab_community=normalize.scale(raw.get("F_COLLAB_COMMUNITY"), scale_labels),
        partners_done=normalize.numbers(raw.get("F_PARTNERS_DONE")),
        partners_wanted=normalize.numbers(raw.get("F_PARTNERS_WANTED")),
        partner_names={n: name for n, name in names.items() if name},
        formulas=dict(formulas or {}),
        rating=normalize.text(raw.get("F_RATING")),
        rating_reason=normalize.clean_text(raw.get("F_RATING_REASON")),
    )


@dataclass(frozen=True)
class IndicatorRecord:
    """A department's answer for one indicator: its row of the 指標 sheet, normalised (a value
    that could not be read is left out of ``actual``, and the check says why)."""

    indicator_id: str
    department: str
    source: Source
    row: int
    cells: Mapping[str, str]  # actual / no_value / note -> A1
    raw: Mapping[str, object]  # the same keys -> value as stored
    actual: Actual


def _figures(raw: Mapping[str, object], years: int) -> tuple[FigureRow, ...]:
    rows = []
    for row, (label_name, value_names, total_name) in enumerate(_figure_names(years), start=1):
        label = normalize.clean_text(raw.get(label_name))
        values = tuple(normalize.figure(raw.get(name)) for name in value_names)
        total = normalize.figure(raw.get(total_name))
        if label or total is not None or any(v is not None for v in values):
            rows.append(FigureRow(label, values, total, row))
    return tuple(rows)


@cache
def _figure_names(years: int) -> tuple[tuple[str, tuple[str, ...], str], ...]:
    """Per row of the figures table: its label field, one field per plan year, its total field."""
    return tuple((f"F_FIG_{r}_LABEL", tuple(f"F_FIG_{r}_Y{c}" for c in range(1, min(years, form.FIGURE_YEARS) + 1)),
                  f"F_FIG_{r}_TOTAL") for r in range(1, form.FIGURE_ROWS + 1))
