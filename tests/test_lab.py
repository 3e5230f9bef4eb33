"""Rerunning the chapters in JupyterLab (``make lab``).

* The book's environment (``.venv``) holds no JupyterLab, so Lab's packages cannot slow the
  kernels: ``import shizhong, altair`` there does not import ``rfc3987_syntax``.
* Each output's mime types rank as intended: the HTML book draws the Vega spec, the PDF the
  Vega-Lite spec, and an ``image/png`` that Lab saves beside a chart changes neither, nor
  strict nbval.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from shizhong import prose
from shizhong.render import VEGA_MIME, VEGALITE_MIME
from shizhong_pytest.site import chromium, is_local, local_only

from .conftest import DATA, ROOT, nonempty

# nbval's kernels on sockets of their own, and the check of the prose's stored values (the
# run's --rootdir is the notebook's folder, so pyproject.toml's options do not apply).
PLUGINS = ("-p", "shizhong_pytest.kernels", "-p", "shizhong_pytest.nbcheck")
# A 1x1 PNG, as Lab adds a PNG rendering of each chart when it saves a notebook.
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c63f8cf00000301010018dd8db00000000049454e44ae426082"
    )
).decode("ascii")


def test_book_environment_has_no_jupyterlab() -> None:
    """Lab lives in ``.venv-lab``: the kernel's imports stay as fast as without it."""
    code = (
        "import importlib.util, sys\n"
        "import shizhong, altair\n"
        "import shizhong.render, shizhong.chart\n"
        "print(json.dumps({'rfc3987_syntax': 'rfc3987_syntax' in sys.modules,"
        " 'jsonschema': 'jsonschema' in sys.modules,"
        " 'jupyterlab': importlib.util.find_spec('jupyterlab') is not None,"
        " 'jupyter_server': importlib.util.find_spec('jupyter_server') is not None}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", "import json\n" + code],
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout  # fmt: skip
    seen = json.loads(out)
    assert seen["jsonschema"], "altair no longer imports jsonschema: update this test"
    assert not seen["rfc3987_syntax"], "importing altair loads rfc3987_syntax (Lab's packages)"
    assert not seen["jupyterlab"], f"JupyterLab is installed in {sys.prefix}; keep it in .venv-lab"
    assert not seen["jupyter_server"], f"jupyter_server is installed in {sys.prefix}"


def test_mime_priorities() -> None:
    """HTML builders take the Vega spec and LaTeX the Vega-Lite spec, before a saved PNG."""
    from myst_nb.core.render import get_mime_priority

    bundle = {VEGA_MIME, VEGALITE_MIME, "image/png", "text/plain"}
    for builder in ("html", "dirhtml", "singlehtml"):
        picked = next(m for m in get_mime_priority(builder, []) if m in bundle)
        assert picked == VEGA_MIME, builder
    picked = next(m for m in get_mime_priority("latex", []) if m in bundle)
    assert picked == VEGALITE_MIME


def _with_png(source: Path, target: Path, change: bool = False) -> int:
    """Copy a notebook, adding a PNG beside every chart (and, with ``change``, altering
    each chart's description); return the number of charts."""
    nb = nbformat.read(source, as_version=4)
    charts = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if VEGA_MIME in data:
                charts += 1
                data["image/png"] = PNG
                if change:
                    data[VEGA_MIME]["description"] += " (changed)"
    nbformat.write(nb, target)
    return charts


def _nbval(path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SHIZHONG_DATA": str(DATA)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "-q", "-p", "no:cacheprovider", *PLUGINS,
         "--rootdir", str(path.parent), str(path)],
        capture_output=True, text=True, cwd=path.parent, env=env,
    )  # fmt: skip


@pytest.mark.slow
def test_strict_nbval_ignores_a_png_saved_beside_a_chart(tmp_path: Path) -> None:
    """A notebook saved from Lab (a PNG beside each chart) still passes strict nbval, which
    still catches a changed chart."""
    saved = tmp_path / "saved" / "overview.ipynb"
    changed = tmp_path / "changed" / "overview.ipynb"
    for path in (saved, changed):
        path.parent.mkdir()
    assert _with_png(ROOT / "notebooks" / "overview.ipynb", saved) >= 1
    _with_png(ROOT / "notebooks" / "overview.ipynb", changed, change=True)
    ok = _nbval(saved)
    assert ok.returncode == 0, ok.stdout[-3000:]
    bad = _nbval(changed)
    assert bad.returncode == 1, bad.stdout[-3000:]
    assert VEGA_MIME in bad.stdout and "(changed)" in bad.stdout


# --- JupyterLab in a real browser -------------------------------------------------------

