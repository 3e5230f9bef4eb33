"""Glue formatted values into a chapter for ``{glue:text}`key``` roles, and show them.

A code cell glues through one :class:`Glue` and ends with it: in JupyterLab the cell then
shows a table of the keys it glued and their values (the book removes such cells with the
``remove-cell`` tag). Three kinds of value are told apart in that table:

* ``figure`` -- an indicator of the dataset, formatted by :func:`shizhong.fmt.figure`;
* ``value`` -- any other formatted value computed in the cell;
* ``claim`` -- a comparison, ranking or quantified statement computed by a
  :mod:`shizhong.fmt` helper (``top``, ``ordered``, ``compare``, ``every`` …). Prose may use a
  ranking word (most, every, only …) only in a sentence that glues a claim
  (``tests/test_claims.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from shizhong import fmt, show
from shizhong.dataset import Dataset

KINDS = ("figure", "value", "claim")
#: Heading of the table a :class:`Glue` shows; tests find glue tables by it.
HEADER = "| glued key | kind | value | 中文 |"
#: Namespace of the Chinese value of a key: ``zh:key``. The book's Sphinx extension
#: (:mod:`shizhong.sphinxext.editions`) renames it to ``key`` in the Chinese edition.
ZH = "zh:"


@dataclass
class Glue:
    """The values one code cell glues, in order; displays as a Markdown table."""

    data: Dataset | None = None
    glued: dict[str, tuple[str, str]] = field(default_factory=dict)
    glued_zh: dict[str, str] = field(default_factory=dict)

    def _put(self, key: str, value: str, kind: str, zh: str | None) -> Glue:
        from myst_nb import glue as _glue

        if zh is None:
            raise ValueError(f"{key}: the Chinese edition needs a Chinese value (zh=...)")
        _glue(key, value, display=False)
        _glue(ZH + key, str(zh), display=False)
        self.glued[key] = (kind, value)
        self.glued_zh[key] = str(zh)
        return self

    def text(self, key: str, value: str, zh: str | None = None) -> Glue:
        """Glue one formatted string and its Chinese form (``zh``, required)."""
        return self._put(key, str(value), "value", zh)

    def claim(self, key: str, value: str, zh: str | None = None) -> Glue:
        """Glue a computed comparison or ranking (from :mod:`shizhong.fmt` and
        :mod:`shizhong.chinese`), in English and Chinese."""
        return self._put(key, str(value), "claim", zh)

    def figures(self, ids: Iterable[str]) -> Glue:
        """Glue each indicator under its id, formatted by :func:`shizhong.fmt.figure`."""
        if self.data is None:
            raise ValueError("Glue(data) is needed to glue figures")
        for id_ in ids:
            row = self.data.figure(id_)
            self._put(id_, fmt.figure(row), "figure", fmt.figure(row, lang="zh"))
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
        """The value glued under ``key``."""
        return self.glued[key][1]

    def zh(self, key: str) -> str:
        """The Chinese value glued under ``key``."""
        return self.glued_zh[key]

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
