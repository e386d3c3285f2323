"""The public edition of the report as a static, self-contained web site (JIS X 8341-3 / WCAG 2.1 AA).

An index page (the summary and the contents) and one page per top-level policy; a style sheet
beside them; the charts inlined as SVG with their title, description and data. Nothing is
fetched from the network. Only what the public may read is shown: no checking notes (excluded
sheets, unusable files, shared budgets) and no issue codes. Text from the submissions is escaped
(autoescape, never marked safe); only the SVG that matplotlib drew is inserted as markup, after
it has been parsed and rewritten here."""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeET
import jinja2
from markupsafe import Markup

from reporter import atomic
from reporter.outputs.build.figures import Figure

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("xlink", XLINK_NS)
STYLE_SHEET = "style.css"
_URL_REF = re.compile(r"url\(#([^)]+)\)")


@functools.lru_cache(maxsize=4)
def _environment(own: Path | None) -> jinja2.Environment:
    """The pages' templates: the office's own (templates/html/, any of base.html, index.html,
    policy.html, macros.html, style.css) before the ones shipped in the package."""
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(own))] if own is not None else []
    env = jinja2.Environment(loader=jinja2.ChoiceLoader([*loaders, jinja2.PackageLoader("reporter", "data/html")]),
                             autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = lambda value: f"{value:,}" if isinstance(value, int) else value
    return env


@dataclass(frozen=True)
class Page:
    file: str
    title: str
    policies: tuple[dict[str, Any], ...]  # the top-level policy first, then those below it in tree order


def write_site(ctx: Mapping[str, Any], figures: Mapping[str, Figure], folder: Path,
               own: Path | None = None) -> tuple[Path, ...]:
    """Write index.html, one page per top-level policy and the style sheet into ``folder``; all
    are replaced together, or none. ``own``: the office's templates/html folder, whose pages
    replace the shipped ones. Returns the paths written, the index first."""
    env = _environment(own)
    pages = _pages(ctx["policies"])
    charts = {name: _chart(figure) for name, figure in figures.items()}
    common = {**ctx, "pages": pages, "charts": charts, "not_included": ctx["counts"]["not_included"]}
    texts = {"index.html": env.get_template("index.html").render(common, current="index.html")}
    for page in pages:
        texts[page.file] = env.get_template("policy.html").render(common, current=page.file, page=page)
    css = own / STYLE_SHEET if own is not None else None
    texts[STYLE_SHEET] = (css.read_text(encoding="utf-8") if css is not None and css.is_file() else
                          resources.files("reporter").joinpath("data/html", STYLE_SHEET).read_text(encoding="utf-8"))
    targets = tuple(folder / name for name in texts)
    with atomic.atomic_paths(*targets) as temps:
        for tmp, text in zip(temps, texts.values(), strict=True):
            tmp.write_text(text, encoding="utf-8")
    return targets


def _pages(policies: Sequence[Mapping[str, Any]]) -> list[Page]:
    """One page per top-level policy; each policy carries ``rank`` (its heading level on the page,
    1 for the page's own) and an ``anchor``."""
    groups: list[list[dict[str, Any]]] = []
    for n, policy in enumerate(policies, start=1):
        if policy["depth"] == 0 or not groups:
            groups.append([])
        top = groups[-1][0]["depth"] if groups[-1] else policy["depth"]
        rank = min(policy["depth"] - top + 1, 5)  # leaves h6 for the projects at the deepest level
        # missing: not returned; pending: returned with errors, being checked (neither in the report)
        groups[-1].append({**policy, "rank": rank, "anchor": f"policy-{n}",
                           "title": f"{policy.get('level') or ''} {policy['code']}　{policy['name']}".strip()})
    return [Page(f"policy-{i}.html", f"{g[0]['code']}　{g[0]['name']}", tuple(g)) for i, g in enumerate(groups, 1)]


def _chart(figure: Figure) -> dict[str, Any]:
    """What the templates show of a figure: its inline SVG (None when not drawn) and its table."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", figure.name)
    # an indicator ID in Japanese would lose its letters: a checksum keeps the ids apart
    ident = f"figure-{safe}" if safe == figure.name else f"figure-{safe}-{zlib.crc32(figure.name.encode()):08x}"
    svg = None
    if figure.path is not None:
        if figure.path.suffix.lower() != ".svg":
            raise ValueError(f"the web edition inlines SVG charts; {figure.path.name} is not one (draw with 'svg')")
        svg = inline_svg(figure.path.read_bytes(), ident, figure.title, figure.alt)
    return {"id": ident, "title": figure.title, "alt": figure.alt, "columns": figure.columns, "rows": figure.rows,
            "svg": svg}


def inline_svg(data: bytes, ident: str, title: str, desc: str) -> Markup:
    """matplotlib's SVG made fit to sit inside a page: no XML declaration, DOCTYPE, metadata or
    global style; ids made unique on the page (``ident`` as prefix; ids nothing refers to
    dropped); scalable; role="img" named by a <title> and a <desc>."""
    root = SafeET.fromstring(data)
    for parent in [root, *root.iter(f"{{{SVG_NS}}}defs")]:
        for child in list(parent):
            if child.tag in (f"{{{SVG_NS}}}metadata", f"{{{SVG_NS}}}style"):
                parent.remove(child)
    _prefix_ids(root, ident)
    root.attrib.pop("width", None)  # the page's style sheet scales it to the column
    root.attrib.pop("height", None)
    root.attrib.pop("version", None)
    # What the dropped style sheet said (``*{stroke-linejoin: round; stroke-linecap: butt}``), inherited.
    root.attrib.update({"stroke-linejoin": "round", "stroke-linecap": "butt", "role": "img",
                        "aria-labelledby": f"{ident}-title {ident}-desc"})
    for at, (tag, text) in enumerate((("title", title), ("desc", desc))):
        element = ET.Element(f"{{{SVG_NS}}}{tag}", {"id": f"{ident}-{tag}"})
        element.text = text
        root.insert(at, element)
    # Written with plain tag names (ElementTree's default_namespace refuses unprefixed attributes).
    for element in root.iter():
        element.tag = element.tag.removeprefix(f"{{{SVG_NS}}}")
    root.set("xmlns", SVG_NS)
    return Markup(ET.tostring(root, encoding="unicode"))


def _prefix_ids(root: ET.Element, ident: str) -> None:
    href = f"{{{XLINK_NS}}}href"
    referenced: set[str] = set()
    for element in root.iter():
        for name, value in element.attrib.items():
            if name in (href, "href") and value.startswith("#"):
                referenced.add(value[1:])
            referenced.update(_URL_REF.findall(value))
    for element in root.iter():
        if "id" in element.attrib:
            own = element.attrib.pop("id")
            if own in referenced:
                element.set("id", f"{ident}-{own}")
        for name, value in list(element.attrib.items()):
            if name in (href, "href") and value.startswith("#"):
                element.set(name, f"#{ident}-{value[1:]}")
            elif "url(#" in value:
                element.set(name, _URL_REF.sub(lambda m: f"url(#{ident}-{m.group(1)})", value))
