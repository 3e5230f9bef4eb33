"""A chapter added by following README's "Adding a chapter" steps, one by one, joins the book.

In a throwaway copy of the repository (a git checkout, as the book's is), the test names the
chapter in the data package's chapter list, gives it a figure, copies the template and names
the chapter in its first code cell, writes a sentence with the figure in each language, lists
it in both tables of contents, then does what README's "Then" says: re-execute the stale
notebooks, validate, build both HTML editions (warnings as errors), strict nbval on the
chapter, and the claim, notebook and schema tests on the copy.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from . import readers
from .conftest import ROOT

pytestmark = pytest.mark.slow

BOOK_FILES = ["_config.yml", "_toc.yml", "_config.zh.yml", "_toc.zh.yml", "CITATION.cff",
              "references.bib", "pyproject.toml", "notebooks", "data", "tools",
              "tests"]  # fmt: skip
BIN = Path(sys.executable).parent
PY = str(BIN / "python")
NEW = "new_chapter"  # the chapter's name: datapackage.json's list and notebooks/<name>.ipynb
FIGURE = "new_chapter_trips"  # its figure: the article's promotion trips, a second time
TEMPLATE = ROOT / "notebooks" / "_template" / "chapter.ipynb"
NOTEBOOKS = ["notebooks/*.ipynb", "notebooks/_template/*.ipynb"]  # as the Makefile globs them


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, cwd=cwd)


def ok(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def notebooks(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for glob in NOTEBOOKS for p in root.glob(glob))


def add_to_chapter_list(root: Path) -> None:
    """Step 1: the name joins the ``enum`` of ``indicators.chapter`` in datapackage.json, and
    its English and Chinese names join ``labels.csv`` (group ``chapter``)."""
    with (root / "data" / "labels.csv").open("a", encoding="utf-8", newline="") as f:
        f.write(f"chapter,{NEW},A new chapter,新的一章\n")
    path = root / "data" / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    indicators = next(r for r in package["resources"] if r["name"] == "indicators")
    field = next(f for f in indicators["schema"]["fields"] if f["name"] == "chapter")
    field["constraints"]["enum"].append(NEW)
    path.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def add_a_figure(root: Path) -> None:
    """Step 2: a row of ``indicators.csv`` in the chapter (here the article's promotion trips
    again, under an id of its own: its quote is still a verbatim, unique span)."""
    path = root / "data" / "indicators.csv"
    header, *rows = csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
    row = next(r for r in rows if r[0] == "promotion_trips").copy()
    row[header.index("id")], row[header.index("chapter")] = FIGURE, NEW
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerow(row)
    with path.open("a", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())


def copy_the_template(root: Path) -> Path:
    """Step 3: the template copied to ``notebooks/<name>.ipynb``, the name in its first code
    cell, and the chapter's figure in a sentence of each language (an ``en`` cell followed
    by its ``zh`` twin)."""
    target = root / "notebooks" / f"{NEW}.ipynb"
    nb = nbformat.read(TEMPLATE, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert "sz.chapter()" in first.source
    first.source = first.source.replace("sz.chapter()", f'sz.chapter("{NEW}")')
    at = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and i > 2)
    sentences = [
        ("en", f"The district reports {{eval}}`en.{FIGURE}` investment promotion trips."),
        ("zh", f"据区里介绍，全年开展招商推介{{eval}}`zh.{FIGURE}`。"),
    ]
    for offset, (lang, text) in enumerate(sentences):
        nb.cells.insert(at + offset, nbformat.v4.new_markdown_cell(text, metadata={"tags": [lang]}))
    nbformat.write(nb, target)
    return target


def add_to_the_tables_of_contents(root: Path) -> None:
    """Step 4: ``- file: notebooks/<name>`` in ``_toc.yml`` and ``_toc.zh.yml``."""
    for name in ("_toc.yml", "_toc.zh.yml"):
        toc = yaml.safe_load((root / name).read_text(encoding="utf-8"))
        toc["parts"][0]["chapters"].append({"file": f"notebooks/{NEW}"})
        (root / name).write_text(
            yaml.safe_dump(toc, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the book with the new chapter, executed and built as README says."""
    root = tmp_path_factory.mktemp("book")
    for name in BOOK_FILES:
        src = ROOT / name
        if src.is_dir():
            ignore = shutil.ignore_patterns(".ipynb_*", "__pycache__")
            shutil.copytree(src, root / name, ignore=ignore)
        else:
            shutil.copy(src, root / name)
    git = ["git", "-c", "user.name=book", "-c", "user.email=book@example.invalid"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "copy"]):
        ok(run(*git, *args, cwd=root))

    add_to_chapter_list(root)
    add_a_figure(root)
    copy_the_template(root)
    add_to_the_tables_of_contents(root)

    # Then: re-execute what the change made stale (the data changed: every notebook that
    # reads the indicators, and the new chapter), validate, and build both editions as
    # `make html` does (its `make fresh` must pass first).
    ok(run(PY, "tools/run_notebooks.py", "--stale", *notebooks(root), cwd=root))
    ok(run(PY, "tools/run_notebooks.py", "--check", *notebooks(root), cwd=root))
    ok(run(PY, "-m", "shizhong", "validate", "data", cwd=root))
    flags = ["--builder", "html", "--warningiserror", "--nitpick", "--keep-going"]
    jb = str(BIN / "jupyter-book")
    ok(run(jb, "build", ".", *flags, cwd=root))
    zh = ["--config", "_config.zh.yml", "--toc", "_toc.zh.yml", "--path-output", "_build/zh-tree"]
    ok(run(jb, "build", ".", *flags, *zh, cwd=root))
    shutil.copytree(root / "_build" / "zh-tree" / "_build" / "html", root / "_build/html/zh")
    return root


