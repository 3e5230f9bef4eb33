"""myst-nb mime renderer for the book's charts (see ``shizhong.render`` for the bundle).

Registered through the ``myst_nb.mime_renderers`` entry point (see pyproject.toml):

* HTML builders pick the compiled Vega spec (``application/vnd.vega.v5+json``) and show it
  as :func:`chart_html`: an accessible container and an inline script that draws the spec
  with the Vega runtime and vega-tooltip that ``shizhong.sphinxext`` serves from ``_static``.
* The LaTeX builder picks the Vega-Lite spec (``application/vnd.vegalite.v6+json``) and
  gets a vector PDF from vl-convert. Sphinx renders every mime type of an output and picks
  one later, so for other builders this returns nothing at once: only LaTeX builds pay for
  vl-convert. Rendered PDFs are cached in ``<build>/.chart-pdf-cache`` by a hash of the spec
  and the vl-convert version, so rebuilding the PDF converts only the charts that changed.

An ``image/png`` that JupyterLab adds beside a chart when it saves a notebook ranks below
both, so neither edition shows it.
"""

from __future__ import annotations

import hashlib
import html
import json
from pathlib import Path
from typing import Any, ClassVar, Final

from docutils import nodes
from myst_nb.core.render import base_render_priority

from shizhong.render import CHART_CLASS, VEGA_MIME, VEGALITE_MIME, chart_id, description, to_pdf

__all__ = ["ChartRenderer", "chart_html"]

_JS: Final = """(function () {
  var id = "%(id)s";
  var s = document.currentScript;
  var box = s && s.previousElementSibling && s.previousElementSibling.id === id
    ? s.previousElementSibling : document.getElementById(id);
  var spec = %(spec)s;
  function draw() {
    if (!box || box.hasAttribute("data-embedded")) { return true; }
    if (!window.vega || !window.vegaTooltip) { return false; }
    box.setAttribute("data-embedded", "");
    var tooltip = new window.vegaTooltip.Handler();
    new window.vega.View(window.vega.parse(spec), {
      renderer: "svg", container: box.firstElementChild, hover: true, tooltip: tooltip.call
    }).runAsync().catch(function (err) { console.error(err); box.textContent = String(err); });
    return true;
  }
  function fallback() {
    if (!draw()) { box.textContent = box.getAttribute("aria-label"); }
  }
  if (!draw()) {
    if (document.readyState === "complete") {
      fallback();
    } else {
      document.addEventListener("DOMContentLoaded", draw);
      window.addEventListener("load", fallback);
    }
  }
})();"""


def _spec_json(spec: dict[str, Any]) -> str:
    """Compact JSON of the spec, safe to inline in a <script> element."""
    text = json.dumps(spec, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def chart_html(vega: dict[str, Any]) -> str:
    """HTML for the book: an accessible container plus a script that draws the Vega spec."""
    element_id = chart_id(vega)
    label = html.escape(description(vega), quote=True)
    script = _JS % {"id": element_id, "spec": _spec_json(vega)}
    return (
        f'<div id="{element_id}" class="{CHART_CLASS}" role="img" aria-label="{label}">'
        f'<div class="{CHART_CLASS}-view"></div></div>\n<script>{script}</script>'
    )


def _spec(data: Any) -> dict[str, Any]:
    content = data.content
    return content if isinstance(content, dict) else json.loads(content)


#: Builders that show HTML (html, dirhtml, singlehtml, epub, ...): they pick the Vega spec.
_HTML_BUILDERS: Final = sorted(
    name for name, priority in base_render_priority().items() if "text/html" in priority
)


class ChartRenderer:
    """Vega specs become chart HTML; Vega-Lite specs become PDF images (LaTeX only)."""

    mime_priority_overrides: ClassVar[list[tuple[str, str, int]]] = [
        *((name, VEGA_MIME, 1) for name in _HTML_BUILDERS),
        ("latex", VEGALITE_MIME, 1),
    ]

    @staticmethod
    def handle_mime(renderer: Any, data: Any, inline: bool) -> list[nodes.Element] | None:
        """Docutils nodes for a chart's Vega or Vega-Lite spec; None for other types."""
        if inline:
            return None
        if data.mime_type == VEGA_MIME:
            raw = nodes.raw("", chart_html(_spec(data)), format="html")
            raw["classes"] += ["output", "text_html"]
            return [raw]
        if data.mime_type != VEGALITE_MIME:
            return None
        env = getattr(renderer.renderer, "sphinx_env", None)
        if env is None or env.app.builder.format != "latex":
            return []
        spec = _spec(data)
        pdf = _cached_pdf(spec, Path(env.app.outdir).parent / ".chart-pdf-cache")
        name = f"{hashlib.sha256(pdf).hexdigest()}.pdf"
        uri = renderer.write_file([name], pdf, overwrite=False, exists_ok=True)
        return [nodes.image(uri=uri, alt=description(spec))]


def _cached_pdf(spec: dict[str, Any], cache: Path) -> bytes:
    """``to_pdf(spec)``, reused from ``cache`` when this spec was converted before."""
    import vl_convert as vlc

    canonical = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    key = hashlib.sha256(f"{vlc.__version__}\n{canonical}".encode()).hexdigest()
    path = cache / f"{key}.pdf"
    if path.is_file():
        return path.read_bytes()
    pdf = to_pdf(spec)
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf)
    return pdf
