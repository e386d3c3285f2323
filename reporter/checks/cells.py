"""Rules on single cells: required, numbers and units, choices, marks, lengths, formulas."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from reporter.checks import at
from reporter.core import form, issues, layout, normalize
from reporter.core.issues import Issue
from reporter.core.model import Master
from reporter.core.normalize import Amount, AmountKind
from reporter.core.records import TEXT_FIELDS, SheetRecord

# The issue codes this module raises (tests/test_contracts.py holds every code to one module).
CODES = (
    "cell.required",
    "cell.not-a-number",
    "cell.negative",
    "cell.none-word",
    "cell.unit-yen",
    "cell.unit-suspect",
    "cell.bad-choice",
    "cell.bad-check",
    "cell.unknown-partner",
    "cell.too-long-for-box",
    "cell.too-long",
    "cell.control-characters",
    "cell.formula-not-calculated",
    "cell.formula-stale",
    "cell.formula",
)

EXCEL_CELL_LIMIT = 32_767
SUSPECT_AMOUNT = 5_000_000  # 千円 (50億円): above this a 円 amount typed in a 千円 cell is likely


BoxMeasure = Callable[[str], tuple[int, int] | None]  # field -> (characters per line, lines)


def check_cells(record: SheetRecord, master: Master, boxes: BoxMeasure) -> Iterator[Issue]:
    yield from _formulas(record)
    yield from _required(record)
    for name, value in (("F_SETTLED", record.settled), ("F_BUDGET", record.budget)):
        yield from _amount(record, name, value)
    yield from _choices(record, master)
    yield from _partners(record, master)
    yield from _lengths(record, boxes)
    yield from _controls(record)


def _formulas(record: SheetRecord) -> Iterator[Issue]:
    for name, has_value in record.formulas.items():
        if has_value is None:
            yield issues.make("cell.formula-stale", at(record, name), value=normalize.text(record.raw.get(name)))
        elif not has_value:
            yield issues.make("cell.formula-not-calculated", at(record, name))
        else:
            yield issues.make("cell.formula", at(record, name), value=normalize.text(record.raw.get(name)))


def _required(record: SheetRecord) -> Iterator[Issue]:
    for field in form.INPUTS:
        if field.required and normalize.text(record.raw.get(field.name)) == "" \
                and record.formulas.get(field.name) is not False:
            yield issues.make("cell.required", at(record, field.name))


def _amount(record: SheetRecord, name: str, value: Amount) -> Iterator[Issue]:
    loc = at(record, name)
    if value.kind is AmountKind.NOT_NUMBER:
        yield issues.make("cell.not-a-number", loc, value=value.raw)
    elif value.kind is AmountKind.NONE_WORD:
        yield issues.make("cell.none-word", loc, value=value.raw)
    elif value.kind is AmountKind.OK and value.value is not None:
        if value.value < 0:
            yield issues.make("cell.negative", loc, value=value.raw)
        elif value.unit == "円":
            yield issues.make("cell.unit-yen", loc, value=value.raw, converted=f"{value.number:,}")
        elif value.value >= SUSPECT_AMOUNT:
            yield issues.make("cell.unit-suspect", loc, value=f"{value.number:,}")


def _choices(record: SheetRecord, master: Master) -> Iterator[Issue]:
    for i, ticked in enumerate(record.targets, start=1):
        if ticked is None:
            name = f"F_TARGET_{i}"
            yield issues.make("cell.bad-check", at(record, name), value=normalize.text(record.raw.get(name)))
    choices = "・".join(f"{c.number}{c.label}" for c in master.choices.scale)
    for name, number in (("F_COLLAB_INTERNAL", record.collab_internal),
                         ("F_COLLAB_COMMUNITY", record.collab_community)):
        written = normalize.text(record.raw.get(name))
        if written and number is None:
            yield issues.make("cell.bad-choice", at(record, name), value=written, choices=choices)


def _partners(record: SheetRecord, master: Master) -> Iterator[Issue]:
    known = {p.number for p in master.choices.partners}
    for name, parsed in (("F_PARTNERS_DONE", record.partners_done),
                         ("F_PARTNERS_WANTED", record.partners_wanted)):
        outside = [n for n in parsed.numbers if n not in known]
        if outside or parsed.unknown:
            detail = "、".join([*(f"{n} は一覧にありません" for n in outside),
                               *(f"「{u}」" for u in parsed.unknown)])
            yield issues.make("cell.unknown-partner", at(record, name),
                              value=normalize.text(record.raw.get(name)), detail=detail)


def utf16_units(text: str) -> int:
    """The length Excel counts: UTF-16 code units (a character beyond U+FFFF, such as most
    emoji, takes two)."""
    return len(text.encode("utf-16-le")) // 2


_INPUT_NAMES = frozenset(f.name for f in form.INPUTS)


def _controls(record: SheetRecord) -> Iterator[Issue]:
    """Characters that cannot be shown (control characters) are dropped when read: say so."""
    for name, raw in record.raw.items():
        if type(raw) is str and not raw.isprintable() and name in _INPUT_NAMES \
                and (found := normalize.unprintable(raw)):
            yield issues.make("cell.control-characters", at(record, name), count=len(found),
                              codes="、".join(sorted({f"U+{ord(c):04X}" for c in found})[:5]))


def _lengths(record: SheetRecord, boxes: BoxMeasure) -> Iterator[Issue]:
    names = [*TEXT_FIELDS.values(), "F_TARGET_OTHER", "F_PARTNERS_DONE", "F_PARTNERS_WANTED",
             *(f.name for f in form.PARTNER_NAMES)]
    for name in names:
        text = normalize.clean_text(record.raw.get(name))
        if len(text) > EXCEL_CELL_LIMIT // 2 and (units := utf16_units(text)) > EXCEL_CELL_LIMIT:
            yield issues.make("cell.too-long", at(record, name), length=len(text), units=units)
        elif text and not layout.surely_fits(text) and (box := boxes(name)) is not None:
            per_line, lines = box
            if layout.needed_lines(text, per_line) > lines:
                yield issues.make("cell.too-long-for-box", at(record, name), length=len(text),
                                  capacity=per_line * lines)
