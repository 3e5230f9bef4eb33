"""The built HTML book in a real browser: Playwright driving Debian's Chromium.

Every page is served from ``_build/html`` (or ``$SHIZHONG_HTML``) by a local HTTP server and
must load with no request leaving 127.0.0.1, no console or page error, and every chart drawn
by Vega. The chapters are screenshotted to ``_build/screenshots/``. The data downloads, the
PDF edition and a chart tooltip are checked too.

Readers on every device: every chart fits its column at 375, 768 and 1280 px (screenshots
``<page>-<width>.png``), no page overflows at 320 px, axe-core finds no violation (WCAG 2.0
and 2.1 A and AA, best practice) on any page in light and dark mode, every focusable element
shows focus, each chart's data table opens from the keyboard, mark and text colours are
measured on screen in both themes and after toggling the theme, Chinese text carries
``lang="zh-CN"``, and the heaviest page stays within its byte budget.

Both editions: every page test runs on the English pages and on the Chinese edition's
(``zh/``), and searching the Chinese search page for 招商引资, 人才, 税收, 市中区 or 双招双引 finds
exactly the pages whose Chinese text holds the word (Sphinx segments Chinese with jieba).

`make test` builds the book first; with no build these tests fail (they do not skip).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import yaml
from playwright.sync_api import Browser, BrowserContext, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from shizhong_pytest.site import chromium, is_local, local_only, serve, toc_files

from .conftest import DATA, ROOT, nonempty

pytestmark = [pytest.mark.browser]

HTML = Path(os.environ.get("SHIZHONG_HTML") or ROOT / "_build" / "html").resolve()
SHOTS = HTML.parent / "screenshots"
CHART_TIMEOUT_MS = 10_000
MIN_CHARTS = 12
MIN_LABEL = 20
PDF_NAME = "shizhong-2019.pdf"
CHART = 'class="shizhong-chart"'


def _chapter_pages() -> list[str]:
    """The book's pages: those in ``_toc.yml`` (so a missing build still yields tests that
    fail) and every ``notebooks/*.html`` actually built."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = {f"{Path(f).with_suffix('')}.html" for f in toc_files(toc)}
    pages |= {f"notebooks/{p.name}" for p in (HTML / "notebooks").glob("*.html")}
    return sorted(pages) + sorted(f"{ZH}{p}" for p in pages)  # and the Chinese edition's


#: Where the Chinese edition is, under the English one.
ZH = "zh/"
CHAPTERS = nonempty(_chapter_pages(), "pages in _toc.yml")
PAGES = [*CHAPTERS, "genindex.html", "search.html", f"{ZH}genindex.html", f"{ZH}search.html"]

# Per chart container: its accessible name and how many data marks vega drew in it
# (marks of role "mark", not axes, legends or titles).
CHART_STATE_JS = """() => Array.from(document.querySelectorAll('.shizhong-chart'), c => ({
  id: c.id,
  role: c.getAttribute('role'),
  label: (c.getAttribute('aria-label') || '').trim(),
  svg: c.querySelector('.shizhong-chart-view svg') !== null,
  marks: c.querySelectorAll('.shizhong-chart-view svg g.role-mark > *').length,
}))"""
ALL_DRAWN_JS = """() => Array.from(document.querySelectorAll('.shizhong-chart')).every(
  c => c.querySelector('.shizhong-chart-view svg g.role-mark > *') !== null)"""


# --- the local server and the browser ---------------------------------------------------


@pytest.fixture(scope="session")
def html_root() -> Path:
    if not (HTML / "index.html").is_file():
        pytest.fail(f"no built book at {HTML}/index.html: run `make html` first", pytrace=False)
    return HTML


@pytest.fixture(scope="session")
def base_url(html_root: Path) -> Iterator[str]:
    """``http://127.0.0.1:<port>/`` serving the build (one server per xdist worker)."""
    with serve(html_root) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with chromium() as opened:
        yield opened


def _new_context(browser: Browser, **options: object) -> BrowserContext:
    context = browser.new_context(**options)  # type: ignore[arg-type]
    context.route("**/*", local_only)
    return context


