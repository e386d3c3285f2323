"""The stages in order (forms, check, build) for the command line and the tests: each takes paths
and returns plain results; what to write where is decided here."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from reporter import atomic, places, runtime, starter
from reporter.checks import batch
from reporter.checks import history as history_checks
from reporter.checks import indicators as indicator_checks
from reporter.core import era, issues, normalize, subplan
from reporter.core.held import HeldYear, History
from reporter.core.issues import Issue, Location
from reporter.core.model import Master
from reporter.core.records import IndicatorRecord
from reporter.core.report import CheckReport, FileResult, index_by_sheet, to_json
from reporter.errors import OutputLockedError, PlaceError, UsageError
from reporter.forms import assembly
from reporter.forms import writer as render_forms
from reporter.history import store
from reporter.intake import discover
from reporter.intake.container import ReasonedError
from reporter.intake.scan import FileScan, map_files, relative
from reporter.master import load_master
from reporter.outputs.build import office
from reporter.outputs.check import feedback
from reporter.outputs.check.status import write_status_file

if TYPE_CHECKING:  # publish brings matplotlib and docxtpl: loaded by build alone
    from reporter.outputs.build.publish import Targets

# The issue codes this module raises (tests/test_contracts.py holds every code to one module).
CODES = (
    "file.feedback-failed",
)

# Defaults, relative to the working folder (see `reporter init`).
DEFAULT_MASTER = starter.MASTER
DEFAULT_TEMPLATE = starter.TEMPLATES / starter.FORM_TEMPLATE
DEFAULT_OUTPUT = starter.OUTPUT
DEFAULT_INPUT = Path("input")
DEFAULT_HISTORY = starter.HISTORY
FORMS_FOLDER = "自己評価シート"
FEEDBACK_FOLDER = "確認結果"
STATUS_FILE = "提出状況.xlsx"

Progress = Callable[[int, int, str], None]  # (done, total, name)


@dataclass(frozen=True)
class FormsResult:
    master_issues: tuple[Issue, ...]  # the master's problems when it cannot be used
    files: tuple[Path, ...]
    sheet_count: int
    notes: tuple[Issue, ...] = ()  # the master's warnings (unknown columns …) when it can


def year_folder(output: Path, master: Master) -> Path:
    return output / era.long(master.plan.fiscal_year)


def form_file_name(master: Master, department: str) -> str:
    return f"{era.long(master.plan.fiscal_year)}_自己評価シート_{safe_file_part(department)}.xlsx"


def safe_file_part(text: str) -> str:
    """A department name made safe as part of a file name on Windows and elsewhere."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", text).strip(" .")
    return cleaned[:80] or "_"


def template(given: Path | None, default: Path) -> Path:
    """The template to use: the one given; else the working folder's own (templates/…); else
    the default shipped inside the package."""
    if given is not None:
        return given
    return default if default.exists() else starter.packaged(default.name)


def init(folder: Path, demo: bool = False) -> starter.Started:
    """Make ``folder`` a working folder (the blank master, or the demo's; the templates; input/,
    output/); what exists is kept."""
    return starter.init(folder, demo)


def prepare(input_dir: Path | None, inputs: dict[str, Path], output: Path,
            outputs: dict[str, Path | None] | None = None) -> None:
    """Before any work: refuse outputs on or inside an input (PlaceError), then sweep what a
    killed run left: temporary files in the output folder, temporary folders and LibreOffice."""
    places.ensure_apart(input_dir, inputs, output, outputs or {})
    places.sweep(output)
    places.sweep_temporary()
    office.sweep()


def debug() -> None:
    """Worker processes keep what a failing library prints (--debug)."""
    os.environ[runtime.DEBUG_ENV] = "1"


def held(history: Path | None, master: Master) -> History:
    """What the history file holds for the master's plan (nothing without a file)."""
    if history is None:
        return History(master.plan.name)
    store.check_place(history)
    return store.load(history, master.plan)


