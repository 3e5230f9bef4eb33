"""Two editions from one set of executed notebooks: the build's ``language`` picks one.

A notebook holds both languages. Markdown cells tagged ``en`` or ``zh`` belong to one
edition (untagged cells to both); a displayed output with the metadata ``{"lang": ...}``
belongs to one edition; a glued value ``key`` is English and ``zh:key`` its Chinese form;
a figure cell's ``mystnb.figure.caption_zh`` is its Chinese caption. On ``source-read``
this module hands MyST-NB the notebook of the edition being built: the other edition's
cells and outputs dropped, and in the Chinese edition ``zh:key`` renamed to ``key``, so
the Chinese prose uses the same ``{glue:text}`key``` roles as the English. A Markdown page
``page.md`` has its Chinese text in ``page.zh.md``. Both editions are thus built from the
very outputs that strict nbval verifies.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

from sphinx.application import Sphinx

__all__ = ["edition", "filter_notebook", "read_edition"]

LANGS: Final = ("en", "zh")
ZH: Final = "zh:"  # the namespace of Chinese glue (shizhong.glue.ZH)
_GLUE: Final = "scrapbook"


def edition(language: str | None) -> str:
    """The edition of a Sphinx ``language``: 'zh_CN' → 'zh', anything else → 'en'."""
    return "zh" if (language or "").lower().startswith("zh") else "en"


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


def filter_notebook(nb: dict[str, Any], lang: str) -> dict[str, Any]:
    """The notebook ``nb`` (nbformat JSON) as the ``lang`` edition shows it."""
    cells = []
    for cell in nb.get("cells", []):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & set(LANGS) and lang not in tags:
            continue
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
        source[0] = json.dumps(filter_notebook(nb, lang), ensure_ascii=False)
    elif path.suffix == ".md" and lang == "zh":
        translated = path.with_suffix(".zh.md")
        if translated.exists():
            source[0] = translated.read_text(encoding="utf-8")
