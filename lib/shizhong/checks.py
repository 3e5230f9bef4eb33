"""Evaluate the arithmetic relations declared in ``checks.csv``.

Validation (:mod:`shizhong.semantics`) runs these, so this module formats nothing: the
descriptions' figures are filled in by :func:`shizhong.dataset.describe`.
"""

from __future__ import annotations

import re

import pandas as pd

#: A placeholder of a description: ``{indicator_id}``.
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


def evaluate(
    checks: pd.DataFrame, indicators: pd.DataFrame, row_counts: dict[str, int]
) -> pd.DataFrame:
    """One row per check: the two sides, their difference and whether it holds.

    ``description_en`` and ``description_zh`` are the templates as stored;
    :func:`shizhong.dataset.describe` fills them in.
    """
    values = indicators["value"]
    records = []
    for check in checks.itertuples(index=False):
        operands = [o.strip() for o in str(check.operands).split(";") if o.strip()]
        lhs = float(values[check.target])
        if check.relation == "rows":
            rhs = float(sum(row_counts[o] for o in operands))
            holds = abs(lhs - rhs) <= check.tolerance
        elif check.relation == "sum":
            rhs = float(sum(float(values[o]) for o in operands))
            holds = abs(lhs - rhs) <= check.tolerance
        else:
            sides = [float(values[o]) for o in operands]
            rhs = max(sides) if check.relation == "ge" else min(sides)
            holds = (
                lhs + check.tolerance >= rhs
                if check.relation == "ge"
                else (lhs - check.tolerance <= rhs)
            )
        records.append(
            {
                "id": check.id,
                "relation": check.relation,
                "target": check.target,
                "operands": " + ".join(operands)
                if check.relation == "sum"
                else ", ".join(operands),
                "lhs": lhs,
                "rhs": rhs,
                "difference": lhs - rhs,
                "tolerance": float(check.tolerance),
                "holds": bool(holds),
                "description_en": check.description_en,
                "description_zh": check.description_zh,
            }
        )
    return pd.DataFrame.from_records(records)


def unknown_operands(
    checks: pd.DataFrame, indicator_ids: set[str], tables: set[str]
) -> list[tuple[str, str]]:
    """(check id, operand) pairs that name no indicator (or table, for ``rows``)."""
    bad = []
    for check in checks.itertuples(index=False):
        known = tables if check.relation == "rows" else indicator_ids
        for o in str(check.operands).split(";"):
            if o.strip() and o.strip() not in known:
                bad.append((check.id, o.strip()))
    return bad


#: The description columns of ``checks.csv``, one per edition, with the same placeholders.
DESCRIPTIONS = ("description_en", "description_zh")


def unknown_placeholders(
    checks: pd.DataFrame, indicator_ids: set[str]
) -> list[tuple[str, str, str]]:
    """(check id, column, placeholder) of descriptions that name no indicator."""
    return [
        (str(c["id"]), column, name)
        for _, c in checks.iterrows()
        for column in DESCRIPTIONS
        for name in PLACEHOLDER.findall(str(c[column]))
        if name not in indicator_ids
    ]


def placeholder_mismatches(checks: pd.DataFrame) -> list[tuple[str, str]]:
    """(check id, message) of Chinese descriptions whose placeholders differ from the English."""
    out = []
    for _, c in checks.iterrows():
        en = set(PLACEHOLDER.findall(str(c["description_en"])))
        zh = set(PLACEHOLDER.findall(str(c["description_zh"])))
        if en != zh:
            out.append(
                (
                    str(c["id"]),
                    f"names {_names(zh)} but description_en names {_names(en)}; "
                    "both must name the same indicators",
                )
            )
    return out


def _names(placeholders: set[str]) -> str:
    return ", ".join("{" + n + "}" for n in sorted(placeholders)) or "no indicator"
