"""The methods chapter: the source and its digest, the tables' rows, units, kinds and
qualifiers, the provenance coverage, the declared relations, the precision of the implied
baselines and the caveats a reader needs.

The glue functions take the cell's :class:`~shizhong.glue.Glue`; the chart and table builders
take ``lang`` and are called through :func:`shizhong.show.both`.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

import altair as alt
import pandas as pd
from IPython.display import Markdown

from shizhong import chart, derive, rounding, show, units, write
from shizhong.bilingual import T, pairs, resolve
from shizhong.dataset import Dataset, find_data_dir
from shizhong.numerals import decimals_of
from shizhong.semantics import NON_NUMERIC_KINDS, covered_spans

if TYPE_CHECKING:
    from shizhong.glue import Glue

#: The rows shown as a sample of ``indicators.csv``.
SAMPLE = (
    "land_supplied",
    "new_finance_park_fund_scale",
    "promotion_it_expo_edition",
    "digital_chizicheng_first",
    "investment_threshold_10m",
)
#: The investment classes the prose names by their thresholds.
THRESHOLDS = ("investment_threshold_10m", "investment_threshold_100m")
#: The figures the section on relations and the section on limits name.
RELATION_FIGURES = (
    "land_transferred",
    "land_allocated",
    "investment_projects_10m_count",
    "investment_projects_100m_count",
    "investment_projects_10m_capital",
    "investment_projects_100m_capital",
)
CAVEAT_FIGURES = (
    "renewal_agreements",
    "key_projects_investment",
    "new_finance_park_fund_scale",
    "construction_value_added_growth",
    "innovation_hightech_output_share",
    "key_projects_count",
    "renewal_projects",
)
#: The row that names a list (世界500强) rather than counting headquarters.
GLOBAL500 = "headquarters_global500"
#: How each declared relation is tested, as its table writes it.
SYMBOLS = {
    "sum": T.same("="),
    "ge": T.same("≥"),
    "le": T.same("≤"),
    "rows": T("=\u00a0rows", "＝行数"),
}
#: What accounts for a numeral, in the order the chart shows: the value of a figure row, part
#: of a name or date row, each reason of exclusion (labels.csv ``reason``), nothing.
VALUE, NAME_OR_DATE, UNCOVERED = "value", "name_or_date", "uncovered"

ROWS = T("Rows", "行数")


def codes(data: Dataset, group: str) -> dict[str, T]:
    """One group of ``labels.csv`` for a table that documents the data: the code itself in
    English (``level``), its Chinese label in Chinese (金额或存量)."""
    return {key: T(key, zh) for key, zh in data.label_map(group, "zh").items()}


def _count(x: Any) -> T:
    return write.number(int(x))


def _number(x: float) -> T:
    """A number as each edition writes it: 1,579 / 1579."""
    return write.number(x)


def _table(columns: dict[T, Any], lang: str, align: str) -> Markdown:
    """A table whose headers and cells may be pairs, in ``lang``."""
    return show.table(resolve(pd.DataFrame(columns), lang), align=align)


def _tips(lang: str, *specs: tuple[T | str, T] | tuple[T | str, T, str]) -> list[alt.Tooltip]:
    """Tooltips from (field, title[, type]) with field and title in ``lang``."""
    return [
        alt.Tooltip(
            field=resolve(field, lang), type=kind[0] if kind else "nominal", title=title(lang)
        )
        for field, title, *kind in specs
    ]


# -- The source --------------------------------------------------------------------------------


def article_digest(data: Dataset) -> hashlib._Hash:
    """The SHA-256 of the article file as it is now; ValueError unless it is the digest
    ``datapackage.json`` records (``sz.load()`` checked it; the page checks it again)."""
    digest = hashlib.sha256((find_data_dir() / data.source["path"]).read_bytes())
    if digest.hexdigest() != data.source["sha256"]:
        raise ValueError("the article does not match its digest")
    return digest


def glue_source(g: Glue, data: Dataset) -> None:
    """The article's digest and length, and the rows of the tables by chapter."""
    digest = article_digest(data)
    ind = data.indicators
    g.text("hash_name", T.same(f"SHA-{digest.digest_size * 8}"))
    g.text("article_sha256", T.same(digest.hexdigest()))
    g.text("article_chars", _count(len(data.article)))
    g.text("n_rows", _count(len(ind)))
    csv = sum(r["path"].endswith(".csv") for r in data.descriptor["resources"])
    g.text("n_csv_tables", _count(csv))
    for name, count in ind["chapter"].value_counts().items():
        g.text(f"n_rows_{name}", _count(count))


