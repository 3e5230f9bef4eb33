"""Format figures for readers: thousands separators, units and qualifiers."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from shizhong import derive, numerals
from shizhong.numerals import decimals_of

QUALIFIER_WORDS = {"exact": "", "more_than": "more than ", "at_least": "at least "}
# Counting words (家, 个, 名 …) read as plain numbers in English prose; these stay visible.
SHOWN_UNITS = {"亿元", "元", "亿美元", "万平方米", "亩", "%"}


def number(x: float, decimals: int | None = None) -> str:
    """1134 → '1,134'; 17.7 → '17.7'; number(105.266, 1) → '105.3'."""
    return numerals.fixed(x, decimals)


def with_unit(value_text: str, unit: str) -> str:
    """Attach a written unit: '17.7' + '亿元' → '17.7 亿元', '28.4' + '%' → '28.4%'."""
    if unit == "%":
        return f"{value_text}%"
    if unit in SHOWN_UNITS:
        return f"{value_text}\u00a0{unit}"
    return value_text


def figure(row: pd.Series, qualifier: bool = True, lang: str = "en") -> str:
    """An indicator as a reader sees it: 'more than 1,600 亿元', '1,134', '28.4%', 'second'.

    ``lang="zh"``: as the article writes it (:func:`shizhong.chinese.figure`): '超过1600亿元'.
    """
    if lang == "zh":
        from shizhong import chinese

        return chinese.figure(row, qualifier)
    if pd.isna(row["value"]):
        return str(row["text"])
    if row["kind"] == "rank":
        return ordinal(int(row["value"]))
    text = number(float(row["value"]), decimals_of(str(row["text"])))
    if row["text"] != text.replace(",", "") and not numerals.is_arabic(str(row["text"])):
        text = number(float(row["value"]), 0)
    out = with_unit(text, str(row["unit"]))
    return QUALIFIER_WORDS[str(row["qualifier"])] + out if qualifier else out


def ordinal(n: int) -> str:
    """1 → 'first', 2 → 'second', 12 → '12th', 70 → '70th'."""
    words = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}
    if n in words:
        return words[n]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def words(n: int) -> str:
    """Small counts in words for prose: 3 → 'three'; larger numbers as digits."""
    names = [
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
    return names[n] if 0 <= n < len(names) else number(n, 0)


def percent(x: float, decimals: int = 1) -> str:
    """12.345 → '12.3%'."""
    return f"{x:,.{decimals}f}%"


def signed_percent(x: float, decimals: int = 1) -> str:
    """12.3 → '+12.3%', -1.2 → '−1.2%' (true minus sign)."""
    s = f"{abs(x):,.{decimals}f}%"
    return ("+" if x >= 0 else "\u2212") + s


def yuan(cny: float, digits: int = 3) -> str:
    """A base-unit yuan amount in English: 1.77e9 → 'CNY 1.77 billion' (``digits`` significant)."""
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if abs(cny) >= size:
            return f"CNY\u00a0{numerals.significant(cny / size, digits)}\u00a0{word}"
    return f"CNY\u00a0{number(cny, 0)}"


def yi(value: float, decimals: int = 1) -> str:
    """An amount in 亿元: 185 → '185.0 亿元'."""
    return f"{value:,.{decimals}f}\u00a0亿元"


def signed_yi(x: float, decimals: int = 1) -> str:
    """A change in 亿元 with a sign: '+206.0 亿元', '−1.9 亿元' (true minus sign)."""
    return ("+" if x >= 0 else "\u2212") + yi(abs(x), decimals)


def area(m2: float) -> str:
    """A base-unit area: 408400 → '408,400 m² (40.8 ha)'."""
    return f"{number(m2, 0)}\u00a0m² ({m2 / 10_000:,.1f}\u00a0ha)"


def mu(value: float, hectares: float) -> str:
    """An area in 亩 with hectares: '1,579 亩 (105.3 ha)'."""
    return f"{number(value, 0)}\u00a0亩 ({hectares:,.1f}\u00a0ha)"


def series(names: Sequence[str]) -> str:
    """['a'] → 'a'; ['a', 'b', 'c'] → 'a, b and c'."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def top(values: pd.Series, noun: str, largest: bool = True, *, of: derive.Of) -> str:
    """Who has the most (or fewest) of ``noun``, computed, a tie said as a tie.

    ``values`` maps names to counts: 'projects has the most amounts (12)';
    a tie: 'design, digital economy and finance have the most figures, tied at 4'.

    ``of`` says what the values are: one name for all ("figures"), a name per value, or
    the indicator rows they come from (:data:`shizhong.derive.Of`). Values of different
    units or kinds (people and projects, 亿元 and %) raise
    :class:`shizhong.derive.UnlikeQuantities`.
    """
    names = derive.leaders(values, largest, of=of)
    if not names:
        raise ValueError(f"no {noun} to rank")
    word = "most" if largest else "fewest"
    n = number(float(values[names[0]]))
    if not largest and float(values[names[0]]) == 0 and len(names) < len(values):
        # The fewest is none: said as none, not as the least of something.
        return f"{series(names)} {'has' if len(names) == 1 else 'have'} no {noun}"
    if len(names) == 1:
        return f"{names[0]} has the {word} {noun} ({n})"
    if len(names) == len(values):
        return f"{series(names)} have the same number of {noun}, {n} each"
    return f"{series(names)} have the {word} {noun}, tied at {n}"


