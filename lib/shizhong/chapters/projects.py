"""The projects chapter: renewal, land, roads, municipal key projects and the investment brackets.

The article gives the investment it attracted in two nested brackets: projects of 千万元
or more (the whole class) and, "其中", those of 亿元 or more. The middle bracket (千万元 up
to 亿元) and the 2018 levels are derived here (:class:`Brackets`), with the range their
written roundings leave open (:func:`middle_range`). Every glue function takes the cell's
:class:`~shizhong.glue.Glue` and the dataset; every chart or table builder takes the
dataset and the edition's ``lang``, for :func:`shizhong.show.both`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import altair as alt
import pandas as pd
from IPython.display import Markdown

from shizhong import chart, derive, rounding, show, units, write
from shizhong.bilingual import T, resolve
from shizhong.dataset import Dataset
from shizhong.glue import Glue

CHAPTER = "projects"
SMALL = "investment_threshold_10m"
LARGE = "investment_threshold_100m"
#: The rows of the whole class (千万元以上) and of its big bracket (亿元以上).
ALL_ROWS = ("investment_projects_10m_count", "investment_projects_10m_capital")
BIG_ROWS = ("investment_projects_100m_count", "investment_projects_100m_capital")
GROWTH = derive.GROWTH_SUFFIX
#: The four written figures the derived middle bracket rests on, in the order of
#: :func:`middle_bracket`'s arguments.
MIDDLE_INPUTS = (ALL_ROWS[1], BIG_ROWS[1], ALL_ROWS[1] + GROWTH, BIG_ROWS[1] + GROWTH)
LAND = ("land_transferred", "land_allocated")
#: The road stages the prose counts, with the keys their counts are glued under.
ROAD_KEYS = {
    "started": "roads_started",
    "connected": "roads_connected",
    "bottleneck_cleared": "roads_bottleneck",
    "upgraded": "roads_upgraded",
}
SLOGAN = "big_firm_slogan"  # numeral_exclusions.csv: the parallelism closing the section
DERIVED = T("derived: ", "推算：")


def name_pair(row: Mapping[str, Any]) -> T:
    """A row's name in both languages (its ``name_en`` and ``name_zh``)."""
    return T(str(row["name_en"]), str(row["name_zh"]))


def written(data: Dataset, id_: str) -> str:
    """A figure as the article writes it, number and unit: '千万元'."""
    row = data.figure(id_)
    return str(row["text"]) + str(row["unit"])


# -- The investment brackets ---------------------------------------------------------------


def middle_bracket(
    total: float, big: float, total_growth: float, big_growth: float
) -> tuple[float, float]:
    """The middle bracket's growth (%) and the big bracket's share (%) of the increase of the
    whole class, from the levels and growth rates of the whole class and its big bracket."""
    total_before = derive.previous_level(total, total_growth)
    big_before = derive.previous_level(big, big_growth)
    now = derive.residual(total, big)
    before = derive.residual(total_before, big_before)
    return derive.growth(now, before), derive.share(big - big_before, total - total_before)


@dataclass(frozen=True)
class Brackets:
    """The investment brackets of 2019 and their implied 2018 levels (亿元, counts, %)."""

    n_all: float
    c_all: float
    g_all: float
    n_big: float
    c_big: float
    g_big: float
    #: Labels of the whole class, the big bracket (亿元以上) and the middle one.
    all_: T
    big: T
    mid: T

    @property
    def n_mid(self) -> float:
        return derive.residual(self.n_all, self.n_big)

    @property
    def c_mid(self) -> float:
        return derive.residual(self.c_all, self.c_big)

    @property
    def p_all(self) -> float:
        return derive.previous_level(self.c_all, self.g_all)

    @property
    def p_big(self) -> float:
        return derive.previous_level(self.c_big, self.g_big)

    @property
    def p_mid(self) -> float:
        return derive.residual(self.p_all, self.p_big)

    @property
    def averages(self) -> dict[str, float]:
        """Average capital per project (亿元) of the whole class, the big and the middle bracket."""
        return {
            "all": derive.average(self.c_all, self.n_all),
            "big": derive.average(self.c_big, self.n_big),
            "mid": derive.average(self.c_mid, self.n_mid),
        }


