"""Sphinx extension: data text is shown exactly as written
(``extra_extensions: [shizhong.sphinxext.verbatim]``).

Sphinx's SmartQuotes transform rewrites the text of a page: straight quotes and dashes
become typographic ones, and backslash sequences lose their backslash (``\\\\`` shows as
``\\``, ``\\'`` as ``'``). The book's prose may have that; data may not. Text in notebook
outputs (the tables of :func:`shizhong.show.table`) and glued text (``{glue:text}``) is
put back, after SmartQuotes, exactly as it was before.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

_KEY = "shizhong_verbatim"
_SMARTQUOTES = 750  # SphinxSmartQuotes.default_priority
_DATA_CLASSES = ("cell_output", "pasted-text")


def _is_data(node: nodes.Node) -> bool:
    """Inside a notebook output or a glued value."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.Element) and any(c in parent["classes"] for c in _DATA_CLASSES):
            return True
        parent = parent.parent
    return False


class RecordDataText(SphinxTransform):
    """Before SmartQuotes: remember each data text node, by its parent and position."""

    default_priority = _SMARTQUOTES - 1

    def apply(self, **kwargs: Any) -> None:
        for text in list(self.document.findall(nodes.Text)):
            if text.parent is not None and _is_data(text):
                saved = text.parent.setdefault(_KEY, {})
                saved[text.parent.index(text)] = str(text)


class RestoreDataText(SphinxTransform):
    """After SmartQuotes: put the remembered text back where it changed."""

    default_priority = _SMARTQUOTES + 1

    def apply(self, **kwargs: Any) -> None:
        for element in list(self.document.findall(nodes.Element)):
            saved = element.attributes.pop(_KEY, None)
            if not saved:
                continue
            for index, original in saved.items():
                child = element.children[index] if index < len(element.children) else None
                if isinstance(child, nodes.Text) and str(child) != original:
                    element.replace(child, nodes.Text(original))


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the two transforms around Sphinx's SmartQuotes."""
    app.add_transform(RecordDataText)
    app.add_transform(RestoreDataText)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
