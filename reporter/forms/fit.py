"""Row heights at which every text of a form sheet shows whole, on screen and on paper.

Excel sizes a row to its wrapped text only when the row is edited, and LibreOffice prints the
wrapped lines of a row left at its default height on top of each other; so every row that holds
text (a label, a pre-filled 概要, a legend) is given the height its text needs, computed from the
text's display width (a full-width character counts as two half-width ones) and the width of its
(merged) box. Heights only grow: the template's own heights are the floor.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl.utils import column_index_from_string, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from reporter.core import layout

DEFAULT_SIZE = 11.0  # openpyxl's default font, for a cell without a size of its own
CELL_PADDING_PX = 6.0  # the cell's inner margins, left and right
LINE_GAP_PT = 2.5  # above the first line and below the last: one 9 pt line fits Excel's 15 pt row
FOOTER_WIDTH = 32.0  # full-width characters of a name shown in the page footer


@dataclass(frozen=True)
class TextBox:
    """A wrapped text in a (merged) box: the rows it spans and its width."""

    text: str
    rows: tuple[int, ...]
    width_px: float
    size: float  # font size, points


def column_px(ws: Worksheet) -> dict[int, float]:
    """Each column's width in pixels, as Excel draws it with the default font (7 px a
    character); a hidden column takes none. One dimension may stand for a run of columns."""
    default = float(ws.sheet_format.defaultColWidth or 8.43)
    widths: dict[int, float] = defaultdict(lambda: default * 7 + 5)
    for key, dim in ws.column_dimensions.items():
        first = dim.min or column_index_from_string(key)
        for c in range(first, (dim.max or first) + 1):
            widths[c] = 0.0 if dim.hidden else float(dim.width or default) * 7 + 5
    return widths


def needed_height(text: str, width_px: float, size: float) -> float:
    """Points a ``text`` in ``size`` points takes when wrapped in a box ``width_px`` wide."""
    scale = size / 9.0  # layout's estimates are for a 9 pt font
    per_line = int((width_px - CELL_PADDING_PX) / (layout.FULL_WIDTH_PX * scale))
    lines = layout.needed_lines(text, per_line)
    return math.ceil(lines * layout.LINE_PT * scale + LINE_GAP_PT)


def text_boxes(ws: Worksheet) -> tuple[TextBox, ...]:
    """Every wrapped text of ``ws`` with its box (a merged range counts whole)."""
    merged = {rng.coord.split(":")[0]: rng.coord for rng in ws.merged_cells.ranges}
    px = column_px(ws)
    boxes = []
    for row in ws.iter_rows():
        for cell in row:
            if not isinstance(cell.value, str) or not cell.value or not cell.alignment.wrap_text:
                continue
            min_col, min_row, max_col, max_row = range_boundaries(merged.get(cell.coordinate, cell.coordinate))
            width = sum(px[c] for c in range(min_col, max_col + 1))
            size = float(cell.font.sz) if cell.font is not None and cell.font.sz else DEFAULT_SIZE
            boxes.append(TextBox(cell.value, tuple(range(min_row, max_row + 1)), width, size))
    return tuple(boxes)


def row_heights(ws: Worksheet) -> tuple[dict[int, float], set[int], float]:
    """The rows given a height, the hidden rows, and the default height."""
    heights = {r: float(d.height) for r, d in ws.row_dimensions.items() if d.height is not None}
    hidden = {r for r, d in ws.row_dimensions.items() if d.hidden}
    return heights, hidden, float(ws.sheet_format.defaultRowHeight or 15.0)


def fitted(boxes: Iterable[TextBox], heights: dict[int, float], hidden: set[int],
           default: float) -> dict[int, float]:
    """The rows that must grow for every box's text to show whole, with their new heights. A box
    of several rows grows by its last shown row; boxes of one row are fitted first, so that a tall
    box spanning them takes the height they already gained."""
    grown: dict[int, float] = {}
    for box in sorted(boxes, key=lambda b: len(b.rows)):
        shown = [r for r in box.rows if r not in hidden]
        if not shown:
            continue
        have = sum(grown.get(r, heights.get(r, default)) for r in shown)
        need = needed_height(box.text, box.width_px, box.size)
        if need > have:
            last = shown[-1]
            grown[last] = grown.get(last, heights.get(last, default)) + need - have
    return grown


def fit_rows(ws: Worksheet) -> None:
    """Give every row of ``ws`` the height its texts need."""
    heights, hidden, default = row_heights(ws)
    for row, height in fitted(text_boxes(ws), heights, hidden, default).items():
        ws.row_dimensions[row].height = height


def footer_text(text: str) -> str:
    """``text`` for a page footer: cut to what fits beside the page number, every '&' doubled
    (a single one starts a footer code)."""
    width, kept = 0.0, []
    for ch in text.replace("\n", " "):
        width += layout.char_width(ch)
        if width > FOOTER_WIDTH:
            kept.append("…")
            break
        kept.append(ch)
    return "".join(kept).replace("&", "&&")
