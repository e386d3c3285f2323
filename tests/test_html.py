"""The public web edition: built from checked batches through the real code (check → aggregate →
context → figures → html), then read in Debian's headless Chromium with axe-core (WCAG 2.1 A/AA),
the keyboard, and the page structure."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Dialog, Page, sync_playwright

from reporter import api
from reporter.outputs.build import figures, html
from reporter.outputs.build.aggregate import aggregate
from reporter.outputs.build.context import build_context
from tests import corpus
from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
SCRIPT = "<script>alert(1)</script>"
KESENNUMA = ROOT / "examples" / "kesennuma"


@dataclass(frozen=True)
class Site:
    ctx: dict[str, Any]
    figures: dict[str, figures.Figure]
    pages: tuple[Path, ...]  # the HTML pages, the index first


def build_site(master: Path, inbox: Path, out: Path, history: Path | None = None) -> Site:
    outcome = api.check(master, inbox, history=history)
    report = outcome.report
    assert report is not None
    agg = aggregate(report.included, report.master)
    ctx = build_context(report, agg, date(2021, 6, 1), outcome.history)
    drawn = figures.draw(ctx, agg, out / "charts", "svg")
    written = html.write_site(ctx, drawn, out / "site")
    return Site(ctx, drawn, tuple(p for p in written if p.suffix == ".html"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The shipped demo (Sendai's 38 sheets, every policy at the top level)."""
    return build_site(ROOT / "input" / "計画マスタ.xlsx", ROOT / "input", tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def rated(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The Kesennuma example: three levels of policies, indicators, ratings and a year before."""
    out = tmp_path_factory.mktemp("kesennuma")
    history = Path(shutil.copy2(KESENNUMA / "履歴.sqlite3", out / "履歴.sqlite3"))
    return build_site(KESENNUMA / "計画マスタ.xlsx", KESENNUMA / "提出", out, history)


@pytest.fixture(scope="module")
def partial(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The small master, answered with no amounts at all: one department has not returned its
    workbook, one sheet has an error (excluded), one answer carries a script tag."""
    folder = tmp_path_factory.mktemp("partial")
    inbox = folder / "inbox"
    inbox.mkdir()
    for generated in corpus.generate(folder):
        if "社会福祉協議会" in generated.name:
            continue  # not returned: its sheet (P02 under 1-1) is missing
        copy = Path(shutil.copy2(generated, inbox))

        def edit(title: str, values: dict[str, object], social: bool = "社会課" in copy.name) -> None:
            values["F_SETTLED"], values["F_BUDGET"] = 0, 0
            if social and title == "1-1_01":
                values["F_STATUS"] = f"{SCRIPT}を含む記述"
            if social and title == "2-1_01":
                values["F_SETTLED"] = "abc"  # cell.not-a-number: the sheet (P03) is excluded

        corpus.fill(copy, edit)
    return build_site(folder / "master" / "計画マスタ.xlsx", inbox, folder)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.is_file(), "Debian's chromium is needed: apt-get install chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=True)
    opened = context.new_page()
    yield opened
    context.close()


def _url(path: Path) -> str:
    return path.resolve().as_uri()


def _all_pages(*sites: Site) -> list[Path]:
    return [p for site in sites for p in site.pages]


def test_every_page_has_no_wcag_violations(demo: Site, rated: Site, partial: Site, page: Page) -> None:
    found: list[str] = []
    # every page of the demo; of the others, the index and the first policy page (axe's contrast
    # check takes seconds on a long page)
    for path in (*demo.pages, *rated.pages[:2], *partial.pages[:2]):
        page.goto(_url(path))
        result = Axe().run(page, options=WCAG).response
        found.extend(f"{path.parent.parent.name}/{path.name}: {v['id']} at {[n['target'] for n in v['nodes']][:5]}"
                     for v in result["violations"])
    assert found == [], "\n".join(found)


def test_the_keyboard_reaches_every_link_and_the_skip_link_comes_first(demo: Site, rated: Site, page: Page) -> None:
    for path in (*demo.pages[:2], *rated.pages[:2]):
        page.goto(_url(path))
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('href')") == "#main", path.name
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main", path.name

        page.goto(_url(path))
        stops = page.evaluate("document.querySelectorAll('a[href], summary, [tabindex=\"0\"]').length")
        reached: set[int] = set()
        for _ in range(stops + 2):
            page.keyboard.press("Tab")
            reached.add(page.evaluate("[...document.querySelectorAll('a[href]')].indexOf(document.activeElement)"))
            if page.evaluate("document.activeElement.tagName") == "A":  # the focus is drawn
                outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
                assert outline == "solid", path.name
        links = page.evaluate("document.querySelectorAll('a[href]').length")
        assert reached - {-1} == set(range(links)), path.name


STRUCTURE = """() => {
  const problems = [];
  const levels = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1]);
  if (levels.filter(l => l === 1).length !== 1 || levels[0] !== 1) problems.push('h1: ' + levels.join(''));
  levels.forEach((l, i) => { if (i && l > levels[i - 1] + 1) problems.push('jump ' + levels[i - 1] + '>' + l); });
  for (const t of document.querySelectorAll('table')) {
    if (!t.caption || !t.caption.textContent.trim()) problems.push('table without caption');
    for (const th of t.querySelectorAll('th'))
      if (!['col', 'row'].includes(th.getAttribute('scope'))) problems.push('th without scope: ' + th.textContent);
  }
  for (const svg of document.querySelectorAll('svg')) {
    const ids = (svg.getAttribute('aria-labelledby') || '').split(' ');
    const named = ids.map(id => document.getElementById(id));
    if (svg.getAttribute('role') !== 'img' || named.length !== 2 || named.some(e => !e || e.parentNode !== svg
        || !e.textContent.trim()) || named[0].tagName !== 'title' || named[1].tagName !== 'desc')
      problems.push('svg not named by its title and desc: ' + svg.getAttribute('aria-labelledby'));
    if (!svg.closest('figure') || !svg.closest('figure').querySelector('figcaption, table'))
      problems.push('svg without caption or data');
  }
  for (const sel of ['header', 'nav', 'main#main', 'footer'])
    if (!document.querySelector(sel)) problems.push('no ' + sel);
  if (document.documentElement.lang !== 'ja') problems.push('lang');
  if (!document.title.trim()) problems.push('no title');
  if (document.querySelector('a[href]').getAttribute('href') !== '#main') problems.push('skip link not first');
  if (document.querySelectorAll('script').length) problems.push('script element');
  return problems;
}"""


def test_every_page_has_headings_in_order_captioned_tables_and_named_charts(demo: Site, rated: Site, partial: Site,
                                                                            page: Page) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    titles = []
    for path in _all_pages(demo, rated, partial):
        page.goto(_url(path))
        assert page.evaluate(STRUCTURE) == [], path
        titles.append(page.title())
    assert len(set(titles)) == len(titles)  # a title per page
    assert requests and all(url.startswith("file://") for url in requests), [u for u in requests if "file:" not in u]
    assert any(url.endswith("/style.css") for url in requests)


def test_the_charts_are_inline_svg_with_their_data(rated: Site, page: Page) -> None:
    drawn = {name for name, f in rated.figures.items() if f.path is not None}
    assert {"costs", "collaboration", "partners", "targets", "trend", "indicator_K03"} <= drawn
    assert rated.figures["indicator_K01"].path is None  # qualitative: nothing to draw
    page.goto(_url(rated.pages[0]))
    costs = page.locator("#figure-costs")
    assert costs.locator("figcaption").inner_text() == "施策別の事業費（決算額と次年度予算額）"
    assert costs.locator("svg desc").text_content() == rated.figures["costs"].alt
    assert "1 地域で福祉を担う人づくり：決算額 7,944,500" in rated.figures["costs"].alt
    rows = costs.locator("details table tbody tr")
    assert rows.count() == 3
    assert rows.nth(0).locator("td").all_text_contents() == ["7,944,500", "8,738,950"]
    assert rows.nth(0).locator("td").first.evaluate("e => getComputedStyle(e).textAlign") == "right"
    # ids inside the inlined charts are unique on the page (each chart's prefixed with its name)
    ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids))
    text = rated.pages[0].read_text(encoding="utf-8")
    assert "<?xml" not in text and "<!DOCTYPE svg" not in text and "<metadata" not in text


