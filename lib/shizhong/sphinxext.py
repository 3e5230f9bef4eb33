"""Sphinx extension for the book's charts (load with ``extra_extensions: [shizhong.sphinxext]``).

* Serves the Vega runtime and vega-tooltip, vendored in ``shizhong/static/vendor`` by
  ``tools/vendor_vega.py``, from ``_static``: charts are compiled to Vega when the
  notebooks run, so no Vega-Lite compiler ships. Charts render with no network access.
* Adds those scripts (``defer``) and ``_static/shizhong-charts.css`` only to pages whose
  body contains a chart container (``class="shizhong-chart"``, see ``shizhong.render``).
* Drops sphinx-design's CSS and JS (Jupyter Book loads the extension; the book uses none
  of its directives) and sphinx-thebe's assets (no live kernels offline).
* Sets the book's version, commit and date (``{{ version }}``, ``{{ commit }}``,
  ``{{ date }}`` in MyST) from the package and git, the date from SOURCE_DATE_EPOCH,
  and writes them, with the citation, onto the PDF's title page and metadata.
* Fails the build (a warning, with ``-W``) when a notebook has a stored error output.
* Adds a favicon and a sidebar link to the PDF edition.
* With ``shizhong_drop_fontawesome = True`` (default) the pydata theme's 1.5 MB
  ``fontawesome.js`` is not loaded: the theme's CSS already ships the Font Awesome
  webfont and icon classes, so ``<i class="fa-...">`` icons still show.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
from pathlib import Path
from typing import Any, Final

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

__all__ = ["CSS_NAME", "SCRIPTS", "setup", "vendored"]

#: Scripts every chart page loads, in order (vega-tooltip reads helpers from window.vega).
SCRIPTS: Final = ("vega.min.js", "vega-tooltip.js")
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

#: Every page: CJK text in a CJK sans face (if the reader has one; nothing is downloaded),
#: before the generic fallback that otherwise picks whatever CJK font the system prefers.
BOOK_CSS_NAME: Final = "shizhong-book.css"
_BOOK_CSS: Final = """\
/* shizhong: CJK faces for Chinese terms and quotes, ahead of the generic families */
html {
  --pst-font-family-base: system-ui, "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
    "Microsoft YaHei", sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji";
  --pst-font-family-heading: var(--pst-font-family-base);
}
"""

logger = logging.getLogger(__name__)


def vendored() -> dict[str, bytes]:
    """The browser-side chart runtime: Vega and vega-tooltip, as served from ``_static``."""
    vendor = Path(__file__).parent / "static" / "vendor"
    return {name: (vendor / name).read_bytes() for name in SCRIPTS}


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


_UNUSED_ASSETS: Final = ("thebe", "sphinx-design", "design-tabs")


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


def _add_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Load the bundle and CSS on pages that contain a chart, once per page."""
    _dedupe_scripts(context)
    _drop_unused(context)
    if _MARKER in context.get("body", ""):
        app.add_css_file(CSS_NAME)
        for name in SCRIPTS:
            app.add_js_file(name, defer="defer")


def _write_static(app: Sphinx) -> None:
    """Write the bundle and CSS into the HTML output's ``_static`` (always fresh).

    Written before the pages, so Sphinx adds a ``?v=<checksum>`` cache-buster to the links.
    """
    if app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    styles = ((CSS_NAME, _CSS), (BOOK_CSS_NAME, _BOOK_CSS))
    for name, data in (*vendored().items(), *((n, t.encode("utf-8")) for n, t in styles)):
        path = static / name
        if not path.is_file() or hashlib.sha256(path.read_bytes()).digest() != (
            hashlib.sha256(data).digest()
        ):
            path.write_bytes(data)


PDF_NAME: Final = "shizhong-2019.pdf"
_HERE: Final = Path(__file__).parent


def book_version(root: Path) -> tuple[str, str, str]:
    """(version, short commit, ISO date) of the book; the date comes from SOURCE_DATE_EPOCH."""
    from shizhong import __version__

    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short=10", "HEAD"],
            cwd=root, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    date = dt.datetime.fromtimestamp(epoch, dt.UTC).date().isoformat() if epoch else "undated"
    return __version__, commit, date