LAB_VENV = ROOT / ".venv-lab"
SHOTS = ROOT / "_build" / "screenshots"
NOTEBOOKS = nonempty(
    sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb")), "chapter notebooks"
)
TIMEOUT_MS = 60_000
# Per Vega output: its svg and the number of data marks drawn in it.
VEGA_STATE_JS = """() => Array.from(document.querySelectorAll('.jp-RenderedVegaCommon5'), o => ({
  fresh: !o.hasAttribute('data-before-run'),
  svg: o.querySelector('svg.marks') !== null,
  marks: o.querySelectorAll('svg.marks g.role-mark > *').length,
}))"""
MARK_OLD_JS = """() => document.querySelectorAll('.jp-RenderedVegaCommon5').forEach(
  o => o.setAttribute('data-before-run', ''))"""
# MyST that Lab would show raw: roles and directives it cannot render.
RAW_MYST = ("{glue", "{eval}", "{numref}", "{cite}", "{doc}", "{download}", "{term}", ":::")
BOOK = ROOT / "_build" / "html"
# Text of the markdown cells as jupyterlab-myst rendered them (into ``.myst`` widgets).
PROSE_JS = """() => Array.from(document.querySelectorAll('.jp-MarkdownCell .myst'),
  e => e.textContent).join('\\n')"""
# Executed code cells: "[n]:" prompts; "[*]:" while running, "[ ]:" before.
PROMPTS_JS = """() => Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputPrompt'),
  e => e.textContent.trim())"""


@dataclass
class Lab:
    url: str
    token: str
    root: Path
    log: Path

    def api(self, method: str, path: str) -> Any:
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _copy_repository(target: Path) -> Path:
    """The repository's tracked files, as they are in the work tree."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """JupyterLab from ``.venv-lab`` on a copy of the repository, 127.0.0.1 only, with a
    token; kernels from the book's ``.venv``. Stopped by its own process id."""
    jupyter = LAB_VENV / "bin" / "jupyter"
    if not jupyter.is_file():
        pytest.fail(f"no {jupyter}: run `make lab-venv` (make test does)", pytrace=False)
    work = tmp_path_factory.mktemp("lab")
    root = _copy_repository(work / "book")
    port, token = _free_port(), secrets.token_hex(24)
    env = {
        **os.environ,
        "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter"),  # the shizhong kernel
        "JUPYTER_CONFIG_DIR": str(work / "config"),
        "JUPYTER_DATA_DIR": str(work / "data"),
        "JUPYTER_RUNTIME_DIR": str(work / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(work / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(work / "workspaces"),
    }
    log = work / "lab.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(jupyter), "lab", "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
             f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}"],
            env=env, stdout=out, stderr=subprocess.STDOUT, cwd=root,
        )  # fmt: skip
    server = Lab(f"http://127.0.0.1:{port}", token, root, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                server.api("GET", "/api/status")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start:\n{log.read_text()[-3000:]}")
                time.sleep(0.25)
        yield server
    finally:
        with contextlib.suppress(OSError):
            for kernel in server.api("GET", "/api/kernels"):
                server.api("DELETE", f"/api/kernels/{kernel['id']}")
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def lab_browser() -> Iterator[Browser]:
    with chromium() as opened:
        yield opened


@dataclass
class Seen:
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _contents(path: Path) -> tuple[int, int, list[str]]:
    """A notebook file's chart outputs, Markdown cells and prose expressions."""
    nb = nbformat.read(path, as_version=4)
    charts, markdown, expressions = 0, 0, []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            markdown += 1
            expressions += prose.expressions(cell.source)
        charts += sum(VEGA_MIME in out.get("data", {}) for out in cell.get("outputs", []))
    return charts, markdown, expressions


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _book_sentences(name: str) -> list[str]:
    """Sentences of the built pages (both editions) that hold a glued value and no
    numbered reference or citation (which Lab shows as the chart's title or a link)."""
    sentences = []
    for root in (BOOK, BOOK / "zh"):
        page = root / "notebooks" / f"{name}.html"
        if not page.is_file():
            pytest.fail(f"no built page {page}: run `make html` first", pytrace=False)
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for para in soup.select("main p"):
            if not para.select("span.pasted-text") or para.select("a.reference, .bibtex-citation"):
                continue
            for sentence in re.split(r"(?<=[.;])\s+|(?<=[。；])", para.get_text(" ")):
                if any(_squash(v.get_text()) in _squash(sentence)
                       for v in para.select("span.pasted-text")):  # fmt: skip
                    sentences.append(_squash(sentence))
    return [s for s in sentences if s]


def _prose_problems(
    text: str, expressions: list[str], sentences: list[str], when: str
) -> list[str]:
    """Raw markup or unresolved expressions in Lab's rendered prose, and fewer than three of
    the book's sentences with glued values found in it word for word."""
    problems = [f"{when}: the prose shows raw MyST {m!r}" for m in RAW_MYST if m in text]
    problems += [f"{when}: the prose shows {e!r}, not its value" for e in expressions if e in text]
    found = [s for s in sentences if s in _squash(text)]
    if len(found) < min(3, len(sentences)):
        problems.append(f"{when}: {len(found)} of {len(sentences)} book sentences in Lab's prose")
    return problems


def _wait_for_charts(page: Page, count: int, fresh: bool) -> list[dict[str, Any]]:
    """Wait until ``count`` Vega outputs (re-rendered ones if ``fresh``) have data marks."""
    done = f"""() => {{
      const s = ({VEGA_STATE_JS})().filter(c => c.marks > 0 && (!{str(fresh).lower()} || c.fresh));
      return s.length >= {count};
    }}"""
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(done, timeout=TIMEOUT_MS)
    return page.evaluate(VEGA_STATE_JS)


def _menu(page: Page, menu: str, command: str, started: str, tries: int = 3) -> None:
    """Click ``menu`` > ``command`` until the JS predicate ``started`` holds (a menu item
    does nothing while Lab has not yet made the notebook its current widget)."""
    for _ in range(tries):
        page.locator(".jp-Notebook .jp-InputPrompt").first.click()  # the notebook is current
        page.locator(".lm-MenuBar-item", has_text=menu).first.click()
        page.locator(f'.lm-Menu-item[data-command="{command}"]').click()
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(started, timeout=10_000)
            return
    pytest.fail(f"{menu} > {command} had no effect; prompts: {page.evaluate(PROMPTS_JS)}")


def _clear_and_run_all(page: Page) -> None:
    """Edit > Clear Outputs of All Cells, then Run > Run All Cells; wait until every code
    cell has run again."""
    prompts = f"({PROMPTS_JS})()"
    # Run All before the session has its kernel throws "Session has no kernel." in Lab.
    try:
        page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-StatusBar-TextItem')]"
            ".some(e => /\\| Idle$/.test(e.textContent.trim()))",
            timeout=TIMEOUT_MS * 2,
        )
    except PlaywrightTimeout:
        pytest.fail("the notebook's kernel never became idle in Lab")
    _menu(page, "Edit", "editmenu:clear-all", f"() => {prompts}.every(t => t === '[ ]:')")
    _menu(page, "Run", "runmenu:run-all", f"() => {prompts}.some(t => t !== '[ ]:')")
    try:
        page.wait_for_function(
            f"() => {prompts}.every(t => /^\\[\\d+\\]:$/.test(t))", timeout=TIMEOUT_MS * 2
        )
    except PlaywrightTimeout:
        pytest.fail(f"Run All did not finish; prompts: {page.evaluate(PROMPTS_JS)}")