def test_each_policy_page_holds_its_subtree_projects_and_indicators(rated: Site, page: Page) -> None:
    top = [p for p in rated.ctx["policies"] if p["depth"] == 0]
    assert len(rated.pages) == 1 + len(top)
    page.goto(_url(rated.pages[1]))
    assert page.locator("h1").inner_text() == f"{top[0]['level']} {top[0]['code']}　{top[0]['name']}"
    headings = page.locator("h2, h3").all_inner_texts()
    assert any(h.endswith("1-1　地域福祉学習の推進") for h in headings)
    assert not any(" 2-1　" in h for h in headings)  # the next top-level policy has its own page
    entries = [e for p in rated.ctx["policies"] if p["code"].startswith("1-") for e in p["entries"]]
    assert page.locator("article.project").count() == len(entries)
    assert page.locator("table.indicators tbody tr").count() == sum(
        len(p["indicators"]) for p in rated.ctx["policies"] if p["code"] == "1" or p["code"].startswith("1-"))
    k03 = page.locator("table.indicators tr", has_text="K03").locator("td").all_inner_texts()
    assert k03[:4] == ["8,000人（H30）", "－", "8,450人", "8,750人"]
    assert page.locator("#figure-indicator_K03 svg[role=img]").count() == 1


def test_the_public_edition_shows_no_checking_notes_and_says_what_is_missing(partial: Site, page: Page) -> None:
    texts = []
    for path in partial.pages:
        page.goto(_url(path))
        text = page.evaluate("document.body.innerText")
        texts.append(text)
        assert "速報" in text and "自己評価シート 2 枚がまだ集計に含まれていません" in text  # 1 missing + 1 excluded
    everything = "\n".join(texts)
    for internal in ("除外", "使用できなかった", "二重", "自己評価シート_", ".xlsx", "数値ではありません",
                     "相談窓口の運営",  # P03: only on the excluded sheet
                     "社会福祉協議会"):  # the department that has not returned its workbook is not listed
        assert internal not in everything, internal
    assert not re.search(r"\b(batch|cell|file|form|sheet|cross|indicator|rating)\.[a-z-]+", everything)
    page.goto(_url(partial.pages[1]))  # policy 1: P02's sheet under 1-1 is missing
    assert page.locator("p.missing").inner_text().startswith("未提出 1 件")
    page.goto(_url(partial.pages[2]))  # policy 2: P03's sheet under 2-1 has an error
    assert page.locator("p.missing").inner_text().startswith("確認中 1 件")


def test_submission_text_is_escaped(partial: Site, page: Page) -> None:
    dialogs: list[str] = []

    def opened(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", opened)
    source = partial.pages[1].read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;を含む記述" in source and SCRIPT not in source
    page.goto(_url(partial.pages[1]))
    assert SCRIPT in page.evaluate("document.body.innerText")
    assert page.locator("script").count() == 0 and dialogs == []


def test_a_chart_with_only_zeros_is_not_drawn_and_its_table_is_shown(partial: Site, page: Page) -> None:
    assert partial.figures["costs"].path is None  # every amount is zero
    assert partial.figures["trend"].path is None and partial.figures["trend"].rows == ()  # no year before
    assert partial.figures["targets"].path is not None
    page.goto(_url(partial.pages[0]))
    costs = page.locator("#figure-costs")
    assert costs.locator("svg").count() == 0
    assert costs.locator("table tbody tr").first.locator("td").all_inner_texts() == ["0", "0"]
    assert page.locator("#figure-trend").count() == 0
