"""Deterministic, offline Altair renderer for the book and for JupyterLab.

A chart's mimebundle holds:

* :data:`VEGA_MIME` (``application/vnd.vega.v5+json``) -- the chart compiled from Vega-Lite
  to Vega by vl-convert (:func:`to_vega`): in the kernel, or in the one compiler that
  ``make notebooks`` serves to its kernels (:mod:`shizhong.vega_server`). JupyterLab 4
  draws it with its own Vega renderer (offline, with tooltips, trusted or not: it is data,
  not a script); its Vega 5 runtime draws the compiled spec although the spec's ``$schema``
  names Vega 6. The book's HTML builders turn it into an accessible container and a draw
  script (``shizhong.sphinxext.mime``), so no Vega-Lite compiler ships to the browser.
* :data:`VEGALITE_MIME` (``application/vnd.vegalite.v6+json``) -- the Vega-Lite spec itself.
  The LaTeX builder picks it, and ``shizhong.sphinxext.mime`` turns it into a vector PDF with
  vl-convert at build time. JupyterLab 4.6 has no renderer for Vega-Lite 6 and skips it.
* ``text/plain`` -- ``<Chart: title>``.

The output's metadata holds vega-embed options for JupyterLab (:data:`EMBED_OPTIONS`): an SVG
view, like the book's (text a screen reader and a test can find), and no "Open in Vega Editor"
link, which would post the chart to another site.

There is no ``text/html``: JupyterLab would prefer it to its Vega renderer, and strip its
script in an untrusted notebook. Nothing is registered at import time: call
:func:`use_renderer`.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import io
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Final

from . import vega_server

__all__ = [
    "CHART_CLASS",
    "EMBED_OPTIONS",
    "RENDERER_NAME",
    "VEGALITE_MIME",
    "VEGA_MIME",
    "VL_VERSION",
    "bundle",
    "chart_id",
    "description",
    "is_rendered",
    "metadata",
    "mimebundle",
    "to_pdf",
    "to_vega",
    "use_renderer",
    "vega_cache",
]

RENDERER_NAME: Final = "shizhong"
#: CSS class of every chart container; ``shizhong.sphinxext`` looks for it in page bodies.
CHART_CLASS: Final = "shizhong-chart"
#: Vega-Lite version for vl-convert: Altair's schema version (``altair.SCHEMA_VERSION`` v6.4.x;
#: a test holds the two together). Written out so that the book build never imports Altair.
VL_VERSION: Final = "6.4"
#: The Jupyter mime type of a Vega-Lite spec of this major version (the PDF build's input).
VEGALITE_MIME: Final = f"application/vnd.vegalite.v{VL_VERSION.split('.')[0]}+json"
#: The Jupyter mime type of the compiled Vega spec: the newest one JupyterLab 4 renders.
VEGA_MIME: Final = "application/vnd.vega.v5+json"
#: Where compiled Vega specs are kept, if set (else the book's ``_build/cache/vega``).
VEGA_CACHE_ENV: Final = "SHIZHONG_VEGA_CACHE"
#: vega-embed options for JupyterLab's Vega renderer (the output metadata of every chart).
EMBED_OPTIONS: Final[dict[str, Any]] = {
    "renderer": "svg",
    "actions": {"export": True, "source": True, "compiled": False, "editor": False},
}


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


def description(spec: dict[str, Any]) -> str:
    """The chart's text description (Vega-Lite or Vega spec), else its title."""
    return str(spec.get("description") or _title(spec) or "Chart")


def to_vega(spec: dict[str, Any]) -> dict[str, Any]:
    """The chart compiled from Vega-Lite to Vega (what the browser's Vega runtime draws).

    Each spec is compiled once: the result is kept in the book's ``_build/cache/vega/``
    (see :func:`vega_cache`), under the SHA-256 of the spec, the Vega-Lite version and
    vl-convert's version, as the JSON vl-convert returned. A spec compiled before is read
    back from there without starting vl-convert; a changed spec has another key, and is
    compiled.
    """
    cache = vega_cache()
    if cache is None:
        return _compile(spec)
    canonical = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    versions = f"{VL_VERSION}\n{_vl_convert_version()}\n"
    path = cache / f"{hashlib.sha256((versions + canonical).encode()).hexdigest()}.json"
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cached = None
    if isinstance(cached, dict):
        return cached
    vega = _compile(spec)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(vega, out, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        pass  # no cache where it cannot be written
    return vega


def _compile(spec: dict[str, Any]) -> dict[str, Any]:
    """vl-convert's compilation: by the build's shared compiler if one serves
    (:mod:`shizhong.vega_server`), else in this process."""
    if path := vega_server.address():
        return vega_server.request(spec, path)
    import vl_convert as vlc

    return vlc.vegalite_to_vega(vl_spec=spec, vl_version=VL_VERSION)


@functools.cache
def _vl_convert_version() -> str:
    return importlib.metadata.version("vl-convert-python")  # without importing it


def vega_cache() -> Path | None:
    """``_build/cache/vega`` of the book around the working directory (the nearest folder
    holding ``data/datapackage.json``), or ``$SHIZHONG_VEGA_CACHE``; None: no cache."""
    if os.environ.get(VEGA_CACHE_ENV):
        return Path(os.environ[VEGA_CACHE_ENV])
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / "datapackage.json").is_file():
            return folder / "_build" / "cache" / "vega"
    return None


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


def mimebundle(spec: dict[str, Any]) -> dict[str, Any]:
    """The full mimebundle for one Vega-Lite spec (see module docstring)."""
    bundle: dict[str, Any] = {
        VEGA_MIME: to_vega(spec),
        VEGALITE_MIME: spec,
        "text/plain": f"<Chart: {_title(spec) or description(spec)}>",
    }
    return bundle


def metadata() -> dict[str, Any]:
    """The output metadata of a chart: vega-embed options for JupyterLab."""
    return {VEGA_MIME: {"embed_options": json.loads(json.dumps(EMBED_OPTIONS))}}


def _renderer(spec: dict[str, Any], **options: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    return mimebundle(spec), metadata()


def is_rendered(obj: object) -> bool:
    """``obj`` is an Altair chart, and the book's renderer is the one enabled."""
    alt = sys.modules.get("altair")  # a chart exists only once Altair is imported
    return (
        alt is not None
        and isinstance(obj, alt.TopLevelMixin)
        and (alt.renderers.active == RENDERER_NAME)
    )


def bundle(chart: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """What the renderer displays for ``chart`` (its mimebundle and metadata), from the spec
    Altair writes for Jupyter, but not validated against the Vega-Lite schema: that costs a
    chapter's kernel about 0.2 s, and ``tests/test_notebooks.py`` validates every stored
    spec instead."""
    return _renderer(chart.to_dict(validate=False, context={"pre_transform": False}))


def use_renderer(theme: bool = True) -> None:
    """Register and enable the book renderer (and, by default, the house theme).

    Returns None, so a notebook cell ending in ``use_renderer()`` has no output.
    """
    import altair as alt

    from .style import use_theme

    if theme:
        use_theme()
    if RENDERER_NAME not in alt.renderers.names():
        alt.renderers.register(RENDERER_NAME, _renderer)
    alt.renderers.enable(RENDERER_NAME)
