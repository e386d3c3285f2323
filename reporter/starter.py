"""A new working folder for a planning office (`reporter init`): the blank master with its
記入方法 sheet explaining every sheet and column, the two templates to edit, input/ and output/.
The default templates and the demo master ship inside the package, so that the tool starts
anywhere; nothing that exists is overwritten."""

from __future__ import annotations

import shutil
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import xlsxwriter

from reporter import atomic, places
from reporter.core import schema

DATA = resources.files("reporter") / "data"
FORM_TEMPLATE = "様式.xlsx"
REPORT_TEMPLATE = "報告書.docx"
CHECK_TEMPLATE = "点検報告.docx"  # the internal edition
DEMO_MASTER = "計画マスタ_デモ.xlsx"
EXAMPLES = "ひな形.toml"
MASTER = Path("input") / "計画マスタ.xlsx"
SUBMISSIONS = Path("input") / "提出"
TEMPLATES = Path("templates")
OUTPUT = Path("output")
HISTORY = Path("履歴.sqlite3")  # the plan period's history, made by the first build


def packaged(name: str) -> Path:
    """A file shipped inside the package (a default template, the demo master)."""
    return Path(str(DATA / name))


@dataclass(frozen=True)
class Started:
    folder: Path
    created: tuple[Path, ...]
    kept: tuple[Path, ...]  # already there: left as they were


def init(folder: Path, demo: bool = False) -> Started:
    """Make ``folder`` a working folder; the blank master, or the demo's with ``demo``."""
    created: list[Path] = []
    kept: list[Path] = []

    def place(target: Path, write: object) -> None:
        if target.exists():
            kept.append(target)
            return
        atomic.write_with(target, write)  # type: ignore[arg-type]
        created.append(target)

    if demo:
        place(folder / MASTER, lambda tmp: shutil.copyfile(packaged(DEMO_MASTER), tmp))
    else:
        place(folder / MASTER, write_blank_master)
    for name in (FORM_TEMPLATE, REPORT_TEMPLATE, CHECK_TEMPLATE):
        place(folder / TEMPLATES / name, lambda tmp, n=name: shutil.copyfile(packaged(n), tmp))
    for sub in (SUBMISSIONS, OUTPUT):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    places.mark_output(folder / OUTPUT)
    return Started(folder, tuple(created), tuple(kept))


def write_blank_master(target: Path) -> None:
    """The master's sheets with their headings and example rows, and a first sheet (記入方法)
    saying what each sheet and column is for."""
    examples = tomllib.loads(packaged(EXAMPLES).read_text(encoding="utf-8"))
    book = xlsxwriter.Workbook(str(target), {"strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True, "bg_color": "#D9D9D9", "border": 1, "text_wrap": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    example = book.add_format({"font_color": "#7F7F7F", "border": 1})
    _guide(book, bold, wrap)
    for sheet in schema.SHEETS:
        ws = book.add_worksheet(sheet.name)
        for c, column in enumerate(sheet.columns):
            ws.write_string(0, c, column.name, bold)
            ws.write_comment(0, c, column.explanation, {"x_scale": 2})
            ws.set_column(c, c, 16 if c else 14)
        rows = examples.get(sheet.name, {}).get("rows", [])
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, int | float):
                    ws.write_number(r, c, value, example)
                else:
                    ws.write_string(r, c, str(value), example)
        ws.freeze_panes(1, 0)
    book.close()


def _guide(book: xlsxwriter.Workbook, bold: object, wrap: object) -> None:
    ws = book.add_worksheet(schema.GUIDE)
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 22)
    ws.set_column(2, 2, 90)
    ws.write_string(0, 0, "計画マスタの記入方法", book.add_format({"bold": True, "font_size": 14}))
    ws.write_string(1, 0, "各シートの1行目は見出しです（列の順番は自由です）。灰色の行は記入例です。自分の計画の内容に"
                          "書き換えてください。このシートは読み込みません。")
    row = 3
    for title in ("シート", "列（項目）", "説明"):
        ws.write_string(row, ("シート", "列（項目）", "説明").index(title), title, bold)
    for sheet in schema.SHEETS:
        row += 1
        ws.write_string(row, 0, sheet.name, bold)
        ws.write_string(row, 1, "（シート全体）", wrap)
        ws.write_string(row, 2, sheet.explanation, wrap)
        items = schema.SETTINGS if sheet.name == schema.PLAN else sheet.columns
        for column in items:
            row += 1
            ws.write_string(row, 0, sheet.name, wrap)
            ws.write_string(row, 1, column.name, wrap)
            need = "必須" if column.required else "任意"
            ws.write_string(row, 2, f"【{need}】{column.explanation}", wrap)
