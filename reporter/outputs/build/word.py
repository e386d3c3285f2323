"""The Word report from the office's template (docxtpl, autoescape on, undefined names are errors)."""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import InlineImage

from reporter.errors import ReportTemplateError
from reporter.outputs.build.wordtpl import FastTemplate, MalformedBodyError, xml_text

CHART_WIDTH_MM = 160
INDICATOR_CHART_WIDTH_MM = 80  # one indicator's small run


def _width(name: str) -> float:
    return INDICATOR_CHART_WIDTH_MM if name.startswith("indicator_") else CHART_WIDTH_MM


LANGUAGE = "ja-JP"


class DescribedImage(InlineImage):  # type: ignore[misc]
    """docxtpl's inline image with alternative text (``descr``), which Word shows to screen
    readers and LibreOffice writes into the tagged PDF as the figure's /Alt."""

    def __init__(self, tpl: Any, path: str, width: Any, alt: str, title: str) -> None:
        super().__init__(tpl, path, width=width)
        self.alt, self.title = alt, title

    def _insert_image(self) -> str:
        inline = self.tpl.current_rendering_part.new_pic_inline(self.image_descriptor, self.width, self.height)
        for element in (inline.docPr, *inline.xpath(".//pic:cNvPr")):
            element.set("descr", self.alt)  # lxml escapes the attribute
            element.set("title", self.title)
        return f'</w:t></w:r><w:r><w:drawing>{inline.xml}</w:drawing></w:r><w:r><w:t xml:space="preserve">'


def render(template: Path, context: Mapping[str, Any], charts: Mapping[str, Path | None], target: Path,
           described: Mapping[str, tuple[str, str]] | None = None) -> None:
    """Render the report into ``target``; a body that is not well-formed XML is refused before
    anything is written. ``described`` gives each chart its (title, alternative text); the
    document's properties (title, author, subject) come from ``context["document"]`` and its
    language is Japanese, whatever the template was saved with."""
    if not template.is_file():
        raise ReportTemplateError(
            "missing", f"報告書テンプレート「{template}」が見つかりません。templates フォルダを確認してください。")
    tpl = FastTemplate(str(template))
    values = dict(context)
    values["charts"] = {}
    for name, path in charts.items():
        title, alt = (described or {}).get(name, (name, name))
        values["charts"][name] = DescribedImage(tpl, str(path), Mm(_width(name)), alt, title) if path else None
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
    _properties(tpl.docx, context.get("document", {}))
    tpl.save(str(target))


def _properties(document: Any, meta: Mapping[str, str]) -> None:
    """Title, author, subject and keywords of the report, dated now, with none of the
    template's leftovers (python-docx's own template says 'python-docx', 2013); the default
    language of the text Japanese, so the PDF says /Lang (ja-JP) to screen readers."""
    props = document.core_properties
    now = datetime.now(UTC).replace(microsecond=0)
    props.title = meta.get("title", "")
    props.author = meta.get("author", "")
    props.subject = meta.get("subject", "")
    props.keywords = meta.get("keywords", "")
    props.comments = ""
    props.category = ""
    props.last_modified_by = meta.get("author", "")
    props.revision = 1
    props.created = props.modified = now
    props.language = LANGUAGE
    defaults = _child(document.styles.element, "w:docDefaults", first=True)
    lang = _child(_child(_child(defaults, "w:rPrDefault", first=True), "w:rPr"), "w:lang")
    for attr in ("w:val", "w:eastAsia"):
        lang.set(qn(attr), LANGUAGE)


def _child(parent: Any, tag: str, first: bool = False) -> Any:
    """``parent``'s child ``tag``, made (as its first child when ``first``) when it has none."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found
