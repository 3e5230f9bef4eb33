"""The overview chapter: the article's size, its units, and what kind of figures each
chapter holds (one frame whose chapter and kind names are pairs)."""

from __future__ import annotations

import math
import string

import altair as alt
import pandas as pd
from IPython.display import Markdown

from shizhong import chart, show, units, write
from shizhong.bilingual import LANGS, T, column, resolve
from shizhong.dataset import Dataset
from shizhong.glue import Glue

#: One headline figure from each part of the review, in the table's order.
KEY_FIGURES = (
    "finance_tax",
    "services_revenue",
    "ict_tax_growth",
    "openness_trade",
    "land_supplied",
    "investment_projects_10m_count",
    "investment_projects_10m_capital",
    "key_projects_investment",
    "people_academicians",
    "platforms_innovation",
    "plan_focus_areas_count",
)
_SUPERSCRIPT = str.maketrans(string.digits, "⁰¹²³⁴⁵⁶⁷⁸⁹")


def glue_article(g: Glue, data: Dataset) -> None:
    """The dataset's and the article's size, and the two units a reader meets first."""
    ind, article = data.indicators, data.article
    n_chapters = ind["chapter"].nunique()
    dense = len("".join(article.split()))
    yi = units.to_base(1, "亿元", data.units)
    mu = units.convert(1, "亩", "m2", data.units)
    power = str(round(math.log10(yi))).translate(_SUPERSCRIPT)
    g.text("n_figures", write.number(len(ind)))
    g.text("n_chapters_with_figures", T(write.words(n_chapters).en, write.numeral(n_chapters)))
    g.text("article_chars", write.number(len(article)))
    g.text("article_chars_dense", write.number(dense))
    one, ten = write.number(1).zh, write.number(10).zh
    g.text("unit_yi", T(write.number(yi).en + " yuan", f"{one}亿元＝{ten}{power}元"))
    g.text(
        "unit_mu", T(write.number(mu, 1).en + " m²", f"{one}亩约合{write.number(mu, 1).zh}平方米")
    )


def composition(data: Dataset) -> pd.DataFrame:
    """Figures per chapter and kind (columns ``chapter``, ``part``: pairs; ``figures``);
    kinds that share a label (names and dates) are one part."""
    chapter, kind = data.label_pairs("chapter"), data.label_pairs("kind")
    ind = data.indicators
    named = pd.DataFrame(
        {"chapter": ind["chapter"].map(chapter), "part": ind["kind"].map(kind), "figures": 1}
    )
    return named.groupby(["chapter", "part"], as_index=False, sort=False)["figures"].sum()


def in_lang(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The composition in ``lang``, ordered by chapter and kind as that language sorts them."""
    return resolve(frame, lang).sort_values(["chapter", "part"], ignore_index=True)


def _by_kind(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    named = in_lang(frame, lang)
    return named.pivot_table(index="chapter", columns="part", values="figures", fill_value=0)


def _top(totals: dict[str, pd.Series], noun: T) -> T:
    """Which chapter has the most; in Chinese a chapter is named '…一章'."""
    zh = totals["zh"].rename(lambda c: f"{c}一章")
    return T(write.top(totals["en"], noun, of="figures").en, write.top(zh, noun, of="figures").zh)


def claims(data: Dataset) -> dict[str, T]:
    """Which chapter has the most figures, amounts and growth rates."""
    frame, kind = composition(data), data.label_pairs("kind")
    named = {lang: in_lang(frame, lang) for lang in LANGS}
    by_kind = {lang: _by_kind(frame, lang) for lang in LANGS}
    totals = {lang: named[lang].groupby("chapter")["figures"].sum() for lang in LANGS}
    amounts = {lang: by_kind[lang][kind["level"](lang)] for lang in LANGS}
    growth = {lang: by_kind[lang][kind["growth"](lang)] for lang in LANGS}
    return {
        "most_figures": _top(totals, T("figures", "数字个数")),
        "most_amounts": _top(amounts, T("amounts", "金额类数字")),
        "most_growth": _top(growth, T("growth rates", "增长率")),
    }


def glue_composition(g: Glue, data: Dataset) -> None:
    """The claims of the composition chart, and the kinds of the outlook's figures."""
    for key, value in claims(data).items():
        g.claim(key, value)
    frame, outlook = composition(data), data.label_pairs("chapter")["outlook"]
    en, zh = (_by_kind(frame, lang).loc[outlook(lang)] for lang in LANGS)
    g.text(
        "outlook_kinds",
        T(
            write.series(
                [f"{part.lower()} ({write.words(int(n)).en})" for part, n in en[en > 0].items()]
            ).en,
            write.series(
                [f"{part}{write.number(int(n)).zh}个" for part, n in zh[zh > 0].items()]
            ).zh,
        ),
    )


def key_figures(data: Dataset) -> pd.DataFrame:
    """The headline figures: chapter, figure, value (pairs) and the quote on one line."""
    rows = data.indicators.loc[list(KEY_FIGURES)]
    chapter = data.label_pairs("chapter")
    return pd.DataFrame(
        {
            "chapter": rows["chapter"].map(chapter),
            "subject": column(rows, "subject"),
            "display": [write.figure(r) for _, r in rows.iterrows()],
            # A quote that spans a printed line break reads as one line (千万元以上).
            "quote": rows["quote"].str.replace(r"\s+", "", regex=True),
        },
        index=rows.index,
    )


def key_table(data: Dataset, lang: str) -> Markdown:
    """The table of headline figures in ``lang``."""
    columns = {
        "chapter": T("Chapter", "章节"),
        "subject": T("Figure", "指标"),
        "display": T("Value", "数值"),
        "quote": T("Quote 原文", "原文"),
    }
    return show.table(resolve(key_figures(data), lang), resolve(columns, lang))


#: The tooltip: each field titled in the edition's language.
_TOOLTIP = [
    ("chapter", T("Chapter", "章节")),
    ("part", T("Kind of figure", "数字类型")),
    ("figures", T("Number of figures", "数字个数")),
]


def composition_chart(data: Dataset, lang: str) -> alt.VConcatChart:
    """Stacked bars: the figures of each chapter by kind."""
    said = claims(data)
    parts = list(dict.fromkeys(data.label_pairs("kind").values()))
    description = T(
        "Stacked bar chart of the number of figures per chapter, split by kind: {}. {}; {}; {}.",
        "堆积条形图：各章数字个数，按类型（{}）分段。{}；{}；{}。",
    ).format(
        write.series([T(k.en.lower(), k.zh) for k in parts]),
        T(said["most_figures"].en.capitalize(), said["most_figures"].zh),
        said["most_amounts"],
        said["most_growth"],
    )
    texts = resolve(
        {
            "title": T("What kind of figures each chapter holds", "各章数字的类型构成"),
            "subtitle": T(
                "One figure per row of the dataset; context covers the framing and the photo "
                "captions.",
                "数据集中的一行即一个数字；“背景”包括工作体系表述和图片说明。",
            ),
            "value_title": T("Figures in the dataset", "数据集中的数字个数"),
            "description": description,
        },
        lang,
    )
    return chart.stacked(
        in_lang(composition(data), lang),
        category="chapter",
        part="part",
        value="figures",
        order=resolve(parts, lang),
        tooltip=resolve(_TOOLTIP, lang),
        lang=lang,
        **texts,
    )
