"""Like is compared with like: the helpers that rank, tie, sum or compare refuse quantities of
different units or kinds (people and projects, 亿元 and %), and say which ones they were given.

Each helper takes ``of=``: what its values are (one name, a name per value, or the indicator
rows whose ``unit`` and ``kind`` columns say it). The tests below give them the book's own
unlike rows and expect an error naming both units; like rows still give the same sentence.
"""

from __future__ import annotations

import inspect

import pandas as pd
import pytest

from shizhong import chinese, derive, fmt

#: The review's false claim: 20 people (5150 programme) tied with 20 contest-final projects.
PEOPLE_AND_PROJECTS = ["programmes_5150_selected", "contest_final_projects"]
#: An amount beside a growth rate: 17.7 亿元 and 28.4%.
YI_AND_PERCENT = ["finance_tax", "ict_tax_growth"]
#: A growth rate beside a share, both in %: the kinds differ.
GROWTH_AND_SHARE = ["ict_tax_growth", "innovation_hightech_output_share"]


def _values(data, ids, column="subject_en"):
    rows = data.indicators.loc[ids]
    return pd.Series(rows["value"].to_numpy(), index=rows[column]), rows


@pytest.mark.parametrize(
    ("ids", "named"),
    [
        (PEOPLE_AND_PROJECTS, ["count in 名/人", "count in 个"]),
        (YI_AND_PERCENT, ["level in 亿元", "growth in %"]),
        (GROWTH_AND_SHARE, ["growth in %", "share in %"]),
    ],
    ids=["people-projects", "yi-percent", "growth-share"],
)
def test_every_ranking_helper_refuses_unlike_rows_and_names_them(data, ids, named):
    values, rows = _values(data, ids)
    values_zh, _ = _values(data, ids, "subject_zh")
    calls = {
        "derive.leaders": lambda: derive.leaders(values, of=rows),
        "derive.tie_groups": lambda: derive.tie_groups(values, of=rows),
        "derive.total": lambda: derive.total(rows),
        "fmt.top": lambda: fmt.top(values, "figures", of=rows),
        "fmt.leaders": lambda: fmt.leaders(values, of=rows),
        "fmt.ordered": lambda: fmt.ordered(values, of=rows),
        "fmt.every": lambda: fmt.every(values > 0, "figures", "is", "are", of=rows),
        "fmt.compare": lambda: fmt.compare("a", values.iloc[0], "b", values.iloc[1], of=rows),
        "chinese.top": lambda: chinese.top(values_zh, "数字", of=rows),
        "chinese.leaders": lambda: chinese.leaders(values_zh, of=rows),
        "chinese.ordered": lambda: chinese.ordered(values_zh, of=rows),
        "chinese.every": lambda: chinese.every(values_zh > 0, "项数字", "为正", of=rows),
        "chinese.compare": lambda: chinese.compare(
            "甲", values.iloc[0], "乙", values.iloc[1], of=rows
        ),
    }
    for name, call in calls.items():
        with pytest.raises(derive.UnlikeQuantities) as caught:
            call()
        message = str(caught.value)
        assert all(q in message for q in named), f"{name}: {message}"
        if name == "derive.total":  # a sum names the rows it was given, by id
            assert all(i in message for i in ids), message
        elif not name.endswith("compare"):  # each value by its label, in the helper's language
            column = "subject_zh" if name.startswith("chinese.") else "subject_en"
            assert all(s in message for s in rows[column]), f"{name}: {message}"


def test_compare_refuses_unlike_sums_and_unlike_sides(data):
    ind = data.indicators
    people = ind.loc[["people_academicians", "programmes_5150_selected"]]
    mixed = ind.loc[PEOPLE_AND_PROJECTS]
    firms = ind.loc[["innovation_hightech_firms"]]
    # 名 and 人 both count persons: alike.
    assert fmt.compare("a", 26, "b", 8, of=(people, people)).startswith("a (26) outnumber")
    with pytest.raises(derive.UnlikeQuantities, match=r"sum unlike quantities.*名/人.*个"):
        fmt.compare("a", 40, "b", 8, of=(mixed, people))
    with pytest.raises(derive.UnlikeQuantities, match=r"compare unlike quantities.*名/人.*家"):
        chinese.compare("人", 26, "企业", 57, of=(people, firms))
    with pytest.raises(derive.UnlikeQuantities, match=r"people.*projects"):
        fmt.compare("a", 20, "b", 20, of=("people", "projects"))


def test_like_rows_still_rank_and_say_ties(data):
    ind = data.indicators
    people = ind[ind["unit"].isin(["名", "人"])]
    values = pd.Series(people["value"].to_numpy(), index=people.index)
    assert derive.leaders(values, of=people) == ["programmes_5150_selected"]
    assert derive.total(people) == float(people["value"].sum())
    growth = ind[ind["kind"] == "growth"]
    ok = fmt.every(growth["value"] > 0, "growth rates", "is positive", "are positive", of=growth)
    assert ok.startswith("all ")


def test_every_counts_booleans_only():
    with pytest.raises(TypeError, match="counts booleans"):
        fmt.every(pd.Series([3, 0]), "rows", "is", "are")
    with pytest.raises(TypeError, match="counts booleans"):
        chinese.every(pd.Series([1.5]), "项数字", "为正")


def test_of_must_name_one_quantity_per_value():
    with pytest.raises(ValueError, match="2 quantities for 3 values"):
        fmt.leaders(pd.Series({"a": 1, "b": 2, "c": 3}), of=["x", "x"])
    with pytest.raises(derive.UnlikeQuantities, match=r"x \(a, c\) and y \(b\)"):
        fmt.ordered(pd.Series({"a": 1, "b": 2, "c": 3}), of=["x", "y", "x"])


@pytest.mark.parametrize(
    "helper",
    [
        derive.leaders,
        derive.tie_groups,
        fmt.top,
        fmt.leaders,
        fmt.ordered,
        fmt.compare,
        chinese.top,
        chinese.leaders,
        chinese.ordered,
        chinese.compare,
    ],
    ids=lambda f: f"{f.__module__.rsplit('.', 1)[-1]}.{f.__name__}",
)
def test_a_ranking_cannot_be_asked_for_without_saying_what_it_ranks(helper):
    param = inspect.signature(helper).parameters["of"]
    assert param.kind is inspect.Parameter.KEYWORD_ONLY
    assert param.default is inspect.Parameter.empty
