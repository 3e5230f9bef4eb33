"""The projects chapter: its derivations, labels, selections and builders."""

import csv
import dataclasses
import itertools
import json

import pytest

import shizhong as sz
from shizhong.bilingual import T
from shizhong.chapters import projects

from .conftest import DATA


@pytest.fixture
def glued(monkeypatch):
    """What a chapter glues, key → value (``zh:key`` for the Chinese), without a kernel."""
    values = {}
    monkeypatch.setattr("myst_nb.glue", lambda key, value, display: values.setdefault(key, value))
    return values


def test_the_brackets_are_the_articles_figures_and_their_differences(data):
    b = projects.brackets(data)
    # 1134 projects with 933 亿元 (+28%), of which 174 with 748 亿元 (+38%).
    assert (b.n_all, b.c_all, b.g_all) == (1134, 933, 28)
    assert (b.n_big, b.c_big, b.g_big) == (174, 748, 38)
    assert (b.n_mid, b.c_mid) == (960, 185)
    assert b.p_all == pytest.approx(933 / 1.28)
    assert b.p_big == pytest.approx(748 / 1.38)
    assert b.p_mid == pytest.approx(933 / 1.28 - 748 / 1.38)
    assert b.averages == pytest.approx({"all": 933 / 1134, "big": 748 / 174, "mid": 185 / 960})


def test_the_bracket_labels_come_from_the_thresholds(data):
    all_, big, mid = projects.bracket_labels(data)
    assert big == T("≥ CNY 100m 亿元以上", "亿元以上")
    assert mid == T("CNY 10–100m 千万元至亿元", "千万元至亿元")
    assert all_ == T("Whole class ≥ CNY 10m 千万元以上", "千万元以上（合计）")


def test_middle_bracket_growth_and_share_of_the_increase():
    # Both brackets growing alike: the middle grows alike, the big one takes its share.
    growth, share = projects.middle_bracket(200, 100, 10, 10)
    assert growth == pytest.approx(10)
    assert share == pytest.approx(50)
    # The article: 933 亿元 (+28%) of which 748 亿元 (+38%).
    growth, share = projects.middle_bracket(933, 748, 28, 38)
    before = 933 / 1.28 - 748 / 1.38
    assert growth == pytest.approx(100 * (185 / before - 1))
    assert growth < 0  # the middle bracket shrank: the big one took more than the increase
    assert share == pytest.approx(100 * (748 - 748 / 1.38) / (933 - 933 / 1.28))
    assert share > 100


def test_the_middle_range_spans_every_rounding_of_the_inputs(data):
    (g_low, g_high), (s_low, s_high) = projects.middle_range(data)
    growths, shares = [], []
    # Every input written as a whole number: it stands for ±0.5.
    for ta, tb, ga, gb in itertools.product(
        (932.5, 933.5), (747.5, 748.5), (27.5, 28.5), (37.5, 38.5)
    ):
        before_all, before_big = ta / (1 + ga / 100), tb / (1 + gb / 100)
        growths.append(100 * ((ta - tb) / (before_all - before_big) - 1))
        shares.append(100 * (tb - before_big) / (ta - before_all))
    assert (g_low, g_high) == pytest.approx((min(growths), max(growths)))
    assert (s_low, s_high) == pytest.approx((min(shares), max(shares)))
    point_growth, point_share = projects.middle_bracket(933, 748, 28, 38)
    assert g_low < point_growth < g_high
    assert s_low < point_share < s_high
    assert g_low < 0 < g_high  # the roundings leave the sign of the middle's growth open


def test_glue_brackets_writes_the_derived_values(data, glued):
    projects.glue_brackets(sz.Glue(data), data)
    assert glued["mid_count"] == "960"
    assert glued["mid_capital"] == "185\u00a0亿元"
    assert glued["zh:mid_capital"] == "185亿元"
    assert glued["prev_all"] == "728.9\u00a0亿元"
    assert glued["big_share_clause"] == "more than the whole increase"
    assert glued["zh:big_share_clause"] == "超过增量总额"
    assert glued["big_vs_prev_all"].startswith("748\u00a0亿元, is above the implied 2018 capital")
    assert "千万元以上项目整体" in glued["zh:big_vs_prev_all"]
    assert glued["half_units"] == (
        "±0.5 percentage points on the growth rates and ±0.5\u00a0亿元 on the levels"
    )
    assert glued["avg_ratio"] == str(round((748 / 174) / (185 / 960)))


