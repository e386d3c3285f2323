"""The README stays true: its test command is what CI runs; every issue code and command is
documented and has help text."""

from __future__ import annotations

import re

import click
from click.testing import CliRunner

from reporter.cli import main
from reporter.core.catalogue import CATALOGUE
from tests.conftest import ROOT
from tools import readme

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _opening_commands() -> list[str]:
    return re.findall(r"```bash\n(.+?)\n```", README)[:2]


def test_readme_opens_with_two_commands_and_ci_runs_the_second() -> None:
    run, test = _opening_commands()
    assert "reporter" in run and "pip install" in run
    assert "pytest" in test and "ruff" in test and "mypy" in test
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci.splitlines()


def test_every_issue_code_is_in_the_readme() -> None:
    missing = [code for code in CATALOGUE if f"`{code}`" not in README]
    assert missing == []


def test_the_readmes_generated_tables_are_what_the_code_says() -> None:
    """The code table (from the catalogue) and the layout table (one line per module, from its
    docstring): run `python tools/readme.py` after changing either."""
    assert readme.render(README) == README
    for path in (ROOT / "reporter").rglob("*.py"):
        assert f"`{path.relative_to(ROOT).as_posix()}`" in README or path.name == "__init__.py", path


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    found: list[tuple[tuple[str, ...], click.Command]] = []
    for name, command in group.commands.items():
        found.append(((*path, name), command))
        if isinstance(command, click.Group):
            found.extend(_commands(command, (*path, name)))
    return found


def test_every_command_has_help_text() -> None:
    commands = _commands(main)
    assert ("history", "import") in [p for p, _ in commands]
    for path, command in commands:
        name = " ".join(path)
        assert command.help, name
        result = CliRunner().invoke(main, [*path, "--help"])
        assert result.exit_code == 0
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} --{param.name}"
            else:  # arguments are described in the command's own help text
                assert str(param.name).upper() in (command.help or ""), f"{name} {param.name}"
