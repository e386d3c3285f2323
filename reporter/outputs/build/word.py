"""The Word report from the office's template (docxtpl, autoescape on, undefined names are errors)."""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from docx.opc.exceptions import PackageNotFoundError
from docx.shared import Mm
from docxtpl import InlineImage

from reporter.errors import ReportTemplateError
from reporter.outputs.build.wordtpl import FastTemplate, MalformedBodyError, xml_text

CHART_WIDTH_MM = 160
INDICATOR_CHART_WIDTH_MM = 80  # one indicator's small run


def _width(name: str) -> float:
    return INDICATOR_CHART_WIDTH_MM if name.startswith("indicator_") else CHART_WIDTH_MM


def render(template: Path, context: Mapping[str, Any], charts: Mapping[str, Path | None], target: Path) -> None:
    """Render the report into ``target``; a body that is not well-formed XML is refused before
    anything is written."""
    if not template.is_file():
        raise ReportTemplateError(
            "missing", f"報告書テンプレート「{template}」が見つかりません。templates フォルダを確認してください。")
    tpl = FastTemplate(str(template))
    values = dict(context)
    values["charts"] = {name: InlineImage(tpl, str(path), width=Mm(_width(name))) if path else None
                        for name, path in charts.items()}
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True, finalize=xml_text)
    try:
        tpl.render(values, jinja_env=env)
    except jinja2.UndefinedError as exc:
        raise ReportTemplateError(
            "undefined-name", f"報告書テンプレート「{template.name}」に使えない名前があります（{exc.message}）。"
            "使える名前は reporter build --dump-context で確認できます。") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise ReportTemplateError(
            "syntax", f"報告書テンプレート「{template.name}」の差し込み記号に誤りがあります（{exc.message}）。"
            "{{ }} や {%p %} の組み合わせを確認してください。") from exc
    except (PackageNotFoundError, zipfile.BadZipFile) as exc:
        raise ReportTemplateError(
            "malformed", f"報告書テンプレート「{template.name}」を Word 文書（.docx）として開けません。"
            "Word で .docx 形式で保存したファイルを --template に指定してください。") from exc
    except MalformedBodyError as exc:
        raise ReportTemplateError(
            "malformed", f"報告書テンプレート「{template.name}」から作った文書の構造が崩れています"
            f"（「{exc.near}」の直後）。{{% if %}} や {{% for %}} の開始と終了が、同じ段落または"
            "同じ表のセルの中にそろっているか確認してください"
            "（表の行ごとなら {%tr %}、段落ごとなら {%p %} を使います）。") from exc
    tpl.save(str(target))
