"""The seed cities' plans end to end (examples/seeds.py): deep trees, classification axes and
sub-plans, one sheet per project and department; and the master's problems with them."""

from __future__ import annotations

import copy
import itertools
import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document

from examples import seeds
from reporter import api
from reporter.cli import main
from reporter.forms.workbook import open_for_edit
from reporter.master import load_master
from tests import corpus
from tests.conftest import ROOT, MasterFactory

TEMPLATE = ROOT / "templates" / "報告書.docx"
TODAY = date(2025, 6, 1)


class Built:
    def __init__(self, folder: Path, master: Path, outcome: api.BuildOutcome, ctx: dict[str, Any]) -> None:
        self.folder, self.master, self.outcome, self.ctx = folder, master, outcome, ctx


@pytest.fixture(scope="module", params=seeds.NAMES)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The example's master and forms, answered through the defined names, checked and built."""
    folder = tmp_path_factory.mktemp(request.param)
    master = seeds.build(request.param, folder)
    dump = folder / "ctx.json"
    outcome = api.build(master, folder / seeds.RETURNED, folder / "out", TEMPLATE, TODAY, dump_context=dump)
    return Built(folder, master, outcome, json.loads(dump.read_text(encoding="utf-8")))


def headings(path: Path) -> Iterator[tuple[int, str]]:
    for p in Document(str(path)).paragraphs:
        if p.style is not None and p.style.name.startswith("Heading "):
            yield int(p.style.name.split()[1]), p.text


def test_every_sheet_is_answered_once_per_project_and_department(built: Built) -> None:
    report = built.outcome.report
    assert report is not None
    counts = report.counts()
    assert counts["included"] == counts["expected"] > 0 and counts["errors"] == 0
    master, _ = load_master(built.master)
    assert master is not None
    # No placement multiplies a department's work: one sheet per (project, department).
    keys = [(s.project_id, s.department) for s in master.sheets()]
    assert len(keys) == len(set(keys)) == len(master.assignments)


def test_every_node_and_project_is_headed_at_its_depth(built: Built) -> None:
    assert built.outcome.docx is not None
    found = set(headings(built.outcome.docx))
    for p in built.ctx["policies"]:
        assert (p["depth"] + 2, f"{p['level']} {p['code']}　{p['name']}") in found, p["code"]
        for s in p["entries"]:
            assert (p["depth"] + 3, f"No.{s['number']}　{s['project_name']}（{s['department']}）") in found
    levels = [level for level, _ in headings(built.outcome.docx)]
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))  # no level skipped


def _amounts(built: Built) -> tuple[Any, dict[tuple[str, str], float], dict[tuple[str, str], set[str]]]:
    """From the master and the records, not from the outputs: each (project, department)'s
    amount (every example's sheets are one per department) and the policies it is placed under."""
    master, _ = load_master(built.master)
    assert master is not None and built.outcome.report is not None
    amount = {(r.spec.project_id, r.spec.department): r.settled.value or 0.0 for r in built.outcome.report.included}
    placed: dict[tuple[str, str], set[str]] = {}
    for spec in master.sheets():
        placed.setdefault((spec.project_id, spec.department), set()).update(c for c, _ in spec.placements)
    return master, amount, placed


def test_subtotals_are_the_sums_below_them(built: Built) -> None:
    master, amount, placed = _amounts(built)
    policies = {p["code"]: p for p in built.ctx["policies"]}
    for code, p in policies.items():
        below = set(master.subtrees[code])
        expected = sum(a for key, a in amount.items() if placed[key] & below)  # each once
        assert p["settled"] == expected, code
        assert p["sheets"] == sum(1 for key in amount if placed[key] & below), code
        # every placement is answered: the sheet shows under each policy it is placed under
        shown = {(s["project_id"], s["department"]) for s in p["entries"]}
        assert shown == {key for key in amount if code in placed[key]}, code
    for code, p in policies.items():  # where no project is placed twice below, children add up
        children = [c for c in policies.values() if c["parent"] == code]
        below = set(master.subtrees[code])
        if children and all(len(placed[key] & below) <= 1 for key in amount):
            own = sum(a for key, a in amount.items() if code in placed[key])
            assert p["settled"] == own + sum(c["settled"] for c in children), code


