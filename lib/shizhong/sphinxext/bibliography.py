"""References list markup that assistive technology accepts.

docutils writes each citation as ``<div role="doc-biblioentry">`` inside
``<div role="list">``; ``doc-biblioentry`` is deprecated (DPUB-ARIA 1.1), not allowed on a
``div``, and leaves the list without list items. Each entry becomes ``role="listitem"``.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes

__all__ = ["depart_citation", "visit_citation"]


def visit_citation(self: Any, node: nodes.citation) -> None:
    """Open the list (before the first of a run of citations) and the entry."""
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def depart_citation(self: Any, node: nodes.citation) -> None:
    """Close the entry (and the list after the last of a run of citations)."""
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), type(node)):
        self.body.append("</div>\n")
