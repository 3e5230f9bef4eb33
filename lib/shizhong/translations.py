"""The Chinese prose cannot drift from the English: each ``zh`` cell records what it translates.

A chapter notebook holds each English Markdown cell (tagged ``en``) followed by its Chinese
twin (tagged ``zh``). The twin records, in its metadata, the hash of the English text it was
last reviewed against::

    "metadata": {"tags": ["zh"], "translation": {"en_sha256": "…"}}

:func:`status` compares that hash with the English cell as it is now; ``tests/
test_translations.py`` fails, naming the cell, when the English has changed since the Chinese
was last reviewed. After reviewing (and, if need be, revising) the Chinese, mark it reviewed::

    python -m shizhong translations mark notebooks/economy.ipynb --cell <id>
    make translations-status

The hash is over the English cell's source only (never its metadata, such as the
``user_expressions`` JupyterLab stores, nor any output), with the parts that change
mechanically written one way (:func:`normalise`): a glued value is ``{key}`` however it is
written (``{eval}`en.key```, ``{glue:text}`key```), a reference is its target however it is
written (a Markdown link or a Sphinx role), and runs of white space are one space. A reworded
sentence, a new figure or a changed link target changes the hash; re-wrapping a paragraph or
changing the role that pastes a value does not.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import nbformat

__all__ = ["Twin", "en_hash", "mark", "normalise", "status", "twins"]

METADATA: Final = "translation"
KEY: Final = "en_sha256"

#: Mechanical spellings of one thing, each rewritten to one form before hashing.
_NORMAL: Final = (
    # a glued value: {eval}`en.key`, {eval}`zh.key`, {glue:text}`key`, {glue}`key` → {key}
    (re.compile(r"\{eval\}`(?:en|zh)\.(\w+)`"), r"{\1}"),
    (re.compile(r"\{glue(?::text)?\}`(\w+)`"), r"{\1}"),
    # a figure or table: [title](page.ipynb#fig-x) or {numref}`fig-x` → {ref fig-x}
    (re.compile(r"\[[^\]\n]+\]\([\w-]+\.ipynb#((?:fig|tbl)-[\w-]+)\)"), r"{ref \1}"),
    (re.compile(r"\{numref\}`((?:fig|tbl)-[\w-]+)`"), r"{ref \1}"),
    # a citation: [author, year](references.md#key) or {cite}`key` → {cite key}
    (re.compile(r"\[[^\]\n]+\]\(references\.md#([\w-]+)\)"), r"{cite \1}"),
    (re.compile(r"\{cite(?::\w+)?\}`([\w-]+)`"), r"{cite \1}"),
    # a page: [Title](page.ipynb) or {doc}`Title <page>` → [Title](page)
    (re.compile(r"\[([^\]\n]+)\]\(([\w-]+)\.(?:ipynb|md)\)"), r"[\1](\2)"),
    (re.compile(r"\{doc\}`([^`<]+?)\s*<([\w/-]+)>`"), r"[\1](\2)"),
    # a data file: [name](../data/x.csv) or {download}`name </data/x.csv>` → [name](data/x.csv)
    (re.compile(r"\[([^\]\n]+)\]\(\.\./(data/[\w./-]+)\)"), r"[\1](\2)"),
    (re.compile(r"\{download\}`([^`<]+?)\s*</(data/[\w./-]+)>`"), r"[\1](\2)"),
)


def normalise(text: str) -> str:
    """English Markdown with its mechanical spellings made one (see the module docstring)."""
    for pattern, repl in _NORMAL:
        text = pattern.sub(repl, text)
    return " ".join(text.split())


def en_hash(text: str) -> str:
    """The SHA-256 of :func:`normalise` of an English cell's source."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def _tags(cell: Any) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


