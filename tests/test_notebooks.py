"""The chapters follow the book's rules: glued numbers, captioned charts, clean outputs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
import yaml

from shizhong.render import VEGA_MIME, VEGALITE_MIME, description

from . import readers
from .conftest import ROOT, nonempty

CHAPTERS = nonempty(sorted((ROOT / "notebooks").glob("*.ipynb")), "chapter notebooks")
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


def _schema_problem(spec: dict) -> str | None:
    """Where ``spec`` breaks the Vega-Lite schema of Altair's version (the validation that
    ``shizhong.show.both`` leaves out when it displays a chart), else None. The house theme's
    ``config.legend.layout`` is left out: it is Vega's legend layout, which Vega-Lite passes
    on to Vega although its own schema does not list it (Altair validates a chart before it
    adds the theme)."""
    from altair.utils.schemapi import validate_jsonschema
    from altair.vegalite.v6.schema.core import load_schema

    spec = json.loads(json.dumps(spec))
    spec.get("config", {}).get("legend", {}).pop("layout", None)
    schema = load_schema()
    error = validate_jsonschema(spec, schema, rootschema=schema, raise_error=False)
    return None if error is None else str(error)[:600]


def _stored_specs(path: Path) -> list[tuple[str, dict]]:
    """(cell source, Vega-Lite spec) of every chart output stored in a notebook."""
    return [
        (cell.source, out["data"][VEGALITE_MIME])
        for cell in nbformat.read(path, as_version=4).cells
        for out in cell.get("outputs", [])
        if VEGALITE_MIME in out.get("data", {})
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_stored_chart_spec_is_valid_vega_lite(path):
    for source, spec in _stored_specs(path):
        assert _schema_problem(spec) is None, source[:80]


def test_the_schema_check_has_charts_to_check():
    specs = [spec for path in NOTEBOOKS for spec in _stored_specs(path)]
    assert len(specs) >= 24, f"{len(specs)} stored chart specs"


def test_the_schema_check_can_fail():
    spec = {"mark": "bar", "data": {"values": []}}
    assert _schema_problem(spec) is None
    assert "bogus" in _schema_problem({**spec, "encoding": {"x": {"type": "bogus"}}})


def _jupyter_book_1_problems(config: dict) -> list[str]:
    """What keeps ``config`` from being a Jupyter Book 1 ``_config.yml``: errors of JB1's own
    JSON schema, and keys JB1 does not know (it ignores them silently, so a misspelt
    ``execute_notebooks`` would leave the book executing its notebooks)."""
    from jupyter_book.config import PATH_YAML_DEFAULT, get_validator

    validator = get_validator()
    problems = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(config)]
    known = yaml.safe_load(PATH_YAML_DEFAULT.read_text(encoding="utf-8"))
    schema = validator.schema["properties"]
    problems += [
        f"{key}: not a Jupyter Book 1 key" for key in config.keys() - known.keys() - schema.keys()
    ]
    for key, value in config.items():
        if isinstance(value, dict):
            inner = set(known.get(key) or {}) | set(schema.get(key, {}).get("properties", {}))
            problems += [f"{key}/{k}: not a Jupyter Book 1 key" for k in value.keys() - inner]
    return problems


@pytest.mark.parametrize(
    ("config", "toc"), [("_config.yml", "_toc.yml"), ("_config.zh.yml", "_toc.zh.yml")]
)
def test_config_is_the_jupyter_book_1_format(config, toc):
    """Both editions' configuration and table of contents are Jupyter Book 1's (not Jupyter
    Book 2's ``myst.yml``): the configuration passes JB1's schema with only keys JB1 reads,
    shows the stored outputs and typesets with xelatex; the table of contents parses as a
    ``jb-book`` and every file it lists is one notebook or Markdown page."""
    from sphinx_external_toc.parsing import parse_toc_yaml

    settings = yaml.safe_load((ROOT / config).read_text(encoding="utf-8"))
    assert _jupyter_book_1_problems(settings) == []
    assert settings["execute"]["execute_notebooks"] == "off"
    assert settings["latex"]["latex_engine"] == "xelatex"
    assert not (ROOT / "myst.yml").exists(), "myst.yml is Jupyter Book 2's configuration"
    site = parse_toc_yaml(ROOT / toc)
    assert site.file_format == "jb-book"
    for docname in site:
        found = [ROOT / f"{docname}{suffix}" for suffix in (".ipynb", ".md")]
        assert [p.is_file() for p in found].count(True) == 1, docname


def test_the_format_check_can_fail():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["execute"]["execute_notebook"] = config["execute"].pop("execute_notebooks")
    config["latex"]["latex_engine"] = 3
    config["project"] = {"title": "Jupyter Book 2"}
    problems = _jupyter_book_1_problems(config)
    assert "execute/execute_notebook: not a Jupyter Book 1 key" in problems
    assert "project: not a Jupyter Book 1 key" in problems
    assert any(p.startswith("latex/latex_engine: 3 is not of type") for p in problems), problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_is_the_jupyter_book_1_format(path):
    """An nbformat 4 notebook that validates as written (no conversion), run by the book's
    ``shizhong`` kernel, and no jupytext pairing (Jupyter Book 1 reads the ``.ipynb``)."""
    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    assert nb.nbformat == 4, nb.nbformat
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"] == {
        "name": "shizhong", "display_name": "Python (shizhong)", "language": "python",
    }  # fmt: skip
    assert nb.metadata["language_info"]["name"] == "python"
    assert "jupytext" not in nb.metadata, "a jupytext-paired notebook"
    twins = [path.with_suffix(s) for s in (".py", ".md", ".Rmd", ".myst")]
    assert not [t.name for t in twins if t.is_file()], "a jupytext text twin beside the notebook"