def _latex_title(title: str, version: str, commit: str, date: str) -> str:
    """A title page with version, date and the recommended citation."""
    return rf"""
\begin{{titlepage}}
\centering
\vspace*{{3cm}}
{{\Huge\bfseries {title}\par}}
\vspace{{1cm}}
{{\Large A reproducible reading of 济南市中区 2019 年工作回顾\par}}
\vspace{{2cm}}
{{\large Shizhong report book contributors\par}}
\vspace{{1cm}}
{{\large Version {version} (commit {commit})\par}}
{{\large {date}\par}}
\vfill
\begin{{minipage}}{{0.85\textwidth}}\small
\textbf{{Recommended citation.}} Shizhong report book contributors ({date[:4]}).
\emph{{{title}}} (Version {version}). Reproducible report book: data, code and prose.
\par\medskip
\textbf{{Source.}} 朱振, 李猛. 济南市中区：聚焦提升\ 全面开创品质市中建设新局面.
Newspaper article, early 2020 (outlet and date not stated in the source).
\end{{minipage}}
\end{{titlepage}}
"""


def _book_metadata(app: Sphinx, config: Config) -> None:
    """Version, commit, date, favicon, theme mode and the PDF's title page and metadata."""
    version, commit, date = book_version(Path(app.confdir))
    config.version = version
    config.release = f"{version} ({commit})"
    subs = dict(getattr(config, "myst_substitutions", {}) or {})
    subs.update(version=version, commit=commit, date=date)
    config.myst_substitutions = subs
    config.html_context = {
        **(config.html_context or {}),
        "shizhong_pdf_name": PDF_NAME,
        "shizhong_version": version,
        "default_mode": "auto",  # pydata theme: empty logs "Got invalid theme mode"
    }
    if not config.html_favicon:
        config.html_favicon = str(_HERE / "static" / "favicon.svg")
    # /favicon.ico for pages without a <link rel="icon">, e.g. the root redirect page
    config.html_extra_path = [*config.html_extra_path, str(_HERE / "static" / "root")]
    config.templates_path = [*config.templates_path, str(_HERE / "templates")]
    if config.html_sidebars == {}:
        config.html_sidebars = {
            "**": [
                "navbar-logo.html", "icon-links.html", "search-button-field.html",
                "sbt-sidebar-nav.html", "shizhong-pdf.html",
            ]
        }  # fmt: skip
    title = config.html_title or config.project  # Jupyter Book passes its title as html_title
    config.project = title
    elements = dict(config.latex_elements or {})
    elements["maketitle"] = _latex_title(title, version, commit, date)
    elements["preamble"] = elements.get("preamble", "") + (
        "\n\\hypersetup{"
        f"pdftitle={{{title}}},"
        "pdfauthor={Shizhong report book contributors},"
        "pdfsubject={Jinan Shizhong district 2019 review and 2020 plan: data, code and prose},"
        "pdfkeywords={Jinan, Shizhong, 市中区, regional development, reproducible report},"
        "pdflang={en}}\n"
    )
    config.latex_elements = elements


def _stored_errors(app: Sphinx, docname: str, source: list[str]) -> None:
    """Warn (and so, with -W, fail) when a notebook carries an error output."""
    path = Path(app.env.doc2path(docname))
    if path.suffix != ".ipynb":
        return
    nb = json.loads(source[0]) if source[0].lstrip().startswith("{") else None
    if nb is None:
        return
    for index, cell in enumerate(nb.get("cells", [])):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                logger.warning(
                    "cell %d has a stored error output: %s: %s",
                    index,
                    output.get("ename"),
                    output.get("evalue"),
                    location=docname,
                    type="shizhong",
                    subtype="notebook_error",
                )


def _copy_pdf(app: Sphinx, exception: Exception | None) -> None:
    """Put an already built PDF beside the HTML, so the sidebar link resolves."""
    if exception is not None or app.builder.format != "html":
        return
    pdf = Path(app.outdir).parent / "pdf" / PDF_NAME
    if pdf.is_file():
        (Path(app.outdir) / PDF_NAME).write_bytes(pdf.read_bytes())


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the extension's config value and event handlers."""
    app.add_config_value("shizhong_drop_fontawesome", True, "html", types=[bool])
    app.add_css_file(BOOK_CSS_NAME)
    app.connect("config-inited", _drop_fontawesome)
    app.connect("config-inited", _book_metadata)
    app.connect("source-read", _stored_errors)
    app.connect("build-finished", _copy_pdf)
    app.connect("html-page-context", _add_assets)
    app.connect("builder-inited", _write_static)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
