"""The prose's inline expressions, ``{eval}`en.key```, and their stored results.

JupyterLab (jupyterlab-myst) evaluates a Markdown cell's inline expressions through the
``user_expressions`` field of an ``execute_request`` and keeps the results in the cell's
metadata, ``user_expressions``, from which it renders the cell as saved. ``make notebooks``
stores the same results as it executes each notebook, at each Markdown cell's place, as Run
All in Lab does; the nbval plugin :mod:`shizhong_pytest.nbcheck` re-evaluates them in nbval's
kernel and fails on any difference.

The prose may only read a glued value, ``en.key`` in an English cell and ``zh.key`` in a
Chinese one (see :mod:`shizhong.glue`).
"""

from __future__ import annotations

import re
from typing import Any, Final

#: An inline expression of the prose: ``{eval}`en.key``` or ``{eval}`zh.key```.
EXPRESSION: Final = re.compile(r"\{eval\}`([^`]*)`")
#: The only expressions the prose may use: a glued value of the cell's language.
VALUE: Final = re.compile(r"(en|zh)\.([A-Za-z][A-Za-z0-9_]*)")
METADATA: Final = "user_expressions"
PLAIN: Final = "text/plain"


def expressions(source: str) -> list[str]:
    """The inline expressions of a Markdown source, in order, each once."""
    return list(dict.fromkeys(EXPRESSION.findall(source)))


def parse(expression: str) -> tuple[str, str]:
    """``(lang, key)`` of a prose expression; ValueError for anything but ``en.key``/``zh.key``."""
    match = VALUE.fullmatch(expression)
    if match is None:
        raise ValueError(f"{{eval}}`{expression}`: the prose may only read en.<key> or zh.<key>")
    return match.group(1), match.group(2)


def record(expressions_: list[str], reply: dict[str, Any]) -> list[dict[str, Any]]:
    """The metadata JupyterLab stores for ``expressions_`` from an execute reply's content."""
    results = reply.get("user_expressions", {})
    stored = []
    for i, expression in enumerate(expressions_):
        result = results.get(str(i), {})
        if result.get("status") != "ok":
            error = f"{result.get('ename', '')}: {result.get('evalue', '')}"
            raise RuntimeError(f"{{eval}}`{expression}` failed: {error}")
        data = {PLAIN: result["data"][PLAIN]}  # the text only: data stays text in Lab too
        stored.append({"expression": expression, "result": {"status": "ok", "data": data,
                                                              "metadata": {}}})  # fmt: skip
    return stored


def request(expressions_: list[str]) -> dict[str, str]:
    """The ``user_expressions`` field of an execute request for ``expressions_``."""
    return {str(i): e for i, e in enumerate(expressions_)}


def differences(stored: list[dict[str, Any]], fresh: list[dict[str, Any]]) -> list[str]:
    """Each expression whose stored text differs from a fresh evaluation's."""
    before = {e["expression"]: e["result"]["data"].get(PLAIN) for e in stored}
    now = {e["expression"]: e["result"]["data"].get(PLAIN) for e in fresh}
    return [
        f"{expression}: stored {before.get(expression)!r}, now {value!r}"
        for expression, value in now.items()
        if before.get(expression) != value
    ] + [f"{expression}: stored but no longer in the cell" for expression in before.keys() - now]