@pytest.fixture(scope="module")
def context(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    ctx = _new_context(browser)
    try:
        yield ctx
    finally:
        ctx.close()


@dataclass
class Watch:
    """What a page did: every request URL, console errors and uncaught page errors."""

    requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        out = [f"request leaves 127.0.0.1: {u}" for u in self.requests if not is_local(u)]
        out += [f"console error: {m}" for m in self.console]
        out += [f"page error: {e}" for e in self.errors]
        return out


def _watch(page: Page) -> Watch:
    seen = Watch()
    page.on("request", lambda r: seen.requests.append(r.url))

    def console(msg: object) -> None:
        if msg.type == "error":  # type: ignore[attr-defined]
            where = msg.location or {}  # type: ignore[attr-defined]
            text = msg.text if len(msg.text) <= 600 else msg.text[:600] + " […]"
            seen.console.append(f"{text} (at {where.get('url', '?')})")  # type: ignore[attr-defined]

    page.on("console", console)
    page.on("pageerror", lambda e: seen.errors.append(str(e)))
    return seen


def _open(context: BrowserContext, url: str) -> tuple[Page, Watch]:
    page = context.new_page()
    seen = _watch(page)
    page.goto(url, wait_until="load")
    return page, seen


def _wait_for_charts(page: Page) -> list[dict]:
    """Wait (up to 10 s) until every chart has data marks; return each chart's state."""
    if page.locator(".shizhong-chart").count():
        with contextlib.suppress(PlaywrightTimeout):  # reported below, chart by chart
            page.wait_for_function(ALL_DRAWN_JS, timeout=CHART_TIMEOUT_MS)
    return page.evaluate(CHART_STATE_JS)


def _chart_problems(charts: list[dict]) -> list[str]:
    out = []
    for c in charts:
        name = c["id"] or "(no id)"
        if c["marks"] == 0:
            drawn = "an svg without data marks" if c["svg"] else "no svg"
            out.append(f"chart {name} not rendered: {drawn} after {CHART_TIMEOUT_MS} ms")
        if c["role"] != "img":
            out.append(f"chart {name}: role={c['role']!r}, expected 'img'")
        if len(c["label"]) < MIN_LABEL:
            out.append(f"chart {name}: aria-label too short ({c['label']!r})")
    drawn = sum(c["marks"] > 0 for c in charts)
    if drawn != len(charts):
        out.append(f"{drawn} of {len(charts)} charts rendered")
    return out


def _report(name: str, problems: list[str]) -> str:
    return f"{name}:\n  " + "\n  ".join(problems)


# --- every page -------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_cleanly(name: str, context: BrowserContext, base_url: str) -> None:
    """Local requests only, no console or page error, every chart drawn; a screenshot."""
    page, seen = _open(context, base_url + name)
    try:
        charts = _wait_for_charts(page)
        if "notebooks/" in name:
            SHOTS.mkdir(parents=True, exist_ok=True)
            prefix = "zh-" if name.startswith(ZH) else ""
            page.screenshot(path=SHOTS / f"{prefix}{Path(name).stem}.png", full_page=True)
        page.wait_for_load_state("networkidle")  # late requests and errors count too
        problems = seen.problems() + _chart_problems(charts)
    finally:
        page.close()
    assert not problems, _report(name, problems)


def test_root_redirects_to_landing_page(context: BrowserContext, base_url: str) -> None:
    """``/index.html`` (written by Jupyter Book) forwards to the landing page, cleanly."""
    page, seen = _open(context, base_url + "index.html")
    try:
        page.wait_for_url("**/notebooks/index.html", timeout=5_000)
        page.wait_for_load_state("networkidle")
        problems = seen.problems()
    finally:
        page.close()
    assert not problems, _report("index.html", problems)


def test_economy_in_dark_mode(browser: Browser, base_url: str) -> None:
    """The economy chapter follows a dark system theme; its charts still draw."""
    ctx = _new_context(browser, color_scheme="dark")
    try:
        page, seen = _open(ctx, base_url + "notebooks/economy.html")
        charts = _wait_for_charts(page)
        theme = page.evaluate("document.documentElement.dataset.theme")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / "economy-dark.png", full_page=True)
        problems = seen.problems() + _chart_problems(charts)
    finally:
        ctx.close()
    assert theme == "dark", f"data-theme is {theme!r} under a dark colour scheme"
    assert charts, "no chart on the economy page"
    assert not problems, _report("economy.html (dark)", problems)


# --- links and interaction --------------------------------------------------------------


def _fetch(page: Page, url: str) -> tuple[int, bytes]:
    response = page.request.get(url)
    try:
        return response.status, response.body()
    finally:
        response.dispose()


def test_data_downloads_resolve(context: BrowserContext, base_url: str) -> None:
    """The data dictionary links every CSV and the datapackage, served byte for byte."""
    page, _ = _open(context, base_url + "notebooks/data-dictionary.html")
    try:
        urls = page.eval_on_selector_all(
            'a.download, a[href*="_downloads/"]', "links => links.map(a => a.href)"
        )
        urls = sorted(set(urls))
        names = {Path(urlsplit(u).path).name for u in urls}
        expected = {p.name for p in DATA.glob("*.csv")} | {"datapackage.json"}
        assert not expected - names, f"no download link for {sorted(expected - names)}"
        bad = []
        for url in urls:
            status, body = _fetch(page, url)
            source = DATA / Path(urlsplit(url).path).name
            if status != 200 or not body:
                bad.append(f"{url}: HTTP {status}, {len(body)} bytes")
            elif source.suffix == ".csv" and source.is_file() and body != source.read_bytes():
                bad.append(f"{url}: differs from data/{source.name}")
    finally:
        page.close()
    assert not bad, "\n".join(bad)


