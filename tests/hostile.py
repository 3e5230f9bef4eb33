"""Hostile data for tests/test_hostile.py: payloads, and a copy of the data package that has
one in every free-text field of every table.

A payload either breaks a rule of ``shizhong.textrules`` (``rejected`` names the message), or
is honest-looking text that every output must escape (``rejected`` is None). Payloads that
would run script set ``window.__pwned`` and open a dialog; the browser test watches both.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from shizhong import textrules

from .conftest import read_rows, write_rows


@dataclass(frozen=True)
class Payload:
    name: str
    text: str
    rejected: str | None  # a fragment of the validation message; None: valid, to be escaped


PAYLOADS = [
    Payload("img", "<img src=x onerror=\"window.__pwned='img';alert('img')\">", "HTML markup"),
    Payload("script", "<script>window.__pwned='script';alert('script')</script>", "HTML markup"),
    Payload("svg", "<svg/onload=window.__pwned='svg'>", "HTML markup"),
    Payload(
        "end_script", "</script><script>window.__pwned='end';alert('end')</script>", "HTML markup"
    ),
    Payload("js_link", "[click](javascript:window.__pwned='link')", "a script link"),
    Payload(
        "jinja",
        "{{ 7*191 }} {{ ''.__class__.__mro__[1].__subclasses__().__len__() }}",
        "template syntax",
    ),
    Payload("jinja_block", "{% for x in 'ab' %}JINJA{% endfor %}", "template syntax"),
    Payload("role", "{glue:text}`finance_tax` and {sub-ref}`today`", "MyST role syntax"),
    Payload("directive", "```{raw} html <b id='pwned-raw'>RAW</b> ```", "directive fence"),
    Payload("colon_directive", ":::{warning} WARNED :::", "directive fence"),
    Payload("bidi", "abc\u202edcba and \u2066isolated\u2069", "a bidirectional control"),
    Payload("zero_width", "java\u200bscript:alert('zw')", "an invisible character"),
    Payload("formula", '=HYPERLINK("http://example.invalid","x")', "read as a formula"),
    Payload("dde", "-cmd|' /C calc'!A0", "read as a formula"),
    Payload("at", "@SUM(1+1)*cmd|' /C calc'!A0", "read as a formula"),
    Payload("plus", "+1+cmd|' /C calc'!A0", "read as a formula"),
    # valid text that every output must escape
    Payload("latex_input", r"\input{/etc/hostname} \input{hostile-secret}", None),
    Payload("latex_specials", r"\def\x{DEFINED}\x % & # _ ^ ~ \\ $x$ \catcode`\@=11", None),
    Payload(
        "markdown",
        "*em* **strong** _u_ `code` # h > q [link](http://example.invalid) ![i](x.png) 1. x",
        None,
    ),
    Payload("entities", "&lt;b&gt; &amp; &#60;i&#62; &quot;", None),
    Payload("attribute", "\" onmouseover=\"window.__pwned='attr'\" x=\"' onfocus='alert(1)'", None),
    Payload("pipes", r"a | b || c \| d", None),
]
BY_NAME = {p.name: p for p in PAYLOADS}


def text_fields(descriptor: dict) -> dict[str, list[str]]:
    """The free-text fields (string, no enum, no pattern) of each table."""
    return {
        r["name"]: [f["name"] for f in r["schema"]["fields"] if textrules.is_text_field(f)]
        for r in descriptor["resources"]
        if "schema" in r
    }


def inject(data_dir: Path) -> dict[tuple[str, int, str], Payload]:
    """Put a payload in every free-text field of every row of every table of ``data_dir``.

    Row ``i``'s ``k``-th free-text field gets payload ``(i + k) % len(PAYLOADS)``, so every
    payload lands in every field of a table with enough rows. Returns, per (file, line,
    column), the payload written there.
    """
    descriptor = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    placed: dict[tuple[str, int, str], Payload] = {}
    for resource in descriptor["resources"]:
        fields = text_fields(descriptor).get(resource["name"])
        if not fields:
            continue
        path = data_dir / resource["path"]
        header, rows = read_rows(path)
        for i, row in enumerate(rows):
            for k, name in enumerate(fields):
                payload = PAYLOADS[(i + k) % len(PAYLOADS)]
                row[header.index(name)] = payload.text
                placed[(f"data/{resource['path']}", i + 2, name)] = payload
        write_rows(path, header, rows)
    return placed