def test_axis_tables_total_the_grand_total(built: Built) -> None:
    master, amount, _ = _amounts(built)
    grand = sum(amount.values())
    assert built.ctx["totals"]["settled"] == grand
    for axis in built.ctx["axes"]:
        assert axis["total"]["settled"] == grand and axis["total"]["projects"] == len({p for p, _ in amount})
        for v in axis["values"]:
            mine = {p.id for p in master.projects
                    if (v["value"] in p.values_of(axis["name"]) if v["assigned"] else not p.values_of(axis["name"]))}
            assert v["projects"] == len({p for p, _ in amount if p in mine}), (axis["name"], v["value"])
            assert v["settled"] == sum(a for (p, _), a in amount.items() if p in mine), (axis["name"], v["value"])


def test_one_chapter_per_sub_plan(built: Built) -> None:
    assert built.outcome.docx is not None
    chapters = [text for level, text in headings(built.outcome.docx) if level == 1]
    sub_plans = [sp["name"] for sp in built.ctx["sub_plans"]]
    for name in sub_plans:
        assert chapters.count(name) == 1
    expected = [v.name for a in load_master(built.master)[0].axes if a.sub_plan for v in a.values]  # type: ignore[union-attr]
    assert sub_plans == expected


def test_a_sub_plan_builds_its_own_report(tmp_path: Path) -> None:
    master = seeds.build("sagamihara", tmp_path)
    whole = api.build(master, tmp_path / seeds.RETURNED, tmp_path / "out", TEMPLATE, TODAY)
    own = api.build(master, tmp_path / seeds.RETURNED, tmp_path / "out", TEMPLATE, TODAY, sub_plan="再犯防止推進計画")
    assert own.report is not None and whole.report is not None and own.docx is not None
    assert own.docx.parent.name == "再犯防止推進計画" and own.recorded is None
    titles = [p.text for p in Document(str(own.docx)).paragraphs[:12]]
    assert "再犯防止推進計画" in titles
    chapters = [text for level, text in headings(own.docx) if level == 1]
    assert "成年後見制度利用促進基本計画" not in chapters and "再犯防止推進計画" not in chapters  # no sub-plan chapters
    loaded, _ = load_master(master)
    assert loaded is not None
    ids = {p.id for p in loaded.projects if "再犯防止推進計画" in p.values_of("個別計画")}
    assert {r.spec.project_id for r in own.report.included} == ids
    assert {f.name for f in own.report.files} == {r.source.file for r in own.report.records}  # its files only
    assert 0 < len(own.report.included) < len(whole.report.included)


def test_an_unknown_sub_plan_is_one_line_and_exit_2(tmp_path: Path) -> None:
    master = seeds.build("sagamihara", tmp_path)
    result = CliRunner().invoke(main, ["build", str(tmp_path / seeds.RETURNED), "--master", str(master),
                                       "--output", str(tmp_path / "out"), "--history", str(tmp_path / "h.sqlite3"),
                                       "--plan", "何か"])
    assert result.exit_code == 2, result.output
    assert "指定できる個別計画：成年後見制度利用促進基本計画、再犯防止推進計画" in result.output.replace("\n", "")


def test_an_undeclared_axis_value_names_sheet_row_and_column(
        small_master: dict[str, list[list[object]]], make_master: MasterFactory) -> None:
    small_master["分類軸"] = [["軸名", "値", "区分"], ["支援の種類", "相談支援", ""],
                           ["個別計画", "再犯防止", "個別計画"], ["個別計画", "成年後見", ""]]
    small_master["事業の分類"] = [["事業ID", "軸名", "値"], ["P01", "支援の種類", "相談支援"],
                             ["P02", "支援の種類", "参加支援"], ["P03", "キーワード", "つながり"]]
    master, problems = load_master(make_master(small_master))
    assert master is None
    found = {(i.code, i.location.sheet, i.location.row, i.location.column) for i in problems}
    assert ("master.unknown-axis-value", "事業の分類", 3, "値") in found
    assert ("master.unknown-axis", "事業の分類", 4, "軸名") in found
    assert ("master.mixed-axis-kind", "分類軸", 4, "区分") in found


