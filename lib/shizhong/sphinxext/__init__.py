"""Sphinx extension of the book (load with ``extra_extensions: [shizhong.sphinxext]``).

One module per concern:

* :mod:`.assets` -- the chart runtime (Vega, vega-tooltip) and CSS files, only where needed;
  drops assets of unused extensions and the theme's 1.5 MB ``fontawesome.js``.
* :mod:`.metadata` -- version, commit and release date (``{{ version }}``, ``{{ commit }}``,
  ``{{ date }}`` in MyST), favicon, sidebar, footer, and the PDF's title page, metadata and
  XMP, read from ``CITATION.cff``.
* :mod:`.page_metadata` -- citation metadata in every page: ``citation_*`` and ``DC.*`` meta tags,
  schema.org JSON-LD (the book and its data package).
* :mod:`.files` -- the PDF edition copied beside the HTML, and the root redirect page.
* :mod:`.editions` -- the English or the Chinese edition of each notebook and page.
* :mod:`.language` -- ``lang="zh-CN"`` on every run of Chinese text.
* :mod:`.bibliography` -- accessible markup for the references list; Chinese citations.
* :mod:`.notebook_errors` -- a notebook with a stored error output fails the build.
* :mod:`.codewrap` -- long lines of Chinese in the PDF's code blocks wrap.

Two more parts of the build load on their own:

* :mod:`.mime` -- the charts' myst-nb mime renderer (the ``myst_nb.mime_renderers`` entry
  point in pyproject.toml): Vega HTML in the book, vector PDFs in LaTeX.
* :mod:`.verbatim` -- data text shown exactly as written (a Sphinx extension of its own,
  in ``extra_extensions``).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from . import (
    assets,
    bibliography,
    codewrap,
    editions,
    files,
    language,
    metadata,
    notebook_errors,
    page_metadata,
    search,
)

__all__ = ["setup"]


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the extension's config value, node visitors, transforms and handlers."""
    app.add_config_value("shizhong_drop_fontawesome", True, "html", types=[bool])
    app.add_css_file(assets.BOOK_CSS)
    bibliography.register_styles()
    app.add_node(
        nodes.citation,
        override=True,
        html=(bibliography.visit_citation, bibliography.depart_citation),
    )
    app.add_transform(language.MarkChineseTitles)
    app.add_post_transform(language.MarkChinese)
    app.add_post_transform(codewrap.WrapChineseCode)
    app.connect("config-inited", assets.drop_fontawesome)
    app.connect("config-inited", metadata.book_metadata)
    app.connect("config-inited", search.user_dictionary)
    app.connect("builder-inited", assets.write_static)
    app.connect("builder-inited", bibliography.chinese_fields, priority=600)  # after bibtex
    app.connect("source-read", editions.read_edition, priority=400)  # before other readers
    app.connect("source-read", notebook_errors.stored_errors)
    app.connect("html-page-context", assets.add_assets)
    app.connect("html-page-context", language.mark_code_blocks)
    app.connect("html-page-context", page_metadata.add_metadata)
    app.connect("html-page-context", metadata.one_viewport)
    app.connect("build-finished", files.copy_pdf)
    app.connect("build-finished", files.write_redirect, priority=400)  # before etoc's stub
    return {"version": "1.1", "parallel_read_safe": True, "parallel_write_safe": True}