def _saved_pngs(path: Path) -> int:
    nb = nbformat.read(path, as_version=4)
    return sum("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))


def _save(page: Page, path: Path, charts: int) -> int:
    """File > Save until the file holds the PNG that Lab's renderer adds to each chart."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while True:
        before = path.stat().st_mtime_ns
        page.locator(".lm-MenuBar-item", has_text="File").first.click()
        page.locator('.lm-Menu-item[data-command="docmanager:save"]').click()
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function("() => !document.querySelector('.jp-mod-dirty')", timeout=5000)
        pngs = _saved_pngs(path) if path.stat().st_mtime_ns != before else -1
        if pngs == charts or time.monotonic() > deadline:
            return pngs
        time.sleep(1)


@pytest.mark.slow
def test_lab_runs_the_books_kernel(lab: Lab) -> None:
    """Lab's ``shizhong`` kernel is the book's .venv python, not anything in .venv-lab."""
    specs = lab.api("GET", "/api/kernelspecs")["kernelspecs"]
    assert "shizhong" in specs, f"no shizhong kernel in {sorted(specs)}"
    argv0 = Path(specs["shizhong"]["spec"]["argv"][0])
    assert argv0.parent == Path(sys.prefix) / "bin", argv0


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_in_lab(name: str, lab: Lab, lab_browser: Browser) -> None:
    """Opened as saved (untrusted), every chart draws and the prose reads as in the book:
    each inline expression shows its stored value, references read as links, and the book's
    sentences with glued values appear word for word; after Run All the same holds again.
    The notebook Lab saves passes strict nbval (with its prose values). No console error at
    all, no request leaves 127.0.0.1; screenshots of a chart and of the prose in
    _build/screenshots/lab-<name>.png and lab-<name>-prose.png."""
    path = lab.root / "notebooks" / f"{name}.ipynb"
    charts, markdown, expressions = _contents(path)
    sentences = _book_sentences(name)
    context = lab_browser.new_context(viewport={"width": 1280, "height": 1000})
    context.route("**/*", local_only)
    seen = Seen()
    page = context.new_page()
    page.on("request", lambda r: seen.requests.append(r.url))
    page.on("pageerror", lambda e: seen.errors.append(f"page error: {e}"))
    page.on(
        "console",
        lambda m: seen.errors.append(f"console error: {m.text[:600]}") if m.type == "error" else 0,
    )
    problems: list[str] = []
    try:
        page.goto(
            f"{lab.url}/lab/workspaces/{name}/tree/notebooks/{name}.ipynb?reset&token={lab.token}"
        )
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=TIMEOUT_MS)
        saved = _wait_for_charts(page, charts, fresh=False)
        drawn = sum(c["svg"] and c["marks"] > 0 for c in saved)
        if len(saved) != charts or drawn != charts:
            problems.append(f"as saved: {drawn} of {charts} charts drawn ({len(saved)} outputs)")
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(
                f"() => document.querySelectorAll('.jp-MarkdownCell .myst').length >= {markdown}",
                timeout=TIMEOUT_MS,
            )
        text = page.evaluate(PROSE_JS)
        if not text.strip():
            problems.append("no rendered markdown")
        problems += _prose_problems(text, expressions, sentences, "as saved")
        SHOTS.mkdir(parents=True, exist_ok=True)
        first = page.locator(".jp-MarkdownCell .myst").nth(min(2, markdown - 1))
        first.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(300)
        page.screenshot(path=SHOTS / f"lab-{name}-prose.png")
        page.evaluate(MARK_OLD_JS)
        _clear_and_run_all(page)
        rerun = _wait_for_charts(page, charts, fresh=True)
        drawn = sum(c["fresh"] and c["svg"] and c["marks"] > 0 for c in rerun)
        if drawn != charts:
            problems.append(f"after Run All: {drawn} of {charts} charts drawn again")
        problems += _prose_problems(
            page.evaluate(PROSE_JS), expressions, sentences, "after Run All"
        )
        pngs = _save(page, path, charts)
        # the first chart at the top (or the notebook's start), painted
        top = ".jp-RenderedVegaCommon5" if charts else ".jp-Cell"
        page.locator(top).first.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(1000)
        page.screenshot(path=SHOTS / f"lab-{name}.png")
    finally:
        context.close()
        with contextlib.suppress(OSError):
            for session in lab.api("GET", "/api/sessions"):
                lab.api("DELETE", f"/api/sessions/{session['id']}")
    problems += [f"request leaves 127.0.0.1: {u}" for u in seen.requests if not is_local(u)]
    problems += seen.errors
    assert not problems, f"{name}:\n  " + "\n  ".join(problems)
    assert pngs == charts, f"the notebook Lab saved has {pngs} PNGs for {charts} charts"
    check = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "-q", "-p", "no:cacheprovider", *PLUGINS,
         "--rootdir", str(path.parent), str(path)],
        capture_output=True, text=True, cwd=path.parent,
    )  # fmt: skip
    assert check.returncode == 0, f"strict nbval on the notebook Lab saved:\n{check.stdout[-3000:]}"


@pytest.mark.slow
@pytest.mark.browser
def test_chart_tooltip_in_lab(lab: Lab, lab_browser: Browser) -> None:
    """Hovering a bar of the economy chapter's first chart in Lab shows vega's tooltip."""
    context = lab_browser.new_context(viewport={"width": 1280, "height": 1000})
    context.route("**/*", local_only)
    page = context.new_page()
    try:
        page.goto(
            f"{lab.url}/lab/workspaces/tooltip/tree/notebooks/economy.ipynb?reset&token={lab.token}"
        )
        bar = page.locator(".jp-RenderedVegaCommon5 svg.marks .mark-rect path").first
        bar.wait_for(state="attached", timeout=TIMEOUT_MS)
        bar.scroll_into_view_if_needed()
        box = bar.bounding_box()
        assert box, "the first bar has no bounding box"
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        tooltip = page.locator("#vg-tooltip-element")
        tooltip.wait_for(state="visible", timeout=10_000)
        text = tooltip.inner_text()
    finally:
        context.close()
        with contextlib.suppress(OSError):
            for session in lab.api("GET", "/api/sessions"):
                lab.api("DELETE", f"/api/sessions/{session['id']}")
    assert re.search(r"[\u4e00-\u9fff]", text) and re.search(r"[A-Za-z]{3}", text), text
