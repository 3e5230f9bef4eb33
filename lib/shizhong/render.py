"""Deterministic, offline Altair renderer for the book.

A chart's mimebundle holds:

* ``text/html`` -- ``<div class="shizhong-chart" id="shizhong-chart-<spec hash>" role="img"
  aria-label="<description>">`` around the view's ``<div>`` (Vega sets its own
  ``role="graphics-document"`` on the element it draws into, so that must be an inner one),
  and an inline script that draws the chart, compiled to Vega by vl-convert here, with
  the Vega runtime and vega-tooltip that ``shizhong.sphinxext`` serves from the book's
  ``_static`` (no Vega-Lite compiler in the browser), waiting for them if they load
  later (``defer``). myst-nb's HTML builders pick this.
* ``application/vnd.vegalite.v6+json`` -- the Vega-Lite spec itself. The LaTeX builder
  picks it, and ``shizhong.mime`` turns it into a vector PDF with vl-convert at build
  time (one process for the whole book, instead of one vl-convert start-up per kernel),
  with fonts embedded and the bytes rewritten canonically so builds are reproducible.
  JupyterLab can render it too.
* ``image/png`` -- only with ``use_renderer(png=True)`` (off by default: 3-5x the size
  of the PDF, and no builder of the book needs it).
* ``text/plain`` -- ``<Chart: title>``.

Nothing is registered at import time: call :func:`use_renderer`.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
from typing import Any, Final

import altair as alt

from .style import use_theme

__all__ = [
    "CHART_CLASS",
    "RENDERER_NAME",
    "VEGALITE_MIME",
    "VL_VERSION",
    "chart_id",
    "mimebundle",
    "to_html",
    "to_pdf",
    "to_png",
    "to_vega",
    "use_renderer",
]

RENDERER_NAME: Final = "shizhong"
#: CSS class of every chart container; ``shizhong.sphinxext`` looks for it in page bodies.
CHART_CLASS: Final = "shizhong-chart"
#: Vega-Lite version for vl-convert, matching the Altair schema (e.g. "6.4").
VL_VERSION: Final = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
#: The Jupyter mime type of a Vega-Lite spec of this major version.
VEGALITE_MIME: Final = f"application/vnd.vegalite.v{VL_VERSION.split('.')[0]}+json"

_JS = """(function () {
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


def chart_id(spec: dict[str, Any]) -> str:
    """Deterministic element id: a hash of the canonical spec JSON."""
    canonical = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return f"{CHART_CLASS}-{hashlib.sha256(canonical.encode()).hexdigest()[:16]}"


def _title(spec: dict[str, Any]) -> str:
    title = spec.get("title", "")
    if isinstance(title, dict):
        title = title.get("text", "")
    if isinstance(title, list):
        title = " ".join(str(part) for part in title)
    return str(title)


def _description(spec: dict[str, Any]) -> str:
    return str(spec.get("description") or _title(spec) or "Chart")


def to_vega(spec: dict[str, Any]) -> dict[str, Any]:
    """The chart compiled from Vega-Lite to Vega (what the browser's Vega runtime draws)."""
    import vl_convert as vlc

    return vlc.vegalite_to_vega(vl_spec=spec, vl_version=VL_VERSION)


def to_html(spec: dict[str, Any]) -> str:
    """HTML for the book: an accessible container plus a script that draws the Vega spec."""
    element_id = chart_id(spec)
    label = html.escape(_description(spec), quote=True)
    script = _JS % {"id": element_id, "spec": _spec_json(to_vega(spec))}
    return (
        f'<div id="{element_id}" class="{CHART_CLASS}" role="img" aria-label="{label}">'
        f'<div class="{CHART_CLASS}-view"></div></div>\n<script>{script}</script>'
    )


def _canonical_pdf(pdf: bytes) -> bytes:
    """Rewrite a PDF with sorted dictionaries and objects numbered in traversal order.

    vl-convert (svg2pdf) emits resource dictionaries and font objects in hash-map order,
    which changes from process to process; the rewrite makes the bytes reproducible.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    def _sort(obj: Any, seen: set[int]) -> None:
        if isinstance(obj, IndirectObject):
            if obj.idnum not in seen:
                seen.add(obj.idnum)
                _sort(obj.get_object(), seen)
        elif isinstance(obj, DictionaryObject):
            items = sorted(obj.items(), key=lambda item: str(item[0]))
            obj.clear()
            obj.update(items)
            for _, value in items:
                _sort(value, seen)
        elif isinstance(obj, ArrayObject):
            for value in obj:
                _sort(value, seen)

    reader = PdfReader(io.BytesIO(pdf))
    _sort(reader.trailer["/Root"], set())
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def to_pdf(spec: dict[str, Any]) -> bytes:
    """Vector PDF of the chart (fonts embedded as subsets), byte-reproducible."""
    import vl_convert as vlc

    return _canonical_pdf(vlc.vegalite_to_pdf(vl_spec=spec, vl_version=VL_VERSION))


def to_png(spec: dict[str, Any], scale: float = 2.0) -> bytes:
    """PNG of the chart at ``scale`` x CSS pixels."""
    import vl_convert as vlc

    return vlc.vegalite_to_png(vl_spec=spec, vl_version=VL_VERSION, scale=scale)


def mimebundle(spec: dict[str, Any], png: bool = False) -> dict[str, Any]:
    """The full mimebundle for one Vega-Lite spec (see module docstring)."""
    bundle: dict[str, Any] = {
        "text/html": to_html(spec),
        VEGALITE_MIME: spec,
        "text/plain": f"<Chart: {_title(spec) or _description(spec)}>",
    }
    if png:
        bundle["image/png"] = base64.b64encode(to_png(spec)).decode("ascii")
    return bundle


def _renderer(spec: dict[str, Any], **metadata: Any) -> dict[str, Any]:
    return mimebundle(spec, png=bool(metadata.get("png", False)))


def use_renderer(png: bool = False, theme: bool = True) -> None:
    """Register and enable the book renderer (and, by default, the house theme).

    Returns None, so a notebook cell ending in ``use_renderer()`` has no output.
    """
    if theme:
        use_theme()
    if RENDERER_NAME not in alt.renderers.names():
        alt.renderers.register(RENDERER_NAME, _renderer)
    alt.renderers.enable(RENDERER_NAME, png=png)
