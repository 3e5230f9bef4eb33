"""The overview chapter's values, tables and chart (shizhong.chapters.overview), checked
against counts taken straight from the CSV files."""

from collections import Counter

import pandas as pd
import pytest

import shizhong as sz
from shizhong.bilingual import T, column
from shizhong.chapters import overview
from tests.conftest import csv_rows


@pytest.fixture
def glued(glue_log, data):
    """A chapter's Glue whose values go to ``glue_log``, not a notebook."""
    return sz.Glue(data)


def test_label_pairs_and_columns_pair_the_two_languages(data):
    chapters = data.label_pairs("chapter")
    assert chapters["economy"] == T("Economy", "经济")
    assert list(chapters) == ["context", "economy", "projects", "talent", "outlook"]
    frame = pd.DataFrame({"name_en": ["a", "b"], "name_zh": ["甲", "乙"]})
    assert column(frame, "name") == [T("a", "甲"), T("b", "乙")]
    with pytest.raises(KeyError):
        data.label_pairs("no_such_group")


def test_the_composition_counts_every_figure_once_and_merges_shared_labels(data):
    frame = overview.composition(data)
    by_hand = Counter(r["chapter"] for r in csv_rows("indicators"))
    assert frame["figures"].sum() == sum(by_hand.values()) == 77
    outlook = frame[frame["chapter"] == T("Outlook", "展望")]
    by_kind = Counter(r["kind"] for r in csv_rows("indicators") if r["chapter"] == "outlook")
    # Names and dates share one label, so they are one part.
    name_or_date = by_kind["label"] + by_kind["date"]
    assert dict(zip(outlook["part"], outlook["figures"], strict=True)) == {
        T("Count", "数量"): by_kind["count"],
        T("Name or date", "名称或日期"): name_or_date,
    }


def test_each_edition_orders_the_composition_as_its_language_sorts(data):
    frame = overview.composition(data)
    for lang in ("en", "zh"):
        named = overview.in_lang(frame, lang)
        keys = list(zip(named["chapter"], named["part"], strict=True))
        assert keys == sorted(keys)
        assert all(isinstance(c, str) for c in named["chapter"])


def test_the_claims_name_the_chapter_with_most_figures(data):
    by_hand = Counter(r["chapter"] for r in csv_rows("indicators"))
    chapter, n = by_hand.most_common(1)[0]
    assert (chapter, n) == ("economy", 31)
    levels = Counter(r["chapter"] for r in csv_rows("indicators") if r["kind"] == "level")
    said = overview.claims(data)
    assert said["most_figures"] == T(
        f"Economy has the most figures ({n})", f"经济一章的数字个数最多（{n}）"
    )
    top, n_levels = levels.most_common(1)[0]
    assert top == "projects"
    assert said["most_amounts"] == T(
        f"Projects has the most amounts ({n_levels})", f"项目一章的金额类数字最多（{n_levels}）"
    )


def test_glued_article_size_and_units(glued, data):
    overview.glue_article(glued, data)
    overview.glue_composition(glued, data)
    assert glued["n_figures"] == "77"
    assert glued["article_chars"] == f"{len(data.article):,}"
    assert glued.zh("unit_yi") == "1亿元＝10⁸元"
    assert glued["unit_mu"] == "666.7 m²"  # 1 亩 = 10000/15 m²
    assert glued.zh("unit_mu") == "1亩约合666.7平方米"
    assert glued["outlook_kinds"] == "count (four) and name or date (two)"
    assert glued.zh("outlook_kinds") == "名称或日期2个和数量4个"


def test_the_key_figures_keep_their_order_and_read_quotes_on_one_line(data):
    frame = overview.key_figures(data)
    assert list(frame.index) == list(overview.KEY_FIGURES)
    assert not frame["quote"].str.contains(r"\s").any()
    assert frame.at["finance_tax", "display"] == T("17.7\u00a0亿元", "17.7亿元")
    zh = overview.key_table(data, "zh").data
    assert "| 章节 | 指标 | 数值 | 原文 |" in zh and "Economy" not in zh


def test_the_chart_speaks_each_language(data):
    en = overview.composition_chart(data, "en").to_dict()
    zh = overview.composition_chart(data, "zh").to_dict()
    assert en["title"]["text"] == "What kind of figures each chapter holds"
    assert "Economy has the most figures (31)" in en["description"]
    assert "经济一章的数字个数最多（31）" in zh["description"]
    assert [t["title"] for t in zh["vconcat"][0]["encoding"]["tooltip"]] == [
        "章节",
        "数字类型",
        "数字个数",
    ]