def chapters_table(data: Dataset, lang: str = "en") -> Markdown:
    """The rows of ``indicators.csv`` by chapter, most first."""
    counts = data.indicators["chapter"].value_counts()
    names = codes(data, "chapter")
    return _table(
        {
            T("Chapter", "章节"): [names[c] for c in counts.index],
            ROWS: [_count(n) for n in counts],
        },
        lang,
        "lr",
    )


def sample_table(data: Dataset, lang: str = "en") -> Markdown:
    """A few rows of ``indicators.csv`` as stored; the Chinese edition shows the kinds and
    qualifiers by their Chinese labels."""
    rows = data.indicators.loc[list(SAMPLE)]
    kinds, qualifiers = codes(data, "kind"), codes(data, "qualifier")
    return _table(
        {
            T("text", "原文写法（text）"): list(rows["text"]),
            T("value", "数值（value）"): [_number(float(v)) for v in rows["value"]],
            T("unit", "单位（unit）"): list(rows["unit"]),
            T("kind", "类型（kind）"): [kinds[k] for k in rows["kind"]],
            T("qualifier", "限定（qualifier）"): [qualifiers[q] for q in rows["qualifier"]],
            T("quote", "引文（quote）"): list(rows["quote"]),
        },
        lang,
        "lrllll",
    )


# -- Units --------------------------------------------------------------------------------------


def global500_name(data: Dataset) -> str:
    """The list that ``headquarters_global500`` names (世界500强): the glossary's term that
    holds the row's written numeral and occurs in its quote."""
    row = data.figure(GLOBAL500)
    terms = [t for t in data.glossary["term_zh"] if row["text"] in t and t in row["quote"]]
    if len(terms) != 1:
        raise ValueError(f"{GLOBAL500}: {len(terms)} glossary terms name its list: {terms}")
    return terms[0]


def glue_units(g: Glue, data: Dataset) -> None:
    """The exact factor of 亩, the land supplied in hectares, the units written, the
    list the headquarters row names, and the investment classes' thresholds."""
    mu = units.factor("亩", data.units)[1]
    g.text("mu_factor", T.same(f"{mu.numerator}/{mu.denominator}"))
    g.text("mu_in_ha", T.same(str(mu / units.factor("ha", data.units)[1])))
    g.figures(["land_supplied"])
    hectares = units.convert(data.value("land_supplied"), "亩", "ha", data.units)
    g.text("land_supplied_ha", write.number(hectares, 1) + T("\u00a0ha", "公顷"))
    g.text("n_units", _count(len(units.written(data.units))))
    g.figures([GLOBAL500])
    g.text("name_global500", T.same(global500_name(data)))
    for id_ in THRESHOLDS:
        key = id_.removeprefix("investment_")
        g.text(key, write.yuan(data.base(id_)))
        # The class as the article names it, in both editions: 千万元以上.
        g.text(f"{key}_zh", T.same(write.figure(data.figure(id_)).zh))


def units_table(data: Dataset, lang: str = "en") -> Markdown:
    """Every unit of ``units.csv``: its base unit (as coded) and exact factor."""
    table = units.table(data.units, data.label_pairs("base_unit"))
    return _table(
        {
            T("Unit", "单位"): list(table["unit"]),
            T("English name", "英文名称"): list(table["name_en"]),
            T("Base unit", "基本单位"): list(table["base"]),
            T("Exact factor", "精确换算系数"): list(table["factor"]),
            T("Definition", "定义"): pairs(table["definition"], table["definition_zh"]),
        },
        lang,
        "lllrl",
    )


# -- Kinds and qualifiers -----------------------------------------------------------------------


def kinds(data: Dataset) -> pd.DataFrame:
    """Rows by kind and qualifier (``n``), the kinds with most rows first."""
    ind = data.indicators
    qualifiers, names = data.label_pairs("qualifier"), codes(data, "kind_name")
    out = (
        ind.groupby(["kind", "qualifier"], as_index=False)
        .size()
        .rename(columns={"size": "n"})
        .assign(
            qualifier_label=lambda d: d["qualifier"].map(qualifiers),
            qualifier_zh=lambda d: d["qualifier"].map(data.label_map("qualifier", "zh")),
            total=lambda d: d["kind"].map(ind["kind"].value_counts()),
        )
        .sort_values(["total", "kind"], ascending=[False, True])
    )
    out["kind_zh"] = out["kind"].map(data.label_map("kind_name", "zh"))
    out["kind"] = out["kind"].map(names)
    return out