def test_per_placement_sheets_are_each_expected_and_their_amounts_compared(
        small_master: dict[str, list[list[object]]], tmp_path: Path) -> None:
    """P01 sits under 1-1-1 and 2-1. By default one sheet answers both; asked per placement,
    each placement is a sheet, a missing one is told, and sheets that disagree are told."""
    answered_once = copy.deepcopy(small_master)
    answered_once["事業"][1][3] = ""  # the default: one sheet per department
    default = corpus.generate(tmp_path / "one", answered_once)
    master, _ = load_master(tmp_path / "one" / "master" / "計画マスタ.xlsx")
    assert master is not None
    p01 = [s for s in master.sheets() if s.project_id == "P01"]
    assert [(s.policy_code, s.also) for s in p01] == [("1-1-1", (("2-1", 2),))]
    assert len(default) == len(master.departments)

    files = corpus.generate(tmp_path / "two", small_master)  # the small master asks P01 per placement
    folder = tmp_path / "two" / "input"
    folder.mkdir()
    for f in files:
        corpus.fill(f)
        shutil.copy2(f, folder / f.name)
    mine = next(folder.glob("*危機管理局*"))
    corpus.fill(mine, lambda title, values: values.update(F_SETTLED=5 if title.startswith("2-1") else 7))
    report = api.check(tmp_path / "two" / "master" / "計画マスタ.xlsx", folder).report
    assert report is not None
    assert [s.sheet_name for s in report.master.sheets() if s.project_id == "P01"] == ["1-1-1_01", "2-1_02"]
    assert {i.location.sheet for i in report.issues if i.code == "batch.amounts-differ"} == {"1-1-1_01", "2-1_02"}
    # a placement's sheet deleted from the workbook: that sheet is missing, coded
    wb = open_for_edit(mine)
    del wb["2-1_02"]
    wb.save(mine)
    report = api.check(tmp_path / "two" / "master" / "計画マスタ.xlsx", folder).report
    assert report is not None
    assert [s.sheet_name for s in report.missing] == ["2-1_02"]
    assert any(i.code == "batch.missing" and i.location.sheet == "2-1_02" for i in report.issues)


def test_the_chart_level_is_a_master_setting(small_master: dict[str, list[list[object]]],
                                             make_master: MasterFactory) -> None:
    master, _ = load_master(make_master(small_master))
    assert master is not None and master.chart_depth == 0  # two 基本目標: the top level
    small_master["計画"].append(["グラフの階層", "施策の方向"])
    master, _ = load_master(make_master(small_master))
    assert master is not None and master.chart_depth == 1
    small_master["計画"][-1] = ["グラフの階層", "第9階層"]
    master, problems = load_master(make_master(small_master))
    assert master is None
    assert [(p.code, p.location.sheet, p.location.row, p.location.column) for p in problems] == [
        ("master.unknown-level", "計画", len(small_master["計画"]), "値")]


def test_axis_tables_count_the_self_ratings_when_projects_rate_themselves(
        small_master: dict[str, list[list[object]]], tmp_path: Path) -> None:
    small_master["評価基準"] = [["項目", "値", "意味", "条件"], ["プリセット", "達成率4段階", "", ""],
                             ["事業の自己評価", "する", "", ""]]
    small_master["分類軸"] = [["軸名", "値"], ["支援の種類", "相談支援"], ["支援の種類", "参加支援"]]
    small_master["事業の分類"] = [["事業ID", "軸名", "値"], ["P01", "支援の種類", "参加支援"],
                             ["P02", "支援の種類", "参加支援"], ["P03", "支援の種類", "相談支援"]]
    folder = tmp_path / "input"
    folder.mkdir()
    for f in corpus.generate(tmp_path, small_master):
        corpus.fill(f, lambda title, values: values.update(F_RATING="A" if title.startswith("1-") else "B",
                                                           F_RATING_REASON="計画どおり実施した。"))
        shutil.copy2(f, folder / f.name)
    dump = tmp_path / "ctx.json"
    outcome = api.build(tmp_path / "master" / "計画マスタ.xlsx", folder, tmp_path / "out", TEMPLATE, TODAY,
                        dump_context=dump)
    assert outcome.report is not None and not outcome.report.excluded
    axis = json.loads(dump.read_text(encoding="utf-8"))["axes"][0]
    by_value = {v["value"]: v["ratings"] for v in axis["values"]}
    # P01: 1-1-1 (A) and 2-1 (B); P02: 1-1 twice, two departments (A, A); P03: 2-1 (B)
    assert by_value == {"相談支援": {"A": 0, "B": 1, "C": 0, "D": 0}, "参加支援": {"A": 3, "B": 1, "C": 0, "D": 0}}
