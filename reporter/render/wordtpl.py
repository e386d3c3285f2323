"""docxtpl, with the rendered body kept as text from the template engine to the file.

docxtpl renders the body with Jinja (fast), then parses the result into an element tree, walks
every table to fix its column grid, renumbers the drawing ids with XPath and moves the tree into
the document, and resolves tabs and line breaks with a regular expression per paragraph. For a
report of thousands of sheets (20 MB of body XML) those steps take 25 times as long as the
rendering itself. Here the same steps work on the rendered text:

- line breaks, tabs and page breaks in values: only the paragraphs that hold one are handed to
  docxtpl's own routine;
- table grids: each table's grid is rebuilt from its first row's cell widths (what LibreOffice
  lays out by; docxtpl's column loops ``{%tc %}`` add cells without widening the grid);
- drawing ids renumbered as docxtpl does;
- the body goes into ``word/document.xml`` when the file is written, without being parsed.

Everything else (template patching, Jinja, images, headers, footers, properties) is docxtpl's.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from docxtpl import DocxTemplate
from jinja2 import Environment, TemplateError

_PARAGRAPH_START = re.compile(r"<w:p([ >])")
_DOCPR = re.compile(r'(<wp:docPr\b[^>]*?\sid=")(\d+)(")')
_GRID = re.compile(r"<w:tblGrid>(.*?)</w:tblGrid>|<w:tblGrid/>", re.S)
_GRID_COL = re.compile(r'<w:gridCol\b[^>]*?w:w="(\d+)"[^>]*/>|<w:gridCol\b[^>]*/>')
_ROW_TAG = re.compile(r"<w:tr[ >]|</w:tr>")
_CELL_TOKENS = re.compile(r"<w:tbl>|</w:tbl>|<w:tc[ >]|<w:tcW\b[^>]*/>|<w:gridSpan\b[^>]*/>")
_ATTR = re.compile(r'w:(\w+)="([^"]*)"')


class FastTemplate(DocxTemplate):  # type: ignore[misc]
    """A DocxTemplate whose body is post-processed and written as text."""

    body_xml: str | None = None

    def render(self, context: dict[str, Any], jinja_env: Environment | None = None,
               autoescape: bool = False) -> None:
        self.render_init()
        if autoescape:
            jinja_env = jinja_env or Environment()
            jinja_env.autoescape = True
        body = self.build_xml(context, jinja_env)  # patch, Jinja, resolve_listing (below)
        self.body_xml = renumber_drawings(fix_grids(body), self)
        for rel_key, xml in self.build_headers_footers_xml(context, self.HEADER_URI, jinja_env):
            self.map_headers_footers_xml(rel_key, xml)
        for rel_key, xml in self.build_headers_footers_xml(context, self.FOOTER_URI, jinja_env):
            self.map_headers_footers_xml(rel_key, xml)
        self.render_properties(context, jinja_env)
        self.render_footnotes(context, jinja_env)
        self.is_rendered = True

    def render_xml_part(self, src_xml: str, part: Any, context: dict[str, Any],
                        jinja_env: Environment | None = None) -> str:
        """docxtpl's: each paragraph put on a line of its own for Jinja, rendered, joined back,
        escaped braces restored; the joining is a plain replace instead of a regex."""
        lined = _PARAGRAPH_START.sub(r"\n<w:p\1", src_xml)
        self.current_rendering_part = part
        template = (jinja_env or Environment()).from_string(lined)
        try:
            xml = template.render(context)
        except TemplateError as exc:
            line = getattr(exc, "lineno", None)
            if line is not None:  # as docxtpl does: the text around the error, for the message
                exc.docx_context = [  # type: ignore[attr-defined]
                    re.sub(r"<[^>]+>", "", x) for x in lined.splitlines()[max(line - 4, 0):line + 3]]
            raise
        xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        if "{_" in xml or "_}" in xml:  # rare; each replace copies the whole body
            xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        return self.resolve_listing(xml)

    def resolve_listing(self, xml: str) -> str:
        """docxtpl's treatment of \\t \\a \\n \\f, applied only to the paragraphs holding one."""
        out: list[str] = []
        done = 0
        for start, end in _paragraphs_with_control(xml):
            out.append(xml[done:start])
            out.append(super().resolve_listing(xml[start:end]))
            done = end
        out.append(xml[done:])
        return "".join(out)

    def save(self, filename: IO[bytes] | str | Path, *args: Any, **kwargs: Any) -> None:
        if self.body_xml is None:
            super().save(filename, *args, **kwargs)
            return
        buffer = io.BytesIO()
        super().save(buffer, *args, **kwargs)
        data = _with_body(buffer.getvalue(), self.body_xml)
        if isinstance(filename, (str, Path)):
            Path(filename).write_bytes(data)
        else:
            filename.write(data)


