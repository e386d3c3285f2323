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
    small_master["事業"][0][2] = "説明"
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