def kind_order(data: Dataset) -> T:
    """The kinds by number of rows, ties said as ties (English names them by code)."""
    counts = data.indicators["kind"].value_counts()
    return write.ordered(counts.rename(codes(data, "kind_name")), of="figures")


def n_qualified(data: Dataset) -> T:
    """How many rows are bounds rather than exact figures."""
    return _count((data.indicators["qualifier"] != "exact").sum())


def glue_kinds(g: Glue, data: Dataset) -> None:
    """Rows by kind and by qualifier, the bounds, and the kinds in order."""
    ind = data.indicators
    for name, count in ind["kind"].value_counts().items():
        g.text(f"n_kind_{name}", _count(count))
    for name, count in ind["qualifier"].value_counts().items():
        g.text(f"n_qualifier_{name}", _count(count))
    g.text("n_qualified", n_qualified(data))
    g.claim("kind_order", kind_order(data))


def kinds_chart(data: Dataset, lang: str = "en") -> alt.VConcatChart:
    """Stacked bars: rows of each kind, exact figures and bounds."""
    frame = resolve(kinds(data), lang)
    return chart.stacked(
        frame,
        category="kind",
        part="qualifier_label",
        value="n",
        order=resolve(list(data.label_pairs("qualifier").values()), lang),
        category_order=frame.drop_duplicates("kind")["kind"].tolist(),
        title=T("What sort of figure each row is", "各行数据是哪一类数字")(lang),
        subtitle=T(
            "Rows of indicators.csv by kind, split by qualifier", "指标表各行按类型和限定统计"
        )(lang),
        description=T(
            "Stacked bars of the number of rows in the indicator table by kind, split into exact "
            "figures and bounds. By kind: {}; bounds: {}.",
            "堆积条形图：指标表各类型的行数，分为确数和界限。按类型，{}；界限共{}行。",
        ).format(kind_order(data), n_qualified(data))(lang),
        value_title=ROWS(lang),
        tooltip=_tips(
            lang,
            ("kind", T("Kind", "类型")),
            ("qualifier_label", T("Qualifier", "限定")),
            ("n", ROWS, "quantitative"),
        ),
        lang=lang,
    )


def kinds_table(data: Dataset, lang: str = "en") -> Markdown:
    """Each kind, what it means and its rows, in the chart's order."""
    order = list(dict.fromkeys(kinds(data)["kind"]))
    meaning = data.label_pairs("kind_meaning")
    counts = data.indicators["kind"].value_counts()
    return _table(
        {
            T("Kind", "类型"): order,
            T("Meaning", "含义"): [meaning[k.en] for k in order],
            ROWS: [_count(counts[k.en]) for k in order],
        },
        lang,
        "llr",
    )


# -- Provenance coverage ------------------------------------------------------------------------


def numeric_rows(data: Dataset) -> pd.DataFrame:
    """The indicator rows that hold a number (not a name or a date)."""
    ind = data.indicators
    return ind[~ind["kind"].isin(sorted(NON_NUMERIC_KINDS))]


def value_starts(data: Dataset) -> set[int]:
    """Where the written value of each numeric row starts in the article."""
    rows = numeric_rows(data)
    article = data.article
    return {article.find(q) + q.find(t) for q, t in zip(rows["quote"], rows["text"], strict=True)}


def coverage(data: Dataset) -> pd.DataFrame:
    """Each numeral of the article (:meth:`Dataset.coverage`) with what accounts for it
    (``account``): the value of a figure row, part of a name or date row, the reason it is
    excluded, or nothing; and whether it is written in Arabic digits."""
    cov = data.coverage()
    starts = value_starts(data)
    reasons = set(data.label_map("reason"))

    def account(status: str, position: int, reason: str) -> str:
        if status == "quoted":
            return VALUE if position in starts else NAME_OR_DATE
        return reason if status == "excluded" and reason in reasons else UNCOVERED

    cov["account"] = [
        account(s, p, r)
        for s, p, r in zip(cov["status"], cov["position"], cov["reason"], strict=True)
    ]
    cov["arabic"] = cov["numeral"].str[0].str.isdigit()
    return cov


