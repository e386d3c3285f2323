"""Indicators and ratings: the rule's arithmetic by hand, the master's rule problems, the 指標
sheet through forms → check → build, and the Kesennuma example end to end."""

from __future__ import annotations

import copy
import dataclasses
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from reporter import api
from reporter.core import form, presets, rating
from reporter.core.rating import Actual, Direction, Indicator, Special
from reporter.master import load_master
from tests.conftest import SMALL_MASTER, MasterFactory
from tests.corpus import fill

RULE = presets.PRESETS["達成率4段階"]
PRORATED = presets.PRESETS["按分目標3段階"]
BASELINE = presets.PRESETS["基準値比較5段階"]
REPORT_TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "報告書.docx"
FORM_TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "様式.xlsx"


def _ind(**kw: object) -> Indicator:
    base: dict[str, object] = {"id": "K", "policy_code": "1", "name": "n", "department": "d", "unit": "人",
                               "baseline_year": 2018, "baseline": 100.0, "target_year": 2023, "target": 200.0}
    base.update(kw)
    return Indicator(**base)  # type: ignore[arg-type]


def test_achievement_and_rating_computed_by_hand() -> None:
    # (150 − 100) ÷ (200 − 100) = 50 % → C (≥ 50), 49 % → D, 100 % → A, 80 % → B
    assert rating.rate(RULE, _ind(), Actual(150.0), 2021) == rating.Rated("C", 50.0, 200.0, "達成率 50%")
    assert rating.rate(RULE, _ind(), Actual(149.0), 2021).label == "D"
    assert rating.rate(RULE, _ind(), Actual(200.0), 2021).label == "A"
    assert rating.rate(RULE, _ind(), Actual(180.0), 2021).label == "B"
    # a decrease is the aim: 20 → 10, actual 14: (14 − 20) ÷ (10 − 20) = 60 % → C; 8 is 120 % → A
    down = _ind(direction=Direction.DOWN, baseline=20.0, target=10.0)
    assert rating.rate(RULE, down, Actual(14.0), 2021).achievement == pytest.approx(60.0)
    assert rating.rate(RULE, down, Actual(8.0), 2021).label == "A"
    assert rating.rate(RULE, down, Actual(25.0), 2021).label == "D"  # worse than the baseline: −50 %
    # kept: 1 → 1, actual 1 = 100 % → A; 0 → 0 % → D
    keep = _ind(direction=Direction.KEEP, baseline=1.0, target=1.0)
    assert rating.rate(RULE, keep, Actual(1.0), 2021).label == "A"
    assert rating.rate(RULE, keep, Actual(0.0), 2021).label == "D"
    # qualitative and the codes for no value
    assert rating.rate(RULE, _ind(qualitative=True), Actual(choice="一部達成"), 2021).label == "C"
    assert rating.rate(RULE, _ind(), Actual(special=Special.UNMEASURABLE), 2021).label == "－"
    assert rating.rate(RULE, _ind(), None, 2021).label == ""


def test_prorated_and_baseline_methods_by_hand() -> None:
    # prorated: 2018 → 2023 is 5 years; by 2021 the goal is 100 + 100 × 3/5 = 160;
    # actual 136: (136 − 100) ÷ (160 − 100) = 60 % → B (60–100 %)
    rated = rating.rate(PRORATED, _ind(), Actual(136.0), 2021)
    assert (rated.goal, rated.achievement, rated.label) == (pytest.approx(160.0), pytest.approx(60.0), "B")
    # an interim target set by the plan replaces the proration: 2021 → 120; 136 is 180 % → A
    assert rating.rate(PRORATED, _ind(interim=((2021, 120.0),)), Actual(136.0), 2021).label == "A"
    # baseline method, tolerance 10 %: 205 reached the target (S), 130 above (A), 95 within (B), 80 below (C)
    assert [rating.rate(BASELINE, _ind(), Actual(v), 2021).label for v in (205.0, 130.0, 95.0, 80.0)] == \
        ["S", "A", "B", "C"]


def test_policy_rating_is_rolled_up_by_the_rule() -> None:
    # mean of points A=4 … D=1: A, C, D → (4 + 2 + 1) / 3 = 2.33 → 2 → C; codes are left out
    assert rating.rollup(RULE, ["A", "C", "D", "－", ""]) == "C"
    assert rating.rollup(presets.PRESETS["基準値比較5段階"], ["S", "A", "A", "C", "C"]) == "C"  # mode, tie → lower
    worst = dataclasses.replace(RULE, rollup=rating.Rollup.WORST)
    assert rating.rollup(worst, ["A", "B"]) == "B"
    assert rating.rollup(RULE, []) == ""


