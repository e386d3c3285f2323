"""Validation rules: one small function per rule, each yielding issues; no I/O."""

from __future__ import annotations

from reporter.core import form
from reporter.core.issues import Location
from reporter.core.records import SheetRecord


def at(record: SheetRecord, name: str) -> Location:
    """The location of a field of a sheet: file, sheet, A1 cell and the label the reader sees."""
    return Location(record.source.file, record.source.sheet, record.addresses.get(name, ""),
                    form.BY_NAME[name].label if name in form.BY_NAME else name)
