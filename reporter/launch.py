"""The installed command's entry point: the command line, or one plain line when a package it
needs is missing (a partial installation must not greet the office with a traceback)."""

from __future__ import annotations

import sys

EXIT_FAILURE = 3


def run() -> None:
    try:
        from reporter.cli import main  # the whole tool: every third-party package is imported here
    except ModuleNotFoundError as exc:
        name = (exc.name or "").split(".")[0]
        print(f"エラー: reporter に必要なパッケージ「{name}」が入っていません。"
              f"インストールした環境で「pip install {name}」を実行するか、README のとおり reporter を"
              "入れ直してください。", file=sys.stderr)
        sys.exit(EXIT_FAILURE)
    main()


if __name__ == "__main__":
    run()
