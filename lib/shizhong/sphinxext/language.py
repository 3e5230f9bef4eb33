"""Chinese runs in the English pages carry ``lang="zh-CN"``.

A post-transform (HTML builders only) wraps every run of Chinese characters in a text node
in an inline node with the class ``language-zh-CN``, which docutils writes as
``<span lang="zh-CN">``. Screen readers then switch voice, and browsers pick Simplified
Chinese glyphs. Glued values are resolved by then (this runs after myst-nb's glue
post-transform), and so are Markdown table outputs. Chart text is marked by the chart's
own HTML (``shizhong.mime``).
"""

from __future__ import annotations

import re
from typing import Any, Final

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

__all__ = ["CJK_RUN", "LANG", "MarkChinese", "split_runs"]

LANG: Final = "zh-CN"
_CJK: Final = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
#: A run of Chinese: CJK characters, with spaces, digits and quotes allowed between them.
CJK_RUN: Final = re.compile(rf"[{_CJK}]+(?:[\s\d.,:%·“”‘’\"'()]*[{_CJK}]+)*")
_SKIP: Final = (nodes.literal_block, nodes.raw, nodes.math, nodes.math_block, nodes.comment)


def split_runs(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is_chinese) pieces, in order."""
    pieces: list[tuple[str, bool]] = []
    at = 0
    for match in CJK_RUN.finditer(text):
        if match.start() > at:
            pieces.append((text[at : match.start()], False))
        pieces.append((match.group(), True))
        at = match.end()
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces


def _marked(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, _SKIP):
            return True
        if any(str(c).startswith("language-") for c in parent.get("classes", [])):
            return True
        parent = parent.parent
    return False


class MarkChinese(SphinxPostTransform):
    """Wrap runs of Chinese text in ``<span lang="zh-CN">`` (HTML output only)."""

    default_priority = 900  # after myst-nb's glue (and every other) post-transform
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for text in list(self.document.findall(nodes.Text)):
            if not CJK_RUN.search(text) or _marked(text):
                continue
            pieces = split_runs(str(text))
            replacement: list[nodes.Node] = [
                nodes.inline(piece, piece, classes=[f"language-{LANG}"])
                if chinese
                else nodes.Text(piece)
                for piece, chinese in pieces
            ]
            text.parent.replace(text, replacement)
