"""Chinese formatting of figures, amounts and computed claims, as the article writes them.

The Chinese edition writes a figure with its unit attached and no thousands separator
(274.8亿元, 1134个, 28%), a rank with its measure word (首家, 第二届, 二期), money in 万元
and 亿元, and 公顷 beside 亩. :mod:`shizhong.fmt` calls these with ``lang="zh"``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from shizhong import derive, numerals
from shizhong.numerals import decimals_of

QUALIFIER_PREFIX = {"exact": "", "more_than": "超过", "at_least": ""}
QUALIFIER_SUFFIX = {"exact": "", "more_than": "", "at_least": "以上"}
_DIGITS = "零一二三四五六七八九"


def number(x: float, decimals: int | None = None) -> str:
    """1134 → '1134'; 17.7 → '17.7'; number(105.266, 1) → '105.3' (no separators)."""
    return numerals.fixed(x, decimals, grouping=False)


def numeral(n: int) -> str:
    """Small whole numbers in Chinese numerals: 3 → '三', 12 → '十二', 20 → '二十'."""
    if not 0 <= n < 100:
        return str(n)
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + ("" if ones == 0 else _DIGITS[ones])


def ordinal(n: int, unit: str = "") -> str:
    """2 → '第二', ordinal(2, '届') → '第二届'."""
    return f"第{numeral(n)}{unit}"


def figure(row: pd.Series, qualifier: bool = True) -> str:
    """An indicator as the article writes it: '超过1600亿元', '1134个', '28.4%', '首家'."""
    text, unit = str(row["text"]), str(row["unit"])
    unit = "" if unit == "-" else unit
    if pd.isna(row["value"]):
        return text
    if row["kind"] == "rank":
        if text == "首":
            return f"首{unit}"
        if unit in ("期", "周年"):
            return f"{text}{unit}"
        return f"第{text}{unit}"
    if row["kind"] == "count" and not numerals.is_arabic(text):
        return f"{text}{unit}"
    out = number(float(row["value"]), decimals_of(text)) if numerals.is_arabic(text) else text
    out += unit
    if not qualifier:
        return out
    q = str(row["qualifier"])
    return QUALIFIER_PREFIX[q] + out + QUALIFIER_SUFFIX[q]


def percent(x: float, decimals: int = 1) -> str:
    """12.345 → '12.3%'."""
    return f"{x:.{decimals}f}%"


def signed_percent(x: float, decimals: int = 1) -> str:
    """12.3 → '增长12.3%', -1.2 → '下降1.2%'."""
    return ("增长" if x >= 0 else "下降") + percent(abs(x), decimals)


def change_percent(x: float, decimals: int = 1) -> str:
    """A change whose direction is not established, with a sign: '+1.7%', '−1.0%'."""
    return ("+" if x >= 0 else "\u2212") + percent(abs(x), decimals)


def yi(value: float, decimals: int = 1) -> str:
    """An amount in 亿元: 185 → '185.0亿元'."""
    return f"{value:.{decimals}f}亿元"


def signed_yi(x: float, decimals: int = 1) -> str:
    """A change in 亿元: '增加206.0亿元', '减少1.9亿元'."""
    return ("增加" if x >= 0 else "减少") + yi(abs(x), decimals)


def change_yi(x: float, decimals: int = 1) -> str:
    """A change in 亿元 whose direction is not established, with a sign: '−1.9亿元'."""
    return ("+" if x >= 0 else "\u2212") + yi(abs(x), decimals)


def yuan(cny: float, digits: int = 3) -> str:
    """A yuan amount in 亿元, 万元 or 元: 1.77e9 → '17.7亿元', 5.95e6 → '595万元'."""
    for size, word in ((1e8, "亿元"), (1e4, "万元")):
        if abs(cny) >= size:
            return f"{numerals.significant(cny / size, digits, grouping=False)}{word}"
    return f"{number(cny, 0)}元"


def area(m2: float) -> str:
    """A base-unit area: 408400 → '40.84万平方米（40.8公顷）'."""
    return (
        f"{numerals.significant(m2 / 10_000, 4, grouping=False)}万平方米（{m2 / 10_000:.1f}公顷）"
    )


def mu(value: float, hectares: float) -> str:
    """An area in 亩 with hectares: '1579亩（105.3公顷）'."""
    return f"{number(value, 0)}亩（{hectares:.1f}公顷）"


def series(names: Sequence[str]) -> str:
    """['a'] → 'a'; ['a', 'b', 'c'] → 'a、b和c'."""
    names = list(names)
    return names[0] if len(names) == 1 else "、".join(names[:-1]) + "和" + names[-1]


def top(values: pd.Series, noun: str, largest: bool = True, *, of: derive.Of) -> str:
    """'项目的金额最多（12）'; a tie: '设计、数字经济和金融并列最多，均为4'.

    ``of`` as :func:`shizhong.fmt.top`: unlike quantities are refused.
    """
    names = derive.leaders(values, largest, of=of)
    if not names:
        raise ValueError(f"no {noun} to rank")
    word = "最多" if largest else "最少"
    n = number(float(values[names[0]]))
    if not largest and float(values[names[0]]) == 0 and len(names) < len(values):
        # The fewest is none: said as none, not as the least of something.
        return f"{series(names)}{'都' if len(names) > 1 else ''}没有{noun}"
    if len(names) == 1:
        return f"{names[0]}的{noun}{word}（{n}）"
    if len(names) == len(values):
        return f"{series(names)}的{noun}相同，均为{n}"
    return f"{series(names)}的{noun}并列{word}，均为{n}"


def ordered(
    values: pd.Series,
    display: pd.Series | None = None,
    largest: bool = True,
    *,
    of: derive.Of,
) -> str:
    """'从大到小依次为A（9）、B和C（均为4）、D（1）', ties said as ties.

    ``of`` as :func:`shizhong.fmt.ordered`: unlike quantities are refused.
    """
    shown = display if display is not None else values.map(lambda x: number(float(x)))
    groups = [
        f"{names[0]}（{shown[names[0]]}）"
        if len(names) == 1
        else f"{series(names)}（均为{shown[names[0]]}）"
        for names in derive.tie_groups(values, largest, of=of)
    ]
    order = "从大到小" if largest else "从小到大"
    return f"{order}依次为" + "，".join(groups)


def compare(
    a_label: str,
    a: float,
    b_label: str,
    b: float,
    *,
    of: derive.Of | tuple[str | pd.DataFrame, str | pd.DataFrame],
) -> str:
    """'高新技术企业认定（57）多于新增机构合计（15）', computed.

    ``of`` as :func:`shizhong.fmt.compare`: unlike quantities are refused.
    """
    derive.pair(a_label, b_label, of)
    if a == b:
        return f"{a_label}（{number(a)}）与{b_label}（{number(b)}）一样多"
    verb = "多于" if a > b else "少于"
    return f"{a_label}（{number(a)}）{verb}{b_label}（{number(b)}）"


def every(holds: pd.Series, noun: str, predicate: str, *, of: derive.Of | None = None) -> str:
    """'全部6项增长率均为正', '9项关系中有7项成立', '9项关系中没有一项成立'.

    ``noun`` starts with its measure word (项增长率), which also counts the part. ``holds``
    and ``of`` as :func:`shizhong.fmt.every`.
    """
    derive.counted(holds, of)
    total, true = len(holds), int(holds.sum())
    measure = noun[0]
    if total and true == total:
        return (
            f"全部{number(total)}{noun}均{predicate}" if total > 1 else f"这一{noun[1:]}{predicate}"
        )
    if true == 0:
        return f"{number(total)}{noun}中没有一{measure}{predicate}"
    return f"{number(total)}{noun}中有{number(true)}{measure}{predicate}"


def leaders(
    values: pd.Series,
    display: pd.Series | None = None,
    largest: bool = True,
    *,
    of: derive.Of,
    with_value: bool = True,
) -> str:
    """'信息通信业：税收（28.4%）'; a tie: '设计、数字经济和金融并列，均为4'.

    ``of`` as :func:`shizhong.fmt.leaders`: unlike quantities are refused. ``with_value=False``
    names the leaders only, where the sentence before has just given the value.
    """
    names = derive.leaders(values, largest, of=of)
    if not names:
        raise ValueError("nothing to rank")
    if not with_value:
        return names[0] if len(names) == 1 else f"{series(names)}并列"
    shown = display[names[0]] if display is not None else number(float(values[names[0]]))
    if len(names) == 1:
        return f"{names[0]}（{shown}）"
    return f"{series(names)}并列，均为{shown}"


def words(n: int) -> str:
    """Small counts for prose, as :func:`shizhong.fmt.words` in English: 3 → '三', 2 → '两'."""
    return "两" if n == 2 else numeral(n)
