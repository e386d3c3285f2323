"""`reporter build`: outputs read back and asserted against the submitted data."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from reporter import api
from reporter.cli import main
from reporter.errors import OutputLockedError
from reporter.outputs.build import publish
from tests import corpus
from tests.conftest import ROOT

TEMPLATE = ROOT / "templates" / "報告書.docx"
NASTY = '=HYPERLINK("http://example.com","押して") & <b>太字</b> 1<2'


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small master's department workbooks, generated and filled once for the module (one
    answer carries text that looks like a formula and markup)."""
    gen = tmp_path_factory.mktemp("gen")

    def nasty(title: str, values: dict[str, object]) -> None:
        if title == "2-1_01":
            values["F_STATUS"] = NASTY

    for f in corpus.generate(gen):
        corpus.fill(f, nasty)
    return gen


@pytest.fixture
def inbox(filled: Path, tmp_path: Path) -> Path:
    """A fresh copy of the filled workbooks in input/, the master beside it."""
    folder = tmp_path / "input"
    folder.mkdir()
    for f in (filled / "generated").rglob("*.xlsx"):
        shutil.copy2(f, folder / f.name)
    shutil.copy(filled / "master" / "計画マスタ.xlsx", tmp_path / "計画マスタ.xlsx")
    return folder


def build(inbox: Path, **kw: object) -> api.BuildOutcome:
    return api.build(inbox.parent / "計画マスタ.xlsx", inbox, inbox.parent / "out", TEMPLATE,
                          date(2021, 6, 1), **kw)  # type: ignore[arg-type]


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def test_excel_totals_equal_the_submitted_amounts_at_every_level(inbox: Path) -> None:
    result = build(inbox)
    assert result.xlsx is not None
    wb = load_workbook(result.xlsx)
    rows = {r[0].strip("　"): r for r in wb["施策別"].iter_rows(min_row=2, values_only=True) if r[0]}
    # good_values: settled 1000 + n, budget 1100 + n, n = sheet index inside its workbook
    # 危機管理局: P01 under 1-1-1 (n=1) and 2-1 (n=2); 社会課: P02 1-1 (n=1), P03 2-1 (n=2); 社協: P02 1-1 (n=1)
    assert rows["1-1-1"][5] == 1001 and rows["1-1"][5] == 1001 + 1001
    assert rows["1-1"][7] == 1001 + 1001 + 1001  # subtree: 1-1 and 1-1-1
    assert rows["1"][7] == 3003
    assert rows["2-1"][5] == 1002 + 1002
    # P01 is answered once under 1-1-1 and once under 2-1, with different amounts (1001, 1002): the
    # grand total takes their sum and says so (batch.amounts-differ); equal amounts would count once.
    assert rows["総計"][7] == (1001 + 1002) + 1001 + 1002 + 1001
    costs = [r for r in wb["事業費"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert sum(r[4] for r in costs) == 1001 * 3 + 1002 * 2


def test_word_report_has_every_sheet_under_its_policy(inbox: Path) -> None:
    result = build(inbox)
    assert result.docx is not None
    doc = Document(str(result.docx))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    titles = [t for _, t in headings]
    policy_at = {code: next(i for i, t in enumerate(titles) if f" {code}　" in t) for code in ("1-1", "1-1-1", "2-1")}
    sheet_titles = [(i, t) for i, t in enumerate(titles) if t.startswith("No.")]
    assert len(sheet_titles) == 5
    assert ("No.1　見守り活動支援（健康福祉局社会課）" in titles[policy_at["1-1"]:policy_at["1-1-1"]])
    assert ("No.2　地域防災リーダー養成事業（危機管理局減災推進課）" in titles[policy_at["2-1"]:])
    text = docx_text(result.docx)
    assert "1,001" in text and "1,102" in text
    assert NASTY in text  # verbatim, escaped in the XML
    xml = zipfile.ZipFile(result.docx).read("word/document.xml").decode()
    assert "&amp; &lt;b&gt;" in xml


def test_text_from_submissions_is_text_in_excel(inbox: Path) -> None:
    result = build(inbox)
    wb = load_workbook(result.xlsx)  # type: ignore[arg-type]
    ws = wb["事業一覧"]
    cells = [c for row in ws.iter_rows() for c in row if c.value == NASTY]
    assert cells and all(c.data_type == "s" for c in cells)
    assert not any(c.hyperlink for row in ws.iter_rows() for c in row)


def test_errors_are_excluded_and_listed_strict_refuses(inbox: Path) -> None:
    target = next(inbox.glob("*社会福祉協議会*"))
    corpus.fill(target, lambda title, values: values.update(F_STATUS=None))
    result = build(inbox)
    counts = result.report.counts()  # type: ignore[union-attr]
    assert (counts["included"], counts["excluded"]) == (4, 1)
    text = docx_text(result.check_docx)  # type: ignore[arg-type]  # the office's check report lists it
    assert "誤りがあり集計から除外したシート" in text
    assert "社会福祉協議会" in text.split("誤りがあり集計から除外したシート")[-1]
    public = docx_text(result.docx)  # type: ignore[arg-type]  # the public edition says 速報, no reasons
    assert "【速報】" in public and "確認中 1 件" in public and "除外" not in public
    shutil.rmtree(inbox.parent / "out")
    strict = build(inbox, strict=True)
    assert strict.refused and strict.docx is None
    assert not list((inbox.parent / "out").rglob("*.docx"))


def test_cli_build_prints_reconciled_counts_and_dumps_context(inbox: Path) -> None:
    ctx = inbox.parent / "ctx.json"
    result = CliRunner().invoke(main, ["build", str(inbox), "--master", str(inbox.parent / "計画マスタ.xlsx"),
                                       "--output", str(inbox.parent / "out"), "--template", str(TEMPLATE),
                                       "--dump-context", str(ctx)])
    assert result.exit_code == 0, result.output
    assert "照合: 5 = 5 + 0" in result.output
    data = json.loads(ctx.read_text(encoding="utf-8"))
    assert {"plan", "counts", "policies", "totals", "missing", "excluded", "charts"} <= set(data)


def test_pdf_is_made_with_libreoffice(inbox: Path) -> None:
    result = build(inbox, pdf=True)
    assert result.pdf is not None and result.pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(result.pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "第１期テスト市地域福祉計画" in text
    assert "見守り活動支援" in text


def test_output_held_open_leaves_the_previous_file_whole(inbox: Path) -> None:
    first = build(inbox)
    assert first.xlsx is not None and first.docx is not None
    before = first.xlsx.read_bytes()
    first.docx.unlink()
    first.docx.mkdir()  # something in the way that cannot be replaced
    result = CliRunner().invoke(main, ["build", str(inbox), "--master", str(inbox.parent / "計画マスタ.xlsx"),
                                       "--output", str(inbox.parent / "out"), "--template", str(TEMPLATE)])
    assert result.exit_code == 3
    assert first.docx.name in result.output
    assert first.xlsx.read_bytes() == before


def test_same_input_same_report(inbox: Path) -> None:
    a = build(inbox)
    first = (docx_text(a.docx), [list(r) for r in load_workbook(a.xlsx)["事業一覧"].values])  # type: ignore[arg-type]
    b = build(inbox)
    second = (docx_text(b.docx), [list(r) for r in load_workbook(b.xlsx)["事業一覧"].values])  # type: ignore[arg-type]
    assert first == second


def test_bad_template_gives_a_japanese_line(inbox: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    doc = Document(str(TEMPLATE))
    doc.add_paragraph("{{ no_such_value }}")
    doc.save(str(bad))
    result = CliRunner().invoke(main, ["build", str(inbox), "--master", str(inbox.parent / "計画マスタ.xlsx"),
                                       "--output", str(inbox.parent / "out"), "--template", str(bad)])
    assert result.exit_code == 2
    assert "no_such_value" in result.output and "Traceback" not in result.output
    # The status table stands on its own: refreshed although the report could not be made.
    year = next((inbox.parent / "out").iterdir())
    assert (year / api.STATUS_FILE).is_file()
    assert not list(year.glob("報告書/*.docx")) and not list(year.glob("報告書/.tmp-*"))




def test_pdf_without_libreoffice_says_how_to_install(inbox: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The PATH is emptied so that no soffice is found: the real lookup code runs.
    monkeypatch.setenv("PATH", str(inbox.parent / "empty-path"))
    result = CliRunner().invoke(main, ["build", str(inbox), "--master", str(inbox.parent / "計画マスタ.xlsx"),
                                       "--output", str(inbox.parent / "out"), "--template", str(TEMPLATE), "--pdf"])
    assert result.exit_code == 0, result.output
    assert "LibreOffice が見つかりません" in result.output
    assert list((inbox.parent / "out").rglob("*.docx")) and not list((inbox.parent / "out").rglob("*.pdf"))


def _contents(result: api.BuildOutcome) -> tuple[str, dict[str, list[list[object]]], list[list[object]]]:
    assert result.docx is not None and result.xlsx is not None
    summary = {ws.title: [list(r) for r in ws.values] for ws in load_workbook(result.xlsx).worksheets}
    status = load_workbook(result.xlsx.parent.parent / api.STATUS_FILE)["提出状況"]
    return docx_text(result.docx), summary, [list(r) for r in status.values]


def test_checking_in_one_worker_or_two_writes_the_same_outputs(inbox: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two workers also write the two workbooks in the forked process beside the Word report
    (from PARALLEL_FROM sheets: lowered so that this small batch takes that path)."""
    one = _contents(build(inbox, workers=1))
    monkeypatch.setattr(publish, "PARALLEL_FROM", 1)
    two = _contents(build(inbox, workers=2))
    assert one == two
    assert "見守り活動支援" in one[0] and len(one[1]["事業一覧"]) > 1


def test_summary_that_cannot_be_put_in_place_names_it_and_keeps_the_word_report(inbox: Path) -> None:
    first = build(inbox)
    assert first.xlsx is not None and first.docx is not None
    before = first.docx.read_bytes()
    first.xlsx.unlink()
    first.xlsx.mkdir()  # the summary cannot be put in place
    with pytest.raises(OutputLockedError) as caught:
        build(inbox)
    assert caught.value.path == first.xlsx
    assert first.docx.read_bytes() == before
