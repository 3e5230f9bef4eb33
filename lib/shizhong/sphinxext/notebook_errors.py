"""A notebook with a stored error output fails the build (a warning, an error with ``-W``)."""

from __future__ import annotations

import json
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

__all__ = ["stored_errors"]

logger = logging.getLogger(__name__)


def stored_errors(app: Sphinx, docname: str, source: list[str]) -> None:
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
