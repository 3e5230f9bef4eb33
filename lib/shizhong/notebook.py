"""The one preamble of a chapter notebook: load, render, glue."""

from __future__ import annotations

from typing import NamedTuple

from shizhong.dataset import Dataset, load
from shizhong.glue import Glue, Values


class Chapter(NamedTuple):
    """What a chapter's first cell gets: the dataset, the chapter's glue, and its English and
    Chinese values for the prose (``{eval}`en.key```, ``{eval}`zh.key```)."""

    data: Dataset
    glue: Glue
    en: Values
    zh: Values


def chapter(name: str | None = None, charts: bool = True) -> Chapter:
    """Set up a chapter notebook and glue every indicator whose ``chapter`` is ``name``.

    Loads and validates the dataset, switches Altair to the book's offline renderer and
    theme (``charts=False`` for pages without charts), and returns ``(data, glue, en, zh)``;
    end the cell with ``glue`` so JupyterLab shows the keys glued::

        data, glue, en, zh = sz.chapter("economy")
        glue
    """
    data = load()
    if charts:
        from shizhong import render

        render.use_renderer()
    glue = Glue(data)
    if name is not None:
        chapters = set(data.indicators["chapter"])
        if name not in chapters:
            raise ValueError(f"no indicator has chapter {name!r}; chapters: {sorted(chapters)}")
        glue.chapter(name)
    return Chapter(data, glue, glue.view("en"), glue.view("zh"))
