"""The economy chapter: leading sectors, growth and the 2018 it implies, innovation, trade.

Each figure of a chart or claim is named once as a pair (:func:`names`); the claims are
computed by :mod:`shizhong.write` from one frame per group of figures (:func:`growth`,
:func:`amounts`, :func:`innovation`), and each chart builder takes the dataset and the
edition's ``lang`` (``show.both(economy.amounts_chart, data)``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pandas as pd

from shizhong import chart, derive, units, write
from shizhong.bilingual import LANGS, T, resolve
from shizhong.numerals import decimals_of

if TYPE_CHECKING:
    import altair as alt

    from shizhong.dataset import Dataset
    from shizhong.glue import Glue

CHAPTER = "economy"
#: The id of the high-tech certifications among the innovation counts.
HIGHTECH = "innovation_hightech_firms"


def _written(rows: pd.DataFrame, name: pd.Series) -> pd.DataFrame:
    """``rows`` of the indicators with their ``name`` and written figure ``shown`` (pairs)."""
    out = rows.copy()
    out["name"] = name
    out["shown"] = [write.figure(row) for _, row in rows.iterrows()]
    return out


def names(data: Dataset, rows: pd.DataFrame) -> pd.Series:
    """The short name of each indicator row, as a pair; the English is followed by the
    article's own subject ('ICT: tax 信息通信业税收增长' / '信息通信业税收')."""
    short = data.label_pairs("short")
    pairs = [
        T(f"{short[i].en} {subject}", short[i].zh) for i, subject in rows["subject_zh"].items()
    ]
    return pd.Series(pairs, index=rows.index, dtype=object)


def growth(data: Dataset) -> pd.DataFrame:
    """The chapter's growth rates, named and written."""
    ind = data.indicators
    rows = ind[(ind["chapter"] == CHAPTER) & (ind["kind"] == "growth")]
    return _written(rows, names(data, rows))


def amounts(data: Dataset) -> pd.DataFrame:
    """The chapter's yearly amounts in 亿元 that have a short label, named and written, with
    what each measures (``measure``: tax, operating revenue, trade)."""
    ind, short = data.indicators, data.label_pairs("short")
    rows = ind[(ind["chapter"] == CHAPTER) & ind.index.isin(list(short)) & (ind["unit"] == "亿元")]
    out = _written(rows, names(data, rows))
    out["measure"] = out.index.map(data.label_pairs("measure"))
    return out


def innovation(data: Dataset) -> pd.DataFrame:
    """The counts of new innovation institutions and high-tech firms, named and written."""
    ind, short = data.indicators, data.label_pairs("short")
    rows = ind[(ind["topic"] == "innovation") & (ind["kind"] == "count")]
    return _written(rows, rows.index.to_series().map(short))


def _by_name(frame: pd.DataFrame, column: str) -> pd.Series:
    return pd.Series(list(frame[column]), index=list(frame["name"]), dtype=object)


def ordered(frame: pd.DataFrame) -> T:
    """The figures of ``frame`` from largest to smallest, with their written values."""
    return write.ordered(_by_name(frame, "value"), _by_name(frame, "shown"), of=frame)


def leader(frame: pd.DataFrame) -> T:
    """The largest figure of ``frame``; in Chinese named only (its sentence gives the value)."""
    return write.leaders(
        _by_name(frame, "value"), _by_name(frame, "shown"), of=frame, zh_value=False
    )


def _short(data: Dataset, ids: list[str]) -> T:
    """The short names of ``ids`` as a series, in lower case in English prose."""
    short = data.label_pairs("short")
    return write.series([T(short[i].en.lower(), short[i].zh) for i in ids])


def without_level(data: Dataset) -> T:
    """The growth rates whose level the article does not state."""
    ind = data.indicators
    ids = [i for i in growth(data).index if i.removesuffix(derive.GROWTH_SUFFIX) not in ind.index]
    return _short(data, ids)


def without_growth(data: Dataset) -> T:
    """The yearly amounts whose growth rate the article does not state."""
    ind = data.indicators
    return _short(
        data, [i for i in amounts(data).index if i + derive.GROWTH_SUFFIX not in ind.index]
    )


def glue_sectors(g: Glue, data: Dataset) -> Glue:
    """The claims of the leading sectors: fastest growth, largest amount, their orders."""
    rates, money = growth(data), amounts(data)
    g.claim("fastest_growth", leader(rates))
    g.claim("largest_amount", leader(money))
    positive = write.every(
        rates["value"] > 0,
        T("growth rates of the section", "项增长率"),
        T("is positive/are positive", "为正"),
        of=rates,
    )
    g.claim("growth_positive", positive)
    g.claim("amounts_order", ordered(money))
    g.claim("growth_order", ordered(rates))
    g.text("growth_without_level", without_level(data))
    g.text("level_without_growth", without_growth(data))
    return g