def bracket_labels(data: Dataset) -> tuple[T, T, T]:
    """Labels of the whole class, the big and the middle bracket, from the thresholds: the
    English gives yuan and the article's words, the Chinese the article's words only."""
    small_m = write.number(data.base(SMALL) / 1e6, 0).en
    large_m = write.number(data.base(LARGE) / 1e6, 0).en
    small, large = data.figure(SMALL)["text"] + "元", data.figure(LARGE)["text"] + "元"
    return (
        T(f"Whole class ≥ CNY {small_m}m {small}以上", f"{small}以上（合计）"),
        T(f"≥ CNY {large_m}m {large}以上", f"{large}以上"),
        T(f"CNY {small_m}–{large_m}m {small}至{large}", f"{small}至{large}"),
    )


def brackets(data: Dataset) -> Brackets:
    """The brackets as the article reports them."""
    v = data.value
    all_, big, mid = bracket_labels(data)
    return Brackets(
        n_all=v(ALL_ROWS[0]),
        c_all=v(ALL_ROWS[1]),
        g_all=v(ALL_ROWS[1] + GROWTH),
        n_big=v(BIG_ROWS[0]),
        c_big=v(BIG_ROWS[1]),
        g_big=v(BIG_ROWS[1] + GROWTH),
        all_=all_,
        big=big,
        mid=mid,
    )


def middle_range(data: Dataset) -> tuple[tuple[float, float], tuple[float, float]]:
    """(lowest, highest) middle-bracket growth and big-bracket share of the increase, over
    the values the four written inputs may stand for (:func:`shizhong.rounding.extremes`)."""
    values = [data.value(i) for i in MIDDLE_INPUTS]
    texts = [str(data.figure(i)["text"]) for i in MIDDLE_INPUTS]
    growth = rounding.extremes(lambda *x: middle_bracket(*x)[0], values, texts)
    share = rounding.extremes(lambda *x: middle_bracket(*x)[1], values, texts)
    return growth, share


def glue_thresholds(glue: Glue, data: Dataset) -> Glue:
    """The thresholds, the middle bracket's name and the whole class's capital in yuan."""
    small, large = data.base(SMALL), data.base(LARGE)
    glue.text("threshold_small_cny", write.yuan(small))
    glue.text("threshold_large_cny", write.yuan(large))
    # The middle bracket in the article's own words: 千万元 up to 亿元 (the rows' text).
    name = T("projects of {} up to {}", "{}至{}项目").format(
        T(write.yuan(small).en, written(data, SMALL)),
        T(write.yuan(large).en, written(data, LARGE)),
    )
    glue.text("mid_bracket_name", name)
    glue.text("capital_all_cny", write.yuan(data.base(ALL_ROWS[1])))
    return glue


def glue_brackets(g: Glue, data: Dataset) -> Glue:
    """The derived middle bracket, the 2018 levels, the rounding range and the averages."""
    b = brackets(data)
    halves = [rounding.half_unit(str(data.figure(i)["text"])) for i in MIDDLE_INPUTS]
    g.text(
        "half_units",
        T(
            "±{} percentage points on the growth rates and ±{} on the levels",
            "增长率±{}个百分点，总量±{}",
        ).format(write.number(halves[2]), write.yi(halves[0], 1)),
    )
    (growth_low, growth_high), (share_low, share_high) = middle_range(data)
    increase_share = derive.share(b.c_big - b.p_big, b.c_all - b.p_all)
    g.text("mid_count", write.number(b.n_mid))
    g.text("mid_capital", write.yi(b.c_mid, 0))
    g.text("prev_all", write.yi(b.p_all))
    g.text("prev_big", write.yi(b.p_big))
    g.text("prev_mid", write.yi(b.p_mid))
    g.text("change_mid", write.change_yi(b.c_mid - b.p_mid))
    g.text("change_all_abs", write.yi(b.c_all - b.p_all))
    g.text("change_big_abs", write.yi(b.c_big - b.p_big))
    g.text("mid_growth", write.change_percent(derive.growth(b.c_mid, b.p_mid)))
    g.text("big_share_of_increase", write.percent(increase_share))
    g.claim(
        "big_share_clause",
        T("more than the whole increase", "超过增量总额")
        if increase_share > 100
        else T("part of the increase", "未超过增量总额"),
    )
    g.claim(
        "big_vs_prev_all",
        T(
            "{big}, is {than} the implied 2018 capital of the whole class ({before})",
            "{big}，{than}推算的2018年{small}以上项目整体的认缴资金（{before}）",
        ).format(
            big=write.yi(b.c_big, 0),
            than=T("above", "高于") if b.c_big > b.p_all else T("not above", "不高于"),
            small=written(data, SMALL),
            before=write.yi(b.p_all),
        ),
    )
    g.text("mid_growth_low", write.signed_percent(growth_low))
    g.text("mid_growth_high", write.signed_percent(growth_high))
    g.text("big_share_low", write.percent(share_low, 0))
    g.text("big_share_high", write.percent(share_high, 0))
    g.text("big_share_capital", write.percent(derive.share(b.c_big, b.c_all)))
    g.text("big_share_capital_prev", write.percent(derive.share(b.p_big, b.p_all)))
    g.text("big_share_count", write.percent(derive.share(b.n_big, b.n_all)))
    avg = b.averages
    for key in ("all", "big", "mid"):
        g.text(f"avg_{key}", write.yuan(avg[key] * 1e8))
    g.text("avg_ratio", write.number(avg["big"] / avg["mid"], 0))
    for key in ("all", "big", "mid"):
        g.text(f"avg_{key}_yi", write.yi(avg[key], 2))
    return g


