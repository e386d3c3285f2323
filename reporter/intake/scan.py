"""Checking one returned file, and many files at once (in worker processes, see runtime).

Each file is independent: read it, match its sheets to the master, normalise each sheet into a
record and run the cell and cross-field rules. What crosses back is plain data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from reporter import runtime
from reporter.checks import indicators
from reporter.checks.cells import BoxMeasure, check_cells
from reporter.checks.cross import check_cross
from reporter.checks.identity import Recognised, check_workbook
from reporter.core import issues, layout, schema
from reporter.core.issues import Issue, Location
from reporter.core.model import Master
from reporter.core.records import IndicatorRecord, SheetRecord, Source, build_record
from reporter.intake import container, read
from reporter.intake.container import SheetScan

# The issue codes this module raises (tests/test_contracts.py holds every code to one module).
CODES = (
    "file.reader-crashed",
    "file.too-slow",
    "file.internal-error",
)

BATCH_FIELDS = ("F_SETTLED", "F_BUDGET")  # the cells the batch rules point at (and the figures held)
FAILURES = {"crash": "file.reader-crashed", "timeout": "file.too-slow", "error": "file.internal-error"}


Job = tuple[Path, str]  # a file and its name relative to the input folder


def map_files(master: Master, jobs: list[Job], workers: int | None,
              task: Callable[[Master, Job], FileScan] | None = None,
              timeout: float = runtime.FILE_TIMEOUT) -> Iterator[FileScan]:
    """Check files in worker processes, yielding results in order; a file whose reading crashes
    its worker, runs out of time or raises is named as unusable and the others go on. ``task``
    (module-level) replaces the check of one file, for tests of exactly that."""
    container.prepare(read.DEFAULT_LIMITS)  # built once here rather than once in every worker
    results = runtime.isolated(task or _check_job, jobs, master.indexed(), workers=workers, timeout=timeout)
    for (path, name), result in zip(jobs, results, strict=True):
        if isinstance(result, runtime.Failed):
            code = FAILURES[result.kind]
            yield _unusable(path, name, issues.make(code, Location(name), seconds=result.detail, detail=result.detail))
        else:
            yield result


def _check_job(master: Master, job: Job) -> FileScan:
    return _check_file(job[0], job[1], master)


def relative(path: Path, folder: Path) -> str:
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return path.name


@dataclass(frozen=True)
class FileScan:
    """What checking one file found: the file, whether it can be used at all, its sheets as
    records and every issue (of the file and of its sheets)."""

    path: Path
    name: str  # relative to the input folder
    department: str | None  # from the identity; None when the file could not be identified
    usable: bool
    records: tuple[SheetRecord, ...]
    issues: tuple[Issue, ...]
    indicators: tuple[IndicatorRecord, ...] = ()  # the 指標 sheet's answers
    plan_master: bool = False  # a plan master (this year's copy, last year's) lying among the submissions


# The sheets by which a plan master is known (a form never has them).
MASTER_SHEETS = frozenset({schema.PLAN, schema.POLICIES, schema.PROJECTS})


def _unusable(path: Path, name: str, found: Issue) -> FileScan:
    return FileScan(path, name, None, False, (), (found,))


def _check_file(path: Path, name: str, master: Master) -> FileScan:
    try:
        sub = read.open_submission(path)
    except read.Refused as refused:
        return _unusable(path, name, issues.make(refused.code, Location(name), reason=refused.reason))
    ident = sub.book.identity
    if ident is None and MASTER_SHEETS.issubset(sub.book.sheet_names):  # not a submission: passed over
        return FileScan(path, name, None, False, (), (), plan_master=True)
    recognised, found = check_workbook(sub.book, master, name)
    usable = ident is not None and not any(i.location.sheet == "" and i.severity.value == "error"
                                           and i.code != "form.sheet-missing" for i in found)
    modified = path.stat().st_mtime
    records = []
    for rec in recognised:
        scan = sub.container.sheets.get(rec.sheet.name)
        record = _record(rec, Source(name, rec.sheet.name, modified), master, scan)
        found.extend(check_cells(record, master, _box_measure(record, scan)))
        found.extend(check_cross(record, master))
        found.extend(indicators.check_rating(record, master))
        # The raw cells have served the cell rules; the batch rules and outputs need only the
        # normalised values and the amount cells' addresses, and a slimmer record crosses back
        # from a worker process faster.
        kept = {name: record.addresses[name] for name in (*BATCH_FIELDS, *_figure_cells(record))
                if name in record.addresses}
        records.append(replace(record, raw={}, addresses=kept))
    answers: list[IndicatorRecord] = []
    if usable and ident is not None:
        answers, problems = indicators.check_rows(sub.book.indicators, master, ident.department,
                                                  Source(name, indicators.SHEET, modified))
        found.extend(problems)
    return FileScan(path, name, ident.department if ident else None, usable, tuple(records), tuple(found),
                    tuple(answers))


def _figure_cells(record: SheetRecord) -> Iterator[str]:
    """The cells of the figures the sheet holds (the history compares them with earlier reports)."""
    for figure in record.figures:
        yield from (f"F_FIG_{figure.row}_Y{c}" for c in range(1, len(figure.values) + 1))


def _record(rec: Recognised, source: Source, master: Master, scan: SheetScan | None) -> SheetRecord:
    raw, addresses = rec.sheet.values, rec.sheet.addresses
    formulas: dict[str, bool | None] = {}
    if scan is not None:
        formulas = {name: scan.formulas[a] for name, a in addresses.items() if a in scan.formulas}
    return build_record(rec.spec, source, raw, addresses, master, formulas)


def _box_measure(record: SheetRecord, scan: SheetScan | None) -> BoxMeasure:
    """Measures a field's printed box on demand, from the sheet's own geometry."""
    def measure(name: str) -> tuple[int, int] | None:
        if scan is None or name not in record.addresses:
            return None
        return layout.box(record.addresses[name], scan.geometry)

    return measure
