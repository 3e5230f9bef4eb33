"""Glue formatted figures into a chapter for ``{glue:text}`key``` roles."""

from __future__ import annotations

from collections.abc import Iterable

from shizhong import fmt
from shizhong.dataset import Dataset


def text(key: str, value: str) -> None:
    """Glue one pre-formatted string (strings avoid NumPy format-spec surprises)."""
    from myst_nb import glue as _glue

    _glue(key, str(value), display=False)


def figures(data: Dataset, ids: Iterable[str]) -> None:
    """Glue each indicator under its id, formatted by :func:`shizhong.fmt.figure`."""
    for id_ in ids:
        text(id_, fmt.figure(data.figure(id_)))


def chapter(data: Dataset, chapter: str) -> list[str]:
    """Glue every indicator of a chapter; return the ids glued."""
    ids = list(data.indicators.index[data.indicators["chapter"] == chapter])
    figures(data, ids)
    return ids
