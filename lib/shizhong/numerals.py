"""Numerals: find and read those of a Chinese text, Arabic (17.7) and Chinese (十二, 千万),
and write numbers in either edition (with or without thousands separators)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# An Arabic number with any 万/亿 multiplier glued to it, or a run of Chinese numeral
# characters. 首 ("first") counts because 首家 / 首个 are ranks.
NUMERAL = re.compile(r"\d+(?:\.\d+)?[万亿]*|[〇零一二两三四五六七八九十百千万亿首]+")

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9, "首": 1}  # fmt: skip
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10**4, "亿": 10**8}


@dataclass(frozen=True)
class Token:
    """A numeral found at ``start``–``end`` of the text."""

    start: int
    end: int
    text: str


def tokens(text: str) -> list[Token]:
    """Every numeral in ``text``, in order."""
    return [Token(m.start(), m.end(), m.group()) for m in NUMERAL.finditer(text)]


def chinese_to_int(s: str) -> int:
    """Read a Chinese numeral: 三 → 3, 十二 → 12, 千万 → 10,000,000, 亿 → 100,000,000."""
    if not s or any(c not in _DIGITS and c not in _SMALL_UNITS and c not in _BIG_UNITS for c in s):
        raise ValueError(f"not a Chinese numeral: {s!r}")
    total = section = digit = 0
    for c in s:
        if c in _DIGITS:
            digit = _DIGITS[c]
        elif c in _SMALL_UNITS:
            section += (digit or 1) * _SMALL_UNITS[c]
            digit = 0
        else:
            section += digit
            total += (section or 1) * _BIG_UNITS[c]
            section = digit = 0
    return total + section + digit


def read(s: str) -> float:
    """The value of a numeral as written, Arabic or Chinese."""
    try:
        return float(s)
    except ValueError:
        return float(chinese_to_int(s))


def line_of(text: str, pos: int) -> int:
    """1-based line number of position ``pos``."""
    return text.count("\n", 0, pos) + 1


def is_arabic(text: str) -> bool:
    """Whether ``text`` is a number in Arabic digits: '17.7' yes, '十二' no."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def decimals_of(text: str) -> int:
    """Decimal places as written: '40.84' → 2, '1579' → 0."""
    return len(text.split(".")[1]) if "." in text else 0


def fixed(x: float, decimals: int | None = None, grouping: bool = True) -> str:
    """``x`` to ``decimals`` places (as many as it has if None): 1134 → '1,134', '1134'."""
    if decimals is None:
        decimals = 0 if float(x).is_integer() else len(repr(float(x)).split(".")[1])
    return f"{x:{',' if grouping else ''}.{decimals}f}"


def significant(x: float, digits: int = 3, grouping: bool = True) -> str:
    """``x`` to ``digits`` significant digits, trailing zeros dropped: 1.770 → '1.77'."""
    if x == 0:
        return "0"
    places = max(digits - 1 - math.floor(math.log10(abs(x))), 0)
    text = fixed(x, places, grouping)
    return text.rstrip("0").rstrip(".") if places else text
