"""The chapters follow the book's rules: glued numbers, captioned charts, clean outputs."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml

from shizhong.render import VEGA_MIME, VEGALITE_MIME, description

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
ROLE = re.compile(r"\{(glue(?::\w+)?|numref|ref|doc|cite(?::\w+)?|download|term)\}`[^`]*`")
CODE = re.compile(r"`[^`]*`")
YEARS = {"2018", "2019", "2020"}
# English number words a writer might type instead of gluing a count.
NUMBER_WORDS = re.compile(
    r"\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|hundred|thousand|"
    r"million|billion)\b",
    re.IGNORECASE,
)


def markdown_cells(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def prose(source: str) -> str:
    """Markdown with roles, inline code and code blocks removed."""
    source = re.sub(r"```.*?```", "", source, flags=re.DOTALL)
    return CODE.sub("", ROLE.sub("", source))


def test_toc_lists_every_notebook():
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        assert f"notebooks/{path.stem}" in toc, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_number_is_typed_into_prose(path):
    for source in markdown_cells(path):
        text = prose(source)
        digits = [d for d in re.findall(r"\d+(?:[.,]\d+)*", text) if d not in YEARS]
        assert not digits, f"typed numbers {digits} in: {source[:120]!r}"
        words = NUMBER_WORDS.findall(text)
        assert not words, f"number words {words} in: {source[:120]!r}"


def test_the_number_check_can_fail():
    assert re.findall(r"\d+", prose("Tax was 17.7 亿元 ({glue:text}`finance_tax`)")) == ["17", "7"]
    assert prose("{glue:text}`finance_tax` and {numref}`fig-x`").strip() == "and"


def test_every_indicator_is_referenced_in_prose(data):
    referenced = set()
    for path in NOTEBOOKS:
        for source in markdown_cells(path):
            referenced |= set(re.findall(r"\{glue(?::\w+)?\}`([a-z0-9_]+)`", source))
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
