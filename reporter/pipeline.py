"""The stages in order, and the policies. Library entry points for the CLI and the tests."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reporter import atomic, era
from reporter.issues import Issue
from reporter.master import load_master
from reporter.model import Master
from reporter.render import forms as render_forms

DEFAULT_MASTER = Path("input") / "計画マスタ.xlsx"
DEFAULT_TEMPLATE = Path("templates") / "様式.xlsx"
DEFAULT_OUTPUT = Path("output")
FORMS_FOLDER = "自己評価シート"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class FormsResult:
    master_issues: tuple[Issue, ...]
    files: tuple[Path, ...]
    sheet_count: int


def year_folder(output: Path, master: Master) -> Path:
    return output / era.long(master.plan.fiscal_year)


def form_file_name(master: Master, department: str) -> str:
    return f"{era.long(master.plan.fiscal_year)}_自己評価シート_{safe_file_part(department)}.xlsx"


def safe_file_part(text: str) -> str:
    """A department name made safe as part of a file name on Windows and elsewhere."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", text).strip(" .")
    return cleaned[:80] or "_"


def forms(master_path: Path, template_path: Path, output: Path,
          progress: Progress | None = None) -> FormsResult:
    """Write one pre-filled workbook per department; nothing is written if the master is bad."""
    master, problems = load_master(master_path)
    if master is None:
        return FormsResult(problems, (), 0)
    template = render_forms.load_template(template_path)
    folder = year_folder(output, master) / FORMS_FOLDER
    files = []
    for department in master.departments:
        target = folder / form_file_name(master, department)
        with atomic.atomic_path(target) as tmp:
            render_forms.write_department(master, department, template, tmp)
        files.append(target)
        if progress:
            progress(department)
    return FormsResult((), tuple(files), len(master.sheets()))
