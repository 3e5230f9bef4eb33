"""The outlook chapter: the plan for 2020 and the 2019 figures that bear on it.

Two readings are the book's, not the article's: ``focus_links.csv`` links each focus area to
the 2019 figures that bear on it (each link with its rationale), and :data:`INDUSTRY_TOPICS`
matches each target industry to the economy chapter's topics.
"""

from __future__ import annotations

from typing import Final

import altair as alt
import pandas as pd
from IPython.display import Markdown

from shizhong import chart, show, write
from shizhong.bilingual import T, column, resolve
from shizhong.dataset import Dataset
from shizhong.glue import Glue

#: Which topics of the economy chapter (``indicators.csv``, ``topic``) report on each target
#: industry (``industries.csv``, ``id``): the book's reading, for the article links none.
#: Creative design (创意设计) is read as the design topic (创新设计, the design park);
#: finance as the finance sector and new finance; no topic reports on intelligent
#: manufacturing.
INDUSTRY_TOPICS: Final[dict[str, tuple[str, ...]]] = {
    "digital_economy": ("digital_economy",),
    "sci_tech_innovation": ("innovation",),
    "intelligent_manufacturing": (),
    "creative_design": ("design",),
    "finance": ("finance", "new_finance"),
}
#: The Chinese names of those topics, as the economy chapter names them.
#: The kinds of figure a target can be checked against: amounts, growth rates and shares.
QUANTITIES: Final = ("level", "growth", "share")
NO_FIGURE: Final = T("No figure", "无数字")
#: A figure's subject and value in the tooltips, as :func:`shizhong.chart.tooltips` titles them.
_SUBJECT = {"en": ["subject_en", "subject_zh", "display"], "zh": ["subject_zh", "display_zh"]}


def _number(n: int) -> T:
    return write.number(int(n))


def plan_ids(data: Dataset) -> list[str]:
    """The rows of the plan for 2020 (chapter ``outlook``), in the data's order."""
    ind = data.indicators
    return [str(i) for i in ind.index[ind["chapter"] == "outlook"]]


def glue_plan(g: Glue, data: Dataset) -> None:
    """The plan's quotes, how many of its rows are quantities, and whether its counts agree
    with the lists the article gives."""
    ids = plan_ids(data)
    g.figures(["framework_district_system", "openness_trade"])
    for id_ in [*ids, "framework_district_system"]:
        g.text(f"quote_{id_}", T.same(data.figure(id_)["quote"]))
    quantities = data.indicators.loc[ids, "kind"].isin(QUANTITIES)
    g.text("n_outlook_rows", _number(len(ids)))
    g.claim(
        "outlook_quantities_clause",
        write.every(
            quantities,
            T("rows", "行数据"),
            T(
                "is an amount, a growth rate or a share/are amounts, growth rates or shares",
                "是金额、增长率或占比",
            ),
        ),
    )
    relations = data.relations()
    plan = relations[relations["target"].isin(ids)]
    g.claim(
        "plan_counts_agree",
        write.every(plan["holds"], T("counts", "项计数"), T("agrees/agree", "与文中清单相符")),
    )


def plan_table(data: Dataset, lang: str) -> Markdown:
    """The plan's rows: subject, value as written, kind and quote."""
    rows = data.indicators.loc[plan_ids(data)]
    frame = rows.assign(
        display=[write.figure(r)(lang) for _, r in rows.iterrows()],
        kind_label=rows["kind"].map(data.label_map("kind", lang)),
    )
    columns = {
        "en": {
            "subject_en": "Row",
            "display": "As written",
            "kind_label": "Kind",
            "quote": "Quote 原文",
        },
        "zh": {
            "subject_zh": "数据行",
            "display": "原文写法",
            "kind_label": "类型",
            "quote": "原文",
        },
    }
    return show.table(frame, columns=columns[lang])


def _listing(frame: pd.DataFrame, what: T, lang: str, **more: T) -> Markdown:
    """A list of the plan's named items: order, Chinese name, English name (and ``more``)."""
    columns = {
        "position": T("Order", "序号"),
        "name_zh": what,
        "name_en": T("In English", "英文"),
        **more,
    }
    return show.table(frame, columns=resolve(columns, lang))


