"""The talent chapter's selections, claims and charts (shizhong.chapters.talent)."""

import csv

import altair as alt
import pandas as pd
import pytest

import shizhong as sz
from shizhong import chart
from shizhong.bilingual import T
from shizhong.chapters import talent
from tests.conftest import DATA


def _indicators():
    with open(DATA / "indicators.csv", encoding="utf-8", newline="") as f:
        return {r["id"]: r for r in csv.DictReader(f)}


@pytest.fixture
def glued(monkeypatch, data):
    monkeypatch.setattr("myst_nb.glue", lambda key, value, display: None)
    return sz.Glue(data)


def test_the_people_are_grouped_by_topic(data):
    people = talent.people(data)
    assert list(people.index) == [
        "people_academicians",
        "people_national_leaders",
        "people_provincial_leaders",
        "programmes_5150_selected",
        "programmes_industry_leaders",
    ]
    assert set(people["topic"]) == set(talent.PROGRAMME)
    # The name row of the 5150 programme is no count of people.
    assert "programmes_5150_label" not in people.index


def test_the_totals_recruited_and_selected(glued, data):
    rows = _indicators()
    talent.glue_people(glued, data)
    recruited = sum(int(rows[i]["value"]) for i in rows if rows[i]["topic"] == "people")
    assert recruited == 6 + 2 + 8
    assert glued["jingwei_total"] == str(recruited)
    assert glued["city_total"] == str(20 + 3)
    assert glued.zh("jingwei_name_en") == "“品质市中·经纬人才”计划"


def test_the_organisations_are_counted_largest_first_ties_in_data_order(data):
    assert list(talent.organisations(data).index) == [
        "innovation_hightech_firms",
        "contest_final_projects",
        "platforms_innovation",
        "innovation_rd_transfer_institutions",
        "innovation_maker_spaces",
        "innovation_academician_workstations",
        "innovation_rd_institutions",
        "innovation_incubators",
    ]
    # A share, a count of trips or of people never enters.
    assert not {"innovation_hightech_output_share", "promotion_trips"} & set(
        talent.organisations(data).index
    )


def test_projects_are_not_ranked_with_firms(data):
    said = talent.link_claims(data)
    assert said["links_largest"] == T("High-tech enterprises 高新技术企业 (57)", "高新技术企业")
    assert "Contest" not in said["links_order"].en
    assert said["links_order"].en.endswith("(1 each), from largest to smallest")
    assert said["links_order"].zh.startswith("从大到小依次为高新技术企业（57家）")


def test_the_largest_count_of_people(glued, data):
    talent.glue_preamble(glued, data)
    assert glued["talent_largest"] == 'people selected for the "5150" programme (20)'
    assert glued.zh("talent_largest").endswith("（20人）")
    assert glued["innovation_hightech_firms"] == "57"


def test_the_people_chart_in_each_language(data):
    frame = talent.people_frame(data)
    assert (
        list(frame["programme"].map(lambda p: p.en))
        == ["Recruited 引进"] * 3 + ["Selected 申报入选"] * 2
    )
    assert frame.loc[3, "label"] == T("“5150” programme 引才倍增计划", "“5150”引才倍增计划")
    zh = talent.people_chart(data, "zh").to_dict()
    assert "前三行为引进的人才，后两行为申报入选市级计划的人数" in zh["description"]
    en = talent.people_chart(data, "en").to_dict()
    assert "The first three are recruited titles, the last two" in en["description"]


def test_the_links_chart_names_its_sources(data):
    spec = talent.links_chart(data, "zh").to_dict()
    values = next(iter(spec["datasets"].values()))
    assert {v["source"] for v in values} == {"人才：招才引智", "经济：科技创新"}
    assert spec["description"].endswith("项目：落地大赛决赛项目（20个）。")


def test_a_tooltip_may_be_a_field_and_its_title():
    frame = pd.DataFrame({"n": [1], "name": ["a"]})
    tips = chart.tooltips(frame, [("n", "Figures"), ("name", "Name")])
    assert tips == [
        alt.Tooltip(field="n", type="quantitative", title="Figures"),
        alt.Tooltip(field="name", type="nominal", title="Name"),
    ]


def test_the_events_table(data):
    en = talent.events_table(data, "en").data
    assert "| Event 中文 | Event | Quote 原文 |" in en
    assert "BIM软件产业高峰论坛" in en