def baselines(data: Dataset) -> pd.DataFrame:
    """The implied 2018 levels of the chapter's figures that have a level and a rate."""
    ind = data.indicators
    base = derive.baselines(ind)
    return base[base["id"].isin(ind.index[ind["chapter"] == CHAPTER])].reset_index(drop=True)


def implied(value: float, written: str) -> T:
    """An implied amount in 亿元: two decimals in English; in Chinese the decimals of the
    written figure it comes from (274.8 → 251.6)."""
    return T(write.yi(value, 2).en, write.yi(value, decimals_of(written)).zh)


def glue_baselines(g: Glue, data: Dataset) -> Glue:
    """``<id>_2018`` and ``<id>_change`` for each implied 2018 level."""
    ind = data.indicators
    for r in baselines(data).itertuples():
        written = str(ind.at[r.id, "text"])
        g.text(f"{r.id}_2018", implied(r.previous, written))
        g.text(f"{r.id}_change", implied(r.change, written))
    return g


def glue_design(g: Glue, data: Dataset) -> Glue:
    """The design park's operating revenue per registered firm and per square metre."""
    revenue = data.base("design_park_revenue")
    per_firm = derive.average(revenue, data.value("design_park_firms"))
    per_m2 = derive.average(revenue, data.base("design_park_floor_area"))
    g.text("design_revenue_per_firm", write.yuan(per_firm))
    # In English whole yuan; in Chinese 万元 (10^4 yuan), as the article writes money.
    per_area = T("CNY\u00a0{}", "{}万元/平方米").format(
        T(write.number(per_m2, 0).en, write.number(per_m2 / 1e4, 1).zh)
    )
    g.text("design_revenue_per_m2", per_area)
    return g


def hightech_vs_institutions(data: Dataset) -> T:
    """The new high-tech certifications against the new institutions, all kinds together."""
    counts = innovation(data)
    firms = counts.index == HIGHTECH
    return write.compare(
        T("high-tech certifications", "新认定高新技术企业"),
        float(counts.loc[firms, "value"].sum()),
        T("the new institutions together", "新增创新机构合计"),
        float(counts.loc[~firms, "value"].sum()),
        of=(counts[firms], counts[~firms]),
    )


def glue_innovation(g: Glue, data: Dataset) -> Glue:
    """The innovation counts compared and in order."""
    g.claim("hightech_vs_institutions", hightech_vs_institutions(data))
    g.claim("innovation_order", ordered(innovation(data)))
    return g


#: The expo deals, the one figure the article gives in US dollars.
CIIE = "openness_ciie_deals"


def glue_trade(g: Glue, data: Dataset) -> Glue:
    """The 2019 dollar rate and the expo deals in 亿元."""
    year = int(data.figure(CIIE)["year"])
    rate = units.exchange(1, "USD", "CNY", year, data.exchange_rates)
    cny = units.exchange(data.base(CIIE), "USD", "CNY", year, data.exchange_rates)
    yi = cny / 1e8
    g.text(
        "usd_rate_2019",
        T("{rate} yuan", "{one}美元兑{rate}元人民币").format(
            rate=write.number(rate, 4), one=write.number(1)
        ),
    )
    # A lower bound converts at the full rate: "more than 1 亿美元" is "more than 6.8985 亿元",
    # which is not "more than 6.9 亿元"; the rounded figure is only an approximation.
    g.text("ciie_deals_cny", T("more than {}", "{}以上").format(write.yi(yi, 4)))
    g.text("ciie_deals_cny_round", write.yi(yi, 1))
    return g


# --- charts: show.both(economy.amounts_chart, data) ----------------------------------------

#: A chart field written once per edition: ``FIELD.format("label")`` is label_en / label_zh.
FIELD = T("{}_en", "{}_zh")


def _table(frame: pd.DataFrame, **pairs: str) -> pd.DataFrame:
    """A chart's data: each pair column ``old`` given as ``new=old`` written out in both
    languages, ``new_en`` and ``new_zh`` (the data table and tooltips read them)."""
    out = frame.drop(columns=list(pairs.values()))
    for new, old in pairs.items():
        for lang in LANGS:
            out[f"{new}_{lang}"] = [pair(lang) for pair in frame[old]]
    return out


def _draw(
    build: Callable[..., alt.VConcatChart], lang: str, frame: pd.DataFrame, **kwargs: Any
) -> alt.VConcatChart:
    """``build`` on ``frame`` with every pair in the frame and arguments in ``lang``."""
    return build(resolve(frame, lang), **resolve(kwargs, lang), lang=lang)


