"""`reporter check` over a corpus of broken and adversarial submissions made from the real form.

Each case proves its issue code and location, that the rest of the batch is still read, and
that every input file is byte-identical afterwards.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from reporter import api
from reporter.cli import main
from reporter.core.issues import Severity
from reporter.core.report import CheckReport
from tests import corpus, hostile
from tests.conftest import SMALL_MASTER

KIKI, SHAKAI, SHAKYO = "危機管理局減災推進課", "健康福祉局社会課", "社会福祉協議会"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("generated")
    files = corpus.generate(folder)
    return {p.stem.split("_")[-1]: p for p in files}


@pytest.fixture
def batch(generated: dict[str, Path], tmp_path: Path) -> dict[str, Path]:
    """A fresh copy of the three department workbooks, filled with valid answers."""
    inbox = tmp_path / "input"
    inbox.mkdir()
    shutil.copy(generated[KIKI].parents[3] / "master" / "計画マスタ.xlsx", tmp_path / "計画マスタ.xlsx")
    return {dept: corpus.fill(Path(shutil.copy(path, inbox / path.name))) for dept, path in generated.items()}


def run(batch: dict[str, Path]) -> CheckReport:
    inbox = next(iter(batch.values())).parent
    outcome = api.check(inbox.parent / "計画マスタ.xlsx", inbox)
    assert outcome.report is not None
    return outcome.report


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_valid_batch_has_no_errors_and_reconciles(batch: dict[str, Path], tmp_path: Path) -> None:
    report = run(batch)
    assert [i for i in report.issues if i.severity is not Severity.INFO] == []
    n = report.counts()
    assert (n["expected"], n["submitted"], n["missing"], n["included"], n["excluded"]) == (5, 5, 0, 5, 0)
    codes = {i.code for i in report.issues}
    assert codes == {"batch.multi-policy-project", "batch.shared-amount"}


def edit(dept: str, sheet: str, **values: object) -> Callable[[dict[str, Path]], None]:
    def apply(batch: dict[str, Path]) -> None:
        def change(title: str, current: dict[str, object]) -> None:
            if title == sheet:
                current.update(values)
        corpus.fill(batch[dept], change)
    return apply


def _longtext() -> str:
    return "地域の担い手を育てる取り組みを続けた。" * 60


# (id, variant, code, department file (None: no file), sheet, field)
def _cached_formula(batch: dict[str, Path], dept: str, sheet: str, field: str, value: int) -> None:
    """A formula with its result saved, as Excel saves one: the result beside the formula, and no
    request to recalculate on opening (openpyxl, which filled the form, can write neither)."""
    address = corpus.address(load_workbook(batch[dept])[sheet], field)
    member = hostile.sheet_members(batch[dept])[sheet]
    cell = re.compile(rb'<c r="%s"[^>]*?(?:/>|>.*?</c>)' % address.encode(), re.S)
    new = b'<c r="%s"><f>%d-0</f><v>%d</v></c>' % (address.encode(), value, value)
    made = hostile.rewrite(batch[dept], batch[dept].with_suffix(".tmp"), {
        member: lambda x: cell.sub(new, x, 1),
        "xl/workbook.xml": lambda x: x.replace(b' fullCalcOnLoad="1"', b"")})
    made.replace(batch[dept])


CELL_CASES = [
    ("required", edit(SHAKAI, "1-1_01", F_STATUS=None), "cell.required", SHAKAI, "1-1_01", "F_STATUS"),
    ("not-a-number", edit(SHAKAI, "1-1_01", F_SETTLED="約千円"), "cell.not-a-number", SHAKAI, "1-1_01", "F_SETTLED"),
    ("negative", edit(SHAKAI, "1-1_01", F_BUDGET=-5), "cell.negative", SHAKAI, "1-1_01", "F_BUDGET"),
    ("none-word", edit(SHAKAI, "1-1_01", F_BUDGET="未定"), "cell.none-word", SHAKAI, "1-1_01", "F_BUDGET"),
    ("unit-yen", edit(SHAKAI, "1-1_01", F_SETTLED="1,001,000円"), "cell.unit-yen", SHAKAI, "1-1_01", "F_SETTLED"),
    ("unit-suspect", edit(SHAKAI, "1-1_01", F_SETTLED=215411610, F_BUDGET=216630000), "cell.unit-suspect",
     SHAKAI, "1-1_01", "F_SETTLED"),
    ("bad-choice", edit(SHAKAI, "1-1_01", F_COLLAB_INTERNAL="⑤とても"), "cell.bad-choice", SHAKAI, "1-1_01",
     "F_COLLAB_INTERNAL"),
    ("bad-check", edit(SHAKAI, "1-1_01", F_TARGET_2="はい"), "cell.bad-check", SHAKAI, "1-1_01", "F_TARGET_2"),
    ("unknown-partner", edit(SHAKAI, "1-1_01", F_PARTNERS_DONE="①⑬"), "cell.unknown-partner", SHAKAI, "1-1_01",
     "F_PARTNERS_DONE"),
    ("too-long-for-box", edit(SHAKAI, "1-1_01", F_STATUS=_longtext()), "cell.too-long-for-box", SHAKAI, "1-1_01",
     "F_STATUS"),
    ("formula-not-calculated", edit(SHAKAI, "1-1_01", F_SETTLED=corpus.Formula("=1000+1")),
     "cell.formula-not-calculated", SHAKAI, "1-1_01", "F_SETTLED"),
    ("other-without-text", edit(SHAKAI, "1-1_01", F_TARGET_3="■"), "cross.other-without-text", SHAKAI, "1-1_01",
     "F_TARGET_OTHER"),
    ("text-without-other", edit(SHAKAI, "1-1_01", F_TARGET_OTHER="中間支援組織"), "cross.text-without-other",
     SHAKAI, "1-1_01", "F_TARGET_3"),
    ("partner-without-name", edit(SHAKAI, "1-1_01", F_PARTNERS_DONE="①②"), "cross.partner-without-name",
     SHAKAI, "1-1_01", "F_PARTNER_NAME_1"),
    ("name-without-partner", edit(SHAKAI, "1-1_01", F_PARTNER_NAME_2="健康福祉局"), "cross.name-without-partner",
     SHAKAI, "1-1_01", "F_PARTNER_NAME_2"),
    ("done-without-partner", edit(SHAKAI, "1-1_01", F_PARTNERS_DONE="なし"), "cross.done-without-partner",
     SHAKAI, "1-1_01", "F_PARTNERS_DONE"),
    ("partner-both", edit(SHAKAI, "1-1_01", F_PARTNERS_WANTED="③"), "cross.partner-both", SHAKAI, "1-1_01",
     "F_PARTNERS_WANTED"),
    ("none-with-numbers", edit(SHAKAI, "1-1_01", F_PARTNERS_WANTED="なし、③"), "cross.none-with-numbers",
     SHAKAI, "1-1_01", "F_PARTNERS_WANTED"),
    ("budget-band", edit(SHAKAI, "1-1_01", F_SETTLED=100, F_BUDGET=1000), "cross.budget-band", SHAKAI, "1-1_01",
     "F_BUDGET"),
    ("figure-total", edit(SHAKAI, "1-1_01", F_FIG_1_TOTAL=999), "cross.figure-total", SHAKAI, "1-1_01",
     "F_FIG_1_TOTAL"),
    ("formula", lambda b: _cached_formula(b, SHAKAI, "1-1_01", "F_SETTLED", 1001), "cell.formula", SHAKAI,
     "1-1_01", "F_SETTLED"),
    ("shared-amount", edit(SHAKAI, "2-1_01", F_SETTLED=1001, F_BUDGET=1101), "batch.shared-amount", SHAKAI,
     "2-1_01", "F_SETTLED"),
]


@pytest.mark.parametrize(("case", "variant", "code", "dept", "sheet", "field"), CELL_CASES,
                         ids=[c[0] for c in CELL_CASES])
def test_each_rule_gives_its_code_and_cell(case: str, variant: Callable[[dict[str, Path]], None], code: str,
                                           dept: str, sheet: str, field: str, batch: dict[str, Path]) -> None:
    variant(batch)
    cell = corpus.address(load_workbook(batch[dept])[sheet], field)
    before = digests(batch[dept].parent)
    report = run(batch)
    hits = [i for i in report.issues if i.code == code]
    assert hits, [i.code for i in report.issues]
    assert any(i.location.file == batch[dept].name and i.location.sheet == sheet and i.location.cell == cell
               and i.location.field for i in hits), hits
    assert digests(batch[dept].parent) == before  # inputs untouched
    assert len(report.records) == 5  # the rest of the batch was read


def _rename_sheet(batch: dict[str, Path]) -> None:
    corpus.rename_like_excel(batch[SHAKAI], "1-1_01", "見守り")


def _copy_sheet(batch: dict[str, Path]) -> None:
    wb = load_workbook(batch[SHAKAI])
    src = wb["1-1_01"]
    copy = wb.copy_worksheet(src)
    copy.title = "1-1_01 (2)"
    for name in list(src.defined_names):
        corpus.set_name(wb, copy, name, corpus.address(src, name))
    wb.save(batch[SHAKAI])


def _delete_sheet(batch: dict[str, Path]) -> None:
    wb = load_workbook(batch[SHAKAI])
    del wb["2-1_01"]
    wb.save(batch[SHAKAI])


def _department_changed(batch: dict[str, Path]) -> None:
    wb = load_workbook(batch[SHAKAI])
    ws = wb["1-1_01"]
    ws[corpus.address(ws, "F_DEPARTMENT")] = "子供未来局総務課"
    wb.save(batch[SHAKAI])


def _duplicate(batch: dict[str, Path]) -> None:
    import os

    newer = batch[SHAKAI].with_name("再提出_健康福祉局社会課.xlsx")
    shutil.copy(batch[SHAKAI], newer)
    os.utime(batch[SHAKAI], (1_600_000_000, 1_600_000_000))


def _prefilled_changed(batch: dict[str, Path]) -> None:
    wb = load_workbook(batch[SHAKAI])
    ws = wb["1-1_01"]
    ws[corpus.address(ws, "F_PROJECT_NAME")] = "見守り活動支援（名称を勝手に変更）"
    wb.save(batch[SHAKAI])


SHEET_CASES = [
    ("prefilled-changed", _prefilled_changed, "form.prefilled-changed", SHAKAI, "1-1_01"),
    ("layout-changed", lambda b: corpus.insert_row_like_excel(b[SHAKAI], "1-1_01", 12), "form.layout-changed",
     SHAKAI, "1-1_01"),
    ("sheet-renamed", _rename_sheet, "form.sheet-renamed", SHAKAI, "見守り"),
    ("sheet-copied", _copy_sheet, "form.sheet-copied", SHAKAI, "1-1_01 (2)"),
    ("sheet-missing", _delete_sheet, "form.sheet-missing", SHAKAI, "2-1_01"),
    ("department-mismatch", _department_changed, "form.department-mismatch", SHAKAI, "1-1_01"),
    ("duplicate-submission", _duplicate, "batch.duplicate-submission", SHAKAI, "1-1_01"),
]


@pytest.mark.parametrize(("case", "variant", "code", "dept", "sheet"), SHEET_CASES, ids=[c[0] for c in SHEET_CASES])
def test_each_form_rule_gives_its_code_and_sheet(case: str, variant: Callable[[dict[str, Path]], None],
                                                 code: str, dept: str, sheet: str, batch: dict[str, Path]) -> None:
    variant(batch)
    before = digests(batch[dept].parent)
    report = run(batch)
    hits = [i for i in report.issues if i.code == code]
    assert hits, [i.code for i in report.issues]
    assert any(i.location.file == batch[dept].name and i.location.sheet == sheet for i in hits), hits
    assert digests(batch[dept].parent) == before
    assert {r.spec.department for r in report.records} >= {KIKI, SHAKYO}  # the others still read
    n = report.counts()
    assert n["expected"] == n["submitted"] + n["missing"]
    assert n["submitted"] == n["included"] + n["excluded"]


def test_missing_department_is_reported_per_sheet(batch: dict[str, Path]) -> None:
    batch.pop(SHAKYO).unlink()
    report = run(batch)
    missing = [i for i in report.issues if i.code == "batch.missing"]
    assert [(i.location.sheet, i.location.field) for i in missing] == [("1-1_01", SHAKYO)]
    assert report.counts()["missing"] == 1


def _old_version(folder: Path) -> Path:
    """A form made by another version of the form layout (its identity says so)."""
    path = corpus.fill(corpus.generate(folder)[0])
    wb = load_workbook(path)
    ws = wb["_identity"]
    row = next(r for r in ws.iter_rows() if r[0].value == "form_version")
    row[1].value = "0"
    wb.save(path)
    return path


def _unknown_project(folder: Path) -> Path:
    """A form of this year and plan for a project the master does not expect of its department."""
    tables = {k: [list(r) for r in v] for k, v in SMALL_MASTER.items()}
    tables["事業"].append(["P09", "取りやめた事業", "概要"])
    tables["事業配置"].append(["P09", "2-1", 9])
    tables["担当課"].append(["P09", "危機管理局減災推進課"])
    made = corpus.fill(next(p for p in corpus.generate(folder, tables) if KIKI in p.name))
    wb = load_workbook(made)  # keep only the sheet the master does not know
    for ws in [ws for ws in wb.worksheets if ws.sheet_state == "visible" and ws.title != "2-1_09"]:
        del wb[ws.title]
    wb.save(made)
    return made


def _last_year(folder: Path) -> Path:
    tables = {k: [list(r) for r in v] for k, v in SMALL_MASTER.items()}
    tables["計画"][5][1] = "R1"
    return corpus.fill(corpus.generate(folder, tables)[0])


def _other_plan(folder: Path) -> Path:
    tables = {k: [list(r) for r in v] for k, v in SMALL_MASTER.items()}
    tables["計画"][1][1] = "第２期テスト市地域福祉計画"
    return corpus.fill(corpus.generate(folder, tables)[0])


def _other_department(folder: Path) -> Path:
    tables = {k: [list(r) for r in v] for k, v in SMALL_MASTER.items()}
    tables["担当課"].append(["P03", "子供未来局総務課"])
    return corpus.fill(corpus.generate(folder, tables)[-1])


def _foreign(folder: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active["A1"] = "自己評価シート（自作）"  # type: ignore[index]
    folder.mkdir(parents=True, exist_ok=True)
    wb.save(folder / "自作.xlsx")
    return folder / "自作.xlsx"


def _huge_range(folder: Path) -> Path:
    """A real form whose sheet has a cell far away: parsing it would allocate the whole range."""
    path = corpus.fill(corpus.generate(folder)[0])
    wb = load_workbook(path)
    wb["1-1-1_01"].cell(row=500_000, column=300, value="x")
    wb.save(path)
    return path


def _xml_entities(folder: Path) -> Path:
    """A real form whose workbook.xml declares nested entities (the 'billion laughs')."""
    path = corpus.fill(corpus.generate(folder)[0])
    bomb = b'<!DOCTYPE workbook [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    corpus.rewrite_member(path, "xl/workbook.xml",
                          lambda xml: bomb + xml.replace(b"<workbookPr/>", b"<workbookPr/>&b;"))
    return path


def _utf16_workbook_xml(folder: Path, declared: str) -> Path:
    """A real form whose workbook.xml was re-encoded in UTF-16 (declared "UTF-16-LE", the XML
    parser cannot read it; declared "UTF-16LE", it can): Excel writes every part in UTF-8, and a
    part in another encoding is refused before any parser sees it."""
    path = corpus.fill(corpus.generate(folder)[0])
    declaration = f'<?xml version="1.0" encoding="{declared}"?>'
    corpus.rewrite_member(path, "xl/workbook.xml", lambda xml: (
        declaration + re.sub(r"^<\?xml[^>]*>", "", xml.decode())).encode("utf-16-le"))
    return path


def _damaged(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    good = corpus.fill(corpus.generate(folder / "g")[0])
    data = good.read_bytes()
    target = folder / "壊れた.xlsx"
    target.write_bytes(data[: len(data) // 2])
    return target


def _text(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return folder / name


FILE_CASES: list[tuple[str, Callable[[Path], Path], str]] = [
    ("old-version", _old_version, "form.old-version"),
    ("not-workbook", lambda f: _text(f, "回答.xlsx", "これは表ではありません".encode()), "file.not-workbook"),
    ("pdf-named-xlsx", lambda f: _text(f, "回答2.xlsx", b"%PDF-1.7\n..."), "file.not-workbook"),
    ("empty", lambda f: _text(f, "空.xlsx", b""), "file.empty"),
    ("encrypted", lambda f: corpus.ole2(_text(f, "パスワード付き.xlsx", b""), encrypted=True), "file.encrypted"),
    ("old-xls", lambda f: corpus.ole2(_text(f, "古い形式.xls", b""), encrypted=False), "file.old-format"),
    ("ods", lambda f: corpus.ods(_text(f, "回答.ods", b"")), "file.ods-format"),
    ("damaged", _damaged, "file.damaged"),
    ("zip-bomb", lambda f: corpus.zip_bomb(_text(f, "爆弾.xlsx", b"")), "file.unsafe"),
    ("huge-used-range", _huge_range, "file.unsafe"),
    ("xml-entities", _xml_entities, "file.unsafe"),
    ("xml-utf16-unreadable", lambda f: _utf16_workbook_xml(f, "UTF-16-LE"), "file.unsafe"),
    ("xml-utf16", lambda f: _utf16_workbook_xml(f, "UTF-16LE"), "file.unsafe"),
    ("foreign", _foreign, "file.not-a-form"),
    ("last-year", _last_year, "form.wrong-year"),
    ("other-plan", _other_plan, "form.wrong-plan"),
    ("other-department", _other_department, "form.unknown-department"),
]


@pytest.mark.parametrize(("case", "make", "code"), FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_unusable_files_get_one_line_and_the_batch_goes_on(case: str, make: Callable[[Path], Path], code: str,
                                                           batch: dict[str, Path], tmp_path: Path) -> None:
    inbox = next(iter(batch.values())).parent
    made = make(tmp_path / "made")
    bad = Path(shutil.copy(made, inbox / f"届いた_{made.name}"))
    before = digests(inbox)
    report = run(batch)
    assert digests(inbox) == before
    mine = [i for i in report.issues if i.location.file == bad.name and i.severity is Severity.ERROR]
    assert [i.code for i in mine] == [code]
    assert len(report.records) == 5  # every good sheet was still read
    unusable = [f for f in report.files if not f.usable]
    assert [f.name for f in unusable] == [bad.name]


def _added(batch: dict[str, Path], made: Path) -> Path:
    inbox = next(iter(batch.values())).parent
    return Path(shutil.copy(made, inbox / f"届いた_{made.name}"))


def test_a_sheet_for_a_project_the_master_does_not_expect_is_named(batch: dict[str, Path], tmp_path: Path) -> None:
    bad = _added(batch, _unknown_project(tmp_path / "made"))
    report = run(batch)
    hits = [i for i in report.issues if i.code == "form.unknown-project"]
    assert [(i.location.file, i.location.sheet) for i in hits] == [(bad.name, "2-1_09")]
    assert len(report.included) == 5


def test_a_workbook_with_its_identity_but_no_form_sheet_is_named(batch: dict[str, Path], tmp_path: Path) -> None:
    made = corpus.fill(corpus.generate(tmp_path / "made")[0])
    wb = load_workbook(made)
    wb["_lists"].sheet_state = "visible"
    for ws in [ws for ws in wb.worksheets if not ws.title.startswith("_")]:
        del wb[ws.title]
    wb.save(made)
    bad = _added(batch, made)
    report = run(batch)
    codes = {i.code for i in report.issues if i.location.file == bad.name}
    assert codes == {"form.no-sheets", "form.sheet-missing"}
    assert len(report.included) == 5


def _abort_on_shakai(master: object, job: tuple[Path, str]) -> object:
    """Checks a file as the tool does, but dies outright on one (as a native library's abort)."""
    from reporter.intake import scan

    if SHAKAI in job[1]:
        os.abort()
    return scan._check_job(master, job)  # type: ignore[arg-type]


def _hang_on_shakai(master: object, job: tuple[Path, str]) -> object:
    from reporter.intake import scan

    if SHAKAI in job[1]:
        time.sleep(60)
    return scan._check_job(master, job)  # type: ignore[arg-type]


def _raise_on_shakai(master: object, job: tuple[Path, str]) -> object:
    from reporter.intake import scan

    if SHAKAI in job[1]:
        raise KeyError("a bug in a rule")
    return scan._check_job(master, job)  # type: ignore[arg-type]


@pytest.mark.parametrize(("task", "code"), [(_abort_on_shakai, "file.reader-crashed"),
                                            (_hang_on_shakai, "file.too-slow"),
                                            (_raise_on_shakai, "file.internal-error")],
                         ids=["crash", "timeout", "error"])
def test_a_file_whose_check_dies_hangs_or_raises_costs_that_file_only(
        task: Callable[..., object], code: str, batch: dict[str, Path]) -> None:
    from reporter.intake import scan
    from reporter.master import load_master

    inbox = next(iter(batch.values())).parent
    master, _ = load_master(inbox.parent / "計画マスタ.xlsx")
    assert master is not None
    jobs = [(p, p.name) for p in sorted(inbox.iterdir())]
    scans = list(scan.map_files(master, jobs, 2, task=task, timeout=3))  # type: ignore[arg-type]
    failed = [s for s in scans if not s.usable]
    assert [(s.name, [i.code for i in s.issues]) for s in failed] == [(batch[SHAKAI].name, [code])]
    assert sum(len(s.records) for s in scans) == 3  # the other two files' sheets


def test_a_feedback_copy_that_cannot_be_made_is_named_and_the_rest_written(
        batch: dict[str, Path], tmp_path: Path) -> None:
    report = run(batch)
    batch[SHAKAI].write_bytes(b"replaced after the check by something unreadable")
    files = api.write_check_outputs(report, tmp_path / "out", date(2021, 5, 1))
    hits = [i for i in files.report.issues if i.code == "file.feedback-failed"]
    assert [i.location.file for i in hits] == [batch[SHAKAI].name]
    assert len([p for p in files.feedback if p.suffix == ".xlsx"]) == 2
    assert files.status is not None and files.status.is_file()
    rows = load_workbook(files.status)["問題一覧"].iter_rows(values_only=True)
    listed = [r for r in rows if "file.feedback-failed" in r]
    assert len(listed) == 1


def test_lock_files_are_passed_over(batch: dict[str, Path]) -> None:
    inbox = next(iter(batch.values())).parent
    (inbox / "~$令和2年度_自己評価シート.xlsx").write_bytes(b"lock")
    (inbox / ".~lock.令和2年度_自己評価シート.xlsx#").write_bytes(b"lock")
    report = run(batch)
    assert len(report.passed_over) == 2
    assert all(f.usable for f in report.files)


def test_cli_exit_codes_outputs_and_json(batch: dict[str, Path], tmp_path: Path) -> None:
    inbox = next(iter(batch.values())).parent
    master = tmp_path / "計画マスタ.xlsx"
    args = ["check", str(inbox), "--master", str(master), "--output", str(tmp_path / "out")]
    ok = CliRunner().invoke(main, [*args, "--json", str(tmp_path / "r.json")])
    assert ok.exit_code == 0, ok.output
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["counts"]["included"] == 5
    edit(SHAKAI, "1-1_01", F_STATUS=None)(batch)
    bad = CliRunner().invoke(main, args)
    assert bad.exit_code == 1
    assert "照合: 5 = 5 + 0" in bad.output
    year = tmp_path / "out" / "令和2年度"
    assert (year / "提出状況.xlsx").is_file()
    feedback = sorted((year / "確認結果").glob("*.xlsx"))
    assert len(feedback) == 3
    text = (year / "確認結果" / f"{batch[SHAKAI].stem}_確認結果.txt").read_text(encoding="utf-8")
    assert "「5 実施状況」" in text and "1-1_01" in text
    usage = CliRunner().invoke(main, ["check", str(tmp_path / "nowhere"), "--master", str(master)])
    assert usage.exit_code == 2


def test_feedback_workbook_marks_cells_and_lists_problems(batch: dict[str, Path], tmp_path: Path) -> None:
    edit(SHAKAI, "1-1_01", F_STATUS=None, F_BUDGET="未定")(batch)
    report = run(batch)
    files = api.write_check_outputs(report, tmp_path / "out", __import__("datetime").date(2021, 5, 1))
    target = next(p for p in files.feedback if p.suffix == ".xlsx" and SHAKAI in p.name)
    wb = load_workbook(target)
    assert wb.sheetnames[0] == "確認結果"
    ws = wb["1-1_01"]
    status = ws[corpus.address(ws, "F_STATUS")]
    budget = ws[corpus.address(ws, "F_BUDGET")]
    assert status.fill.fgColor.rgb.endswith("FFC7CE") and "未記入" in status.comment.text
    assert budget.fill.fgColor.rgb.endswith("FFEB9C") and status.comment is not None
    listed = [[c.value for c in row] for row in wb["確認結果"].iter_rows(min_row=6)]
    assert ["1-1_01", corpus.address(ws, "F_STATUS"), "5 実施状況", "エラー"] in [r[1:5] for r in listed]
    status_wb = load_workbook(files.status)
    rows = [[c.value for c in r] for r in status_wb["提出状況"].iter_rows(min_row=2)]
    assert [r[5] for r in rows].count("要修正") == 1
    assert [r[5] for r in rows].count("提出済") == 4
    by_department = {r[0].value: r[-1].value for r in status_wb["担当課別"].iter_rows(min_row=2)}
    assert by_department == {dept: path.name for dept, path in batch.items()}


def test_cli_prints_file_names_with_brackets_as_they_are(batch: dict[str, Path], tmp_path: Path) -> None:
    # Square brackets are markup to the console library: "[red]" vanished from the line, and a
    # message quoting "[/b]" stopped the summary.
    inbox = next(iter(batch.values())).parent
    (inbox / "回答[red][確定].xlsx").write_bytes("これは表ではありません".encode())
    result = CliRunner().invoke(main, ["check", str(inbox), "--master", str(tmp_path / "計画マスタ.xlsx"),
                                       "--output", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert "「回答[red][確定].xlsx」" in result.output and "Traceback" not in result.output
