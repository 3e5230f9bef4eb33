"""The methods chapter's analysis (shizhong.chapters.methods), the caveat column of
indicators.csv, the units table both appendices show, and Dataset.coverage/label_pairs."""

from __future__ import annotations

import dataclasses
import json
import re

import pandas as pd
import pytest

import shizhong as sz
from shizhong import show, units
from shizhong.bilingual import T, resolve
from shizhong.chapters import methods

from .conftest import DATA

# -- The caveats: a column of indicators.csv, and the rules over explicit columns -------------


def old_rules(row: pd.Series, ids: set[str]) -> list[str]:
    """The caveats as the chapter used to pick them, from the words of quotes and notes: the
    column must give the same rows the same caveats."""
    note = "" if pd.isna(row["note"]) else str(row["note"])
    rules = {
        "more_than": row["qualifier"] == "more_than",
        "threshold": row["id"].startswith("investment_threshold"),
        "cumulative": "累计" in row["quote"],
        "counted_over_year": note.startswith("Counted over 2019"),
        "subscribed": "认缴" in row["quote"],
        "stock": "stock" in note,
        "no_level": row["kind"] == "growth" and row["id"].removesuffix("_growth") not in ids,
        "share": row["kind"] == "share",
        "in_progress": "加快推进" in row["quote"] and row["kind"] == "count",
    }
    return [key for key, holds in rules.items() if holds]


def test_the_caveat_column_reproduces_what_the_article_says(data):
    ind = data.indicators
    found = methods.caveats(ind)
    ids = set(ind["id"])
    expected = {r["id"]: old_rules(r, ids) for _, r in ind.iterrows()}
    assert found.to_dict() == expected
    assert sum(1 for keys in found if keys) == 16
    assert found["new_finance_park_fund_scale"] == ["more_than", "stock"]
    assert found["construction_value_added_growth"] == ["no_level"]


def frame(*rows: dict) -> pd.DataFrame:
    base = {"qualifier": "exact", "kind": "count", "caveat": pd.NA}
    return pd.DataFrame([{**base, **r} for r in rows])


def test_caveats_follow_the_columns_not_the_words():
    ind = frame(
        {"id": "a_growth", "kind": "growth"},  # its level a is stated: no caveat
        {"id": "a", "kind": "level", "caveat": "subscribed"},
        {"id": "b_growth", "kind": "growth", "qualifier": "more_than"},
        {"id": "c", "kind": "share", "caveat": "in_progress"},
        {"id": "d", "quote": "累计 认缴 加快推进"},  # words alone are no caveat
    )
    assert methods.caveats(ind).to_dict() == {
        "a_growth": [],
        "a": ["subscribed"],
        "b_growth": ["more_than", "no_level"],
        "c": ["share", "in_progress"],
        "d": [],
    }


def test_every_caveat_has_its_label_and_the_schema_allows_the_column_ones(data):
    assert list(data.label_map("caveat")) == list(methods.CAVEATS)
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    ind = next(r for r in package["resources"] if r["name"] == "indicators")
    field = ind["schema"]["fields"][-1]
    assert field["name"] == "caveat" and field["description_zh"]
    assert set(field["constraints"]["enum"]) < set(methods.CAVEATS)
    assert set(data.indicators["caveat"].dropna()) <= set(field["constraints"]["enum"])


def test_the_caveats_table_reads_each_row_in_its_language(data):
    en, zh = (methods.caveats_table(data, lang).data for lang in ("en", "zh"))
    assert show.markdown_text("a lower bound (超, 余); a stock, not a 2019 flow") in en
    assert "下限（超、余）；存量，不是2019年流量" in zh
    assert "| Figure | As written | Read as | Quote 原文 |" in en
    assert en.count("\n| ") == zh.count("\n| ") == 2 + 16


# -- The source, the units, the kinds ------------------------------------------------------------


def test_the_article_digest_is_checked(data):
    assert methods.article_digest(data).hexdigest() == data.source["sha256"]
    descriptor = json.loads(json.dumps(data.descriptor))
    descriptor["sources"][0]["sha256"] = "0" * 64
    with pytest.raises(ValueError, match="does not match its digest"):
        methods.article_digest(dataclasses.replace(data, descriptor=descriptor))


def test_the_headquarters_row_names_a_list_of_the_glossary(data):
    assert methods.global500_name(data) == "世界500强"
    glossary = data.glossary[data.glossary["term_zh"] != "世界500强"]
    with pytest.raises(ValueError, match="0 glossary terms"):
        methods.global500_name(dataclasses.replace(data, glossary=glossary))


