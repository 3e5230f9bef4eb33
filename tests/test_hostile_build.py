"""Hostile data through a real build: one small notebook made from the hostile copy of the
data (validation bypassed), built with the book's own configuration into HTML, opened in
Chromium, and into LaTeX and PDF.

The notebook shows every table with ``show.table``, a one-column table of every payload,
every payload glued as ``{glue:text}``, and a chart whose title, subtitle, description, axis
labels and tooltips are payloads. What must hold: each payload reads back as literal text; no
script runs (``window.__pwned`` stays unset, no dialog opens), no element gains an event
handler or a ``javascript:`` link; no template is evaluated; no file is read into the LaTeX.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from nbclient import NotebookClient

from shizhong import show
from shizhong.kernels import KERNEL, AsyncSocketKernelManager
from shizhong_pytest.site import chromium

from .conftest import DATA, ROOT
from .hostile import BY_NAME, PAYLOADS, inject

pytestmark = [pytest.mark.slow]

JB = str(Path(sys.executable).with_name("jupyter-book"))
SECRET = "HOSTILE-SECRET-FILE-CONTENT-5e1f"
CHART = {"title": "end_script", "subtitle": "jinja", "description": "attribute", "axis": "img"}

SETUP = """\
import json
from pathlib import Path

import altair as alt
import pandas as pd
from IPython.display import display

from shizhong import Glue, rawtable, render, show, tables

render.use_renderer()
package = json.loads(Path("data/datapackage.json").read_text(encoding="utf-8"))
frames = {  # typed as the loader does, but not validated
    r["name"]: tables.typed(
        rawtable.parse_csv(Path("data", r["path"]).read_text(encoding="utf-8")), r["schema"]
    )
    for r in package["resources"]
    if "schema" in r
}
names = json.loads(Path("payloads.json").read_text(encoding="utf-8"))
notes = list(frames["indicators"]["note"])
payload = {name: next(n for n in notes if n == text) for name, text in names.items()}
glue = Glue()
for name, text in payload.items():
    glue.text(f"p_{name}", text, zh=text)
"""
TABLES = """\
for frame in frames.values():
    display(show.table(frame))
