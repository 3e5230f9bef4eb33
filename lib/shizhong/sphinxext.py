"""Sphinx extension for the book's charts (load with ``extra_extensions: [shizhong.sphinxext]``).

* Writes ``_static/vega-bundle.js``: vl-convert's self-contained vega + vega-lite +
  vega-embed bundle, wrapped in an IIFE (so it cannot clash with ``doctools.js``), which
  sets ``window.vega``, ``window.vegaLite`` and ``window.vegaEmbed``. Charts then render
  with no network access.
* Adds that script (``defer``) and ``_static/shizhong-charts.css`` only to pages whose body
  contains a chart container (``class="shizhong-chart"``, see ``shizhong.render``).
* With ``shizhong_drop_fontawesome = True`` (default) the pydata theme's 1.5 MB
  ``fontawesome.js`` is not loaded: the theme's CSS already ships the Font Awesome
  webfont and icon classes, so ``<i class="fa-...">`` icons still show.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Final

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

__all__ = ["BUNDLE_NAME", "CSS_NAME", "bundle_text", "setup"]

BUNDLE_NAME: Final = "vega-bundle.js"
CSS_NAME: Final = "shizhong-charts.css"
_MARKER: Final = 'class="shizhong-chart"'
_FA_SCRIPT: Final = "_static/scripts/fontawesome.js"

_CSS: Final = """\
/* shizhong chart containers (see shizhong.render / shizhong.sphinxext) */
.shizhong-chart {
  display: inline-block;
  vertical-align: top;
  max-width: 100%;
  overflow-x: auto;
  overflow-y: hidden;
  margin: 0.25rem 0 1rem;
  background: #ffffff; /* same as the chart's own background */
  border-radius: 0.25rem;
  color-scheme: light;
}
.shizhong-chart svg { display: block; max-width: none; }
/* dark mode: the chart is a light card; drop the theme's grey frame around outputs */
html[data-theme="dark"] .bd-content div.cell_output div.output.text_html:has(.shizhong-chart) {
  background-color: transparent;
  padding: 0;
}
#vg-tooltip-element {
  font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC",
    "Microsoft YaHei", sans-serif;
  max-width: min(28rem, 90vw);
}
#vg-tooltip-element table tr td.value { white-space: normal; }
"""

logger = logging.getLogger(__name__)


def bundle_text() -> str:
    """The vl-convert JavaScript bundle, wrapped so its top-level names stay private."""
    import vl_convert as vlc

    from .render import VL_VERSION

    # The stub marks ``snippet`` as required; omitted, vl-convert uses its default snippet,
    # which assigns window.vega / window.vegaLite / window.vegaEmbed.
    bundle = vlc.javascript_bundle(vl_version=VL_VERSION)  # type: ignore[call-arg]
    if "window.vegaEmbed=" not in bundle.replace(" ", ""):
        raise RuntimeError("vl-convert bundle no longer assigns window.vegaEmbed")
    return (
        f"/* vega {vlc.get_vega_version()}, vega-lite {VL_VERSION}, "
        f"vega-embed {vlc.get_vega_embed_version()} (bundled by vl-convert) */\n"
        f"(function () {{\n{bundle}\n}})();\n"
    )


def _drop_fontawesome(app: Sphinx, config: Config) -> None:
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


def _add_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Load the bundle and CSS on pages that contain a chart, once per page."""
    _dedupe_scripts(context)
    if _MARKER in context.get("body", ""):
        app.add_css_file(CSS_NAME)
        app.add_js_file(BUNDLE_NAME, defer="defer")


def _write_static(app: Sphinx) -> None:
    """Write the bundle and CSS into the HTML output's ``_static`` (always fresh).

    Written before the pages, so Sphinx adds a ``?v=<checksum>`` cache-buster to the links.
    """
    if app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    for name, text in ((BUNDLE_NAME, bundle_text()), (CSS_NAME, _CSS)):
        path = static / name
        data = text.encode("utf-8")
        if not path.is_file() or hashlib.sha256(path.read_bytes()).digest() != (
            hashlib.sha256(data).digest()
        ):
            path.write_bytes(data)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the extension's config value and event handlers."""
    app.add_config_value("shizhong_drop_fontawesome", True, "html", types=[bool])
    app.connect("config-inited", _drop_fontawesome)
    app.connect("html-page-context", _add_assets)
    app.connect("builder-inited", _write_static)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
