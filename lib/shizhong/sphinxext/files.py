"""Files written beside the HTML pages: the PDF edition and the root redirect page.

The PDF is copied into the HTML output here and nowhere else: ``make book`` builds the PDF
first (``tools/build_pdf.py``), then the HTML, whose build copies it beside the pages so the
sidebar link resolves. The root ``index.html`` is a redirect to the landing page with a
language and a title (sphinx-external-toc's stub has neither).
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from shizhong.bilingual import edition

from .metadata import PDF_NAMES
from .page_metadata import page_context

__all__ = ["copy_pdf", "write_redirect"]

logger = logging.getLogger(__name__)


def copy_pdf(app: Sphinx, exception: Exception | None) -> None:
    """Put the built PDF (``<build>/pdf/``) beside the HTML, so the sidebar link resolves."""
    if exception is not None or app.builder.format != "html":
        return
    name = PDF_NAMES[edition(app.config.language)]
    # The English build's outdir is <root>/_build/html; the Chinese edition builds in a tree
    # of its own, so its PDF is found under the book's root.
    pdf = Path(app.outdir).parent / "pdf" / name
    if not pdf.is_file():
        pdf = Path(app.confdir) / "_build" / "pdf" / name
    target = Path(app.outdir) / name
    if pdf.is_file():
        data = pdf.read_bytes()
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
    else:
        logger.info("shizhong: no %s yet; `make pdf` builds it (make book does both)", pdf)


def write_redirect(app: Sphinx, exception: Exception | None) -> None:
    """Write ``index.html``: a redirect to the root document, with ``lang`` and a title."""
    if exception is not None or app.builder.name != "html" or app.config.root_doc == "index":
        return
    target = f"{app.config.root_doc}.html"
    page = app.builder.templates.render(
        "shizhong-redirect.html",
        {
            "language": (app.config.language or "en").replace("_", "-"),  # BCP 47: zh-CN
            "title": app.config.project,
            "target": target,
            "favicon": Path(app.config.html_favicon or "").name,
            **page_context(app, lambda name: name),
        },
    )
    (Path(app.outdir) / "index.html").write_text(page, encoding="utf-8")