def test_pdf_edition_link_resolves(context: BrowserContext, base_url: str) -> None:
    page, _ = _open(context, base_url + "notebooks/index.html")
    try:
        links = page.locator(".shizhong-pdf a")
        assert links.count() >= 1, "no PDF edition link (.shizhong-pdf a) in the sidebar"
        url = links.first.evaluate("a => a.href")
        status, body = _fetch(page, url)
    finally:
        page.close()
    assert status == 200, (
        f"{url}: HTTP {status}; the PDF is missing beside the HTML: run `make book` "
        f"(the HTML build copies _build/pdf/{PDF_NAME} beside the pages)"
    )
    assert body.startswith(b"%PDF"), f"{url} is not a PDF: {body[:40]!r}"


CJK_RUN = re.compile(r"[\u4e00-\u9fff]{8,}")


def test_chart_tooltip_on_hover(context: BrowserContext, base_url: str) -> None:
    """Hovering a bar shows the tooltip: English and Chinese labels and the quote."""
    page, _ = _open(context, base_url + "notebooks/economy.html")
    try:
        bar = page.locator(".shizhong-chart svg .mark-rect path").first
        bar.wait_for(state="attached", timeout=CHART_TIMEOUT_MS)
        bar.scroll_into_view_if_needed()
        box = bar.bounding_box()
        assert box, "the first bar has no bounding box"
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        tooltip = page.locator("#vg-tooltip-element")
        tooltip.wait_for(state="visible", timeout=5_000)
        text = tooltip.inner_text()
    finally:
        page.close()
    assert re.search(r"[A-Za-z]{3,}", text), f"no English in the tooltip: {text!r}"
    assert "亿元" in text, f"no unit 亿元 in the tooltip: {text!r}"
    assert CJK_RUN.search(text), f"no Chinese quote in the tooltip: {text!r}"


# --- the files themselves (no browser) --------------------------------------------------


def test_enough_charts(html_root: Path) -> None:
    counts = {
        p.name: p.read_text(encoding="utf-8").count(CHART)
        for p in sorted((html_root / "notebooks").glob("*.html"))
    }
    assert sum(counts.values()) >= MIN_CHARTS, f"only {sum(counts.values())} charts: {counts}"


# Tags and CSS that make the browser fetch something. Hyperlinks (<a href>) are not requests.
_EXTERNAL_HTML = [
    re.compile(r"<(?:script|img|iframe|source|audio|video|embed|track)\b[^>]*?\bsrc(?:set)?=[\"']?"
               r"(?:https?:)?//", re.IGNORECASE),
    re.compile(r"<link\b(?=[^>]*\brel=[\"']?[^\"'>]*\b(?:stylesheet|preload|modulepreload|"
               r"prefetch|preconnect|dns-prefetch|icon|manifest)\b)[^>]*\bhref=[\"']?"
               r"(?:https?:)?//", re.IGNORECASE),
    re.compile(r"<object\b[^>]*\bdata=[\"']?(?:https?:)?//", re.IGNORECASE),
]  # fmt: skip
_EXTERNAL_CSS = [
    re.compile(r"url\(\s*[\"']?(?:https?:)?//", re.IGNORECASE),
    re.compile(r"@import\s+[\"'](?:https?:)?//", re.IGNORECASE),
]


def _scan(paths: list[Path], patterns: list[re.Pattern[str]], root: Path) -> list[str]:
    hits = []
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        for pattern in patterns:
            for m in pattern.finditer(text):
                snippet = text[m.start() : m.end() + 60].replace("\n", " ")
                hits.append(f"{path.relative_to(root)}: {snippet}")
    return hits


def test_no_external_assets_in_files(html_root: Path) -> None:
    """No page, stylesheet or script pulls a script, style, image or font from outside."""
    files = [p for p in html_root.rglob("*") if p.is_file() and "_sources" not in p.parts]
    pages = [p for p in files if p.suffix == ".html"]
    styles = [p for p in files if p.suffix == ".css"]
    scripts = [p for p in files if p.suffix == ".js"]
    hits = _scan(pages, _EXTERNAL_HTML + _EXTERNAL_CSS, html_root)  # inline <style> too
    hits += _scan(styles, _EXTERNAL_CSS, html_root)
    hits += _scan(scripts, _EXTERNAL_HTML + _EXTERNAL_CSS[1:], html_root)  # injected tags
    assert pages and styles, f"nothing to scan in {html_root}"
    assert not hits, "external assets:\n" + "\n".join(hits)


def _declares_icon(text: str) -> bool:
    return re.search(r"<link\b[^>]*\brel=[\"']?[^\"'>]*\bicon\b", text, re.IGNORECASE) is not None


def test_every_page_has_a_favicon(html_root: Path) -> None:
    """Every page declares ``<link rel="icon">`` (the redirect page too), so no browser
    falls back to fetching ``/favicon.ico``; that file is still served for other clients."""
    assert (html_root / "favicon.ico").is_file(), "no /favicon.ico in the build"
    missing = [
        str(p.relative_to(html_root))
        for p in sorted(html_root.rglob("*.html"))
        if not {"_sources", "_static"} & set(p.parts)
        and not _declares_icon(p.read_text(encoding="utf-8"))
    ]
    assert not missing, f"no <link rel='icon'> in: {missing}"


