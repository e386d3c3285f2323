"""The year beside the years before (outputs/build/yearly.py and core/held.py), from a history
built by hand: a project renamed keeps its history, one added shows as new, one ended as ended,
a year not held as no record, never as a zero."""

from __future__ import annotations

from typing import Any

import pytest

from reporter.core.held import HeldFigure, HeldSheet, HeldYear, History, carried
from reporter.core.model import Master
from reporter.master import load_master
from reporter.outputs.build import yearly
from tests.conftest import MasterFactory

SOCIAL = "健康福祉局社会課"
DISASTER = "危機管理局減災推進課"


def _held(year: int, pid: str, code: str, dept: str, name: str, settled: float,
          figures: tuple[HeldFigure, ...] = ()) -> HeldSheet:
    return HeldSheet(year, pid, code, dept, 1, name, settled, settled + 10, {"status": "実施した。"}, figures)


@pytest.fixture
def master(make_master: MasterFactory) -> Master:
    loaded, problems = load_master(make_master())
    assert loaded is not None, problems
    return loaded


def _now(master: Master) -> list[dict[str, Any]]:
    """This year's sheets as the aggregation gives them (settled 1000 each)."""
    return [{"project_id": s.project_id, "policy_code": s.policy_code, "department": s.department,
             "settled": 1000.0, "budget": 1100.0} for s in master.sheets()]


HISTORY = History("第１期テスト市地域福祉計画", (), (
    _held(2019, "P01", "1-1-1", DISASTER, "旧・防災リーダー養成", 900.0),  # renamed since
    _held(2019, "P01", "2-1", DISASTER, "旧・防災リーダー養成", 900.0),
    _held(2019, "P03", "2-1", SOCIAL, "相談窓口の運営", 700.0),
    _held(2019, "P99", "1-1", SOCIAL, "終わった事業", 50.0),  # no longer in the master
))


def _history() -> History:
    return History(HISTORY.plan, (HeldYear(2019, "import", "2020-06-01", 4, 3, 2, 1650.0, 1690.0),), HISTORY.sheets)


def test_a_renamed_project_keeps_its_previous_year(master: Master) -> None:
    out = yearly.compare(_now(master), master, _history())
    assert out["previous"]["label"] == "令和元年度"
    pair = out["sheets"][("P01", "1-1-1", DISASTER)]
    assert (pair["settled"], pair["settled_change_text"]) == (900.0, "+100")
    assert out["projects"]["P01"]["settled"] == 900.0  # once per department, not per policy


def test_an_added_project_is_new_and_an_ended_one_is_listed(master: Master) -> None:
    out = yearly.compare(_now(master), master, _history())
    assert out["sheets"][("P02", "1-1", SOCIAL)] is None  # nothing held: new this year, not a zero
    assert out["projects"]["P02"] is None
    assert [(e["project_id"], e["name"], e["settled"]) for e in out["ended"]] == [("P99", "終わった事業", 50.0)]


def test_tree_levels_compare_their_whole_subtree(master: Master) -> None:
    out = yearly.compare(_now(master), master, _history())
    # 1 holds 1-1 (P02, P99 last year) and 1-1-1 (P01): P99 ended, P02 new
    assert out["policies"]["1"]["settled"] == 900.0 + 50.0
    assert out["policies"]["2-1"]["settled"] == 900.0 + 700.0


def test_the_plan_period_shows_no_record_and_no_report_apart(master: Master) -> None:
    out = yearly.compare(_now(master), master, _history())
    period = out["period"]  # 2020 is the plan's last year
    assert period["years"] == ["H28", "H29", "H30", "R1", "R2"]
    ended = next(p for p in period["projects"] if p["project_id"] == "P99")
    assert ended["cells"] == ["記録なし", "記録なし", "記録なし", "50", "－"]
    added = next(p for p in period["projects"] if p["project_id"] == "P02")
    assert added["cells"][3:] == ["－", "2,000"]  # two departments answer P02
    assert out["trend"]["years"] == ["R1", "R2"]


def test_without_history_nothing_is_compared(master: Master) -> None:
    out = yearly.compare(_now(master), master, History(HISTORY.plan))
    assert (out["previous"], out["trend"], out["ended"], out["period"]) == (None, None, [], None)


def test_carried_figures_come_from_the_latest_report_gaps_from_their_own_year(master: Master) -> None:
    spec = master.sheets()[0]
    older = HeldFigure("参加者（人）", {2016: 54.0, 2017: 52.0})
    latest = HeldFigure("参加者（人）", {2016: 55.0, 2018: 102.0})  # 2017 left blank in the later report
    history = History(HISTORY.plan, (), (
        HeldSheet(2017, spec.project_id, spec.policy_code, spec.department, 1, "x", None, None, {}, (older,)),
        HeldSheet(2018, spec.project_id, spec.policy_code, spec.department, 1, "x", None, None, {}, (latest,)),
    ))
    history = History(history.plan, tuple(HeldYear(y, "build", "", 1, 1, 1, 0.0, 0.0) for y in (2017, 2018)),
                      history.sheets)
    (row,) = carried(history, spec, 2019)
    assert row.values == {2016: 55.0, 2017: 52.0, 2018: 102.0}
