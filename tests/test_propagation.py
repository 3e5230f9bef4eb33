"""A changed input flows into every output, and a stale output fails: the book's
reproducibility promise, on a temporary copy of the repository (the tracked files as they
are in the work tree; the project's .venv runs everything).

The input is the 2019 USD→CNY rate in ``data/exchange_rates.csv``, which the article does
not state. Only the economy chapter depends on it: it converts the CIIE deals (a USD figure)
to yuan and glues the result into its prose. The data dictionary describes the table's
fields and row count, not its values, and no other notebook reads the table.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from .conftest import ROOT

pytestmark = pytest.mark.slow

RATES = "data/exchange_rates.csv"
NEW_RATE = "9.8765"  # was 6.8985 (NBS); any value that changes the rounded yuan figure
DEPENDENT = {"economy"}  # the notebooks whose outputs depend on the rate (see above)
READ_ONLY = {"data-dictionary"}  # reads the table (its row count) without depending on the rate
CHART_PDF_CACHE = ROOT / "_build" / "pdf-tree" / "_build" / ".chart-pdf-cache"
PY = sys.executable


def _run(cmd: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, cwd=cwd, capture_output=True, text=True, env={**os.environ, **env}, check=False
    )


def _copy_repository(target: Path) -> Path:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    return target


def _set_rate(book: Path, rate: str) -> None:
    """Change the 2019 USD→CNY rate, keeping the file's other bytes."""
    path = book / RATES
    text = path.read_text(encoding="utf-8")
    header, *rows = list(csv.reader(io.StringIO(text, newline="")))
    hits = [i for i, r in enumerate(rows) if r[:3] == ["USD", "CNY", "2019"]]
    assert len(hits) == 1, f"no single 2019 USD→CNY row in {RATES}"
    old = rows[hits[0]][header.index("rate")]
    new_text = text.replace(f"USD,CNY,2019,{old},", f"USD,CNY,2019,{rate},", 1)
    assert new_text != text
    path.write_text(new_text, encoding="utf-8")


def _nbval(book: Path, notebooks: list[str]) -> tuple[dict[str, bool], set[str]]:
    """Strict nbval on ``notebooks`` (stems) of ``book``: which pass, and which fail the
    check of their stored prose values (``shizhong_pytest.nbcheck``)."""
    paths = [f"notebooks/{n}.ipynb" for n in notebooks]
    done = _run(
        [PY, "-m", "pytest", "-p", "no:cacheprovider", "--nbval", "-n", "2", "--dist",
         "loadfile", "-q", "-rfE", *paths],
        book,
    )  # fmt: skip
    failed = set(re.findall(r"^(?:FAILED|ERROR) notebooks/([\w-]+)\.ipynb", done.stdout, re.M))
    assert done.returncode in (0, 1), done.stdout[-3000:] + done.stderr[-2000:]
    assert failed or done.returncode == 0, done.stdout[-3000:]
    prose = set(re.findall(r"^FAILED notebooks/([\w-]+)\.ipynb::Markdown \d+", done.stdout, re.M))
    return {n: n not in failed for n in notebooks}, prose


def _ciie_yuan(book: Path) -> str:
    """The CIIE deals in yuan, derived by hand, not by the library: the article's 超1亿美元 is
    a bound of 1 亿 US dollars, so in 亿元 it is the 2019 rate itself, which the economy
    chapter writes to its 4 decimals."""
    assert "超1亿美元" in (book / "data" / "raw" / "shizhong-2019-review.zh.txt").read_text()
    header, *rows = csv.reader(io.StringIO((book / RATES).read_text(encoding="utf-8")))
    rate = next(r for r in rows if r[:3] == ["USD", "CNY", "2019"])[header.index("rate")]
    return f"{float(rate):.4f}\xa0亿元"


def _glued(notebook: bytes, key: str) -> str:
    """The stored ``text/plain`` of a glued value."""
    nb = nbformat.reads(notebook.decode("utf-8"), as_version=4)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("metadata", {}).get("scrapbook", {}).get("name") == key:
                return str(out["data"]["application/papermill.record/text/plain"])
    raise AssertionError(f"no glued {key!r}")


