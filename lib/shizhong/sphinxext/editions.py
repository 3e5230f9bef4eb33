"""Two editions from one set of executed notebooks: the build's ``language`` picks one.

A notebook holds both languages. Markdown cells tagged ``en`` or ``zh`` belong to one
edition (untagged cells to both); a displayed output with the metadata ``{"lang": ...}``
belongs to one edition; a glued value ``key`` is English and ``zh:key`` its Chinese form;
a figure cell's ``mystnb.figure.caption_zh`` is its Chinese caption. On ``source-read``
this module hands MyST-NB the notebook of the edition being built: the other edition's
cells and outputs dropped, and in the Chinese edition ``zh:key`` renamed to ``key``. The
prose's inline expressions, ``{eval}`en.key``` and ``{eval}`zh.key``` (which JupyterLab
shows), become myst-nb's ``{glue:text}`key```, which pastes the glued value as text; an
expression of the other language, or anything but a glued value, stops the build. The
prose's references are Markdown links that JupyterLab can show (:data:`REFERENCES`), and
become the book's roles: a chapter link ``{doc}``, a figure link ``{numref}`` (the book
numbers figures across chapters), a link to a reference ``{cite}`` and a data file
``{download}``. A Markdown page
``page.md`` has its Chinese text in ``page.zh.md``. Both editions are thus built from the
very outputs that strict nbval verifies.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from shizhong import prose
from shizhong.bilingual import LANGS, ZH, edition

__all__ = ["edition", "filter_notebook", "read_edition"]

logger = logging.getLogger(__name__)

_GLUE: Final = "scrapbook"


def _glue_name(output: dict[str, Any]) -> str | None:
    name = output.get("metadata", {}).get(_GLUE, {}).get("name")
    return name if isinstance(name, str) else None


def _keep_output(output: dict[str, Any], lang: str) -> bool:
    other = LANGS[1 - LANGS.index(lang)]
    if output.get("metadata", {}).get("lang") == other:
        return False
    name = _glue_name(output)
    if name is None:
        return True
    return name.startswith(ZH) == (lang == "zh")


def _rename_glue(output: dict[str, Any]) -> dict[str, Any]:
    name = _glue_name(output)
    if name is not None and name.startswith(ZH):
        output["metadata"][_GLUE]["name"] = name.removeprefix(ZH)
    return output


#: The prose's links, as JupyterLab shows them, and the book's role for each.
REFERENCES: Final = (
    # [Reported growth rates](economy.ipynb#fig-economy-growth) → {numref}`fig-economy-growth`
    (re.compile(r"\[[^\]\n]+\]\([\w-]+\.ipynb#((?:fig|tbl)-[\w-]+)\)"), r"{numref}`\1`"),
    # [朱振 and 李猛, 2020](references.md#zhu_li_2020) → {cite}`zhu_li_2020`
    (re.compile(r"\[[^\]\n]+\]\(references\.md#([\w-]+)\)"), r"{cite}`\1`"),
    # [Methods and fact-check](methods.ipynb) → {doc}`Methods and fact-check <methods>`
    (re.compile(r"\[([^\]\n<>`]+)\]\(([\w-]+)\.(?:ipynb|md)\)"), r"{doc}`\1 <\2>`"),
    # [indicators.csv](../data/indicators.csv) → {download}`indicators.csv </data/indicators.csv>`
    (re.compile(r"\[([^\]\n<>`]+)\]\(\.\./(data/[\w./-]+)\)"), r"{download}`\1 </\2>`"),
)


def book_roles(source: str, lang: str, warn: Callable[[str], None] | None = None) -> str:
    """One Markdown source of edition ``lang`` with the book's roles: glued values for
    ``{eval}`lang.key```, and numbered or cited references for the links Lab shows.

    An expression the prose may not use raises :class:`ExtensionError`, or, given ``warn``,
    is reported through it and left as inline code (the build then fails on the warning,
    and ``--keep-going`` still reports every other fault)."""
    for link, role in REFERENCES:
        source = link.sub(role, source)
    return glue_roles(source, lang, warn)


def glue_roles(source: str, lang: str, warn: Callable[[str], None] | None = None) -> str:
    """``{eval}`lang.key``` → ``{glue:text}`key``` in one Markdown source of edition ``lang``."""

    def role(match: re.Match[str]) -> str:
        try:
            expression_lang, key = prose.parse(match.group(1))
            if expression_lang != lang:
                raise ValueError(f"{match.group(0)} in a cell of the {lang} edition")
        except ValueError as error:
            if warn is None:
                raise ExtensionError(str(error)) from None
            warn(str(error))
            return "``" + match.group(1).replace("`", "") + "``"
        return f"{{glue:text}}`{key}`"

    return prose.EXPRESSION.sub(role, source)


def filter_notebook(
    nb: dict[str, Any], lang: str, book: bool = True, warn: Callable[[str], None] | None = None
) -> dict[str, Any]:
    """The notebook ``nb`` (nbformat JSON) as the ``lang`` edition shows it: with the book's
    roles, or (``book=False``) with the prose as JupyterLab shows it."""
    cells = []
    for cell in nb.get("cells", []):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & set(LANGS) and lang not in tags:
            continue
        if cell.get("cell_type") == "markdown" and book:
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            cell["source"] = book_roles(source, lang, warn)
            cell.get("metadata", {}).pop(prose.METADATA, None)
        if "outputs" in cell:
            cell["outputs"] = [o for o in cell["outputs"] if _keep_output(o, lang)]
            if lang == "zh":
                cell["outputs"] = [_rename_glue(o) for o in cell["outputs"]]
        fig = cell.get("metadata", {}).get("mystnb", {}).get("figure")
        if isinstance(fig, dict) and "caption_zh" in fig:
            caption_zh = fig.pop("caption_zh")
            if lang == "zh":
                fig["caption"] = caption_zh
        cells.append(cell)
    nb["cells"] = cells
    return nb


def read_edition(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``: give MyST-NB this edition's notebook, or this edition's Markdown page."""
    lang = edition(app.config.language)
    path = Path(app.env.doc2path(docname))
    if path.suffix == ".ipynb":
        nb = json.loads(source[0])

        def warn(message: str) -> None:
            logger.warning(message, location=docname)

        source[0] = json.dumps(filter_notebook(nb, lang, warn=warn), ensure_ascii=False)
    elif path.suffix == ".md" and lang == "zh":
        translated = path.with_suffix(".zh.md")
        if translated.exists():
            source[0] = translated.read_text(encoding="utf-8")