def _with_indicators(tables: dict[str, list[list[object]]], rows: list[list[object]],
                     rules: list[list[object]] | None = None) -> dict[str, list[list[object]]]:
    tables = copy.deepcopy(tables)
    tables["指標"] = [["指標ID", "施策コード", "指標名", "報告担当", "種類", "方向", "単位", "基準年度", "基準値",
                     "目標年度", "目標値", "年度別目標", "目標設定の考え方", "備考"], *rows]
    if rules is not None:
        tables["評価基準"] = [["項目", "値", "意味", "条件"], *rules]
    return tables


SOCIAL, DISASTER = "健康福祉局社会課", "危機管理局減災推進課"
INDICATORS = [
    ["D1", "1-1", "孤立死の件数", SOCIAL, "数値", "減少", "件", "H28", 20, "R2", 10, "", "半減を目指す。", ""],
    ["N1", "2-1", "相談窓口の認知度", SOCIAL, "数値", "増加", "%", "H28", "50%", "R2", 80, "", "", ""],
    ["Q1", "1-1-1", "全地区での防災訓練", DISASTER, "定性", "", "", "H28", "5地区", "R2", "全地区", "", "", ""],
]


@pytest.mark.parametrize(("row", "rules", "code", "column"), [
    (["K1", "1-1", "x", SOCIAL, "数値", "増加", "人", "H28", 10, "R2", 10, "", "", ""], None,
     "master.rule-unusable", "目標値"),  # target equal to the baseline
    (["K1", "1-1", "x", SOCIAL, "数値", "増加", "人", "H28", "", "R2", 10, "", "", ""], None,
     "master.rule-unusable", "基準値"),  # no baseline
    (["K1", "1-1", "x", "企画課", "数値", "増加", "人", "H28", 1, "R2", 10, "", "", ""], None,
     "master.unknown-department", "報告担当"),
    (["K1", "1-1", "x", SOCIAL, "数値", "増加", "人", "H28", 1, "R2", 10, "", "", ""],
     [["評価", "A", "達成", 100], ["評価", "B", "概ね", 100], ["評価", "C", "遅れ", ""]],
     "master.bad-bands", "条件"),  # overlapping bands
    (["K1", "1-1", "x", SOCIAL, "数値", "増加", "人", "H28", 1, "R2", 10, "", "", ""],
     [["評価", "A", "達成", 100], ["評価", "B", "概ね", 50]], "master.bad-bands", "条件"),  # a gap below 50 %
    (["K1", "1-1", "x", SOCIAL, "数値", "増加", "人", "H28", 1, "R2", 10, "", "", ""],
     [["評価", "A", "達成", 100], ["評価", "A", "概ね", ""]], "master.duplicate-id", "値"),  # a label twice
])
def test_a_rule_that_cannot_be_applied_names_sheet_row_and_column(
        make_master: MasterFactory, row: list[object], rules: list[list[object]] | None, code: str,
        column: str) -> None:
    master, problems = load_master(make_master(_with_indicators(SMALL_MASTER, [row], rules)))
    assert master is None
    found = [p for p in problems if p.code == code]
    assert found, [p.line() for p in problems]
    where = found[0].location
    assert where.sheet in ("指標", "評価基準") and where.row and where.column == column


