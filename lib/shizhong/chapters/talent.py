"""The talent chapter: people recruited and selected, and the counts of organisations and
projects beside the economy chapter's innovation figures.

The rows are selected by their columns in ``indicators.csv``: the people counted (kind
``count`` in 人 or 名) are grouped by ``topic`` (``people``: recruited under the district's
own plan; ``programmes``: selected for the city's programmes), and the counts of
organisations and projects (家, 个) by ``chapter``.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
from IPython.display import Markdown

from shizhong import chart, show, write
from shizhong.bilingual import T, column, resolve
from shizhong.dataset import Dataset
from shizhong.glue import Glue

#: Units of people and of organisations or projects (like is compared with like).
PEOPLE_UNITS = ("人", "名")
ORGANISATION_UNITS = ("家", "个")
#: What the topic of a count of people says: recruited by the district, or selected by the city.
PROGRAMME = {
    "people": T("Recruited 引进", "引进"),
    "programmes": T("Selected 申报入选", "申报入选市级计划"),
}
#: Where a count of organisations or projects is reported.
SOURCE = {
    "talent": T("Talent chapter 招才引智", "人才：招才引智"),
    "economy": T("Economy chapter: innovation 科技创新", "经济：科技创新"),
}
_TOOLTIP = ["label", "value", "source", "subject_en", "subject_zh", "display", "quote"]


def entity_name(data: Dataset, id_: str) -> T:
    """A named entity's English and Chinese names."""
    row = data.entities.set_index("id").loc[id_]
    return T(row["name_en"], row["name_zh"])


def innovation_ids(data: Dataset) -> list[str]:
    """The economy chapter's innovation figures, in the data's order."""
    ind = data.indicators
    return [
        str(i) for i in ind.index[(ind["chapter"] == "economy") & (ind["topic"] == "innovation")]
    ]


def people(data: Dataset) -> pd.DataFrame:
    """The talent chapter's counts of people (人, 名), in the data's order."""
    ind = data.indicators
    chosen = (ind["chapter"] == "talent") & (ind["kind"] == "count")
    return ind[chosen & ind["unit"].isin(PEOPLE_UNITS)]


def organisations(data: Dataset) -> pd.DataFrame:
    """Counts of organisations and projects (家, 个) of the talent chapter and of the economy
    chapter's innovation topic, largest first (ties in the data's order)."""
    ind = data.indicators
    where = (ind["chapter"] == "talent") | (ind["topic"] == "innovation")
    chosen = ind[where & (ind["kind"] == "count") & ind["unit"].isin(ORGANISATION_UNITS)]
    return chosen.sort_values("value", ascending=False, kind="stable")


def glue_preamble(g: Glue, data: Dataset) -> None:
    """The economy chapter's innovation figures, and the largest count of people."""
    g.figures(innovation_ids(data))
    counts = people(data)
    names = pd.Index(column(counts.assign(subject_en=counts["subject_en"].str.lower()), "subject"))
    values = pd.Series(counts["value"].to_numpy(), index=names)
    display = pd.Series([write.figure(r) for _, r in counts.iterrows()], index=names)
    g.claim("talent_largest", write.leaders(values, display, of=counts))


def glue_people(g: Glue, data: Dataset) -> None:
    """The district's talent plan and the totals recruited and selected."""
    g.text("jingwei_name_en", entity_name(data, "jingwei_talent_plan"))
    counts = people(data)
    for key, topic in (("jingwei_total", "people"), ("city_total", "programmes")):
        g.text(key, write.number(counts.loc[counts["topic"] == topic, "value"].sum()))


def glue_programmes(g: Glue, data: Dataset) -> None:
    """The round and name of the 5150 programme and the quote of its selections."""
    label = data.figure("programmes_5150_label")
    g.text("programme_round", T.same(str(int(label["year"]))))
    g.text("programme_5150_zh", T.same(label["subject_zh"]))
    g.text("quote_5150", T.same(data.figure("programmes_5150_selected")["quote"]))


def people_frame(data: Dataset) -> pd.DataFrame:
    """One bar per count of people: label, value, programme and display (pairs), tooltips."""
    counts, short = people(data), data.label_pairs("short")
    label_5150 = data.figure("programmes_5150_label")["text"]
    programme_5150 = T("“{}” programme 引才倍增计划", "“{}”引才倍增计划").format(T.same(label_5150))
    labels = {i: short[i] for i in counts.index if i in short}
    labels["programmes_5150_selected"] = programme_5150
    return pd.DataFrame(
        {
            "label": [labels[i] for i in counts.index],
            "value": counts["value"].astype(float).to_numpy(),
            "programme": counts["topic"].map(PROGRAMME).to_numpy(),
            "subject_en": counts["subject_en"].to_numpy(),
            "subject_zh": counts["subject_zh"].to_numpy(),
            "display": [write.figure(r) for _, r in counts.iterrows()],
            "quote": counts["quote"].to_numpy(),
        }
    )


