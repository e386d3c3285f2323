"""How much text a printed box holds: the box's size from the sheet's own geometry.

Estimates for a 9 pt Japanese font: one full-width character is about 12 px wide and a line
about 12.5 pt high. Half-width characters count as half.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

LINE_PT = 12.5
FULL_WIDTH_PX = 12.0
PADDING_PT = 4.0
SHORT_TEXT = 30  # characters: fits even the narrowest one-line text box of the form (35)


@dataclass(frozen=True)
class Geometry:
    """What sizes the printed boxes of a sheet."""

    row_heights: dict[int, float]  # points, rows with ht=
    column_widths: dict[int, float]  # character units
    merged_from: dict[str, str]  # top-left cell -> merged range "C11:L11"
    default_row_height: float = 15.0
    default_column_width: float = 8.43


def char_width(ch: str) -> float:
    return 1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5


def needed_lines(text: str, per_line: int) -> int:
    """Printed lines a text takes in a box ``per_line`` full-width characters wide."""
    if per_line <= 0:
        return 10**9
    total = 0
    for line in text.split("\n"):
        width = sum(char_width(ch) for ch in line)
        total += max(1, math.ceil(width / per_line))
    return total


def box(address: str, g: Geometry) -> tuple[int, int]:
    """(full-width characters per line, lines) of the (merged) box starting at ``address``."""
    rng = g.merged_from.get(address, f"{address}:{address}")
    min_col, min_row, max_col, max_row = _bounds(rng)
    px = sum(g.column_widths.get(c, g.default_column_width) * 7 + 5 for c in range(min_col, max_col + 1))
    pt = sum(g.row_heights.get(r, g.default_row_height) for r in range(min_row, max_row + 1))
    return int(px / FULL_WIDTH_PX), max(1, int((pt - PADDING_PT) / LINE_PT))


def _bounds(rng: str) -> tuple[int, int, int, int]:
    """"C11:L12" -> (3, 11, 12, 12): first column, first row, last column, last row."""
    first, _, last = rng.partition(":")
    (c1, r1), (c2, r2) = _cell(first), _cell(last or first)
    return c1, r1, c2, r2


def _cell(address: str) -> tuple[int, int]:
    letters = address.rstrip("0123456789")
    column = 0
    for ch in letters.upper():
        column = column * 26 + ord(ch) - 64
    return column, int(address[len(letters):])


def surely_fits(text: str) -> bool:
    """True for a short single-line text that fits any input box of the form (no measuring)."""
    return "\n" not in text and len(text) <= SHORT_TEXT


def height_for(text: str, per_line: int, minimum: float) -> float:
    """Row height (points) at which ``text`` fits, never below ``minimum``."""
    return max(minimum, needed_lines(text, per_line) * LINE_PT + PADDING_PT + 2)
