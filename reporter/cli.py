"""The command line (click): options, progress and summary printing, exit codes."""

from __future__ import annotations

import errno
import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from reporter import __version__, api, cli_ja
from reporter.errors import HistoryError, HistoryLockedError, OutputLockedError, UsageError

if TYPE_CHECKING:
    from reporter.core.issues import Issue
    from reporter.core.report import CheckReport

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_FAILURE = 0, 1, 2, 3

F = TypeVar("F", bound=Callable[..., Any])
err = Console(stderr=True, highlight=False)
out = Console(highlight=False)


NO_SPACE = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


# Characters a terminal acts on instead of showing: control characters (an escape sequence in a
# file name could move the cursor or recolour the screen) and the marks that reorder text.
_TERMINAL_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` fit for a terminal: what a terminal would act on is shown as its code."""
    if text.isprintable():
        return text
    return _TERMINAL_UNSAFE.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


def shown(text: object) -> str:
    """Text from a file name or a submission, fit for the console: markup brackets escaped and
    control characters (escape sequences) shown as their codes."""
    return escape(printable(str(text)))


def guarded(func: F) -> F:
    """Turn operator failures into one Japanese line and exit 2 or 3; a traceback only with --debug."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            return func(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except HistoryError as exc:
            fail(str(exc), EXIT_FAILURE if exc.damaged else EXIT_USAGE, debug)
        except HistoryLockedError as exc:
            fail(str(exc), EXIT_FAILURE, debug)
        except UsageError as exc:
            fail(str(exc), EXIT_USAGE, debug)
        except OutputLockedError as exc:
            fail(f"出力ファイル「{exc.path}」を書き換えられません。"
                 "Excel などで開いている場合は閉じてから、もう一度実行してください。", EXIT_FAILURE, debug)
        except Exception as exc:
            if (system := _os_error(exc)) is None:
                fail(f"処理を続けられませんでした（{type(exc).__name__}: {exc}）。"
                     "--debug を付けて実行すると詳しい情報が表示されます。", EXIT_FAILURE, debug)
                raise AssertionError("unreachable") from exc
            exc = system
            if exc.errno in NO_SPACE:
                fail(f"ディスクの空き容量が足りないため、ファイルを書き込めませんでした（{exc.filename or ''}）。"
                     "空きを作ってから、もう一度実行してください。前回の出力はそのまま残っています。",
                     EXIT_FAILURE, debug)
            fail(f"ファイルを読み書きできませんでした（{exc.strerror or exc}: {exc.filename or ''}）。"
                 "場所と権限を確認してください。", EXIT_FAILURE, debug)

    return wrapper  # type: ignore[return-value]


def _os_error(exc: BaseException) -> OSError | None:
    """The system's error behind ``exc``: itself, or one a library wrapped (xlsxwriter's
    FileCreateError carries the OSError as its argument)."""
    seen: set[int] = set()
    todo: list[object] = [exc]
    while todo:
        current = todo.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno is not None:
            return current
        todo.extend((*current.args, current.__cause__, current.__context__))
    return None


def fail(message: str, code: int, debug: bool) -> None:
    err.print(f"[red]エラー:[/red] {shown(message)}", highlight=False)
    if debug:
        raise
    # A writer interrupted mid-file (a full disk) may try to finish its zip when collected and
    # print a second error: the one line above has said what happened.
    sys.unraisablehook = lambda _: None
    sys.exit(code)


def require_master(path: Path) -> None:
    if not path.is_file():
        err.print(f"[red]エラー:[/red] 計画マスタ「{shown(path)}」がありません。作業フォルダで実行しているか"
                  "確かめるか、--master で場所を指定してください。新しく始めるときは「reporter init」で作業フォルダを"
                  "作れます。", highlight=False)
        sys.exit(EXIT_USAGE)


def require_folder(folder: Path) -> None:
    if not folder.is_dir():
        err.print(f"[red]エラー:[/red] フォルダ「{escape(str(folder))}」がありません。"
                  "届いたファイルを置いたフォルダを指定してください。")
        sys.exit(EXIT_USAGE)


def print_master_issues(problems: tuple[Issue, ...]) -> None:
    errors = sum(1 for p in problems if p.severity.value == "error")
    err.print(f"[red]計画マスタに {errors} 件の誤りがあります。何も出力していません。[/red]")
    for problem in problems:
        err.print(printable(problem.line()), markup=False, highlight=False)


@click.group(cls=cli_ja.Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reporter")
@click.option("--debug", is_flag=True, help="エラー時に詳しい情報（トレースバック）を表示します。")
def main(debug: bool) -> None:
    """地域福祉計画の進行管理：自己評価シートの作成・点検・報告書の作成を行います。"""
    if debug:
        api.debug()


@main.command("init")
@click.argument("folder", type=click.Path(path_type=Path), default=Path("."))
@click.option("--demo", is_flag=True, help="空の計画マスタの代わりに、デモ（仙台市の計画）の計画マスタを入れます。")
@guarded
def init_command(folder: Path, demo: bool) -> None:
    """作業フォルダ FOLDER（既定：今のフォルダ）を用意します。

    計画マスタのひな形（記入方法のシート付き）、様式と報告書のテンプレート、input・output フォルダを作ります。
    すでにあるファイルは書き換えません。
    """
    started = api.init(folder, demo)
    for path in started.created:
        out.print(f"作成しました: {shown(path)}")
    for path in started.kept:
        out.print(f"[yellow]既にあるため、そのままにしました:[/yellow] {shown(path)}")
    out.print(f"次に、{shown(started.folder / api.DEFAULT_MASTER)} を自分の計画の内容に書き換えてから、"
              f"そのフォルダで「reporter forms」を実行してください。")


@main.command("forms")
@click.option("--master", "master_path", type=click.Path(path_type=Path),
              default=api.DEFAULT_MASTER, show_default=True,
              help="計画マスタ（Excel）のパス。")
@click.option("--template", "template_path", type=click.Path(path_type=Path), default=None,
              help=f"自己評価シートの様式テンプレート（Excel）のパス。[既定：{api.DEFAULT_TEMPLATE}、"
                   "なければ同梱の標準様式]")
@click.option("--output", type=click.Path(path_type=Path), default=api.DEFAULT_OUTPUT,
              show_default=True, help="出力先フォルダ。")
@click.option("--history", "history_path", type=click.Path(path_type=Path), default=api.DEFAULT_HISTORY,
              show_default=True, help="計画期間の履歴ファイル（SQLite）。"
                   "前年度までの報告があれば、年度別実績の表に記入済み（変更不可）で入れます。")
@guarded
def forms_command(master_path: Path, template_path: Path | None, output: Path, history_path: Path) -> None:
    """計画マスタから担当課ごとの自己評価シート（Excel）を作成します。"""
    require_master(master_path)
    template_path = api.template(template_path, api.DEFAULT_TEMPLATE)
    api.prepare(None, {"計画マスタ": master_path, "様式テンプレート": template_path, "履歴ファイル": history_path},
                output)
    with err.status("自己評価シートを作成しています…"):
        result = api.forms(master_path, template_path, output, history=history_path)
    if result.master_issues:
        print_master_issues(result.master_issues)
        sys.exit(EXIT_USAGE)
    for note in result.notes:
        err.print(f"[yellow]計画マスタ（{note.severity.label}）:[/yellow] {shown(note.line())}", highlight=False)
    folder = result.files[0].parent if result.files else output
    out.print(f"自己評価シートを作成しました: 担当課 {len(result.files)} 件、"
              f"シート {result.sheet_count} 枚")
    out.print(f"出力先: {shown(folder)}")


@contextmanager
def progress_bar(label: str) -> Iterator[api.Progress]:
    """A progress bar on stderr; yields the callback the pipeline calls per item."""
    bar = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                   console=err, transient=True)
    task = bar.add_task("", total=None)
    with bar:
        def advance(done: int, total: int, name: str) -> None:
            bar.update(task, completed=done, total=total, description=name)

        yield advance


def print_check_summary(report: CheckReport, importing: bool = False) -> None:
    n = report.counts()
    table = Table(title=f"{report.year_label} 自己評価シートの点検結果", show_header=False)
    table.add_column("項目")
    table.add_column("件数", justify="right")
    for label, key in (("計画上のシート", "expected"), ("提出あり", "submitted"), ("未提出", "missing"),
                       ("集計対象（エラーなし）", "included"), ("要修正（集計から除外）", "excluded"),
                       ("重複のため不使用", "superseded"), ("読み込んだファイル", "files"),
                       ("使用できないファイル", "unusable_files"), ("エラー", "errors"),
                       ("警告", "warnings"), ("お知らせ", "infos")):
        table.add_row(label, str(n[key]))
    out.print(table)
    out.print(f"照合: {n['expected']} = {n['submitted']} + {n['missing']}（提出＋未提出）、"
              f"{n['submitted']} = {n['included']} + {n['excluded']}（集計対象＋除外）")
    for f in report.files:
        if not f.usable:
            for i in f.reasons:
                out.print(f"[red]使用できないファイル[/red] 「{shown(f.name)}」: {shown(i.message)}", markup=True,
                              highlight=False)
    earlier = sum(1 for i in report.issues if i.code == "form.wrong-year")
    if earlier and importing:
        out.print(f"[yellow]別の年度の様式のファイルが {earlier} 件あります。[/yellow]"
                  f"取り込む年度（{report.year_label}）が違う場合は、--year で年度を指定し直してください。")
    elif earlier:
        out.print(f"[yellow]別の年度の様式のファイルが {earlier} 件あります。[/yellow]前年度以前に返ってきたファイルを"
                  "履歴に取り込むときは「reporter history import フォルダ」を使ってください。")
    for i in report.issues:
        if i.code == "file.feedback-failed":
            err.print(f"[yellow]確認結果のブックを作れなかったファイル[/yellow] 「{shown(i.location.file)}」: "
                      f"{shown(i.message)}", highlight=False)


def print_unwritten(paths: tuple[Path, ...]) -> None:
    for path in paths:
        err.print(f"[red]エラー:[/red] 出力ファイル「{shown(path)}」を書き換えられませんでした。"
                  "Excel などで開いている場合は閉じてから、もう一度実行してください（ほかの出力は作成済みです）。",
                  highlight=False)


@main.command("check")
@click.argument("input_dir", type=click.Path(path_type=Path), default=api.DEFAULT_INPUT)
@click.option("--master", "master_path", type=click.Path(path_type=Path),
              default=api.DEFAULT_MASTER, show_default=True, help="計画マスタ（Excel）のパス。")
@click.option("--output", type=click.Path(path_type=Path), default=api.DEFAULT_OUTPUT,
              show_default=True, help="出力先フォルダ。")
@click.option("--json", "json_path", type=click.Path(path_type=Path), default=None,
              help="点検結果の全体を JSON で書き出すファイル。")
@click.option("--history", "history_path", type=click.Path(path_type=Path), default=api.DEFAULT_HISTORY,
              show_default=True, help="計画期間の履歴ファイル（SQLite）。"
                   "前年度までに報告された実績と違う値があれば警告します。")
@guarded
def check_command(input_dir: Path, master_path: Path, output: Path, json_path: Path | None,
                  history_path: Path) -> None:
    """届いた自己評価シートを点検し、担当課ごとの確認結果と提出状況表を作成します。

    INPUT_DIR（既定：input）の下にある全ファイルを、ファイル名にかかわらず読み込みます。
    """
    require_folder(input_dir)
    require_master(master_path)
    api.prepare(input_dir, {"計画マスタ": master_path, "履歴ファイル": history_path}, output,
                {"点検結果（JSON）": json_path})
    with progress_bar("点検中") as advance:
        outcome = api.check(master_path, input_dir, advance, output=output, history=history_path)
    if outcome.report is None:
        print_master_issues(outcome.master_issues)
        sys.exit(EXIT_USAGE)
    with err.status("確認結果を作成しています…"):
        files = api.write_check_outputs(outcome.report, output, date.today(), json_path)
    print_check_summary(files.report)
    folder = api.year_folder(output, files.report.master)
    if files.feedback:
        out.print(f"確認結果: {shown(folder / api.FEEDBACK_FOLDER)}")
    if files.status is not None:
        out.print(f"提出状況: {shown(files.status)}")
    print_unwritten(files.unwritten)
    if files.unwritten:
        sys.exit(EXIT_FAILURE)
    sys.exit(EXIT_ERRORS if files.report.any_errors else EXIT_OK)


@main.command("build")
@click.argument("input_dir", type=click.Path(path_type=Path), default=api.DEFAULT_INPUT)
@click.option("--master", "master_path", type=click.Path(path_type=Path),
              default=api.DEFAULT_MASTER, show_default=True, help="計画マスタ（Excel）のパス。")
@click.option("--template", "template_path", type=click.Path(path_type=Path), default=None,
              help=f"報告書の Word テンプレートのパス。[既定：{api.DEFAULT_REPORT_TEMPLATE}、"
                   "なければ同梱の標準テンプレート]")
@click.option("--output", type=click.Path(path_type=Path), default=api.DEFAULT_OUTPUT,
              show_default=True, help="出力先フォルダ。")
@click.option("--check-template", "check_template_path", type=click.Path(path_type=Path), default=None,
              help=f"点検報告（内部資料）の Word テンプレートのパス。[既定：{api.DEFAULT_CHECK_TEMPLATE}、"
                   "なければ同梱の標準テンプレート]")
@click.option("--pdf", is_flag=True, help="LibreOffice で PDF も作成します（公表用の報告書と点検報告）。")
@click.option("--html", is_flag=True, help="公表用の報告書のウェブ版（HTML、そのまま公開できるフォルダ）も作成します。")
@click.option("--strict", is_flag=True,
              help="未提出のシートやエラーのあるシートが残っている間は報告書を作りません（終了コード 1）。")
@click.option("--plan", "sub_plan", default=None, metavar="個別計画名",
              help="計画マスタの個別計画（分類軸の区分が「個別計画」の値）だけの報告書と集計表を、同じ提出から作ります"
                   "（報告書フォルダの下の、個別計画名のフォルダに作成。履歴には記録しません）。")
@click.option("--dump-context", type=click.Path(path_type=Path), default=None,
              help="テンプレートで使える値（差し込みデータ）を JSON で書き出すファイル。")
@click.option("--history", "history_path", type=click.Path(path_type=Path), default=api.DEFAULT_HISTORY,
              show_default=True, help="計画期間の履歴ファイル（SQLite）。"
                   "報告書に前年度との比較を載せ、作成後にこの年度の集計対象のシートを記録します。")
@guarded
def build_command(input_dir: Path, master_path: Path, template_path: Path | None, check_template_path: Path | None,
                  output: Path, pdf: bool, html: bool, strict: bool, sub_plan: str | None, dump_context: Path | None,
                  history_path: Path) -> None:
    """届いたシートを点検・集計し、報告書・点検報告・集計表を作成します。

    報告書は公表用（Word、--pdf で PDF、--html でウェブ版）、点検報告は事務局用の内部資料（未提出・除外・
    使用できなかったファイル・二重計上の可能性）、集計表は Excel です。
    INPUT_DIR（既定：input）の下にあるシートを使います。エラーのあるシートは集計から除き、点検報告に理由を載せます。
    未提出や除外のシートがある間は、報告書の表紙と概要に「速報」と表示します。
    """
    require_folder(input_dir)
    require_master(master_path)
    template_path = api.template(template_path, api.DEFAULT_REPORT_TEMPLATE)
    check_template_path = api.template(check_template_path, api.DEFAULT_CHECK_TEMPLATE)
    # The history is read and written by build itself: an input that no output may replace.
    api.prepare(input_dir, {"計画マスタ": master_path, "報告書テンプレート": template_path,
                            "点検報告テンプレート": check_template_path, "履歴ファイル": history_path}, output,
                {"差し込みデータ（JSON）": dump_context})
    with progress_bar("点検・集計中") as advance:
        result = api.build(master_path, input_dir, output, template_path, date.today(), strict=strict,
                           pdf=pdf, dump_context=dump_context, progress=advance, history=history_path,
                           check_template=check_template_path, html=html, sub_plan=sub_plan)
    if result.report is None:
        print_master_issues(result.master_issues)
        sys.exit(EXIT_USAGE)
    print_check_summary(result.report)
    if result.empty:
        err.print("[red]集計できるシートが1枚もないため、報告書を作りませんでした。[/red]"
                  f"「{shown(input_dir)}」に担当課から返ってきたシートを置き、提出状況表で未提出・エラーを確認してから"
                  "再度実行してください。")
        sys.exit(EXIT_ERRORS)
    if result.refused:
        err.print(f"[red]--strict が指定されているため、報告書を作りません（{not_included(result.report)}）。[/red]"
                  + ("「reporter check」で担当課ごとの確認結果を作成して各課に返し、" if result.report.excluded else
                     "提出状況表で未提出の担当課を確認し、提出を依頼して、")
                  + "すべてのシートがそろってから再度実行してください。")
        sys.exit(EXIT_ERRORS)
    for label, path in result.written:
        out.print(f"{label}: {shown(path)}")
    if result.pdf_problem:
        err.print(f"[yellow]PDF は作成できませんでした。[/yellow]{shown(result.pdf_problem)}"
                  " Word と Excel は作成済みです。", highlight=False)
    if result.recorded is not None:
        held = result.recorded
        out.print(f"履歴: {shown(history_path)} に{api.era_label(held.year)}のシート {held.sheets} 枚を記録しました。")
    if result.report.missing or result.report.excluded:
        out.print(f"[yellow]{not_included(result.report)}があるため、報告書は「速報」です。"
                  + ("除外の理由は点検報告に載せました。" if result.report.excluded else "") + "[/yellow]")
        if result.recorded is not None:
            out.print("[yellow]履歴には速報のまま記録しました。すべてのシートがそろってから作り直すと、"
                      "この年度の記録を置き換えます。[/yellow]")
    print_unwritten(result.unwritten)
    if result.unwritten:
        sys.exit(EXIT_FAILURE)
    sys.exit(EXIT_ERRORS if result.report.any_errors else EXIT_OK)


def not_included(report: CheckReport) -> str:
    """「未提出 3 枚、エラーのため除外 1 枚」: only the parts there are."""
    parts = [f"{label} {n} 枚" for label, n in (("未提出", len(report.missing)),
                                               ("エラーのため除外", len(report.excluded))) if n]
    return "、".join(parts)


def print_years(plan: str, years: tuple[Any, ...], path: Path) -> None:
    out.print(f"履歴ファイル: {shown(path)}")
    out.print(f"計画: {shown(plan)}")
    table = Table(box=box.SIMPLE)
    for label, justify in (("年度", "left"), ("記録元", "left"), ("シート", "right"), ("事業", "right"),
                           ("課", "right"), ("決算額", "right"), ("予算額", "right"), ("記録日", "left")):
        table.add_column(label, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    for y in years:
        table.add_row(api.era_label(y.year), {"build": "作成", "import": "取込"}.get(y.source, y.source),
                      str(y.sheets), str(y.projects), str(y.departments), f"{y.settled:,.0f}", f"{y.budget:,.0f}",
                      y.recorded[:10])
    out.print(table)
    out.print("記録元：作成＝reporter build、取込＝reporter history import。金額の単位は計画マスタの金額単位です。")


@main.group("history", invoke_without_command=True)
@click.option("--history", "history_path", type=click.Path(path_type=Path), default=api.DEFAULT_HISTORY,
              show_default=True, help="計画期間の履歴ファイル（SQLite）。")
@click.option("--json", "as_json", is_flag=True, help="一覧を JSON で表示します。")
@click.pass_context
@guarded
def history_group(ctx: click.Context, history_path: Path, as_json: bool) -> None:
    """計画期間の履歴（年度ごとに記録したシート）を一覧にします。

    履歴は reporter build が記録します。前年度以前の提出ファイルは「reporter history import」で取り込めます。
    """
    ctx.ensure_object(dict)
    ctx.obj["history"] = history_path
    if ctx.invoked_subcommand is not None:
        return
    plan, years = api.history_years(history_path)
    if as_json:
        click.echo(json.dumps({"history": str(history_path), "plan": plan,
                               "years": [{**asdict(y), "label": api.era_label(y.year)} for y in years]},
                              ensure_ascii=False, indent=2))
        return
    if not years:
        out.print(f"履歴ファイル「{shown(history_path)}」に記録された年度はありません。"
                  "reporter build で報告書を作ると、その年度が記録されます。")
        return
    print_years(plan, years, history_path)


@history_group.command("import")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--master", "master_path", type=click.Path(path_type=Path),
              default=api.DEFAULT_MASTER, show_default=True,
              help="計画マスタのパス（終了した事業がある場合は、その年度の計画マスタ）。")
@click.option("--year", "year_text", default=None, metavar="年度",
              help="取り込む年度（例：令和2年度、R2、2020）。[既定：計画マスタの評価年度の前年度]")
@click.option("--history", "history_here", type=click.Path(path_type=Path), default=None,
              help=f"取り込み先の履歴ファイル。[既定：{api.DEFAULT_HISTORY}]")
@click.pass_context
@guarded
def history_import_command(ctx: click.Context, folder: Path, master_path: Path, year_text: str | None,
                           history_here: Path | None) -> None:
    """前年度以前に返ってきた自己評価シート（FOLDER の下）を点検し、その年度の記録として履歴に取り込みます。"""
    require_folder(folder)
    require_master(master_path)
    history_path: Path = history_here or ctx.obj["history"]
    year = api.parse_year(year_text) if year_text is not None else None
    with progress_bar("取り込み中") as advance:
        result = api.history_import(master_path, folder, history_path, year, advance)
    if result.report is None:
        print_master_issues(result.master_issues)
        sys.exit(EXIT_USAGE)
    print_check_summary(result.report, importing=True)
    if result.recorded is None:
        err.print(f"[red]取り込めるシートがありませんでした。[/red]{result.report.year_label}の様式で作られた"
                  "ファイルか、--year の年度を確かめてください。")
        sys.exit(EXIT_ERRORS)
    held = result.recorded
    out.print(f"{shown(history_path)} に{api.era_label(held.year)}のシート {held.sheets} 枚を取り込みました。")
    sys.exit(EXIT_ERRORS if result.report.any_errors else EXIT_OK)