def test_search_page_finds_the_chapters(context: BrowserContext, base_url: str) -> None:
    """The search index loads only on search.html; searching there still works."""
    page, seen = _open(context, f"{base_url}/search.html?q=subscribed+capital")
    page.wait_for_selector("#search-results li", timeout=10_000)
    assert page.locator("#search-results li").count() >= 1
    assert not seen.console and not seen.errors, seen.console + seen.errors
    page.close()


#: Chinese search terms: words of the prose (招商引资, 税收), of the data (人才) and of the
#: citations (市中区, in the bibliography's titles), and a term of the article that jieba
#: alone cuts apart (双招双引: the glossary's terms are its words, shizhong.sphinxext.search).
ZH_SEARCH_TERMS = ["招商引资", "人才", "税收", "市中区", "双招双引"]
#: Sphinx's search page has finished when it has written its summary line.
SEARCH_DONE_JS = """() => {
  const summary = document.querySelector('#search-results p.search-summary');
  return summary !== null && summary.innerText.trim() !== '';
}"""


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _chinese_edition_text(page: str) -> str:
    """What the Chinese edition shows of a page of ``_toc.yml``, read from its sources, not
    from the build: a notebook's Markdown cells and outputs (glued values, tables, charts)
    that the Chinese edition keeps; a Markdown page's Chinese twin, and for the page that
    prints the bibliography, the entries of ``references.bib``."""
    from shizhong.sphinxext.editions import filter_notebook

    path = ROOT / page
    if path.with_suffix(".ipynb").is_file():
        nb = filter_notebook(json.loads(path.with_suffix(".ipynb").read_text("utf-8")), "zh")
        parts = []
        for cell in nb["cells"]:
            if cell["cell_type"] == "markdown":
                parts.append("".join(cell["source"]))
            parts += [s for out in cell.get("outputs", []) for s in _strings(out.get("data", {}))]
        return "\n".join(parts)
    text = path.with_suffix(".zh.md").read_text(encoding="utf-8")
    if "{bibliography}" in text:
        text += (ROOT / "references.bib").read_text(encoding="utf-8")
    return text


@pytest.mark.parametrize("term", ZH_SEARCH_TERMS)
def test_chinese_search_finds_the_chapters_that_hold_the_term(
    term: str, context: BrowserContext, base_url: str
) -> None:
    """The Chinese edition's search page (Sphinx, with jieba segmenting Chinese) returns
    exactly the pages whose Chinese text holds the term, as read from the notebooks' Chinese
    cells and outputs."""
    toc = yaml.safe_load((ROOT / "_toc.zh.yml").read_text(encoding="utf-8"))
    expected = {Path(page).name for page in toc_files(toc) if term in _chinese_edition_text(page)}
    assert expected, f"no page of the Chinese edition holds {term}"
    page, seen = _open(context, f"{base_url}{ZH}search.html?q={quote(term)}")
    try:
        page.wait_for_function(SEARCH_DONE_JS, timeout=10_000)
        hrefs = page.eval_on_selector_all(
            "#search-results li a", "els => els.map(e => e.getAttribute('href'))"
        )
    finally:
        page.close()
    found = {m.group(1) for h in hrefs if (m := re.search(r"notebooks/([\w-]+)\.html", h))}
    assert found == expected, (term, sorted(found), sorted(expected))
    assert not seen.console and not seen.errors, seen.console + seen.errors


def test_the_chinese_search_index_is_segmented(html_root: Path) -> None:
    """Words from inside the Chinese text (not only titles) are in the index: jieba ran."""
    text = (html_root / ZH / "searchindex.js").read_text(encoding="utf-8")
    terms = json.loads(text.removeprefix("Search.setIndex(").removesuffix(")"))["terms"]
    for word in ("招商", "认缴", "税收", "人才"):
        assert word in terms, word


# --- readers on every device (issue: charts fit, accessibility, dark mode, data) ---------

#: Phone, tablet, desktop (screenshots at each), and the narrowest and widest widths the
#: book promises to fit.
WIDTHS = (375, 768, 1280, 320, 1440)
NARROWEST = 320
#: A chart may be scaled down (SVG viewBox) to fit only a little: its 12 px text stays
#: at least 10 px on screen.
MIN_SCALE = 0.83
#: The heaviest page (HTML and everything it loads) must not grow past this: its weight when
#: the budget was set (1,430,894 B), plus the citation metadata every page now carries for
#: reference managers (citation_* and DC.* meta tags, schema.org JSON-LD: 2,276 B measured).
MAX_PAGE_BYTES = 1_430_894 + 2_400
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
#: (rule id, CSS selector, why): the only axe results the book accepts, each scoped to the
#: elements it names. Empty: every rule passes on every page.
AXE_EXCEPTIONS: tuple[tuple[str, str, str], ...] = ()


