"""The shipped demo: Sendai's 38 real sheets (seed 001), transcribed, turned into the master
and the department workbooks by the real code, read back equal; the seed's quirks survive
into what check reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from demo import build_demo
from reporter import normalize, pipeline
from reporter.master import load_master
from reporter.read import read_form
from tests.conftest import ROOT

INPUT = ROOT / "input"


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
            got = {name: cell.value for name, cell in sheet.cells.items()}
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
    outcome = pipeline.check(INPUT / build_demo.MASTER_NAME, INPUT)
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
