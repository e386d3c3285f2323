"""docxtpl, with the rendered body kept as text from the template engine to the file.

docxtpl renders the body with Jinja (fast), then parses the result into an element tree, walks
every table to fix its column grid, renumbers the drawing ids with XPath and moves the tree into
the document, and resolves tabs and line breaks with a regular expression per paragraph. For a
report of thousands of sheets (20 MB of body XML) those steps take 25 times as long as the
rendering itself. Here the same steps work on the rendered text:

- line breaks, tabs and page breaks in values: only the paragraphs that hold one are handed to
  docxtpl's own routine;
- table grids: each table's grid is rebuilt to fit its widest row, with the cells' own widths
  (LibreOffice lays out by the grid; docxtpl's column loops ``{%tc %}`` add cells without
  widening it);
- drawing ids renumbered as docxtpl does;
- the body is checked to be well-formed XML (docxtpl's parser silently recovered; the caller may
  run the check elsewhere while the file is written) and goes into ``word/document.xml``.

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
from markupsafe import Markup, escape

from reporter.core.normalize import xml_safe
from reporter.intake import safexml

_PARAGRAPH_START = re.compile(r"<w:p([ >])")
_DOCPR = re.compile(r'(<wp:docPr\b[^>]*?\sid=")(\d+)(")')
_GRID_START = re.compile(r"<w:tblGrid>|<w:tblGrid/>")
_TBL_TAG = re.compile(r"<w:tbl>|</w:tbl>")
_TABLE_TOKENS = re.compile(r"<w:tbl>|</w:tbl>|<w:tr[ >]|</w:tr>|<w:tc[ >]|<w:tcW\b[^>]*/>|<w:gridSpan\b[^>]*/>")
_GRID_COL = re.compile(r'<w:gridCol\b[^>]*?w:w="(\d+)"[^>]*/>|<w:gridCol\b[^>]*/>')
_ATTR = re.compile(r'w:(\w+)="([^"]*)"')


class MalformedBodyError(ValueError):
    """The rendered body is not well-formed XML (a template tag splits a paragraph or a cell)."""

    def __init__(self, near: str) -> None:
        super().__init__(near)
        self.near = near  # the document's text just before the fault


_BRACES = ("{_{", "}_}", "{_%", "%_}")  # docxtpl turns these into "{{" … after rendering


def xml_text(value: Any) -> Any:
    """Jinja ``finalize``: plain strings lose the characters XML cannot hold; markup (images,
    docxtpl's RichText and Listing) passes as it is.

    A value that holds one of docxtpl's escaped braces ("{_{" …) is escaped here with its
    underscore as a character reference: the brace restoring after rendering must not change
    what a department wrote."""
    if type(value) is not str:  # Markup, a str subclass, is left alone
        return value
    value = xml_safe(value)
    if "_" in value and any(b in value for b in _BRACES):
        escaped = str(escape(value))
        for brace in _BRACES:
            escaped = escaped.replace(brace, brace.replace("_", "&#95;"))
        return Markup(escaped)
    return value


class FastTemplate(DocxTemplate):  # type: ignore[misc]
    """A DocxTemplate whose body is post-processed and written as text."""

    body_xml: bytes | None = None  # the rendered body, UTF-8

    def render(self, context: dict[str, Any], jinja_env: Environment | None = None,
               autoescape: bool = False) -> None:
        self.render_init()
        if autoescape:
            jinja_env = jinja_env or Environment()
            jinja_env.autoescape = True
        body = self.build_xml(context, jinja_env)  # patch, Jinja, resolve_listing (below)
        self.body_xml = renumber_drawings(fix_grids(body), self).encode("utf-8")
        if (near := malformed_near(self.body_xml)) is not None:
            raise MalformedBodyError(near)
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


def malformed_near(data: bytes) -> str | None:
    """None when the body is well-formed XML; else the document's text just before the fault.

    docxtpl parsed the body leniently (recovering from errors); here a broken body is refused."""
    at = safexml.well_formed_error(data)
    if at is None:
        return None
    before = data[max(at - 400, 0):at].decode("utf-8", "ignore")
    text = re.sub(r"<[^>]*>|^[^<]*>|<[^>]*$", " ", before).split()  # tags, and tags cut in two
    return " ".join(text)[-60:]


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
    """Each table's grid made to match its rows, as docxtpl's fix does for column loops, but
    with the cells' own widths: the number of columns is the widest row's (spans counted); the
    widths are those of the first row that fills them with one-column cells that each give a
    width in twips; failing that, when the number changed, the old total width shared equally.
    A tracked change of the grid (``w:tblGridChange``) goes with the old grid."""
    out: list[str] = []
    done = 0
    for start, end, columns in _grids(xml):
        table_end = _table_end(xml, end)
        if table_end is None:
            continue
        grid = _grid_for_shape(columns, _shape(xml, end, table_end))
        if grid is not None:
            out.append(xml[done:start])
            out.append(grid)
            done = end
    out.append(xml[done:])
    return "".join(out)


def _shape(xml: str, start: int, end: int) -> tuple[str, ...]:
    """The tokens that decide a table's grid. A plain table (no spans, no nested table) is
    represented by its first widest row alone, found by counting cells; any other by all."""
    if xml.find("<w:gridSpan", start, end) >= 0 or xml.find("<w:tbl>", start, end) >= 0:
        return tuple(_TABLE_TOKENS.findall(xml, start, end))
    parts = xml[start:end].split("<w:tr")  # each row's cells fall in one part
    counts = [part.count("<w:tc>") + part.count("<w:tc ") for part in parts]
    widest = parts[counts.index(max(counts))]
    return ("<w:tr>", *_TABLE_TOKENS.findall(widest))


def _grids(xml: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, the gridCol part) of every table grid, in order."""
    last_end = 0
    for m in _GRID_START.finditer(xml):
        start = m.start()
        if start < last_end:
            continue  # the old grid inside a tracked change of the grid just taken
        if m.group(0).endswith("/>"):
            yield start, m.end(), ""
            continue
        close = xml.find("</w:tblGrid>", m.end())
        change = xml.find("<w:tblGridChange", m.end(), close if close >= 0 else len(xml))
        if change >= 0:  # the change record holds a grid of its own: the grid ends after it
            after = xml.find("</w:tblGridChange>", change)
            close = xml.find("</w:tblGrid>", after) if after >= 0 else -1
        if close < 0:
            continue
        columns = xml[m.end():change if change >= 0 else close]
        last_end = close + len("</w:tblGrid>")
        yield start, last_end, columns


def _table_end(xml: str, at: int) -> int | None:
    """Where the table whose grid ends at ``at`` closes, nested tables skipped."""
    close = xml.find("</w:tbl>", at)
    if close < 0:
        return None
    if xml.find("<w:tbl>", at, close) < 0:
        return close
    depth = 0
    for tag in _TBL_TAG.finditer(xml, at):
        if tag.group(0) == "<w:tbl>":
            depth += 1
        elif depth == 0:
            return tag.start()
        else:
            depth -= 1
    return None


@lru_cache(maxsize=1024)
def _grid_for_shape(columns: str, tokens: tuple[str, ...]) -> str | None:
    """The new <w:tblGrid> for a table of this shape, or None to keep the old one.

    Tables made from one template block differ in their text only: decided once per shape."""
    rows: list[list[list[int]]] = []  # per top-level row, per cell: [width in twips or 0, span]
    depth = 0
    for tag in tokens:
        if tag == "<w:tbl>":
            depth += 1
        elif tag == "</w:tbl>":
            depth -= 1
        elif depth or tag == "</w:tr>":
            continue
        elif tag.startswith("<w:tr"):
            rows.append([])
        elif not rows:
            continue
        elif tag.startswith("<w:tcW"):
            attrs = dict(_ATTR.findall(tag))
            if rows[-1] and attrs.get("type", "dxa") == "dxa" and attrs.get("w", "").isdigit():
                rows[-1][-1][0] = int(attrs["w"])
        elif tag.startswith("<w:gridSpan"):
            span = dict(_ATTR.findall(tag)).get("val", "1")
            if rows[-1] and span.isdigit() and int(span) > 1:
                rows[-1][-1][1] = int(span)
        else:  # a cell
            rows[-1].append([0, 1])
    count = max((sum(span for _, span in row) for row in rows), default=0)
    if count == 0:
        return None
    old = [int(w) if w else 0 for w in _GRID_COL.findall(columns)]
    new = next(([w for w, _ in row] for row in rows
                if len(row) == count and all(w > 0 and span == 1 for w, span in row)), None)
    if new is None:
        if len(old) == count:
            return None
        total = sum(old)
        new = [total // count] * count if total else []
    if new == old or not new:
        return None
    return "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}"/>' for w in new) + "</w:tblGrid>"


_BODY = re.compile(rb"<w:body\b.*</w:body>|<w:body/>", re.S)


def _with_body(docx: bytes, body: bytes) -> bytes:
    """The saved package with the rendered body put into word/document.xml."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = _BODY.sub(lambda _: body, data, count=1)
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
