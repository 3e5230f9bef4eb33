"""myst-nb mime renderer: charts' Vega-Lite specs become vector PDFs in the LaTeX build.

Registered through the ``myst_nb.mime_renderers`` entry point (see pyproject.toml). Sphinx
HTML builds render every mime type of an output and pick ``text/html`` later, so for them
this renderer returns nothing at once: only LaTeX builds pay for vl-convert.
"""

from __future__ import annotations

import hashlib
import json
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
        pdf = to_pdf(spec)
        name = f"{hashlib.sha256(pdf).hexdigest()}.pdf"
        uri = renderer.write_file([name], pdf, overwrite=False, exists_ok=True)
        return [nodes.image(uri=uri, alt=str(spec.get("description", "")))]
