"""The built HTML book in a real browser: Playwright driving Debian's Chromium.

Every page is served from ``_build/html`` (or ``$SHIZHONG_HTML``) by a local HTTP server and
must load with no request leaving 127.0.0.1, no console or page error, and every chart drawn
by vega-embed. The chapters are screenshotted to ``_build/screenshots/``. The data downloads,
the PDF edition and a chart tooltip are checked too. `make test` builds the book first; with
no build these tests fail (they do not skip).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .conftest import DATA, ROOT
from .site import CHROMIUM, CHROMIUM_ARGS, serve, toc_files

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
    return sorted(pages)


CHAPTERS = _chapter_pages()
PAGES = [*CHAPTERS, "genindex.html", "search.html"]

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
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        try:
            yield chromium
        finally:
            chromium.close()


def _is_local(url: str) -> bool:
    if url.startswith(("data:", "blob:")):
        return True
    return urlsplit(url).hostname == "127.0.0.1"


def _local_only(route: Route) -> None:
    """Let requests to the local server through; abort anything else, so nothing leaks."""
    if _is_local(route.request.url):
        route.continue_()
    else:
        route.abort("blockedbyclient")


def _new_context(browser: Browser, **options: object) -> BrowserContext:
    context = browser.new_context(**options)  # type: ignore[arg-type]
    context.route("**/*", _local_only)
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
        out = [f"request leaves 127.0.0.1: {u}" for u in self.requests if not _is_local(u)]
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
        if name.startswith("notebooks/"):
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SHOTS / f"{Path(name).stem}.png", full_page=True)
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