def test_forms_stop_with_exit_2_and_one_line_for_a_rule_that_cannot_apply(make_master: MasterFactory,
                                                                           tmp_path: Path) -> None:
    bad = ["K1", "1-1", "x", SOCIAL, "数値", "増加", "人", "H28", 10, "R2", 10, "", "", ""]
    master = make_master(_with_indicators(SMALL_MASTER, [bad]))
    done = subprocess.run([sys.executable, "-m", "reporter.launch", "forms", "--master", str(master),
                           "--template", str(FORM_TEMPLATE), "--output", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    said = "".join(done.stderr.split())  # the console wraps long lines
    assert "1件の誤り" in said and "シート「指標」2行目「目標値」列" in said and "Traceback" not in said


def _answer(path: Path, answers: dict[str, tuple[object, object]], rating_: str | None = "B") -> None:
    """Fill a generated workbook: good values on the project sheets (with a self-rating), and
    ``answers`` (id -> actual, reason) on its 指標 sheet."""
    def edit(_: str, values: dict[str, object]) -> None:
        if rating_ is not None:
            values["F_RATING"], values["F_RATING_REASON"] = rating_, "目標どおり進んだ。"

    fill(path, edit)
    wb = load_workbook(path)
    if form.INDICATOR_SHEET in wb.sheetnames:
        ws = wb[form.INDICATOR_SHEET]
        titles = [c.value for c in ws[form.INDICATOR_HEADER_ROW]]
        for r in range(form.INDICATOR_HEADER_ROW + 1, ws.max_row + 1):
            ident = ws.cell(row=r, column=1).value
            if ident in answers:
                value, reason = answers[ident]
                ws.cell(row=r, column=titles.index(form.INDICATOR_ACTUAL) + 1).value = value
                ws.cell(row=r, column=titles.index(form.INDICATOR_NO_VALUE) + 1).value = reason
    wb.save(path)


@pytest.fixture
def rated_plan(make_master: MasterFactory, tmp_path: Path) -> tuple[Path, list[Path]]:
    rules = [["プリセット", "達成率4段階", "", ""], ["事業の自己評価", "する", "", ""],
             ["施策の評価に事業を含める", "しない", "", ""]]
    master = make_master(_with_indicators(SMALL_MASTER, INDICATORS, rules))
    result = api.forms(master, FORM_TEMPLATE, tmp_path / "forms")
    return master, list(result.files)


def _file(files: list[Path], department: str) -> Path:
    return next(f for f in files if department in f.name)


def test_forms_carry_an_indicator_sheet_and_the_self_rating(rated_plan: tuple[Path, list[Path]]) -> None:
    _, files = rated_plan
    wb = load_workbook(_file(files, SOCIAL))
    ws = wb[form.INDICATOR_SHEET]
    titles = [c.value for c in ws[form.INDICATOR_HEADER_ROW]]
    assert titles[0] == form.INDICATOR_ID and form.INDICATOR_ACTUAL in titles
    assert [ws.cell(row=r, column=1).value for r in (4, 5)] == ["D1", "N1"]
    assert ws.cell(row=4, column=5).value == "20件（H28）"  # baseline (year), locked
    assert ws.cell(row=4, column=5).protection.locked
    assert not ws.cell(row=4, column=titles.index(form.INDICATOR_ACTUAL) + 1).protection.locked
    assert ws.protection.sheet
    # the disaster department has only the qualitative indicator: its actual is a dropdown
    ws = load_workbook(_file(files, DISASTER))[form.INDICATOR_SHEET]
    assert any(dv.formula1 == f"={form.LIST_INDICATOR_CHOICE}" for dv in ws.data_validations.dataValidation)
    # each project sheet has the self-rating dropdown from the scale, shown
    sheet = wb[wb.sheetnames[1]]
    ((_, ref),) = sheet.defined_names["F_RATING"].destinations
    cell = sheet[ref.replace("$", "")]
    assert not cell.protection.locked and not sheet.row_dimensions[cell.row].hidden
    assert [c.value for c in wb[form.LISTS_SHEET]["C"][1:5]] == ["A", "B", "C", "D"]


def _codes(report: object) -> set[tuple[str, str, str]]:
    return {(i.code, i.location.sheet, i.location.cell) for i in report.issues}  # type: ignore[attr-defined]


def test_every_indicator_rule_is_a_coded_issue_with_its_cell(rated_plan: tuple[Path, list[Path]],
                                                             tmp_path: Path) -> None:
    master, files = rated_plan
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    # plan years H28 … R2 under review: four earlier years (F–I), the target (J), this year's actual (K)
    social = Path(shutil.copy2(_file(files, SOCIAL), inbox))
    _answer(social, {"D1": ("85人", None), "N1": ("たくさん", None)}, rating_="Z")
    disaster = Path(shutil.copy2(_file(files, DISASTER), inbox))
    _answer(disaster, {"Q1": ("完了", None)}, rating_=None)
    report = api.check(master, inbox).report
    assert report is not None
    found = _codes(report)
    assert ("indicator.wrong-unit", "指標", "K4") in found  # 「85人」 for an indicator counted in 件
    assert ("indicator.not-number", "指標", "K5") in found
    assert ("indicator.bad-choice", "指標", "K4") in found  # 「完了」 is not 達成 / 一部達成 / 未達成
    assert {c for c, _, _ in found} >= {"rating.outside-scale", "rating.missing"}
    wrong = next(i for i in report.issues if i.code == "indicator.wrong-unit")
    assert wrong.params["written"] == "人" and wrong.params["unit"] == "件" and wrong.location.field


def test_missing_actuals_reasons_rows_and_sheets(rated_plan: tuple[Path, list[Path]], tmp_path: Path) -> None:
    master, files = rated_plan
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    social = Path(shutil.copy2(_file(files, SOCIAL), inbox))
    _answer(social, {"D1": (None, None), "N1": ("70%", "測定不能")})
    wb = load_workbook(social)
    ws = wb[form.INDICATOR_SHEET]
    ws.cell(row=6, column=1).value = "X9"  # a row the department added
    ws = next(w for w in wb.worksheets if "F_RATING_REASON" in w.defined_names)
    ((_, ref),) = ws.defined_names["F_RATING_REASON"].destinations
    ws[ref.replace("$", "")].value = None
    wb.save(social)
    disaster = Path(shutil.copy2(_file(files, DISASTER), inbox))
    _answer(disaster, {})
    wb = load_workbook(disaster)
    del wb[form.INDICATOR_SHEET]
    wb.save(disaster)
    found = _codes(api.check(master, inbox).report)
    assert ("indicator.missing-actual", "指標", "K4") in found
    assert ("indicator.value-and-reason", "指標", "K5") in found
    assert ("indicator.unknown", "指標", "A6") in found
    assert ("indicator.sheet-missing", "指標", "") in found
    assert any(c == "rating.missing-reason" for c, _, _ in found)


def test_a_plan_with_indicators_runs_end_to_end(rated_plan: tuple[Path, list[Path]], tmp_path: Path) -> None:
    master, files = rated_plan
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for f in files:
        _answer(Path(shutil.copy2(f, inbox)), {"D1": (14, None), "N1": ("86%", None), "Q1": ("一部達成", None)})
    history = tmp_path / "履歴.sqlite3"
    out = tmp_path / "out"
    outcome = api.build(master, inbox, out, REPORT_TEMPLATE, date(2021, 5, 1), history=history)
    assert outcome.report is not None and not outcome.report.any_errors
    summary = load_workbook(outcome.xlsx)
    rows = {r[1]: r for r in summary["指標"].iter_rows(min_row=2, values_only=True)}
    titles = [c.value for c in summary["指標"][1]]
    at = {t: titles.index(t) for t in ("達成率（％）", "評価", "R2")}
    # by hand: D1 (20 → 10 件, a decrease): (14 − 20) ÷ (10 − 20) = 60 % → C
    assert rows["D1"][at["R2"]] == "14件" and rows["D1"][at["達成率（％）"]] == pytest.approx(60)
    assert rows["D1"][at["評価"]] == "C"
    # N1 (50 → 80 %): (86 − 50) ÷ (80 − 50) = 120 % → A
    assert rows["N1"][at["達成率（％）"]] == pytest.approx(120) and rows["N1"][at["評価"]] == "A"
    # Q1 qualitative, 一部達成 → C by the preset; no achievement rate
    assert rows["Q1"][at["R2"]] == "一部達成" and rows["Q1"][at["評価"]] == "C"
    assert rows["Q1"][at["達成率（％）"]] is None
    # counts at every level and the rolled-up rating: policy 1 holds D1 (1-1) and Q1 (1-1-1): C, C → C
    ratings = {str(r[0]).strip("　"): r for r in summary["施策の評価"].iter_rows(min_row=2, values_only=True)}
    head = [c.value for c in summary["施策の評価"][1]]
    assert [ratings["1"][head.index(label)] for label in "ABCD"] == [0, 0, 2, 0]
    assert ratings["1"][head.index("施策の評価")] == "C" and ratings["2"][head.index("施策の評価")] == "A"
    assert ratings["総計"][head.index("施策の評価")] == "B"  # A, C, C: (4 + 2 + 2) / 3 = 2.67 → 3 → B
    text = "\n".join(p.text for p in Document(str(outcome.docx)).paragraphs)
    assert "指標の達成状況" in text and "評価の基準（達成率4段階）" in text and "事業の自己評価：B" in text
    assert "施策の評価：その施策と下位の施策に属する指標の評価を点数" in text
    # the history keeps the year's actuals: next year's form shows them locked
    assert outcome.recorded is not None
    # the committee's comment typed into the summary is carried into the next build and the report
    book = load_workbook(outcome.xlsx)
    ws = book["施策の評価"]
    ws.cell(row=2, column=head.index("審議会等の意見") + 1).value = "順調に進んでいる。"
    book.save(outcome.xlsx)
    again = api.build(master, inbox, out, REPORT_TEMPLATE, date(2021, 5, 2), history=history)
    rows2 = list(load_workbook(again.xlsx)["施策の評価"].iter_rows(min_row=2, values_only=True))
    assert rows2[0][head.index("審議会等の意見")] == "順調に進んでいる。"
    assert "審議会等の意見：順調に進んでいる。" in "\n".join(p.text for p in Document(str(again.docx)).paragraphs)


def test_an_actual_far_outside_earlier_years_is_a_warning(rated_plan: tuple[Path, list[Path]],
                                                          tmp_path: Path) -> None:
    master, files = rated_plan
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    social = Path(shutil.copy2(_file(files, SOCIAL), inbox))
    _answer(social, {"D1": (140, None), "N1": ("60%", None)})  # 140 件 against a baseline of 20: a slipped digit?
    report = api.check(master, inbox).report
    found = [i for i in report.issues if i.code == "indicator.outlier"]  # type: ignore[union-attr]
    assert [(i.location.cell, i.params["value"]) for i in found] == [("K4", "140件")]
    assert "H28基準 20件" in str(found[0].params["earlier"])


def test_the_kesennuma_example_end_to_end(tmp_path: Path) -> None:
    from examples.kesennuma import make_example

    make_example.build(tmp_path)
    data = make_example.source()
    assert len(data["indicators"]) == 28
    # R3's forms carry R2's actuals from the history, locked: K03 8,000 人 → 8,450 人 in R2 (30 % of the way)
    social = next((tmp_path / "提出").glob("*社会福祉課*"))
    ws = load_workbook(social)[form.INDICATOR_SHEET]
    titles = [c.value for c in ws[form.INDICATOR_HEADER_ROW]]
    k03 = next(r for r in range(4, ws.max_row + 1) if ws.cell(row=r, column=1).value == "K03")
    assert ws.cell(row=k03, column=titles.index("R2実績") + 1).value == "8,450人"
    assert ws.cell(row=k03, column=titles.index("R2実績") + 1).protection.locked
    outcome = api.build(tmp_path / "計画マスタ.xlsx", tmp_path / "提出", tmp_path / "out", REPORT_TEMPLATE,
                        date(2022, 6, 1), history=tmp_path / "履歴.sqlite3")
    assert outcome.report is not None and not outcome.report.any_errors
    summary = load_workbook(outcome.xlsx)
    titles = [c.value for c in summary["指標"][1]]
    rows = {r[1]: r for r in summary["指標"].iter_rows(min_row=2, values_only=True)}
    assert len(rows) == 28
    rate, label = titles.index("達成率（％）"), titles.index("評価")
    # by hand, from the invented R3 shares (make_example.SHARES, cycled by the indicator's order):
    # K03 (3rd, share 0.5): 8,000 + 1,500 × 0.5 = 8,750 人 → 50 % → C
    assert rows["K03"][titles.index("R3")] == "8,750人" and rows["K03"][rate] == pytest.approx(50)
    assert rows["K03"][label] == "C"
    # K05 (5th, share 0.42): 17 + 15 × 0.42 = 23.3 → 23 回: (23 − 17) ÷ 15 = 40 % → D
    assert rows["K05"][rate] == pytest.approx(40) and rows["K05"][label] == "D"
    # K06 (6th, share −0.2, ％): 91.8 − 8.2 × 0.2 = 90.16 → 90.2 %: (90.2 − 91.8) ÷ 8.2 = −19.5 % → D
    assert rows["K06"][rate] == pytest.approx(-19.512, abs=0.01) and rows["K06"][label] == "D"
    # K08 (8th, kept at 1 回; odd: 1 − 1 = 0 回): 0 ÷ 1 = 0 % → D
    assert rows["K08"][rate] == pytest.approx(0) and rows["K08"][label] == "D"
    # K01 qualitative (1st): 達成 → A; K02 (2nd): 一部達成 → C; K16: 測定不能 → －
    assert (rows["K01"][label], rows["K02"][label], rows["K16"][label]) == ("A", "C", "－")
    assert all("サンプル値" in str(r[titles.index("説明")]) for r in rows.values())  # every invented actual says so
    text = "\n".join(p.text for p in Document(str(outcome.docx)).paragraphs)
    assert "サンプル値" in text and "指標の達成状況" in text
