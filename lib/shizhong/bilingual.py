"""A text given once in both of the book's languages, and the editions' constants.

A chapter writes each title, label and description once, as a pair::

    T("Reported growth rates", "报告的增长率")

and the chart builders, :func:`shizhong.show.both` and :class:`shizhong.glue.Glue` pick the
language of the edition they build (:func:`resolve`). A pair is never silently turned into
one language: ``str(pair)`` and f-strings raise, so an English text cannot leak into the
Chinese edition.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    import pandas as pd

#: The book's editions, in the order their outputs are stored.
LANGS: Final = ("en", "zh")
#: The language of the Chinese edition, as HTML and Sphinx name it.
ZH_CN: Final = "zh-CN"
#: The prefix of a value glued for the Chinese edition: ``zh:key`` beside ``key``
#: (:mod:`shizhong.glue`); the book's Sphinx extension renames it to ``key`` in that edition.
ZH: Final = "zh:"


def edition(language: str | None) -> str:
    """The edition of a Sphinx ``language``: 'zh_CN' (or 'zh-CN', 'zh') → 'zh', else 'en'."""
    return "zh" if (language or "").lower().startswith("zh") else "en"


def check_lang(lang: str) -> str:
    """``lang`` if it is an edition's language, else ValueError."""
    if lang not in LANGS:
        raise ValueError(f"no edition {lang!r}: one of {', '.join(LANGS)}")
    return lang


@dataclass(frozen=True, slots=True)
class T:
    """One text in English (``en``) and Simplified Chinese (``zh``)."""

    en: str
    zh: str

    @classmethod
    def same(cls, text: str) -> T:
        """A text written alike in both editions (a quote of the article, a name)."""
        return cls(text, text)

    def __call__(self, lang: str) -> str:
        """The text in ``lang``."""
        return self.zh if check_lang(lang) == "zh" else self.en

    def __add__(self, other: T | str) -> T:
        if isinstance(other, T):
            return T(self.en + other.en, self.zh + other.zh)
        if isinstance(other, str):
            return T(self.en + other, self.zh + other)
        return NotImplemented

    def __radd__(self, other: str) -> T:
        if isinstance(other, str):
            return T(other + self.en, other + self.zh)
        return NotImplemented

    def format(self, *args: Any, **kwargs: Any) -> T:
        """Fill ``{}`` fields in each language; a pair argument gives each its own text."""
        return T(
            self.en.format(*resolve(args, "en"), **resolve(kwargs, "en")),
            self.zh.format(*resolve(args, "zh"), **resolve(kwargs, "zh")),
        )

    def join(self, parts: Iterable[T | str]) -> T:
        """The parts joined by this separator, in each language."""
        items = list(parts)
        return T(self.en.join(resolve(items, "en")), self.zh.join(resolve(items, "zh")))

    def map(self, function: Callable[[str], str]) -> T:
        """``function`` applied to each language's text."""
        return T(function(self.en), function(self.zh))

    def __str__(self) -> str:
        raise TypeError(f"{self!r} has two languages: resolve it (pair('en'), pair.zh)")

    def __format__(self, spec: str) -> str:
        raise TypeError(f"{self!r} has two languages: use T.format, not an f-string")


def pairs(en: Iterable[str], zh: Iterable[str]) -> list[T]:
    """Pair two equally long lists of texts."""
    return [T(e, z) for e, z in zip(en, zh, strict=True)]


def column(frame: pd.DataFrame, stem: str) -> list[T]:
    """The pairs of a frame's two columns ``<stem>_en`` and ``<stem>_zh``, row by row."""
    return pairs(frame[f"{stem}_en"], frame[f"{stem}_zh"])


def resolve(value: Any, lang: str) -> Any:
    """``value`` with every pair in it replaced by its ``lang`` text: in a frame's cells,
    column names and index, and in lists, tuples and dicts (keys too)."""
    if isinstance(value, T):
        return value(lang)
    pd = sys.modules.get("pandas")  # a frame exists only once pandas is imported
    if pd is not None and isinstance(value, pd.DataFrame):
        if not _has_pairs(value):
            return value
        out = value.map(lambda cell: resolve(cell, lang))
        out.columns = [resolve(c, lang) for c in value.columns]
        out.index = pd.Index([resolve(i, lang) for i in value.index], name=value.index.name)
        return out
    if pd is not None and isinstance(value, pd.Series):
        return value.map(lambda cell: resolve(cell, lang)) if _has_pairs(value) else value
    if isinstance(value, Mapping):
        return {resolve(k, lang): resolve(v, lang) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(resolve(v, lang) for v in value)
    return value


def _has_pairs(value: pd.DataFrame | pd.Series) -> bool:
    frame = value.to_frame() if value.ndim == 1 else value
    labels = [*frame.columns, *frame.index]
    if any(isinstance(label, T) for label in labels):
        return True
    objects = [frame.iloc[:, c] for c in range(frame.shape[1]) if frame.dtypes.iloc[c] == "object"]
    return any(isinstance(cell, T) for col in objects for cell in col)
