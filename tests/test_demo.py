"""The shipped demo: Sendai's 38 real sheets (seed 001), transcribed, turned into the master
and the department workbooks by the real code, read back equal; the seed's quirks survive
into what check reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from demo import build_demo
from reporter import api
from reporter.core import normalize
from reporter.intake.read import read_form
from reporter.master import load_master
from tests.conftest import ROOT

INPUT = ROOT / "input"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def records() -> list[build_demo.Record]:
    return build_demo.load_records()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("demo")
    build_demo.build(target)
    return target


def test_all_38_sheets_are_transcribed(records: list[build_demo.Record]) -> None:
    assert [r["seq"] for r in records] == list(range(1, 39))
    assert {r["policy_code"] for r in records} == {"1-4", "2-1", "2-2", "3-3", "4-2"}


def _read_back(folder: Path, records: list[build_demo.Record]) -> None:
    master, problems = load_master(folder / build_demo.MASTER_NAME)
    assert problems == () and master is not None
    ids = build_demo.project_ids(records)
    by_key = {(ids[r["seq"]], r["policy_code"], r["department"]): r for r in records}
    seen = 0
    for path in sorted((folder / build_demo.RETURNED).glob("*.xlsx")):
        book = read_form(path)
        for sheet in book.sheets:
            assert sheet.identity is not None
            record = by_key[sheet.identity.spec.key]
            got = sheet.values
            for name, want in build_demo.cell_values(record, master).items():
                assert got[name] == ("" if want is None else want), (record["seq"], name)
            assert got["F_PROJECT_NAME"] == record["project_name"]
            assert got["F_DEPARTMENT"] == record["department"]
            assert got["F_OVERVIEW"] == master.project(ids[record["seq"]]).overview
            seen += 1
    assert seen == 38


def test_demo_built_by_the_script_reads_back_equal(built: Path, records: list[build_demo.Record]) -> None:
    _read_back(built, records)


def test_shipped_demo_reads_back_equal(records: list[build_demo.Record]) -> None:
    _read_back(INPUT, records)  # the committed input/ is what the script makes


def test_demo_checks_without_errors_and_reports_the_seed_quirks() -> None:
    outcome = api.check(INPUT / build_demo.MASTER_NAME, INPUT)
    report = outcome.report
    assert report is not None
    errors = [i for i in report.issues if i.severity.value == "error"]
    assert errors == []
    n = report.counts()
    assert (n["expected"], n["submitted"], n["included"]) == (38, 38, 38)
    shared = {(i.location.sheet, i.params["settled"]) for i in report.issues if i.code == "batch.shared-amount"}
    assert {("2-1_01", "18,184"), ("2-1_02", "18,184"), ("2-1_03", "18,184")} <= shared
    assert {s for s, amount in shared if amount == "91,041"} == {"2-2_01", "2-2_02"}
    multi = {i.location.sheet for i in report.issues if i.code == "batch.multi-policy-project"}
    assert multi == {"1-4_01", "3-3_03"}


def test_seed_quirks_are_kept_in_the_data(records: list[build_demo.Record]) -> None:
    by_seq = {r["seq"]: r for r in records}
    assert normalize.amount(by_seq[2]["settled"]).number == 0  # an ended project, 0 千円
    assert by_seq[33]["settled"].replace("\u3000", " ") == "10,891 千円"
    names = [r["project_name"] for r in records]
    assert names.count("地域防災リーダー養成・支援事業") == 2
    departments = {r["department"] for r in records if (r["policy_code"], r["number"]) == ("2-1", 1)}
    assert len(departments) == 3


@pytest.fixture(scope="module")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> api.BuildOutcome:
    from datetime import date

    out = tmp_path_factory.mktemp("demo-build")
    return api.build(INPUT / build_demo.MASTER_NAME, INPUT, out, ROOT / "templates" / "報告書.docx",
                          date(2021, 5, 31))


def test_excel_totals_at_every_level_equal_the_transcribed_amounts(
        demo_build: api.BuildOutcome, records: list[build_demo.Record]) -> None:
    from openpyxl import load_workbook

    amounts = {r["seq"]: (normalize.amount(r["settled"]).number or 0, normalize.amount(r["budget"]).number or 0)
               for r in records}
    wb = load_workbook(demo_build.xlsx)  # type: ignore[arg-type]
    rows = {str(r[0]).strip("　"): r for r in wb["施策別"].iter_rows(min_row=2, values_only=True) if r[0]}
    for code in ("1-4", "2-1", "2-2", "3-3", "4-2"):
        mine = [s for s in records if s["policy_code"] == code]
        assert rows[code][5] == sum(amounts[s["seq"]][0] for s in mine), code
        assert rows[code][6] == sum(amounts[s["seq"]][1] for s in mine), code
        assert rows[code][4] == len(mine)
    # The grand total counts the project under 1-4 and 3-3 (seq 1 and 17) once.
    assert rows["総計"][7] == sum(a[0] for a in amounts.values()) - amounts[17][0]
    assert rows["総計"][8] == sum(a[1] for a in amounts.values()) - amounts[17][1]
    assert rows["総計"][4] == 38
    depts = {r[0]: r for r in wb["担当課別"].iter_rows(min_row=2, values_only=True)}
    for dept in {r["department"] for r in records}:
        mine = [r for r in records if r["department"] == dept and r["seq"] != 17]
        assert depts[dept][3] == sum(amounts[r["seq"]][0] for r in mine), dept


def test_every_demo_sheet_is_in_the_word_report_under_its_policy(
        demo_build: api.BuildOutcome, records: list[build_demo.Record]) -> None:
    from docx import Document

    doc = Document(str(demo_build.docx))
    blocks: list[tuple[str, list[str]]] = []  # (heading, the texts that follow it)
    for p in doc.element.body.iterchildren():
        tag = p.tag.rsplit("}", 1)[-1]
        text = "".join(t.text or "" for t in p.iter() if t.tag.endswith("}t"))
        style = p.find(".//{*}pStyle")
        if tag == "p" and style is not None and style.get(f"{W}val", "").startswith("Heading"):
            blocks.append((text, []))
        elif blocks:
            blocks[-1][1].append(text)
    policy_of_heading: dict[int, str] = {}
    current = ""
    for i, (heading, _) in enumerate(blocks):
        for code in ("1-4", "2-1", "2-2", "3-3", "4-2"):
            if f" {code}　" in heading:
                current = code
        policy_of_heading[i] = current
    for r in records:
        title = f"No.{r['number']}　{r['project_name']}（{r['department']}）"
        found = [i for i, (h, _) in enumerate(blocks) if h == title and policy_of_heading[i] == r["policy_code"]]
        assert found, (r["seq"], title)
        body = "\n".join(blocks[found[0]][1])
        settled = normalize.amount(r["settled"]).number
        assert f"決算額 {settled:,} 千円" in body, r["seq"]
        assert r["department"] in body


def test_one_project_several_contributions(records: list[build_demo.Record]) -> None:
    from reporter.outputs.build.aggregate import aggregate

    report = api.check(INPUT / build_demo.MASTER_NAME, INPUT).report
    assert report is not None
    projects = {p["name"]: p for p in aggregate(report.included, report.master).projects}
    assert len(projects) == 35
    shared = projects["地域保健福祉を担う町内会、民生委員、地区社会福祉協議会、老人クラブなどへの活動支援"]
    assert [c["department"] for c in shared["contributions"]] == [
        "市民局地域政策課", "健康福祉局高齢企画課", "仙台市社会福祉協議会"]
    assert shared["settled"] == 215412 + 55776 + 18184
    leader = projects["地域防災リーダー養成・支援事業"]
    assert leader["policies"] == ["1-4", "3-3"] and leader["sheets"] == 2 and leader["settled"] == 1546


def test_check_in_worker_processes_equals_check_in_this_one() -> None:
    from reporter.core.report import to_json

    master = INPUT / "計画マスタ.xlsx"
    serial, parallel = (api.check(master, INPUT, workers=n).report for n in (0, 3))
    assert serial is not None and parallel is not None
    assert to_json(parallel) == to_json(serial)
    assert len(parallel.records) == 38 and len(parallel.files) == 19
