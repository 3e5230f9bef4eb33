"""The benchmark's own parts (`make bench` itself is not run here): where it writes README's
table, the import floor it builds, and the stock peer's renderer."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import nbformat
import pytest

from .conftest import ROOT


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench", ROOT / "tools" / "bench.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_table_is_written_between_the_markers_only(bench, tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text((ROOT / "README.md").read_text(encoding="utf-8"), encoding="utf-8")
    before, _, rest = readme.read_text(encoding="utf-8").partition(bench.START)
    after = rest.partition(bench.END)[2]
    section = f"{bench.START}\n| measured | table |\n{bench.END}"
    bench.write_readme(section, readme)
    assert readme.read_text(encoding="utf-8") == before + section + after


def test_readme_without_markers_is_a_one_line_error(bench, tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# A book\n\n## Performance\n", encoding="utf-8")
    message = r"README\.md: no <!-- bench:start --> \.\.\. <!-- bench:end --> markers"
    with pytest.raises(SystemExit, match=message):
        bench.write_readme("table", readme)


def test_floor_has_every_toc_notebook_cut_to_its_title_and_imports(bench, tmp_path) -> None:
    floor = bench.make_floor(tmp_path / "floor")
    notebooks = bench.notebooks()
    assert notebooks, "no notebook in _toc.yml"
    for path in notebooks:
        nb = nbformat.read(floor / path, as_version=4)
        title, code = nb.cells
        assert title.source.startswith("# "), path
        assert code.source == bench.FLOOR_CELL, path
        original = nbformat.read(ROOT / path, as_version=4)
        assert nb.metadata.kernelspec == original.metadata.kernelspec, path


def active_renderer_after_setup(notebooks: list[str], startup: str) -> list[str]:
    """Altair's active renderer after each notebook's first code cell, with ``startup`` run
    first, as the stock peer's kernels run their IPython start-up file."""
    cells = []
    for path in notebooks:
        nb = nbformat.read(ROOT / path, as_version=4)
        first = next(cell.source for cell in nb.cells if cell.cell_type == "code")
        cells.append(f"{first}\nprint(altair.renderers.active)")
    code = "\n".join(["import altair", startup, *cells])
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT / "notebooks",
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.split()


def test_stock_peer_keeps_altairs_default_renderer(bench) -> None:
    notebooks = bench.notebooks()
    assert set(active_renderer_after_setup(notebooks, bench.DEFAULT_RENDERER)) == {"default"}
    # Without the start-up file the chapters switch to the book's renderer: the peer's
    # start-up file is what keeps them on Altair's default.
    assert set(active_renderer_after_setup(notebooks, "")) != {"default"}
