"""The translation cannot drift: every Chinese cell was reviewed against its English as it is.

Each ``zh`` Markdown cell records the hash of the English twin it was last reviewed against
(``metadata.translation.en_sha256``, :mod:`shizhong.translations`). The book's notebooks are
checked first; then a copy of a chapter is changed the ways an editor changes it, to see a
reworded English cell flagged by id and a mechanical change (a role, a re-wrapped line, the
results JupyterLab stores, an output) not flagged.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from shizhong import translations

from .conftest import ROOT, nonempty

NOTEBOOKS = nonempty(sorted((ROOT / "notebooks").glob("*.ipynb")), "chapter notebooks")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_chinese_cell_was_reviewed_against_its_english(path):
    pending = translations.status([path])
    assert not pending, (
        "\n".join(t.describe() for t in pending)
        + "\nReview the Chinese, then: python -m shizhong translations mark "
        + f"notebooks/{path.name} --cell <id> (see README, 'Marking a translation reviewed')"
    )


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shizhong", "translations", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


@pytest.fixture
def chapter(tmp_path) -> Path:
    """A copy of the economy chapter with every Chinese cell marked reviewed."""
    path = tmp_path / "economy.ipynb"
    nb = nbformat.read(ROOT / "notebooks" / "economy.ipynb", as_version=4)
    for cell in nb.cells:  # as if never reviewed: the marks below are this test's own
        cell.metadata.pop("translation", None)
    nbformat.write(nb, path)
    assert translations.status([path]), "an unmarked copy has nothing to review"
    assert translations.mark(path), "nothing was marked"
    assert translations.status([path]) == []
    return path


def _edit(path: Path, index: int, change) -> None:
    nb = nbformat.read(path, as_version=4)
    change(nb.cells[index])
    nbformat.write(nb, path)


def _first_twin(path: Path) -> translations.Twin:
    return translations.twins(path)[0]


def test_reworded_english_marks_its_chinese_stale_and_names_it(chapter):
    nb = nbformat.read(chapter, as_version=4)
    twin = next(t for t in translations.twins(chapter) if " the " in nb.cells[t.index - 1].source)

    def reword(cell):
        cell.source = cell.source.replace(" the ", " a ", 1)

    _edit(chapter, twin.index - 1, reword)
    pending = translations.status([chapter])
    assert [t.zh_id for t in pending] == [twin.zh_id]
    message = pending[0].describe()
    assert twin.zh_id in message and twin.en_id in message and "English changed" in message
    done = run("status", str(chapter))
    assert done.returncode == 1 and twin.zh_id in done.stdout, done.stdout


def test_an_unmarked_chinese_cell_is_reported(chapter):
    twin = _first_twin(chapter)
    _edit(chapter, twin.index, lambda cell: cell.metadata.pop(translations.METADATA))
    assert [t.state for t in translations.status([chapter])] == ["unmarked"]


@pytest.mark.parametrize(
    "change",
    [
        "role",
        "wrap",
        "user_expressions",
        "outputs",
        "chinese",
    ],
)
def test_a_mechanical_change_keeps_the_chinese_reviewed(chapter, change):
    nb = nbformat.read(chapter, as_version=4)
    twin = next(
        t for t in translations.twins(chapter) if "{eval}`en." in nb.cells[t.index - 1].source
    )
    en = nb.cells[twin.index - 1]
    if change == "role":  # the book's spelling of the same glued value and reference
        en.source = en.source.replace("{eval}`en.", "{glue:text}`").replace(
            "[Reported growth rates](economy.ipynb#fig-economy-growth)",
            "{numref}`fig-economy-growth`",
        )
    elif change == "wrap":
        en.source = en.source.replace(" ", "\n", 3)
    elif change == "user_expressions":
        en.metadata["user_expressions"] = [{"expression": "en.x", "result": {"status": "ok"}}]
    elif change == "outputs":  # a code cell's outputs and every cell's execution change
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
    elif change == "chinese":  # the Chinese itself may be edited; it stays marked
        nb.cells[twin.index].source += "\n"
    nbformat.write(nb, chapter)
    assert translations.status([chapter]) == []


def test_mark_one_cell_by_id(chapter):
    first, second = translations.twins(chapter)[:2]
    for twin in (first, second):
        _edit(chapter, twin.index - 1, lambda cell: setattr(cell, "source", cell.source + " X"))
    assert len(translations.status([chapter])) == 2
    done = run("mark", str(chapter), "--cell", first.en_id)
    assert done.returncode == 0, done.stderr
    assert [t.zh_id for t in translations.status([chapter])] == [second.zh_id]
    assert run("mark", str(chapter), "--cell", second.zh_id).returncode == 0
    assert run("status", str(chapter)).returncode == 0


def test_mark_refuses_an_unknown_cell(chapter):
    done = run("mark", str(chapter), "--cell", "no-such-cell")
    assert done.returncode == 1
    assert "no-such-cell" in done.stderr and "Traceback" not in done.stderr


def test_mark_changes_nothing_but_the_record(chapter, tmp_path):
    pristine = tmp_path / "pristine.ipynb"
    shutil.copy(ROOT / "notebooks" / "economy.ipynb", pristine)
    translations.mark(pristine)
    assert pristine.read_bytes() == chapter.read_bytes()
    before = nbformat.read(ROOT / "notebooks" / "economy.ipynb", as_version=4)
    after = nbformat.read(pristine, as_version=4)
    for old, new in zip(before.cells, after.cells, strict=True):
        new.metadata.pop(translations.METADATA, None)
        old.metadata.pop(translations.METADATA, None)
        assert old == new


def test_normalise_reads_roles_and_links_as_one():
    assert translations.normalise("{eval}`en.a` and\n  {glue:text}`a`") == "{a} and {a}"
    assert translations.normalise("[朱振 and 李猛, 2020](references.md#zhu_li_2020)") == (
        translations.normalise("{cite}`zhu_li_2020`")
    )
    assert translations.normalise("[Methods](methods.ipynb)") == (
        translations.normalise("{doc}`Methods <methods>`")
    )
    assert translations.normalise("[x.csv](../data/x.csv)") == (
        translations.normalise("{download}`x.csv </data/x.csv>`")
    )
    assert translations.en_hash("the figure") != translations.en_hash("a figure")
