"""The book is never built from stale outputs: each executed notebook records what it was
executed against (``shizhong.inputs``), and `make html` / `make pdf` stop on a notebook whose
record no longer holds, naming it and the command that refreshes it, without executing it.

The checks run on copies of the notebooks and the data; only
``test_recording_names_what_the_notebook_read`` starts a kernel.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from shizhong import inputs

from .conftest import ROOT, nonempty

PY = sys.executable
NOTEBOOKS = nonempty(sorted(ROOT.glob("notebooks/*.ipynb")), "chapter notebooks") + nonempty(
    sorted(ROOT.glob("notebooks/_template/*.ipynb")), "template notebooks"
)
RATE_READERS = {"economy", "data-dictionary"}  # the notebooks that read exchange_rates.csv


def check(book: Path) -> subprocess.CompletedProcess[str]:
    paths = [str(p.relative_to(ROOT)) for p in NOTEBOOKS]
    return subprocess.run(
        [PY, str(ROOT / "tools" / "run_notebooks.py"), "--check", *paths],
        cwd=book, capture_output=True, text=True,
    )  # fmt: skip


def stale_stems(book: Path) -> set[str]:
    return {
        p.stem
        for p in [book / p.relative_to(ROOT) for p in NOTEBOOKS]
        if inputs.stale(json.loads(p.read_text(encoding="utf-8")), book)
    }


def as_if_just_executed(path: Path, book: Path) -> None:
    """Make a notebook's record hold for ``book`` as it is now, keeping what it names: so
    that these tests start from fresh notebooks even while the repository's are stale."""

    def refresh(nb):
        record = nb["metadata"][inputs.KEY]
        record["cells"] = inputs.cells_digest(nb)
        descriptors: dict = {}
        record["data"] = {k: inputs._current(book, k, descriptors) for k in record["data"]}
        base = inputs._package_dir().parent
        record["code"] = {k: inputs.sha256((base / k).read_bytes()) for k in record["code"]}

    edit(path, refresh)


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """The notebooks, the data and references.bib (what the notebooks read), fresh."""
    for name in ("notebooks", "data"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns(".ipynb_*"))
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    for path in NOTEBOOKS:
        as_if_just_executed(tmp_path / path.relative_to(ROOT), tmp_path)
    return tmp_path