def test_the_chapter_is_named_in_the_data_and_set_up_by_its_notebook(book):
    from .test_schema import chapter_calls

    calls = chapter_calls(book / "notebooks")
    assert calls[NEW] == [NEW]
    glued = readers.glued(readers.read(book / "notebooks" / f"{NEW}.ipynb")).values
    assert glued[FIGURE] and glued[f"zh:{FIGURE}"]


def test_strict_nbval_passes_on_the_new_chapter(book):
    done = run(
        PY, "-m", "pytest", "--nbval", "-p", "no:cacheprovider", "-q",
        f"notebooks/{NEW}.ipynb", cwd=book,
    )  # fmt: skip
    ok(done)
    assert re.search(r"\b\d+ passed\b", done.stdout), done.stdout[-500:]


def test_readmes_tests_pass_on_the_book_with_the_new_chapter(book):
    """README: `pytest tests/test_claims.py tests/test_notebooks.py tests/test_schema.py`."""
    tests = ["tests/test_claims.py", "tests/test_notebooks.py", "tests/test_schema.py"]
    done = run(PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests, cwd=book)
    ok(done)
    assert re.search(rf"\[{NEW}\]", run(PY, "-m", "pytest", "--collect-only", "-q",
                                         "tests/test_claims.py", cwd=book).stdout)  # fmt: skip


def _text(page: str) -> str:
    """What a reader reads of a page: its text without tags (a glued value sits in a span)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())


def test_the_book_builds_with_the_new_chapter(book):
    page = (book / "_build" / "html" / "notebooks" / f"{NEW}.html").read_text(encoding="utf-8")
    glued = readers.glued(readers.read(book / "notebooks" / f"{NEW}.ipynb")).values
    assert f"{glued[FIGURE]} investment promotion trips" in _text(page)
    assert glued["most_rows"] in _text(page)
    assert "shizhong-chart" in page
    assert "Fig. " in page or "Figure" in page
    assert not (book / "_build" / "html" / "notebooks" / "_template").exists()


def test_the_chinese_edition_builds_with_the_new_chapter(book):
    text = (book / "_build" / "html" / "zh" / "notebooks" / f"{NEW}.html").read_text("utf-8")
    glued = readers.glued(readers.read(book / "notebooks" / f"{NEW}.ipynb")).values
    assert 'lang="zh-CN"' in text
    assert glued[f"zh:{FIGURE}"] in _text(text)
    assert glued["zh:most_rows"] in _text(text) and glued["most_rows"] not in _text(text)
