"""myst-nb mime renderer: charts' Vega-Lite specs become vector PDFs in the LaTeX build.

Registered through the ``myst_nb.mime_renderers`` entry point (see pyproject.toml). Sphinx
HTML builds render every mime type of an output and pick ``text/html`` later, so for them
this renderer returns nothing at once: only LaTeX builds pay for vl-convert. Rendered PDFs
are cached in ``<build>/.chart-pdf-cache`` by a hash of the spec and the vl-convert version,
so rebuilding the PDF converts only the charts that changed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes

from shizhong.render import VEGALITE_MIME, to_pdf


class ChartPdf:
    """Render ``application/vnd.vegalite.v6+json`` outputs as PDF images (LaTeX only)."""

    mime_priority_overrides: ClassVar[list[tuple[str, str, int]]] = [("latex", VEGALITE_MIME, 1)]

    @staticmethod
    def handle_mime(renderer: Any, data: Any, inline: bool) -> list[nodes.Element] | None:
        """Write the chart's PDF beside the other images and return an image node."""
        if inline or data.mime_type != VEGALITE_MIME:
            return None
        env = getattr(renderer.renderer, "sphinx_env", None)
        if env is None or env.app.builder.format != "latex":
            return []
        spec = data.content if isinstance(data.content, dict) else json.loads(data.content)
        pdf = _cached_pdf(spec, Path(env.app.outdir).parent / ".chart-pdf-cache")
        name = f"{hashlib.sha256(pdf).hexdigest()}.pdf"
        uri = renderer.write_file([name], pdf, overwrite=False, exists_ok=True)
        return [nodes.image(uri=uri, alt=str(spec.get("description", "")))]


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
