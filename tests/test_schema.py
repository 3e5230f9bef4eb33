"""The data package is valid Frictionless and its schema says what the library relies on."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from .conftest import DATA, ROOT


def test_frictionless_validates_the_package():
    done = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "datapackage.json"],
        capture_output=True, text=True, cwd=DATA,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:]


def test_every_field_is_typed_and_described():
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    for res in package["resources"]:
        if "schema" not in res:
            continue
        assert res["schema"].get("primaryKey"), res["name"]
        for field in res["schema"]["fields"]:
            where = f"{res['name']}.{field['name']}"
            assert field["type"] in {"string", "number", "integer"}, where
            for key in ("description", "description_zh"):
                assert len(field.get(key, "").strip()) >= 4, f"{where}: no {key}"


def test_indicator_units_reference_units_csv():
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    ind = next(r for r in package["resources"] if r["name"] == "indicators")
    assert {"fields": ["unit"], "reference": {"resource": "units", "fields": ["unit"]}} in ind[
        "schema"
    ]["foreignKeys"]


def chapter_list() -> list[str]:
    """The chapters an indicator may belong to: the enum of ``indicators.chapter``."""
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    ind = next(r for r in package["resources"] if r["name"] == "indicators")
    field = next(f for f in ind["schema"]["fields"] if f["name"] == "chapter")
    return field["constraints"]["enum"]


def test_typed_frames(data):
    assert str(data.indicators["value"].dtype) == "Float64"
    assert str(data.indicators["year"].dtype) == "Int64"
    assert data.indicators.index.is_unique
    assert set(data.indicators["chapter"]) <= set(chapter_list())


def chapter_calls(notebooks: Path) -> dict[str, list[str]]:
    """Chapter name → the notebooks under ``notebooks`` (the template's folder too) that set it
    up. JupyterLab's checkpoint copies (``.ipynb_checkpoints/``) are not notebooks of the book."""
    calls: dict[str, list[str]] = {}
    for path in sorted(notebooks.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        source = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)
        for name in re.findall(r"sz\.chapter\(\s*\"([a-z_]+)\"", source):
            calls.setdefault(name, []).append(path.stem)
    return calls


def test_each_chapter_of_the_data_has_its_notebook():
    """A chapter in datapackage.json's list is set up by a notebook, and only by one."""
    calls = chapter_calls(ROOT / "notebooks")
    assert sorted(calls) == sorted(chapter_list()), calls
    assert all(len(stems) == 1 for stems in calls.values()), calls


def test_a_checkpoint_folder_left_by_lab_changes_nothing(tmp_path):
    """After ``make lab``, Lab leaves ``notebooks/.ipynb_checkpoints/economy-checkpoint.ipynb``."""
    notebooks = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    (notebooks / ".ipynb_checkpoints").mkdir(exist_ok=True)
    shutil.copy(
        notebooks / "economy.ipynb", notebooks / ".ipynb_checkpoints" / "economy-checkpoint.ipynb"
    )
    assert chapter_calls(notebooks) == chapter_calls(ROOT / "notebooks")


def test_relations_hold(data):
    result = data.relations()
    assert len(result) == len(data.checks) >= 5
    assert result["holds"].all(), result[~result["holds"]]
    assert set(result["relation"]) >= {"sum", "ge", "rows"}


def test_ruff_is_clean():
    for args in (["check", "."], ["format", "--check", "."]):
        done = subprocess.run(
            [sys.executable, "-m", "ruff", *args], capture_output=True, text=True, cwd=ROOT
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_labels_cover_every_kind_and_qualifier(data):
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    ind = next(r for r in package["resources"] if r["name"] == "indicators")
    enums = {f["name"]: f.get("constraints", {}).get("enum") for f in ind["schema"]["fields"]}
    assert set(data.label_map("kind")) == set(enums["kind"])
    assert set(data.label_map("kind_meaning")) == set(enums["kind"])
    assert set(data.label_map("qualifier")) == set(enums["qualifier"])
    assert set(data.label_map("stage")) == set(data.road_works["stage"])
    ent = next(r for r in package["resources"] if r["name"] == "entities")
    types = next(f for f in ent["schema"]["fields"] if f["name"] == "type")
    assert set(data.label_map("entity_type")) == set(types["constraints"]["enum"])
    # The economy chapter's topics are named for readers, never shown as ids.
    economy = data.indicators[data.indicators["chapter"] == "economy"]
    assert set(data.label_map("topic")) == set(economy["topic"])
    short = set(data.label_map("short"))
    assert short <= set(data.indicators.index) | set(data.focus_areas["id"])