def _quotes(data: Dataset) -> tuple[str, str]:
    """The quotes of the whole class's and the big bracket's capital."""
    return str(data.figure(ALL_ROWS[1])["quote"]), str(data.figure(BIG_ROWS[1])["quote"])


def brackets_chart(data: Dataset, lang: str) -> alt.VConcatChart:
    """Stacked bars of the big and the middle bracket's capital, 2018 (implied) and 2019."""
    b = brackets(data)
    q_all, q_big = _quotes(data)
    y18, y19 = (
        T("2018 (implied 推算)", "2018年（推算）"),
        T("2019 (reported 公布)", "2019年（公布）"),
    )
    rows = [
        (y18, b.big, b.p_big, write.yi(b.p_big), T.same(data.row(BIG_ROWS[1] + GROWTH)["quote"])),
        (
            y18,
            b.mid,
            b.p_mid,
            write.yi(b.p_mid),
            DERIVED
            + T(
                "implied 2018 total − implied 2018 ≥ 亿元",
                "推算的2018年合计 − 推算的2018年亿元以上",
            ),
        ),
        (y19, b.big, b.c_big, write.yi(b.c_big, 0), T.same(q_big)),
        (y19, b.mid, b.c_mid, write.yi(b.c_mid, 0), DERIVED + f"{q_all} − {q_big}"),
    ]
    frame = pd.DataFrame(
        {
            "year": year,
            "part": part,
            "capital": capital,
            "subject_en": T.same("Subscribed capital, ") + part,
            "subject_zh": T("认缴资金", "认缴资金：" + part.zh),
            "display": display,
            "quote": quote,
        }
        for year, part, capital, display, quote in rows
    )
    spec = {
        "order": [b.big, b.mid],
        "title": T(
            "Subscribed capital of attracted projects, by size bracket",
            "招引项目认缴资金，按规模分档",
        ),
        "subtitle": T(
            "2018 implied from the stated growth rates; middle bracket derived by subtraction",
            "2018年由公布的增速推算；中间档由相减得出",
        ),
        "value_title": T("Subscribed capital (亿元)", "认缴资金（亿元）"),
        "description": T(
            "Stacked bars for 2018 and 2019. {big}: {p_big} implied for 2018, {c_big} in 2019. "
            "{mid}: {p_mid} implied for 2018, {c_mid} in 2019.",
            "2018年和2019年的堆积条形图。{big}：2018年推算{p_big}，2019年{c_big}。"
            "{mid}：2018年推算{p_mid}，2019年{c_mid}。",
        ).format(
            big=b.big,
            mid=b.mid,
            p_big=write.yi(b.p_big),
            c_big=write.yi(b.c_big, 0),
            p_mid=write.yi(b.p_mid),
            c_mid=write.yi(b.c_mid, 0),
        ),
    }
    return chart.stacked(
        resolve(frame, lang),
        category="year",
        part="part",
        value="capital",
        width=520,
        lang=lang,
        **resolve(spec, lang),
    )


