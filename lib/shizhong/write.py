"""Write figures, amounts and computed claims in both languages at once.

Every function returns a :class:`~shizhong.bilingual.T`: the English wording (thousands
separators, 'CNY 1.77 billion', 'more than 1,600 亿元') beside the Chinese one, as the
article writes it (no separators, 17.7亿元, 超过1600亿元). A chapter glues the pair with one
call: ``g.text("key", write.yi(value, 2))``.

Names and nouns may be given as pairs too; the rankings (``top``, ``ordered``, ``leaders``,
``compare``, ``every``) take ``of=`` and refuse unlike quantities
(:class:`shizhong.derive.UnlikeQuantities`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from shizhong import chinese, fmt
from shizhong.bilingual import T, resolve

if TYPE_CHECKING:
    import pandas as pd

    from shizhong import derive

Name = T | str


def number(x: float, decimals: int | None = None) -> T:
    """1134 → '1,134' / '1134'."""
    return T(fmt.number(x, decimals), chinese.number(x, decimals))


def words(n: int) -> T:
    """A small count in words: 3 → 'three' / '三', 2 → 'two' / '两'."""
    return T(fmt.words(n), chinese.words(n))


def figure(row: pd.Series, qualifier: bool = True) -> T:
    """An indicator as a reader sees it: 'more than 1,600 亿元' / '超过1600亿元'."""
    return T(fmt.figure(row, qualifier), chinese.figure(row, qualifier))


def percent(x: float, decimals: int = 1) -> T:
    """12.345 → '12.3%'."""
    return T(fmt.percent(x, decimals), chinese.percent(x, decimals))


def signed_percent(x: float, decimals: int = 1) -> T:
    """A rise or fall: '+12.3%' / '增长12.3%', '−1.2%' / '下降1.2%'."""
    return T(fmt.signed_percent(x, decimals), chinese.signed_percent(x, decimals))


def change_percent(x: float, decimals: int = 1) -> T:
    """A change whose direction is not established: '+1.7%' in both."""
    return T(fmt.signed_percent(x, decimals), chinese.change_percent(x, decimals))


def yi(value: float, decimals: int = 1) -> T:
    """An amount in 亿元: '185.0 亿元' / '185.0亿元'."""
    return T(fmt.yi(value, decimals), chinese.yi(value, decimals))


def signed_yi(x: float, decimals: int = 1) -> T:
    """A rise or fall in 亿元: '+206.0 亿元' / '增加206.0亿元'."""
    return T(fmt.signed_yi(x, decimals), chinese.signed_yi(x, decimals))


def change_yi(x: float, decimals: int = 1) -> T:
    """A change in 亿元 whose direction is not established: '−1.9 亿元' / '−1.9亿元'."""
    return T(fmt.signed_yi(x, decimals), chinese.change_yi(x, decimals))


def yuan(cny: float, digits: int = 3) -> T:
    """A base-unit yuan amount: 'CNY 1.77 billion' / '17.7亿元'."""
    return T(fmt.yuan(cny, digits), chinese.yuan(cny, digits))


def area(m2: float) -> T:
    """A base-unit area: '408,400 m² (40.8 ha)' / '40.84万平方米（40.8公顷）'."""
    return T(fmt.area(m2), chinese.area(m2))


def mu(value: float, hectares: float) -> T:
    """An area in 亩 with hectares: '1,579 亩 (105.3 ha)' / '1579亩（105.3公顷）'."""
    return T(fmt.mu(value, hectares), chinese.mu(value, hectares))


def series(names: Iterable[Name]) -> T:
    """'a, b and c' / 'a、b和c'."""
    items = list(names)
    return T(fmt.series(resolve(items, "en")), chinese.series(resolve(items, "zh")))


def _in(values: pd.Series | None, lang: str) -> pd.Series | None:
    """``values`` with its index (names) and cells in ``lang``."""
    if values is None:
        return None
    return resolve(values, lang).rename(index=lambda name: resolve(name, lang))


def top(values: pd.Series, noun: T, largest: bool = True, *, of: derive.Of) -> T:
    """Who has the most (or fewest) of ``noun``, a tie said as a tie."""
    return T(
        fmt.top(_in(values, "en"), noun.en, largest, of=of),
        chinese.top(_in(values, "zh"), noun.zh, largest, of=of),
    )


def ordered(
    values: pd.Series, display: pd.Series | None = None, largest: bool = True, *, of: derive.Of
) -> T:
    """Names in the order of their values, ties said as ties."""
    return T(
        fmt.ordered(_in(values, "en"), _in(display, "en"), largest, of=of),
        chinese.ordered(_in(values, "zh"), _in(display, "zh"), largest, of=of),
    )


def leaders(
    values: pd.Series,
    display: pd.Series | None = None,
    largest: bool = True,
    *,
    of: derive.Of,
    zh_value: bool = True,
) -> T:
    """The name(s) at the top with their value; ``zh_value=False`` names them without it in
    Chinese, where the sentence before has just given the value."""
    return T(
        fmt.leaders(_in(values, "en"), _in(display, "en"), largest, of=of),
        chinese.leaders(_in(values, "zh"), _in(display, "zh"), largest, of=of, with_value=zh_value),
    )


def compare(
    a_label: T,
    a: float,
    b_label: T,
    b: float,
    *,
    of: derive.Of | tuple[str | pd.DataFrame, str | pd.DataFrame],
) -> T:
    """'57 high-tech firms outnumber …' / '…（57）多于…（15）', computed."""
    return T(
        fmt.compare(a_label.en, a, b_label.en, b, of=of),
        chinese.compare(a_label.zh, a, b_label.zh, b, of=of),
    )


def every(holds: pd.Series, noun: T, predicate: T, *, of: derive.Of | None = None) -> T:
    """A quantified statement computed from booleans: 'all 9 relations hold' / '全部9项关系均成立'.

    ``predicate.en`` gives the singular and plural verb as 'holds/hold'; ``noun.zh`` starts
    with its measure word (项关系).
    """
    is_, _, are = predicate.en.partition("/")
    if not are:
        raise ValueError(f"{predicate.en!r}: write the English verb as 'is …/are …'")
    return T(
        fmt.every(holds, noun.en, is_, are, of=of),
        chinese.every(holds, noun.zh, predicate.zh, of=of),
    )