def strategies_table(data: Dataset, lang: str) -> Markdown:
    """The national strategies said to meet in the city."""
    return _listing(data.strategies, T("Strategy 战略", "战略"), lang)


def industries_table(data: Dataset, lang: str) -> Markdown:
    """The industries the district wants to grow."""
    return _listing(data.industries, T("Industry 产业", "产业"), lang)


def focus_table(data: Dataset, lang: str) -> Markdown:
    """The focus areas with their stated aims."""
    aim = {f"aim_{lang}": T("Stated aim", "所述目标")}
    return _listing(data.focus_areas, T("Focus area 重点", "重点"), lang, **aim)


# -- Which 2019 figures bear on which focus area -------------------------------------------


def focus(data: Dataset) -> pd.DataFrame:
    """The focus areas with their axis labels: ``label`` (English short name and the
    Chinese slogan) and ``label_zh`` (the slogan)."""
    short = data.label_map("short")
    slogan = data.focus_areas["name_zh"].str.removeprefix("聚焦")
    return data.focus_areas.assign(
        label=data.focus_areas["id"].map(short) + " " + slogan, label_zh=slogan
    )


def links(data: Dataset) -> pd.DataFrame:
    """Each link of ``focus_links.csv`` with its figure's row, its focus area's labels, the
    figure as written in each language and the kind of figure (``evidence``)."""
    ind, areas = data.indicators, focus(data)
    kind = data.label_map("kind")
    return (
        data.focus_links.merge(ind.drop(columns="note"), left_on="indicator_id", right_on="id")
        .merge(
            areas[["id", "label", "label_zh", "position"]].rename(columns={"id": "focus_id"}),
            on="focus_id",
        )
        .assign(
            display=lambda d: [write.figure(data.figure(i)).en for i in d["indicator_id"]],
            display_zh=lambda d: [write.figure(data.figure(i)).zh for i in d["indicator_id"]],
            evidence=lambda d: d["kind"].map(kind),
        )
    )


def figure_order(data: Dataset, linked: pd.DataFrame) -> list[str]:
    """The linked figures (Chinese subjects) in the order of the first focus area they back,
    then in the data's order."""
    rows = {k: i for i, k in enumerate(data.indicators.index)}
    return (
        linked.assign(row=lambda d: d["indicator_id"].map(rows))
        .sort_values(["position", "row"])
        .drop_duplicates("indicator_id")["subject_zh"]
        .tolist()
    )


def figures_per_focus(data: Dataset, linked: pd.DataFrame) -> pd.Series:
    """Figures linked to each focus area, leaving out names (kind ``label``), in the
    article's order of the focus areas."""
    return (
        linked[linked["kind"] != "label"]
        .groupby("focus_id")
        .size()
        .reindex(data.focus_areas["id"], fill_value=0)
    )


def _by_short_name(data: Dataset, counts: pd.Series) -> pd.Series:
    """``counts`` by focus area, named by their short labels (English in lower case)."""
    short = data.label_pairs("short")
    names = [T(short[i].en.lower(), short[i].zh) for i in counts.index]
    return pd.Series(counts.to_numpy(), index=pd.Index(names))


def focus_claims(data: Dataset) -> dict[str, T]:
    """Which focus areas have the most and the fewest figures, and their order."""
    counts = _by_short_name(data, figures_per_focus(data, links(data)))
    noun = T("2019 figures", "2019年数字")
    return {
        "most_focus": write.top(counts, noun, of="figures"),
        "fewest_focus": write.top(counts, noun, largest=False, of="figures"),
        "focus_order": write.ordered(counts, of="figures"),
    }


def glue_links(g: Glue, data: Dataset) -> None:
    """How many links and figures each focus area has, and the claims on them."""
    linked = links(data)
    totals = linked.groupby("focus_id").size()
    figures = figures_per_focus(data, linked)
    n_gov = int(figures["governance_efficiency"])
    g.text("n_links", _number(len(linked)))
    g.text(
        "governance_clause",
        T("no 2019 figure bears on governance", "没有任何2019年数字涉及治理")
        if n_gov == 0
        else T("{} figures bear on it", "涉及治理的数字有{}个").format(_number(n_gov)),
    )
    g.text("n_linked_figures", _number(linked["indicator_id"].nunique()))
    for fid in data.focus_areas["id"]:
        g.text(f"n_links_{fid}", _number(totals.get(fid, 0)))
        g.text(f"n_figures_{fid}", _number(figures[fid]))
    for key, value in focus_claims(data).items():
        g.claim(key, value)


