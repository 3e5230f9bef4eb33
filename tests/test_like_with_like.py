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

from shizhong import derive, write
from shizhong.bilingual import T, pairs

#: The review's false claim: 20 people (5150 programme) tied with 20 contest-final projects.
PEOPLE_AND_PROJECTS = ["programmes_5150_selected", "contest_final_projects"]
#: An amount beside a growth rate: 17.7 亿元 and 28.4%.
YI_AND_PERCENT = ["finance_tax", "ict_tax_growth"]
#: A growth rate beside a share, both in %: the kinds differ.
GROWTH_AND_SHARE = ["ict_tax_growth", "innovation_hightech_output_share"]
IS = T("is/are", "为正")


def _values(data, ids):
    rows = data.indicators.loc[ids]
    names = pairs(rows["subject_en"], rows["subject_zh"])
    return pd.Series(rows["value"].to_numpy(), index=names), rows


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
    plain = pd.Series(values.to_numpy(), index=rows["subject_en"])
    a, b = T("a", "甲"), T("b", "乙")
    calls = {
        "derive.leaders": lambda: derive.leaders(plain, of=rows),
        "derive.tie_groups": lambda: derive.tie_groups(plain, of=rows),
        "derive.total": lambda: derive.total(rows),
        "write.top": lambda: write.top(values, T("figures", "数字"), of=rows),
        "write.leaders": lambda: write.leaders(values, of=rows),
        "write.ordered": lambda: write.ordered(values, of=rows),
        "write.every": lambda: write.every(values > 0, T("figures", "项数字"), IS, of=rows),
        "write.compare": lambda: write.compare(a, values.iloc[0], b, values.iloc[1], of=rows),
    }
    for name, call in calls.items():
        with pytest.raises(derive.UnlikeQuantities) as caught:
            call()
        message = str(caught.value)
        assert all(q in message for q in named), f"{name}: {message}"
        if name == "derive.total":  # a sum names the rows it was given, by id
            assert all(i in message for i in ids), message
        elif not name.endswith("compare"):  # each value by its label
            assert all(s in message for s in rows["subject_en"]), f"{name}: {message}"


def test_compare_refuses_unlike_sums_and_unlike_sides(data):
    ind = data.indicators
    people = ind.loc[["people_academicians", "programmes_5150_selected"]]
    mixed = ind.loc[PEOPLE_AND_PROJECTS]
    firms = ind.loc[["innovation_hightech_firms"]]
    # 名 and 人 both count persons: alike.
    a, b = T("a", "甲"), T("b", "乙")
    assert write.compare(a, 26, b, 8, of=(people, people)) == T(
        "a (26) outnumber b (8)", "甲（26）多于乙（8）"
    )
    with pytest.raises(derive.UnlikeQuantities, match=r"sum unlike quantities.*名/人.*个"):
        write.compare(a, 40, b, 8, of=(mixed, people))
    with pytest.raises(derive.UnlikeQuantities, match=r"compare unlike quantities.*名/人.*家"):
        write.compare(T("people", "人"), 26, T("firms", "企业"), 57, of=(people, firms))
    with pytest.raises(derive.UnlikeQuantities, match=r"people.*projects"):
        write.compare(a, 20, b, 20, of=("people", "projects"))


def test_like_rows_still_rank_and_say_ties(data):
    ind = data.indicators
    people = ind[ind["unit"].isin(["名", "人"])]
    values = pd.Series(people["value"].to_numpy(), index=people.index)
    assert derive.leaders(values, of=people) == ["programmes_5150_selected"]
    assert derive.total(people) == float(people["value"].sum())
    growth = ind[ind["kind"] == "growth"]
    ok = write.every(growth["value"] > 0, T("growth rates", "项增长率"), IS, of=growth)
    assert ok.en.startswith("all ") and ok.zh.startswith("全部")


def test_every_counts_booleans_only():
    with pytest.raises(TypeError, match="counts booleans"):
        write.every(pd.Series([3, 0]), T("rows", "行"), IS)
    with pytest.raises(TypeError, match="counts booleans"):
        write.every(pd.Series([1.5]), T("figures", "项数字"), IS)


def test_of_must_name_one_quantity_per_value():
    with pytest.raises(ValueError, match="2 quantities for 3 values"):
        write.leaders(pd.Series({"a": 1, "b": 2, "c": 3}), of=["x", "x"])
    with pytest.raises(derive.UnlikeQuantities, match=r"x \(a, c\) and y \(b\)"):
        write.ordered(pd.Series({"a": 1, "b": 2, "c": 3}), of=["x", "y", "x"])


@pytest.mark.parametrize(
    "helper",
    [
        derive.leaders,
        derive.tie_groups,
        write.top,
        write.leaders,
        write.ordered,
        write.compare,
    ],
    ids=lambda f: f"{f.__module__.rsplit('.', 1)[-1]}.{f.__name__}",
)
def test_a_ranking_cannot_be_asked_for_without_saying_what_it_ranks(helper):
    param = inspect.signature(helper).parameters["of"]
    assert param.kind is inspect.Parameter.KEYWORD_ONLY
    assert param.default is inspect.Parameter.empty
