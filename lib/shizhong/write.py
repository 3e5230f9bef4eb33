"""Write figures, amounts and computed claims in both languages at once.

The book's one number writer. Every function returns a :class:`~shizhong.bilingual.T`
with the English wording beside the Chinese one:

* English: thousands separators, units kept as the article writes them after a no-break
  space ('1,579 亩', 'more than 1,600 亿元'), yuan in words ('CNY 1.77 billion'), true minus
  signs;
* Chinese, as the article writes it: no separators, the unit attached (274.8亿元, 1134个),
  a rank with its measure word (首家, 第二届, 二期), money in 万元 and 亿元, 公顷 beside 亩,
  a rise or fall in words (增长, 下降) where its direction is established.

A chapter glues a pair with one call: ``g.text("key", write.yi(value, 2))``. Names and nouns
may be pairs too; the rankings (``top``, ``ordered``, ``leaders``, ``compare``, ``every``)
take ``of=`` and refuse unlike quantities (:class:`shizhong.derive.UnlikeQuantities`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from shizhong import derive, numerals
from shizhong.bilingual import T, resolve
from shizhong.numerals import decimals_of

if TYPE_CHECKING:
    import pandas as pd

Name = T | str

#: A figure's qualifier (``indicators.csv``), as each language writes it around the value.
QUALIFIERS = {
    "exact": T("", ""),
    "more_than": T("more than ", "超过"),
    "at_least": T("at least ", ""),
}
_ZH_AFTER = {"at_least": "以上"}  # 1000名以上: Chinese writes "at least" after the value
# Counting words (家, 个, 名 …) read as plain numbers in English prose; these stay visible.
_SHOWN_UNITS = {"亿元", "元", "亿美元", "万平方米", "亩", "%"}
_EN_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]
_EN_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}
_ZH_DIGITS = "零一二三四五六七八九"
_MINUS = "\u2212"
_NBSP = "\u00a0"


def _sign(x: float) -> str:
    return "+" if x >= 0 else _MINUS


def number(x: float, decimals: int | None = None) -> T:
    """1134 → '1,134' / '1134'; number(105.266, 1) → '105.3'."""
    return T(numerals.fixed(x, decimals), numerals.fixed(x, decimals, grouping=False))


def numeral(n: int) -> str:
    """A small whole number in Chinese numerals: 3 → '三', 12 → '十二', 20 → '二十'."""
    if not 0 <= n < 100:
        return str(n)
    if n < 10:
        return _ZH_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _ZH_DIGITS[tens]) + "十" + ("" if ones == 0 else _ZH_DIGITS[ones])


def words(n: int) -> T:
    """A small count in words: 3 → 'three' / '三', 2 → 'two' / '两'; larger as digits."""
    en = _EN_WORDS[n] if 0 <= n < len(_EN_WORDS) else numerals.fixed(n, 0)
    return T(en, "两" if n == 2 else numeral(n))


def _ordinal(n: int) -> str:
    if n in _EN_ORDINALS:
        return _EN_ORDINALS[n]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _figure_en(row: pd.Series, qualifier: bool) -> str:
    text, unit = str(row["text"]), str(row["unit"])
    if row["kind"] == "rank":
        return _ordinal(int(row["value"]))
    decimals = decimals_of(text) if numerals.is_arabic(text) else 0
    out = numerals.fixed(float(row["value"]), decimals)
    if unit == "%":
        out += "%"
    elif unit in _SHOWN_UNITS:
        out += _NBSP + unit
    return QUALIFIERS[str(row["qualifier"])].en + out if qualifier else out


def _figure_zh(row: pd.Series, qualifier: bool) -> str:
    text, unit = str(row["text"]), str(row["unit"])
    unit = "" if unit == "-" else unit
    if row["kind"] == "rank":
        if text == "首":
            return f"首{unit}"
        return f"{text}{unit}" if unit in ("期", "周年") else f"第{text}{unit}"
    if row["kind"] == "count" and not numerals.is_arabic(text):
        return f"{text}{unit}"
    arabic = numerals.is_arabic(text)
    out = (numerals.fixed(float(row["value"]), decimals_of(text), False) if arabic else text) + unit
    if not qualifier:
        return out
    q = str(row["qualifier"])
    return QUALIFIERS[q].zh + out + _ZH_AFTER.get(q, "")


def figure(row: pd.Series, qualifier: bool = True) -> T:
    """An indicator as a reader sees it: 'more than 1,600 亿元' / '超过1600亿元', '1,134' /
    '1134个', 'second' / '第二届'. A row without a value is its text in both."""
    import pandas as pd

    if pd.isna(row["value"]):
        return T.same(str(row["text"]))
    return T(_figure_en(row, qualifier), _figure_zh(row, qualifier))


def percent(x: float, decimals: int = 1) -> T:
    """12.345 → '12.3%'."""
    return T(f"{x:,.{decimals}f}%", f"{x:.{decimals}f}%")


def signed_percent(x: float, decimals: int = 1) -> T:
    """A rise or fall: '+12.3%' / '增长12.3%', '−1.2%' / '下降1.2%'."""
    size = percent(abs(x), decimals)
    return T(_sign(x) + size.en, ("增长" if x >= 0 else "下降") + size.zh)


def change_percent(x: float, decimals: int = 1) -> T:
    """A change whose direction is not established, signed in both: '+1.7%', '−1.0%'."""
    return _sign(x) + percent(abs(x), decimals)


def yi(value: float, decimals: int = 1) -> T:
    """An amount in 亿元: 185 → '185.0 亿元' / '185.0亿元'."""
    return T(f"{value:,.{decimals}f}{_NBSP}亿元", f"{value:.{decimals}f}亿元")


def signed_yi(x: float, decimals: int = 1) -> T:
    """A rise or fall in 亿元: '+206.0 亿元' / '增加206.0亿元'."""
    size = yi(abs(x), decimals)
    return T(_sign(x) + size.en, ("增加" if x >= 0 else "减少") + size.zh)


def change_yi(x: float, decimals: int = 1) -> T:
    """A change in 亿元 whose direction is not established: '−1.9 亿元' / '−1.9亿元'."""
    return _sign(x) + yi(abs(x), decimals)


def yuan(cny: float, digits: int = 3) -> T:
    """A base-unit yuan amount: 1.77e9 → 'CNY 1.77 billion' / '17.7亿元', 5.95e6 → '595万元'."""
    en = f"CNY{_NBSP}{numerals.fixed(cny, 0)}"
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if abs(cny) >= size:
            en = f"CNY{_NBSP}{numerals.significant(cny / size, digits)}{_NBSP}{word}"
            break
    zh = f"{numerals.fixed(cny, 0, grouping=False)}元"
    for size, word in ((1e8, "亿元"), (1e4, "万元")):
        if abs(cny) >= size:
            zh = f"{numerals.significant(cny / size, digits, grouping=False)}{word}"
            break
    return T(en, zh)


def area(m2: float) -> T:
    """A base-unit area: 408400 → '408,400 m² (40.8 ha)' / '40.84万平方米（40.8公顷）'."""
    ha = m2 / 10_000
    wan = numerals.significant(m2 / 10_000, 4, grouping=False)
    return T(
        f"{numerals.fixed(m2, 0)}{_NBSP}m² ({ha:,.1f}{_NBSP}ha)", f"{wan}万平方米（{ha:.1f}公顷）"
    )


def mu(value: float, hectares: float) -> T:
    """An area in 亩 with hectares: '1,579 亩 (105.3 ha)' / '1579亩（105.3公顷）'."""
    return T(
        f"{numerals.fixed(value, 0)}{_NBSP}亩 ({hectares:,.1f}{_NBSP}ha)",
        f"{numerals.fixed(value, 0, grouping=False)}亩（{hectares:.1f}公顷）",
    )


def _series(names: Sequence[str], lang: str) -> str:
    names = list(names)
    if len(names) == 1:
        return names[0]
    if lang == "zh":
        return "、".join(names[:-1]) + "和" + names[-1]
    return ", ".join(names[:-1]) + " and " + names[-1]


def series(names: Iterable[Name]) -> T:
    """['a', 'b', 'c'] → 'a, b and c' / 'a、b和c'."""
    items = list(names)
    return T(_series(resolve(items, "en"), "en"), _series(resolve(items, "zh"), "zh"))


def _in(values: pd.Series | None, lang: str) -> pd.Series | None:
    """``values`` with its index (names) and cells in ``lang``."""
    if values is None:
        return None
    return resolve(values, lang).rename(index=lambda name: resolve(name, lang))


def _shown(values: pd.Series, display: pd.Series | None, lang: str) -> pd.Series:
    if display is not None:
        return display
    return values.map(lambda x: numerals.fixed(float(x), grouping=lang == "en"))


def top(values: pd.Series, noun: T, largest: bool = True, *, of: derive.Of) -> T:
    """Who has the most (or fewest) of ``noun``, computed, a tie said as a tie:
    'finance has the most figures (5)' / '金融的数字最多（5）'."""
    out = {}
    for lang in ("en", "zh"):
        v, n_ = _in(values, lang), noun(lang)
        names = derive.leaders(v, largest, of=of)
        if not names:
            raise ValueError(f"no {n_} to rank")
        n = _shown(v, None, lang)[names[0]]
        who = _series(names, lang)
        none = not largest and float(v[names[0]]) == 0 and len(names) < len(v)
        if lang == "en":
            word, verb = ("most" if largest else "fewest"), ("has" if len(names) == 1 else "have")
            if none:  # the fewest is none: said as none, not as the least of something
                out[lang] = f"{who} {verb} no {n_}"
            elif len(names) == 1:
                out[lang] = f"{who} has the {word} {n_} ({n})"
            elif len(names) == len(v):
                out[lang] = f"{who} have the same number of {n_}, {n} each"
            else:
                out[lang] = f"{who} have the {word} {n_}, tied at {n}"
        else:
            word = "最多" if largest else "最少"
            if none:
                out[lang] = f"{who}{'都' if len(names) > 1 else ''}没有{n_}"
            elif len(names) == 1:
                out[lang] = f"{who}的{n_}{word}（{n}）"
            elif len(names) == len(v):
                out[lang] = f"{who}的{n_}相同，均为{n}"
            else:
                out[lang] = f"{who}的{n_}并列{word}，均为{n}"
    return T(out["en"], out["zh"])


def ordered(
    values: pd.Series, display: pd.Series | None = None, largest: bool = True, *, of: derive.Of
) -> T:
    """Names in the order of their values, ties said as ties: 'A (9), then B and C (4 each),
    from largest to smallest' / '从大到小依次为A（9），B和C（均为4）'."""
    out = {}
    for lang in ("en", "zh"):
        v = _in(values, lang)
        shown = _shown(v, _in(display, lang), lang)
        groups = derive.tie_groups(v, largest, of=of)
        if lang == "en":
            parts = [
                f"{g[0]} ({shown[g[0]]})"
                if len(g) == 1
                else f"{_series(g, lang)} ({shown[g[0]]} each)"
                for g in groups
            ]
            order = "from largest to smallest" if largest else "from smallest to largest"
            out[lang] = ", then ".join(parts) + f", {order}"
        else:
            parts = [
                f"{g[0]}（{shown[g[0]]}）"
                if len(g) == 1
                else f"{_series(g, lang)}（均为{shown[g[0]]}）"
                for g in groups
            ]
            out[lang] = ("从大到小" if largest else "从小到大") + "依次为" + "，".join(parts)
    return T(out["en"], out["zh"])