def amounts_chart(data: Dataset, lang: str) -> alt.VConcatChart:
    """The chapter's yearly amounts in 亿元 as bars, coloured by what each measures."""
    money = amounts(data)
    name = data.units.set_index("unit").at["亿元", "name_en"]
    frame = _table(money, label="name", display="shown", measure="measure")
    return _draw(
        chart.bar,
        lang,
        frame.assign(display=money["shown"]),
        category=FIELD.format("label"),
        value="value",
        color=FIELD.format("measure"),
        label="display",
        value_title=T(f"亿元 ({name})", "亿元"),
        title=T("Reported 2019 amounts, in 亿元", "2019年各项金额（亿元）"),
        subtitle=T(
            "Operating revenue, tax revenue and trade are different measures; "
            "compare within a colour.",
            "营业收入、税收和进出口是不同口径，只宜在同一颜色内比较。",
        ),
        description=T(
            "Horizontal bar chart of the flows in 亿元 that the article reports for 2019: {}.",
            "条形图：文章所报2019年以亿元计的各项流量，{}。",
        ).format(ordered(money)),
    )


def growth_chart(data: Dataset, lang: str) -> alt.VConcatChart:
    """The chapter's growth rates as bars."""
    rates = growth(data)
    year = data.source["reports_on"]["review_year"]
    frame = _table(rates, label="name", display="shown")
    return _draw(
        chart.bar,
        lang,
        frame.assign(display=rates["shown"]),
        category=FIELD.format("label"),
        value="value",
        label="display",
        value_title=T("Growth over {} (%)", "比{}年增长（%）").format(year - 1),
        title=T("Reported growth rates, 2019 over 2018", "2019年比2018年的增长率"),
        subtitle=T("Without a stated level: {}.", "{}未给出总量。").format(without_level(data)),
        description=T(
            "Horizontal bar chart of the {n} growth rates in the economy section: {order}.",
            "条形图：经济部分的各项增长率，{order}。",
        ).format(n=write.words(len(rates)), order=ordered(rates)),
    )


#: The tooltip fields of the baselines chart (the Chinese edition shows no English).
_BASELINE_TIPS = T(
    "subject_en subject_zh display_en growth_label quote",
    "subject_zh display_zh growth_label quote",
)


def baselines_chart(data: Dataset, lang: str) -> alt.VConcatChart:
    """From each implied 2018 level to the reported 2019 level, on a log scale."""
    base = baselines(data)
    named = list(names(data, base.set_index("id")))
    pairs = base.assign(
        name=named,
        # The implied 2018 level as the prose gives it, the 2019 level as the article writes it.
        shown=[
            implied(p, str(data.indicators.at[i, "text"])) + " → " + write.figure(data.figure(i))
            for p, i in zip(base["previous"], base["id"], strict=True)
        ],
        growth=[write.signed_percent(g) for g in base["growth_pct"]],
    )
    frame = _table(pairs, label="name", display="shown", growth="growth")
    return _draw(
        chart.dumbbell,
        lang,
        frame.assign(growth_label=pairs["growth"]),
        category=FIELD.format("label"),
        start="previous",
        end="level",
        start_label=T("2018 (implied)", "2018年（推算）"),
        end_label=T("2019 (reported)", "2019年（报告值）"),
        growth="growth_label",
        scale="log",
        value_title=T("亿元, log scale", "亿元，对数刻度"),
        title=T(
            "From the implied 2018 level to the reported 2019 level",
            "从推算的2018年总量到报告的2019年总量",
        ),
        subtitle=T(
            "2018 level: the 2019 level divided by one plus the growth rate. "
            "Log scale: equal growth, equal length.",
            "2018年总量由2019年总量按增长率倒推得出。对数刻度：增长率相同，线段等长。",
        ),
        tooltip=_BASELINE_TIPS(lang).split(),
        description=T(
            "Dumbbell chart on a log scale for {}: each line runs from the 2018 level implied "
            "by the growth rate to the 2019 level the article reports, labelled with the "
            "growth rate.",
            "对数刻度哑铃图（{}）：各条线从按增长率推算的2018年总量连到文章报告的2019年总量，"
            "并标注增长率。",
        ).format(write.series(named)),
    )


def innovation_chart(data: Dataset, lang: str) -> alt.VConcatChart:
    """The innovation counts as a lollipop chart."""
    counts = innovation(data)
    versus = hightech_vs_institutions(data)
    frame = _table(counts, label="name", display="shown")
    return _draw(
        chart.dot,
        lang,
        frame.assign(display=counts["shown"]),
        category=FIELD.format("label"),
        value="value",
        stem=True,
        label="display",
        value_title=T("New in 2019 (count)", "2019年新增数量"),
        title=T(
            "New innovation institutions and high-tech firms, 2019",
            "2019年新增创新机构和高新技术企业",
        ),
        subtitle=T(versus.en.capitalize() + ".", versus.zh + "。"),
        description=T(
            "Lollipop chart of counts of new innovation institutions in 2019: {}.",
            "棒棒糖图：2019年新增创新机构的数量，{}。",
        ).format(ordered(counts)),
    )