def account_labels(data: Dataset) -> dict[str, T]:
    """What accounts for a numeral, labelled, in the chart's order."""
    accounts = data.label_pairs("account")
    excluded = data.label_pairs("coverage_status")["excluded"]
    return {
        VALUE: accounts[VALUE],
        NAME_OR_DATE: accounts[NAME_OR_DATE],
        **{
            key: T("{}: {}", "{}：{}").format(excluded, reason)
            for key, reason in data.label_pairs("reason").items()
        },
        UNCOVERED: accounts[UNCOVERED],
    }


def accounts(data: Dataset) -> pd.DataFrame:
    """Numerals by what accounts for them (``n``), in the chart's order, with their status."""
    names = account_labels(data)
    order = list(names)
    status = data.label_pairs("coverage_status")
    reasons = set(data.label_map("reason"))
    out = (
        coverage(data)
        .groupby("account", as_index=False)
        .size()
        .rename(columns={"size": "n"})
        .assign(order=lambda d: d["account"].map(order.index))
        .sort_values("order")
    )
    out["display"] = [_count(n) for n in out["n"]]
    out["status"] = [status["excluded" if a in reasons else "quoted"] for a in out["account"]]
    out["display_zh"] = [_count(n).zh for n in out["n"]]
    out["account"] = out["account"].map(names)
    return out


def uncovered_clause(cov: pd.DataFrame) -> T:
    """Whether every numeral is accounted for, computed."""
    return write.every(
        cov["status"] != "uncovered",
        T("numerals", "个数字"),
        T("is accounted for/are accounted for", "已有交代"),
    )


def account_order(data: Dataset) -> T:
    """What accounts for the numerals, most first."""
    by = accounts(data).set_index("account")
    return write.ordered(by["n"], by["display"], of="numerals")


def glue_coverage(g: Glue, data: Dataset) -> None:
    """The numerals of the article and what accounts for each."""
    cov = coverage(data)
    rows, starts = numeric_rows(data), value_starts(data)
    quoted, excluded = cov["status"] == "quoted", cov["status"] == "excluded"
    g.text("n_numerals", _count(len(cov)))
    g.text("n_arabic", _count(cov["arabic"].sum()))
    g.text("n_chinese", _count((~cov["arabic"]).sum()))
    g.text("n_quoted", _count(quoted.sum()))
    g.text("n_excluded", _count(excluded.sum()))
    g.claim("uncovered_clause", uncovered_clause(cov))
    n_value = int((cov["account"] == VALUE).sum())
    g.text("n_value_numerals", _count(n_value))
    g.text("n_name_numerals", _count((cov["account"] == NAME_OR_DATE).sum()))
    g.text("n_numeric_rows", _count(len(rows)))
    g.text("n_distinct_value_starts", _count(len(starts)))
    for reason, count in cov.loc[excluded, "reason"].value_counts().items():
        g.text(f"n_excluded_{reason}", _count(count))
    g.text("n_exclusion_rows", _count(len(data.numeral_exclusions)))
    one_each = n_value == len(rows) == len(starts)
    g.claim(
        "value_numerals_clause",
        T(
            "each numeric row accounts for its own numeral and no numeral serves as the value of "
            "several rows",
            "各数值行都对应其自身的数字，没有数字同时充当多行的数值",
        )
        if one_each
        else T(
            "some numerals serve as the value of several rows, or some rows share a numeral",
            "有的数字充当多行的数值，或有的行共用数字",
        ),
    )
    g.claim("account_order", account_order(data))


def coverage_chart(data: Dataset, lang: str = "en") -> alt.VConcatChart:
    """Bars: the article's numerals by what accounts for them."""
    uncovered = uncovered_clause(coverage(data))
    return chart.bar(
        resolve(accounts(data), lang),
        category="account",
        value="n",
        color="status",
        label="display",
        sort="data",
        title=T("What accounts for each numeral of the article", "文章中的数字各有什么交代")(lang),
        subtitle=T(
            "Numerals found by the tokeniser, by the row or exclusion that covers them",
            "识别程序找到的数字，按覆盖它们的数据行或排除项",
        )(lang),
        description=T(
            "Bar chart of the numerals in the article by what accounts for them: {}. {}.",
            "条形图：文章中的数字按交代方式统计，{}。{}。",
        ).format(account_order(data), T(uncovered.en.capitalize(), uncovered.zh))(lang),
        value_title=T("Numerals", "数字个数")(lang),
        tooltip=_tips(
            lang,
            ("account", T("Accounted for as", "交代方式")),
            ("n", T("Numerals", "数字个数"), "quantitative"),
        ),
        integer_axis=True,
        lang=lang,
    )


