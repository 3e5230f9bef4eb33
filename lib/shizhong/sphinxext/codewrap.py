"""Code blocks in the PDF: a long line of Chinese wraps, so an entry can be copied whole.

Sphinx wraps a long code line at spaces and punctuation, and with ``verbatimforcewraps`` at
any character (see ``shizhong.sphinxext.metadata.LAYOUT``), but not inside a run of Chinese
characters, which xeCJK sets unbreakably in code: the Chinese BibTeX entry of How to cite ran
369 pt off the page. Before the LaTeX writer sees them, such lines of a BibTeX (or plain text)
block are broken between Chinese characters, after punctuation where possible, into lines
that fit; the continuation keeps the line's indentation. Inside a BibTeX field a line break is
white space, which TeX ignores between Chinese characters, so the entry copied from the PDF
still reads as written. JSON blocks are left alone (a string may not span lines).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Final

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

#: Columns of a code line that fit the PDF's text block (9 pt monospace: 4.7 pt a column,
#: a Chinese character two), with room for the frame.
COLUMNS: Final = 88
LANGUAGES: Final = {"bibtex", "bib", "text", "none", "default", ""}
_BREAK_AFTER: Final = set("，。；：、）」』”,;:")


def _cols(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def wrap_line(line: str, columns: int = COLUMNS) -> list[str]:
    """``line`` broken between Chinese characters into lines of at most ``columns``."""
    if sum(map(_cols, line)) <= columns or not any(map(_is_cjk, line)):
        return [line]
    indent = re.match(r"\s*", line).group(0) + "  "  # type: ignore[union-attr]
    out, rest = [], line
    while sum(map(_cols, rest)) > columns:
        width, cut, best = 0, 0, 0
        for i, ch in enumerate(rest):
            width += _cols(ch)
            if width > columns:
                break
            nxt = rest[i + 1] if i + 1 < len(rest) else ""
            if nxt and (_is_cjk(ch) or _is_cjk(nxt)) and not nxt.isspace():
                cut = i + 1
                if ch in _BREAK_AFTER:
                    best = i + 1
        cut = best if best > cut // 2 else cut
        if cut <= len(indent):
            break
        out.append(rest[:cut])
        rest = indent + rest[cut:]
    return [*out, rest]


class WrapChineseCode(SphinxPostTransform):
    """Break long lines of Chinese in the PDF's BibTeX and text code blocks."""

    default_priority = 400
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for block in self.document.findall(nodes.literal_block):
            if str(block.get("language", "")).lower() not in LANGUAGES:
                continue
            text = block.astext()
            wrapped = "\n".join(w for line in text.split("\n") for w in wrap_line(line))
            if wrapped != text:
                block.children = [nodes.Text(wrapped)]
                block.rawsource = wrapped
