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
from reporter.outputs.build import figures, html, office, word
from reporter.outputs.build.aggregate import Aggregates, aggregate
from reporter.outputs.build.context import build_context
from reporter.outputs.build.summary import read_opinions, write_summary
from reporter.outputs.check.status import write_status_file


@dataclass(frozen=True)
class Targets:
    status: Path | None  # None: a sub-plan's build leaves the whole plan's status table as it is
    docx: Path  # the public edition (公表用)
    xlsx: Path
    pdf: Path
    check_docx: Path  # the internal check report (点検報告)
    check_pdf: Path
    site: Path | None = None  # the HTML edition's folder, when asked


@dataclass(frozen=True)
class Templates:
    report: Path  # the public edition's
    check: Path  # the internal check report's


@dataclass(frozen=True)
class Published:
    pdfs: tuple[Path, ...]  # the public edition's PDF, then the check report's
    pdf_problem: str  # why no PDF was made although asked (LibreOffice missing)
    unwritten: tuple[Path, ...] = ()  # outputs that could not be replaced (the status table open in Excel)
    site: Path | None = None  # the HTML edition's index page


PARALLEL_FROM = 300  # included sheets; below this a process beside costs more than it saves


def publish(report: CheckReport, templates: Templates, targets: Targets, today: date, *, pdf: bool = False,
            dump_context: Path | None = None, history: History | None = None,
            workers: int | None = None) -> Published:
    """Both editions of the Word report, the summary and the status table; the PDFs (one
    LibreOffice run) and the HTML edition when asked."""
    with (tempfile.TemporaryDirectory(prefix=places.temporary_prefix()) as tmp_dir,
          atomic.atomic_paths(targets.docx, targets.xlsx, targets.check_docx) as (docx_tmp, xlsx_tmp, check_tmp)):
        agg = aggregate(report.included, report.master)
        ctx = build_context(report, agg, today, history or History(report.master.plan.name),
                            read_opinions(targets.xlsx))
        # The two workbooks (the status table first: it stands on its own, refreshed even if
        # the report then fails) are written beside this process, which draws the charts and
        # fills the Word report: two halves of about the same time (see bench/README.md).
        tables = runtime.aside(_tables, report, ctx, targets.status, xlsx_tmp, today,
                               workers=workers if len(report.included) >= PARALLEL_FROM else 1)
        try:
            drawn = figures.draw(ctx, agg, Path(tmp_dir), "png")
            paths = {name: f.path for name, f in drawn.items()}
            word_ctx = {**ctx, "charts": {name: path.name if path else None for name, path in paths.items()}}
            if dump_context is not None:
                atomic.write_text(dump_context, json.dumps(word_ctx, ensure_ascii=False, indent=2, default=str))
            word.render(templates.report, word_ctx, paths, docx_tmp, {n: (f.title, f.alt) for n, f in drawn.items()})
            word.render(templates.check, {**word_ctx, "document": internal(ctx)}, {}, check_tmp)
        except BaseException:
            with suppress(Exception):  # the status table is still refreshed; the report's error is told
                tables.result()
            raise
        locked = tables.result()
    # The web edition after the Word and Excel files are in place: never newer than they are.
    site = None if targets.site is None else _site(ctx, agg, targets.site, templates.report.parent / SITE_TEMPLATES)
    pdfs: tuple[Path, ...] = ()
    problem = ""
    if pdf:
        try:
            made = office.report_pdfs([targets.docx, targets.check_docx])
            pdfs = tuple(atomic.write_bytes(t, data) for t, data in zip((targets.pdf, targets.check_pdf), made,
                                                                       strict=True))
        except OfficeMissingError as exc:
            problem = str(exc)
        except (subprocess.SubprocessError, RuntimeError) as exc:  # LibreOffice failed or hung
            problem = f"LibreOffice で PDF を作成できませんでした（{type(exc).__name__}: {exc}）。"
    return Published(pdfs, problem, () if locked is None else (locked,), site)


SITE_TEMPLATES = "html"  # beside the report template: the office's own pages of the web edition


def _site(ctx: dict[str, Any], agg: Aggregates, folder: Path, own: Path) -> Path:
    """The HTML edition, its charts as SVG; a policy page left by an earlier build whose plan
    had more top-level policies is removed. The index page's path."""
    with tempfile.TemporaryDirectory(prefix=places.temporary_prefix()) as drawing:
        written = html.write_site(ctx, figures.draw(ctx, agg, Path(drawing), "svg"), folder,
                                  own if own.is_dir() else None)
    for stale in set(folder.glob("policy-*.html")) - set(written):
        stale.unlink(missing_ok=True)
    return written[0]


def internal(ctx: dict[str, Any]) -> dict[str, str]:
    """The check report's document properties: the office's, not for publication."""
    year = ctx["plan"]["fiscal_year_label"]
    return {**ctx["document"], "title": f"{ctx['plan']['name']} {year} 自己評価シート点検報告（内部資料）",
            "subject": f"{year}の自己評価シートの提出・点検の状況（内部資料）"}


def _tables(report: CheckReport, ctx: dict[str, Any], status: Path | None, summary: Path,
            today: date) -> Path | None:
    """The status table, then the summary; the status table's path when it could not be replaced."""
    locked = None if status is None else _status_or_locked(report, status, today)
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
