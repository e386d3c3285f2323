"""Checking one returned file, and many files at once (this process and a worker process for
each further core).

Each file is independent: read it, match its sheets to the master, normalise each sheet into a
record and run the cell and cross-field rules. What crosses back is plain data.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

from reporter import container, heap, issues, layout, read
from reporter.checks.cells import BoxMeasure, check_cells
from reporter.checks.cross import check_cross
from reporter.checks.identity import Recognised, check_workbook
from reporter.container import SheetScan
from reporter.issues import Issue, Location
from reporter.model import Master
from reporter.records import SheetRecord, Source, build_record

BATCH_FIELDS = ("F_SETTLED", "F_BUDGET")  # the cells the batch rules point at
PARALLEL_FROM = 16  # files; below this a worker pool costs more than it saves
CHUNK = 8  # files a round trip to a worker process
_worker_master: Master | None = None


def _init_worker(master: Master) -> None:
    global _worker_master
    _worker_master = master


def _check_chunk(jobs: list[tuple[Path, str]]) -> list[FileScan]:
    assert _worker_master is not None
    return [_check_file(path, name, _worker_master) for path, name in jobs]


def map_files(master: Master, jobs: list[tuple[Path, str]], workers: int | None) -> Iterator[FileScan]:
    """Check files, yielding results in order; on several cores, this process and one worker
    process for each further core share the files (each file is independent)."""
    workers = workers if workers is not None else min(os.cpu_count() or 1, 8)
    if workers <= 1 or len(jobs) < PARALLEL_FROM:
        for path, name in jobs:
            yield _check_file(path, name, master)
        return
    container.prepare(read.DEFAULT_LIMITS)  # built once here rather than once in every worker
    with (heap.frozen(),
          ProcessPoolExecutor(workers - 1, initializer=_init_worker, initargs=(master.indexed(),)) as pool):
        yield from _shared(jobs, master, pool, workers)


def _shared(jobs: list[tuple[Path, str]], master: Master, pool: ProcessPoolExecutor,
            workers: int) -> Iterator[FileScan]:
    """The files in order, each checked by a worker process or here.

    The worker processes get chunks of files (fewer as the end nears, so that none is left with
    a queue of them while the others are done), two chunks each in hand; between top-ups this
    process checks the next file itself: it would otherwise only wait, and it needs no fork, no
    pickling and no warming up."""
    sent: dict[int, Future[list[FileScan]]] = {}  # first job's index -> its chunk's results
    done: dict[int, FileScan] = {}
    given = emitted = 0
    while emitted < len(jobs):
        while given < len(jobs) and sum(not f.done() for f in sent.values()) < 2 * (workers - 1):
            size = max(1, min(CHUNK, (len(jobs) - given) // (2 * workers)))
            sent[given] = pool.submit(_check_chunk, jobs[given:given + size])
            given += size
        if given < len(jobs):
            done[given] = _check_file(*jobs[given], master)
            given += 1
        elif emitted in sent:
            sent[emitted].result()  # nothing left to hand out: wait for the next in order
        while emitted in done or (emitted in sent and sent[emitted].done()):
            chunk = [done.pop(emitted)] if emitted in done else sent.pop(emitted).result()
            yield from chunk
            emitted += len(chunk)


def relative(path: Path, folder: Path) -> str:
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return path.name


FileScan = tuple[Path, str, str | None, bool, list[SheetRecord], list[Issue]]


def _check_file(path: Path, name: str, master: Master) -> FileScan:
    try:
        sub = read.open_submission(path)
    except read.Refused as refused:
        return path, name, None, False, [], [issues.make(refused.code, Location(name), reason=refused.reason)]
    recognised, found = check_workbook(sub.book, master, name)
    ident = sub.book.identity
    usable = ident is not None and not any(i.location.sheet == "" and i.severity.value == "error"
                                           and i.code != "form.sheet-missing" for i in found)
    modified = path.stat().st_mtime
    records = []
    for rec in recognised:
        scan = sub.container.sheets.get(rec.sheet.name)
        record = _record(rec, Source(name, rec.sheet.name, modified), master, scan)
        found.extend(check_cells(record, master, _box_measure(record, scan)))
        found.extend(check_cross(record, master))
        # The raw cells have served the cell rules; the batch rules and outputs need only the
        # normalised values and the amount cells' addresses, and a slimmer record crosses back
        # from a worker process faster.
        kept = {name: record.addresses[name] for name in BATCH_FIELDS if name in record.addresses}
        records.append(replace(record, raw={}, addresses=kept))
    return path, name, ident.department if ident else None, usable, records, found


def _record(rec: Recognised, source: Source, master: Master, scan: SheetScan | None) -> SheetRecord:
    raw, addresses = rec.sheet.values, rec.sheet.addresses
    formulas = {}
    if scan is not None:
        formulas = {name: scan.formulas[a] for name, a in addresses.items() if a in scan.formulas}
    return build_record(rec.spec, source, raw, addresses, master, formulas)


def _box_measure(record: SheetRecord, scan: SheetScan | None) -> BoxMeasure:
    """Measures a field's printed box on demand, from the sheet's own geometry."""
    def measure(name: str) -> tuple[int, int] | None:
        if scan is None or name not in record.addresses:
            return None
        return layout.box(record.addresses[name], scan)

    return measure
