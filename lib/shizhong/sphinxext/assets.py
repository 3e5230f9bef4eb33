"""What each page loads: the chart runtime and CSS on chart pages, the book CSS everywhere.

* Serves the Vega runtime and vega-tooltip, vendored in ``shizhong/static/vendor`` by
  ``tools/vendor_vega.py``, from ``_static``: charts are compiled to Vega when the
  notebooks run, so no Vega-Lite compiler ships. Charts render with no network access.
* Adds those scripts and the book's draw script ``shizhong-charts.js`` (all ``defer``,
  in that order) and ``shizhong-charts.css`` only to pages whose body contains a chart
  container (``class="shizhong-chart"``, see ``shizhong.sphinxext.mime``);
  ``shizhong-book.css`` goes on every page. Both stylesheets are files in
  ``shizhong/static/css``.
* Drops sphinx-design's CSS and JS (Jupyter Book loads the extension; the book uses none
  of its directives) and sphinx-thebe's assets (no live kernels offline), and copybutton's
  and togglebutton's on pages without code blocks or toggles.
* With ``shizhong_drop_fontawesome = True`` (default) the pydata theme's 1.5 MB
  ``fontawesome.js`` is not loaded: the theme's CSS already ships the Font Awesome
  webfont and icon classes, so ``<i class="fa-...">`` icons still show.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any, Final

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

__all__ = ["BOOK_CSS", "CHART_CSS", "DRAW_JS", "SCRIPTS", "stylesheets", "vendored"]

#: Vendored scripts every chart page loads, in order (vega-tooltip reads window.vega).
SCRIPTS: Final = ("vega.min.js", "vega-tooltip.js")
#: The book's draw script, loaded after them (``shizhong/static/js``).
DRAW_JS: Final = "shizhong-charts.js"
#: Stylesheets in ``shizhong/static/css``: one for every page, one for chart pages.
BOOK_CSS: Final = "shizhong-book.css"
CHART_CSS: Final = "shizhong-charts.css"
_STATIC: Final = Path(__file__).resolve().parents[1] / "static"
_MARKER: Final = 'class="shizhong-chart"'
_FA_SCRIPT: Final = "_static/scripts/fontawesome.js"
_UNUSED_ASSETS: Final = ("thebe", "sphinx-design", "design-tabs")

logger = logging.getLogger(__name__)


def vendored() -> dict[str, bytes]:
    """The browser-side chart runtime: Vega, vega-tooltip and the draw script."""
    files = {name: (_STATIC / "vendor" / name).read_bytes() for name in SCRIPTS}
    return {**files, DRAW_JS: (_STATIC / "js" / DRAW_JS).read_bytes()}


def stylesheets() -> dict[str, bytes]:
    """The book's stylesheets, as served from ``_static``."""
    return {name: (_STATIC / "css" / name).read_bytes() for name in (BOOK_CSS, CHART_CSS)}


def drop_fontawesome(app: Sphinx, config: Config) -> None:
    """Shadow the pydata theme's ``static/webpack-macros.html`` without the FA script."""
    if not config.shizhong_drop_fontawesome:
        return
    try:
        import pydata_sphinx_theme
    except ImportError:
        return
    theme_dir = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    source = theme_dir / "static" / "webpack-macros.html"
    if not source.is_file():
        return
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if _FA_SCRIPT not in line]
    if len(kept) == len(lines):
        logger.info("shizhong: no fontawesome.js in the theme macros; nothing to drop")
        return
    target_dir = Path(app.doctreedir) / "shizhong-templates"
    target = target_dir / "static" / "webpack-macros.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(kept)
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    if str(target_dir) not in config.templates_path:
        config.templates_path = [str(target_dir), *config.templates_path]


def _dedupe_scripts(context: dict[str, Any]) -> None:
    """Drop repeated inline scripts (sphinx-thebe's config is emitted twice under JB 1.0.4:
    once with filename ``None``, once ``''``, which Sphinx does not see as equal), which
    otherwise raise "Identifier 'THEBE_JS_URL' has already been declared" on every page."""
    files = context.get("script_files")
    if not isinstance(files, list):
        return
    seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    kept = []
    for asset in files:
        attributes = getattr(asset, "attributes", {})
        key = (getattr(asset, "filename", str(asset)) or "", tuple(sorted(attributes.items())))
        if key not in seen:
            seen.add(key)
            kept.append(asset)
    files[:] = kept


def _drop_unused(context: dict[str, Any]) -> None:
    """Drop assets of extensions Jupyter Book loads but the book does not use: sphinx-thebe
    (off: no live kernels offline; its inline config names a CDN) and sphinx-design."""
    for key in ("script_files", "css_files"):
        files = context.get(key)
        if isinstance(files, list):
            files[:] = [
                f
                for f in files
                if not any(m in (getattr(f, "filename", "") or "") for m in _UNUSED_ASSETS)
                and "THEBE_JS_URL" not in str(getattr(f, "attributes", {}).get("body", ""))
            ]


#: Per-page assets of Jupyter Book's default extensions, kept only where the page has what
#: they act on: (pattern in the page body, file name parts, inline script markers).
_PER_PAGE: Final = (
    # sphinx-copybutton: a copy button on code blocks
    (re.compile(r'class="highlight'), ("copybutton", "clipboard.min.js"), ()),
    # sphinx-togglebutton: show/hide buttons on .toggle and dropdown admonitions
    (
        re.compile(r'class="[^"]*\b(?:toggle|dropdown)\b'),
        ("togglebutton",),
        ("toggleHint", "toggleOpenOnPrint", "togglebuttonSelector"),
    ),
)


def _drop_idle(context: dict[str, Any]) -> None:
    """Drop copybutton's and togglebutton's assets from pages where they have nothing to do
    (about 33 KB of script and CSS per page)."""
    body = context.get("body", "")
    for pattern, names, inline in _PER_PAGE:
        if pattern.search(body):
            continue
        for key in ("script_files", "css_files"):
            files = context.get(key)
            if isinstance(files, list):
                files[:] = [
                    f
                    for f in files
                    if not any(n in (getattr(f, "filename", "") or "") for n in names)
                    and not any(
                        m in str(getattr(f, "attributes", {}).get("body", "")) for m in inline
                    )
                ]


def add_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Load the chart runtime and CSS on pages that contain a chart, once per page."""
    _dedupe_scripts(context)
    _drop_unused(context)
    _drop_idle(context)
    if _MARKER in context.get("body", ""):
        app.add_css_file(CHART_CSS)
        for name in (*SCRIPTS, DRAW_JS):
            app.add_js_file(name, defer="defer")


def write_static(app: Sphinx) -> None:
    """Write the runtime and CSS into the HTML output's ``_static`` (always fresh).

    Written before the pages, so Sphinx adds a ``?v=<checksum>`` cache-buster to the links.
    """
    if app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    for name, data in (*vendored().items(), *stylesheets().items()):
        path = static / name
        if not path.is_file() or hashlib.sha256(path.read_bytes()).digest() != (
            hashlib.sha256(data).digest()
        ):
            path.write_bytes(data)
