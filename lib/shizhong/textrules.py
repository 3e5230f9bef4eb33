"""Which characters a data cell may hold: data text stays text.

Every cell of every CSV is checked, and every string of ``datapackage.json``:

* only visible characters of any script, in Unicode NFC: letters, marks, digits,
  punctuation, symbols and spaces (general categories L, M, N, P, S, Zs). Control
  characters, bidirectional controls, zero-width and other invisible characters,
  line and paragraph separators, private-use and unassigned code points are rejected.
  Two exceptions: a variation selector right after a CJK ideograph (it picks a glyph
  variant), and a line feed in a verbatim span of the article (``quote``, ``context``)
  where the article breaks its line;
* no leading or trailing space;
* in string fields, no spreadsheet formula start: a leading ``=``, ``+``, ``@`` (or their
  full-width forms) or ``-`` followed by anything (a lone ``-`` is fine); number fields
  are typed by the schema, where ``-5`` is a number;
* in text fields (string fields with neither ``enum`` nor ``pattern``): no template, role,
  directive or HTML syntax (``{{``, ``{%``, ``{#``, ``{role}`` followed by a backtick,
  code or directive fences, ``<`` followed by a letter, ``/``, ``!`` or ``?``) and no
  ``javascript:`` or ``vbscript:`` link.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

#: Fields holding verbatim spans of the article, which may break lines where it does.
ARTICLE_SPANS = frozenset({"quote", "context"})

_BIDI = frozenset({0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)})
# Default-ignorable code points that are not format controls (Cf): drawn as nothing.
_INVISIBLE = frozenset(
    {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0, *range(0x180B, 0x1810)}
)
_VARIATION = frozenset({*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)})
_ALLOWED = ("L", "M", "N", "P", "S")
_FORMULA = "=+@＝＋＠"
_DASHES = "-－"
_MARKUP = [
    (re.compile(r"\{\{|\{%|\{#"), "template syntax"),
    (re.compile(r"\{[^{}\s`]*\}`"), "MyST role syntax"),
    (re.compile(r"```|~~~|:::"), "a code or directive fence"),
    (re.compile(r"<[A-Za-z/!?]"), "HTML markup"),
    (re.compile(r"(?:java|vb)script\s*:", re.IGNORECASE), "a script link"),
]


def is_text_field(field: dict[str, Any]) -> bool:
    """A free-text field: a string with neither an enum nor a pattern constraint."""
    constraints = field.get("constraints", {})
    return field.get("type", "string") == "string" and not (
        "enum" in constraints or "pattern" in constraints
    )


def _code(char: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``, or just ``U+0009`` for unnamed characters."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def _is_cjk(char: str) -> bool:
    return unicodedata.name(char, "").startswith("CJK ")


def character_problems(text: str, line_feeds: bool = False) -> Iterator[str]:
    """What is wrong with the characters of ``text`` (one message per kind of problem)."""
    seen: set[str] = set()
    for at, char in enumerate(text, start=1):
        code = ord(char)
        category = unicodedata.category(char)
        if char == "\n" and line_feeds:
            continue
        if code in _VARIATION and at > 1 and _is_cjk(text[at - 2]):
            continue
        if code in _BIDI:
            kind = "a bidirectional control, which can reorder the text as shown"
        elif category == "Cc":
            kind = "a control character"
        elif category == "Cf" or code in _INVISIBLE or code in _VARIATION:
            kind = "an invisible character"
        elif category in ("Zl", "Zp"):
            kind = "a line or paragraph separator"
        elif category in ("Co", "Cs", "Cn"):
            kind = "a private-use, surrogate or unassigned code point"
        elif category == "Zs" or category.startswith(_ALLOWED):
            continue
        else:  # pragma: no cover - every category is handled above
            kind = f"a character of category {category}"
        if kind not in seen:
            seen.add(kind)
            yield f"contains {kind} ({_code(char)}) at character {at}"
    if not seen and unicodedata.normalize("NFC", text) != text:
        yield "is not in Unicode normalization form NFC (compose accents with their letters)"


def formula_problem(text: str) -> str | None:
    """Why a spreadsheet would read ``text`` as a formula, or None."""
    if text[:1] in _FORMULA and text:
        return f"starts with {text[0]!r}, which a spreadsheet would read as a formula"
    if text[:1] in _DASHES and text and len(text) > 1:
        return (
            f"starts with {text[0]!r} followed by more text, which a spreadsheet may read "
            "as a formula (only a lone '-' is allowed)"
        )
    return None


def markup_problem(text: str) -> str | None:
    """The first template, role, directive, HTML or script-link syntax in ``text``, or None."""
    for pattern, what in _MARKUP:
        match = pattern.search(text)
        if match:
            return (
                f"contains {what} {match.group(0)!r} at character {match.start() + 1}; "
                "data is shown as text, so write it another way"
            )
    return None


def cell_problems(text: str, field: dict[str, Any] | None) -> list[str]:
    """Every rule ``text`` breaks, as a cell of ``field`` (None: a column not in the schema)."""
    name = (field or {}).get("name", "")
    out = list(character_problems(text, line_feeds=name in ARTICLE_SPANS))
    if text != text.strip(" \u3000\u00a0"):
        out.append("starts or ends with a space")
    formula = formula_problem(text) if (field or {}).get("type", "string") == "string" else None
    if formula:  # a number field is typed by the schema: "-5" is a number there
        out.append(formula)
    if field is not None and is_text_field(field):
        markup = markup_problem(text)
        if markup:
            out.append(markup)
    return out


def descriptor_strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every (JSON path, string) of a descriptor, e.g. ``resources[1].schema.fields[0].name``."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from descriptor_strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from descriptor_strings(item, f"{path}[{index}]")


def descriptor_problems(descriptor: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(JSON path, message) for every string of the descriptor that breaks a rule.

    Descriptor strings (titles, descriptions) are shown in the book, so they follow the
    rules of text fields; formula starts do not apply (the descriptor is not a CSV).
    """
    for path, text in descriptor_strings(descriptor):
        for message in character_problems(text):
            yield path, message
        markup = markup_problem(text)
        if markup:
            yield path, markup