def exclusions_table(data: Dataset, lang: str = "en") -> Markdown:
    """Each exclusion with the number of numerals it excludes."""
    cov = data.coverage()
    excluded = cov.loc[cov["status"] == "excluded", "position"]
    excl = data.numeral_exclusions
    reasons = codes(data, "reason")
    counts = [
        sum(
            1
            for position in excluded
            for start, end in covered_spans(data.article, [context])
            if start <= position < end
        )
        for context in excl["context"]
    ]
    return _table(
        {
            T("Context 上下文", "上下文"): list(excl["context"]),
            T("Numeral", "数字"): list(excl["numeral"]),
            T("Reason", "理由"): [reasons[r] for r in excl["reason"]],
            T("Numerals excluded", "排除的数字个数"): [_count(n) for n in counts],
            T("Explanation", "说明"): pairs(excl["explanation_en"], excl["explanation_zh"]),
        },
        lang,
        "lllrl",
    )


# -- Declared relations -------------------------------------------------------------------------


def relations(data: Dataset) -> pd.DataFrame:
    """The relations of ``checks.csv`` evaluated, with their sides written for the table and
    the right side as a percentage of the left (``ratio``)."""
    out = data.relations()
    results = data.label_pairs("result")
    out["left"] = out["lhs"].map(_number)
    out["symbol"] = out["relation"].map(lambda r: SYMBOLS[r].en)
    out["symbol_zh"] = out["relation"].map(lambda r: SYMBOLS[r].zh)
    out["right"] = out["rhs"].map(_number)
    out["diff"] = out["difference"].map(_number)
    out["check"] = out["holds"].map({True: "✓", False: "✗"})
    out["ratio"] = 100 * out["rhs"] / out["lhs"]
    out["ratio_display"] = out["ratio"].map(lambda x: write.percent(x, 1).en)
    out["label"] = out["id"].str.replace("_", " ").str.capitalize()
    out["result"] = out["holds"].map({True: results["holds"], False: results["fails"]})
    out["result_zh"] = out["holds"].map({True: results["holds"].zh, False: results["fails"].zh})
    return out


def _relation_claims(results: pd.DataFrame) -> dict[str, T]:
    exact = results["relation"].isin(["sum", "rows"])
    return {
        "checks_hold": write.every(
            results["holds"], T("relations", "项关系"), T("holds/hold", "成立")
        ),
        "exact_relations": write.every(
            results.loc[exact, "ratio"] == 100,
            T("sums and row counts", "项求和与行数关系"),
            T("reaches/reach", "达到全长"),
        ),
        "nested_relations": write.every(
            results.loc[~exact, "ratio"] <= 100,
            T("nestings", "项嵌套关系"),
            T("stays within/stay within", "未超出全长"),
        ),
    }


def glue_relations(g: Glue, data: Dataset) -> None:
    """The declared relations: how many of each, whether they hold, and the nestings' shares."""
    results = relations(data)
    ind = data.indicators
    claims = _relation_claims(results)
    g.text("n_checks", _count(len(results)))
    g.text("n_checks_hold", _count(results["holds"].sum()))
    g.claim("checks_hold", claims["checks_hold"])
    g.claim(
        "checks_tolerance",
        write.every(
            results["tolerance"] == 0,
            T("relations", "项关系"),
            T("allows no tolerance/allow no tolerance", "不设容差"),
        ),
    )
    by_id = results.set_index("id")
    exact_split = by_id.at["land_supply_split", "difference"] == 0
    g.claim(
        "land_split",
        T("is exactly", "恰好等于") if exact_split else T("is not exactly", "不恰好等于"),
    )
    g.claim("exact_relations", claims["exact_relations"])
    g.claim("nested_relations", claims["nested_relations"])
    plan = results[results["target"].isin(ind.index[ind["chapter"] == "outlook"])]
    g.claim(
        "plan_counts_agree",
        write.every(plan["holds"], T("counts", "项计数"), T("agrees/agree", "与文中清单相符")),
    )
    for relation in ("sum", "ge", "rows"):
        g.text(f"n_checks_{relation}", _count((results["relation"] == relation).sum()))
    g.text("share_count_100m", write.percent(by_id.at["investment_count_nested", "ratio"], 1))
    g.text("share_capital_100m", write.percent(by_id.at["investment_capital_nested", "ratio"], 1))
    g.figures(RELATION_FIGURES)


