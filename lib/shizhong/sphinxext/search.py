"""The Chinese edition's search finds the book's own terms.

Sphinx segments Chinese text with jieba, whose dictionary does not know the article's
terms: 双招双引, for one, is cut into pieces, so searching for it finds no page. For the
Chinese edition this writes the glossary's Chinese terms (``data/glossary.csv``) as a jieba
user dictionary and gives it to Sphinx's search (``html_search_options["dict"]``).
"""

from __future__ import annotations

import csv
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from shizhong.bilingual import edition


def terms(glossary: Path) -> list[str]:
    """The glossary's Chinese terms, in file order."""
    with glossary.open(encoding="utf-8", newline="") as f:
        return [row["term_zh"] for row in csv.DictReader(f) if row["term_zh"].strip()]


def user_dictionary(app: Sphinx, config: Config) -> None:
    """``config-inited``: in the Chinese edition, search with the glossary's terms as words."""
    if edition(config.language) != "zh":
        return
    path = Path(app.doctreedir) / "jieba-terms.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    # One word a line; without a frequency jieba gives each one just enough to be cut whole.
    path.write_text("".join(f"{t}\n" for t in terms(Path(app.confdir) / "data" / "glossary.csv")))
    config.html_search_options = {**(config.html_search_options or {}), "dict": str(path)}