def test_the_units_and_thresholds_glued(data, glue_log):
    g = sz.Glue(data)
    methods.glue_units(g, data)
    assert glue_log["mu_factor"] == "2000/3" and glue_log["mu_in_ha"] == "1/15"
    assert glue_log["land_supplied_ha"] == "105.3\u00a0ha"  # 1579 × 2000/3 m² = 105.27 ha
    assert glue_log["zh:land_supplied_ha"] == "105.3公顷"
    assert glue_log["n_units"] == "18"
    assert glue_log["name_global500"] == glue_log["zh:name_global500"] == "世界500强"
    # The class as the article writes it: the threshold's text, its unit and 以上.
    assert glue_log["threshold_10m_zh"] == glue_log["zh:threshold_10m_zh"] == "千万元以上"
    assert glue_log["threshold_100m_zh"] == "亿元以上"
    assert glue_log["threshold_10m"] == "CNY\u00a010\u00a0million"
    assert glue_log["zh:threshold_100m"] == "1亿元"


def test_one_units_table_for_both_appendices(data):
    table = units.table(data.units, data.label_pairs("base_unit"))
    mu = table.set_index("unit").loc["亩"]
    assert (mu["factor"], mu["base"]) == (T("2,000/3", "2000/3"), T("m²", "平方米"))
    yi = table.set_index("unit").loc["亿元"]
    assert yi["factor"] == T("100,000,000", "100000000")
    assert len(table) == len(data.units) == len(units.written(data.units)) + 1
    assert units.NO_UNIT not in set(units.written(data.units)["unit"])
    en = methods.units_table(data, "en").data
    zh = methods.units_table(data, "zh").data
    assert "| 亩 | mu | m² | 2\\,000\\/3 |" in en and "| 亩 | mu | 平方米 | 2000\\/3 |" in zh


def test_kinds_in_order_and_each_labelled(data):
    kinds = methods.kinds(data)
    assert kinds["n"].sum() == len(data.indicators)
    counts = data.indicators["kind"].value_counts()
    order = methods.kind_order(data)
    first = counts.index[0]
    assert order.en.startswith(f"{first} ({counts.iloc[0]})")
    assert order.zh.startswith(f"从大到小依次为{data.label_map('kind_name', 'zh')[first]}")
    names = data.label_map("kind_name", "zh")
    assert (names["label"], names["date"]) == ("名称", "日期")  # apart, unlike labels of kind
    zh = methods.kinds_table(data, "zh").data
    assert (
        "| 类型 | 含义 | 行数 |" in zh and "名称或日期" not in zh.split("\n", 3)[-1].split("|")[1]
    )


def test_the_chapters_table_counts_every_row(data):
    en = methods.chapters_table(data, "en").data
    zh = methods.chapters_table(data, "zh").data
    rows = data.indicators["chapter"].value_counts()
    assert f"| {rows.index[0]} | {rows.iloc[0]} |" in en
    assert f"| {data.label_map('chapter', 'zh')[rows.index[0]]} | {rows.iloc[0]} |" in zh


# -- Coverage -------------------------------------------------------------------------------------


def test_coverage_accounts_for_every_numeral(data):
    cov = methods.coverage(data)
    assert len(cov) == len(data.coverage())
    assert set(cov["account"]) <= set(methods.account_labels(data)) - {methods.UNCOVERED}
    # Each numeric row's value is one numeral, and no numeral is the value of two rows.
    value = (cov["account"] == methods.VALUE).sum()
    assert value == len(methods.numeric_rows(data)) == len(methods.value_starts(data))
    accounts = methods.accounts(data)
    assert accounts["n"].sum() == len(cov)
    assert list(accounts["order"]) == sorted(accounts["order"])
    labels = resolve(list(accounts["account"]), "zh")
    assert labels[:2] == ["数据行的数值", "名称或日期行中的数字"]
    assert "排除：成语或词语" in labels


def test_value_starts_locate_each_written_value(data):
    article = data.article
    starts = methods.value_starts(data)
    row = data.figure("services_revenue")  # 274.8 in 规上服务业完成营业收入274.8亿元
    assert article.find(row["quote"]) + row["quote"].index("274.8") in starts
    assert all(
        article[s].isdigit() or article[s] in "一二三四五六七八九十百千万亿两首" for s in starts
    )


def test_each_exclusion_excludes_some_numeral(data):
    en = methods.exclusions_table(data, "en").data
    zh = methods.exclusions_table(data, "zh").data
    rows = en.splitlines()[5:]
    assert len(rows) == len(data.numeral_exclusions)
    counts = [int(line.split(" | ")[3]) for line in rows]
    assert all(n >= 1 for n in counts)
    assert sum(counts) >= (data.coverage()["status"] == "excluded").sum()
    assert "| idiom |" in en and "| 成语或词语 |" in zh


# -- Relations and baselines ---------------------------------------------------------------------