def concentration_chart(data: Dataset, lang: str) -> alt.VConcatChart:
    """Shares of the projects and of the capital held by the big and the middle bracket."""
    b = brackets(data)
    q_all, q_big = _quotes(data)
    projects, capital = T("Projects 项目数", "项目数"), T("Subscribed capital 认缴资金", "认缴资金")
    n_share = write.percent(derive.share(b.n_big, b.n_all))
    c_share = write.percent(derive.share(b.c_big, b.c_all))

    def reported(id_: str) -> dict[str, str]:
        row = data.row(id_)
        return {k: row[k] for k in ("subject_en", "subject_zh", "quote")}

    with_share = T.same("{} ({})")
    rows = [
        {
            "measure": projects,
            "part": b.big,
            "value": b.n_big,
            "display": with_share.format(write.number(b.n_big), n_share),
            **reported(BIG_ROWS[0]),
        },
        {
            "measure": projects,
            "part": b.mid,
            "value": b.n_mid,
            "display": with_share.format(
                write.number(b.n_mid), write.percent(derive.share(b.n_mid, b.n_all))
            ),
            "subject_en": f"Projects, {b.mid.en} (derived)",
            "subject_zh": f"{b.mid.zh}项目",
            "quote": DERIVED
            + T.same("{} − {}").format(write.number(b.n_all), write.number(b.n_big)),
        },
        {
            "measure": capital,
            "part": b.big,
            "value": b.c_big,
            "display": with_share.format(write.yi(b.c_big, 0), c_share),
            **reported(BIG_ROWS[1]),
        },
        {
            "measure": capital,
            "part": b.mid,
            "value": b.c_mid,
            "display": with_share.format(
                write.yi(b.c_mid, 0), write.percent(derive.share(b.c_mid, b.c_all))
            ),
            "subject_en": f"Subscribed capital of projects, {b.mid.en} (derived)",
            "subject_zh": f"{b.mid.zh}项目认缴资金",
            "quote": DERIVED + f"{q_all} − {q_big}",
        },
    ]
    spec = {
        "order": [b.big, b.mid],
        "title": T(
            "Share of the projects and of the subscribed capital by size bracket, 2019",
            "2019年各档项目数和认缴资金的占比",
        ),
        "subtitle": T(
            "Projects {big}: {n} of the projects, {c} of the capital; "
            "middle bracket derived by subtraction",
            "{big}项目占项目数的{n}，占认缴资金的{c}；中间档由相减得出",
        ).format(big=b.big, n=n_share, c=c_share),
        "value_title": T("Share of the total", "占合计的比例"),
        "description": T(
            "Bars stacked to the whole. Projects {big} are {n} of the projects but {c} of the "
            "subscribed capital in 2019.",
            "百分比堆积条形图。2019年{big}项目占项目数的{n}，却占认缴资金的{c}。",
        ).format(big=b.big, n=n_share, c=c_share),
    }
    return chart.stacked(
        resolve(pd.DataFrame(rows), lang),
        category="measure",
        part="part",
        value="value",
        normalize=True,
        lang=lang,
        **resolve(spec, lang),
    )