def _control_positions(xml: str) -> list[int]:
    """Where \t \a \n \f occur (str.find is far faster than a regex over a large body)."""
    found = []
    for char in "\t\a\n\f":
        i = xml.find(char)
        while i >= 0:
            found.append(i)
            i = xml.find(char, i + 1)
    return sorted(found)


def _paragraphs_with_control(xml: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each paragraph holding a control character, in order, each once."""
    last_end = -1
    for i in _control_positions(xml):
        if i < last_end:
            continue  # in the paragraph already taken
        start = max(xml.rfind("<w:p>", 0, i), xml.rfind("<w:p ", 0, i))
        close = xml.find("</w:p>", i)
        if start < 0 or close < 0 or start < last_end:
            continue  # not inside a paragraph (between elements): left as it is
        last_end = close + len("</w:p>")
        yield start, last_end


def renumber_drawings(xml: str, template: Any) -> str:
    """Unique ids for every drawing, counting on from docxtpl's index as it does."""
    def number(m: re.Match[str]) -> str:
        template.docx_ids_index += 1
        return f"{m.group(1)}{template.docx_ids_index}{m.group(3)}"

    if "<wp:docPr" not in xml:
        return xml
    return _DOCPR.sub(number, xml)


def fix_grids(xml: str) -> str:
    """Each table's grid made to match its first row: the cells' own widths when every cell
    of that row gives one in twips and spans one column; otherwise, when the number of grid
    columns no longer matches the row, the old total width shared equally."""
    out: list[str] = []
    done = 0
    for m in _GRID.finditer(xml):
        row = _first_row(xml, m.end())
        if row is None:
            continue
        grid = _grid_for(m.group(1) or "", xml[row[0]:row[1]])
        if grid is not None:
            out.append(xml[done:m.start()])
            out.append(grid)
            done = m.end()
    out.append(xml[done:])
    return "".join(out)


def _first_row(xml: str, at: int) -> tuple[int, int] | None:
    """The span of the first row after ``at`` (a table's grid), nested tables included."""
    first = _ROW_TAG.search(xml, at)
    if first is None or first.group(0) == "</w:tr>":
        return None
    depth = 0
    for tag in _ROW_TAG.finditer(xml, first.start()):
        depth += -1 if tag.group(0) == "</w:tr>" else 1
        if depth == 0:
            return first.start(), tag.end()
    return None


def _grid_for(old_grid: str, row: str) -> str | None:
    """The new <w:tblGrid>, or None to keep the old one."""
    # Tables made from one template block differ in their text only: decided once per shape.
    return _grid_for_shape(old_grid, tuple(_CELL_TOKENS.findall(row)))


@lru_cache(maxsize=1024)
def _grid_for_shape(old_grid: str, tokens: tuple[str, ...]) -> str | None:
    widths: list[int | None] = []  # per top-level cell: its width in twips, None if unknown
    spans = 0
    depth = 0
    for tag in tokens:
        if tag == "<w:tbl>":
            depth += 1
        elif tag == "</w:tbl>":
            depth -= 1
        elif depth:
            continue
        elif tag.startswith("<w:tcW"):
            attrs = dict(_ATTR.findall(tag))
            if widths and widths[-1] is None and attrs.get("type", "dxa") == "dxa" and attrs.get("w", "").isdigit():
                widths[-1] = int(attrs["w"])
        elif tag.startswith("<w:gridSpan"):
            span = dict(_ATTR.findall(tag)).get("val", "1")
            extra = int(span) - 1 if span.isdigit() and int(span) > 1 else 0
            spans += extra
            if extra and widths:
                widths[-1] = -1  # a spanning cell: its columns' widths are not known one by one
        else:  # a cell
            widths.append(None)
    if not widths:
        return None
    old = [int(w) if w else 0 for w in _GRID_COL.findall(old_grid)]
    if all(w is not None and w > 0 for w in widths):
        new = [w for w in widths if w is not None]
    elif len(old) != len(widths) + spans:
        count = len(widths) + spans
        total = sum(old)
        new = [total // count] * count if total else []
    else:
        return None
    if new == old or not new:
        return None
    return "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}"/>' for w in new) + "</w:tblGrid>"


_BODY = re.compile(rb"<w:body\b.*</w:body>|<w:body/>", re.S)


def _with_body(docx: bytes, body: str) -> bytes:
    """The saved package with the rendered body put into word/document.xml."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = _BODY.sub(lambda _: body.encode("utf-8"), data, count=1)
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
