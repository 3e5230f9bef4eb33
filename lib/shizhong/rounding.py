"""What a written figure's rounding leaves open, and how far that carries into a derivation.

A figure written '28' stands for any value in [27.5, 28.5): half a unit of its last
written digit either side. A quantity derived from several figures lies, when it is
monotone in each of them, between its values at the corners of their intervals.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

from shizhong.numerals import decimals_of


def half_unit(text: str) -> float:
    """Half a unit of the last written digit: '28' → 0.5, '9.2' → 0.05."""
    return 0.5 * 10 ** -decimals_of(text)


def interval(value: float, text: str) -> tuple[float, float]:
    """The values a figure written ``text`` may stand for: (28, '28') → (27.5, 28.5)."""
    half = half_unit(text)
    return value - half, value + half


def extremes(
    function: Callable[..., float], values: Sequence[float], texts: Sequence[str]
) -> tuple[float, float]:
    """Lowest and highest ``function(*inputs)`` over every corner of the inputs' intervals.

    Exact when ``function`` is monotone in each input (a growth rate, a share, a residual):
    its extremes on the box then lie at corners.
    """
    if len(values) != len(texts):
        raise ValueError(f"{len(values)} values but {len(texts)} written texts")
    halves = [half_unit(t) for t in texts]
    results = [
        function(*(v + s * h for v, s, h in zip(values, signs, halves, strict=True)))
        for signs in itertools.product((-1, 1), repeat=len(values))
    ]
    return min(results), max(results)
