"""The container check refuses what a parser would choke on, and passes ordinary forms."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from reporter import container
from reporter.container import Limits, UnsafeError


def _book(path: Path, row: int, column: int) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "x"
    ws.cell(row=row, column=column, value="far")
    wb.save(path)
    return path


@pytest.mark.parametrize(("row", "column", "refused"), [
    (10_000, 200, False), (10_001, 1, True), (1, 201, True), (99_999, 1, True), (5, 16_384, True),
])
def test_used_range_limits(tmp_path: Path, row: int, column: int, refused: bool) -> None:
    path = _book(tmp_path / "b.xlsx", row, column)
    if refused:
        with pytest.raises(UnsafeError):
            container.inspect(path, Limits())
    else:
        assert container.inspect(path, Limits()).kind is container.Kind.XLSX


def test_uncalculated_formula_is_found(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["C5"] = "=1+1"
    ws["D5"] = "text with <f> inside"
    wb.save(tmp_path / "f.xlsx")
    scan = container.inspect(tmp_path / "f.xlsx").sheets["Sheet"]
    assert scan.formulas == {"C5": False}