def edit(path: Path, change) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    change(nb)
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_is_fresh(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert inputs.KEY in nb["metadata"], f"{path.name}: no record; run make notebooks"
    assert inputs.stale(nb, ROOT) == [], f"{path.name}: stale; run make notebooks"


def test_the_copy_is_fresh(book: Path) -> None:
    done = check(book)
    assert done.returncode == 0, done.stderr
    assert stale_stems(book) == set()


def test_a_data_change_stops_the_build_naming_its_readers(book: Path) -> None:
    rates = book / "data" / "exchange_rates.csv"
    text = rates.read_text(encoding="utf-8")
    old = re.search(r"^USD,CNY,2019,([\d.]+),", text, re.M)
    assert old, "no 2019 USD→CNY rate"
    new = f"USD,CNY,2019,{float(old.group(1)) + 1},"
    rates.write_text(text.replace(old.group(0), new, 1), encoding="utf-8")
    done = check(book)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "notebooks/economy.ipynb (data/exchange_rates.csv changed)" in lines[0]
    assert "make notebooks" in lines[0]
    assert (
        "tools/run_notebooks.py notebooks/data-dictionary.ipynb notebooks/economy.ipynb"
        in (lines[0])
    )
    assert stale_stems(book) == RATE_READERS


def test_a_schema_change_of_a_table_stales_its_readers(book: Path) -> None:
    path = book / "data" / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    glossary = next(r for r in package["resources"] if r["name"] == "glossary")
    glossary["title"] += " (revised)"
    path.write_text(json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8")
    readers = {
        p.stem
        for p in NOTEBOOKS
        if any(
            k.endswith(("#resources/glossary", "datapackage.json"))
            for k in json.loads(p.read_text(encoding="utf-8"))["metadata"][inputs.KEY]["data"]
        )
    }
    assert "glossary" in readers and "economy" not in readers
    assert stale_stems(book) == readers


def test_a_library_change_stales_the_notebooks_that_imported_it(
    book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = tmp_path / "lib" / "shizhong"
    shutil.copytree(ROOT / "lib" / "shizhong", lib, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(inputs, "_package_dir", lambda: lib)
    assert stale_stems(book) == set()
    # The Sphinx extension never runs in a kernel: changing it stales nothing.
    with (lib / "sphinxext" / "__init__.py").open("a", encoding="utf-8") as out:
        out.write("\n# a comment\n")
    assert stale_stems(book) == set()
    with (lib / "chart.py").open("a", encoding="utf-8") as out:
        out.write("\n# a comment\n")
    importers = {
        p.stem
        for p in NOTEBOOKS
        if "shizhong/chart.py"
        in json.loads(p.read_text(encoding="utf-8"))["metadata"][inputs.KEY]["code"]
    }
    assert "economy" in importers and "glossary" not in importers
    assert stale_stems(book) == importers
    economy = json.loads((book / "notebooks" / "economy.ipynb").read_text(encoding="utf-8"))
    reasons = inputs.stale(economy, book)
    assert reasons == ["lib/shizhong/chart.py changed"]


def test_unrelated_changes_stale_nothing(book: Path) -> None:
    (book / "README.md").write_text("# changed\n", encoding="utf-8")

    def markdown_and_metadata(nb):  # prose, review marks, stored prose values, tags, a PNG
        for cell in nb["cells"]:
            if cell["cell_type"] == "markdown":
                cell["source"] = "A rewritten paragraph.\n"
                cell["metadata"]["user_expressions"] = [{"expression": "x", "result": {}}]
            cell["metadata"]["review"] = {"checked": True}
            cell["metadata"].setdefault("tags", []).append("a-new-tag")
            for out in cell.get("outputs", []):
                if "application/vnd.vega.v5+json" in out.get("data", {}):
                    out["data"]["image/png"] = "iVBORw0KGgo="
        nb["metadata"]["other_work"] = {"anything": 1}

    for path in NOTEBOOKS:
        edit(book / path.relative_to(ROOT), markdown_and_metadata)
    assert stale_stems(book) == set()


def test_a_changed_code_cell_or_output_stales_that_notebook_only(book: Path) -> None:
    def code(nb):
        cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
        cell["source"] = "".join(cell["source"]) + "\n# changed"

    def output(nb):
        cell = next(c for c in nb["cells"] if c["cell_type"] == "code" and c["outputs"])
        cell["outputs"] = []

    edit(book / "notebooks" / "talent.ipynb", code)
    edit(book / "notebooks" / "glossary.ipynb", output)
    assert stale_stems(book) == {"talent", "glossary"}


def test_a_notebook_without_a_record_is_stale(book: Path) -> None:
    edit(book / "notebooks" / "overview.ipynb", lambda nb: nb["metadata"].pop(inputs.KEY))
    done = check(book)
    assert done.returncode == 1
    assert "notebooks/overview.ipynb (no record of its inputs)" in done.stderr


def test_make_html_and_pdf_check_before_building() -> None:
    for target in ("html", "pdf"):
        done = subprocess.run(
            ["make", "-n", target], cwd=ROOT, capture_output=True, text=True, check=True
        )
        commands = done.stdout.splitlines()
        at = next(i for i, c in enumerate(commands) if "run_notebooks.py --check" in c)
        build = next(
            i for i, c in enumerate(commands) if "jupyter-book build" in c or "build_pdf.py" in c
        )
        assert at < build, target
        assert not any("run_notebooks.py notebooks" in c for c in commands), "never executes"


def test_recording_names_what_the_notebook_read(book: Path) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "shizhong", "display_name": "Python (shizhong)"}
    nb.cells = [
        nbformat.v4.new_code_cell("import shizhong as sz\n\ndata = sz.load()"),
        nbformat.v4.new_code_cell("len(data.exchange_rates)"),
        nbformat.v4.new_code_cell("open('../references.bib', encoding='utf-8').read(1)"),
    ]
    path = book / "notebooks" / "probe.ipynb"
    nbformat.write(nb, path)
    done = subprocess.run(
        [PY, str(ROOT / "tools" / "run_notebooks.py"), str(path)],
        cwd=book, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    nb = nbformat.read(path, as_version=4)
    record = nb.metadata[inputs.KEY]
    assert set(record["data"]) == {
        "data/exchange_rates.csv",
        "data/datapackage.json#resources/exchange_rates",
        "references.bib",
    }
    assert "shizhong/dataset.py" in record["code"]
    assert "shizhong/chart.py" not in record["code"]
    # The recording ran out of the notebook's history: its cells count from 1.
    assert [c.execution_count for c in nb.cells] == [1, 2, 3]
    assert inputs.stale(nb, book) == []
    (book / "references.bib").write_text("changed", encoding="utf-8")
    assert inputs.stale(nb, book) == ["references.bib changed"]
