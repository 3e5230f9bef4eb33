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


CJK = re.compile(r"[\u4e00-\u9fff]")


def description_problems(package: dict) -> list[str]:
    """Fields that are not typed or not described: every table resource has a schema with a
    primary key; every field has a Table Schema type the library reads, an English description
    (more Latin letters than Chinese characters) and a Chinese one (with Chinese characters),
    each saying more than the field's name, and no two fields of a table are described alike."""
    problems = []
    for res in package["resources"]:
        if "schema" not in res:
            if res["path"].endswith(".csv"):
                problems.append(f"{res['name']}: a table without a schema")
            continue
        if not res["schema"].get("primaryKey"):
            problems.append(f"{res['name']}: no primary key")
        seen: dict[str, str] = {}
        for field in res["schema"]["fields"]:
            where = f"{res['name']}.{field['name']}"
            if field.get("type") not in {"string", "number", "integer"}:
                problems.append(f"{where}: type {field.get('type')!r}")
            en, zh = field.get("description", "").strip(), field.get("description_zh", "").strip()
            for key, text in (("description", en), ("description_zh", zh)):
                if len(text) < 4 or text.strip("`'\" .。") == field["name"]:
                    problems.append(f"{where}: {key} says nothing: {text!r}")
            if len(re.findall(r"[A-Za-z]", en)) <= len(CJK.findall(en)):
                problems.append(f"{where}: description is not English: {en!r}")
            if not CJK.search(zh):
                problems.append(f"{where}: description_zh has no Chinese: {zh!r}")
            for text in (en, zh):
                if text in seen:
                    problems.append(f"{where}: described as {seen[text]} is: {text!r}")
                seen[text] = where
    return problems


def test_every_field_is_typed_and_described():
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    assert description_problems(package) == []


def test_the_description_check_can_fail():
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    fields = {r["name"]: r["schema"]["fields"] for r in package["resources"] if "schema" in r}
    fields["indicators"][0]["description"] = "id"  # the name again
    fields["indicators"][1]["description_zh"] = "Book chapter."  # English in the Chinese
    fields["units"][0]["description"] = "文章中原样写出的单位。"  # Chinese in the English
    fields["units"][1]["description"] = fields["units"][2]["description"]  # a copy
    fields["checks"][0]["type"] = "any"
    del fields["glossary"][0]["description_zh"]
    next(r for r in package["resources"] if r["name"] == "labels").pop("schema")
    problems = description_problems(package)
    expected = [
        "indicators.id: description says nothing",
        "indicators.chapter: description_zh has no Chinese",
        "units.unit: description is not English",
        "units.factor_num: described as units.base_unit is",
        "checks.id: type 'any'",
        "glossary.term_zh: description_zh says nothing",
        "labels: a table without a schema",
    ]
    for start in expected:
        assert any(p.startswith(start) for p in problems), (start, problems)


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
    assert set(data.label_map("chapter")) == set(enums["chapter"])
    assert set(data.label_map("stage")) == set(data.road_works["stage"])
    ent = next(r for r in package["resources"] if r["name"] == "entities")
    types = next(f for f in ent["schema"]["fields"] if f["name"] == "type")
    assert set(data.label_map("entity_type")) == set(types["constraints"]["enum"])
    # The economy chapter's topics are named for readers, never shown as ids.
    economy = data.indicators[data.indicators["chapter"] == "economy"]
    assert set(data.label_map("topic")) == set(economy["topic"])
    short = set(data.label_map("short"))
    assert short <= set(data.indicators.index) | set(data.focus_areas["id"])