def test_glue_thresholds_names_the_middle_bracket_in_the_articles_words(data, glued):
    projects.glue_thresholds(sz.Glue(data), data)
    assert glued["zh:mid_bracket_name"] == "千万元至亿元项目"
    assert glued["mid_bracket_name"].startswith("projects of CNY\u00a010\u00a0million up to")


def test_label_pairs_cover_every_entity_type(data):
    types = data.label_pairs("entity_type")
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    entities = next(r for r in package["resources"] if r["name"] == "entities")
    field = next(f for f in entities["schema"]["fields"] if f["name"] == "type")
    assert set(types) == set(field["constraints"]["enum"])
    assert types["building"] == T("building", "楼宇")
    assert types["programme"] == T("programme", "计划")
    with pytest.raises(KeyError):
        data.label_pairs("no_such_group")


def test_the_entities_table_names_types_in_each_language(data):
    en = projects.entities_table(data, "en").data
    zh = projects.entities_table(data, "zh").data
    assert "| Name 中文 | Name | Type |" in en
    assert "| 名称 | 英文名称 | 类型 |" in zh
    assert "| 楼宇 |" in zh and "building" not in zh.split("| :--")[-1]
    n = (data.entities["chapter"] == "projects").sum()
    assert en.count("\n| ") - 2 == n  # a line a row, under the header and the rule


def test_road_labels_use_the_short_english_name_of_the_data(data):
    roads = projects.roads(data).set_index("id")
    assert roads.at["shunhe_elevated_south", "road"] == T(
        "顺河高架南延 Shunhe Elevated Road (south ext.)", "顺河高架南延"
    )
    assert roads.at["dangyang_road", "road"] == T("党杨路 Dangyang Road", "党杨路")
    assert roads.at["liuchangshan_road", "stage_label"] == T("Opened end to end 贯通", "贯通")


def test_every_short_english_road_name_shortens_its_name():
    with (DATA / "road_works.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows
    for row in rows:
        assert len(row["label_en"]) <= len(row["name_en"]), row["id"]
        assert row["label_en"].split()[0] == row["name_en"].split()[0], row["id"]


def test_the_slogan_is_the_row_of_its_id(data):
    slogan = projects.slogan(data)
    assert slogan.startswith("引进一个大企业")
    assert slogan.endswith("引领一域大发展")
    assert data.article.count(slogan) == 1
    broken = data.numeral_exclusions.assign(id=data.numeral_exclusions["id"] + "_x")
    with pytest.raises(KeyError):
        projects.slogan(dataclasses.replace(data, numeral_exclusions=broken))


def test_cumulative_notes_count_the_rows_of_the_data():
    with (DATA / "indicators.csv").open(encoding="utf-8", newline="") as f:
        notes = [r["note"] for r in csv.DictReader(f)]
    cumulative = sum(n.startswith("Cumulative") for n in notes)
    leiji = sum("累计" in n for n in notes)
    assert cumulative >= 2  # renewal agreements and key-project investment at least
    assert projects.cumulative_notes(sz.load(DATA)) == (cumulative, leiji)


def test_glue_land_converts_mu_exactly(data, glued):
    projects.glue_land(sz.Glue(data), data)
    assert projects.mu_per_ha(data) == pytest.approx(1 / 15)
    assert glued["mu_in_ha"] == "1/15\u00a0ha (666.7\u00a0m²)"
    assert glued["land_transferred_share"] == f"{100 * 835 / 1579:.1f}%"
    assert glued["land_split_projects"] == "make exactly"  # 835 + 744 = 1579


@pytest.mark.parametrize(
    "builder",
    [
        projects.land_chart,
        projects.roads_chart,
        projects.brackets_chart,
        projects.concentration_chart,
        projects.average_chart,
    ],
)
def test_each_chart_is_written_in_its_editions_language(data, builder):
    en, zh = (builder(data, lang).to_dict() for lang in ("en", "zh"))
    assert en["description"][0].isascii() and en["description"][0].isalpha()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh["description"][:6])
    assert en["title"]["text"] != zh["title"]["text"]


def test_the_bracket_table_marks_the_derived_bracket(data):
    en = projects.bracket_table(data, "en").data
    zh = projects.bracket_table(data, "zh").data
    assert r"\(derived\)" in en.split("\n")[-1]
    assert "推算" in zh.split("\n")[-1]
    assert "| 分档 | 来源 |" in zh
