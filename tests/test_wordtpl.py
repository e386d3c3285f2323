"""The text-level post-processing of the Word body gives what docxtpl's tree-level one gives."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate
from lxml import etree

from reporter import api
from reporter.errors import ReportTemplateError
from reporter.outputs.build import figures, word
from reporter.outputs.build.aggregate import aggregate
from reporter.outputs.build.context import build_context
from reporter.outputs.build.wordtpl import FastTemplate, fix_grids
from tests.conftest import ROOT

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _reference_grids(document: Any) -> None:
    """The tree-level rule: each table's grid rebuilt from its first row's cell widths."""
    for table in document.tables:
        tbl = table._tbl
        grid = tbl.tblGrid
        first = tbl.tr_lst[0] if tbl.tr_lst else None
        if grid is None or first is None:
            continue
        widths = []
        for tc in first.tc_lst:
            tcw = tc.tcPr.find(qn("w:tcW")) if tc.tcPr is not None else None
            if tcw is None or tcw.get(qn("w:type")) not in (None, "dxa"):
                widths = []
                break
            widths.append(int(tcw.get(qn("w:w"), "0")))
        if not widths or 0 in widths:
            continue
        for col in list(grid):
            grid.remove(col)
        for width in widths:
            col = OxmlElement("w:gridCol")
            col.set(qn("w:w"), str(width))
            grid.append(col)


def _body(path: Path) -> bytes:
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    body = root.find(qn("w:body"))
    return etree.tostring(body, method="c14n", exclusive=True)


def test_demo_report_body_equals_docxtpl_tree_processing(tmp_path: Path) -> None:
    outcome = api.check(ROOT / "input" / "計画マスタ.xlsx", ROOT / "input")
    report = outcome.report
    assert report is not None
    agg = aggregate(report.included, report.master)
    ctx = build_context(report, agg, date(2021, 6, 1))
    figs = figures.draw(ctx, agg, tmp_path, "png")
    drawn = {name: f.path for name, f in figs.items()}
    described = {name: (f.title, f.alt) for name, f in figs.items()}
    ctx["charts"] = {name: p.name if p else None for name, p in drawn.items()}
    template = ROOT / "templates" / "報告書.docx"

    word.render(template, ctx, drawn, tmp_path / "fast.docx", described)

    stock = DocxTemplate(str(template))
    values = dict(ctx)
    values["charts"] = {n: word.DescribedImage(stock, str(p), Mm(word.CHART_WIDTH_MM), described[n][1],
                                               described[n][0]) if p else None for n, p in drawn.items()}
    stock.render(values, jinja_env=jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True))
    _reference_grids(stock.docx)
    stock.save(str(tmp_path / "stock.docx"))

    fast, reference = _body(tmp_path / "fast.docx"), _body(tmp_path / "stock.docx")
    assert b"<w:br" in fast and b"<w:drawing" in fast  # line breaks from values, the charts
    assert fast == reference
    with zipfile.ZipFile(tmp_path / "fast.docx") as z, zipfile.ZipFile(tmp_path / "stock.docx") as s:
        assert sorted(z.namelist()) == sorted(s.namelist())
        assert z.testzip() is None


def _table(grid: str, first_row: str, more: str = "") -> str:
    return f"<w:tbl><w:tblPr/><w:tblGrid>{grid}</w:tblGrid><w:tr>{first_row}</w:tr>{more}</w:tbl>"


def _cell(width: str = "", span: int = 1, inner: str = "") -> str:
    pr = width + (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "")
    return f"<w:tc><w:tcPr>{pr}</w:tcPr>{inner}<w:p/></w:tc>"


def _dxa(w: int) -> str:
    return f'<w:tcW w:w="{w}" w:type="dxa"/>'


def _grids(xml: str) -> list[list[int]]:
    root = etree.fromstring(f"<w:body {W}>{xml}</w:body>")
    return [[int(c.get(qn("w:w"))) for c in g] for g in root.iter(qn("w:tblGrid"))]


def test_grid_follows_the_first_rows_widths_after_a_column_loop() -> None:
    cells = "".join(_cell(_dxa(w)) for w in (2000, 900, 900, 900))
    looped = _table('<w:gridCol w:w="3000"/><w:gridCol w:w="3000"/>', cells)
    assert _grids(fix_grids(looped)) == [[2000, 900, 900, 900]]


def test_a_grid_that_already_fits_is_left_byte_for_byte() -> None:
    fits = _table('<w:gridCol w:w="2000"/><w:gridCol w:w="900"/>', _cell(_dxa(2000)) + _cell(_dxa(900)))
    assert fix_grids(fits) == fits


def test_nested_table_in_the_first_row_counts_only_the_outer_cells() -> None:
    inner = _table('<w:gridCol w:w="100"/>', _cell(_dxa(400)) + _cell(_dxa(500)))
    outer = _table('<w:gridCol w:w="5000"/>', _cell(_dxa(1000), inner=inner) + _cell(_dxa(4000)),
                   more="<w:tr>" + _cell(_dxa(1000)) + _cell(_dxa(4000)) + "</w:tr>")
    assert _grids(fix_grids(outer)) == [[1000, 4000], [400, 500]]


def test_spans_and_unknown_widths_share_the_old_width_when_the_count_changed() -> None:
    spanned = _table('<w:gridCol w:w="6000"/>', _cell(_dxa(3000), span=2) + _cell(_dxa(3000)))
    assert _grids(fix_grids(spanned)) == [[2000, 2000, 2000]]
    percent = _table('<w:gridCol w:w="4000"/><w:gridCol w:w="4000"/>',
                     _cell('<w:tcW w:w="2500" w:type="pct"/>') + _cell('<w:tcW w:w="2500" w:type="pct"/>'))
    assert fix_grids(percent) == percent  # same count: kept


def test_line_breaks_and_tabs_in_values_become_word_breaks(tmp_path: Path) -> None:
    template = tmp_path / "t.docx"
    from docx import Document

    doc = Document()
    doc.add_paragraph("{{ a }}")
    doc.add_paragraph("固定の文")
    doc.save(str(template))
    tpl = FastTemplate(str(template))
    tpl.render({"a": "一行目\n二行目\t右"}, jinja_env=jinja2.Environment(autoescape=True))
    tpl.save(str(tmp_path / "out.docx"))
    body = _body(tmp_path / "out.docx").decode()
    assert "一行目</w:t><w:br></w:br>" in body and "<w:tab></w:tab>" in body
    assert "固定の文" in body
    assert "\n" not in body.split("一行目")[1].split("固定の文")[0]


def test_grid_counts_the_widest_row_below_a_spanning_title() -> None:
    title = "<w:tr>" + _cell(_dxa(5000), span=2) + "</w:tr>"
    looped = "".join(_cell(_dxa(w)) for w in (2000, 750, 750, 750, 750))
    table = (f'<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w="2500"/><w:gridCol w:w="2500"/></w:tblGrid>'
             f"{title}<w:tr>{looped}</w:tr></w:tbl>")
    assert _grids(fix_grids(table)) == [[2000, 750, 750, 750, 750]]


def test_a_tracked_grid_change_goes_with_the_old_grid() -> None:
    change = '<w:tblGridChange w:id="1"><w:tblGrid><w:gridCol w:w="100"/></w:tblGrid></w:tblGridChange>'
    table = _table(f'<w:gridCol w:w="3000"/>{change}', _cell(_dxa(2000)) + _cell(_dxa(900)))
    fixed = fix_grids(table)
    assert _grids(fixed) == [[2000, 900]]
    assert "tblGridChange" not in fixed


def test_a_table_without_rows_is_left_alone() -> None:
    empty = '<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w="100"/></w:tblGrid></w:tbl>'
    after = _table('<w:gridCol w:w="1"/>', _cell(_dxa(2000)))
    assert fix_grids(empty + after) == empty + _table('<w:gridCol w:w="2000"/>', _cell(_dxa(2000)))


def test_characters_xml_cannot_hold_are_dropped_from_values(tmp_path: Path) -> None:
    from docx import Document

    template = tmp_path / "t.docx"
    doc = Document()
    doc.add_paragraph("{{ a }}")
    doc.save(str(template))
    word.render(template, {"a": "前\x0b後\x01"}, {}, tmp_path / "out.docx")
    assert [p.text for p in Document(str(tmp_path / "out.docx")).paragraphs] == ["前後"]


def test_a_template_whose_tags_split_a_table_is_refused_in_japanese(tmp_path: Path) -> None:
    from docx import Document

    template = tmp_path / "t.docx"
    doc = Document()
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "前{% if show %}左"  # opened in a cell, closed after the table
    table.cell(0, 1).text = "右"
    doc.add_paragraph("{% endif %}後")
    doc.save(str(template))
    with pytest.raises(ReportTemplateError) as caught:
        word.render(template, {"show": False}, {}, tmp_path / "out.docx")
    assert caught.value.kind == "malformed"
    assert "構造が崩れています" in str(caught.value) and "（「前後」の直後）" in str(caught.value)
    assert not (tmp_path / "out.docx").exists()
