"""The plan master: a valid one loads; every problem gives its code, location and exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from reporter.cli import main
from reporter.master import load_master
from tests.conftest import TEMPLATE, MasterFactory


def test_small_master_loads_as_a_tree(make_master: MasterFactory) -> None:
    master, problems = load_master(make_master())
    assert problems == ()
    assert master is not None
    assert [(p.code, p.depth) for p in master.policies] == [
        ("1", 0), ("1-1", 1), ("1-1-1", 2), ("2", 0), ("2-1", 1)]
    assert master.plan.years == (2016, 2017, 2018, 2019, 2020)
    assert master.plan.fiscal_year == 2020
    assert master.departments == ("危機管理局減災推進課", "健康福祉局社会課", "社会福祉協議会")
    # P01 sits under two policies, P02 is reported by two departments: 5 sheets in all.
    keys = [s.key for s in master.sheets()]
    assert keys == [("P02", "1-1", "健康福祉局社会課"), ("P02", "1-1", "社会福祉協議会"),
                    ("P01", "1-1-1", "危機管理局減災推進課"), ("P03", "2-1", "健康福祉局社会課"),
                    ("P01", "2-1", "危機管理局減災推進課")]
    assert [c.label for c in master.choices.partners if c.named] == ["相談機関", "市の関係部局"]


def _edit(tables: dict[str, list[list[object]]], sheet: str, row: int, col: int,
          value: object) -> None:
    tables[sheet][row - 1][col] = value


CASES = [
    # (description, edit, expected code, sheet, row, column)
    ("duplicate policy code", lambda t: _edit(t, "施策体系", 6, 0, "1-1"),
     "master.duplicate-id", "施策体系", 6, "コード"),
    ("duplicate project ID", lambda t: _edit(t, "事業", 4, 0, "P01"),
     "master.duplicate-id", "事業", 4, "事業ID"),
    ("unknown parent", lambda t: _edit(t, "施策体系", 3, 2, "9"),
     "master.unknown-parent", "施策体系", 3, "親コード"),
    ("cycle", lambda t: _edit(t, "施策体系", 2, 2, "1-1-1"),
     "master.cycle", "施策体系", 2, "親コード"),
    ("unknown policy code", lambda t: _edit(t, "事業配置", 3, 1, "1-9"),
     "master.unknown-policy", "事業配置", 3, "施策コード"),
    ("empty policy name", lambda t: _edit(t, "施策体系", 4, 1, ""),
     "master.empty-value", "施策体系", 4, "名称"),
    ("empty project name", lambda t: _edit(t, "事業", 3, 1, None),
     "master.empty-value", "事業", 3, "事業名"),
    ("year outside the plan", lambda t: _edit(t, "計画", 6, 1, "令和3年度"),
     "master.year-outside-plan", "計画", 6, "値"),
    ("unknown project in departments", lambda t: _edit(t, "担当課", 2, 0, "P99"),
     "master.unknown-project", "担当課", 2, "事業ID"),
]


@pytest.mark.parametrize(("desc", "edit", "code", "sheet", "row", "column"), CASES,
                         ids=[c[0] for c in CASES])
def test_each_master_problem_is_reported(
        desc: str, edit, code: str, sheet: str, row: int, column: str,  # type: ignore[no-untyped-def]
        small_master: dict[str, list[list[object]]], make_master: MasterFactory) -> None:
    edit(small_master)
    master, problems = load_master(make_master(small_master))
    assert master is None
    found = [(p.code, p.location.sheet, p.location.row, p.location.column) for p in problems]
    assert (code, sheet, row, column) in found


@pytest.mark.parametrize(("desc", "edit", "code", "sheet", "row", "column"), CASES,
                         ids=[c[0] for c in CASES])
def test_cli_prints_one_japanese_line_and_exits_2_writing_nothing(
        desc: str, edit, code: str, sheet: str, row: int, column: str,  # type: ignore[no-untyped-def]
        small_master: dict[str, list[list[object]]], make_master: MasterFactory,
        tmp_path: Path) -> None:
    edit(small_master)
    path = make_master(small_master)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["forms", "--master", str(path), "--template",
                                       str(TEMPLATE), "--output", str(out)])
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.output.splitlines() if f"シート「{sheet}」 {row}行目" in ln]
    assert lines, result.output
    assert any(f"「{column}」列" in ln for ln in lines)
    assert "Traceback" not in result.output
    assert not out.exists()


def test_missing_sheet_and_column(small_master: dict[str, list[list[object]]],
                                  make_master: MasterFactory) -> None:
    del small_master["担当課"]
    small_master["事業"][0][1] = "名前"  # a required heading; optional ones (概要) may be left out
    _, problems = load_master(make_master(small_master))
    codes = {(p.code, p.location.sheet) for p in problems}
    assert ("master.missing-sheet", "担当課") in codes
    assert ("master.missing-column", "事業") in codes


def test_not_a_workbook(tmp_path: Path) -> None:
    bad = tmp_path / "計画マスタ.xlsx"
    bad.write_text("これは Excel ではありません", encoding="utf-8")
    master, problems = load_master(bad)
    assert master is None
    assert [p.code for p in problems] == ["master.unreadable"]


def _drop_rows(tables: dict[str, list[list[object]]], sheet: str, keep: object) -> None:
    tables[sheet] = [r for r in tables[sheet] if keep(r)]  # type: ignore[operator]


# Problems without a row of their own: (description, edit, code, sheet)
SHEET_LEVEL = [
    ("missing plan setting", lambda t: _drop_rows(t, "計画", lambda r: r[0] != "計画名"),
     "master.missing-setting", "計画"),
    ("plan period reversed", lambda t: _edit(t, "計画", 4, 1, "令和3年度"), "master.bad-period", "計画"),
    ("project placed nowhere", lambda t: (t["事業"].append(["P04", "新規事業", "概要"]),
                                          t["担当課"].append(["P04", "健康福祉局社会課"])),
     "master.project-unplaced", "事業"),
    ("project without department", lambda t: (t["事業"].append(["P04", "新規事業", "概要"]),
                                              t["事業配置"].append(["P04", "2-1", 3])),
     "master.project-without-department", "事業"),
    ("empty choice list", lambda t: _drop_rows(t, "選択肢", lambda r: r[0] != "連携評価"),
     "master.empty-list", "選択肢"),
    ("thirteen target groups", lambda t: t["選択肢"].extend(["対象者", n, f"対象{n}", ""] for n in range(4, 14)),
     "master.too-many-choices", "選択肢"),
    ("four named partners", lambda t: t["選択肢"].extend(["連携相手", n, f"機関{n}", "○"] for n in range(5, 7)),
     "master.too-many-choices", "選択肢"),
    ("seven-year plan", lambda t: _edit(t, "計画", 4, 1, "平成26年度"), "master.too-many-years", "計画"),
]


@pytest.mark.parametrize(("desc", "edit", "code", "sheet"), SHEET_LEVEL, ids=[c[0] for c in SHEET_LEVEL])
def test_each_master_problem_without_a_row_is_reported(
        desc: str, edit, code: str, sheet: str,  # type: ignore[no-untyped-def]
        small_master: dict[str, list[list[object]]], make_master: MasterFactory) -> None:
    edit(small_master)
    master, problems = load_master(make_master(small_master))
    assert master is None
    assert (code, sheet) in [(p.code, p.location.sheet) for p in problems], [p.code for p in problems]


def test_bad_value_names_its_cell(small_master: dict[str, list[list[object]]], make_master: MasterFactory) -> None:
    _edit(small_master, "計画", 6, 1, "来年度")
    _, problems = load_master(make_master(small_master))
    assert [(p.code, p.location.row, p.location.column) for p in problems] == [("master.bad-value", 6, "値")]


def test_a_form_that_cannot_hold_the_master_stops_forms_with_exit_2(
        small_master: dict[str, list[list[object]]], make_master: MasterFactory, tmp_path: Path) -> None:
    """13 target groups and a 7-year plan: the form has 12 and 6 slots; it never drops the rest."""
    small_master["選択肢"].extend(["対象者", n, f"対象{n}", ""] for n in range(4, 14))
    _edit(small_master, "計画", 4, 1, "平成26年度")
    path = make_master(small_master)
    _, problems = load_master(path)
    assert sorted(p.code for p in problems) == ["master.too-many-choices", "master.too-many-years"]
    result = CliRunner().invoke(main, ["forms", "--master", str(path), "--template", str(TEMPLATE),
                                       "--output", str(tmp_path / "out")])
    assert result.exit_code == 2
    text = result.output.replace("\n", "")
    assert "「対象者」が13件ありますが、自己評価シートの欄は12件まで" in text and "計画期間が7年度" in text
    assert all(p.message.replace("\n", "") in text for p in problems)  # each problem printed whole
    assert not (tmp_path / "out").exists()


def test_unknown_columns_and_sheets_are_told_not_dropped(
        small_master: dict[str, list[list[object]]], make_master: MasterFactory, tmp_path: Path) -> None:
    small_master["事業"][0].append("所管局")
    small_master["事業"][1].append("危機管理局")
    small_master["計画"].append(["計画の副題", "支え合い"])
    small_master["メモ"] = [["これはメモです"]]
    path = make_master(small_master)
    master, notes = load_master(path)
    assert master is not None
    assert sorted((n.code, n.location.sheet, n.params.get("column") or n.params.get("sheet")) for n in notes) == [
        ("master.unknown-column", "事業", "所管局"), ("master.unknown-column", "計画", "計画の副題"),
        ("master.unknown-sheet", "メモ", "メモ")]
    result = CliRunner().invoke(main, ["forms", "--master", str(path), "--template", str(TEMPLATE),
                                       "--output", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "所管局" in result.output and "メモ" in result.output


def test_the_budget_band_setting_is_read_as_written(small_master: dict[str, list[list[object]]],
                                                    make_master: MasterFactory) -> None:
    """Written with full-width （％） as the README and the blank master spell it (the key was once
    compared unfolded and the office's setting silently ignored)."""
    small_master["計画"].append(["予算増減の確認幅（％）", 50])
    master, notes = load_master(make_master(small_master))
    assert master is not None and notes == ()
    assert master.plan.budget_band == 50.0
