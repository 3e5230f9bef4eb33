"""Exact unit conversion, driven by ``data/units.csv``."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

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
