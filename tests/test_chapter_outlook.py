"""The outlook chapter (shizhong.chapters.outlook): the reading INDUSTRY_TOPICS, the links
of focus areas to figures, and the tables and charts built on them."""

from collections import Counter

import pytest

import shizhong as sz
from shizhong.bilingual import T
from shizhong.chapters import outlook
from tests.conftest import csv_rows


@pytest.fixture
def glued(glue_log, data):
    """A chapter's Glue whose values go to ``glue_log``, not a notebook."""
    return sz.Glue(data)


def test_industry_topics_cover_every_industry_with_topics_of_the_economy_chapter():
    industries = [r["id"] for r in csv_rows("industries")]
    assert list(outlook.INDUSTRY_TOPICS) == industries
    economy = {r["topic"] for r in csv_rows("indicators") if r["chapter"] == "economy"}
    topics = [t for ts in outlook.INDUSTRY_TOPICS.values() for t in ts]
    assert set(topics) <= economy
    assert len(topics) == len(set(topics)), "a topic reports on one industry only"


def test_the_industry_topics_table(data):
    frame = outlook.industry_topics(data).set_index("id")
    assert frame.at["finance", "topics"] == "Finance, new finance"
    assert frame.at["finance", "topics_zh"] == "金融业、新金融"
    assert frame.at["intelligent_manufacturing", "topics"] == "—"


def test_an_industry_without_figures_has_one_row_saying_so(data):
    figures = outlook.industry_figures(data)
    none = figures[figures["industry_id"] == "intelligent_manufacturing"]
    assert list(none["evidence"]) == ["No figure"]
    by_hand = Counter(r["topic"] for r in csv_rows("indicators") if r["chapter"] == "economy")
    finance = figures[figures["industry_id"] == "finance"]
    assert len(finance) == by_hand["finance"] + by_hand["new_finance"]


def test_the_industry_claims_count_by_hand(data):
    economy = Counter(r["topic"] for r in csv_rows("indicators") if r["chapter"] == "economy")
    assert economy["innovation"] == 7
    said = outlook.industry_claims(data)
    assert said["most_industry"] == T(
        "sci-tech innovation has the most 2019 figures (7)", "科技创新的2019年数字最多（7）"
    )
    assert said["fewest_industry"] == T(
        "intelligent manufacturing has no 2019 figures", "智能制造没有2019年数字"
    )


def test_links_and_figures_per_focus_area(glued, data):
    links = csv_rows("focus_links")
    kinds = {r["id"]: r["kind"] for r in csv_rows("indicators")}
    outlook.glue_links(glued, data)
    assert glued["n_links"] == str(len(links))
    assert glued["n_linked_figures"] == str(len({r["indicator_id"] for r in links}))
    gov = [r for r in links if r["focus_id"] == "governance_efficiency"]
    assert glued["n_links_governance_efficiency"] == str(len(gov))
    assert all(kinds[r["indicator_id"]] == "label" for r in gov)
    assert glued["n_figures_governance_efficiency"] == "0"
    assert glued["governance_clause"] == "no 2019 figure bears on governance"
    assert glued.zh("fewest_focus") == "治理提效没有2019年数字"


def test_yardsticks_are_the_linked_quantities(glued, data):
    kinds = {r["id"]: r["kind"] for r in csv_rows("indicators")}
    linked = {r["indicator_id"] for r in csv_rows("focus_links")}
    quantities = {i for i in linked if kinds[i] in ("level", "growth", "share")}
    frame = outlook.yardsticks(data)
    assert set(frame["indicator_id"]) == quantities
    outlook.glue_yardsticks(glued, data)
    assert glued["n_yardsticks"] == str(len(quantities))


def test_the_plan_rows_are_no_quantities(glued, data):
    plan = [r for r in csv_rows("indicators") if r["chapter"] == "outlook"]
    outlook.glue_plan(glued, data)
    assert glued["n_outlook_rows"] == str(len(plan))
    assert not any(r["kind"] in outlook.QUANTITIES for r in plan)
    assert glued["outlook_quantities_clause"].startswith("none of the")
    assert glued.zh("quote_plan_year_label") == next(
        r["quote"] for r in plan if r["id"] == "plan_year_label"
    )


def test_the_focus_labels_drop_the_word_focus(data):
    labels = outlook.focus(data).set_index("id")
    assert labels.at["industry_quality", "label"] == "Industrial quality 产业提质"
    assert labels.at["industry_quality", "label_zh"] == "产业提质"


def test_the_charts_and_tables_speak_each_language(data):
    en = outlook.coverage_chart(data, "en").to_dict()
    zh = outlook.coverage_chart(data, "zh").to_dict()
    assert [t["title"] for t in zh["vconcat"][0]["encoding"]["tooltip"]] == [
        "重点领域",
        "数字类型",
        "关联数字个数",
    ]
    assert en["title"]["text"] == "How many 2019 figures are linked to each focus area"
    matrix = outlook.matrix_chart(data, "zh").to_dict()
    fields = [t["field"] for t in matrix["vconcat"][0]["layer"][0]["encoding"]["tooltip"]]
    assert fields == ["label", "subject_zh", "display_zh", "rationale_zh", "quote"]
    assert "| 序号 | 重点 | 英文 | 所述目标 |" in outlook.focus_table(data, "zh").data
    assert "| Order | Strategy 战略 | In English |" in outlook.strategies_table(data, "en").data