def ordered(
    values: pd.Series,
    display: pd.Series | None = None,
    largest: bool = True,
    *,
    of: derive.Of,
) -> str:
    """Names in the order of their values, ties said as ties.

    'A (9), then B and C (4 each), then D (1), from largest to smallest'.

    ``of`` says what the values are: one name for all ("figures"), a name per value, or
    the indicator rows they come from (:data:`shizhong.derive.Of`). Values of different
    units or kinds (people and projects, 亿元 and %) raise
    :class:`shizhong.derive.UnlikeQuantities`.
    """
    shown = display if display is not None else values.map(lambda x: number(float(x)))
    groups = [
        f"{names[0]} ({shown[names[0]]})"
        if len(names) == 1
        else f"{series(names)} ({shown[names[0]]} each)"
        for names in derive.tie_groups(values, largest, of=of)
    ]
    order = "from largest to smallest" if largest else "from smallest to largest"
    return ", then ".join(groups) + f", {order}"


def compare(
    a_label: str,
    a: float,
    b_label: str,
    b: float,
    *,
    of: derive.Of | tuple[str | pd.DataFrame, str | pd.DataFrame],
) -> str:
    """'57 high-tech firms outnumber the 15 institutions' style comparison, computed.

    ``of`` names what both are, or each: ``(a_of, b_of)``, a name or the rows summed
    (:func:`shizhong.derive.pair`); unlike quantities are refused.
    """
    derive.pair(a_label, b_label, of)
    if a > b:
        verb = "outnumber"
    elif a < b:
        verb = "are fewer than"
    else:
        verb = "are as many as"
    return f"{a_label} ({number(a)}) {verb} {b_label} ({number(b)})"


def every(holds: pd.Series, noun: str, is_: str, are: str, *, of: derive.Of | None = None) -> str:
    """A quantified statement computed from booleans, in agreement with its count.

    every(ok, "relations", "holds", "hold") → 'all 9 relations hold', '7 of the 9 relations
    hold', 'none of the 9 relations holds'.

    ``holds`` must be booleans, one per item; given ``of`` (see :data:`shizhong.derive.Of`),
    the items must be alike.
    """
    derive.counted(holds, of)
    total, true = len(holds), int(holds.sum())
    if total and true == total:
        return f"all {number(total)} {noun} {are}" if total > 1 else f"the one {noun} {is_}"
    if true == 0:
        return f"none of the {number(total)} {noun} {is_}"
    return f"{number(true)} of the {number(total)} {noun} {is_ if true == 1 else are}"


def leaders(
    values: pd.Series,
    display: pd.Series | None = None,
    largest: bool = True,
    *,
    of: derive.Of,
) -> str:
    """The name(s) at the top of ``values`` with their value: 'ICT tax (28.4%)'.

    A tie is said as a tie: 'design, digital economy and finance, tied at 4'.

    ``of`` says what the values are: one name for all ("figures"), a name per value, or
    the indicator rows they come from (:data:`shizhong.derive.Of`). Values of different
    units or kinds (people and projects, 亿元 and %) raise
    :class:`shizhong.derive.UnlikeQuantities`.
    """
    names = derive.leaders(values, largest, of=of)
    if not names:
        raise ValueError("nothing to rank")
    shown = display[names[0]] if display is not None else number(float(values[names[0]]))
    if len(names) == 1:
        return f"{names[0]} ({shown})"
    return f"{series(names)}, tied at {shown}"