"""
ONE_COLUMN = 'show.table(pd.DataFrame({"payload": list(payload.values())}), widths=[0.96])'
CHART_CODE = f"""\
chart = CHART = {CHART!r}
alt.Chart(
    pd.DataFrame({{"label": list(payload.values()), "n": range(1, len(payload) + 1)}}),
    title=alt.Title(payload[chart["title"]], subtitle=payload[chart["subtitle"]]),
    description=payload[chart["description"]],
).mark_bar().encode(
    x=alt.X("n:Q", title=payload[chart["axis"]]),
    y=alt.Y("label:N", title=None, axis=alt.Axis(labelLimit=0)),
    tooltip=["label:N", "n:Q"],
).properties(width=300)
"""


def notebook() -> nbformat.NotebookNode:
    glued = "\n\n".join(f"{p.name}: {{glue:text}}`p_{p.name}`" for p in PAYLOADS)
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Hostile data\n\nEvery value below comes from data."),
        nbformat.v4.new_code_cell(SETUP),
        nbformat.v4.new_markdown_cell("## Glued text\n\n" + glued),
        nbformat.v4.new_markdown_cell("## Every table"),
        nbformat.v4.new_code_cell(TABLES),
        nbformat.v4.new_markdown_cell("## Every payload"),
        nbformat.v4.new_code_cell(ONE_COLUMN),
        nbformat.v4.new_markdown_cell("## A chart"),
        nbformat.v4.new_code_cell(CHART_CODE),
    ]
    nb.metadata["kernelspec"] = {"name": "shizhong", "display_name": "Python (shizhong)",
                                 "language": "python"}  # fmt: skip
    return nb


def build(cmd: list[str], cwd: Path) -> None:
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, (done.stdout[-4000:], done.stderr[-4000:])


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    """The small hostile book: data, executed notebook and the book's configuration."""
    root = tmp_path_factory.mktemp("hostile-book")
    shutil.copytree(DATA, root / "data")
    inject(root / "data")
    (root / "payloads.json").write_text(
        json.dumps({p.name: p.text for p in PAYLOADS}, ensure_ascii=False), encoding="utf-8"
    )
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["exclude_patterns"] = ["_build", "data", "pdf-tree", "**/.ipynb_checkpoints"]
    (root / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (root / "_toc.yml").write_text("format: jb-book\nroot: hostile\n", encoding="utf-8")
    shutil.copyfile(ROOT / "references.bib", root / "references.bib")
    shutil.copyfile(ROOT / "CITATION.cff", root / "CITATION.cff")  # the title page reads it
    nb = notebook()
    NotebookClient(nb, kernel_name=KERNEL, kernel_manager_class=AsyncSocketKernelManager,
                   timeout=300, resources={"metadata": {"path": str(root)}}).execute()  # fmt: skip
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, errors
    nbformat.write(nb, root / "hostile.ipynb")
    return root


@pytest.fixture(scope="module")
def html_page(book: Path) -> Path:
    build([JB, "build", ".", "--builder", "html", "--warningiserror", "--keep-going",
           "--quiet"], book)  # fmt: skip
    return book / "_build" / "html" / "hostile.html"


@pytest.fixture(scope="module")
def latex(book: Path) -> Path:
    """The LaTeX build, with a file beside it that an executed \\input would read."""
    out = book / "pdf-tree"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1577836800", "FORCE_SOURCE_DATE": "1"}
    done = subprocess.run(
        [JB, "build", ".", "--builder", "latex", "--path-output", str(out),
         "--warningiserror", "--keep-going", "--quiet"],
        cwd=book, capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert done.returncode == 0, (done.stdout[-4000:], done.stderr[-4000:])
    return out / "_build" / "latex"


def typographic(text: str) -> str:
    """Undo TeX's typographic quotes and dashes (typography, not markup) for comparison."""
    for fancy, plain in (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"'), ("—", "---"),
                         ("–", "--"), ("…", "...")):  # fmt: skip
        text = text.replace(fancy, plain)
    return text


# --- HTML, as text ------------------------------------------------------------------------------


def test_no_template_was_evaluated(html_page: Path):
    page = html_page.read_text(encoding="utf-8")
    assert "1337" not in page  # {{ 7*191 }}
    assert "JINJAJINJA" not in page  # {% for %} ran twice
    assert "WARNED" in page and 'class="admonition warning"' not in page
    assert 'id="pwned-raw"' not in page and "<b id=" not in page  # no raw directive


# --- HTML, in Chromium --------------------------------------------------------------------------


def probe(uri: str) -> dict:
    """Open the page in Chromium, hover every bar, press Tab; what happened and what shows."""
    dialogs: list[str] = []
    requests: list[str] = []
    with chromium() as browser:
        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(uri, wait_until="load")
        bars = page.locator(".shizhong-chart svg .mark-rect path")
        bars.first.wait_for(state="attached", timeout=10_000)
        tooltips = []
        for i in range(bars.count()):
            bar = bars.nth(i)
            bar.scroll_into_view_if_needed()
            box = bar.bounding_box()
            if box:
                page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
                page.wait_for_timeout(30)
                tooltips.append(page.locator("#vg-tooltip-element").inner_text())
        page.keyboard.press("Tab")
        state = page.evaluate(
            """() => ({
              pwned: window.__pwned === undefined ? null : String(window.__pwned),
              handlers: Array.from(document.querySelectorAll('*')).flatMap(e =>
                Array.from(e.attributes).filter(a => a.name.startsWith('on') &&
                  (e.closest('.bd-article') || /pwned|alert/.test(a.value)))
                  .map(a => e.tagName + ' ' + a.name + '=' + a.value)),
              article: document.querySelectorAll('.bd-article').length,
              jsLinks: Array.from(document.querySelectorAll('a[href]'))
                .map(a => a.getAttribute('href'))
                .filter(h => /^\\s*(java|vb)script:/i.test(h)),
              injected: document.querySelectorAll(
                'main img[src="x"], main svg[onload], #pwned-raw, main .admonition').length,
              cells: Array.from(document.querySelectorAll('main table td'), td => td.innerText),
              pasted: Array.from(document.querySelectorAll('main .pasted-text'),
                                 s => s.textContent),
              label: document.querySelector('.shizhong-chart').getAttribute('aria-label'),
              // title and subtitle are HTML text above the chart, the axis is SVG text in it
              chartText: Array.from(document.querySelectorAll(
                '.shizhong-chart-title, .shizhong-chart-subtitle, .shizhong-chart svg'),
                e => e.textContent).join('\\n'),
            })"""
        )
    state["dialogs"] = dialogs
    state["tooltips"] = tooltips
    state["requests"] = requests
    return state


@pytest.fixture(scope="module")
def page_state(html_page: Path) -> dict:
    """:func:`probe` of the page, in a process of its own (the worker may hold a browser)."""
    code = "import json, sys; from tests.test_hostile_build import probe; "
    code += "print(json.dumps(probe(sys.argv[1])))"
    done = subprocess.run([sys.executable, "-c", code, html_page.as_uri()], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout)


@pytest.mark.browser
def test_no_script_runs(page_state):
    assert page_state["pwned"] is None
    assert page_state["dialogs"] == []
    assert page_state["article"] == 1
    # the theme's own buttons have onclick handlers; none in the article, none of a payload
    assert page_state["handlers"] == []
    assert page_state["jsLinks"] == []
    assert page_state["injected"] == 0
    assert all(u.startswith(("file:", "data:", "blob:")) for u in page_state["requests"])


@pytest.mark.browser
def test_table_cells_show_each_payload_as_text(page_state):
    cells = [c.strip() for c in page_state["cells"]]
    for p in PAYLOADS:  # exactly: no smart quotes either (shizhong.sphinxext.verbatim)
        assert show.one_line(p.text).strip() in cells, p.name


@pytest.mark.browser
def test_glued_text_shows_each_payload_as_text(page_state):
    assert [typographic(t) for t in page_state["pasted"]] == [typographic(p.text) for p in PAYLOADS]


@pytest.mark.browser
def test_chart_text_and_tooltips_show_payloads_as_text(page_state):
    assert page_state["label"] == BY_NAME[CHART["description"]].text
    text = page_state["chartText"]
    for role in ("title", "subtitle", "axis"):
        assert BY_NAME[CHART[role]].text in text, role
    tooltips = "\n".join(page_state["tooltips"])
    for p in PAYLOADS:
        assert p.text in tooltips, p.name


# --- LaTeX and PDF ------------------------------------------------------------------------------


def test_latex_escapes_every_payload(latex: Path):
    tex = (latex / "book.tex").read_text(encoding="utf-8")
    body = tex[tex.index(r"\begin{document}") :]
    for command in (r"\input{/etc/hostname}", r"\input{hostile-secret}", r"\def\x",
                    r"\catcode", "$x$", "{{ 7*191 }}"):  # fmt: skip
        assert command not in body, command
    assert r"\textbackslash{}input\{/etc/hostname\}" in body


def test_pdf_shows_payloads_and_reads_no_file(latex: Path, tmp_path: Path):
    if not shutil.which("latexmk"):
        pytest.fail("latexmk is missing: install texlive-xetex and latexmk (make deb-pdf)")
    (latex / "hostile-secret.tex").write_text(SECRET + "\n", encoding="utf-8")
    build(["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "book.tex"],
          latex)  # fmt: skip
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(latex / "book.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert SECRET not in text
    flat = typographic(re.sub(r"\s+", "", text)).replace("˜", "~").replace("ˆ", "^")
    for name in ("latex_input", "latex_specials", "script", "jinja", "role", "markdown"):
        literal = re.sub(r"\s+", "", BY_NAME[name].text)
        assert literal in flat, name