def relations_table(data: Dataset, lang: str = "en") -> Markdown:
    """Each declared relation with its two sides, test, difference and result."""
    r = relations(data)
    return _table(
        {
            T("Relation", "关系"): pairs(r["description_en"], r["description_zh"]),
            T("Left side", "左边"): list(r["left"]),
            T("Test", "检验"): [SYMBOLS[s] for s in r["relation"]],
            T("Right side", "右边"): list(r["right"]),
            T("Difference", "差值"): list(r["diff"]),
            T("Holds", "成立"): list(r["check"]),
        },
        lang,
        "lrcrrc",
    )


def relations_chart(data: Dataset, lang: str = "en") -> alt.VConcatChart:
    """Bars: the right side of each relation as a percentage of its left side."""
    results = relations(data)
    claims = _relation_claims(results)
    description = T("description_en", "description_zh")
    # One column, named and written in the edition's language.
    frame = results.drop(columns="description_zh").assign(
        description_en=pairs(results["description_en"], results["description_zh"])
    )
    frame = frame.rename(columns={"description_en": description})
    return chart.bar(
        resolve(frame, lang),
        category="label",
        value="ratio",
        color="result",
        label="ratio_display",
        sort="data",
        title=T("Each declared relation, on a common scale", "各项声明关系，统一刻度")(lang),
        subtitle=T("Right-hand side as a percentage of the left-hand side", "右边占左边的百分比")(
            lang
        ),
        description=T(
            "Bar chart of the right-hand side of each declared arithmetic relation as a percentage "
            "of its left-hand side: {} the full length, {} it; {}.",
            "条形图：各项声明的算术关系中右边占左边的百分比。{}，{}；{}。",
        ).format(claims["exact_relations"], claims["nested_relations"], claims["checks_hold"])(
            lang
        ),
        value_title=T("Right side as % of left side", "右边占左边的比例（%）")(lang),
        tooltip=_tips(
            lang,
            (description, T("Relation", "关系")),
            ("target", T("Left side", "左边")),
            ("left", T("Left value", "左边数值")),
            (T("symbol", "symbol_zh"), T("Test", "检验")),
            ("operands", T("Right side", "右边")),
            ("right", T("Right value", "右边数值")),
            (T("result", "result_zh"), T("Result", "结果")),
        ),
        lang=lang,
    )


# -- Implied baselines and the precision of rounding -------------------------------------------


def _yi_range(low: float, high: float, decimals: int) -> T:
    """'251.53–251.76 亿元' / '251.53亿元～251.76亿元' (GB/T 15834, 15835: a tilde and the
    unit on both ends)."""
    return T(
        f"{write.number(low, decimals).en}–{write.number(high, decimals).en}\u00a0亿元",
        f"{write.yi(low, decimals).zh}～{write.yi(high, decimals).zh}",
    )


def _percent_range(low: float, high: float, decimals: int) -> T:
    """'9.15%–9.25%' / '9.15%～9.25%'."""
    a, b = write.percent(low, decimals), write.percent(high, decimals)
    return T(f"{a.en}–{b.en}", f"{a.zh}～{b.zh}")


