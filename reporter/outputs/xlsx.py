"""Shared xlsxwriter helpers: a workbook where strings stay strings, plain tables, and row
heights that fit wrapped text."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter

from reporter.core.layout import char_width


def open_workbook(path: Path) -> xlsxwriter.Workbook:
    """A workbook in which no string ever becomes a formula, a number or a link."""
    return xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                           "strings_to_numbers": False})


A4, A3 = 9, 8  # xlsxwriter paper codes
CELL_LIMIT = 32_767  # what one Excel cell holds, in UTF-16 code units
CUT_NOTE = "…（セルに収まらないため、以下 {rest:,} 文字を省略しました。全文は提出されたシートを参照してください）"
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0#"

# Row heights are written, not left to the program: LibreOffice does not grow a row of wrapped
# text when the file carries no height, and prints the lines over the next rows. The measures
# are those of the 11 pt default font (Calibri, with a Japanese fallback) in both programs.
LINE_PT = 15.0  # one line of text
ROW_PAD_PT = 3.0  # above and below the lines of a wrapped cell
MAX_ROW_PT = 408.75  # the highest row Excel allows (409 pt), in whole pixels as xlsxwriter writes it
WIDTH_SLACK = 0.9  # share of a column's width that text fills: fonts differ, and words wrap whole


def display_width(text: str) -> int:
    """Width of one line of text in column-width units: a full-width character counts 2."""
    return round(sum(2 * char_width(ch) for ch in text))


def wrapped_lines(text: str, width: float) -> int:
    """Lines ``text`` takes when wrapped in a column ``width`` characters wide."""
    room = max(1.0, width * WIDTH_SLACK)
    return sum(max(1, math.ceil(display_width(line) / room)) for line in text.split("\n"))


def row_height(cells: Iterable[tuple[object, float]]) -> float:
    """The height (points) of a row at which each of its wrapped ``cells`` (text, column width)
    shows whole; one line keeps the default height."""
    lines = max((wrapped_lines(str(text), width) for text, width in cells if text not in (None, "")), default=1)
    if lines <= 1:
        return LINE_PT
    return min(MAX_ROW_PT, lines * LINE_PT + ROW_PAD_PT)


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def fit_cell(text: str) -> str:
    """``text`` as one Excel cell holds it: when too long (counted as Excel counts, an emoji
    being two), cut at a character boundary with a note saying so, never silently."""
    if len(text) <= CELL_LIMIT // 2 or len(text.encode("utf-16-le")) // 2 <= CELL_LIMIT:
        return text
    room = CELL_LIMIT - len(CUT_NOTE) - 8
    kept = text.encode("utf-16-le")[: room * 2].decode("utf-16-le", "ignore")
    return kept + CUT_NOTE.format(rest=len(text) - len(kept))


class Formats:
    """The cell formats of plain tables: wrapped text on top, numbers right-aligned with
    thousands separators (decimals only where a value has them)."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.head = book.add_format({"bold": True, "bg_color": "#D9D9D9", "border": 1, "text_wrap": True,
                                     "valign": "top"})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
        self.integer = book.add_format({"num_format": INTEGER_FORMAT, "align": "right", "valign": "top",
                                        "border": 1})
        self.decimal = book.add_format({"num_format": DECIMAL_FORMAT, "align": "right", "valign": "top",
                                        "border": 1})
        self.share = book.add_format({"num_format": "0%", "align": "right", "valign": "top", "border": 1})

    def number(self, value: float) -> Any:
        return self.integer if float(value).is_integer() else self.decimal


def table(book: xlsxwriter.Workbook, ws: Any, first_row: int, headers: Sequence[str],
          rows: Sequence[Sequence[object]], widths: Sequence[int], *, percent: Sequence[int] = (),
          paper: int = A4) -> None:
    """Headers, rows, a filter, frozen header, column widths, row heights that fit the wrapped
    text, and print setup (landscape, fit to the page width, header repeated). ``percent``
    lists the columns holding shares. A table below another (``first_row`` > 0) gets its
    headers and rows only."""
    f = Formats(book)  # xlsxwriter writes equal formats once
    for c, (title, width) in enumerate(zip(headers, widths, strict=True)):
        ws.write_string(first_row, c, title, f.head)
        ws.set_column(c, c, width)
    ws.set_row(first_row, row_height(zip(headers, widths, strict=True)))
    for r, row in enumerate(rows, start=first_row + 1):
        texts: list[tuple[object, float]] = []
        for c, value in enumerate(row):
            if is_number(value):
                ws.write_number(r, c, value, f.share if c in percent else f.number(value))  # type: ignore[arg-type]
            elif value is None or value == "":
                ws.write_blank(r, c, None, f.wrap)
            else:
                text = fit_cell(str(value))
                ws.write_string(r, c, text, f.wrap)
                texts.append((text, widths[c]))
        ws.set_row(r, row_height(texts))
    if first_row:  # a second table below the first: the sheet's filter and panes are the first's
        return
    ws.autofilter(first_row, 0, first_row + max(len(rows), 1), len(headers) - 1)
    ws.freeze_panes(first_row + 1, 0)
    ws.set_landscape()
    ws.set_paper(paper)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(first_row)
