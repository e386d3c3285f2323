"""The contents field is filled with the headings, one line each, as the PDF will print it."""

from __future__ import annotations

import shutil
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from reporter.outputs.build import toc
from tests.conftest import ROOT


def test_fill_writes_one_line_per_heading_with_one_dotted_tab(tmp_path: Path) -> None:
    path = tmp_path / "r.docx"
    shutil.copy(ROOT / "templates" / "報告書.docx", path)
    entries = [toc.Entry(1, "1 評価の概要", 3), toc.Entry(2, "施策の方向 1-1", 4), toc.Entry(3, "事業 A&B", None),
               toc.Entry(1, "付録", 12)]
    assert toc.fill(path, entries)
    document = Document(str(path))
    paragraphs = [p for p in document.paragraphs if p.text in {
        "1 評価の概要\t3", "施策の方向 1-1\t4", "事業 A&B\t", "付録\t12"}]
    assert [p.text for p in paragraphs] == ["1 評価の概要\t3", "施策の方向 1-1\t4", "事業 A&B\t", "付録\t12"]
    for paragraph, entry in zip(paragraphs, entries, strict=True):
        tabs = paragraph._p.findall(f"{qn('w:pPr')}/{qn('w:tabs')}/{qn('w:tab')}")
        assert len(tabs) == 1
        assert tabs[0].get(qn("w:leader")) == "dot"
        assert round((paragraph.paragraph_format.left_indent or 0) / 36000) == 5 * (entry.level - 1)  # mm
    # The field still ends after the last line, so Word can rebuild it.
    last = paragraphs[-1]._p
    assert [c.get(qn("w:fldCharType")) for c in last.iter(qn("w:fldChar"))] == ["end"]
