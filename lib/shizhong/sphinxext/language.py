"""Chinese runs in the English pages carry ``lang="zh-CN"``.

For HTML builders, every run of Chinese characters in a text node goes into an inline
node with the class ``language-zh-CN``, which docutils writes as ``<span lang="zh-CN">``.
Screen readers then switch voice, and browsers pick Simplified Chinese glyphs. A read-time
transform covers titles (the sidebar copies them early) and a post-transform what is
resolved late (glued values); highlighted code blocks are marked in the page body. Chart
text is marked by the chart's own HTML (``shizhong.sphinxext.mime``) and its draw script.
"""

from __future__ import annotations

import re
from typing import Any, Final

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

from shizhong.bilingual import ZH_CN, edition

__all__ = [
    "CJK_RUN",
    "LANG",
    "MarkChinese",
    "MarkChineseTitles",
    "mark",
    "mark_code_blocks",
    "split_runs",
]

LANG: Final = ZH_CN
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


def _chinese_edition(app: Any) -> bool:
    """The Chinese edition's pages are zh-CN as a whole: nothing to mark there."""
    return edition(app.config.language) == "zh"


def mark(document: nodes.Node) -> None:
    """Wrap every run of Chinese in the text nodes of ``document`` in a lang-marked inline."""
    for text in list(document.findall(nodes.Text)):
        if not CJK_RUN.search(text) or _marked(text):
            continue
        replacement: list[nodes.Node] = [
            nodes.inline(piece, piece, classes=[f"language-{LANG}"])
            if chinese
            else nodes.Text(piece)
            for piece, chinese in split_runs(str(text))
        ]
        text.parent.replace(text, replacement)


class MarkChineseTitles(SphinxTransform):
    """At read time (HTML builders): section titles, which the sidebar and the page
    navigation copy before any post-transform runs, and all static text."""

    default_priority = 700

    def apply(self, **kwargs: Any) -> None:
        if self.app.builder.format == "html" and not _chinese_edition(self.app):
            mark(self.document)


class MarkChinese(SphinxPostTransform):
    """At write time: text resolved late, such as glued values (HTML output only)."""

    default_priority = 900  # after myst-nb's glue (and every other) post-transform
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        if not _chinese_edition(self.app):
            mark(self.document)


_TAG: Final = re.compile(r"(<[^>]+>)")
_PRE: Final = re.compile(r"(<pre\b[^>]*>)(.*?)(</pre>)", re.DOTALL)


def _mark_html_text(fragment: str) -> str:
    out = []
    for part in _TAG.split(fragment):
        if part.startswith("<"):
            out.append(part)
        else:
            out.append(CJK_RUN.sub(lambda m: f'<span lang="{LANG}">{m.group()}</span>', part))
    return "".join(out)


def mark_code_blocks(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Chinese in highlighted code blocks (rendered by Pygments, not from text nodes)."""
    if _chinese_edition(app):
        return
    body = context.get("body")
    if isinstance(body, str) and "<pre" in body and CJK_RUN.search(body):
        context["body"] = _PRE.sub(
            lambda m: m.group(1) + _mark_html_text(m.group(2)) + m.group(3), body
        )
