"""The installed command's entry point: the command line, or one plain line when a package it
needs is missing (a partial installation must not greet the office with a traceback)."""

from __future__ import annotations

import sys

EXIT_FAILURE = 3
PACKAGES = {"docx": "python-docx", "python_calamine": "python-calamine"}  # import name -> package name


def run() -> None:
    try:
        from reporter.cli import main  # the command line and what check needs (the report's libraries load later)
    except ModuleNotFoundError as exc:
        name = (exc.name or "").split(".")[0]
        if name == "reporter":  # a part of the tool itself is missing: the installation is incomplete
            print("エラー: reporter のインストールが不完全です。README のとおり reporter を入れ直してください。",
                  file=sys.stderr)
        else:
            package = PACKAGES.get(name, name)
            print(f"エラー: reporter に必要なパッケージ「{package}」が入っていません。"
                  f"インストールした環境で「pip install {package}」を実行するか、README のとおり reporter を"
                  "入れ直してください。", file=sys.stderr)
        sys.exit(EXIT_FAILURE)
    main()


if __name__ == "__main__":
    run()
