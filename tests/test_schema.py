"""The data package is valid Frictionless and its schema says what the library relies on."""

from __future__ import annotations

import json
import subprocess
import sys

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
            assert field["type"] in {"string", "number", "integer"}, (res["name"], field)


def test_indicator_units_reference_units_csv():
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    ind = next(r for r in package["resources"] if r["name"] == "indicators")
    assert {"fields": ["unit"], "reference": {"resource": "units", "fields": ["unit"]}} in ind[
        "schema"
    ]["foreignKeys"]


def test_typed_frames(data):
    assert str(data.indicators["value"].dtype) == "Float64"
    assert str(data.indicators["year"].dtype) == "Int64"
    assert data.indicators.index.is_unique
    assert set(data.indicators["chapter"]) <= {
        "economy",
        "projects",
        "talent",
        "outlook",
        "context",
    }


def test_relations_hold(data):
    from shizhong import checks

    counts = {n: len(data.table(n)) for n in ("focus_areas", "industries", "strategies")}
    result = checks.evaluate(data.checks, data.indicators, counts)
    assert len(result) == len(data.checks) >= 5
    assert result["holds"].all(), result[~result["holds"]]
    assert set(result["relation"]) >= {"sum", "ge", "rows"}


def test_ruff_is_clean():
    for args in (["check", "."], ["format", "--check", "."]):
        done = subprocess.run(
            [sys.executable, "-m", "ruff", *args], capture_output=True, text=True, cwd=ROOT
        )
        assert done.returncode == 0, done.stdout + done.stderr
