"""Slots of the template that a plan does not use: locked, struck through, or hidden.

A 6th year column for a 5-year plan, a 6th target group, a 3rd named partner: they stay locked,
so nothing is typed where nothing is read, and they must not look like a box left to fill. A slot
is struck through (斜線, the usual mark of 「該当なし」 on a Japanese form) on a white ground, its
empty label with it, and a row that holds nothing but unused slots is hidden.
"""

from __future__ import annotations

import re
from copy import copy

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from reporter.core import form
from reporter.core.model import Master
from reporter.forms.cells import cells_of, merged_range

STRIKE = Side(style="thin", color="808080")
NO_FILL = PatternFill(fill_type=None)


def unused_inputs(master: Master) -> set[str]:
    """The input fields of slots the master does not use."""
    plan, choices = master.plan, master.choices
    unused = {f"F_TARGET_{i + 1}" for i in range(len(choices.targets), form.TARGET_SLOTS)}
    if not any(t.named for t in choices.targets):
        unused.add("F_TARGET_OTHER")
    named = sum(1 for p in choices.partners if p.named)
    unused |= {f"F_PARTNER_NAME_{i + 1}" for i in range(named, form.PARTNER_NAME_SLOTS)}
    for c in range(len(plan.years), form.FIGURE_YEARS):
        unused |= {f"F_FIG_{r + 1}_Y{c + 1}" for r in range(form.FIGURE_ROWS)}
    return unused


def slot_label(name: str) -> str | None:
    """The defined name of the label a slot's input field sits beside (None for a fixed label)."""
    if m := re.fullmatch(r"F_(TARGET|PARTNER_NAME)_(\d+)", name):
        return f"L_{m.group(1)}_{m.group(2)}"
    if m := re.fullmatch(r"F_FIG_\d+_Y(\d+)", name):
        return f"L_FIG_Y{m.group(1)}"
    return None


def mark(ws: Worksheet, names: set[str], addresses: dict[str, str], used_rows: set[int]) -> None:
    """Strike the unused fields ``names`` and their empty labels; hide a row of ``names`` that
    holds no text and no field in use (``used_rows``)."""
    ranges = [merged_range(ws, addresses[n]) for n in sorted(names) if n in addresses]
    for name in sorted(names):
        label = slot_label(name)
        if label in addresses and not ws[addresses[label]].value:
            ranges.append(merged_range(ws, addresses[label]))
    rows: set[int] = set()
    for rng in ranges:
        for cell in cells_of(ws, rng):
            _strike(cell)
            rows.add(cell.row)
    for row in sorted(rows - used_rows):
        if not any(isinstance(c.value, str) and c.value.strip() for c in ws[row]):
            ws.row_dimensions[row].hidden = True


def _strike(cell: Cell | MergedCell) -> None:
    border = copy(cell.border)
    border.diagonal, border.diagonalDown, border.diagonalUp = STRIKE, True, False
    cell.border = border
    cell.fill = NO_FILL