def average_chart(data: Dataset, lang: str) -> alt.VConcatChart:
    """Bars of the average capital per project of each bracket."""
    b = brackets(data)
    q_all, q_big = _quotes(data)
    avg = b.averages
    labels = {"all": b.all_, "big": b.big, "mid": b.mid}
    # The Chinese edition gives the averages in the unit of its prose (万元, 亿元).
    both, short = T("{0} ({1})", "{1}"), T("{0}", "{1}")
    divided = T.same("{} ÷ {}")
    quotes = {
        "all": divided.format(q_all, write.number(b.n_all)),
        "big": divided.format(q_big, write.number(b.n_big)),
        "mid": divided.format(write.yi(b.c_mid, 0), write.number(b.n_mid)),
    }
    frame = pd.DataFrame(
        {
            "bracket": labels[key],
            "average": a,
            "display": both.format(write.yi(a, 2), write.yuan(a * 1e8)),
            "short": short.format(write.yi(a, 2), write.yuan(a * 1e8)),
            "subject_en": T.same("Average subscribed capital per project, ") + labels[key],
            "subject_zh": T("项目平均认缴资金", "项目平均认缴资金：" + labels[key].zh),
            "quote": DERIVED + quotes[key],
        }
        for key, a in avg.items()
    )
    yi_name = str(data.units.set_index("unit").at["亿元", "name_en"])
    spec = {
        "sort": [b.big, b.all_, b.mid],
        "title": T("Average subscribed capital per project, 2019", "2019年项目平均认缴资金"),
        "subtitle": T(
            "Derived: bracket capital ÷ bracket count; 亿元: " + yi_name,
            "推算：该档认缴资金 ÷ 该档项目数",
        ),
        "value_title": T("亿元 per project", "亿元/个"),
        "description": T(
            "Horizontal bars of average subscribed capital per project in 2019: ",
            "条形图：2019年各档项目的平均认缴资金，",
        )
        + T("; ", "；").join(
            T("{}: {}", "{}：{}").format(label, display)
            for label, display in zip(frame["bracket"], frame["display"], strict=True)
        )
        + T(".", "。"),
    }
    return chart.bar(
        resolve(frame, lang),
        category="bracket",
        value="average",
        label="short",
        lang=lang,
        **resolve(spec, lang),
    )


#: Headers of the brackets table.
BRACKET_COLUMNS = {
    "bracket": T("Bracket", "分档"),
    "source": T("Source", "来源"),
    "count": T("Projects 2019", "2019年项目数"),
    "c19": T("Capital 2019", "2019年认缴资金"),
    "growth": T("Growth", "比上年增减"),
    "c18": T("Implied 2018", "推算2018年"),
    "change": T("Change", "变化"),
    "avg": T("Average per project", "项目平均"),
}


def bracket_table(data: Dataset, lang: str) -> Markdown:
    """The reported and derived figures of the three brackets."""
    b = brackets(data)
    avg = b.averages
    reported = T("reported", "公布")
    rows = [
        {
            "bracket": label,
            "source": reported,
            "count": write.number(n),
            "c19": write.yi(c, 0),
            "growth": write.percent(growth, 0),
            "c18": write.yi(p),
            "change": write.signed_yi(c - p),
            "avg": write.yuan(avg[key] * 1e8),
        }
        for key, label, n, c, growth, p in (
            ("all", b.all_, b.n_all, b.c_all, b.g_all, b.p_all),
            ("big", b.big, b.n_big, b.c_big, b.g_big, b.p_big),
        )
    ]
    rows.append(
        {
            "bracket": T(b.mid.en + " (derived)", b.mid.zh),
            "source": T("derived", "推算"),
            "count": write.number(b.n_mid),
            "c19": write.yi(b.c_mid, 0),
            "growth": write.change_percent(derive.growth(b.c_mid, b.p_mid)),
            "c18": write.yi(b.p_mid),
            "change": write.change_yi(b.c_mid - b.p_mid),
            "avg": write.yuan(avg["mid"] * 1e8),
        }
    )
    return show.table(
        resolve(pd.DataFrame(rows), lang),
        columns=resolve(BRACKET_COLUMNS, lang),
        align="llrrrrrr",
    )


# -- Renewal, land, roads, key projects, headquarters ----------------------------------------


def glue_renewal(g: Glue, data: Dataset) -> Glue:
    """The renewal area in metric units, its averages, and the innovation belt's name."""
    area = data.base("renewal_area")
    agreements, projects = data.value("renewal_agreements"), data.value("renewal_projects")
    g.text("renewal_area_metric", write.area(area))
    per_agreement = write.number(derive.average(area, agreements), 0)
    g.text("renewal_m2_per_agreement", per_agreement + T("\u00a0m²", "平方米"))
    g.text("renewal_agreements_per_project", write.number(derive.average(agreements, projects), 0))
    belt = data.entities.set_index("id").loc["second_ring_south_belt"]
    g.text("belt_name_en", name_pair(belt))
    return g


def land_hectares(data: Dataset) -> dict[str, float]:
    """Each land figure (亩) in hectares."""
    ids = ("land_supplied", *LAND)
    return {i: units.convert(data.value(i), "亩", "ha", data.units) for i in ids}


