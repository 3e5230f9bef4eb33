"""Show tables in a chapter as Markdown, so HTML and PDF both get real tables.

Every cell and header is literal text: each ASCII punctuation character is
backslash-escaped (CommonMark lets any of them be escaped, and an escaped character is
never markup), so no value can become HTML, a link, emphasis, a MyST role, a
substitution or a directive. Control and invisible characters are shown as escapes
(``\\u202e``), and line breaks as spaces, so a value stays in its cell.
"""

from __future__ import annotations

import inspect
import re
import string
import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

import pandas as pd
from IPython.display import Markdown

from shizhong.bilingual import LANGS, resolve
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
    content); the HTML ignores them. Either way a column is widened, and the others
    narrowed, until its longest unbreakable text fits (:func:`fit_widths`), so no cell is
    clipped or broken one character a line, and the columns add up to the line. Every
    cell is literal text, except in the ``markup`` columns (names in ``frame``): Markdown
    that the notebook itself writes, such as a ``{download}`` role, kept as it is but for
    pipes and line breaks. Never put data there.
    """
    raw = set(markup)
    unknown = raw - set(frame.columns)
    if unknown:
        raise KeyError(f"markup columns not in the frame: {sorted(unknown)}")
    if columns is not None:
        raw = {columns[c] for c in raw if c in columns}
        frame = frame[list(columns)].rename(columns=dict(columns))
    texts = frame.astype("string").fillna("").map(one_line)
    cells = pd.DataFrame({c: texts[c].map(_pipes if c in raw else _escape) for c in texts.columns})
    if align is None:
        align = "".join("r" if pd.api.types.is_numeric_dtype(frame[c]) else "l" for c in frame)
    rule = {"l": ":--", "r": "--:", "c": ":-:"}
    lines = [
        "| " + " | ".join(_escape(one_line(str(c))) for c in cells.columns) + " |",
        "| " + " | ".join(rule[a] for a in align) + " |",
        *("| " + " | ".join(row) + " |" for row in cells.itertuples(index=False)),
    ]
    shares, size = _widths(texts, widths)
    spec = _pdf_columns(shares, align, size)
    return Markdown(f"```{{tabularcolumns}} {spec}\n```\n\n" + "\n".join(lines))


def _pdf_columns(widths: Sequence[float], align: str, size: str = "") -> str:
    """Sphinx LaTeX column spec: wrapped paragraph columns of fixed share (\\Y{0.3}), in the
    font ``size`` (a LaTeX size command, or the text's size)."""
    side = {"l": r"\raggedright", "r": r"\raggedleft", "c": r"\centering"}
    return "".join(
        f">{{{size}{side[a]}\\arraybackslash}}\\Y{{{w:.3f}}}"
        for w, a in zip(widths, align, strict=True)
    )


# The PDF's measures, in TeX points: an A4 page with Sphinx's 1in margins (the line), the
# column padding of \Y columns (2 \tabcolsep and a rule), and the 10 pt fonts' advance widths.
LINE_PT = 595.28 - 2 * 72.27
PAD_PT = 2 * 6 + 0.8 + 1.0  # 1 pt to spare: kerning, sans headers
_CJK_RUN = 3  # a longer Chinese text may break after any 3 characters …
_CJK_WHOLE = 4  # … one of up to 4 Chinese characters (下降1.0%, 认缴资金) stays on one line
#: Font sizes a table may use, largest first, with their scale: a table whose unbreakable
#: texts do not fit the line at the text's size is set smaller, at most two steps.
_SIZES = ((1.0, ""), (0.9, r"\small"), (0.8, r"\footnotesize"))


def _char_pt(ch: str) -> float:
    """Advance width of one character at 10 pt (Latin Modern, Noto CJK), rounded up."""
    if unicodedata.east_asian_width(ch) in "WF":
        return 10.0
    for chars, width in _CHAR_PT:
        if ch in chars:
            return width
    return 7.5 if ch.isupper() else 5.0


#: Latin Modern 10 pt advance widths, by class (other capitals 7.5, other characters 5).
_CHAR_PT = (
    (".,:;!|'il", 2.8),
    ("jftr()[]/s", 4.0),
    ("0123456789", 5.0),
    (" \u00a0", 3.4),
    ("mw", 8.4),
    ("MW%@—", 10.0),
    ("+−=<>", 7.8),
)


def _text_pt(text: str) -> float:
    return sum(_char_pt(ch) for ch in text)


def _is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _unbreakable(text: str) -> list[str]:
    """The pieces of a cell that LaTeX cannot (or should not) break inside.

    A word of Latin text (no hyphenation is counted on; a no-break space joins two words),
    a run of Latin characters inside Chinese (1.0%, 2019), and a Chinese text of up to
    :data:`_CJK_WHOLE` Chinese characters whole; a longer Chinese text may break, but not closer
    than every :data:`_CJK_RUN` characters, so that no column shows one character a line.
    """
    pieces = []
    for word in re.split(r"[ \t]+", text.strip()):  # a no-break space joins its neighbours
        cjk = sum(_is_cjk(ch) for ch in word)
        if cjk <= _CJK_WHOLE:
            pieces.append(word)
            continue
        pieces.extend(re.findall(r"[^\s\u2e80-\uffef]+", word))  # Latin runs
        runs = re.findall(r"[\u2e80-\uffef]+", word)
        pieces.extend(run[:_CJK_RUN] for run in runs)
    return pieces


def widest_pt(cells: Sequence[str]) -> float:
    """The width of a column's longest unbreakable piece at 10 pt."""
    return max((_text_pt(p) for c in cells for p in _unbreakable(c)), default=0.0)


def fit_widths(
    wanted: Sequence[float], minimum: Sequence[float], line: float = _LINE
) -> list[float]:
    """Column shares that add up to ``line``, each at least its ``minimum``.

    Shares are given in proportion to ``wanted``; a column whose share would fall below its
    minimum gets the minimum, and the rest share what is left. If the minimums alone exceed
    the line, they are scaled down to it (the table then still fits the page).
    """
    if sum(minimum) >= line:
        return [line * m / sum(minimum) for m in minimum]
    fixed: dict[int, float] = {}
    while True:
        free = [i for i in range(len(wanted)) if i not in fixed]
        room = line - sum(fixed.values())
        weight = sum(wanted[i] for i in free) or 1.0
        share = {i: room * wanted[i] / weight for i in free}
        short = [i for i in free if share[i] < minimum[i]]
        if not short:
            return [fixed.get(i, share.get(i, 0.0)) for i in range(len(wanted))]
        for i in short:
            fixed[i] = minimum[i]


def _widths(cells: pd.DataFrame, wanted: Sequence[float] | None) -> tuple[list[float], str]:
    """PDF column shares and font size: ``wanted`` (or the content's) shares, widened to fit
    each column's unbreakable text, in the largest size at which all of them fit the line."""
    if wanted is not None and len(wanted) != len(cells.columns):
        raise ValueError(f"{len(wanted)} widths for {len(cells.columns)} columns")
    widest = [widest_pt([str(name), *map(str, cells[name])]) for name in cells.columns]
    shares = list(wanted or _auto_widths(cells))
    for scale, size in _SIZES:
        minimum = [(scale * w + PAD_PT) / LINE_PT for w in widest]
        if sum(minimum) <= _LINE or size == _SIZES[-1][1]:
            return fit_widths(shares, minimum), size
    raise AssertionError("unreachable")


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


def one_line(text: str) -> str:
    """Line breaks become spaces; other invisible characters become visible escapes."""
    return printable(" ".join(text.splitlines()))


def markdown_text(text: str) -> str:
    """``text`` as Markdown that renders as exactly that text (inline, on one line)."""
    return "".join("\\" + c if c in _PUNCTUATION else c for c in text)


_escape = markdown_text


def code(text: str) -> str:
    """``text`` as a Markdown code span: monospace, exactly as written (nothing inside a code
    span is markup). For ``markup`` columns of :func:`table` that show names or values."""
    text = one_line(text)
    if not text:
        return ""
    fence = "`" * (max(len(run) for run in re.findall(r"`*", text)) + 1)
    pad = " " if text[0] in "` " or text[-1] in "` " else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _pipes(text: str) -> str:
    """Markdown written by the notebook: only its pipes are escaped, to keep it in its cell."""
    return text.replace("|", "\\|")


def both(build: Callable[..., object], *args: Any, **kwargs: Any) -> None:
    """Display ``build`` once per edition, from one cell, one computation.

    ``build(*args, lang=..., **kwargs)`` is called with every :class:`~shizhong.bilingual.T`
    pair in the arguments (titles, frames' cells, orders, column headers) resolved to the
    edition's language; ``lang=`` is passed only if ``build`` takes it. Without arguments,
    ``build(lang)`` is called. Each output carries the metadata ``{"lang": ...}``; the book's
    Sphinx extension (:mod:`shizhong.sphinxext.editions`) keeps the one of the edition it
    builds. A chart under the book's renderer is displayed as that renderer would, without
    Altair's schema validation: ``tests/test_notebooks.py`` validates every stored spec.
    """
    from IPython.display import display

    from . import render

    takes_lang = "lang" in inspect.signature(build).parameters
    for lang in LANGS:
        if not args and not kwargs:
            shown = build(lang)
        else:
            extra = {"lang": lang} if takes_lang else {}
            shown = build(*resolve(args, lang), **resolve(kwargs, lang), **extra)
        if render.is_rendered(shown):
            data, metadata = render.bundle(shown)
            display(data, raw=True, metadata={**metadata, "lang": lang})
        else:
            display(shown, metadata={"lang": lang})
