"""A tool that starts anywhere: `reporter init` makes a working folder from what ships inside the
package, and forms/check/build run from any folder with clear Japanese messages."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reporter import starter
from reporter.core import schema
from reporter.master import load_master
from tests.conftest import ROOT


def reporter(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command as the office runs it, in ``cwd`` (outside the repository)."""
    return subprocess.run([sys.executable, "-m", "reporter.launch", *args], cwd=cwd, capture_output=True,
                          text=True, env={**os.environ, "COLUMNS": "200"})


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_init_then_forms_works_in_a_new_folder(tmp_path: Path) -> None:
    done = reporter(tmp_path, "init", "新しいフォルダ")
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "新しいフォルダ"
    for part in ("input/計画マスタ.xlsx", "templates/様式.xlsx", "templates/報告書.docx"):
        assert (folder / part).is_file(), part
    assert (folder / "input" / "提出").is_dir() and (folder / "output" / ".reporter-output").is_file()
    forms = reporter(folder, "forms")
    assert forms.returncode == 0, forms.stderr
    made = list((folder / "output").rglob("*_自己評価シート_*.xlsx"))
    assert len(made) == 1
    assert "警告" not in forms.stderr  # the blank master has no column the tool does not know
    assert [p.code for p in load_master(folder / "input" / "計画マスタ.xlsx")[1]] == []
    check = reporter(folder, "check")  # nothing returned yet: every sheet is missing, named
    assert check.returncode == 0, check.stderr
    assert "照合: 1 = 0 + 1" in check.stdout


def test_the_blank_masters_guide_explains_every_sheet_and_column(tmp_path: Path) -> None:
    starter.init(tmp_path)
    wb = load_workbook(tmp_path / "input" / "計画マスタ.xlsx")
    assert wb.sheetnames == [schema.GUIDE, *(s.name for s in schema.SHEETS)]
    guide = {(r[0], r[1]) for r in wb[schema.GUIDE].iter_rows(min_row=5, values_only=True) if r[0]}
    for sheet in schema.SHEETS:
        items = schema.SETTINGS if sheet.name == schema.PLAN else sheet.columns
        for column in items:
            assert (sheet.name, column.name) in guide, (sheet.name, column.name)
        if sheet.name != schema.PLAN:
            assert [c.value for c in wb[sheet.name][1]] == list(sheet.column_names)


def test_init_never_overwrites(tmp_path: Path) -> None:
    starter.init(tmp_path)
    master = tmp_path / "input" / "計画マスタ.xlsx"
    master.write_bytes(b"the office's own work")
    before = digest(master)
    again = starter.init(tmp_path, demo=True)
    assert master in again.kept and digest(master) == before
    assert again.created == ()


def test_defaults_are_the_working_folders_then_the_packaged_ones(tmp_path: Path) -> None:
    starter.init(tmp_path)
    (tmp_path / "templates" / "様式.xlsx").unlink()  # the office's own form template is gone
    forms = reporter(tmp_path, "forms")
    assert forms.returncode == 0, forms.stderr  # the packaged one is used
    assert len(list((tmp_path / "output").rglob("*_自己評価シート_*.xlsx"))) == 1


def test_init_demo_gives_the_demo_master(tmp_path: Path) -> None:
    started = starter.init(tmp_path, demo=True)
    assert digest(tmp_path / "input" / "計画マスタ.xlsx") == digest(ROOT / "input" / "計画マスタ.xlsx")
    assert len(started.created) == 4  # the master, the form and both report templates


@pytest.mark.parametrize("command", ["forms", "check", "build"])
def test_a_folder_without_a_master_says_so_and_how_to_start(command: str, tmp_path: Path) -> None:
    (tmp_path / "input").mkdir()
    done = reporter(tmp_path, command)
    assert done.returncode == 2
    assert "計画マスタ「input/計画マスタ.xlsx」がありません" in done.stderr and "reporter init" in done.stderr
    assert "Traceback" not in done.stderr


def test_what_ships_inside_the_package_is_what_the_repository_holds() -> None:
    for packaged, repo in ((starter.FORM_TEMPLATE, ROOT / "templates" / "様式.xlsx"),
                           (starter.REPORT_TEMPLATE, ROOT / "templates" / "報告書.docx"),
                           (starter.DEMO_MASTER, ROOT / "input" / "計画マスタ.xlsx")):
        assert digest(starter.packaged(packaged)) == digest(repo), packaged