def _chart_pages() -> list[str]:
    """The built pages that hold a chart, in both editions; none is a failure (a test over
    them would check nothing). Read when a test runs: with no build, collection still works."""
    return nonempty(
        (
            name
            for name in CHAPTERS
            if (HTML / name).is_file() and CHART in (HTML / name).read_text(encoding="utf-8")
        ),
        "built page with charts",
    )


FITTED_JS = """() => Array.from(document.querySelectorAll('.shizhong-chart')).every(
  c => c.dataset.fitted === String(Math.floor(c.clientWidth)))"""
# Per chart: the column, the chart box and its SVG (drawn size and size on screen).
FIT_JS = """() => Array.from(document.querySelectorAll('.shizhong-chart'), c => {
  const svg = c.querySelector('svg');
  const figure = c.closest('.shizhong-chart-figure');
  const column = figure.parentElement.getBoundingClientRect();
  const box = c.getBoundingClientRect();
  const drawn = svg ? svg.getBoundingClientRect() : null;
  return {
    id: c.id,
    column: [column.left, column.right],
    box: [box.left, box.right],
    svg: drawn ? [drawn.left, drawn.right] : null,
    scale: drawn ? drawn.width / parseFloat(svg.getAttribute('width')) : 0,
    scrolls: c.scrollWidth > c.clientWidth + 1 || figure.scrollWidth > figure.clientWidth + 1,
    // Vega cuts a text longer than its limit short with an ellipsis: every line of every
    // label, title and legend entry drawn, read back.
    cut: Array.from(c.querySelectorAll('svg text'), t =>
      t.querySelector('tspan') ? Array.from(t.querySelectorAll('tspan'), s => s.textContent)
                               : [t.textContent]).flat().filter(s => s.includes('\u2026')),
  };
})"""


def _context(browser: Browser, width: int = 1280, scheme: str = "light") -> BrowserContext:
    return _new_context(browser, viewport={"width": width, "height": 900}, color_scheme=scheme)  # type: ignore[arg-type]


def _wait_for_fit(page: Page) -> None:
    """Every chart drawn and fitted to its current column width."""
    _wait_for_charts(page)
    with contextlib.suppress(PlaywrightTimeout):  # reported by the caller's checks
        page.wait_for_function(FITTED_JS, timeout=CHART_TIMEOUT_MS)


@pytest.mark.parametrize("width", WIDTHS)
def test_charts_fit_their_column(width: int, browser: Browser, base_url: str) -> None:
    """At 320 to 1440 px every chart lies inside its column, nothing clipped and no
    scrolling, and is at most slightly scaled down; no label, title or legend entry is cut
    short with an ellipsis (in both editions); screenshots at each width."""
    ctx = _context(browser, width)
    problems = []
    try:
        for name in _chart_pages():
            page, seen = _open(ctx, base_url + name)
            _wait_for_fit(page)
            charts = page.evaluate(FIT_JS)
            SHOTS.mkdir(parents=True, exist_ok=True)
            # zh/notebooks/economy.html -> zh-economy-375.png: the editions keep their own shots
            shot = name.removesuffix(".html").replace("notebooks/", "").replace("/", "-")
            page.screenshot(path=SHOTS / f"{shot}-{width}.png", full_page=True)
            problems += [f"{name}: {p}" for p in seen.problems()]
            for c in charts:
                where = f"{name} {c['id']} at {width} px"
                left, right = c["column"]
                if c["svg"] is None:
                    problems.append(f"{where}: not drawn")
                    continue
                if c["box"][0] < left - 0.5 or c["box"][1] > right + 0.5:
                    problems.append(f"{where}: box {c['box']} outside column {c['column']}")
                if c["svg"][0] < c["box"][0] - 0.5 or c["svg"][1] > c["box"][1] + 0.5:
                    problems.append(f"{where}: SVG {c['svg']} clipped by its box {c['box']}")
                if c["scrolls"]:
                    problems.append(f"{where}: scrolls inside the chart")
                if c["cut"]:
                    problems.append(f"{where}: labels cut short with an ellipsis: {c['cut']}")
                if c["scale"] < MIN_SCALE:
                    problems.append(f"{where}: scaled to {c['scale']:.2f} (text too small)")
            page.close()
    finally:
        ctx.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", PAGES)
def test_no_horizontal_overflow_at_320_px(name: str, browser: Browser, base_url: str) -> None:
    """No page is wider than a 320 px screen (long hashes wrap, charts fit)."""
    ctx = _context(browser, NARROWEST)
    try:
        page, _ = _open(ctx, base_url + name)
        _wait_for_fit(page)
        wide = page.evaluate(
            """(limit) => [document.documentElement.scrollWidth,
              Array.from(document.querySelectorAll('.bd-article *'))
                .filter(e => e.getBoundingClientRect().right > limit + 0.5
                  && getComputedStyle(e).position !== 'fixed'
                  && !e.closest('.pst-scrollable-table-container, .table-wrapper, pre'))
                .slice(0, 5).map(e => e.tagName + '.' + e.className)]""",
            NARROWEST,
        )
    finally:
        ctx.close()
    assert wide[0] <= NARROWEST, f"{name}: page is {wide[0]} px wide at 320 px: {wide[1]}"


