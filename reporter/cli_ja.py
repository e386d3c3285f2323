"""click in Japanese: the help's headings, the usage line and click's own error messages.

click words its help and errors through ``gettext`` (each of its modules imports it as ``_``),
but only a compiled catalogue for the user's locale would translate them, and a Windows PC in a
city office has none. The strings a user can meet are translated here and the click modules'
``_`` and ``ngettext`` are pointed at this table; a string not in it stays as click words it.
"""

from __future__ import annotations

from typing import Any

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types

MESSAGES = {
    "Usage:": "使い方:",
    "Options": "オプション",
    "Commands": "コマンド",
    "Positional arguments": "引数",
    "Show this message and exit.": "このヘルプを表示して終了します。",
    "Show the version and exit.": "バージョンを表示して終了します。",
    "%(prog)s, version %(version)s": "%(prog)s バージョン %(version)s",
    "default: {default}": "既定：{default}",
    "env var: {var}": "環境変数: {var}",
    "(dynamic)": "（実行時に決定）",
    "deprecated": "廃止予定",
    "path": "パス",
    "file": "ファイル",
    "directory": "フォルダ",
    "Aborted!": "中止しました。",
    "Error: {message}": "エラー: {message}",
    "Try '{command} {option}' for help.": "使い方は「{command} {option}」で確認できます。",
    "Missing command.": "コマンドを指定してください。",
    "No such command {name!r}.": "コマンド {name!r} はありません。",
    "No such option {name!r}.": "オプション {name!r} はありません。",
    "Option {name!r} does not take a value.": "オプション {name!r} には値を付けません。",
    "Missing argument": "次の引数を指定してください：",
    "Missing option": "次のオプションを指定してください：",
    "Missing parameter": "値がありません",
    "Missing parameter: {param_name}": "値がありません: {param_name}",
    "Invalid value for {param_hint}: {message}": "{param_hint} の値が正しくありません: {message}",
    "Invalid value: {message}": "値が正しくありません: {message}",
    "{name} {filename!r} does not exist.": "{name} {filename!r} が見つかりません。",
    "{name} {filename!r} is a file.": "{name} {filename!r} はファイルです（フォルダを指定してください）。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} はフォルダです（ファイルを指定してください）。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} を読み取れません。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} に書き込めません。",
    "{value!r} is not a valid {number_type}.": "{value!r} は正しい{number_type}ではありません。",
    "Choose from:\n\t{choices}": "次から選んでください:\n\t{choices}",
}

PLURALS = {
    "Got unexpected extra argument ({args})": "余分な引数があります（{args}）",
    "Option {name!r} requires an argument.": "オプション {name!r} には値が必要です。",
    "{value!r} is not {choice}.": "{value!r} は {choice} ではありません。",
    "{value!r} is not one of {choices}.": "{value!r} は {choices} のいずれでもありません。",
    "Did you mean {possibility}?": "{possibility} のことですか？",
    "(Did you mean one of: {possibilities}?)": "（{possibilities} のいずれかのことですか？）",
}

OPTIONS_METAVAR = "[オプション]"
SUBCOMMAND_METAVAR = "コマンド [引数]..."


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return PLURALS.get(singular, singular if n == 1 else plural)


def install() -> None:
    """Point click's message lookups at the table above."""
    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.termui,
                   click.types):
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]


class Command(click.Command):
    """A command whose usage line reads 「[オプション]」."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


class Group(click.Group):
    """A group whose commands (and sub-groups) are worded the same way; running it puts click's
    messages into Japanese first (only when this command line runs, not on import)."""

    command_class = Command

    def main(self, *args: Any, **kwargs: Any) -> Any:
        install()
        return super().main(*args, **kwargs)

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        kwargs.setdefault("subcommand_metavar", SUBCOMMAND_METAVAR)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


Group.group_class = Group
