"""Glue formatted values into a chapter, for its prose in the book and in JupyterLab.

The prose writes a value as an inline expression over the chapter's two views,
``{eval}`en.key``` in an English cell and ``{eval}`zh.key``` in a Chinese one. JupyterLab
(jupyterlab-myst) shows the result stored in the cell's metadata, or evaluates it after Run
All; the book's Sphinx extension turns the expression into myst-nb's ``{glue:text}`key```,
which pastes the glued value as text. Both read the same :class:`Glue`.

A chapter has one :class:`Glue` (from :func:`shizhong.chapter`); a code cell glues through
``glue.cell()`` and ends with it, so JupyterLab shows a table of the keys that cell glued
and their values (the book removes such cells with the ``remove-cell`` tag). Three kinds of
value are told apart in that table:

* ``figure`` -- an indicator of the dataset, formatted by :func:`shizhong.write.figure`;
* ``value`` -- any other formatted value computed in the cell;
* ``claim`` -- a comparison, ranking or quantified statement computed by a
    :mod:`shizhong.write` helper (``top``, ``ordered``, ``compare``, ``every`` …). Prose may use a
  ranking word (most, every, only …) only in a sentence that glues a claim
  (``tests/test_claims.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from shizhong import show, write
from shizhong.bilingual import LANGS, ZH, T
from shizhong.dataset import Dataset

#: Heading of the table a :class:`Glue` shows; tests find glue tables by it.
HEADER = "| glued key | kind | value | 中文 |"


class Text(str):
    """A glued value whose plain-text display is the text itself (no quotes, no escapes),
    as JupyterLab shows an inline expression's result."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(str(self))


class Values:
    """One language's view of a chapter's glued values: ``en.key`` is a :class:`Text`."""

    def __init__(self, values: dict[str, str], lang: str) -> None:
        self._values = values
        self._lang = lang

    def __getattr__(self, key: str) -> Text:
        if key.startswith("_"):
            raise AttributeError(key)
        try:
            return Text(self._values[key])
        except KeyError:
            raise AttributeError(
                f"no value glued under {key!r} yet ({self._lang}.{key}): glue it in a cell above"
            ) from None

    def __dir__(self) -> list[str]:
        return sorted(self._values)

    def __repr__(self) -> str:
        return f"<{self._lang} values: {len(self._values)} glued>"


@dataclass
class Glue:
    """The values a chapter glues; one per chapter, and ``cell()`` for each code cell.

    Displays as a Markdown table of the keys glued through it (not through its cells)."""

    data: Dataset | None = None
    glued: dict[str, tuple[str, str]] = field(default_factory=dict)
    glued_zh: dict[str, str] = field(default_factory=dict)
    values_en: dict[str, str] = field(default_factory=dict)
    values_zh: dict[str, str] = field(default_factory=dict)

    def cell(self) -> Glue:
        """A glue for one code cell: its table lists that cell's keys, and every value it
        glues is the chapter's (``en.key``, ``zh.key``)."""
        return Glue(self.data, values_en=self.values_en, values_zh=self.values_zh)

    def view(self, lang: str) -> Values:
        """The chapter's values in ``lang`` (en or zh), as the prose reads them."""
        if lang not in LANGS:
            raise ValueError(f"no edition {lang!r}: one of {', '.join(LANGS)}")
        return Values(self.values_zh if lang == "zh" else self.values_en, lang)

    def _put(self, key: str, value: T | str, kind: str, zh: str | None) -> Glue:
        from myst_nb import glue as _glue

        if isinstance(value, T):
            if zh is not None:
                raise ValueError(f"{key}: a pair already holds the Chinese value")
            value, zh = value.en, value.zh
        if zh is None:
            raise ValueError(f"{key}: the Chinese edition needs a Chinese value (a T pair)")
        if not key.isidentifier() or key.startswith("_"):
            raise ValueError(f"{key!r}: a glue key is a Python name (prose writes en.{key})")
        if key in self.values_en:
            raise ValueError(f"{key!r} is glued twice in this chapter")
        _glue(key, value, display=False)
        _glue(ZH + key, str(zh), display=False)
        self.glued[key] = (kind, value)
        self.glued_zh[key] = str(zh)
        self.values_en[key] = value
        self.values_zh[key] = str(zh)
        return self

    def text(self, key: str, value: T | str, zh: str | None = None) -> Glue:
        """Glue one value in both languages: a :class:`~shizhong.bilingual.T` pair (from
        :mod:`shizhong.write`), or an English string and its Chinese form ``zh``."""
        return self._put(key, value if isinstance(value, T) else str(value), "value", zh)

    def claim(self, key: str, value: T | str, zh: str | None = None) -> Glue:
        """Glue a computed comparison or ranking (from :mod:`shizhong.write`), in both
        languages."""
        return self._put(key, value if isinstance(value, T) else str(value), "claim", zh)

    def figures(self, ids: Iterable[str]) -> Glue:
        """Glue each indicator under its id, formatted by :func:`shizhong.write.figure`."""
        if self.data is None:
            raise ValueError("Glue(data) is needed to glue figures")
        for id_ in ids:
            row = self.data.figure(id_)
            self._put(id_, write.figure(row), "figure", None)
        return self

    def chapter(self, chapter: str) -> list[str]:
        """Glue every indicator of a chapter; return the ids glued."""
        if self.data is None:
            raise ValueError("Glue(data) is needed to glue a chapter")
        ind = self.data.indicators
        ids = [str(i) for i in ind.index[ind["chapter"] == chapter]]
        self.figures(ids)
        return ids

    def __getitem__(self, key: str) -> str:
        """The value glued under ``key`` in this chapter."""
        return self.values_en[key]

    def zh(self, key: str) -> str:
        """The Chinese value glued under ``key`` in this chapter."""
        return self.values_zh[key]

    def pair(self, key: str) -> T:
        """The value glued under ``key`` in this chapter, in both languages."""
        return T(self.values_en[key], self.values_zh[key])

    def get(self, key: str, lang: str) -> str:
        """The value glued under ``key`` in ``lang`` (en or zh)."""
        return self.zh(key) if lang == "zh" else self[key]

    def _repr_markdown_(self) -> str:
        lines = [HEADER, "| :-- | :-- | :-- | :-- |"]
        for key, (kind, value) in self.glued.items():
            en, zh = (show.markdown_text(v) for v in (value, self.glued_zh[key]))
            lines.append(f"| {show.code(key)} | {kind} | {en} | {zh} |")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return "\n".join(
            f"{key} ({kind}): {value} / {self.glued_zh[key]}"
            for key, (kind, value) in self.glued.items()
        )