def leaders(
    values: pd.Series,
    display: pd.Series | None = None,
    largest: bool = True,
    *,
    of: derive.Of,
    zh_value: bool = True,
) -> T:
    """The name(s) at the top with their value: 'ICT tax (28.4%)' / '信息通信业：税收（28.4%）';
    a tie said as a tie. ``zh_value=False`` names them without the value in Chinese, where
    the sentence before has just given it."""
    out = {}
    for lang in ("en", "zh"):
        v = _in(values, lang)
        names = derive.leaders(v, largest, of=of)
        if not names:
            raise ValueError("nothing to rank")
        shown = _shown(v, _in(display, lang), lang)[names[0]]
        who = _series(names, lang)
        if lang == "en":
            out[lang] = f"{who} ({shown})" if len(names) == 1 else f"{who}, tied at {shown}"
        elif not zh_value:
            out[lang] = who if len(names) == 1 else f"{who}并列"
        else:
            out[lang] = f"{who}（{shown}）" if len(names) == 1 else f"{who}并列，均为{shown}"
    return T(out["en"], out["zh"])


def compare(
    a_label: T,
    a: float,
    b_label: T,
    b: float,
    *,
    of: derive.Of | tuple[str | pd.DataFrame, str | pd.DataFrame],
) -> T:
    """'high-tech firms (57) outnumber the institutions (15)' / '…（57）多于…（15）', computed.

    ``of`` names what both are, or each: ``(a_of, b_of)`` (:func:`shizhong.derive.pair`)."""
    derive.pair(a_label.en, b_label.en, of)
    na, nb = number(a), number(b)
    verb = T("are as many as", "一样多")
    if a > b:
        verb = T("outnumber", "多于")
    elif a < b:
        verb = T("are fewer than", "少于")
    en = f"{a_label.en} ({na.en}) {verb.en} {b_label.en} ({nb.en})"
    if a == b:
        return T(en, f"{a_label.zh}（{na.zh}）与{b_label.zh}（{nb.zh}）一样多")
    return T(en, f"{a_label.zh}（{na.zh}）{verb.zh}{b_label.zh}（{nb.zh}）")


