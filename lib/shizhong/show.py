"""Show tables in a chapter as Markdown, so HTML and PDF both get real tables.

Every cell and header is literal text: each ASCII punctuation character is
backslash-escaped (CommonMark lets any of them be escaped, and an escaped character is
never markup), so no value can become HTML, a link, emphasis, a MyST role, a
substitution or a directive. Control and invisible characters are shown as escapes
(``\\u202e``), and line breaks as spaces, so a value stays in its cell.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence

import pandas as pd
from IPython.display import Markdown

from shizhong.problems import printable

_LINE = 0.96  # share of the PDF line the table may use
_PUNCTUATION = frozenset(string.punctuation)  # the characters CommonMark lets be escaped


def table(
    frame: pd.DataFrame,
    columns: Mapping[str, str] | None = None,
    align: str | None = None,
    widths: Sequence[float] | None = None,
    markup: Collection[str] = (),
) -> Markdown:
    """A Markdown table of ``frame``; ``columns`` maps column names to headers (and picks them).

    ``align`` is one letter per column: l, r or c (default: numbers right, text left).
    ``widths`` are the PDF column widths as fractions of the line (default: from the
    content); the HTML ignores them. Every cell is literal text, except in the ``markup``
    columns (names in ``frame``): Markdown that the notebook itself writes, such as a
    ``{download}`` role, kept as it is but for pipes and line breaks. Never put data there.
    """
    raw = set(markup)
    unknown = raw - set(frame.columns)
    if unknown:
        raise KeyError(f"markup columns not in the frame: {sorted(unknown)}")
    if columns is not None:
        raw = {columns[c] for c in raw if c in columns}
        frame = frame[list(columns)].rename(columns=dict(columns))
    texts = frame.astype("string").fillna("").map(_one_line)
    cells = pd.DataFrame({c: texts[c].map(_pipes if c in raw else _escape) for c in texts.columns})
    if align is None:
        align = "".join("r" if pd.api.types.is_numeric_dtype(frame[c]) else "l" for c in frame)
    rule = {"l": ":--", "r": "--:", "c": ":-:"}
    lines = [
        "| " + " | ".join(_escape(_one_line(str(c))) for c in cells.columns) + " |",
        "| " + " | ".join(rule[a] for a in align) + " |",
        *("| " + " | ".join(row) + " |" for row in cells.itertuples(index=False)),
    ]
    spec = _pdf_columns(widths or _auto_widths(texts), align)
    return Markdown(f"```{{tabularcolumns}} {spec}\n```\n\n" + "\n".join(lines))


def _pdf_columns(widths: Sequence[float], align: str) -> str:
    """Sphinx LaTeX column spec: wrapped paragraph columns of fixed share (\\Y{0.3})."""
    side = {"l": r"\raggedright", "r": r"\raggedleft", "c": r"\centering"}
    return "".join(
        f">{{{side[a]}\\arraybackslash}}\\Y{{{w:.3f}}}" for w, a in zip(widths, align, strict=True)
    )


def _auto_widths(cells: pd.DataFrame) -> list[float]:
    """Widths in proportion to each column's typical text width (CJK counts double)."""
    weights = []
    for name in cells.columns:
        lengths = [_width(str(v)) for v in cells[name]]
        typical = sorted(lengths)[int(0.9 * (len(lengths) - 1))] if lengths else 0
        longest_word = max((_width(w) for w in str(name).split()), default=0)
        weights.append(min(max(typical, longest_word, 4), 60))
    total = sum(weights)
    return [_LINE * w / total for w in weights]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _one_line(text: str) -> str:
    """Line breaks become spaces; other invisible characters become visible escapes."""
    return printable(" ".join(text.splitlines()))


def markdown_text(text: str) -> str:
    """``text`` as Markdown that renders as exactly that text (inline, on one line)."""
    return "".join("\\" + c if c in _PUNCTUATION else c for c in text)


_escape = markdown_text


def code(text: str) -> str:
    """``text`` as a Markdown code span: monospace, exactly as written (nothing inside a code
    span is markup). For ``markup`` columns of :func:`table` that show names or values."""
    text = _one_line(text)
    if not text:
        return ""
    fence = "`" * (max(len(run) for run in re.findall(r"`*", text)) + 1)
    pad = " " if text[0] in "` " or text[-1] in "` " else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _pipes(text: str) -> str:
    """Markdown written by the notebook: only its pipes are escaped, to keep it in its cell."""
    return text.replace("|", "\\|")


#: The book's editions, in the order their outputs are stored.
LANGS = ("en", "zh")


def both(build: Callable[[str], object]) -> None:
    """Display ``build("en")`` and ``build("zh")`` from one cell, one computation.

    Each output carries the metadata ``{"lang": ...}``; the book's Sphinx extension
    (:mod:`shizhong.sphinxext.editions`) keeps the one of the edition it builds.
    """
    from IPython.display import display

    for lang in LANGS:
        display(build(lang), metadata={"lang": lang})