def matrix_chart(data: Dataset, lang: str) -> alt.VConcatChart:
    """Dots: which 2019 figure bears on which 2020 focus area."""
    linked = links(data)
    other = "zh" if lang == "en" else "en"
    frame = linked.drop(columns=f"rationale_{other}").assign(label=linked[_in("label", lang)])
    texts = {
        "title": T(
            "The 2019 figures behind each 2020 focus area", "2020年各重点领域背后的2019年数字"
        ),
        "subtitle": T(
            "A dot marks a 2019 figure that bears on a focus area; rows use the article's "
            "Chinese terms",
            "圆点表示该2019年数字与该重点领域相关；行名采用文章原有说法",
        ),
        "description": T(
            "Matrix of the district's 2020 focus areas (columns) against the 2019 figures of the "
            "article that bear on them (rows). Figures per focus area, leaving out names: {}.",
            "矩阵图：全区2020年重点领域（列）与文章中相关的2019年数字（行）。"
            "不计名称类数据，各领域的数字个数{}。",
        ).format(focus_claims(data)["focus_order"]),
    }
    tooltip = [
        ("label", T("Focus area", "重点领域")),
        *_SUBJECT[lang],
        (f"rationale_{lang}", T("Why linked", "关联理由")),
        "quote",
    ]
    return chart.matrix(
        frame,
        x="label",
        y="subject_zh",
        x_order=focus(data)[_in("label", lang)].tolist(),
        y_order=figure_order(data, linked),
        tooltip=resolve(tooltip, lang),
        row_step=18,
        lang=lang,
        **resolve(texts, lang),
    )


def _in(stem: str, lang: str) -> str:
    """The column of ``stem`` in ``lang``: ``label`` in English, ``label_zh`` in Chinese."""
    return stem if lang == "en" else f"{stem}_zh"


def _kind_order(data: Dataset, present: pd.Series, lang: str) -> list[str]:
    """The kinds' labels in ``lang``, in file order, that ``present`` holds."""
    kinds = list(dict.fromkeys(data.label_map("kind", lang).values()))
    return [k for k in kinds if k in set(present)]


def _evidence(data: Dataset) -> dict[str, T]:
    """A kind's English label → its label in both languages (names and dates share one)."""
    pairs = data.label_pairs("kind").values()
    return {p.en: p for p in pairs} | {NO_FIGURE.en: NO_FIGURE}


def per_focus(data: Dataset) -> pd.DataFrame:
    """Links per focus area and kind of figure (``n``), the areas with most links first."""
    linked = links(data)
    totals = linked.groupby("focus_id").size()
    return (
        linked.groupby(["focus_id", "label", "evidence"], as_index=False)
        .size()
        .rename(columns={"size": "n"})
        .assign(total=lambda d: d["focus_id"].map(totals))
        .sort_values(["total", "focus_id"], ascending=[False, True], kind="stable")
    )


def coverage_chart(data: Dataset, lang: str) -> alt.VConcatChart:
    """Stacked bars: how many 2019 figures are linked to each focus area, by kind."""
    counts, evidence = per_focus(data), _evidence(data)
    frame = counts.assign(
        label=counts["focus_id"].map(focus(data).set_index("id")[_in("label", lang)]),
        evidence=counts["evidence"].map(lambda e: evidence[e](lang)),
    )
    texts = {
        "title": T(
            "How many 2019 figures are linked to each focus area",
            "与各重点领域相关的2019年数字个数",
        ),
        "subtitle": T(
            "Links in focus_links.csv, by the kind of figure linked",
            "数据集中的“重点领域—数字”关联，按数字类型",
        ),
        "description": T(
            "Stacked bars of the number of 2019 figures linked to each 2020 focus area, split by "
            "kind of figure. Leaving out names: {}.",
            "堆积条形图：与2020年各重点领域关联的2019年数字个数，按数字类型分段。不计名称类数据，{}。",
        ).format(focus_claims(data)["focus_order"]),
        "value_title": T("Figures linked", "关联数字个数"),
        "tooltip": [
            ("label", T("Focus area", "重点领域")),
            ("evidence", T("Kind of figure", "数字类型")),
            ("n", T("Figures linked", "关联数字个数")),
        ],
    }
    return chart.stacked(
        frame,
        category="label",
        part="evidence",
        value="n",
        order=_kind_order(data, frame["evidence"], lang),
        integer_axis=True,
        lang=lang,
        **resolve(texts, lang),
    )