def forms(master_path: Path, template_path: Path, output: Path,
          progress: Progress | None = None, history: Path | None = None) -> FormsResult:
    """Write one pre-filled workbook per department; nothing is written if the master is bad.
    With a history, each sheet's figures of the years before come filled in and locked."""
    master, problems = load_master(master_path)
    if master is None:
        return FormsResult(problems, (), 0)
    earlier = held(history, master)
    template = render_forms.load_template(template_path)
    places.mark_output(output)
    folder = year_folder(output, master) / FORMS_FOLDER
    forms = assembly.Forms(master, template, earlier)  # one prototype sheet, copied as text for every sheet
    files = []
    for department in master.departments:
        target = folder / form_file_name(master, department)
        with atomic.atomic_path(target) as tmp:
            forms.write(department, tmp)
        files.append(target)
        if progress:
            progress(len(files), len(master.departments), department)
    return FormsResult((), tuple(files), len(master.sheets()), problems)


@dataclass(frozen=True)
class CheckOutcome:
    master_issues: tuple[Issue, ...]
    report: CheckReport | None
    history: History | None = None  # what the history held, as the check compared with it


def check(master_path: Path, input_dir: Path, progress: Progress | None = None,
          workers: int | None = None, output: Path | None = None,
          exclude: tuple[Path, ...] = (), history: Path | None = None) -> CheckOutcome:
    """Read, normalise and validate every workbook below ``input_dir``; never raises for a bad
    submission. The master file itself (and ``exclude``), lock files and system files, and the
    tool's own output folders are passed over. With a history, an earlier year's figure that
    differs from what was reported then is a warning."""
    master, problems = load_master(master_path)
    if master is None:
        return CheckOutcome(problems, None)
    earlier = held(history, master)
    report = _check(master, problems, master_path, input_dir, progress, workers, output,
                    (*exclude, *((history,) if history else ())), earlier)
    return CheckOutcome((), report, earlier)


def _check(master: Master, problems: tuple[Issue, ...], master_path: Path, input_dir: Path,
           progress: Progress | None, workers: int | None, output: Path | None, exclude: tuple[Path, ...],
           earlier: History) -> CheckReport:
    paths, passed_over = discover.discover(input_dir, {master_path, *exclude}, output)
    jobs = [(path, relative(path, input_dir)) for path in paths]
    scanned = []
    for n, result in enumerate(map_files(master, jobs, workers), start=1):
        if result.plan_master:  # a master among the submissions is passed over, not an unusable submission
            passed_over.append(result.path)
        else:
            scanned.append(result)
        if progress:
            progress(n, len(paths), result.name)
    return _assemble(master, scanned, passed_over, problems, earlier)


def _assemble(master: Master, scanned: list[FileScan], passed_over: list[Path],
              notes: tuple[Issue, ...], earlier: History) -> CheckReport:
    all_records = [r for scan in scanned for r in scan.records]
    found = [*notes, *(i for scan in scanned for i in scan.issues)]
    winners, duplicates = batch.newest_first(all_records)
    found.extend(duplicates)
    found.extend(batch.shared_amounts(winners, master))
    found.extend(batch.multi_policy(winners))
    found.extend(batch.amounts_differ(winners))
    found.extend(history_checks.changed_figures(winners, master, earlier))
    answers = _newest_answers(scanned)
    found.extend(indicator_checks.outliers(answers, master, earlier))
    absent, missing_issues = batch.missing(master, {r.spec.key for r in winners})
    found.extend(missing_issues)
    by_file: dict[str, list[Issue]] = {}
    for issue in found:
        by_file.setdefault(issue.location.file, []).append(issue)
    files = tuple(FileResult(s.path, s.name, s.department, s.usable, tuple(r.source.sheet for r in s.records),
                             tuple(by_file.get(s.name, ()))) for s in scanned)
    return CheckReport(master, files, tuple(winners), tuple(batch.superseded(all_records, winners)),
                       tuple(absent), tuple(found), tuple(passed_over), index_by_sheet(found), tuple(answers))


