"""The build fails loudly: a notebook error, a missing glue key or a broken reference
each stop it. Every case breaks a throwaway copy of the book, never the real one; the
faults share one broken copy, built once."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow

BOOK_FILES = ["_config.yml", "_toc.yml", "references.bib", "CITATION.cff", "notebooks", "data"]
JB = str(Path(sys.executable).with_name("jupyter-book"))


def copy_book(target: Path) -> Path:
    """A copy of the book's sources."""
    for name in BOOK_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, target / name, ignore=shutil.ignore_patterns(".ipynb_*"))
        else:
            shutil.copy(src, target / name)
    return target


def build(book: Path) -> subprocess.CompletedProcess[str]:
    """Build the copy exactly as `make html` builds the real book."""
    return subprocess.run(
        [JB, "build", str(book), "--builder", "html", "--warningiserror", "--nitpick",
         "--keep-going"],
        capture_output=True, text=True,
    )  # fmt: skip


def edit_markdown(book: Path, notebook: str, old: str, new: str) -> None:
    """Replace text in the first markdown cell of ``notebook`` that contains ``old``."""
    path = book / "notebooks" / f"{notebook}.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and old in source:
            cell["source"] = source.replace(old, new, 1)
            break
    else:
        raise AssertionError(f"{old!r} not found in {notebook}")
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")


def add_error_cell(book: Path, notebook: str) -> None:
    path = book / "notebooks" / f"{notebook}.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"].append({
        "cell_type": "code", "execution_count": 99, "id": "broken", "metadata": {},
        "source": "1 / 0",
        "outputs": [{"output_type": "error", "ename": "ZeroDivisionError",
                     "evalue": "division by zero", "traceback": []}],
    })  # fmt: skip
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")


@pytest.fixture(scope="module")
def unbroken(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    """The build of an unchanged copy (built once for this module)."""
    return build(copy_book(tmp_path_factory.mktemp("unbroken")))


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    """One build of a copy with every fault below at once: ``--keep-going`` reports each, and
    the book is built once rather than once per fault."""
    book = copy_book(tmp_path_factory.mktemp("broken"))
    add_error_cell(book, "economy")
    edit_markdown(book, "economy", "{eval}`en.finance_tax`", "{eval}`en.finance_tax_typo`")
    edit_markdown(
        book, "economy", "(economy.ipynb#fig-economy-amounts)", "(economy.ipynb#fig-economy-nope)"
    )
    edit_markdown(book, "overview", "(methods.ipynb)", "(no-such-chapter.ipynb)")
    # an English cell reading a Chinese value
    edit_markdown(book, "economy", "{eval}`en.ict_tax`", "{eval}`zh.ict_tax`")
    return build(book)


def test_the_unbroken_copy_builds(unbroken):
    assert unbroken.returncode == 0, unbroken.stdout[-3000:] + unbroken.stderr[-3000:]


def test_a_notebook_error_fails_the_build(broken):
    assert broken.returncode != 0
    assert "stored error output: ZeroDivisionError" in broken.stderr


def test_a_missing_glue_key_fails_the_build(broken):
    assert broken.returncode != 0
    assert "No key 'finance_tax_typo' found in glue data" in broken.stderr


def test_a_broken_reference_fails_the_build(broken):
    assert broken.returncode != 0
    assert "undefined label: 'fig-economy-nope'" in broken.stderr
    assert "no-such-chapter" in broken.stderr


def test_a_value_of_the_other_language_fails_the_build(broken):
    assert broken.returncode != 0
    assert "{eval}`zh.ict_tax` in a cell of the en edition" in broken.stderr


def test_executing_a_failing_notebook_fails(tmp_path):
    """`make notebooks` stops on the first cell error, so no error output is ever stored."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("1 / 0")]
    nb.metadata["kernelspec"] = {"name": "shizhong", "display_name": "shizhong"}
    path = tmp_path / "broken.ipynb"
    nbformat.write(nb, path)
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "run_notebooks.py"), str(path)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode != 0
    assert "ZeroDivisionError" in done.stderr
    assert nbformat.read(path, as_version=4).cells[0].outputs == []
