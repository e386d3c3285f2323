"""Rules of the 指標 sheet and of the project self-rating.

One file's indicator rows become IndicatorRecords with every problem coded; the outlier rule
needs the earlier years and runs on the batch (``outliers``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from reporter.core import era, form, issues, normalize
from reporter.core.held import History
from reporter.core.issues import Issue, Location
from reporter.core.model import Master
from reporter.core.rating import QUALITATIVE_CHOICES, Actual, Indicator, Special, measure, number_text
from reporter.core.records import IndicatorRecord, SheetRecord, Source
from reporter.intake.read import RawIndicatorRow

# The issue codes this module raises (tests/test_contracts.py holds every code to one module).
CODES = (
    "indicator.missing-actual",
    "indicator.not-number",
    "indicator.wrong-unit",
    "indicator.bad-choice",
    "indicator.value-and-reason",
    "indicator.outlier",
    "indicator.sheet-missing",
    "indicator.unknown",
    "rating.outside-scale",
    "rating.missing",
    "rating.missing-reason",
)

SHEET = form.INDICATOR_SHEET
OUTLIER_FACTOR = 3.0  # an actual over 3 times the largest earlier value, or under a third of the smallest


def check_rows(rows: tuple[RawIndicatorRow, ...] | None, master: Master, department: str,
               source: Source) -> tuple[list[IndicatorRecord], list[Issue]]:
    """The department's indicator answers and what is wrong with them."""
    expected = master.indicators_of(department)
    if not expected:
        return [], []
    if rows is None or not rows:
        return [], [issues.make("indicator.sheet-missing", Location(source.file, SHEET), sheet=SHEET)]
    found: list[Issue] = []
    records: list[IndicatorRecord] = []
    mine = {i.id: i for i in expected}
    seen: set[str] = set()
    year = era.long(master.plan.fiscal_year)
    for row in rows:
        ind = mine.get(row.indicator_id)
        if ind is None or row.indicator_id in seen:
            at = Location(source.file, SHEET, f"A{row.row}", form.INDICATOR_ID)
            found.append(issues.make("indicator.unknown", at,
                                     value=row.indicator_id))
            continue
        seen.add(ind.id)
        actual, problems = _actual(ind, row, source, year)
        found.extend(problems)
        records.append(IndicatorRecord(ind.id, department, source, row.row, dict(row.cells),
                                       {k: normalize.text(v) for k, v in row.values.items()}, actual))
    for ind in expected:
        if ind.id not in seen:
            found.append(issues.make("indicator.missing-actual", Location(source.file, SHEET, "", _label(ind)),
                                     name=ind.name, year=year,
                                     how="「指標」シートにこの指標の行がありません。配布した様式の行を消さずに記入してください。"))
    return records, found


def _label(ind: Indicator) -> str:
    return f"指標「{ind.id}」の{form.INDICATOR_ACTUAL}"


def _actual(ind: Indicator, row: RawIndicatorRow, source: Source, year: str) -> tuple[Actual, list[Issue]]:
    raw, cells = row.values, row.cells
    at = Location(source.file, SHEET, cells["actual"], _label(ind))
    note = normalize.clean_text(raw.get("note"))
    reason = normalize.text(raw.get("no_value"))
    special = Special(reason) if reason in {s.value for s in Special} else None
    value_text = normalize.text(raw.get("actual"))
    found: list[Issue] = []
    if reason and special is None:
        found.append(issues.make("indicator.bad-choice", Location(source.file, SHEET, cells["no_value"],
                                                                  f"指標「{ind.id}」の{form.INDICATOR_NO_VALUE}"),
                                 name=ind.name, choices="・".join(s.value for s in Special), value=reason))
    if not value_text:
        if special is None:
            found.append(issues.make("indicator.missing-actual", at, name=ind.name, year=year,
                                     how="実績を入力するか、測れない場合は「実績がない場合」で理由を選んでください。"))
        return Actual(special=special, explanation=note), found
    if special is not None:
        found.append(issues.make("indicator.value-and-reason", at, name=ind.name, reason=special.value))
    if ind.qualitative:
        if value_text not in QUALITATIVE_CHOICES:
            found.append(issues.make("indicator.bad-choice", at, name=ind.name, choices="・".join(QUALITATIVE_CHOICES),
                                     value=value_text))
            return Actual(explanation=note), found
        return Actual(choice=value_text, explanation=note), found
    measured = measure(raw.get("actual"), ind.unit)
    if measured.problem == "unit":
        found.append(issues.make("indicator.wrong-unit", at, name=ind.name, value=value_text,
                                 written=measured.written_unit, unit=ind.unit or "（単位なし）"))
    elif measured.value is None:
        found.append(issues.make("indicator.not-number", at, name=ind.name, value=value_text, unit=ind.unit or "数"))
    return Actual(value=measured.value, explanation=note), found


def outliers(records: Sequence[IndicatorRecord], master: Master, history: History) -> Iterator[Issue]:
    """An actual far outside the run of the baseline and the years held: a slipped digit or unit."""
    year = master.plan.fiscal_year
    for r in records:
        ind = master.indicator(r.indicator_id)
        value = r.actual.value
        if ind is None or ind.qualitative or value is None:
            continue
        earlier = [(era.short(ind.baseline_year) + "基準" if ind.baseline_year else "基準値", ind.baseline)]
        earlier += [(era.short(y), h.value) for y, h in history.indicator(ind.id, year).items()]
        values = [v for _, v in earlier if v is not None]
        if not values:
            continue
        high, low = max(values), min(values)
        if (high > 0 and value > high * OUTLIER_FACTOR) or (low > 0 and value < low / OUTLIER_FACTOR):
            shown = "、".join(f"{label} {number_text(v, ind.unit)}" for label, v in earlier if v is not None)
            yield issues.make("indicator.outlier", Location(r.source.file, SHEET, r.cells["actual"], _label(ind)),
                              name=ind.name, value=number_text(value, ind.unit), earlier=shown)


def check_rating(record: SheetRecord, master: Master) -> Iterator[Issue]:
    """The project's self-rating, when the master asks for one."""
    rule = master.rule
    if rule is None or not rule.project_rating:
        return
    labels = "・".join(rule.labels)

    def at(name: str) -> Location:
        return Location(record.source.file, record.source.sheet, record.addresses.get(name, ""),
                        form.BY_NAME[name].label)

    if not record.rating:
        yield issues.make("rating.missing", at("F_RATING"), labels=labels)
    elif record.rating not in rule.labels:
        yield issues.make("rating.outside-scale", at("F_RATING"), value=record.rating, labels=labels)
    elif not record.rating_reason:
        yield issues.make("rating.missing-reason", at("F_RATING_REASON"))