def mu_per_ha(data: Dataset) -> Fraction:
    """Hectares in one 亩, exactly (1/15)."""
    return units.factor("亩", data.units)[1] / units.factor("ha", data.units)[1]


def glue_land(g: Glue, data: Dataset) -> Glue:
    """The land figures in 亩 and hectares, the conversion, the split and its check."""
    v, ha = data.value, land_hectares(data)
    for i, hectares in ha.items():
        g.text(f"{i}_mu_ha", write.mu(v(i), hectares))
    m2 = write.number(units.convert(1, "亩", "m2", data.units), 1)
    g.text(
        "mu_in_ha", T("{}\u00a0ha ({}\u00a0m²)", "{}公顷（{}平方米）").format(mu_per_ha(data), m2)
    )
    for i in LAND:
        g.text(f"{i}_share", write.percent(derive.share(v(i), v("land_supplied"))))
    check = data.relations().set_index("id").loc["land_supply_split"]
    exact = check["difference"] == 0
    g.claim(
        "land_split_projects",
        T("make exactly", "恰好等于") if exact else T("do not make", "不等于"),
    )
    return g


def land_chart(data: Dataset, lang: str) -> alt.VConcatChart:
    """One bar of the land supplied, split by mode of supply."""
    v, ha = data.value, land_hectares(data)
    parts = [T("Paid transfer 出让", "出让"), T("Administrative allocation 划拨", "划拨")]
    land = pd.DataFrame(
        {"bar": T("Land supplied 供地", "供地"), "part": part, **data.row(i), "mu": v(i)}
        for part, i in zip(parts, LAND, strict=True)
    )
    land["display"] = [
        T("{}, {}", "{}，{}").format(
            write.mu(v(i), ha[i]), write.percent(derive.share(v(i), v("land_supplied")))
        )
        for i in LAND
    ]
    per_ha = write.number(float(1 / mu_per_ha(data)))
    mu = {i: write.mu(v(i), ha[i]) for i in ha}
    spec = {
        "order": parts,
        "title": T("Land supplied in 2019, by mode of supply", "2019年供地，按供地方式"),
        "subtitle": T("Total {}", "合计{}").format(mu["land_supplied"]),
        "value_title": T("亩 (mu; {per_ha} 亩 per ha)", "亩（{one}公顷＝{per_ha}亩）").format(
            one=write.number(1), per_ha=per_ha
        ),
        "description": T(
            "A single horizontal bar of the land the district supplied in 2019, split into "
            "{} by paid transfer and {} by administrative allocation.",
            "单根条形图：全区2019年供地，其中出让{}，划拨{}。",
        ).format(mu["land_transferred"], mu["land_allocated"]),
    }
    return chart.stacked(
        resolve(land, lang),
        category="bar",
        part="part",
        value="mu",
        lang=lang,
        **resolve(spec, lang),
    )


def roads(data: Dataset) -> pd.DataFrame:
    """The named road works with their names and stages as pairs (``road``: the axis label,
    the Chinese name beside the short English ``label_en``; ``stage_label``; ``name``)."""
    stages = data.label_pairs("stage")
    frame = data.road_works.copy()
    frame["road"] = [
        T(f"{zh} {en}", zh) for zh, en in zip(frame["name_zh"], frame["label_en"], strict=True)
    ]
    frame["stage_label"] = frame["stage"].map(stages)
    frame["name"] = [name_pair(r) for _, r in frame.iterrows()]
    frame["subject_en"] = frame["name_en"]
    frame["subject_zh"] = frame["name_zh"]
    return frame


def cumulative_notes(data: Dataset) -> tuple[int, int]:
    """How many figures the data notes as cumulative, and how many the article writes with 累计."""
    note = data.indicators["note"].fillna("")
    return int(note.str.startswith("Cumulative").sum()), int(note.str.contains("累计").sum())


