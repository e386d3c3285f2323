"""The Word report from the office's template (docxtpl, autoescape on, undefined names are errors)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

CHART_WIDTH_MM = 160


class ReportTemplateError(Exception):
    """The Word template cannot be used; the message is plain Japanese for the office."""


def render(template: Path, context: Mapping[str, Any], charts: Mapping[str, Path], target: Path) -> None:
    if not template.is_file():
        raise ReportTemplateError(
            f"報告書テンプレート「{template}」が見つかりません。templates フォルダを確認してください。")
    tpl = DocxTemplate(str(template))
    values = dict(context)
    values["charts"] = {name: InlineImage(tpl, str(path), width=Mm(CHART_WIDTH_MM)) for name, path in charts.items()}
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)
    try:
        tpl.render(values, jinja_env=env)
    except jinja2.UndefinedError as exc:
        raise ReportTemplateError(
            f"報告書テンプレート「{template.name}」に使えない名前があります（{exc.message}）。"
            "使える名前は reporter build --dump-context で確認できます。") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise ReportTemplateError(
            f"報告書テンプレート「{template.name}」の差し込み記号に誤りがあります（{exc.message}）。"
            "{{ }} や {%p %} の組み合わせを確認してください。") from exc
    _grid_from_cells(tpl.docx)
    tpl.save(str(target))


def _grid_from_cells(document: Any) -> None:
    """Rebuild each table's column grid from its first row's cell widths.

    docxtpl's column loops ({%tc for %}) add cells but only rescale the grid, and LibreOffice
    lays tables out by the grid: without this the looped year columns come out squeezed.
    """
    for table in document.tables:
        tbl = table._tbl
        grid = tbl.tblGrid
        first = tbl.tr_lst[0] if tbl.tr_lst else None
        if grid is None or first is None:
            continue
        widths: list[int] = []
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
