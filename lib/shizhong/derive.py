"""What the article implies but does not state, and the guard that compares like with like."""

from __future__ import annotations

from collections.abc import Sequence

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


#: Units that count the same thing under two measure words (units.csv: 名 "one per person",
#: 人 "one per person"). Every other unit is a quantity of its own: 家 (firms, institutions)
#: and 个 (projects, items) are not alike, nor are 亿元 and 元 as written values.
SAME_UNIT = {"人": "名/人", "名": "名/人"}

#: What a ranking, tie, sum or comparison is told its values are (keyword ``of=``):
#: one name for all of them ("figures", "%"), a name per value, or the indicator rows the
#: values come from (their ``unit`` and ``kind`` columns, one row per value, in order).
Of = str | Sequence[str] | pd.Series | pd.DataFrame


class UnlikeQuantities(ValueError):
    """Values of different units or kinds were ranked, tied, summed or compared."""


def quantity(unit: str, kind: str | None = None) -> str:
    """The quantity an indicator row measures: 'count in 名', 'growth in %', 'level in 亿元'."""
    unit = SAME_UNIT.get(unit, unit)
    return f"{kind} in {unit}" if kind else unit


def quantities(of: Of, n: int) -> list[str]:
    """One quantity name per value, from what the caller passed as ``of``."""
    if isinstance(of, str):
        return [of] * n
    if isinstance(of, pd.DataFrame):
        missing = {"unit", "kind"} - set(of.columns)
        if missing:
            raise TypeError(f"rows passed as of= need the columns {sorted(missing)}")
        names = [quantity(str(u), str(k)) for u, k in zip(of["unit"], of["kind"], strict=True)]
    else:
        names = [str(q) for q in of]
    if len(names) != n:
        raise ValueError(f"of= names {len(names)} quantities for {n} values")
    return names


def alike(labels: Sequence[object], of: Of, what: str = "compare") -> str:
    """The one quantity of values named ``labels``; :class:`UnlikeQuantities` if they differ.

    The error names each quantity and the values that have it:
    'cannot rank unlike quantities: count in 名 (a, b) and count in 个 (c)'.
    """
    names = quantities(of, len(labels))
    groups: dict[str, list[str]] = {}
    for label, name in zip(labels, names, strict=True):
        groups.setdefault(name, []).append(str(label))
    if len(groups) > 1:
        parts = [f"{name} ({', '.join(items)})" for name, items in groups.items()]
        raise UnlikeQuantities(
            f"cannot {what} unlike quantities: {', '.join(parts[:-1])} and {parts[-1]}"
        )
    return next(iter(groups), "")


def total(rows: pd.DataFrame, column: str = "value") -> float:
    """The sum of indicator rows' values, refused unless they share one unit and kind."""
    alike(list(rows.index), rows, "sum")
    return float(rows[column].sum())


def pair(a_label: str, b_label: str, of: Of | tuple[str | pd.DataFrame, str | pd.DataFrame]) -> str:
    """The one quantity of two compared values; ``of`` names both, or each: ``(a_of, b_of)``.

    Each of ``a_of`` and ``b_of`` is a quantity name or the rows its value sums (which must
    be alike themselves).
    """
    if isinstance(of, tuple):
        sides = []
        for label, side in ((a_label, of[0]), (b_label, of[1])):
            if isinstance(side, pd.DataFrame):
                sides.append(alike([f"{label}: {i}" for i in side.index], side, "sum"))
            else:
                sides.append(str(side))
        return alike([a_label, b_label], sides, "compare")
    return alike([a_label, b_label], of, "compare")


def counted(holds: pd.Series, of: Of | None = None) -> pd.Series:
    """``holds`` checked as one boolean per item counted (and, given ``of``, alike items)."""
    if not pd.api.types.is_bool_dtype(holds):
        raise TypeError(f"a quantified statement counts booleans, not {holds.dtype} values")
    if of is not None:
        alike(list(holds.index), of, "count")
    return holds


def leaders(values: pd.Series, largest: bool = True, *, of: Of) -> list[str]:
    """Index labels tied at the top (or, with ``largest=False``, the bottom) of ``values``.

    ``of`` says what the values are (see :data:`Of`); unlike quantities are refused.
    """
    alike(list(values.index), of, "rank")
    if values.empty:
        return []
    extreme = values.max() if largest else values.min()
    return [str(k) for k, v in values.items() if v == extreme]


def tie_groups(values: pd.Series, largest: bool = True, *, of: Of) -> list[list[str]]:
    """Index labels grouped by value, largest value first (or smallest): ties share a group.

    ``of`` says what the values are (see :data:`Of`); unlike quantities are refused.
    """
    alike(list(values.index), of, "order")
    return [
        [str(k) for k, v in values.items() if v == value]
        for value in sorted(set(values), reverse=largest)
    ]
