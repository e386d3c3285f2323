"""The annual report's outputs from a checked batch: the Word report and the Excel summary,
replaced together, the refreshed status table, and the PDF when asked. With a history, the
year is set beside the years before it (the previous year, the plan period's trend)."""

from __future__ import annotations

import json
import subprocess
import tempfile
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reporter import atomic, places, runtime
from reporter.core.held import History
from reporter.core.report import CheckReport
from reporter.errors import OfficeMissingError, OutputLockedError
from reporter.outputs.build import charts, office, word
from reporter.outputs.build.aggregate import aggregate
from reporter.outputs.build.context import build_context
from reporter.outputs.build.summary import read_opinions, write_summary
from reporter.outputs.check.status import write_status_file


@dataclass(frozen=True)
class Targets:
    status: Path
    docx: Path
    xlsx: Path
    pdf: Path


@dataclass(frozen=True)
class Published:
    pdf: Path | None
    pdf_problem: str  # why no PDF was made although asked (LibreOffice missing)
    unwritten: tuple[Path, ...] = ()  # outputs that could not be replaced (the status table open in Excel)


PARALLEL_FROM = 300  # included sheets; below this a process beside costs more than it saves


def publish(report: CheckReport, template: Path, targets: Targets, today: date, *, pdf: bool = False,
            dump_context: Path | None = None, history: History | None = None,
            workers: int | None = None) -> Published:
    with (tempfile.TemporaryDirectory(prefix=places.temporary_prefix()) as tmp_dir,
          atomic.atomic_paths(targets.docx, targets.xlsx) as (docx_tmp, xlsx_tmp)):
        agg = aggregate(report.included, report.master)
        ctx = build_context(report, agg, today, history or History(report.master.plan.name),
                            read_opinions(targets.xlsx))
        # The two workbooks (the status table first: it stands on its own, refreshed even if
        # the report then fails) are written beside this process, which draws the charts and
        # fills the Word report: two halves of about the same time (see bench/README.md).
        tables = runtime.aside(_tables, report, ctx, targets.status, xlsx_tmp, today,
                               workers=workers if len(report.included) >= PARALLEL_FROM else 1)
        try:
            drawn = _charts(ctx, agg, Path(tmp_dir))
            word_ctx = {**ctx, "charts": {name: path.name if path else None for name, path in drawn.items()}}
            if dump_context is not None:
                atomic.write_text(dump_context, json.dumps(word_ctx, ensure_ascii=False, indent=2, default=str))
            word.render(template, word_ctx, drawn, docx_tmp)
        except BaseException:
            with suppress(Exception):  # the status table is still refreshed; the report's error is told
                tables.result()
            raise
        locked = tables.result()
    pdf_path, problem = None, ""
    if pdf:
        try:
            pdf_path = atomic.write_bytes(targets.pdf, office.report_pdf(targets.docx))
        except OfficeMissingError as exc:
            problem = str(exc)
        except (subprocess.SubprocessError, RuntimeError) as exc:  # LibreOffice failed or hung
            problem = f"LibreOffice で PDF を作成できませんでした（{type(exc).__name__}: {exc}）。"
    return Published(pdf_path, problem, () if locked is None else (locked,))


def _tables(report: CheckReport, ctx: dict[str, Any], status: Path, summary: Path, today: date) -> Path | None:
    """The status table, then the summary; the status table's path when it could not be replaced."""
    locked = _status_or_locked(report, status, today)
    write_summary(ctx, summary)
    return locked


def _status_or_locked(report: CheckReport, target: Path, today: date) -> Path | None:
    """The status table stands on its own: if it is open in Excel, the report is still made
    and the table named (returned) as not replaced."""
    try:
        write_status_file(report, target, today)
    except OutputLockedError:
        return target
    return None


def _charts(ctx: dict[str, Any], agg: Any, folder: Path) -> dict[str, Path | None]:
    """Every chart the template may name; None where there is nothing to draw (the trend before
    a second year is held)."""
    top = [p for p in ctx["policies"] if p["depth"] == 0]
    return {
        "costs": charts.costs(top, folder / "costs.png", ctx["plan"]["unit"]),
        "collaboration": charts.collaboration(ctx["collaboration"], folder / "collaboration.png"),
        "partners": charts.partners(agg.partners, folder / "partners.png"),
        "targets": charts.targets(ctx["targets"], folder / "targets.png"),
        "trend": charts.trend(ctx["trend"], folder / "trend.png", ctx["plan"]["unit"]) if ctx["trend"] else None,
        **{i["chart"]: charts.indicator(i["trend"], folder / f"{i['chart']}.png") if i["trend"] else None
           for i in ctx["ratings"]["indicators"]},
    }
