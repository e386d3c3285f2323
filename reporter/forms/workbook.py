"""Opening an existing workbook for editing with openpyxl, without its merged-cell slowness.

openpyxl re-creates every merged cell on load and restyles its edges one cell at a time,
hashing style objects on each step: a form with ~60 merged boxes per sheet takes most of a
second to open (see openpyxl's MergedCellRange.format). The replacement below gives each
merged cell the same borders and protection, computed once per distinct style.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.styles.borders import Border
from openpyxl.styles.cell_style import StyleArray
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.merge import MergedCellRange

SIDES = ("top", "left", "right", "bottom")


def _format(self: Any) -> None:
    ws = self.ws
    start = self.start_cell
    cache: dict[tuple[int, frozenset[str]], int] = ws.__dict__.setdefault("_reporter_borders", {})
    edges = {name: set(getattr(self, name)) for name in SIDES}
    start_border = start.border
    styled = {name for name in SIDES
              if not (getattr(start_border, name) and getattr(start_border, name).style is None)}
    for coord in self.cells:
        cell = ws._cells.get(coord)
        if cell is None:
            cell = MergedCell(ws, row=coord[0], column=coord[1])
            ws._cells[coord] = cell
        if cell._style is None:
            cell._style = StyleArray()
        sides = frozenset(name for name in styled if coord in edges[name])
        if sides:
            key = (start._style.borderId, sides)
            if key not in cache:
                border = cell.border
                for name in sides:
                    border = border + Border(**{name: getattr(start_border, name)})
                cache[key] = ws.parent._borders.add(border)
            cell._style.borderId = cache[key]
        cell._style.protectionId = start._style.protectionId


@contextmanager
def _fast_merges() -> Iterator[None]:
    original = MergedCellRange.format
    MergedCellRange.format = _format
    try:
        yield
    finally:
        MergedCellRange.format = original


def open_for_edit(path: Path) -> Workbook:
    """load_workbook(path), fast on forms with many merged boxes. The file is handed over open:
    openpyxl then reads it whatever its name ends with (by name, it refuses anything but
    .xlsx and its kin)."""
    with _fast_merges(), path.open("rb") as f:
        return load_workbook(f)
