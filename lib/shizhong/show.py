"""Show tables in a chapter as Markdown, so HTML and PDF both get real tables."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from IPython.display import Markdown


def table(
    frame: pd.DataFrame, columns: Mapping[str, str] | None = None, align: str | None = None
) -> Markdown:
    """A Markdown table of ``frame``; ``columns`` maps column names to headers (and picks them).

    ``align`` is one letter per column: l, r or c (default: numbers right, text left).
    """
    if columns is not None:
        frame = frame[list(columns)].rename(columns=dict(columns))
    cells = frame.astype("string").fillna("").map(_escape)
    if align is None:
        align = "".join("r" if pd.api.types.is_numeric_dtype(frame[c]) else "l" for c in frame)
    rule = {"l": ":--", "r": "--:", "c": ":-:"}
    lines = [
        "| " + " | ".join(_escape(str(c)) for c in cells.columns) + " |",
        "| " + " | ".join(rule[a] for a in align) + " |",
        *("| " + " | ".join(row) + " |" for row in cells.itertuples(index=False)),
    ]
    return Markdown("\n".join(lines))


def _escape(text: str) -> str:
    """Keep a cell on one row: escape pipes, turn newlines into spaces."""
    return text.replace("|", "\\|").replace("\n", " ").replace("\r", "")
