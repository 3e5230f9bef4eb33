"""The chapters follow the book's rules: glued numbers, captioned charts, clean outputs."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml

from shizhong.render import VEGA_MIME, VEGALITE_MIME, description

from . import readers
from .conftest import ROOT

CHAPTERS = sorted((ROOT / "notebooks").glob("*.ipynb"))
TEMPLATE = ROOT / "notebooks" / "_template" / "chapter.ipynb"  # kept out of the book
NOTEBOOKS = [*CHAPTERS, TEMPLATE]
YEARS = readers.years(ROOT / "data" / "datapackage.json")


def markdown_cells(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def test_toc_lists_every_notebook():
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    for path in CHAPTERS:
        assert f"notebooks/{path.stem}" in toc, path.name
    assert "_template" not in toc


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_number_is_typed(path):
    """No typed number in prose, in code strings, or in the chart text the outputs hold."""
    nb = nbformat.read(path, as_version=4)
    glue = readers.glued(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            text = readers.prose(cell.source)
            digits = readers.typed_numbers(text, YEARS)
            assert not digits, f"typed numbers {digits} in: {cell.source[:120]!r}"
            words = readers.NUMBER_WORDS.findall(text)
            assert not words, f"number words {words} in: {cell.source[:120]!r}"
            continue
        for string in readers.code_strings(cell.source):
            assert not readers.typed_numbers(string, YEARS), f"typed number in {string!r}"
            assert not readers.NUMBER_WORDS.findall(string), f"number word in {string!r}"
        for text in readers.chart_texts(cell):
            supported = set(YEARS).union(*(readers.NUMBER.findall(v) for v in glue.values.values()))
            assert not readers.typed_numbers(text, supported), f"unglued number in {text!r}"


def test_the_number_check_can_fail():
    assert readers.NUMBER.findall(
        readers.prose("Tax was 17.7 亿元 ({glue:text}`finance_tax`)")
    ) == ["17.7"]
    assert readers.prose("{glue:text}`finance_tax` and {numref}`fig-x`").strip() == "and"
    assert readers.code_strings('chart(title="Top 10 sectors")') == ["Top 10 sectors"]
    assert readers.typed_numbers("Top 10 sectors in 2019", YEARS) == ["10"]


def test_every_indicator_is_referenced_in_prose(data):
    referenced = set()
    for path in NOTEBOOKS:
        for source in markdown_cells(path):
            referenced |= set(readers.GLUE_ROLE.findall(source))
    missing = sorted(set(data.indicators.index) - referenced)
    assert not missing, f"indicators never glued into prose: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_outputs_are_clean(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "shizhong"
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert cell.execution_count is not None, "notebook is committed unexecuted"
        assert "execution" not in cell.metadata, "execution timestamps are recorded"
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", cell.source[:80]
            assert out.get("name") != "stderr", f"stderr output: {out.get('text', '')[:200]}"
            text = str(out)
            assert "altair-viz-" not in text, "random Altair ids"
            assert "/work/" not in text and "/tmp/" not in text and "/root/" not in text
            assert not re.search(r"0x[0-9a-f]{8,}", text), "memory addresses in output"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_chart_has_a_caption_name_and_description(path):
    """Charts carry the Vega spec (Lab and the HTML book), the Vega-Lite spec (the PDF) and
    no text/html, which JupyterLab would prefer to its own Vega renderer."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if VEGA_MIME not in data and VEGALITE_MIME not in data:
                continue
            figure = cell.metadata.get("mystnb", {}).get("figure", {})
            assert figure.get("caption") and figure.get("name"), cell.source[:80]
            assert VEGA_MIME in data, "no Vega spec for JupyterLab and the HTML book"
            assert VEGALITE_MIME in data, "no Vega-Lite spec for the PDF build"
            assert "text/html" not in data, "text/html hides the chart in JupyterLab"
            assert len(description(data[VEGA_MIME])) >= 20, "no accessible description"


def test_config_is_the_jupyter_book_1_format():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert config["execute"]["execute_notebooks"] == "off"
    assert config["latex"]["latex_engine"] == "xelatex"