def _cells(notebook: bytes) -> list[object]:
    """The cells of a notebook (its metadata left out)."""
    return nbformat.reads(notebook.decode("utf-8"), as_version=4).cells


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_a_changed_rate_flows_into_the_book(tmp_path: Path) -> None:
    book = _copy_repository(tmp_path / "book")
    stems = sorted(p.stem for p in (book / "notebooks").glob("*.ipynb"))
    before = {n: (book / "notebooks" / f"{n}.ipynb").read_bytes() for n in stems}
    old_figure = _ciie_yuan(book)
    _set_rate(book, NEW_RATE)
    new_figure = _ciie_yuan(book)
    assert new_figure != old_figure, "the new rate does not change the rounded figure"
    assert (old_figure, new_figure) == ("6.8985\xa0亿元", "9.8765\xa0亿元")  # 1 亿 USD x rate
    assert _glued(before["economy"], "ciie_deals_cny") == repr(f"more than {old_figure}")

    # (a) Strict nbval fails on exactly the notebooks that depend on the rate, and so does the
    # check of the prose's stored values (the figure in the sentence, as Lab shows it).
    passed, prose = _nbval(book, stems)
    assert {n for n, ok in passed.items() if not ok} == DEPENDENT
    assert prose == DEPENDENT

    # The build stops, naming the notebooks that read the rates (the dependent ones, and the
    # data dictionary, which counts the table's rows), and executes none.
    paths = [f"notebooks/{n}.ipynb" for n in stems]
    check = _run([PY, "tools/run_notebooks.py", "--check", *paths], book)
    assert check.returncode == 1
    named = set(re.findall(r"notebooks/([\w-]+)\.ipynb \(", check.stderr))
    assert DEPENDENT <= named <= DEPENDENT | READ_ONLY, check.stderr
    assert {
        n for n in stems if (book / "notebooks" / f"{n}.ipynb").read_bytes() != before[n]
    } == set()

    # Refresh the stale notebooks only.
    done = _run([PY, "tools/run_notebooks.py", "--stale", *paths], book)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert set(re.findall(r"executed notebooks/([\w-]+)\.ipynb", done.stdout)) == named
    assert _run([PY, "tools/run_notebooks.py", "--check", *paths], book).returncode == 0

    # (c) Only those notebooks changed, and only the dependent ones in their cells (the others
    # in their record of inputs); every other one is byte-identical.
    after = {n: (book / "notebooks" / f"{n}.ipynb").read_bytes() for n in stems}
    assert {n for n in stems if after[n] != before[n]} == named
    assert {n for n in stems if _cells(after[n]) != _cells(before[n])} == DEPENDENT

    # (b) Strict nbval passes again (the others were just shown byte-identical, and passed).
    passed, prose = _nbval(book, sorted(DEPENDENT))
    assert all(passed.values()) and not prose
    assert _glued(after["economy"], "ciie_deals_cny") == repr(f"more than {new_figure}")

    # (b) The HTML page and the PDF text show the new figure.
    jb = str(Path(PY).with_name("jupyter-book"))
    html = _run(
        [jb, "build", ".", "--builder", "html", "--warningiserror", "--nitpick", "--keep-going",
         "--quiet"],
        book,
    )  # fmt: skip
    assert html.returncode == 0, html.stdout[-3000:] + html.stderr[-3000:]
    page = (book / "_build" / "html" / "notebooks" / "economy.html").read_text(encoding="utf-8")
    text = _squash(BeautifulSoup(page, "html.parser").get_text())
    assert _squash(f"more than {new_figure}") in text
    assert _squash(f"more than {old_figure}") not in text

    if CHART_PDF_CACHE.is_dir():  # charts did not change: reuse their PDFs
        shutil.copytree(
            CHART_PDF_CACHE, book / "_build" / "pdf-tree" / "_build" / ".chart-pdf-cache"
        )
    pdf = book / "_build" / "pdf" / "book.pdf"
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or "1577836800"
    built = _run(
        [PY, "tools/build_pdf.py", str(pdf)], book, SOURCE_DATE_EPOCH=epoch, FORCE_SOURCE_DATE="1"
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    pdf_text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert _squash(f"more than {new_figure}") in _squash(pdf_text)
    assert _squash(f"more than {old_figure}") not in _squash(pdf_text)