def _newest_answers(scanned: list[FileScan]) -> list[IndicatorRecord]:
    """Each indicator's answer from the newest usable file that gives it (a corrected copy sent
    later replaces the first), as batch.newest_first does for sheets."""
    newest: dict[str, IndicatorRecord] = {}
    for scan in scanned:
        for r in scan.indicators:
            kept = newest.get(r.indicator_id)
            if kept is None or (r.source.modified, r.source.file) > (kept.source.modified, kept.source.file):
                newest[r.indicator_id] = r
    return list(newest.values())


def status_path(output: Path, master: Master) -> Path:
    return year_folder(output, master) / STATUS_FILE


def write_status(report: CheckReport, output: Path, today: date) -> Path:
    return write_status_file(report, status_path(output, report.master), today)


@dataclass(frozen=True)
class CheckFiles:
    feedback: tuple[Path, ...]
    status: Path | None  # None when it could not be replaced (see ``unwritten``)
    json: Path | None
    report: CheckReport  # the report with the feedback copies that could not be made listed
    unwritten: tuple[Path, ...] = ()  # outputs that exist but could not be replaced (open in Excel)


FeedbackJob = tuple[Path, Path, str, str, tuple[Issue, ...], date]


def write_check_outputs(report: CheckReport, output: Path, today: date, json_path: Path | None = None,
                        workers: int | None = None) -> CheckFiles:
    """Feedback per returned workbook, the status workbook and (asked for) the JSON report.

    Input files are only read; every output is written atomically. Each feedback copy is made in
    a worker process from the submission's bytes: one that cannot be made (a crash, the time
    bound, an unexpected error) is listed as a warning on its file, and the others, the status
    table and the JSON are still written. An output open in Excel is left as it was and named."""
    places.mark_output(output)
    folder = year_folder(output, report.master) / FEEDBACK_FOLDER
    written: list[Path] = []
    unwritten: list[Path] = []
    failed: list[Issue] = []
    used: set[str] = set()
    jobs: list[FeedbackJob] = []
    for f in report.files:
        if f.department is None or not f.usable:
            continue
        stem = _unique_stem(f.path.stem, used)
        target = folder / f"{stem}_確認結果.xlsx"
        jobs.append((f.path, target, f.department, report.year_label, f.issues, today))
        ordered = feedback.sort_issues(f.issues, f.sheets)
        missing = [i for i in report.issues if i.code == "batch.missing" and i.location.field == f.department]
        text = feedback.email_text(f.department, report.year_label, f.name, ordered, missing)
        written.append(atomic.write_text(folder / f"{stem}_確認結果.txt", text))
    names = {f.path: f.name for f in report.files}
    for job, result in zip(jobs, runtime.isolated(_feedback_job, jobs, None, workers=workers), strict=True):
        if result is None:
            written.append(job[1])
            continue
        if result == LOCKED:
            unwritten.append(job[1])
        reason = FEEDBACK_FAILURES.get(result.kind, "") if isinstance(result, runtime.Failed) else result
        failed.append(issues.make("file.feedback-failed", Location(names[job[0]]), reason=reason))
    report = report.with_issues(tuple(failed))
    status: Path | None = None
    try:
        status = write_status(report, output, today)
    except OutputLockedError as exc:
        unwritten.append(exc.path)
    if json_path is not None:
        atomic.write_text(json_path, json.dumps(to_json(report), ensure_ascii=False, indent=2))
    return CheckFiles(tuple(written), status, json_path, report, tuple(unwritten))


LOCKED = "出力先のファイルが開かれているため書き換えられません"
FEEDBACK_FAILURES = {"crash": "作成の途中で処理が異常終了しました",
                     "timeout": f"作成に {runtime.FILE_TIMEOUT:.0f} 秒以上かかりました",
                     "error": "作成中に予期しないエラーが起きました"}


def _feedback_job(_: None, job: FeedbackJob) -> str | None:
    """One feedback copy, written atomically (in a worker process); None, or why it was not."""
    source, target, department, year_label, found, today = job
    try:
        with atomic.atomic_path(target) as tmp:
            feedback.write_workbook(source, tmp, department, year_label, found, today)
    except OutputLockedError:
        return LOCKED
    except ReasonedError as exc:  # the copy's own guard refused the file: say why, in its words
        return exc.reason
    return None


