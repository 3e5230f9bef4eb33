"""Exact unit conversion, driven by ``data/units.csv``."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import pandas as pd

from shizhong.bilingual import T
from shizhong.numerals import fixed

# Display units that are not written in the article, in their base unit.
EXTRA = {
    "ha": ("m2", Fraction(10_000)),
    "km2": ("m2", Fraction(1_000_000)),
    "m2": ("m2", Fraction(1)),
    "CNY": ("CNY", Fraction(1)),
    "USD": ("USD", Fraction(1)),
    "billion CNY": ("CNY", Fraction(10**9)),
    "million CNY": ("CNY", Fraction(10**6)),
}


def factor(unit: str, table: pd.DataFrame) -> tuple[str, Fraction]:
    """(base unit, exact factor) of ``unit``: 亩 → ('m2', Fraction(2000, 3))."""
    if unit in EXTRA:
        return EXTRA[unit]
    rows = table[table["unit"] == unit]
    if rows.empty:
        raise KeyError(f"unknown unit {unit!r}")
    row = rows.iloc[0]
    return str(row["base_unit"]), Fraction(int(row["factor_num"]), int(row["factor_den"]))


def to_base(value: float, unit: str, table: pd.DataFrame) -> float:
    """``value`` in ``unit`` expressed in its base unit."""
    _, f = factor(unit, table)
    return float(Fraction(str(value)) * f)


def convert(value: float, from_unit: str, to_unit: str, table: pd.DataFrame) -> float:
    """Convert between two units with the same base: convert(1579, '亩', 'ha') → 105.27."""
    base_a, fa = factor(from_unit, table)
    base_b, fb = factor(to_unit, table)
    if base_a != base_b:
        raise ValueError(f"cannot convert {from_unit} ({base_a}) to {to_unit} ({base_b})")
    return float(Fraction(str(value)) * fa / fb)


def exchange(value: float, from_unit: str, to_unit: str, year: int, rates: pd.DataFrame) -> float:
    """Convert a base-unit amount between currencies with the recorded rate of ``year``."""
    hit = rates[
        (rates["from_unit"] == from_unit) & (rates["to_unit"] == to_unit) & (rates["year"] == year)
    ]
    if hit.empty:
        raise KeyError(f"no {from_unit}→{to_unit} rate for {year} in exchange_rates.csv")
    return float(value) * float(hit["rate"].iloc[0])


#: The unit of a figure written without one (units.csv has a row for it).
NO_UNIT = "-"


def written(table: pd.DataFrame) -> pd.DataFrame:
    """The units the article writes: every row of ``units.csv`` but :data:`NO_UNIT`."""
    return table[table["unit"] != NO_UNIT]


def table(units: pd.DataFrame, base_names: Mapping[str, T]) -> pd.DataFrame:
    """One row per unit of ``units.csv``, for a table of units: its columns, ``base`` (the
    base unit's name from ``base_names``, a pair) and ``factor``, the exact factor as a pair:
    '2,000/3' / '2000/3' (the Chinese edition writes numbers without separators)."""
    out = units.reset_index(drop=units.index.name in units.columns)
    out["base"] = out["base_unit"].map(base_names)
    out["factor"] = [
        T(
            *(
                f"{fixed(n, grouping=g)}/{fixed(d, grouping=g)}" if d != 1 else fixed(n, grouping=g)
                for g in (True, False)
            )
        )
        for n, d in zip(out["factor_num"].astype(int), out["factor_den"].astype(int), strict=True)
    ]
    return out
