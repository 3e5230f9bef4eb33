"""The prose as JupyterLab shows it: glued values as inline expressions with stored results,
references as links, and the book's roles made from both at build time.

* Every ``{eval}`` in a Markdown cell reads a glued value of the cell's language, and its
  result is stored in the cell's metadata as jupyterlab-myst stores it.
* Strict nbval re-evaluates the stored results (``shizhong_pytest.nbcheck``): a stale one fails.
* Every reference is a link Lab can show: a chapter, a figure (its text is the chart's
  title), a cited work (its text is the book's citation) or a data file.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from IPython.core.formatters import PlainTextFormatter
from sphinx.errors import ExtensionError

from shizhong import prose
from shizhong.glue import Glue, Text
from shizhong.sphinxext.editions import REFERENCES, book_roles

from .conftest import DATA, ROOT, load_tool, nonempty

NOTEBOOKS = [
    *nonempty(sorted((ROOT / "notebooks").glob("*.ipynb")), "chapter notebooks"),
    ROOT / "notebooks" / "_template" / "chapter.ipynb",
]
LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
ROLE = re.compile(r"\{(glue|numref|doc|cite|download|ref|term)[^}]*\}`")
BIB_KEY = re.compile(r"^@\w+\{([\w-]+),", re.M)


def _lang(cell: nbformat.NotebookNode) -> str | None:
    tags = set(cell.metadata.get("tags", []))
    return "zh" if "zh" in tags else "en" if "en" in tags else None


def _markdown(path: Path) -> list[tuple[int, nbformat.NotebookNode]]:
    nb = nbformat.read(path, as_version=4)
    return [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "markdown"]


# --- the values ---------------------------------------------------------------------------


def test_a_glued_value_displays_as_its_text() -> None:
    """Lab shows an expression's ``text/plain``: the text itself, no quotes or escapes."""
    for text in ("274.8 亿元", "it's a \\ b", '"quoted"'):
        assert PlainTextFormatter()(Text(text)) == text


def test_the_views_read_the_chapters_values() -> None:
    glue = Glue()
    glue.cell().text("services_revenue", "274.8 亿元", zh="274.8亿元")
    en, zh = glue.view("en"), glue.view("zh")
    assert (en.services_revenue, zh.services_revenue) == ("274.8 亿元", "274.8亿元")
    assert "services_revenue" in dir(en)
    with pytest.raises(AttributeError, match=r"no value glued under 'missing' yet \(en.missing\)"):
        _ = en.missing
    with pytest.raises(ValueError, match="glued twice"):
        glue.cell().text("services_revenue", "1", zh="1")
    with pytest.raises(ValueError, match="a Python name"):
        glue.text("not-a-name", "1", zh="1")


def test_only_a_glued_value_of_the_cells_language_becomes_a_glue_role() -> None:
    assert book_roles("up {eval}`en.rate`.", "en") == "up {glue:text}`rate`."
    assert book_roles("增长{eval}`zh.rate`。", "zh") == "增长{glue:text}`rate`。"
    with pytest.raises(ExtensionError, match="in a cell of the zh edition"):
        book_roles("{eval}`en.rate`", "zh")
    for expression in ("__import__('os')", "en.rate.upper()", "data", "en.__class__"):
        with pytest.raises(ExtensionError, match=r"may only read en\.<key> or zh\.<key>"):
            book_roles(f"{{eval}}`{expression}`", "en")


def test_links_become_the_books_roles() -> None:
    source = (
        "[Growth](economy.ipynb#fig-economy-growth),"
        " [朱振 and 李猛, 2020](references.md#zhu_li_2020),"
        " [Methods and fact-check](methods.ipynb), [checks.csv](../data/checks.csv),"
        " [a site](https://example.org/x.md)"
    )
    assert book_roles(source, "en") == (
        "{numref}`fig-economy-growth`, {cite}`zhu_li_2020`,"
        " {doc}`Methods and fact-check <methods>`, {download}`checks.csv </data/checks.csv>`,"
        " [a site](https://example.org/x.md)"
    )
    assert len(REFERENCES) == 4


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_expression_is_a_value_of_its_cells_language_with_a_stored_result(
    path: Path,
) -> None:
    problems = []
    for i, cell in _markdown(path):
        found = prose.expressions(cell.source)
        stored = cell.metadata.get(prose.METADATA, [])
        if [e["expression"] for e in stored] != found:
            problems.append(f"cell {i}: stored results for {[e['expression'] for e in stored]}")
        for expression in found:
            lang, _ = prose.parse(expression)
            if lang != _lang(cell):
                problems.append(f"cell {i}: {expression} in a {_lang(cell)} cell")
        for entry in stored:
            if set(entry["result"]["data"]) != {prose.PLAIN}:
                problems.append(f"cell {i}: {entry['expression']} stores more than text")
    assert not problems, f"{path.name} (run `make notebooks`):\n" + "\n".join(problems)