def _unique_stem(stem: str, used: set[str]) -> str:
    candidate, n = stem, 2
    while candidate in used:
        candidate, n = f"{stem}_{n}", n + 1
    used.add(candidate)
    return candidate


REPORT_FOLDER = "報告書"
SITE_FOLDER = "html"  # the HTML edition: ASCII names, as a city's web server expects
DEFAULT_REPORT_TEMPLATE = starter.TEMPLATES / starter.REPORT_TEMPLATE
DEFAULT_CHECK_TEMPLATE = starter.TEMPLATES / starter.CHECK_TEMPLATE


@dataclass(frozen=True)
class BuildOutcome:
    master_issues: tuple[Issue, ...]
    report: CheckReport | None
    refused: bool = False  # --strict and sheets missing or in error: nothing of the report was written
    docx: Path | None = None  # the public edition
    xlsx: Path | None = None
    pdf: Path | None = None
    context: Path | None = None
    pdf_problem: str = ""  # why no PDF was made although asked (LibreOffice missing)
    unwritten: tuple[Path, ...] = ()  # outputs that exist but could not be replaced (open in Excel)
    recorded: HeldYear | None = None  # the year as the history now holds it
    check_docx: Path | None = None  # the internal check report
    check_pdf: Path | None = None
    site: Path | None = None  # the HTML edition's index page
    empty: bool = False  # no sheet could be used: no report was made

    @property
    def written(self) -> tuple[tuple[str, Path], ...]:
        """What the build wrote, labelled for the console."""
        return tuple((label, path) for label, path in (
            ("報告書（公表用、Word）", self.docx), ("報告書（公表用、PDF）", self.pdf),
            ("報告書（ウェブ版）", self.site), ("点検報告（内部資料、Word）", self.check_docx),
            ("点検報告（内部資料、PDF）", self.check_pdf), ("集計表（Excel）", self.xlsx),
            ("差し込みデータ（JSON）", self.context)) if path is not None)


def report_targets(output: Path, master: Master, html: bool = False, sub_plan: bool = False) -> Targets:
    """Where the build's outputs go; a sub-plan's (its master named after it) in a folder of its own."""
    from reporter.outputs.build.publish import Targets

    folder = year_folder(output, master) / REPORT_FOLDER
    year = era.long(master.plan.fiscal_year)
    if sub_plan:
        folder, year = folder / safe_file_part(master.plan.name), f"{year}_{safe_file_part(master.plan.name)}"
    status = None if sub_plan else status_path(output, master)  # the whole plan's table is left as it is
    return Targets(status, folder / f"{year}_進行管理報告書.docx", folder / f"{year}_集計表.xlsx",
                   folder / f"{year}_進行管理報告書.pdf", folder / f"{year}_点検報告.docx",
                   folder / f"{year}_点検報告.pdf", folder / SITE_FOLDER if html else None)


