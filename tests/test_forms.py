"""`reporter forms`: generated workbooks, their structure, and the fill → read round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from reporter import api
from reporter.cli import main
from reporter.core import form
from reporter.core.model import Master
from reporter.forms.cells import put
from reporter.forms.writer import load_template
from reporter.intake.read import read_form
from reporter.master import load_master
from tests.conftest import ROOT, TEMPLATE, MasterFactory


@pytest.fixture
def generated(make_master: MasterFactory, tmp_path: Path) -> tuple[Master, list[Path]]:
    path = make_master()
    master, _ = load_master(path)
    assert master is not None
    result = api.forms(path, TEMPLATE, tmp_path / "out")
    return master, list(result.files)


def test_one_workbook_per_department_one_sheet_per_assignment(
        generated: tuple[Master, list[Path]]) -> None:
    master, files = generated
    assert [f.name for f in files] == [
        "令和2年度_自己評価シート_危機管理局減災推進課.xlsx",
        "令和2年度_自己評価シート_健康福祉局社会課.xlsx",
        "令和2年度_自己評価シート_社会福祉協議会.xlsx"]
    assert all(f.parent.parts[-2:] == ("令和2年度", "自己評価シート") for f in files)
    for department, path in zip(master.departments, files, strict=True):
        book = read_form(path)
        assert book.identity is not None
        assert book.identity.department == department
        assert book.identity.fiscal_year == 2020
        assert book.identity.plan_name == master.plan.name
        assert [s.spec for s in book.identity.sheets] == list(master.sheets_of(department))
        assert [s.name for s in book.sheets] == [s.sheet_name for s in master.sheets_of(department)]
        for sheet in book.sheets:
            assert set(sheet.values) == set(sheet.addresses) == set(form.BY_NAME)  # every field by its name
            assert sheet.identity is not None
            assert sheet.fingerprint == sheet.identity.fingerprint


def test_prefilled_values_and_labels(generated: tuple[Master, list[Path]]) -> None:
    _, files = generated
    book = read_form(files[1])  # 健康福祉局社会課: P02 under 1-1, P03 under 2-1
    cells = {s.name: s.values for s in book.sheets}
    assert cells["1-1_01"]["F_PROJECT_NAME"] == "見守り活動支援"
    assert cells["1-1_01"]["F_POLICY_CODE"] == "1-1"
    assert cells["1-1_01"]["F_FISCAL_YEAR"] == "令和2年度"
    assert cells["2-1_01"]["F_OVERVIEW"] == '=HYPERLINK("http://example.com") & <b>相談</b>'
    wb = load_workbook(files[1])
    ws = wb["2-1_01"]
    overview = ws[_address(ws, "F_OVERVIEW")]
    assert overview.data_type == "s"  # text from the master never becomes a formula
    labels = load_template(TEMPLATE).addresses  # label cells are named in the template only
    headers = [ws[labels[f"L_FIG_Y{c}"]].value for c in range(1, 7)]
    assert headers == ["H28", "H29", "H30", "R1", "R2", None]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [t for t in texts if "{" in t and "}" in t]  # every placeholder filled
    assert "令和3年度予算額" in texts


def _address(ws, name: str) -> str:  # type: ignore[no-untyped-def]
    ((_, ref),) = ws.defined_names[name].destinations
    return str(ref.replace("$", ""))


def test_inputs_unlocked_labels_locked_dropdowns_from_hidden_lists(
        generated: tuple[Master, list[Path]]) -> None:
    master, files = generated
    wb = load_workbook(files[0])
    assert wb[form.LISTS_SHEET].sheet_state == "hidden"
    assert wb[form.IDENTITY_SHEET].sheet_state == "veryHidden"
    scale_dest = list(wb.defined_names[form.LIST_SCALE].destinations)
    (sheet, ref), = scale_dest
    assert sheet == form.LISTS_SHEET
    assert [c.value for row in wb[sheet][ref.replace("$", "")] for c in row] == [
        "①できた", "②できなかった", "③どちらともいえない", "④必要なかった"]
    ws = wb[master.sheets_of(master.departments[0])[0].sheet_name]
    assert ws.protection.sheet is True
    assert not ws.protection.password
    for field in form.INPUTS:
        if field.name in {f"F_TARGET_{n}" for n in range(4, form.TARGET_SLOTS + 1)} | {"F_PARTNER_NAME_3"} \
                or field.name.endswith("_Y6"):
            assert ws[_address(ws, field.name)].protection.locked  # unused slot stays locked
            continue
        if field.name in form.RATING_NAMES:  # the demo does not ask for the self-rating: hidden, locked
            cell = ws[_address(ws, field.name)]
            assert cell.protection.locked and ws.row_dimensions[cell.row].hidden, field.name
            continue
        assert not ws[_address(ws, field.name)].protection.locked, field.name
    for field in form.PREFILLED:
        assert ws[_address(ws, field.name)].protection.locked, field.name
    formulas = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert {f"={form.LIST_CHECK}", f"={form.LIST_SCALE}"} <= formulas
    by_cell = {str(r): dv for dv in ws.data_validations.dataValidation for r in dv.sqref.ranges}
    status_range = next(k for k in by_cell if k.startswith(_address(ws, "F_STATUS")))
    assert by_cell[status_range].prompt and by_cell[status_range].showInputMessage
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def sample_values(sheet_index: int) -> dict[str, object]:
    """A distinct value for every input field, as a department could type it."""
    values: dict[str, object] = {}
    for i, field in enumerate(form.INPUTS):
        kind = field.kind
        if kind is form.Kind.CHECK:
            values[field.name] = "■" if i % 2 else "□"
        elif kind is form.Kind.SCALE:
            values[field.name] = "③どちらともいえない"
        elif kind is form.Kind.AMOUNT:
            values[field.name] = 1000 * sheet_index + i
        elif kind is form.Kind.FIGURE and not field.name.endswith("LABEL"):
            values[field.name] = i * 1.5
        else:
            values[field.name] = f"　{field.label}\n二行目 & <x> ={i}+1 ({sheet_index})"
    return values


def test_round_trip_every_input_through_its_defined_name(
        generated: tuple[Master, list[Path]], tmp_path: Path) -> None:
    _, files = generated
    path = files[1]
    wb = load_workbook(path)
    sheets = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    for n, ws in enumerate(sheets):
        for name, value in sample_values(n).items():
            put(ws[_address(ws, name)], value)
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    book = read_form(filled)
    assert len(book.sheets) == len(sheets) == 2
    for n, sheet in enumerate(book.sheets):
        got = {name: value for name, value in sheet.values.items() if name in sample_values(n)}
        assert got == sample_values(n)
        assert sheet.addresses["F_STATUS"] == _address(wb[sheet.name], "F_STATUS")


def test_cli_forms_prints_summary(make_master: MasterFactory, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["forms", "--master", str(make_master()), "--template",
                                       str(TEMPLATE), "--output", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "担当課 3 件" in result.output
    assert "シート 5 枚" in result.output


def test_template_missing_a_name_is_refused(make_master: MasterFactory, tmp_path: Path) -> None:
    wb = load_workbook(TEMPLATE)
    del wb.defined_names["F_STATUS"]
    broken = tmp_path / "様式.xlsx"
    wb.save(broken)
    result = CliRunner().invoke(main, ["forms", "--master", str(make_master()), "--template",
                                       str(broken), "--output", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "F_STATUS" in result.output
    assert not (tmp_path / "o").exists()


def test_assembled_forms_equal_what_openpyxl_writes_sheet_by_sheet(tmp_path: Path) -> None:
    """`reporter forms` copies one prototype sheet as text; writing each workbook with openpyxl
    gives the same cells, the same sheet-local names and the same hidden identity."""
    import python_calamine

    from reporter.forms import assembly
    from reporter.forms.writer import write_department
    from reporter.intake import container
    from tests import ooxml

    master, _ = load_master(ROOT / "input" / "計画マスタ.xlsx")
    assert master is not None
    template = load_template(TEMPLATE)
    forms = assembly.Forms(master, template)
    for department in master.departments:
        fast, slow = tmp_path / "fast.xlsx", tmp_path / "slow.xlsx"
        forms.write(department, fast)
        write_department(master, department, template, slow)
        a = python_calamine.CalamineWorkbook.from_path(str(fast))
        b = python_calamine.CalamineWorkbook.from_path(str(slow))
        assert a.sheet_names == b.sheet_names, department
        for name in a.sheet_names:
            assert a.get_sheet_by_name(name).to_python() == b.get_sheet_by_name(name).to_python(), (department, name)
        assert container.inspect(fast).defined.local == container.inspect(slow).defined.local
        assert ooxml.problems(fast) == []

