"""The economy chapter's figures, claims and charts, checked against the article's numbers
(data/indicators.csv) worked out by hand."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest

from shizhong import derive
from shizhong.bilingual import T
from shizhong.chapters import economy
from shizhong.glue import Glue

from .conftest import DATA

NBSP = "\u00a0"


def glued(function, data) -> dict[str, T]:
    g = function(Glue(data), data)
    return {key: T(g[key], g.zh(key)) for key in g.glued}


def test_labels_pair_the_two_columns_of_labels_csv(data):
    short = data.label_pairs("short")
    assert short["ict_tax"] == T("ICT: tax", "信息通信业税收")
    assert data.label_pairs("measure")["openness_trade"] == T("Trade", "进出口")
    with pytest.raises(KeyError, match="no label group"):
        data.label_pairs("no_such_group")


def test_names_follow_the_english_with_the_articles_subject(data):
    rows = data.indicators.loc[["ict_tax_growth", "design_park_revenue"]]
    names = economy.names(data, rows)
    assert names["ict_tax_growth"] == T("ICT: tax 信息通信业税收增长", "信息通信业税收")
    # The English keeps the article's subject, the Chinese the short label.
    assert names["design_park_revenue"] == T(
        "Design park: revenue 园区营业收入", "设计产业园营业收入"
    )


def test_the_groups_of_figures(data):
    assert set(economy.growth(data).index) == {
        "construction_value_added_growth",
        "services_revenue_growth",
        "ict_tax_growth",
        "openness_trade_growth",
    }
    money = economy.amounts(data)
    assert set(money.index) == {
        "finance_tax",
        "services_revenue",
        "ict_tax",
        "logistics_revenue",
        "design_park_revenue",
        "openness_trade",
    }
    assert money.at["services_revenue", "measure"] == T("Operating revenue", "营业收入")
    assert money.at["finance_tax", "shown"] == T(f"17.7{NBSP}亿元", "17.7亿元")
    counts = economy.innovation(data)
    assert counts.at["innovation_hightech_firms", "shown"] == T("57", "57家")
    assert len(counts) == 6


def test_sector_claims_are_computed_from_the_figures(data):
    values = glued(economy.glue_sectors, data)
    # 28.4% (ICT tax) > 25% > 12.5% > 9.2%; the Chinese sentence has just given the rate.
    assert values["fastest_growth"] == T("ICT: tax 信息通信业税收增长 (28.4%)", "信息通信业税收")
    assert values["largest_amount"].zh == "规上服务业营业收入"
    assert values["growth_positive"] == T(
        "all 4 growth rates of the section are positive", "全部4项增长率均为正"
    )
    order = values["amounts_order"]
    written = ["274.8", "41.89", "26.5", "17.7", "11", "4.46"]
    positions = [order.zh.index(f"（{w}亿元）") for w in written]
    assert positions == sorted(positions)
    assert order.en.endswith("from largest to smallest")
    assert values["growth_order"].zh.startswith(
        "从大到小依次为信息通信业税收（28.4%），建筑业增加值（25%）"
    )
    assert values["growth_without_level"] == T("construction: value added", "建筑业增加值")
    assert values["level_without_growth"] == T(
        "finance: tax, logistics: revenue and design park: revenue",
        "金融业税收、规上物流企业营业收入和设计产业园营业收入",
    )


def test_a_tie_at_the_top_is_said_as_a_tie(data):
    rates = economy.growth(data).copy()
    rates.loc["construction_value_added_growth", ["value", "shown"]] = [28.4, T("28.4%", "28.4%")]
    leader = economy.leader(rates)
    assert "tied at 28.4%" in leader.en
    assert leader.zh.endswith("并列")


def test_unlike_figures_are_not_ranked(data):
    mixed = pd.concat([economy.growth(data), economy.amounts(data)])
    with pytest.raises(derive.UnlikeQuantities):
        economy.ordered(mixed)


def test_implied_2018_levels_by_hand(data):
    values = glued(economy.glue_baselines, data)
    # 274.8 / 1.092 = 251.648…, 4.46 / 1.284 = 3.473…, 41.89 / 1.125 = 37.235…
    assert values["services_revenue_2018"] == T(f"251.65{NBSP}亿元", "251.6亿元")
    assert values["services_revenue_change"] == T(f"23.15{NBSP}亿元", "23.2亿元")
    assert values["ict_tax_2018"] == T(f"3.47{NBSP}亿元", "3.47亿元")
    assert values["openness_trade_2018"] == T(f"37.24{NBSP}亿元", "37.24亿元")
    assert values["openness_trade_change"] == T(f"4.65{NBSP}亿元", "4.65亿元")
    assert len(values) == 6  # construction has a rate but no level


def test_implied_keeps_the_written_decimals_in_chinese():
    assert economy.implied(3.4735, "4.46") == T(f"3.47{NBSP}亿元", "3.47亿元")
    assert economy.implied(251.648, "274.8") == T(f"251.65{NBSP}亿元", "251.6亿元")
    assert economy.implied(10.04, "11") == T(f"10.04{NBSP}亿元", "10亿元")


def test_design_park_averages_by_hand(data):
    values = glued(economy.glue_design, data)
    # 11 亿元 over 185 firms = 5,945,946 yuan; over 6.4 万平方米 = 17,187.5 yuan per m².
    assert values["design_revenue_per_firm"] == T(f"CNY{NBSP}5.95{NBSP}million", "595万元")
    assert values["design_revenue_per_m2"] == T(f"CNY{NBSP}17,188", "1.7万元/平方米")


def test_innovation_claims_by_hand(data):
    values = glued(economy.glue_innovation, data)
    # Institutions: 1 + 2 + 3 + 1 + 6 = 13, against 57 certifications.
    assert values["hightech_vs_institutions"] == T(
        "high-tech certifications (57) outnumber the new institutions together (13)",
        "新认定高新技术企业（57）多于新增创新机构合计（13）",
    )
    assert values["innovation_order"].zh.endswith("企业研发机构和孵化器（均为1家）")


def test_trade_converts_at_the_rate_of_the_data(data):
    with (DATA / "exchange_rates.csv").open(encoding="utf-8") as f:
        rate = next(r["rate"] for r in csv.DictReader(f) if r["year"] == "2019")
    values = glued(economy.glue_trade, data)
    assert values["usd_rate_2019"] == T(f"{rate} yuan", f"1美元兑{rate}元人民币")
    # The deals are more than 1 亿美元: more than the rate itself, in 亿元, never rounded up.
    assert values["ciie_deals_cny"] == T(f"more than {rate}{NBSP}亿元", f"{rate}亿元以上")
    assert values["ciie_deals_cny_round"].zh == f"{float(rate):.1f}亿元"


@pytest.mark.parametrize(
    ("builder", "title"),
    [
        (economy.amounts_chart, T("Reported 2019 amounts, in 亿元", "2019年各项金额（亿元）")),
        (
            economy.growth_chart,
            T("Reported growth rates, 2019 over 2018", "2019年比2018年的增长率"),
        ),
        (
            economy.baselines_chart,
            T(
                "From the implied 2018 level to the reported 2019 level",
                "从推算的2018年总量到报告的2019年总量",
            ),
        ),
        (
            economy.innovation_chart,
            T(
                "New innovation institutions and high-tech firms, 2019",
                "2019年新增创新机构和高新技术企业",
            ),
        ),
    ],
)
def test_each_chart_is_drawn_in_its_editions_language(data, builder, title):
    en, zh = (builder(data, lang).to_dict() for lang in ("en", "zh"))
    assert (en["title"]["text"], zh["title"]["text"]) == (title.en, title.zh)
    assert en["usermeta"]["shizhong"]["lang"] == "en"
    assert zh["usermeta"]["shizhong"]["lang"] == "zh"
    for spec, lang in ((en, "en"), (zh, "zh")):
        (rows,) = spec["datasets"].values()
        assert {"label_en", "label_zh", "display_en", "display_zh"} <= set(rows[0])
        assert spec["vconcat"][0]["layer"][0]["encoding"]["y"]["field"] == f"label_{lang}"


def test_the_baselines_chart_shows_no_english_to_chinese_readers(data):
    zh = economy.baselines_chart(data, "zh").to_dict()
    tips = [t["field"] for t in zh["vconcat"][0]["layer"][0]["encoding"]["tooltip"]]
    assert tips == ["subject_zh", "display_zh", "growth_label", "quote"]
    (rows,) = zh["datasets"].values()
    assert {r["growth_label"] for r in rows} == {"增长9.2%", "增长28.4%", "增长12.5%"}


def test_the_baselines_tooltip_writes_each_level_as_the_prose_and_the_article_do(data):
    # 274.8 亿元 grew 9.2%: 274.8 / 1.092 = 251.648…; the Chinese prose gives 251.6亿元 and the
    # article writes 274.8亿元, so the tooltip shows no digit that neither writes.
    spec = json.dumps(economy.baselines_chart(data, "zh").to_dict(), ensure_ascii=False)
    assert "251.6亿元 → 274.8亿元" in spec
    assert "251.65亿元" not in spec and "274.80亿元" not in spec
    spec_en = json.dumps(economy.baselines_chart(data, "en").to_dict(), ensure_ascii=False)
    assert f"251.65{NBSP}亿元 → 274.8{NBSP}亿元" in spec_en