def baselines(data: Dataset) -> pd.DataFrame:
    """Each implied 2018 baseline (:func:`shizhong.derive.baselines`) with the range its
    growth rate's rounding leaves open (``range_growth``), the range both roundings leave open
    (``range_both``) and the first as a percentage of the central value (``low_pct``,
    ``high_pct``, ``spread``), each written for both editions."""
    ind = data.indicators
    short, short_zh = data.label_map("short"), data.label_map("short", "zh")
    rows = []
    for b in derive.baselines(ind).itertuples():
        growth_id = f"{b.id}{derive.GROWTH_SUFFIX}"
        g_text, l_text = ind.at[growth_id, "text"], ind.at[b.id, "text"]
        d, d_g = decimals_of(l_text) + 1, decimals_of(g_text) + 1
        low, high = rounding.extremes(
            lambda g, level=b.level: derive.previous_level(level, g), [b.growth_pct], [g_text]
        )
        low_both, high_both = rounding.extremes(
            derive.previous_level, [b.level, b.growth_pct], [l_text, g_text]
        )
        growth_range = _percent_range(*rounding.interval(b.growth_pct, g_text), d_g)
        range_growth, range_both = _yi_range(low, high, d), _yi_range(low_both, high_both, d)
        level, growth = write.figure(ind.loc[b.id]), write.figure(ind.loc[growth_id])
        previous = write.yi(b.previous, d)
        rows.append(
            {
                "id": b.id,
                "subject_en": b.subject_en,
                "subject_zh": b.subject_zh,
                "label": f"{short.get(b.id, b.subject_en)} {b.subject_zh}",
                "label_zh": short_zh.get(b.id, b.subject_zh),
                "level_display": level.en,
                "level_zh": level.zh,
                "previous_zh": previous.zh,
                "range_growth_zh": range_growth.zh,
                "range_both_zh": range_both.zh,
                "growth_range_zh": growth_range.zh,
                "growth_display": growth.en,
                "growth_range": growth_range.en,
                "previous_display": previous.en,
                "range_growth": range_growth.en,
                "range_both": range_both.en,
                "low_pct": 100 * (low / b.previous - 1),
                "high_pct": 100 * (high / b.previous - 1),
                "quote": b.growth_quote,
            }
        )
    out = pd.DataFrame(rows)
    out["spread"] = out["high_pct"].map(lambda x: "±" + write.percent(x, 2).en)
    out["display"] = out["range_growth"]
    out["growth_both"] = out["growth_display"] + " (" + out["growth_range"] + ")"
    out["growth_both_zh"] = out["growth_display"] + "（" + out["growth_range_zh"] + "）"
    return out


def glue_baselines(g: Glue, data: Dataset) -> None:
    """Each baseline, its ranges and spread, and the growth figures they come from."""
    ranges = baselines(data)
    for r in ranges.itertuples():
        g.text(f"baseline_{r.id}", T(r.previous_display, r.previous_zh))
        g.text(f"baseline_range_{r.id}", T(r.range_growth, r.range_growth_zh))
        g.text(f"baseline_range_both_{r.id}", T(r.range_both, r.range_both_zh))
        g.text(f"growth_range_{r.id}", T(r.growth_range, r.growth_range_zh))
        g.text(f"baseline_spread_{r.id}", T.same(r.spread))
    g.text("n_baselines", _count(len(ranges)))
    g.figures([f"{i}{derive.GROWTH_SUFFIX}" for i in ranges["id"]])


def baselines_table(data: Dataset, lang: str = "en") -> Markdown:
    """Each baseline with its level, growth and ranges."""
    r = baselines(data)

    def both(en: str, zh: str) -> list[T]:
        return pairs(r[en], r[zh])

    return _table(
        {
            T("Figure", "数字"): both("label", "label_zh"),
            T("2019 level", "2019年总量"): both("level_display", "level_zh"),
            T("Growth as written (could be)", "所写增速（可能的区间）"): both(
                "growth_both", "growth_both_zh"
            ),
            T("Implied 2018", "推算2018年"): both("previous_display", "previous_zh"),
            T("2018 range (growth rounding)", "2018年区间（增速舍入）"): both(
                "range_growth", "range_growth_zh"
            ),
            T("2018 range (growth and level rounding)", "2018年区间（增速和总量舍入）"): both(
                "range_both", "range_both_zh"
            ),
        },
        lang,
        "lrrrrr",
    )


