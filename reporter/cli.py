"""The command line (click): options, progress and summary printing, exit codes."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from reporter import __version__, pipeline
from reporter.atomic import OutputLockedError
from reporter.issues import Issue
from reporter.render.forms import TemplateError

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_FAILURE = 0, 1, 2, 3

F = TypeVar("F", bound=Callable[..., Any])
err = Console(stderr=True, highlight=False)
out = Console(highlight=False)


def guarded(func: F) -> F:
    """Turn operator failures into one Japanese line and exit 3; a traceback only with --debug."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            return func(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except TemplateError as exc:
            err.print(f"[red]エラー:[/red] {exc}")
            if debug:
                raise
            sys.exit(EXIT_USAGE)
        except OutputLockedError as exc:
            err.print(f"[red]エラー:[/red] 出力ファイル「{exc.path}」を書き換えられません。"
                      "Excel などで開いている場合は閉じてから、もう一度実行してください。")
            if debug:
                raise
            sys.exit(EXIT_FAILURE)
        except Exception as exc:
            if debug:
                raise
            err.print(f"[red]エラー:[/red] 処理を続けられませんでした（{type(exc).__name__}: {exc}）。"
                      "--debug を付けて実行すると詳しい情報が表示されます。")
            sys.exit(EXIT_FAILURE)

    return wrapper  # type: ignore[return-value]


def print_master_issues(problems: tuple[Issue, ...]) -> None:
    err.print(f"[red]計画マスタに {len(problems)} 件の問題があります。何も出力していません。[/red]")
    for problem in problems:
        err.print(problem.line(), markup=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reporter")
@click.option("--debug", is_flag=True, help="エラー時に詳しい情報（トレースバック）を表示します。")
def main(debug: bool) -> None:
    """地域福祉計画の進行管理：自己評価シートの作成・点検・報告書の作成を行います。"""


@main.command("forms")
@click.option("--master", "master_path", type=click.Path(path_type=Path),
              default=pipeline.DEFAULT_MASTER, show_default=True,
              help="計画マスタ（Excel）のパス。")
@click.option("--template", "template_path", type=click.Path(path_type=Path),
              default=pipeline.DEFAULT_TEMPLATE, show_default=True,
              help="自己評価シートの様式テンプレート（Excel）のパス。")
@click.option("--output", type=click.Path(path_type=Path), default=pipeline.DEFAULT_OUTPUT,
              show_default=True, help="出力先フォルダ。")
@guarded
def forms_command(master_path: Path, template_path: Path, output: Path) -> None:
    """計画マスタから担当課ごとの自己評価シート（Excel）を作成します。"""
    with err.status("自己評価シートを作成しています…"):
        result = pipeline.forms(master_path, template_path, output)
    if result.master_issues:
        print_master_issues(result.master_issues)
        sys.exit(EXIT_USAGE)
    folder = result.files[0].parent if result.files else output
    out.print(f"自己評価シートを作成しました: 担当課 {len(result.files)} 件、"
              f"シート {result.sheet_count} 枚")
    out.print(f"出力先: {folder}", markup=False)
