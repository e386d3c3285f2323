"""Shared xlsxwriter helpers: a workbook where strings stay strings, and plain tables."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter


def open_workbook(path: Path) -> xlsxwriter.Workbook:
    """A workbook in which no string ever becomes a formula, a number or a link."""
    return xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                           "strings_to_numbers": False})


A4, A3 = 9, 8  # xlsxwriter paper codes
CELL_LIMIT = 32_767  # what one Excel cell holds, in UTF-16 code units
CUT_NOTE = "…（セルに収まらないため、以下 {rest:,} 文字を省略しました。全文は提出されたシートを参照してください）"


def fit_cell(text: str) -> str:
    """``text`` as one Excel cell holds it: when too long (counted as Excel counts, an emoji
    being two), cut at a character boundary with a note saying so, never silently."""
    if len(text) <= CELL_LIMIT // 2 or len(text.encode("utf-16-le")) // 2 <= CELL_LIMIT:
        return text
    room = CELL_LIMIT - len(CUT_NOTE) - 8
    kept = text.encode("utf-16-le")[: room * 2].decode("utf-16-le", "ignore")
    return kept + CUT_NOTE.format(rest=len(text) - len(kept))


def table(book: xlsxwriter.Workbook, ws: Any, first_row: int, headers: Sequence[str],
          rows: Sequence[Sequence[object]], widths: Sequence[int], *, percent: Sequence[int] = (),
          paper: int = A4) -> None:
    """Headers, rows, a filter, frozen header, column widths and print setup (landscape, fit
    to the page width, header repeated). ``percent`` lists the columns holding shares. A table
    below another (``first_row`` > 0) gets its headers and rows only."""
    head = book.add_format({"bold": True, "bg_color": "#D9D9D9", "border": 1, "text_wrap": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    number = book.add_format({"num_format": "#,##0", "valign": "top", "border": 1})
    share = book.add_format({"num_format": "0%", "valign": "top", "border": 1})
    for c, (title, width) in enumerate(zip(headers, widths, strict=True)):
        ws.write_string(first_row, c, title, head)
        ws.set_column(c, c, width)
    for r, row in enumerate(rows, start=first_row + 1):
        for c, value in enumerate(row):
            if isinstance(value, int | float) and not isinstance(value, bool):
                ws.write_number(r, c, value, share if c in percent else number)
            elif value is None or value == "":
                ws.write_blank(r, c, None, wrap)
            else:
                ws.write_string(r, c, fit_cell(str(value)), wrap)
    if first_row:  # a second table below the first: the sheet's filter and panes are the first's
        return
    ws.autofilter(first_row, 0, first_row + max(len(rows), 1), len(headers) - 1)
    ws.freeze_panes(first_row + 1, 0)
    ws.set_landscape()
    ws.set_paper(paper)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(first_row)
