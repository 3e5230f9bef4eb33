"""Bad data gets one clear line per problem naming the file, line, id and column."""

from __future__ import annotations

from pathlib import Path

import pytest

import shizhong as sz
from shizhong.validate import validate

from .conftest import line_of, read_rows, set_cell, write_rows

IND = "indicators.csv"


def first_id(data_dir: Path, kind: str) -> str:
    """The first row of ``kind`` whose figure is written in Arabic digits."""
    header, rows = read_rows(data_dir / IND)
    return next(
        r[0] for r in rows if r[header.index("kind")] == kind and r[header.index("text")].isdigit()
    )


def messages(data_dir: Path) -> list[str]:
    return [str(p) for p in validate(data_dir)]


def test_the_real_data_is_valid(data_copy):
    assert messages(data_copy) == []


@pytest.mark.parametrize(
    ("column", "bad", "expected"),
    [
        ("value", "abc", "column value: 'abc' is not a valid number"),
        ("value", "17,7", "a comma as decimal separator? write it with '.'"),
        ("value", "", "column value: is empty; a count needs a number"),
        ("unit", "斤", "column unit: '斤' is not in units.csv"),
        ("chapter", "sports", "column chapter: 'sports' is not one of economy, projects,"),
        ("quote", "市中区实现税收99亿元", "column quote: not found in the article"),
    ],
)
def test_bad_cell(data_copy, column, bad, expected):
    rid = first_id(data_copy, "count")
    set_cell(data_copy / IND, rid, column, bad)
    got = messages(data_copy)
    where = f"data/{IND}: line {line_of(data_copy / IND, rid)} (id={rid})"
    assert len(got) == 1, got
    assert got[0].startswith(where), got
    assert expected in got[0], got


def test_negative_count(data_copy):
    rid = first_id(data_copy, "count")
    set_cell(data_copy / IND, rid, "value", "-5")
    got = messages(data_copy)
    where = f"data/{IND}: line {line_of(data_copy / IND, rid)} (id={rid}), column value: "
    assert where + "a count cannot be negative (-5)" in got, got
    assert all(m.startswith(where) for m in got), got


def test_duplicate_id(data_copy):
    header, rows = read_rows(data_copy / IND)
    rows[1][0] = rows[0][0]
    write_rows(data_copy / IND, header, rows)
    got = messages(data_copy)
    assert len(got) == 1, got
    assert f"(id={rows[0][0]}), column id: duplicate key" in got[0]


def test_short_row(data_copy):
    header, rows = read_rows(data_copy / IND)
    rows[2] = rows[2][:5]
    write_rows(data_copy / IND, header, rows)
    got = messages(data_copy)
    assert got == [f"data/{IND}: line 4 (id={rows[2][0]}): has 5 fields, expected {len(header)}"]


def test_missing_column(data_copy):
    header, rows = read_rows(data_copy / IND)
    i = header.index("unit")
    write_rows(data_copy / IND, header[:i] + header[i + 1 :], [r[:i] + r[i + 1 :] for r in rows])
    assert messages(data_copy) == [f"data/{IND}: column unit: column is missing from the header"]


def test_not_utf8(data_copy):
    path = data_copy / IND
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    got = messages(data_copy)
    assert len(got) == 1
    assert got[0].startswith(f"data/{IND}: not UTF-8 (byte 0x")
    assert "on line 2" in got[0]


def test_empty_file(data_copy):
    (data_copy / "units.csv").write_text("", encoding="utf-8")
    assert messages(data_copy) == ["data/units.csv: file is empty"]


def test_changed_article(data_copy):
    article = next((data_copy / "raw").iterdir())
    article.write_text(article.read_text(encoding="utf-8").replace("17.7", "18.7"), "utf-8")
    got = messages(data_copy)
    assert len(got) == 1
    assert got[0].startswith(f"data/raw/{article.name}: the article changed")


def test_relation_that_fails(data_copy):
    set_cell(data_copy / IND, "land_transferred", "value", "836")
    set_cell(data_copy / IND, "land_transferred", "text", "836")
    set_cell(data_copy / IND, "land_transferred", "quote", "出让土地836亩")
    got = messages(data_copy)
    # the quote no longer matches the article, and the sum no longer holds
    assert any("id=land_transferred), column quote: not found" in m for m in got), got


def test_value_must_match_its_text(data_copy):
    set_cell(data_copy / IND, "finance_tax", "value", "17.8")
    got = messages(data_copy)
    assert len(got) == 1 and "column value: 17.8 does not match the text '17.7'" in got[0]


def test_load_raises_one_error_type_and_returns_nothing(data_copy):
    set_cell(data_copy / IND, first_id(data_copy, "count"), "unit", "斤")
    with pytest.raises(sz.DataError) as info:
        sz.load(data_copy)
    assert len(info.value.problems) == 1
    assert "is not in units.csv" in str(info.value)


def test_uncovered_numeral_is_reported(data_copy):
    header, rows = read_rows(data_copy / "numeral_exclusions.csv")
    write_rows(data_copy / "numeral_exclusions.csv", header, rows[1:])
    got = messages(data_copy)
    assert got and all("is in no indicator quote" in m for m in got), got