@dataclass(frozen=True)
class Twin:
    """A Chinese cell, its English twin and whether it was reviewed against that English."""

    path: Path
    index: int  # the Chinese cell's position in the notebook
    zh_id: str
    en_id: str
    en_sha256: str  # of the English as it is now
    recorded: str | None  # the hash the Chinese cell records, if any

    @property
    def state(self) -> str:
        """'reviewed', 'unmarked' (never marked) or 'stale' (the English changed since)."""
        if self.recorded is None:
            return "unmarked"
        return "reviewed" if self.recorded == self.en_sha256 else "stale"

    def describe(self) -> str:
        where = f"{self.path.name} cell {self.index} (id {self.zh_id}, English twin {self.en_id})"
        if self.state == "unmarked":
            return f"{where}: the Chinese records no reviewed English version"
        return f"{where}: the English changed since the Chinese was last reviewed"


def _read(path: Path) -> Any:
    return nbformat.read(path, as_version=4)


def twins(path: str | Path, nb: Any | None = None) -> list[Twin]:
    """Every ``zh`` Markdown cell of a notebook with its ``en`` twin (the cell just before).

    A ``zh`` cell without an ``en`` Markdown cell before it is an error: its twin is unknown.
    """
    path = Path(path)
    nb = _read(path) if nb is None else nb
    out = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown" or "zh" not in _tags(cell):
            continue
        en = nb.cells[i - 1] if i else None
        if en is None or en.cell_type != "markdown" or "en" not in _tags(en):
            raise ValueError(f"{path.name} cell {i} (id {cell.get('id')}): no `en` cell before it")
        recorded = cell.get("metadata", {}).get(METADATA, {}).get(KEY)
        out.append(
            Twin(path, i, str(cell.get("id")), str(en.get("id")), en_hash(en.source), recorded)
        )
    return out


def status(paths: Iterable[str | Path]) -> list[Twin]:
    """Every twin of the notebooks ``paths`` that is not marked reviewed for its English."""
    return [t for p in paths for t in twins(p) if t.state != "reviewed"]


def mark(path: str | Path, cells: Iterable[str] = ()) -> list[Twin]:
    """Mark Chinese cells reviewed against their English as it is now; return those changed.

    ``cells``: ids of Chinese cells or of their English twins; none means every Chinese cell.
    An unknown id is an error. Only the ``translation`` metadata of those cells changes.
    """
    path = Path(path)
    nb = _read(path)
    wanted = set(cells)
    found = twins(path, nb)
    unknown = wanted - {t.zh_id for t in found} - {t.en_id for t in found}
    if unknown:
        raise KeyError(f"{path.name}: no Chinese cell or English twin with id {sorted(unknown)}")
    changed = []
    for t in found:
        if wanted and not wanted & {t.zh_id, t.en_id}:
            continue
        if t.recorded != t.en_sha256:
            nb.cells[t.index].metadata[METADATA] = {KEY: t.en_sha256}
            changed.append(t)
    if changed:
        nbformat.write(nb, path)
    return changed


def main(argv: list[str]) -> int:
    """``translations status [NOTEBOOK …]`` and ``translations mark NOTEBOOK [--cell ID …]``."""
    parser = argparse.ArgumentParser(prog="python -m shizhong translations")
    sub = parser.add_subparsers(dest="action", required=True)
    st = sub.add_parser("status", help="list Chinese cells not reviewed against their English")
    st.add_argument("notebooks", nargs="*", type=Path)
    mk = sub.add_parser("mark", help="mark Chinese cells reviewed against the English as it is")
    mk.add_argument("notebook", type=Path)
    mk.add_argument("--cell", action="append", default=[], help="a zh or en cell id (repeatable)")
    args = parser.parse_args(argv)
    if args.action == "mark":
        try:
            changed = mark(args.notebook, args.cell)
        except (KeyError, ValueError) as exc:
            print(f"error: {exc.args[0]}", file=sys.stderr)
            return 1
        for t in changed:
            print(f"marked {t.path.name} cell {t.index} (id {t.zh_id}) reviewed")
        if not changed:
            print(f"{args.notebook.name}: nothing to mark")
        return 0
    paths = args.notebooks or sorted(Path("notebooks").glob("*.ipynb"))
    pending = status(paths)
    for t in pending:
        print(t.describe())
    print(f"{len(pending)} Chinese cell{'s' if len(pending) != 1 else ''} to review")
    return 1 if pending else 0