# -- The target industries and their 2019 figures ------------------------------------------


def industry_topics(data: Dataset) -> pd.DataFrame:
    """The target industries with the economy chapter's topics that report on each."""
    topics = data.industries["id"].map(INDUSTRY_TOPICS)
    names = data.label_pairs("topic")  # the economy chapter's topics, named in labels.csv
    listed = [
        T(", ", "、").join([names[t[0]], *(names[x].map(str.lower) for x in t[1:])])
        if t
        else T.same("—")
        for t in topics
    ]
    return data.industries.assign(topics=[t.en for t in listed], topics_zh=[t.zh for t in listed])


def industry_topics_table(data: Dataset, lang: str) -> Markdown:
    """The table of :data:`INDUSTRY_TOPICS`: industry and its economy-chapter topics."""
    columns = {
        "en": {"name_en": "Industry", "name_zh": "产业", "topics": "Economy-chapter topics"},
        "zh": {"name_zh": "产业", "name_en": "英文", "topics_zh": "经济一章中的主题"},
    }
    return show.table(industry_topics(data), columns=columns[lang])


def industry_figures(data: Dataset) -> pd.DataFrame:
    """The economy chapter's figures on each target industry (by :data:`INDUSTRY_TOPICS`),
    in the data's order; an industry without any has one row saying so."""
    ind, kind = data.indicators, data.label_map("kind")
    econ = ind[ind["chapter"] == "economy"]
    rows = []
    for industry in data.industries.itertuples():
        matched = econ[econ["topic"].isin(INDUSTRY_TOPICS[industry.id])]
        named = {
            "industry": f"{industry.name_en} {industry.name_zh}",
            "industry_id": industry.id,
        }
        for _, row in matched.iterrows():
            rows.append(
                {
                    **named,
                    "subject_en": row["subject_en"],
                    "subject_zh": row["subject_zh"],
                    "industry_zh": industry.name_zh,
                    "display": write.figure(row).en,
                    "display_zh": write.figure(row).zh,
                    "kind": row["kind"],
                    "evidence": kind[row["kind"]],
                    "quote": row["quote"],
                }
            )
        if matched.empty:
            rows.append(
                {
                    **named,
                    "subject_en": "No figure in the article",
                    "subject_zh": "文章没有数字",
                    "industry_zh": industry.name_zh,
                    "display": "—",
                    "display_zh": "—",
                    "kind": "",
                    "evidence": NO_FIGURE.en,
                    "quote": "",
                }
            )
    return pd.DataFrame(rows)


def industry_counts(data: Dataset) -> pd.DataFrame:
    """Figures per target industry and kind of figure (``n``), in the industries' order."""
    return (
        industry_figures(data)
        .assign(n=lambda d: (d["evidence"] != NO_FIGURE.en).astype(int))
        .groupby(["industry", "evidence"], as_index=False, sort=False)["n"]
        .sum()
    )


def industry_claims(data: Dataset) -> dict[str, T]:
    """Which target industry has the most and the fewest 2019 figures."""
    per_industry = industry_counts(data).groupby("industry", sort=False)["n"].sum()
    names = [T(name.en.lower(), name.zh) for name in column(data.industries, "name")]
    counts = pd.Series(per_industry.to_numpy(), index=pd.Index(names))
    noun = T("2019 figures", "2019年数字")
    return {
        "most_industry": write.top(counts, noun, of="figures"),
        "fewest_industry": write.top(counts, noun, largest=False, of="figures"),
    }