def every(holds: pd.Series, noun: T, predicate: T, *, of: derive.Of | None = None) -> T:
    """A quantified statement computed from booleans, in agreement with its count:
    'all 9 relations hold' / '全部9项关系均成立', '7 of the 9 relations hold' /
    '9项关系中有7项成立', 'none of the 9 relations holds' / '9项关系中没有一项成立'.

    ``predicate.en`` gives the verb in the singular and the plural: 'holds/hold';
    ``noun.zh`` starts with its measure word (项关系), which also counts the part.
    """
    is_, _, are = predicate.en.partition("/")
    if not are:
        raise ValueError(f"{predicate.en!r}: write the English verb as 'is …/are …'")
    derive.counted(_in(holds, "en"), of)
    total, true = len(holds), int(holds.sum())
    n, k = number(total), number(true)
    measure, thing = noun.zh[0], noun.zh[1:]
    if total and true == total:
        if total == 1:
            return T(f"the one {noun.en} {is_}", f"这一{thing}{predicate.zh}")
        return T(f"all {n.en} {noun.en} {are}", f"全部{n.zh}{noun.zh}均{predicate.zh}")
    if true == 0:
        return T(
            f"none of the {n.en} {noun.en} {is_}", f"{n.zh}{noun.zh}中没有一{measure}{predicate.zh}"
        )
    verb = is_ if true == 1 else are
    return T(
        f"{k.en} of the {n.en} {noun.en} {verb}",
        f"{n.zh}{noun.zh}中有{k.zh}{measure}{predicate.zh}",
    )