def rounding_chart(data: Dataset, lang: str = "en") -> alt.VConcatChart:
    """Dumbbells: how far each implied baseline may lie from its central value."""
    ranges = baselines(data)
    label = pairs(ranges["label"], ranges["label_zh"])
    frame = ranges.assign(
        label=label,
        display=pairs(ranges["range_growth"], ranges["range_growth_zh"]),
    )
    spreads = T("; ", "；").join(
        T("{}: {}", "{}：{}").format(name, spread)
        for name, spread in zip(label, ranges["spread"], strict=True)
    )
    tips = [
        *chart.tooltips(frame[["subject_en", "subject_zh"]], lang=lang),
        *_tips(
            lang,
            ("growth_display", T("Growth as written", "所写增速")),
            ("display", T("Implied 2018 range", "推算2018年区间")),
            ("quote", T("Quote 原文", "原文")),
        ),
    ]
    return chart.dumbbell(
        resolve(frame, lang),
        category="label",
        start="low_pct",
        end="high_pct",
        start_label=T("Low end (true rate higher than written)", "下端（实际增速高于所写）")(lang),
        end_label=T("High end (true rate lower than written)", "上端（实际增速低于所写）")(lang),
        growth="spread",
        title=T("How precisely the implied 2018 baselines are known", "推算的2018年基数有多精确")(
            lang
        ),
        subtitle=T(
            "Range of each implied 2018 level from the rounding of its growth rate, in % of the "
            "central value",
            "增速舍入带来的2018年推算总量区间，以中心值的百分比表示",
        )(lang),
        description=T(
            "Dumbbell chart of the range within which each implied 2018 baseline lies, given that "
            "its growth rate is rounded, as a percentage above or below the central estimate: {}.",
            "哑铃图：考虑增速舍入，各推算的2018年基数所在区间，以高于或低于中心估计的百分比表示，{}。",
        ).format(spreads)(lang),
        value_title=T("% from the central estimate", "偏离中心估计值（%）")(lang),
        tooltip=tips,
        lang=lang,
    )


# -- Limits of a promotional source -------------------------------------------------------------


#: The caveats in the order the table gives them (labels.csv ``caveat`` has them in it too).
CAVEATS = (
    "more_than",
    "threshold",
    "cumulative",
    "counted_over_year",
    "subscribed",
    "stock",
    "no_level",
    "share",
    "in_progress",
)


def caveats(indicators: pd.DataFrame) -> pd.Series:
    """The caveat keys (labels.csv ``caveat``) of each indicator, by id: the row's own
    ``caveat`` column, and what its columns imply: ``more_than`` for a lower bound, ``no_level``
    for a growth rate whose level is not stated, ``share`` for a share (the whole is not
    stated). Keys in the order :data:`CAVEATS` gives; an empty list for most rows."""
    ids = set(indicators["id"])
    out = {}
    for row in indicators.itertuples(index=False):
        keys = set()
        if row.qualifier == "more_than":
            keys.add("more_than")
        if not pd.isna(row.caveat):
            keys.add(str(row.caveat))
        level = str(row.id).removesuffix(derive.GROWTH_SUFFIX)
        if row.kind == "growth" and level not in ids:
            keys.add("no_level")
        if row.kind == "share":
            keys.add("share")
        out[row.id] = [k for k in CAVEATS if k in keys]
    return pd.Series(out, dtype=object)


def glue_caveats(g: Glue, data: Dataset) -> None:
    """The growth rates (all positive? the smallest), the rows that need care, and the figures
    the section names."""
    ind = data.indicators
    rows = ind[ind["kind"] == "growth"]
    g.text("n_growth_rows", _count(len(rows)))
    g.claim(
        "negative_growth_clause",
        write.every(
            rows["value"] >= 0,
            T("growth rates", "项增长率"),
            T("is positive/are positive", "为正"),
            of=rows,
        ),
    )
    names = pairs(rows["subject_en"].str.lower(), rows["subject_zh"])
    g.claim(
        "min_growth",
        write.leaders(
            pd.Series(rows["value"].to_numpy(), index=names),
            pd.Series([write.figure(r) for _, r in rows.iterrows()], index=names),
            largest=False,
            of=rows,
        ),
    )
    g.text("n_care_rows", _count(sum(1 for keys in caveats(ind) if keys)))
    g.figures(CAVEAT_FIGURES)


def caveats_table(data: Dataset, lang: str = "en") -> Markdown:
    """Each figure that needs care, how it is written and how to read it."""
    ind = data.indicators
    names = data.label_pairs("caveat")
    keys = caveats(ind)
    rows = ind[[bool(keys[i]) for i in ind["id"]]]
    return _table(
        {
            T("Figure", "数字"): pairs(rows["subject_en"], rows["subject_zh"]),
            T("As written", "原文写法"): [write.figure(r) for _, r in rows.iterrows()],
            T("Read as", "应理解为"): [
                T("; ", "；").join(names[k] for k in keys[i]) for i in rows["id"]
            ],
            T("Quote 原文", "原文"): list(rows["quote"]),
        },
        lang,
        "lrll",
    )
