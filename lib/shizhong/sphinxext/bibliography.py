"""References: list markup that assistive technology accepts, and Chinese in-text citations.

docutils writes each citation as ``<div role="doc-biblioentry">`` inside
``<div role="list">``; ``doc-biblioentry`` is deprecated (DPUB-ARIA 1.1), not allowed on a
``div``, and leaves the list without list items. Each entry becomes ``role="listitem"``.

The Chinese edition (``_config.zh.yml``) cites as Chinese text does, （朱振、李猛，2020）, with
the reference style ``author_year_zh``, and lists its references with ``plain_zh``: names
joined by commas, as GB/T 7714 does, and an entry's ``note_zh`` in place of its ``note``.
An entry's ``author_zh`` and ``title_zh`` (a Chinese institution's own name and title) replace
its ``author`` and ``title`` in the Chinese edition, in citations and list alike:
（国家统计局，2020）, not （National Bureau of Statistics of China，2020）.
The English edition keeps ``author_year`` and ``plain``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pybtex.plugin
import sphinxcontrib.bibtex.plugin
from docutils import nodes
from pybtex.database import Entry, Person
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.formatting.unsrt import date
from pybtex.style.template import field, names, optional, optional_field, sentence
from sphinxcontrib.bibtex.style.referencing import BracketStyle, PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

__all__ = [
    "ChineseAuthorYear",
    "ChinesePlain",
    "chinese_fields",
    "depart_citation",
    "register_styles",
    "visit_citation",
]


def _zh_brackets() -> BracketStyle:
    return BracketStyle(left="（", right="）", sep="；")


def _zh_persons() -> PersonStyle:
    return PersonStyle(sep="、", sep2="、", last_sep="、", other="等")


@dataclasses.dataclass
class ChineseAuthorYear(AuthorYearReferenceStyle):
    """Author-year citations with Chinese brackets and separators: （朱振、李猛，2020）."""

    bracket_parenthetical: BracketStyle = dataclasses.field(default_factory=_zh_brackets)
    bracket_textual: BracketStyle = dataclasses.field(default_factory=_zh_brackets)
    person: PersonStyle = dataclasses.field(default_factory=_zh_persons)
    author_year_sep: str = "，"
    text_reference_sep: str = ""


class ChinesePlain(PlainStyle):
    """pybtex's ``plain``, with names joined by commas and notes in Chinese (a ``note_zh``
    ends with its own 。, so a misc entry's note gets no Latin period)."""

    def get_misc_template(self, e: Entry) -> Any:
        return toplevel[
            optional[sentence[self.format_names("author")]],
            optional[self.format_title(e, "title")],
            sentence[optional[field("howpublished")], optional[date]],
            sentence(add_period=False)[optional_field("note")],
            self.format_web_refs(e),
        ]

    def format_names(self, role: str, as_sentence: bool = True) -> Any:
        formatted = names(role, sep=", ", sep2=", ", last_sep=", ")
        return sentence[formatted] if as_sentence else formatted

    def format_entry(self, label: str, entry: Entry, bib_data: Any = None) -> Any:
        if "note_zh" in entry.fields:
            fields = {**entry.fields, "note": entry.fields["note_zh"]}
            chinese = Entry(entry.type, fields=fields, persons=entry.persons)
            chinese.key = entry.key
            entry = chinese
        return super().format_entry(label, entry, bib_data=bib_data)


def chinese_fields(app: Any) -> None:
    """In the Chinese edition, put each entry's ``author_zh``/``title_zh`` in place of its
    ``author``/``title`` (after sphinxcontrib-bibtex has parsed references.bib)."""
    if not str(app.config.language or "").startswith("zh"):
        return
    entries = app.env.get_domain("cite").bibdata.data.entries
    for entry in entries.values():
        if "author_zh" in entry.fields:
            entry.persons["author"] = [
                Person(name.strip()) for name in entry.fields["author_zh"].split(" and ")
            ]
        if "title_zh" in entry.fields:
            entry.fields["title"] = entry.fields["title_zh"]


def register_styles() -> None:
    """Make ``author_year_zh`` and ``plain_zh`` available to the bibtex options."""
    sphinxcontrib.bibtex.plugin.register_plugin(  # a no-op once registered
        "sphinxcontrib.bibtex.style.referencing", "author_year_zh", ChineseAuthorYear
    )
    pybtex.plugin.register_plugin("pybtex.style.formatting", "plain_zh", ChinesePlain)


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