def test_relations_on_a_common_scale(data):
    r = methods.relations(data).set_index("id")
    land = r.loc["land_supply_split"]
    both = T("1,579", "1579")
    assert (land["left"], land["right"], land["ratio"]) == (both, both, 100.0)
    assert land["result"] == T("Holds", "成立") and land["symbol_zh"] == "="
    # 174 of 1134 projects hold 748 of 933 亿元 of subscribed capital.
    assert r.loc["investment_count_nested", "ratio"] == pytest.approx(100 * 174 / 1134)
    assert r.loc["investment_capital_nested", "ratio"] == pytest.approx(100 * 748 / 933)
    assert methods.SYMBOLS["rows"].zh == "＝行数"


def test_a_baseline_and_the_ranges_its_rounding_leaves(data):
    b = methods.baselines(data).set_index("id").loc["services_revenue"]
    # 274.8亿元 after +9.2%: 274.8 / 1.092 = 251.648; a rate in [9.15, 9.25) gives
    # 274.8 / 1.0925 = 251.533 to 274.8 / 1.0915 = 251.764; with the level in
    # [274.75, 274.85): 274.75 / 1.0925 = 251.487 to 274.85 / 1.0915 = 251.809.
    assert b["previous_display"] == "251.65\u00a0亿元" and b["previous_zh"] == "251.65亿元"
    assert b["range_growth"] == "251.53–251.76\u00a0亿元"
    assert b["range_growth_zh"] == "251.53亿元～251.76亿元"
    assert b["range_both"] == "251.49–251.81\u00a0亿元"
    assert b["growth_range"] == "9.15%–9.25%" and b["growth_range_zh"] == "9.15%～9.25%"
    assert b["high_pct"] == pytest.approx(100 * (274.8 / 1.0915) / (274.8 / 1.092) - 100)
    assert b["spread"] == "±0.05%"
    assert b["label"] == "Services: revenue 规上服务业营业收入"


def test_a_whole_growth_rate_leaves_a_wider_range(data):
    b = methods.baselines(data).set_index("id")
    # 28% stands for [27.5, 28.5): 933 / 1.275 = 731.76 to 933 / 1.285 = 726.07.
    capital = b.loc["investment_projects_10m_capital"]
    assert capital["range_growth"] == "726.1–731.8\u00a0亿元"
    assert capital["spread"] == "±0.39%"


def test_growth_claims_and_care_rows(data, glue_log):
    g = sz.Glue(data)
    methods.glue_caveats(g, data)
    growth = data.indicators[data.indicators["kind"] == "growth"]
    assert glue_log["n_growth_rows"] == str(len(growth))
    lowest = growth.loc[growth["value"].idxmin()]
    assert glue_log["min_growth"].startswith(lowest["subject_en"].lower())
    assert glue_log["zh:min_growth"].startswith(lowest["subject_zh"])
    assert glue_log["n_care_rows"] == "16"


# -- The charts, per edition ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "builder, en, zh",
    [
        ("kinds_chart", "What sort of figure each row is", "各行数据是哪一类数字"),
        (
            "coverage_chart",
            "What accounts for each numeral of the article",
            "文章中的数字各有什么交代",
        ),
        ("relations_chart", "Each declared relation, on a common scale", "各项声明关系，统一刻度"),
        (
            "rounding_chart",
            "How precisely the implied 2018 baselines are known",
            "推算的2018年基数有多精确",
        ),
    ],
)
def test_each_chart_is_written_in_its_edition(data, builder, en, zh):
    for lang, title in (("en", en), ("zh", zh)):
        spec = getattr(methods, builder)(data, lang=lang).to_dict()
        assert spec["title"]["text"] == title
        assert spec["usermeta"]["shizhong"]["lang"] == lang
        text = json.dumps(spec, ensure_ascii=False)
        if lang == "zh":
            assert "Quote 原文" not in text and '"title": "Rows"' not in text


def test_label_pairs_read_labels_csv(data):
    pairs = data.label_pairs("qualifier")
    assert pairs["more_than"] == T("More than (超, 余)", "超过（超、余）")
    assert list(pairs) == list(data.label_map("qualifier"))
    with pytest.raises(KeyError):
        data.label_pairs("no_such_group")


def test_the_chinese_tables_write_numbers_without_separators(data):
    # WRITING.md: the Chinese edition writes 1579, not 1,579 (a table cell escapes the comma).
    separated = re.compile(r"\d\\?,\d{3}")
    for build in (methods.sample_table, methods.units_table, methods.relations_table):
        english, chinese = build(data, "en").data, build(data, "zh").data
        assert separated.search(english), f"{build.__name__}: no separated number to check"
        assert not separated.search(chinese), f"{build.__name__}: {separated.search(chinese)}"
