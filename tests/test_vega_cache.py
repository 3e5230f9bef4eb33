"""Each chart spec is compiled to Vega once (``shizhong.render.to_vega``): a rerun with the
same specs reads the compiled Vega from ``_build/cache/vega`` without starting vl-convert,
and gets the very JSON that Lab draws; a changed spec is compiled again."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from shizhong import render

from .conftest import ROOT, spy


def stored_charts(name: str) -> list[tuple[dict, dict]]:
    """(Vega-Lite spec, compiled Vega) of every chart output stored in a notebook."""
    nb = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
    return [
        (out["data"][render.VEGALITE_MIME], out["data"][render.VEGA_MIME])
        for cell in nb["cells"]
        for out in cell.get("outputs", [])
        if render.VEGA_MIME in out.get("data", {})
    ]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(render.VEGA_CACHE_ENV, str(tmp_path / "vega"))
    return tmp_path / "vega"


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """The specs vl-convert compiles from now on."""
    return spy(monkeypatch, render, "_compile")


def test_a_cached_chart_is_the_stored_output_byte_for_byte(cache, compiled) -> None:
    charts = stored_charts("economy")
    assert charts
    for spec, stored in charts:
        first, again = render.to_vega(spec), render.to_vega(spec)
        # In the key order vl-convert gives (nbformat then writes keys sorted).
        assert json.dumps(again, ensure_ascii=False) == json.dumps(first, ensure_ascii=False)
        dump = json.dumps(stored, ensure_ascii=False, sort_keys=True)
        assert json.dumps(first, ensure_ascii=False, sort_keys=True) == dump
        assert json.dumps(again, ensure_ascii=False, sort_keys=True) == dump
    assert len(compiled) == len({json.dumps(s, sort_keys=True) for s, _ in charts})
    assert len(list(cache.glob("*.json"))) == len(compiled)


def test_a_changed_spec_is_compiled(cache, compiled) -> None:
    spec, _ = stored_charts("economy")[0]
    render.to_vega(spec)
    changed = {**spec, "title": "Another title"}
    vega = render.to_vega(changed)
    assert compiled == [spec, changed]
    assert vega == render._compile(changed)
    assert "Another title" in json.dumps(vega)


def test_another_vl_convert_version_is_compiled(cache, compiled, monkeypatch) -> None:
    spec, _ = stored_charts("economy")[0]
    render.to_vega(spec)
    monkeypatch.setattr(render, "_vl_convert_version", lambda: "0.0.0")
    render.to_vega(spec)
    assert compiled == [spec, spec]


def test_a_broken_entry_is_compiled_again(cache, compiled) -> None:
    spec, stored = stored_charts("economy")[0]
    render.to_vega(spec)
    (entry,) = cache.glob("*.json")
    entry.write_text("{not json", encoding="utf-8")
    assert render.to_vega(spec) == stored
    assert len(compiled) == 2


def test_a_rerun_starts_no_vl_convert(cache: Path) -> None:
    spec, _ = stored_charts("economy")[0]
    code = (
        "import json, sys\n"
        "from shizhong import render\n"
        "vega = render.to_vega(json.loads(sys.stdin.read()))\n"
        "print('vl_convert' in sys.modules, len(json.dumps(vega)))"
    )

    def run() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", code], input=json.dumps(spec), capture_output=True,
            text=True, check=True,
        )  # fmt: skip
        return done.stdout.split()

    cold, warm = run(), run()
    assert cold[0] == "True" and warm[0] == "False"
    assert cold[1] == warm[1]


def test_the_book_cache_is_under_build(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(render.VEGA_CACHE_ENV, raising=False)
    monkeypatch.chdir(ROOT / "notebooks")
    assert render.vega_cache() == ROOT / "_build" / "cache" / "vega"