def _strict_nbval(nb: nbformat.NotebookNode, folder: Path) -> str:
    """Strict nbval, with the project's plugins, on ``nb`` saved in ``folder``: its report."""
    nbformat.write(nb, folder / "economy.ipynb")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "-q", "-p", "no:cacheprovider",
         "-p", "shizhong_pytest.kernels", "-p", "shizhong_pytest.nbcheck", "--rootdir", str(folder),
         "economy.ipynb"],
        capture_output=True, text=True, cwd=folder,
        env={**os.environ, "SHIZHONG_DATA": str(DATA)},
    )  # fmt: skip
    assert done.returncode == 1, done.stdout[-3000:]
    assert re.search(r"^1 failed", done.stdout.splitlines()[-1]), done.stdout[-500:]
    return done.stdout


def test_a_stale_prose_value_fails_strict_nbval(tmp_path: Path) -> None:
    """The nbval plugin re-evaluates each stored result and names the cell and expression."""
    nb = nbformat.read(ROOT / "notebooks" / "economy.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get(prose.METADATA))
    entry = cell.metadata[prose.METADATA][-1]
    entry["result"]["data"][prose.PLAIN] = "999 亿元"
    report = _strict_nbval(nb, tmp_path)
    assert f"(id {cell.id})" in report
    assert f"{entry['expression']}: stored '999 亿元', now " in report


@pytest.mark.parametrize("key", ["lang", "scrapbook"])
def test_output_metadata_the_editions_read_is_checked_by_strict_nbval(
    key: str, tmp_path: Path
) -> None:
    """nbval skips output metadata; the plugin compares the language and the glue name."""
    nb = nbformat.read(ROOT / "notebooks" / "economy.ipynb", as_version=4)
    out = next(o for c in nb.cells for o in c.get("outputs", []) if key in o.get("metadata", {}))
    if key == "lang":
        out.metadata["lang"] = "en" if out.metadata["lang"] == "zh" else "zh"
    else:
        out.metadata["scrapbook"]["name"] += "_renamed"
    assert "output metadata (lang, glue name) differs" in _strict_nbval(nb, tmp_path)


# --- the references ------------------------------------------------------------------------


def _chart_titles() -> dict[tuple[str, str], str]:
    """(figure name, lang) → the chart's title, from the stored outputs."""
    titles = {}
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            name = cell.metadata.get("mystnb", {}).get("figure", {}).get("name")
            for out in cell.get("outputs", []) if name else []:
                plain = out.get("data", {}).get("text/plain", "")
                if (lang := out.get("metadata", {}).get("lang")) and plain.startswith("<Chart: "):
                    titles[(name, lang)] = plain.removeprefix("<Chart: ").removesuffix(">")
    return titles


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_reference_is_a_link_lab_can_show(path: Path) -> None:
    titles = _chart_titles()
    bib = set(BIB_KEY.findall((ROOT / "references.bib").read_text(encoding="utf-8")))
    pages = {p.name for p in (ROOT / "notebooks").iterdir()}
    problems = []
    for i, cell in _markdown(path):
        if role := ROLE.search(cell.source):
            problems.append(f"cell {i}: a role Lab cannot show: {role.group(0)}")
        for text, target in LINK.findall(cell.source):
            page, _, anchor = target.partition("#")
            if target.startswith(("http://", "https://")):
                continue
            if page.startswith("../data/"):
                ok = (ROOT / "notebooks" / page).resolve().is_file()
            elif page == "references.md" and anchor:
                ok = anchor in bib
            elif anchor:
                ok = titles.get((anchor, _lang(cell) or "en")) == text
            else:
                ok = page in pages
            if not ok:
                problems.append(f"cell {i}: [{text}]({target})")
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_citation_link_reads_as_the_books_citation(lang: str) -> None:
    """The text Lab shows for a citation is what the book prints, without its brackets."""
    root = ROOT / "_build" / "html" / ("zh/notebooks" if lang == "zh" else "notebooks")
    checked = 0
    for path in NOTEBOOKS[:-1]:
        page = root / f"{path.stem}.html"
        if not page.is_file():
            pytest.fail(f"no built page {page}: run `make html` first", pytrace=False)
        cited = [
            text
            for _, cell in _markdown(path)
            if _lang(cell) in (lang, None)
            for text, target in LINK.findall(cell.source)
            if target.startswith("references.md#")
        ]
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        printed = [s.get_text()[1:-1] for s in soup.select("span.bibtex-citation")]
        assert cited == printed, path.stem
        checked += len(cited)
    assert checked >= 10, checked


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_one_editions_notebooks_for_lab_keep_every_code_cell(lang: str, tmp_path: Path) -> None:
    """``make lab-en`` / ``make lab-zh``: one language's prose, all the code, as Lab shows it."""
    tool = load_tool("lab_edition")
    written = {p.name: p for p in tool.write(lang, tmp_path / lang)}
    other = "zh" if lang == "en" else "en"
    for path in NOTEBOOKS[:-1]:
        source = nbformat.read(path, as_version=4)
        copy = nbformat.read(written[path.name], as_version=4)
        assert [c.source for c in copy.cells if c.cell_type == "code"] == [
            c.source for c in source.cells if c.cell_type == "code"
        ]
        kept = [c for c in copy.cells if c.cell_type == "markdown"]
        assert kept and not [c for c in kept if other in c.metadata.get("tags", [])]
        assert all(c.metadata.get(prose.METADATA) for c in kept if prose.expressions(c.source))
        assert not [
            o for c in copy.cells for o in c.get("outputs", []) if o.metadata.get("lang") == other
        ]
    assert (tmp_path / lang / "data" / "datapackage.json").is_file()
