"""What the article implies but does not state."""

from __future__ import annotations

import pandas as pd

GROWTH_SUFFIX = "_growth"


def previous_level(level: float, growth_pct: float) -> float:
    """The level a year earlier: 933 after +28% growth implies 933 / 1.28 = 728.9."""
    if growth_pct <= -100:
        raise ValueError("growth must be above -100%")
    return level / (1 + growth_pct / 100)


def residual(total: float, *parts: float) -> float:
    """What a stated total leaves after its stated parts."""
    return total - sum(parts)


def share(part: float, whole: float) -> float:
    """``part`` as a percentage of ``whole``."""
    if whole == 0:
        raise ZeroDivisionError("share of a zero whole")
    return 100 * part / whole


def average(total: float, count: float) -> float:
    """Mean per unit counted, e.g. subscribed capital per project."""
    if count == 0:
        raise ZeroDivisionError("average over zero items")
    return total / count


def growth(level: float, previous: float) -> float:
    """Percentage change from ``previous`` to ``level``."""
    return 100 * (level / previous - 1)


def baselines(indicators: pd.DataFrame) -> pd.DataFrame:
    """Implied previous-year levels, for every growth row whose level is also stated.

    A growth row ``<id>_growth`` pairs with the level row ``<id>``.
    """
    rows = []
    for gid in indicators.index[indicators["kind"] == "growth"]:
        lid = gid.removesuffix(GROWTH_SUFFIX)
        if lid == gid or lid not in indicators.index:
            continue
        level = indicators.loc[lid]
        g = float(indicators.at[gid, "value"])
        now = float(level["value"])
        rows.append(
            {
                "id": lid,
                "subject_en": level["subject_en"],
                "subject_zh": level["subject_zh"],
                "unit": level["unit"],
                "year": int(level["year"]),
                "level": now,
                "growth_pct": g,
                "previous": previous_level(now, g),
                "change": now - previous_level(now, g),
                "quote": level["quote"],
                "growth_quote": indicators.at[gid, "quote"],
            }
        )
    return pd.DataFrame.from_records(rows)


def half_unit(text: str) -> float:
    """Half a unit of the last written digit, the rounding interval of a figure: '28' → 0.5."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    return 0.5 * 10**-decimals


def leaders(values: pd.Series, largest: bool = True) -> list[str]:
    """Index labels tied at the top (or, with ``largest=False``, the bottom) of ``values``."""
    if values.empty:
        return []
    extreme = values.max() if largest else values.min()
    return [str(k) for k, v in values.items() if v == extreme]


def tie_groups(values: pd.Series, largest: bool = True) -> list[list[str]]:
    """Index labels grouped by value, largest value first (or smallest): ties share a group."""
    return [
        [str(k) for k, v in values.items() if v == value]
        for value in sorted(set(values), reverse=largest)
    ]
