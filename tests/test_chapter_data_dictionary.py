"""The data dictionary appendix, checked against datapackage.json and the files read here
on their own (json, csv), and the rules it writes (keys, constraints) on made-up tables."""

from __future__ import annotations

import copy
import csv
import json
from pathlib import Path

import pytest

from shizhong.bilingual import T
from shizhong.chapters import data_dictionary as dd
from shizhong.glue import Glue

from .conftest import DATA

DESCRIPTOR = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))


def test_every_table_of_the_package_is_documented():
    names = [r["name"] for r in DESCRIPTOR["resources"] if r["name"] != "article"]
    assert dd.tables(DESCRIPTOR) == names == list(dd.DOCUMENTED)


@pytest.mark.parametrize("change", ["add", "drop", "swap"])
def test_a_new_missing_or_moved_table_is_refused(change):
    descriptor = copy.deepcopy(DESCRIPTOR)
    resources = descriptor["resources"]
    if change == "add":
        resources.append({"name": "districts", "path": "districts.csv", "schema": {"fields": []}})
    elif change == "drop":
        resources[:] = [r for r in resources if r["name"] != "labels"]
    else:
        i, j = (
            next(k for k, r in enumerate(resources) if r["name"] == n) for n in ("units", "checks")
        )
        resources[i], resources[j] = resources[j], resources[i]
    with pytest.raises(ValueError, match="undocumented or missing tables"):
        dd.tables(descriptor)


def test_keys_are_written_out_or_said_to_be_none():
    schema = {
        "primaryKey": ["from_unit", "to_unit"],
        "foreignKeys": [
            {"fields": ["from_unit"], "reference": {"resource": "units", "fields": ["unit"]}},
            {"fields": ["a", "b"], "reference": {"resource": "t", "fields": ["x", "y"]}},
        ],
    }
    primary, foreign = dd.keys({"schema": schema})
    assert primary == T.same("from_unit, to_unit")
    assert foreign == T.same("from_unit → units (unit); a, b → t (x, y)")
    assert dd.keys({"schema": {"fields": []}}) == (T("none", "无"), T("none", "无"))


def test_constraints_in_both_languages():
    field = {
        "name": "kind",
        "constraints": {"required": True, "unique": True, "enum": ["level", "growth"]},
    }
    assert dd.constraints(field) == T(
        "required; unique; one of `level`, `growth`", "必填；不重复；取值之一：`level`, `growth`"
    )
    number = {
        "name": "value",
        "constraints": {"minimum": 0, "pattern": "^[0-9]+$"},
        "decimalChar": ".",
        "bareNumber": True,
    }
    assert dd.constraints(number) == T(
        r"optional; pattern `^[0-9]+$`; ≥ 0; decimal mark `.`; bare number",
        r"可选；模式 `^[0-9]+$`；≥ 0；小数点 `.`；纯数字",
    )


def _rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as f:
        return sum(1 for _ in csv.DictReader(f))


def test_the_package_is_glued_from_its_descriptor_and_files(data):
    g = dd.glue_package(Glue(data), data)
    tables = [r for r in DESCRIPTOR["resources"] if "schema" in r]
    total = sum(_rows(DATA / r["path"]) for r in tables)
    assert g["dd_n_rows"] == f"{total:,}" and g.zh("dd_n_rows") == str(total)
    assert g.zh("dd_n_tables") == str(len(tables))
    assert (g["dd_title"], g.zh("dd_title")) == (DESCRIPTOR["title"], DESCRIPTOR["title_zh"])
    assert g["dd_units_rows"] == str(_rows(DATA / "units.csv"))
    assert g["dd_exchange_rates_pk"] == "from_unit, to_unit, year"
    assert g["dd_indicators_fk"] == "unit → units (unit)"
    assert g["dd_units_fk"] == "none" and g.zh("dd_units_fk") == "无"


def test_about_the_article_selects_each_property_by_name(data):
    about = {row.property.en: row.value for row in dd.about(data).itertuples()}
    source = DESCRIPTOR["sources"][0]
    text = (DATA / source["path"]).read_bytes().decode("utf-8")
    assert about["Characters (spaces and line breaks included)"] == T(
        f"{len(text):,}", str(len(text))
    )
    assert about["Published"] == T(
        source["published"]["value"] + " (inferred)", source["published"]["value_zh"] + "（推断）"
    )
    assert about["Publisher"] == T("unknown", "不详")  # the source names none
    assert about["Basis of the date"].zh == source["published"]["basis_zh"]
    assert about["Authors"] == T.same("朱振 (Zhu Zhen), 李猛 (Li Meng)")


def test_each_field_of_a_table_is_listed(data):
    for resource in DESCRIPTOR["resources"]:
        if "schema" not in resource:
            continue
        frame = dd.fields(data, resource["name"])
        names = [f"`{f['name']}`" for f in resource["schema"]["fields"]]
        assert list(frame["name"]) == names
    table = dd.fields_table(data, "units", "zh").data
    assert "| 字段 | 类型 | 必填与约束 | 说明 |" in table
    assert "| Field | Type | Required and constraints | Description |" in (
        dd.fields_table(data, "units", "en").data
    )


def test_downloads_link_only_files_that_exist(data, tmp_path):
    frame = dd.downloads(data, DATA)
    assert len(frame) == len(DESCRIPTOR["resources"]) + 1
    assert frame.at[0, "file"] == "{download}`datapackage.json </data/datapackage.json>`"
    (tmp_path / "datapackage.json").write_text("{}", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match=r"indicators\.csv"):
        dd.downloads(data, tmp_path)
