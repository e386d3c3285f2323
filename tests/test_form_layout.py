"""How the department forms print: every text shows whole, the footer says what a department
knows its sheet by, and the slots a plan does not use are plainly out of use."""

from __future__ import annotations

import math
import unicodedata
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from reporter import api
from reporter.core import form
from reporter.forms import fit
from reporter.forms.writer import load_template
from reporter.master import load_master
from tests import corpus
from tests.conftest import ROOT, TEMPLATE, MasterFactory

DEMO_MASTER = ROOT / "input" / "計画マスタ.xlsx"
LONG_OVERVIEW = ("仙台市社会福祉協議会", "2-2_02")  # the demo's longest 概要


@pytest.fixture(scope="module")
def demo_forms(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("forms")
    return list(api.forms(DEMO_MASTER, TEMPLATE, out).files)


def _book(files: list[Path], department: str) -> Path:
    return next(f for f in files if f.stem.endswith("_" + department))


def _form_sheets(path: Path) -> list[Worksheet]:
    wb = load_workbook(path)
    hidden = (form.LISTS_SHEET, form.IDENTITY_SHEET, form.PREVIOUS_SHEET, form.INDICATOR_SHEET)
    return [wb[n] for n in wb.sheetnames if n not in hidden]


def _box(ws: Worksheet, address: str) -> tuple[float, float]:
    """(width in pixels, height in points) of the shown rows of the (merged) box at ``address``."""
    rng = next((r.coord for r in ws.merged_cells.ranges if r.coord.split(":")[0] == address), address)
    min_col, min_row, max_col, max_row = range_boundaries(rng)
    px = sum(ws.column_dimensions[get_column_letter(c)].width * 7 + 5 for c in range(min_col, max_col + 1))
    pt = sum(ws.row_dimensions[r].height or 15.0 for r in range(min_row, max_row + 1)
             if not ws.row_dimensions[r].hidden)
    return px, pt


def _lines(text: str, px: float, size: float) -> int:
    """Printed lines, counted by hand: a full-width character is two half-width ones, 12 px at 9 pt."""
    per_line = (px - 6) / (12 * size / 9)
    return sum(max(1, math.ceil(sum(1 if unicodedata.east_asian_width(ch) in "WFA" else 0.5 for ch in line)
                                / math.floor(per_line))) for line in text.split("\n"))


def _address(ws: Worksheet, name: str) -> str:
    ((_, ref),) = ws.defined_names[name].destinations
    return str(ref.replace("$", ""))


def test_long_overview_gets_the_height_its_text_needs(demo_forms: list[Path]) -> None:
    department, sheet = LONG_OVERVIEW
    ws = load_workbook(_book(demo_forms, department))[sheet]
    cell = ws[_address(ws, "F_OVERVIEW")]
    text = str(cell.value)
    px, pt = _box(ws, cell.coordinate)
    lines = _lines(text, px, 9)
    assert lines >= 5  # the text is long: the template's 48 pt box held four lines
    assert pt >= lines * 12.5
    assert cell.alignment.wrap_text


def test_every_text_of_every_form_sheet_fits_its_box(demo_forms: list[Path]) -> None:
    for path in demo_forms:
        for ws in _form_sheets(path):
            for row in ws.iter_rows():
                for cell in row:
                    if not isinstance(cell.value, str) or not cell.value or ws.row_dimensions[cell.row].hidden:
                        continue
                    assert cell.alignment.wrap_text, (path.name, ws.title, cell.coordinate)
                    px, pt = _box(ws, cell.coordinate)
                    size = float(cell.font.sz or 11)
                    need = _lines(cell.value, px, size) * 12.5 * size / 9
                    assert pt >= need, (path.name, ws.title, cell.coordinate, cell.value)


def test_two_line_label_has_a_row_tall_enough(demo_forms: list[Path]) -> None:
    ws = _form_sheets(demo_forms[0])[0]
    label = next(c for row in ws.iter_rows() for c in row if c.value == "連携したかったが\nできなかった相手")
    assert label.alignment.wrap_text
    assert (ws.row_dimensions[label.row].height or 15.0) >= 2 * 12.5
    assert label.row == ws[_address(ws, "F_PARTNERS_WANTED")].row


def test_footer_names_the_policy_and_project_never_the_sheet_code(demo_forms: list[Path]) -> None:
    master, _ = load_master(DEMO_MASTER)
    assert master is not None
    specs = {s.sheet_name: s for d in master.departments for s in master.sheets_of(d)}
    for path in demo_forms:
        for ws in _form_sheets(path):
            footer = ws.oddFooter
            texts = [p.text or "" for p in (footer.left, footer.center, footer.right)]
            joined = "".join(texts)
            assert ws.title not in joined and "&A" not in joined and "{" not in joined
            spec = specs[ws.title]
            assert f"{spec.policy_code}　No.{spec.number}" in footer.left.text
            assert footer.right.text == "ページ &P / &N"
            margins = ws.page_margins
            assert margins.bottom - margins.footer >= 0.3  # room for the footer inside the margin


def test_footer_text_is_cut_and_escaped() -> None:
    assert fit.footer_text("A&B") == "A&&B"
    long = "あ" * 40
    cut = fit.footer_text(long)
    assert cut.endswith("…") and len(cut) == int(fit.FOOTER_WIDTH) + 1
    assert fit.footer_text("地域防災リーダー養成・支援事業") == "地域防災リーダー養成・支援事業"


def test_unused_slots_are_struck_or_hidden(demo_forms: list[Path]) -> None:
    # The demo plan has five years (a 6th year column), five target groups (a 6th slot) and
    # two named partners (a 3rd name row).
    ws = _form_sheets(demo_forms[0])[0]
    labels = load_template(TEMPLATE).addresses
    for name in ("F_FIG_1_Y6", "F_FIG_6_Y6", "F_TARGET_6"):
        cell = ws[_address(ws, name)]
        assert cell.border.diagonal is not None and cell.border.diagonal.style == "thin", name
        assert cell.border.diagonalDown, name
        assert cell.fill.fill_type is None, name  # white, not a grey box that looks unlabelled
    for name in ("L_FIG_Y6", "L_TARGET_6"):
        assert ws[labels[name]].border.diagonalDown, name
    partner_row = ws[_address(ws, "F_PARTNER_NAME_3")].row
    assert ws.row_dimensions[partner_row].hidden
    for name in ("F_FIG_1_Y5", "F_TARGET_5", "F_PARTNER_NAME_2"):  # used slots stay as they were
        cell = ws[_address(ws, name)]
        assert not cell.border.diagonalDown and cell.fill.fill_type == "solid", name
        assert not ws.row_dimensions[cell.row].hidden


def test_a_row_of_nothing_but_unused_target_slots_is_hidden(make_master: MasterFactory, tmp_path: Path) -> None:
    # The small master has three target groups: the second row of slots (4–6) holds nothing.
    files = api.forms(make_master(), TEMPLATE, tmp_path / "out").files
    ws = _form_sheets(files[0])[0]
    assert ws.row_dimensions[ws[_address(ws, "F_TARGET_4")].row].hidden
    assert not ws.row_dimensions[ws[_address(ws, "F_TARGET_1")].row].hidden


def test_assembled_forms_have_the_heights_and_footers_openpyxl_writes(tmp_path: Path) -> None:
    master, _ = load_master(DEMO_MASTER)
    assert master is not None
    for department, fast, slow in corpus.both_writers(master, tmp_path):
        for a, b in zip(_form_sheets(fast), _form_sheets(slow), strict=True):
            assert a.title == b.title
            assert _rows(a) == _rows(b), (department, a.title)
            assert (a.oddFooter.left.text, a.oddFooter.right.text) == (b.oddFooter.left.text, b.oddFooter.right.text)


def _rows(ws: Worksheet) -> dict[int, tuple[float | None, bool]]:
    return {r: (d.height, bool(d.hidden)) for r, d in ws.row_dimensions.items() if d.height or d.hidden}


@pytest.mark.parametrize(("text", "width_px", "size", "lines"), [
    ("短い", 120.0, 9.0, 1),
    ("あ" * 10, 126.0, 9.0, 1),  # 120 px inside the margins: ten full-width characters
    ("あ" * 11, 126.0, 9.0, 2),
    ("a" * 20, 126.0, 9.0, 1),  # half-width characters count as half
    ("一行目\n二行目\n三行目", 600.0, 9.0, 3),
    ("あ" * 10, 126.0, 11.0, 2),  # a larger font takes more room
])
def test_needed_height_counts_display_width(text: str, width_px: float, size: float, lines: int) -> None:
    height = fit.needed_height(text, width_px, size)
    line = 12.5 * size / 9
    assert lines * line <= height < (lines + 1) * line


def test_a_box_of_several_rows_grows_by_its_last_row() -> None:
    tall = fit.TextBox("あ\n" * 7, (3, 4), 600.0, 9.0)
    one = fit.TextBox("一行", (3,), 600.0, 9.0)
    grown = fit.fitted([tall, one], {3: 20.0}, set(), 15.0)
    assert 3 not in grown and grown[4] >= 7 * 12.5 - 20.0
    assert fit.fitted([tall], {}, {3, 4}, 15.0) == {}  # hidden rows are left alone
