"""Opening an existing workbook for editing with openpyxl, whatever its name ends with."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook


def open_for_edit(source: Path | bytes) -> Workbook:
    """load_workbook of a file's bytes or of the file handed over open: openpyxl then reads it
    whatever its name ends with (by name, it refuses anything but .xlsx and its kin)."""
    if isinstance(source, bytes):
        return load_workbook(io.BytesIO(source))
    with source.open("rb") as f:
        return load_workbook(f)