def people_chart(data: Dataset, lang: str) -> alt.VConcatChart:
    """Bars of the people recruited or selected in 2019."""
    frame, counts = people_frame(data), people(data)
    n = counts["topic"].value_counts()
    listed = T("; ", "；").join(
        T("{}: {}", "{}{}").format(lab, d)
        for lab, d in zip(frame["label"], frame["display"], strict=True)
    )
    description = T(
        "Horizontal bars of people counts reported for 2019: {}. The first {} are recruited "
        "titles, the last {} are selections for city programmes.",
        "条形图：2019年所报人才数量，{}。前{}行为引进的人才，后{}行为申报入选市级计划的人数。",
    ).format(listed, write.words(int(n["people"])), write.words(int(n["programmes"])))
    texts = {
        "title": T("People recruited or selected in 2019", "2019年引进或入选的人才"),
        "subtitle": T(
            "Counts of people, by title or programme; overlaps between rows are possible",
            "按称号或计划统计的人数；各行之间可能有重叠",
        ),
        "value_title": T("People (人/名)", "人数"),
        "description": description,
    }
    return chart.bar(
        resolve(frame, lang),
        category="label",
        value="value",
        color="programme",
        label="display",
        sort="data",
        lang=lang,
        **resolve(texts, lang),
    )


def links_frame(data: Dataset) -> pd.DataFrame:
    """One lollipop per count of organisations or projects: label, source, display (pairs)."""
    rows, short = organisations(data), data.label_pairs("short")
    return pd.DataFrame(
        {
            "label": [short[i] for i in rows.index],
            "value": rows["value"].astype(float).to_numpy(),
            "source": rows["chapter"].map(SOURCE).to_numpy(),
            "subject_en": rows["subject_en"].to_numpy(),
            "subject_zh": rows["subject_zh"].to_numpy(),
            "display": [write.figure(r) for _, r in rows.iterrows()],
            "quote": rows["quote"].to_numpy(),
            "unit": rows["unit"].to_numpy(),
        },
        index=rows.index,
    )


def link_claims(data: Dataset) -> dict[str, T]:
    """The largest count of firms and institutions (家), and their order; projects (个) are not
    ranked with them."""
    frame = links_frame(data)
    orgs = frame[frame["unit"] == "家"]
    of = data.indicators.loc[orgs.index]
    values = pd.Series(orgs["value"].to_numpy(), index=pd.Index(orgs["label"]))
    display = pd.Series(orgs["display"].to_numpy(), index=values.index)
    return {
        "links_largest": write.leaders(values, display, of=of, zh_value=False),
        "links_order": write.ordered(values, display, of=of),
    }


def glue_platforms(g: Glue, data: Dataset) -> None:
    """The institute named among the platforms, the contest's rank, and the claims on the
    counts of organisations."""
    g.text("nobel_name_en", entity_name(data, "nobel_life_sciences_institute"))
    g.text("quote_contest_rank", T.same(data.figure("contest_city_rank")["quote"]))
    for key, value in link_claims(data).items():
        g.claim(key, value)


def links_chart(data: Dataset, lang: str) -> alt.VConcatChart:
    """Lollipops of the talent and innovation counts of organisations and projects."""
    frame = links_frame(data)
    projects = frame[frame["unit"] != "家"]
    listed = T("; ", "；").join(
        T("{} ({})", "{}（{}）").format(lab, d)
        for lab, d in zip(projects["label"], projects["display"], strict=True)
    )
    description = T(
        "Lollipop chart of counts reported for 2019. Firms and institutions: {}. Projects: {}.",
        "棒棒糖图：2019年所报数量。企业和机构：{}。项目：{}。",
    ).format(link_claims(data)["links_order"], listed)
    texts = {
        "title": T("Talent and innovation counts reported for 2019", "2019年所报人才与创新数量"),
        "subtitle": T(
            "New organisations and projects; the categories may overlap and are not additive",
            "新增机构和项目；各类之间可能重叠，不能相加",
        ),
        "value_title": T("Count", "数量"),
        "description": description,
    }
    return chart.lollipop(
        resolve(frame[_TOOLTIP], lang).reset_index(drop=True),
        category="label",
        value="value",
        color="source",
        label="display",
        sort="value",
        lang=lang,
        **resolve(texts, lang),
    )


def events_table(data: Dataset, lang: str) -> Markdown:
    """The promotion events the talent chapter names."""
    entities = data.entities
    events = entities[(entities["chapter"] == "talent") & (entities["type"] == "event")]
    columns = {
        "name_zh": T("Event 中文", "活动"),
        "name_en": T("Event", "英文名称"),
        "quote": T("Quote 原文", "原文"),
    }
    return show.table(events, columns=resolve(columns, lang))
