"""Writing values into openpyxl cells safely."""

from __future__ import annotations

from openpyxl.cell.cell import Cell
from openpyxl.utils import range_boundaries
from openpyxl.worksheet.worksheet import Worksheet


def put(cell: Cell, value: object) -> None:
    """Write a value; text is always text (never a formula), even when it starts with '='."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    cell.hyperlink = None


def merged_range(ws: Worksheet, address: str) -> str:
    """The merged range that starts at ``address``, or the address itself."""
    for rng in ws.merged_cells.ranges:
        if rng.coord.split(":")[0] == address:
            return str(rng.coord)
    return address


def enclosing_range(ws: Worksheet, address: str) -> str:
    """The merged range that holds ``address`` (wherever in it), or the address itself: a user
    may have merged a field's cell into a wider box, and only its top-left cell takes a comment."""
    for rng in ws.merged_cells.ranges:
        if address in rng:
            return str(rng.coord)
    return address


def cells_of(ws: Worksheet, rng: str) -> list[Cell]:
    min_col, min_row, max_col, max_row = range_boundaries(rng)
    return [ws.cell(row=r, column=c) for r in range(min_row, max_row + 1)
            for c in range(min_col, max_col + 1)]
