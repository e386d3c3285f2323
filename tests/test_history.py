"""The plan period: the demo's R2 year recorded by build, rolled over to R3 (forms carrying every
earlier figure, locked), R3 answers checked against what was reported and built into a report
set beside R2; the history database refusing what it must, and surviving a kill mid-write."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from reporter import api
from reporter.cli import main
from reporter.core import form, normalize
from reporter.forms.cells import put
from reporter.forms.workbook import open_for_edit
from reporter.history import schema, store
from reporter.intake.read import read_form
from reporter.master import load_master
from tests.conftest import ROOT, TEMPLATE
from tests.corpus import address

INPUT = ROOT / "input"
REPORT_TEMPLATE = ROOT / "templates" / "報告書.docx"
TODAY = date(2026, 12, 2)
EARLIER = [f"F_FIG_{r}_Y{c}" for r in range(1, 7) for c in range(1, 6)]


def _r3_master(source: Path, target: Path) -> Path:
    """The demo's master with the plan extended to R3 and R3 under review."""
    wb = openpyxl.load_workbook(source)
    ws = wb["計画"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value in ("計画終了年度", "評価年度"):
            row[1].value = "R3"
    wb.save(target)
    return target


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _r2_sheets() -> dict[tuple[str, str, str], dict[str, object]]:
    found = {}
    for path in sorted((INPUT / "提出").rglob("*.xlsx")):
        for sheet in read_form(path).sheets:
            assert sheet.identity is not None
            found[sheet.identity.spec.key] = dict(sheet.values)
    return found


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """R2 built with a history, then the R3 forms made from it."""
    root = tmp_path_factory.mktemp("plan")
    history = root / "履歴.sqlite3"
    built = api.build(INPUT / "計画マスタ.xlsx", INPUT, root / "output", REPORT_TEMPLATE, TODAY, history=history)
    assert built.recorded is not None and built.recorded.sheets == 38
    master = _r3_master(INPUT / "計画マスタ.xlsx", root / "計画マスタ_R3.xlsx")
    made = api.forms(master, TEMPLATE, root / "output", history=history)
    assert made.master_issues == () and made.sheet_count == 38
    return {"root": root, "history": history, "master": master, "forms": made.files[0].parent}


def test_build_records_the_year_in_the_history(year: dict[str, Path]) -> None:
    plan, years = api.history_years(year["history"])
    assert plan.startswith("第３期仙台市地域保健福祉計画")
    assert [(y.year, y.source, y.sheets, y.projects) for y in years] == [(2020, "build", 38, 35)]
    conn = sqlite3.connect(year["history"])
    assert conn.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 19
    assert conn.execute("SELECT COUNT(*) FROM figures").fetchone()[0] == 125
    (fields,) = conn.execute("SELECT fields FROM sheets WHERE sheet = '4-2_09'").fetchone()
    assert json.loads(fields)["F_FIG_2_Y1"] == 59742
    assert schema.version(conn) == schema.VERSION


def test_r3_forms_carry_every_earlier_figure_locked(year: dict[str, Path]) -> None:
    before = _r2_sheets()
    carried = 0
    for path in sorted(year["forms"].glob("*.xlsx")):
        wb = openpyxl.load_workbook(path)
        for sheet in read_form(path).sheets:
            assert sheet.identity is not None
            old, ws = before[sheet.identity.spec.key], wb[sheet.name]
            for r in range(1, 7):
                assert sheet.values[f"F_FIG_{r}_LABEL"] == old[f"F_FIG_{r}_LABEL"]
            for name in EARLIER:
                # the figure as read then (「1回」 was read as 1)
                assert normalize.figure(sheet.values[name]) == normalize.figure(old[name]), (sheet.name, name)
                assert ws[address(ws, name)].protection.locked
                carried += old[name] != ""
            this_year = ws[address(ws, "F_FIG_1_Y6")]
            assert this_year.value is None and not this_year.protection.locked
    assert carried == 125


def _answer_r3(forms: Path, target: Path) -> None:
    """The departments' R3 answers: last year's texts, R3 figures one above R2's, settlements 100
    above; one earlier figure changed by hand (a correction)."""
    before = _r2_sheets()
    target.mkdir()
    for path in sorted(forms.glob("*.xlsx")):
        keys = {s.name: s.identity.spec.key for s in read_form(path).sheets if s.identity}
        wb = open_for_edit(path)
        for title, key in keys.items():
            ws, old = wb[title], before[key]
            for name, value in old.items():
                if name.startswith("F_") and name not in EARLIER and not name.startswith("F_FIG"):
                    put(ws[address(ws, name)], value if value != "" else None)
            ws[address(ws, "F_SETTLED")].value = (normalize.amount(old["F_SETTLED"]).value or 0.0) + 100
            for r in range(1, 7):
                if isinstance(old[f"F_FIG_{r}_Y5"], int | float):
                    ws[address(ws, f"F_FIG_{r}_Y6")].value = old[f"F_FIG_{r}_Y5"] + 1
            if title == "4-2_09":
                ws[address(ws, "F_FIG_2_Y1")].value = 59000
        wb.save(target / path.name)


@pytest.fixture(scope="module")
def r3(year: dict[str, Path]) -> dict[str, object]:
    answers = year["root"] / "r3"
    _answer_r3(year["forms"], answers)
    dump = year["root"] / "context.json"
    built = api.build(year["master"], answers, year["root"] / "output", REPORT_TEMPLATE, TODAY,
                      dump_context=dump, history=year["history"])
    return {"built": built, "context": json.loads(dump.read_text(encoding="utf-8"))}


def test_r3_checks_and_warns_of_the_corrected_earlier_figure(r3: dict[str, object]) -> None:
    report = r3["built"].report  # type: ignore[attr-defined]
    assert report.counts()["included"] == 38
    assert [i for i in report.issues if i.severity.value == "error"] == []
    (changed,) = [i for i in report.issues if i.code == "history.figure-changed"]
    assert (changed.location.sheet, changed.params["year"]) == ("4-2_09", "平成28年度")
    assert (changed.params["value"], changed.params["reported"]) == ("59,000", "59,742")  # both values named


def test_r3_report_sets_the_year_beside_r2(r3: dict[str, object], year: dict[str, Path]) -> None:
    ctx = r3["context"]
    assert isinstance(ctx, dict)
    assert ctx["previous"]["label"] == "令和2年度"
    assert ctx["previous"]["settled"] == 2298383.0
    entries = [s for p in ctx["policies"] for s in p["entries"]]
    pairs = {(s["project_id"], s["department"]) for s in entries}  # a settlement per project and department
    assert len(pairs) == 37 and ctx["totals"]["settled"] == 2298383.0 + 100 * 37
    assert len(entries) == 38 and all(s["previous"]["settled_change_text"] == "+100" for s in entries)
    assert ctx["period"]["years"] == ["H28", "H29", "H30", "R1", "R2", "R3"]
    assert ctx["period"]["total"][:4] == ["記録なし"] * 4
    assert ctx["period"]["total"][4:] == ["2,298,383", "2,302,083"]
    assert ctx["trend"]["years"] == ["R2", "R3"]
    docx = year["root"] / "output" / "令和3年度" / "報告書" / "令和3年度_進行管理報告書.docx"
    with zipfile.ZipFile(docx) as z:
        body = z.read("word/document.xml").decode()
    for text in ("前年度との比較", "計画期間の総括", "計画期間の決算額の推移", "（令和2年度：決算額"):
        assert text in body
    _, years = api.history_years(year["history"])
    assert [(y.year, y.sheets) for y in years] == [(2020, 38), (2021, 38)]


def test_r3_summary_holds_the_comparison_and_the_plan_period(r3: dict[str, object]) -> None:
    xlsx = r3["built"].xlsx  # type: ignore[attr-defined]
    wb = openpyxl.load_workbook(xlsx, read_only=True)
    compared = list(wb["前年度比較"].iter_rows(values_only=True))
    assert compared[0][:5] == ("コード", "名称", "令和2年度決算額（千円）", "決算額（千円）", "増減")
    total = next(r for r in compared if r[0] == "総計")
    assert total[2:5] == (2298383, 2302083, 3700)
    period = list(wb["計画期間"].iter_rows(values_only=True))
    assert period[0][2:] == tuple(f"{y}（千円）" for y in ("H28", "H29", "H30", "R1", "R2", "R3"))
    assert next(r for r in period if r[0] == "総計")[2:] == ("記録なし",) * 4 + (2298383, 2302083)
    figures = list(wb["年度別実績"].iter_rows(values_only=True))
    row = next(r for r in figures if r[5] == "地域包括支援センターへの相談件数")
    assert row[6:12] == (59000, 55893, 54688, 58507, 57763, 57764)  # H28 as corrected this year
    assert row[13] == 1  # R3 against R2


def test_rebuilding_a_year_replaces_it_and_leaves_the_others(r3: dict[str, object], year: dict[str, Path]) -> None:
    def rows(y: int) -> list[tuple[object, ...]]:
        conn = sqlite3.connect(year["history"])
        return conn.execute("SELECT * FROM sheets WHERE fiscal_year = ? ORDER BY project_id, policy_code, department",
                            (y,)).fetchall()

    r2, r3_rows = rows(2020), rows(2021)
    again = api.build(year["master"], year["root"] / "r3", year["root"] / "output", REPORT_TEMPLATE, TODAY,
                      history=year["history"])
    assert again.recorded is not None and again.recorded.sheets == 38
    assert rows(2020) == r2 and rows(2021) == r3_rows


def test_history_import_takes_in_last_years_files(tmp_path: Path, year: dict[str, Path]) -> None:
    history = tmp_path / "履歴.sqlite3"
    result = CliRunner().invoke(main, ["history", "--history", str(history), "import", str(INPUT / "提出"),
                                       "--master", str(year["master"])])
    assert result.exit_code == 0, result.output
    assert "令和2年度のシート 38 枚を取り込みました" in result.output
    listed = CliRunner().invoke(main, ["history", "--history", str(history), "--json"])
    data = json.loads(listed.output)
    assert [(y["label"], y["source"], y["sheets"]) for y in data["years"]] == [("令和2年度", "import", 38)]


def _cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reporter.launch", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "COLUMNS": "200"})


@pytest.fixture
def folder(tmp_path: Path, year: dict[str, Path]) -> Path:
    """A working folder: the demo's input and a copy of the R2 history."""
    shutil.copytree(INPUT, tmp_path / "input")
    shutil.copyfile(year["history"], tmp_path / "履歴.sqlite3")
    return tmp_path


def _other_plan(history: Path) -> None:
    conn = sqlite3.connect(history)
    conn.execute("UPDATE plan SET name = '別の計画'")
    conn.commit()
    conn.close()


def _newer(history: Path) -> None:
    conn = sqlite3.connect(history)
    conn.execute(f"PRAGMA user_version = {schema.VERSION + 1}")
    conn.commit()
    conn.close()


def _damaged(history: Path) -> None:
    history.write_bytes(b"not a database at all " * 100)


@pytest.mark.parametrize(("spoil", "code", "words"), [
    (_other_plan, 2, "計画「別の計画」のもの"),
    (_newer, 2, "新しい版の reporter"),
    (_damaged, 3, "読めません"),
])
def test_a_history_that_cannot_be_used_stops_with_one_line(folder: Path, spoil, code: int, words: str) -> None:  # type: ignore[no-untyped-def]
    history = folder / "履歴.sqlite3"
    spoil(history)
    before = _sha(history)
    for command in (["forms"], ["check"], ["build"]):
        result = _cli(command, folder)
        assert result.returncode == code, (command, result.stderr)
        assert words in result.stderr and "Traceback" not in result.stderr
        assert _sha(history) == before
    assert not (folder / "output" / "令和2年度" / "報告書").exists()


def test_a_year_outside_the_plan_is_refused(folder: Path) -> None:
    history = folder / "履歴.sqlite3"
    before = _sha(history)
    result = _cli(["history", "import", "input/提出", "--year", "R5"], folder)
    assert result.returncode == 2 and "計画期間（平成28年度～令和2年度）の外です" in result.stderr
    assert _sha(history) == before


def test_a_build_waits_for_another_and_gives_up_with_the_history_unchanged(folder: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    history = folder / "履歴.sqlite3"
    before = _sha(history)
    other = sqlite3.connect(history, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another build in the middle of its write
    monkeypatch.setattr(store, "WAIT", 0.2)
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(main, ["build"])
    other.execute("ROLLBACK")
    other.close()
    assert result.exit_code == 3 and "別の処理が使っている" in result.output
    assert _sha(history) == before


KILLED = """
import sys
from datetime import datetime
from pathlib import Path
from dataclasses import replace
from reporter import api
from reporter.history import store
from reporter.master import load_master
master = load_master(Path(sys.argv[1]))[0]
report = api.check(Path(sys.argv[1]), Path(sys.argv[2])).report
records = [replace(r, spec=replace(r.spec, department=f"{r.spec.department}-{n}"))
           for n in range(400) for r in report.included]
store.record(Path(sys.argv[3]), master, 2020, records, Path(sys.argv[2]), "build", datetime.now())
"""


def test_a_build_killed_mid_write_leaves_the_history_as_it_was(folder: Path) -> None:
    history = folder / "履歴.sqlite3"
    before, held_before = _sha(history), api.history_years(history)
    journal = history.with_name(history.name + "-journal")
    child = subprocess.Popen([sys.executable, "-c", KILLED, "input/計画マスタ.xlsx", "input", str(history)],
                             cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    def journaled() -> int:
        try:
            return journal.stat().st_size
        except FileNotFoundError:
            return 0

    while journaled() < 16384 and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    assert journaled() >= 16384, child.stderr.read() if child.stderr else ""  # pages are being replaced
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    conn = sqlite3.connect(history)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"  # rolls the journal back
    conn.close()
    assert api.history_years(history) == held_before
    assert _sha(history) == before  # the journal put back every page


def test_an_empty_file_is_migrated_to_the_current_schema(tmp_path: Path) -> None:
    history = tmp_path / "履歴.sqlite3"
    sqlite3.connect(history).close()  # version 0: an empty database
    master = load_master(INPUT / "計画マスタ.xlsx")[0]
    assert master is not None
    report = api.check(INPUT / "計画マスタ.xlsx", INPUT).report
    assert report is not None
    held = store.record(history, master, 2020, report.included[:3], INPUT, "build", datetime(2026, 12, 2))
    assert held.sheets == 3
    assert schema.version(sqlite3.connect(history)) == schema.VERSION


def test_r3_forms_show_last_years_answers_for_reference(year: dict[str, Path]) -> None:
    before = _r2_sheets()
    rows = 0
    for path in sorted(year["forms"].glob("*.xlsx")):
        wb = openpyxl.load_workbook(path)
        ws = wb[form.PREVIOUS_SHEET]
        assert ws.protection.sheet and ws["C2"].value == "令和2年度決算額（千円）"
        keys = {s.name: s.identity.spec.key for s in read_form(path).sheets if s.identity}
        assert [r[0] for r in ws.iter_rows(min_row=3, values_only=True)] == list(keys)
        for sheet, _, settled, _, status, *_ in ws.iter_rows(min_row=3, values_only=True):
            old = before[keys[sheet]]
            assert settled == normalize.amount(old["F_SETTLED"]).value
            assert status == normalize.clean_text(old["F_STATUS"])
            rows += 1
    assert rows == 38


def test_assembled_r3_forms_equal_what_openpyxl_writes(year: dict[str, Path], tmp_path: Path) -> None:
    """The carried figures, the locked columns and last year's answers come out the same from
    the prototype copied as text as from openpyxl writing each workbook."""
    import python_calamine

    from reporter.forms import assembly
    from reporter.forms.writer import load_template, write_department
    from reporter.intake import container
    from tests import ooxml

    master = load_master(year["master"])[0]
    assert master is not None
    history = store.load(year["history"], master.plan)
    template = load_template(TEMPLATE)
    forms = assembly.Forms(master, template, history)
    for department in master.departments[::3]:  # seven of the nineteen (openpyxl takes a quarter second each)
        fast, slow = tmp_path / "fast.xlsx", tmp_path / "slow.xlsx"
        forms.write(department, fast)
        write_department(master, department, template, slow, history)
        a = python_calamine.CalamineWorkbook.from_path(str(fast))
        b = python_calamine.CalamineWorkbook.from_path(str(slow))
        assert a.sheet_names == b.sheet_names and form.PREVIOUS_SHEET in a.sheet_names, department
        for name in a.sheet_names:
            assert a.get_sheet_by_name(name).to_python() == b.get_sheet_by_name(name).to_python(), (department, name)
        assert container.inspect(fast).defined.local == container.inspect(slow).defined.local
        assert ooxml.problems(fast) == []
        wb = openpyxl.load_workbook(fast)
        for ws in wb.worksheets:
            if ws.title in keys_of(fast):
                assert all(ws[address(ws, name)].protection.locked for name in EARLIER)


def keys_of(path: Path) -> set[str]:
    return {s.name for s in read_form(path).sheets}