def glue_roads(g: Glue, data: Dataset) -> Glue:
    """The road works named and counted by stage, and the cumulative figures of the chapter."""
    frame = roads(data)
    by_stage = frame["stage"].value_counts()
    g.text("roads_named", write.number(len(frame)))
    cumulative, leiji = cumulative_notes(data)
    capital = T(write.words(cumulative).en.capitalize(), write.number(cumulative).zh)
    g.text("n_cumulative", capital)
    # Every row whose figure the article writes with 累计, open-ended or counted over 2019.
    g.text("n_leiji", T(write.words(leiji).en.capitalize(), write.number(leiji).zh))
    g.text("road_verbs", write.number(frame["stage"].nunique()))
    for stage, key in ROAD_KEYS.items():
        g.text(key, write.number(int(by_stage.get(stage, 0))))
    return g


def roads_chart(data: Dataset, lang: str) -> alt.VConcatChart:
    """A grid of the named road works against their stages."""
    frame = roads(data)
    stages = data.label_pairs("stage")
    n = len(frame)
    spec = {
        "x_order": list(stages.values()),
        "title": T(
            "Named road works in 2019 and their stage", "文章点名的2019年道路工程及其所处阶段"
        ),
        "subtitle": T(
            "One dot per road; the article gives no lengths or costs",
            "圆点表示道路所处阶段；文章没有给出里程和造价。",
        ),
        "description": T(
            "A grid of the {} road works named in the article against {} stages. ",
            "网格图：文章点名的{}项道路工程与{}种阶段。",
        ).format(T(str(n), write.number(n).zh), write.words(len(stages)))
        + T("; ", "；").join(
            T("{}: {}", "{}：{}").format(name, stage)
            for name, stage in zip(frame["name"], frame["stage_label"], strict=True)
        )
        + T(".", "。"),
    }
    shown = resolve(frame[["road", "stage_label", "subject_en", "subject_zh", "quote"]], lang)
    shown.insert(4, f"display_{lang}", shown["stage_label"])
    return chart.matrix(
        shown,
        x="stage_label",
        y="road",
        y_order=list(shown["road"]),
        lang=lang,
        **resolve(spec, lang),
    )


def glue_key_projects(g: Glue, data: Dataset) -> Glue:
    """The key projects' investment in yuan and per project; the new office space."""
    # Four significant digits: the written precision of 123.5 亿元 (yuan keeps three by default).
    g.text("key_projects_investment_cny", write.yuan(data.base("key_projects_investment"), 4))
    avg = derive.average(data.value("key_projects_investment"), data.value("key_projects_count"))
    # The Chinese edition rounds the average to 0.1 亿元, as its prose does.
    average = T("{0} ({1})", "{2}").format(
        write.yi(avg, 2), write.yuan(avg * 1e8), write.yi(avg, 1)
    )
    g.text("key_projects_average", average)
    office, renewal = data.base("office_space_new"), data.base("renewal_area")
    g.text("office_space_metric", write.area(office))
    g.text("office_to_renewal", write.percent(derive.share(office, renewal), 0))
    return g


def slogan(data: Dataset) -> str:
    """The parallelism that closes the article's investment section (引进一个大企业…), as the
    article writes it: a row of ``numeral_exclusions.csv``, by id."""
    return str(data.numeral_exclusions.set_index("id").at[SLOGAN, "context"])


def glue_headquarters(g: Glue, data: Dataset) -> Glue:
    """The funds in yuan, the slogan and the headquarters quote."""
    g.text("funds_icbc_cny", write.yuan(data.base("funds_icbc_fund_size")))
    g.text("funds_guarantee_cny", write.yuan(data.base("funds_guarantee_group_capital")))
    g.text("slogan", T.same(slogan(data)))
    g.text("quote_hq", T.same(str(data.figure("headquarters_global500")["quote"])))
    return g


def entities(data: Dataset) -> pd.DataFrame:
    """The chapter's named entities, their type as a pair (``type_label``)."""
    types = data.label_pairs("entity_type")
    frame = data.entities[data.entities["chapter"] == CHAPTER]
    return frame.assign(type_label=frame["type"].map(types))


#: Headers of the entities table.
ENTITY_COLUMNS = {
    "name_zh": T("Name 中文", "名称"),
    "name_en": T("Name", "英文名称"),
    "type_label": T("Type", "类型"),
}


def entities_table(data: Dataset, lang: str) -> Markdown:
    """The named entities of the chapter: Chinese name, English name, type."""
    return show.table(resolve(entities(data), lang), columns=resolve(ENTITY_COLUMNS, lang))