def _excepted(rule: str, target: list[str]) -> bool:
    return any(rule == r and selector in " ".join(target) for r, selector, _ in AXE_EXCEPTIONS)


def _axe_violations(page: Page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    # Every rule of AXE_TAGS runs; only the violations come back whole (passes are not listed
    # node by node, which takes axe more than half of its time on the longest pages).
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    return [
        f"{v['id']} ({v['impact']}): {n['html'][:160]}"
        for v in results.response["violations"]
        for n in v["nodes"]
        if not _excepted(v["id"], n["target"])
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", ["index.html", *PAGES])
def test_axe_finds_no_violation(name: str, scheme: str, browser: Browser, base_url: str) -> None:
    """axe-core (WCAG 2.0/2.1 A and AA, best practice): no violation on any page, in light
    and dark mode, at desktop and phone widths; the root redirect page is checked as is."""
    problems = []
    for width in (1280, 375):
        ctx = _context(browser, width, scheme)
        try:
            page = ctx.new_page()
            if name == "index.html":  # the redirect page itself: its target is not loaded
                # 204 No Content: the browser stays on the redirect page
                page.route("**/notebooks/index.html", lambda route: route.fulfill(status=204))
                page.goto(base_url + name, wait_until="load")
                page.wait_for_timeout(300)
            else:
                page.goto(base_url + name, wait_until="load")
                _wait_for_fit(page)
                theme = page.evaluate("document.documentElement.dataset.theme")
                assert theme == scheme, f"{name}: theme {theme!r} under {scheme} colour scheme"
            problems += [f"{width} px: {v}" for v in _axe_violations(page)]
        finally:
            ctx.close()
    assert not problems, _report(f"{name} ({scheme})", problems)


@pytest.mark.parametrize(("edition", "lang"), [("", "en"), (ZH, "zh-CN")])
def test_redirect_page_has_language_and_title(edition: str, lang: str, html_root: Path) -> None:
    text = (html_root / edition / "index.html").read_text(encoding="utf-8")
    assert re.search(rf'<html lang="{lang}"', text), "redirect page without lang"
    assert re.search(r"<title>[^<]{8,}</title>", text), "redirect page without a title"


# Every element that takes keyboard focus, in Tab order, and whether it shows focus.
FOCUS_JS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) { return null; }
  const s = getComputedStyle(e);
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)
    || (s.boxShadow && s.boxShadow !== 'none');
  return {what: e.tagName + (e.id ? '#' + e.id : '') + '.' + (e.className || '') +
    ' ' + (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 40),
    ring: ring};
}"""


@pytest.mark.parametrize("name", ["notebooks/index.html", "notebooks/economy.html"])
def test_every_focusable_element_shows_focus(name: str, browser: Browser, base_url: str) -> None:
    """Tabbing through the page: every element that takes focus shows a focus ring."""
    ctx = _context(browser)
    try:
        page, _ = _open(ctx, base_url + name)
        _wait_for_fit(page)
        seen, missing = [], []
        for _ in range(250):
            page.keyboard.press("Tab")
            state = page.evaluate(FOCUS_JS)
            if state is None or (seen and state["what"] == seen[0]):
                break
            seen.append(state["what"])
            if not state["ring"]:
                missing.append(state["what"])
    finally:
        ctx.close()
    assert len(seen) >= 10, f"{name}: only {len(seen)} focusable elements reached by Tab"
    assert not missing, f"{name}: no visible focus on {missing}"


def test_chart_data_table_by_keyboard(browser: Browser, base_url: str) -> None:
    """Each chart's data is a table a keyboard opens: units and Chinese quotes included."""
    ctx = _context(browser)
    try:
        page, _ = _open(ctx, base_url + "notebooks/economy.html")
        _wait_for_fit(page)
        charts = page.locator(".shizhong-chart-figure")
        count = charts.count()
        summary = charts.first.locator("details.shizhong-data > summary")
        summary.focus()
        page.keyboard.press("Enter")
        opened = charts.first.locator("details.shizhong-data").evaluate("d => d.open")
        table = charts.first.locator("details.shizhong-data table")
        headers = table.locator("th").all_inner_texts()
        rows = table.locator("tbody tr").count()
        text = table.inner_text()
        tables = page.locator(".shizhong-chart-figure details.shizhong-data table").count()
    finally:
        ctx.close()
    assert count >= 3 and tables == count, f"{tables} data tables for {count} charts"
    assert opened, "Enter on the summary does not open the data table"
    assert rows >= 3, f"the data table has {rows} rows"
    assert "Value" in headers and any("Quote" in h for h in headers), headers
    assert "亿元" in text, "no unit in the data table"
    assert CJK_RUN.search(text), "no Chinese quote in the data table"


