"""Shared fixtures: the repository's paths and a throwaway copy of the data."""

from __future__ import annotations

import csv
import importlib.util
import inspect
import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
T = TypeVar("T")


def load_tool(name: str) -> ModuleType:
    """A script of ``tools/`` (not a package) imported as a module."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec and spec.loader, name
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def nonempty(items: Iterable[T], what: str) -> list[T]:
    """``items`` as a list, for a test to loop or be parametrised over; none at all is an
    error at collection (a test over an empty list would pass without checking anything)."""
    found = list(items)
    assert found, f"no {what}: a test over them would check nothing"
    return found


def source_date_epoch() -> str:
    """The build's timestamp, as the Makefile sets it: $SOURCE_DATE_EPOCH, else the last
    commit's time."""
    if epoch := os.environ.get("SOURCE_DATE_EPOCH"):
        return epoch
    done = subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout.strip() or "1577836800"


# A test that reads the built book's pages (through a module's page helper, or by path).
_READS_BUILT_PAGES = re.compile(r'\b(_page|soup|article)\(|"_build"\s*/\s*"html"')


# The longest test files, longest first: `make test` (`--dist loadfile`: a file, and so a
# notebook's cells, stays in one pytest-xdist worker) starts them first, so that no long file
# is left for the end while the other worker idles.
LONGEST_FIRST = [
    "test_lab.py",
    "test_browser.py",
    "test_propagation.py",
    "test_pdf.py",
    "test_hostile_build.py",
    "test_new_chapter.py",
    "test_build_failures.py",
]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that read the built HTML ``built`` (`make check` leaves them out), and
    put the longest files first."""
    for item in items:
        function = getattr(item, "function", None)
        if function is not None and _READS_BUILT_PAGES.search(inspect.getsource(function)):
            item.add_marker(pytest.mark.built)
    first = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: first.get(Path(str(item.fspath)).name, len(first)))  # stable


def csv_rows(name: str) -> list[dict[str, str]]:
    """The rows of ``data/<name>.csv`` as the csv module reads them (no shizhong code)."""
    with open(DATA / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def spy(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[Any]:
    """Record the first argument of every call of ``owner.name`` from now on (it still runs)."""
    calls: list[Any] = []
    real = getattr(owner, name)

    def recorded(first: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(first)
        return real(first, *args, **kwargs)

    monkeypatch.setattr(owner, name, recorded)
    return calls


@pytest.fixture
def glue_log(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Every value glued during the test, ``{key: stored text}``, instead of the notebook."""
    values: dict[str, str] = {}
    monkeypatch.setattr("myst_nb.glue", lambda key, value, display: values.setdefault(key, value))
    return values


@pytest.fixture(scope="session")
def data():
    """The real dataset, loaded once."""
    import shizhong as sz

    return sz.load(DATA)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of ``data/`` that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and records of a CSV file."""
    records = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    return records[0], records[1:]


def write_rows(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """Write records back with standard quoting."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def set_cell(path: Path, row_id: str, column: str, value: str) -> None:
    """Change one cell of the row whose ``id`` is ``row_id``."""
    header, rows = read_rows(path)
    for row in rows:
        if row[header.index("id")] == row_id:
            row[header.index(column)] = value
            break
    else:
        raise KeyError(row_id)
    write_rows(path, header, rows)


def line_of(path: Path, row_id: str) -> int:
    """The line where the record with ``row_id`` starts."""
    from shizhong.validate import parse_csv

    table = parse_csv(path.read_text(encoding="utf-8"))
    i = [r[table.header.index("id")] for r in table.rows].index(row_id)
    return table.lines[i]
