"""The form shows a project's whole place in the plan (the master's level names), the other
placements its one sheet answers for, its classifications, and up to twelve target groups; an
office's template made before these keeps working for the plans it can hold."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from reporter import api
from reporter.core import form
from reporter.core.issues import Severity
from reporter.errors import FormTemplateError
from reporter.forms import notes
from reporter.forms.writer import load_template
from reporter.master import load_master
from tests import corpus
from tests.conftest import SMALL_MASTER, TEMPLATE, MasterFactory

KIKI, SHAKAI, SHAKYO = "危機管理局減災推進課", "健康福祉局社会課", "社会福祉協議会"
TARGETS = ("高齢者", "障害者", "子育て世帯", "生活困窮者", "外国人住民", "ひきこもりの方", "地域活動者・支援者",
           "犯罪をした人等")


def path_master() -> dict[str, list[list[object]]]:
    """The small master (a 3-level tree; P01 placed under 1-1-1 and 2-1, answered on one sheet),
    with eight target groups, a policy without a level name (2-1) and two classification axes."""
    tables = copy.deepcopy(SMALL_MASTER)
    tables["事業"] = [[*row[:3], ""] if row[0] == "P01" else row for row in tables["事業"]]  # the default unit
    tables["施策体系"] = [row if row[0] != "2-1" else [*row[:3], ""] for row in tables["施策体系"]]
    tables["選択肢"] = [tables["選択肢"][0], *(["対象者", n, label, ""] for n, label in enumerate(TARGETS, start=1)),
                     *(row for row in tables["選択肢"][1:] if row[0] != "対象者")]
    tables["分類軸"] = [["軸名", "値", "区分", "説明"],
                     ["支援の種類", "相談支援", "", ""], ["支援の種類", "参加支援", "", ""],
                     ["支援の種類", "地域づくりに向けた支援", "", ""], ["キーワード", "防災", "", ""]]
    tables["事業の分類"] = [["事業ID", "軸名", "値"],
                       ["P01", "支援の種類", "参加支援"], ["P01", "支援の種類", "地域づくりに向けた支援"],
                       ["P01", "キーワード", "防災"], ["P02", "支援の種類", "相談支援"]]
    return tables


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    files = corpus.generate(tmp_path_factory.mktemp("path"), path_master())
    return {p.stem.split("_")[-1]: p for p in files}


def _address(ws: Worksheet, name: str) -> str:
    ((_, ref),) = ws.defined_names[name].destinations
    return str(ref.replace("$", ""))


LABELS = load_template(TEMPLATE).addresses  # the label cells are named in the template only


def _label(ws: Worksheet, name: str) -> object:
    return ws[LABELS[name]].value


def test_the_sheet_shows_the_policies_above_with_the_masters_level_names(generated: dict[str, Path]) -> None:
    ws = load_workbook(generated[KIKI])["1-1-1_01"]
    assert _label(ws, "L_POLICY_PATH") == "基本目標 1　ともに支え合う地域づくり\n＞ 施策の方向 1-1　担い手の育成"
    assert _label(ws, "L_POLICY_LEVEL") == "重点施策"
    assert ws[_address(ws, "F_POLICY_CODE")].value == "1-1-1"
    assert ws[_address(ws, "F_POLICY_NAME")].value == "地域の防災力向上"
    assert "重点施策" in ws.oddFooter.left.text
    labels = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "8 H28～R2\nにおける重点施策\n「地域の防災力向上」\nに対して" in labels
    for name in ("L_POLICY_PATH", "L_POLICY_LEVEL", "L_ALSO_PLACED", "L_AXES"):
        cell = ws[LABELS[name]]
        assert cell.protection.locked and cell.alignment.wrap_text, name
        assert not ws.row_dimensions[cell.row].hidden, name
    assert ws.protection.sheet
    path_row = ws[LABELS["L_POLICY_PATH"]].row
    assert (ws.row_dimensions[path_row].height or 15.0) >= 2 * 12.5  # two lines shown whole


def test_a_policy_without_a_level_name_is_called_shisaku(generated: dict[str, Path]) -> None:
    ws = load_workbook(generated[SHAKAI])["2-1_01"]
    assert _label(ws, "L_POLICY_LEVEL") == notes.DEFAULT_LEVEL == "施策"
    assert _label(ws, "L_POLICY_PATH") == "基本目標 2　安心して暮らせる仕組み"
    assert ws.oddFooter.left.text.startswith("施策 2-1")


def test_one_sheet_answers_for_every_placement_and_says_so(generated: dict[str, Path]) -> None:
    wb = load_workbook(generated[KIKI])
    assert [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"] == ["1-1-1_01"]  # not one per placement
    also = str(_label(wb["1-1-1_01"], "L_ALSO_PLACED"))
    assert "施策 2-1　相談支援体制の充実（No.2）" in also and "このシート1枚で" in also
    ws = load_workbook(generated[SHAKAI])["1-1_01"]  # placed once: no such line, its row hidden
    assert not _label(ws, "L_ALSO_PLACED")
    assert ws.row_dimensions[ws[LABELS["L_ALSO_PLACED"]].row].hidden


def test_classifications_one_line_per_axis(generated: dict[str, Path]) -> None:
    assert _label(load_workbook(generated[KIKI])["1-1-1_01"], "L_AXES") == (
        "支援の種類：参加支援、地域づくりに向けた支援\nキーワード：防災")
    assert _label(load_workbook(generated[SHAKAI])["2-1_01"], "L_AXES") == "支援の種類：該当なし\nキーワード：該当なし"


def test_a_plan_without_axes_or_upper_levels_hides_those_rows(make_master: MasterFactory, tmp_path: Path) -> None:
    tables = copy.deepcopy(SMALL_MASTER)
    tables["施策体系"] = [row if row[0] != "2-1" else [*row[:2], "", "施策の方向"] for row in tables["施策体系"]]
    files = api.forms(make_master(tables), TEMPLATE, tmp_path / "out").files
    ws = load_workbook(next(f for f in files if f.stem.endswith(SHAKAI)))["2-1_01"]  # 2-1 is now at the top
    for name in ("L_POLICY_PATH", "L_ALSO_PLACED", "L_AXES"):
        assert not _label(ws, name)
        assert ws.row_dimensions[ws[LABELS[name]].row].hidden, name
    assert not ws.row_dimensions[ws[_address(ws, "F_POLICY_CODE")].row].hidden


def test_eight_target_groups_get_eight_slots(generated: dict[str, Path]) -> None:
    ws = load_workbook(generated[KIKI])["1-1-1_01"]
    assert [_label(ws, f"L_TARGET_{i}") for i in range(1, form.TARGET_SLOTS + 1)] == [*TARGETS, *[None] * 4]
    for i in range(1, 9):
        cell = ws[_address(ws, f"F_TARGET_{i}")]
        assert not cell.protection.locked and not cell.border.diagonalDown, i
    for i in range(9, form.TARGET_SLOTS + 1):  # unused: locked and struck
        cell = ws[_address(ws, f"F_TARGET_{i}")]
        assert cell.protection.locked and cell.border.diagonalDown, i
    rows = {ws[_address(ws, f"F_TARGET_{i}")].row for i in (1, 4, 7, 10)}
    assert len(rows) == 4
    assert not ws.row_dimensions[ws[_address(ws, "F_TARGET_7")].row].hidden
    assert ws.row_dimensions[ws[_address(ws, "F_TARGET_10")].row].hidden  # nothing but unused slots


def test_the_eighth_target_is_read_back(generated: dict[str, Path], tmp_path: Path) -> None:
    inbox = tmp_path / "input"
    inbox.mkdir()
    master_path = generated[KIKI].parents[3] / "master" / "計画マスタ.xlsx"
    for path in generated.values():
        corpus.fill(Path(shutil.copy2(path, inbox / path.name)),
                    lambda _, values: values.update(F_TARGET_1="□", F_TARGET_8="■"))
    report = api.check(master_path, inbox).report
    assert report is not None
    assert not [i for i in report.issues if i.severity is Severity.ERROR], report.issues
    assert not report.missing and len(report.records) == 4  # P01's one sheet stands for both placements
    record = next(r for r in report.records if r.spec.project_id == "P01")
    assert record.targets == (False, False, False, False, False, False, False, True)
    assert [TARGETS[i] for i, ticked in enumerate(record.targets) if ticked] == ["犯罪をした人等"]


def test_assembled_and_openpyxl_forms_hide_and_fit_the_same_rows(tmp_path: Path) -> None:
    master, _ = load_master(corpus.generate(tmp_path / "g", path_master())[0].parents[3] / "master" / "計画マスタ.xlsx")
    assert master is not None
    for department, fast, slow in corpus.both_writers(master, tmp_path):
        for a, b in zip(_sheets(fast), _sheets(slow), strict=True):
            assert _rows(a) == _rows(b), (department, a.title)
            assert [a[LABELS[n]].value or "" for n in form.NOTE_NAMES] == [
                b[LABELS[n]].value or "" for n in form.NOTE_NAMES]


def _sheets(path: Path) -> list[Worksheet]:
    wb = load_workbook(path)
    return [ws for ws in wb.worksheets if ws.sheet_state == "visible"]


def _rows(ws: Worksheet) -> dict[int, tuple[float | None, bool]]:
    return {r: (d.height, bool(d.hidden)) for r, d in ws.row_dimensions.items() if d.height or d.hidden}


def _older_template(tmp_path: Path) -> Path:
    """The template as an office made it before version 2: six target slots, no notes."""
    wb = load_workbook(TEMPLATE)
    for name in form.LATER_NAMES:
        del wb.defined_names[name]
    path = tmp_path / "様式_旧.xlsx"
    wb.save(path)
    return path


def test_an_older_template_still_serves_a_plan_of_six_groups_or_fewer(make_master: MasterFactory,
                                                                      tmp_path: Path) -> None:
    old = _older_template(tmp_path)
    assert load_template(old).target_slots == 6
    files = api.forms(make_master(), old, tmp_path / "out").files  # three groups
    ws = load_workbook(next(f for f in files if f.stem.endswith(KIKI)))["1-1-1_01"]
    assert "F_TARGET_7" not in ws.defined_names
    assert ws[_address(ws, "F_POLICY_CODE")].value == "1-1-1"
    inbox = tmp_path / "input"
    inbox.mkdir()
    for path in files:
        corpus.fill(Path(shutil.copy2(path, inbox / path.name)))
    report = api.check(make_master(), inbox).report
    assert report is not None
    assert not [i for i in report.issues if i.severity is Severity.ERROR], report.issues
    assert next(r for r in report.records if r.spec.project_id == "P01").targets == (True, False, False)


def test_an_older_template_refuses_a_plan_of_more_groups_than_its_slots(make_master: MasterFactory,
                                                                        tmp_path: Path) -> None:
    with pytest.raises(FormTemplateError, match="F_TARGET_7"):
        api.forms(make_master(path_master()), _older_template(tmp_path), tmp_path / "out")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.xlsx"))


def test_the_master_check_accepts_twelve_groups_and_refuses_thirteen(make_master: MasterFactory) -> None:
    for count, accepted in ((form.TARGET_SLOTS, True), (form.TARGET_SLOTS + 1, False)):
        tables = copy.deepcopy(SMALL_MASTER)
        tables["選択肢"] = [tables["選択肢"][0],
                         *(["対象者", n, f"対象{n}", ""] for n in range(1, count + 1)),
                         *(row for row in tables["選択肢"][1:] if row[0] != "対象者")]
        master, found = load_master(make_master(tables))
        assert (master is not None) is accepted
        assert ("master.too-many-choices" in {i.code for i in found}) is not accepted