def test_every_chart_has_a_data_table(html_root: Path) -> None:
    """Every chart in the book carries its data table, with one row per data row."""
    missing = []
    for page in sorted((html_root / "notebooks").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        charts = text.count(CHART)
        tables = text.count('<details class="shizhong-data">')
        if charts != tables:
            missing.append(f"{page.name}: {charts} charts, {tables} data tables")
    assert not missing, "\n".join(missing)


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """WCAG contrast ratio of two sRGB colours."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# Computed colours on screen: the page background behind the chart, every data mark's fill
# or stroke, and every text's fill.
COLOURS_JS = """() => {
  function bg(e) {
    for (; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      if (c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') { return c; }
    }
    return 'rgb(255, 255, 255)';
  }
  return Array.from(document.querySelectorAll('.shizhong-chart'), c => {
    const marks = [], texts = [];
    c.querySelectorAll('svg g.role-mark > path, svg g.role-mark > rect, svg g.role-mark > line')
      .forEach(m => {
        const box = m.getBBox();
        if (m.tagName !== 'line' && (box.width < 0.5 || box.height < 0.5)) { return; }  // empty
        const s = getComputedStyle(m);
        const paint = s.fill !== 'none' && parseFloat(s.fillOpacity) > 0 ? s.fill : s.stroke;
        if (paint && paint !== 'none') { marks.push(paint); }
      });
    c.querySelectorAll('svg text').forEach(t => texts.push(getComputedStyle(t).fill));
    return {id: c.id, background: bg(c), marks: [...new Set(marks)], texts: [...new Set(texts)]};
  });
}"""
RGB = re.compile(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)")


def _rgb(css: str) -> tuple[float, float, float]:
    m = RGB.match(css)
    assert m, f"not an rgb() colour: {css!r}"
    return float(m[1]), float(m[2]), float(m[3])


def _colour_problems(page: Page, where: str) -> list[str]:
    out = []
    for chart in page.evaluate(COLOURS_JS):
        background = _rgb(chart["background"])
        if not chart["marks"]:
            out.append(f"{where} {chart['id']}: no data marks to measure")
        for paint in chart["marks"]:
            ratio = contrast(_rgb(paint), background)
            if ratio < 3:
                out.append(f"{where} {chart['id']}: mark {paint} {ratio:.2f}:1 on {background}")
        for paint in chart["texts"]:
            ratio = contrast(_rgb(paint), background)
            if ratio < 4.5:
                out.append(f"{where} {chart['id']}: text {paint} {ratio:.2f}:1 on {background}")
    return out


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chart_colours_contrast_in_both_themes(
    scheme: str, browser: Browser, base_url: str
) -> None:
    """Measured on screen: every data mark >= 3:1 and every chart text >= 4.5:1 against
    the background behind the chart, in light and in dark mode, on every chart page."""
    ctx = _context(browser, scheme=scheme)
    problems = []
    try:
        for name in _chart_pages():
            page, _ = _open(ctx, base_url + name)
            _wait_for_fit(page)
            problems += _colour_problems(page, f"{name} ({scheme})")
            page.close()
    finally:
        ctx.close()
    assert not problems, "\n".join(problems)


def test_charts_follow_the_theme_toggle(browser: Browser, base_url: str) -> None:
    """Switching the theme with the page's button recolours the drawn charts at once."""
    ctx = _context(browser, scheme="light")
    try:
        page, seen = _open(ctx, base_url + "notebooks/economy.html")
        _wait_for_fit(page)
        before = page.evaluate(COLOURS_JS)[0]
        button = page.locator(".theme-switch-button").first
        for _ in range(3):  # light -> dark -> auto: stop at dark
            if page.evaluate("document.documentElement.dataset.theme") == "dark":
                break
            button.click()
        theme = page.evaluate("document.documentElement.dataset.theme")
        after = page.evaluate(COLOURS_JS)[0]
        problems = _colour_problems(page, "economy (toggled to dark)") + seen.problems()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / "economy-toggled-dark.png", full_page=True)
    finally:
        ctx.close()
    assert theme == "dark", f"the theme button did not reach dark mode ({theme!r})"
    assert before["background"] != after["background"], "chart background did not change"
    assert set(before["texts"]) != set(after["texts"]), "chart text colour did not change"
    assert not problems, "\n".join(problems)


# Text nodes with Chinese characters whose nearest lang is not zh-CN (outside the charts'
# SVG, whose accessible text is the container's aria-label).
UNMARKED_CHINESE_JS = """() => {
  const han = /[\\u3400-\\u9fff]/;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const out = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const p = n.parentElement;
    if (!han.test(n.nodeValue) || !p || p.closest('script, style, svg, noscript')) { continue; }
    const lang = p.closest('[lang]');
    if (!lang || lang.getAttribute('lang') !== 'zh-CN') { out.push(n.nodeValue.slice(0, 40)); }
  }
  return out;
}"""


@pytest.mark.parametrize("name", PAGES)
def test_chinese_text_is_marked_zh_cn(name: str, context: BrowserContext, base_url: str) -> None:
    """Every run of Chinese in the English pages sits in an element with lang="zh-CN"; the
    Chinese edition's pages are zh-CN as a whole, with no redundant marking inside."""
    page, _ = _open(context, base_url + name)
    try:
        _wait_for_charts(page)
        unmarked = page.evaluate(UNMARKED_CHINESE_JS)
        lang = page.evaluate("document.documentElement.lang")
        redundant = page.evaluate("document.querySelectorAll('body [lang=\"zh-CN\"]').length")
    finally:
        page.close()
    if name.startswith(ZH):
        assert lang == "zh-CN", f"{name}: <html lang={lang!r}>"
        assert redundant == 0, f"{name}: {redundant} elements marked zh-CN inside a zh-CN page"
        return
    assert lang == "en", f"{name}: <html lang={lang!r}>"
    assert not unmarked, f"{name}: Chinese without lang=zh-CN: {unmarked[:8]}"


def test_tooltip_marks_chinese(context: BrowserContext, base_url: str) -> None:
    """Chart tooltips carry lang="zh-CN" on their Chinese runs too."""
    page, _ = _open(context, base_url + "notebooks/economy.html")
    try:
        _wait_for_fit(page)
        bar = page.locator(".shizhong-chart svg .mark-rect path").first
        bar.scroll_into_view_if_needed()
        box = bar.bounding_box()
        assert box, "the first bar has no bounding box"
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.locator("#vg-tooltip-element").wait_for(state="visible", timeout=5_000)
        marked = page.locator('#vg-tooltip-element [lang="zh-CN"]').count()
    finally:
        page.close()
    assert marked >= 2, f"{marked} Chinese runs marked in the tooltip"


def test_heaviest_page_weight(browser: Browser, base_url: str) -> None:
    """No page, with everything it loads, weighs more than the budget."""
    weights = {}
    ctx = _context(browser)
    try:
        for name in PAGES:
            page = ctx.new_page()
            sizes: list[int] = []
            pending: set[object] = set()
            page.on("request", lambda r, pending=pending: pending.add(r))
            page.on("requestfailed", lambda r, pending=pending: pending.discard(r))
            page.on(
                "requestfinished",
                lambda r, sizes=sizes, pending=pending: (
                    sizes.append(r.sizes()["responseBodySize"]),
                    pending.discard(r),
                ),
            )
            page.goto(base_url + name, wait_until="load")
            _wait_for_charts(page)
            quiet = 0  # until no request has been open for 300 ms (at most 10 s)
            for _ in range(200):
                quiet = 0 if pending else quiet + 1
                if quiet == 6:
                    break
                page.wait_for_timeout(50)
            assert quiet == 6, f"{name}: requests still open: {pending}"
            weights[name] = sum(sizes)
            page.close()
    finally:
        ctx.close()
    heaviest = max(weights, key=weights.__getitem__)
    assert weights[heaviest] <= MAX_PAGE_BYTES, (
        f"{heaviest} weighs {weights[heaviest]:,} B > {MAX_PAGE_BYTES:,} B: {weights}"
    )


#: Search controls a reader can see: the top bar's field, the sidebar's and the icon button.
SEARCH_CONTROLS_JS = """() => Array.from(
  document.querySelectorAll('.search-button-field, .search-button, form.bd-search input')
).filter(e => {
  const r = e.getBoundingClientRect(), s = getComputedStyle(e);
  return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
}).map(e => e.className)"""

#: Where the language link and the theme switcher are, and the article header's box.
HEADER_JS = """() => {
  const box = e => { if (!e) return null; const r = e.getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width}; };
  return {
    link: box(document.querySelector('a.shizhong-edition-link')),
    theme: box(document.querySelector('.bd-header-article .theme-switch-button')),
    header: box(document.querySelector('.bd-header-article')),
  };
}"""


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("edition", ["", ZH])
def test_one_search_box_and_the_language_link_in_the_header(
    width: int, edition: str, browser: Browser, base_url: str
) -> None:
    """At desktop and phone widths: one visible search control; the language link (中文版 /
    English edition) visible inside the article header, on the row of the theme button."""
    ctx = _context(browser, width)
    try:
        page, seen = _open(ctx, f"{base_url}{edition}notebooks/economy.html")
        visible = page.evaluate(SEARCH_CONTROLS_JS)
        assert len(visible) == 1, f"{len(visible)} search controls visible: {visible}"
        boxes = page.evaluate(HEADER_JS)
        link, theme, header = boxes["link"], boxes["theme"], boxes["header"]
        assert link and link["width"] > 0, "the language link is not visible"
        assert (
            header
            and header["top"] - 0.5 <= link["top"]
            and link["bottom"] <= (header["bottom"] + 0.5)
        ), f"language link {link} outside the header {header}"
        assert theme and abs((link["top"] + link["bottom"]) - (theme["top"] + theme["bottom"])) < (
            link["bottom"] - link["top"]
        ), f"language link {link} not on the row of the theme button {theme}"
        assert not seen.problems(), seen.problems()
    finally:
        ctx.close()