def build(master_path: Path, input_dir: Path, output: Path, template: Path, today: date, *,
          strict: bool = False, pdf: bool = False, dump_context: Path | None = None,
          progress: Progress | None = None, workers: int | None = None,
          history: Path | None = None, check_template: Path | None = None, html: bool = False,
          sub_plan: str | None = None) -> BuildOutcome:
    """Check, aggregate and render the annual report: the public edition, the internal check
    report and the summary (the HTML edition when asked). Sheets with errors are left out and
    listed in the check report; with ``strict`` nothing is built while sheets are missing or in
    error. With no usable sheet at all nothing is built. With a history, the report sets the
    year beside the years held, and the year's accepted sheets are then recorded in it
    (replacing what it held for the year). ``sub_plan`` builds that sub-plan's own report from
    the same submissions (nothing is recorded: the whole plan's build records the year)."""
    from reporter.outputs.build.publish import Templates, publish

    check_template = check_template or starter.packaged(starter.CHECK_TEMPLATE)
    outcome = check(master_path, input_dir, progress, workers, output, (template, check_template), history)
    report = outcome.report
    if report is None:
        return BuildOutcome(outcome.master_issues, None)
    if sub_plan is not None:
        if sub_plan not in subplan.names(report.master):
            known = "、".join(subplan.names(report.master))
            raise UsageError(f"個別計画「{sub_plan}」は計画マスタ「{master_path.name}」の「分類軸」シートに"
                             "ありません。" + (
                f"指定できる個別計画：{known}" if known else
                "計画マスタの「分類軸」シートで、個別計画の軸の「区分」を「個別計画」にしてください。"))
        report = subplan.restrict(report, sub_plan)
        history = None
    # The status table is refreshed with the report; the per-department feedback is `check`'s
    # job (it reopens every returned workbook, which would dominate a build of a thousand files).
    places.mark_output(output)
    empty = not report.included
    if empty or (strict and (report.any_errors or report.missing)):
        if sub_plan is not None:
            return BuildOutcome((), report, refused=True, empty=empty)
        try:
            write_status(report, output, today)
        except OutputLockedError as exc:
            return BuildOutcome((), report, refused=True, unwritten=(exc.path,), empty=empty)
        return BuildOutcome((), report, refused=True, empty=empty)
    targets = report_targets(output, report.master, html, sub_plan is not None)
    earlier = outcome.history  # read once, by the check
    # The checked batch (hundreds of thousands of small objects) lives until the report is
    # written: set aside, it is not walked again and again (a tenth of the build time at a
    # thousand files).
    with runtime.frozen():
        done = publish(report, Templates(template, check_template), targets, today, pdf=pdf,
                       dump_context=dump_context, history=earlier, workers=workers)
    recorded = None
    if history is not None and report.included:
        recorded = store.record(history, report.master, report.master.plan.fiscal_year, report.included,
                                input_dir, "build", datetime.now().astimezone(), report.indicators)
    public_pdf, check_pdf = done.pdfs if done.pdfs else (None, None)
    return BuildOutcome((), report, False, targets.docx, targets.xlsx, public_pdf, dump_context, done.pdf_problem,
                        done.unwritten, recorded, targets.check_docx, check_pdf, done.site)


@dataclass(frozen=True)
class ImportOutcome:
    master_issues: tuple[Issue, ...]
    report: CheckReport | None  # the earlier year's files as checked
    recorded: HeldYear | None = None  # None when no sheet could be taken in


def history_import(master_path: Path, folder: Path, history: Path, year: int | None = None,
                   progress: Progress | None = None, workers: int | None = None) -> ImportOutcome:
    """Read an earlier year's returned workbooks (made by this tool for ``year``, by default the
    year before the master's) through the same checks, and record the accepted sheets as that
    year. ``master_path`` may be that year's master (for projects that have since ended)."""
    master, problems = load_master(master_path)
    if master is None:
        return ImportOutcome(problems, None)
    plan = master.plan
    year = plan.fiscal_year - 1 if year is None else year
    store.check_year(plan, year)
    store.check_place(history)
    store.verify(history, plan)
    if places.is_output_folder(folder):  # the tool's own copies carry the forms' identity
        raise PlaceError(f"「{folder}」は reporter の出力先フォルダです。担当課から返ってきたシートを置いたフォルダを"
                         "指定してください。")
    then = replace(master, plan=replace(plan, fiscal_year=year))
    report = _check(then, problems, master_path, folder, progress, workers, None, (history,), History(plan.name))
    if not report.included:
        return ImportOutcome((), report)
    recorded = store.record(history, then, year, report.included, folder, "import", datetime.now().astimezone(),
                            report.indicators)
    return ImportOutcome((), report, recorded)


def era_label(year: int) -> str:
    """令和2年度 for 2020."""
    return era.long(year)


def parse_year(text: str) -> int:
    """A fiscal year as the office writes it (令和2年度, R2, 2020); UsageError if it is none."""
    year = normalize.fiscal_year(text)
    if year is None:
        raise UsageError(f"年度「{text}」を読み取れません。「令和2年度」「R2」「2020」のように指定してください。")
    return year


def history_years(history: Path) -> tuple[str, tuple[HeldYear, ...]]:
    """The plan a history file belongs to and the years it holds (empty without a file)."""
    store.check_place(history)
    if not history.exists():
        return "", ()
    return store.summary(history)