def glue_industries(g: Glue, data: Dataset) -> None:
    """How many target industries have 2019 figures, and how many; the digital economy's."""
    figures = industry_figures(data)
    per_industry = industry_counts(data).groupby("industry", sort=False)["n"].sum()
    g.text("n_industries_with_figures", _number((per_industry > 0).sum()))
    g.text("n_industry_figures", _number(per_industry.sum()))
    digital = figures[figures["industry_id"] == "digital_economy"]
    g.text("n_digital_firsts", _number((digital["kind"] == "rank").sum()))
    g.text("n_digital_figures", _number(len(digital)))
    g.figures(
        [
            "innovation_hightech_output_share",
            "ict_tax",
            "finance_tax",
            "design_park_revenue",
            "new_finance_park_fund_scale",
        ]
    )
    for key, value in industry_claims(data).items():
        g.claim(key, value)


def industries_chart(data: Dataset, lang: str) -> alt.VConcatChart:
    """Stacked bars: the economy chapter's figures on each target industry, by kind."""
    counts, evidence = industry_counts(data), _evidence(data)
    figures = industry_figures(data)
    industry = dict(zip(figures["industry"], figures[_in("industry", lang)], strict=True))
    frame = counts.assign(
        industry=counts["industry"].map(industry),
        evidence=counts["evidence"].map(lambda e: evidence[e](lang)),
    )
    said = industry_claims(data)
    most, fewest = said["most_industry"], said["fewest_industry"]
    texts = {
        "title": T(
            "2019 figures on the industries targeted for 2020", "2020年目标产业的2019年数字"
        ),
        "subtitle": [
            T(
                "Figures of the economy chapter whose topic matches each industry, by kind;",
                "经济一章中主题与各产业对应的数字，按类型；",
            ),
            fewest,
        ],
        "description": T(
            "Stacked bars of the number of 2019 economy figures that report on each of the "
            "district's target industries, by kind of figure. {}; {}.",
            "堆积条形图：涉及全区各目标产业的2019年经济数字个数，按数字类型分段。{}；{}。",
        ).format(T(most.en.capitalize(), most.zh), fewest),
        "value_title": T("2019 figures", "2019年数字个数"),
        "tooltip": [
            ("industry", T("Industry", "产业")),
            ("evidence", T("Kind of figure", "数字类型")),
            ("n", T("Figures", "数字个数")),
        ],
    }
    return chart.stacked(
        frame,
        category="industry",
        part="evidence",
        value="n",
        order=_kind_order(data, frame["evidence"], lang),
        integer_axis=True,
        lang=lang,
        **resolve(texts, lang),
    )


def industry_table(data: Dataset, lang: str) -> Markdown:
    """Each target industry's 2019 figures, the industry named once."""
    figures = industry_figures(data)
    name = _in("industry", lang)
    frame = figures.assign(**{name: figures[name].mask(figures[name].duplicated(), "")})
    columns = {
        "en": {
            "industry": "Industry",
            "subject_en": "2019 figure",
            "display": "Value",
            "quote": "Quote 原文",
        },
        "zh": {
            "industry_zh": "产业",
            "subject_zh": "2019年数字",
            "display_zh": "数值",
            "quote": "原文",
        },
    }
    return show.table(frame, columns=columns[lang])


# -- What a reader can check after 2020 ----------------------------------------------------


def yardsticks(data: Dataset) -> pd.DataFrame:
    """The linked figures that are quantities (amounts, growth rates, shares), each with the
    focus areas it bears on."""
    linked = links(data)
    return (
        linked[linked["kind"].isin(QUANTITIES)]
        .groupby(
            ["indicator_id", "subject_en", "subject_zh", "display", "display_zh", "quote"],
            as_index=False,
            sort=False,
        )
        .agg(areas=("label", "; ".join), areas_zh=("label_zh", "；".join))
    )


def glue_yardsticks(g: Glue, data: Dataset) -> None:
    """How many linked figures a later year's review could be checked against."""
    g.text("n_yardsticks", _number(len(yardsticks(data))))


def yardsticks_table(data: Dataset, lang: str) -> Markdown:
    """The linked quantities, their 2019 value and the focus areas they bear on."""
    columns = {
        "en": {
            "subject_en": "2019 figure",
            "display": "2019 value",
            "areas": "Focus area(s)",
            "quote": "Quote 原文",
        },
        "zh": {
            "subject_zh": "2019年数字",
            "display_zh": "2019年数值",
            "areas_zh": "重点领域",
            "quote": "原文",
        },
    }
    return show.table(yardsticks(data), columns=columns[lang])
