"""A chapter made from the template notebook, as README's checklist says, joins the book.

In a throwaway copy of the book: copy the template, list it in ``_toc.yml``, execute it,
then strict nbval passes on it, the claim rules hold, and the HTML build (warnings as
errors) renders its glued number and its chart.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from . import readers
from .conftest import ROOT

pytestmark = pytest.mark.slow

BOOK_FILES = ["_config.yml", "_toc.yml", "_config.zh.yml", "_toc.zh.yml", "CITATION.cff",
              "references.bib", "notebooks", "data", "tools"]  # fmt: skip
BIN = Path(sys.executable).parent
NEW = "new-chapter"
TEMPLATE = ROOT / "notebooks" / "_template" / "chapter.ipynb"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the book with a new chapter made from the template, executed."""
    root = tmp_path_factory.mktemp("book")
    for name in BOOK_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, root / name, ignore=shutil.ignore_patterns(".ipynb_*"))
        else:
            shutil.copy(src, root / name)
    shutil.copy(TEMPLATE, root / "notebooks" / f"{NEW}.ipynb")
    for name in ("_toc.yml", "_toc.zh.yml"):  # README: the chapter joins both editions
        toc = yaml.safe_load((root / name).read_text(encoding="utf-8"))
        toc["parts"][0]["chapters"].append({"file": f"notebooks/{NEW}"})
        (root / name).write_text(
            yaml.safe_dump(toc, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
    done = run(str(BIN / "python"), "tools/run_notebooks.py", f"notebooks/{NEW}.ipynb", cwd=root)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return root


def test_strict_nbval_passes_on_the_new_chapter(book):
    done = run(
        str(BIN / "python"), "-m", "pytest", "--nbval", "-p", "no:cacheprovider", "-q",
        f"notebooks/{NEW}.ipynb", cwd=book,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:]
    assert re.search(r"\b2 passed\b", done.stdout), done.stdout[-500:]


def test_the_new_chapter_obeys_the_claim_rules(book):
    years = readers.years(book / "data" / "datapackage.json")
    assert readers.notebook_problems(book / "notebooks" / f"{NEW}.ipynb", years) == []


def test_the_book_builds_with_the_new_chapter(book):
    done = run(
        str(BIN / "jupyter-book"), "build", ".", "--builder", "html", "--warningiserror",
        "--nitpick", "--keep-going", cwd=book,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    page = (book / "_build" / "html" / "notebooks" / f"{NEW}.html").read_text(encoding="utf-8")
    nb = readers.read(book / "notebooks" / f"{NEW}.ipynb")
    glued = readers.glued(nb).values
    assert glued["n_rows"] in page
    assert glued["most_rows"] in page
    assert "shizhong-chart" in page
    assert "Fig. " in page or "Figure" in page
    assert not (book / "_build" / "html" / "notebooks" / "_template").exists()


def test_the_chinese_edition_builds_with_the_new_chapter(book):
    done = run(
        str(BIN / "jupyter-book"), "build", ".", "--builder", "html", "--warningiserror",
        "--nitpick", "--keep-going", "--config", "_config.zh.yml", "--toc", "_toc.zh.yml",
        "--path-output", "_build/zh-tree", cwd=book,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    page = book / "_build" / "zh-tree" / "_build" / "html" / "notebooks" / f"{NEW}.html"
    text = page.read_text(encoding="utf-8")
    glued = readers.glued(readers.read(book / "notebooks" / f"{NEW}.ipynb")).values
    assert 'lang="zh-CN"' in text
    assert glued["zh:most_rows"] in text and glued["most_rows"] not in text
