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


def synthetic(bench, wall: dict[str, float], cpu: dict[str, float] | None = None) -> dict:
    """Results as ``bench.measure`` returns them, from given medians."""
    keys = {k for pair in bench.RATIOS.values() for k in pair[:2]}
    times = {k: {"wall": wall.get(k, 10.0), "cpu": (cpu or {}).get(k, wall.get(k, 10.0))}
             for k in keys}  # fmt: skip
    steps = {"kernel start": {"wall": 0.5, "cpu": 0.4}}
    pages = {"page_bytes": 1_000_000, "page_bytes_page": "index.html", "chart_ms": 500.0,
             "chart_ms_page": "notebooks/economy.html"}  # fmt: skip
    return {"times": times, "steps": steps, "pages": pages}


def within_targets(bench) -> dict[str, float]:
    return {"clean": 10.0, "floor": 8.0, "peer": 20.0, "noop": 1.0, "nbval": 6.0,
            "exec_warm": 5.0, "editions": 13.0, "economy": 2.0, "economy_floor": 1.5}  # fmt: skip


def test_every_ratio_is_judged_on_wall_and_on_cpu_time(bench) -> None:
    wall = within_targets(bench)
    assert all(v["pass"] for v in bench.verdicts(synthetic(bench, wall)).values())
    cpu = {**wall, "clean": 15.0}  # 15 / 8 > 1.5 on CPU time only
    verdicts = bench.verdicts(synthetic(bench, wall, cpu))
    assert not verdicts["clean build / import floor"]["pass"]
    assert verdicts["clean build / import floor"]["wall"] == pytest.approx(10 / 8)
    heavy = synthetic(bench, wall)
    heavy["pages"]["page_bytes"] = bench.LIMITS["page_bytes"] + 1
    assert not bench.verdicts(heavy)["page_bytes"]["pass"]


def test_the_table_states_the_load_and_the_misses(bench) -> None:
    res = synthetic(bench, {**within_targets(bench), "nbval": 9.0})
    res.update(commit="abc1234", measured_at="2026-12-06 10:00 UTC", cpu_count=2, runs=3,
               loadavg_at_start=(2.5, 2.0, 1.0))  # fmt: skip
    res["verdicts"] = bench.verdicts(res)
    table = bench.readme_section(res)
    assert "load average 2.50, 2.00, 1.00 at the start: **not a quiet run**" in table
    assert "| strict nbval / plain execution | 1.80; 1.80 | ≤ 1.3 on both | **miss** |" in table
    res["loadavg_at_start"] = (0.4, 0.9, 1.2)
    assert "0.40, 0.90, 1.20 at the start: a quiet run;" in bench.readme_section(res)


def test_a_missed_target_fails_the_benchmark(bench, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(bench.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(bench, "RESULTS", tmp_path / "results.json")
    written: list[str] = []
    monkeypatch.setattr(bench, "write_readme", written.append)
    good = within_targets(bench)
    monkeypatch.setattr(bench, "measure", lambda work, runs: synthetic(bench, good))
    assert bench.main(["--runs", "1"]) == 0
    monkeypatch.setattr(bench, "measure", lambda work, runs: synthetic(bench, {**good, "noop": 5}))
    assert bench.main(["--runs", "1"]) == 1
    assert len(written) == 2 and "**miss**" in written[1]
