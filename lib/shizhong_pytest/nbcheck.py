"""A pytest plugin (``-p shizhong_pytest.nbcheck``): strict nbval also proves what the editions
read.

nbval compares code-cell outputs but no metadata, and never Markdown cells. The book reads
both: each edition keeps the outputs whose metadata says its language (``{"lang": ...}``),
a glued value is named in its output's metadata (``scrapbook.name``), and the prose's stored
inline results live in Markdown cell metadata (:mod:`shizhong.prose`). So this plugin

* adds one test item per Markdown cell with inline expressions, placed after the code cell
  before it, that evaluates the cell's expressions in nbval's own kernel and fails on any
  difference from the stored results, naming the cell and the expression;
* makes each code cell's comparison also compare, output by output, the language and the
  glue name in the metadata.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from shizhong import prose

TIMEOUT = 60.0


class ProseMismatch(Exception):
    """A stored inline result differs from what the kernel gives now."""


class ProseItem(pytest.Item):
    """The inline expressions of one Markdown cell, checked in the notebook's kernel."""

    def __init__(self, *, cell: Any, index: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.cell = cell
        self.index = index

    def runtest(self) -> None:
        found = prose.expressions(self.cell.source)
        kernel = self.parent.kernel
        msg_id = kernel.kc.execute("", silent=True, store_history=False,
                                   user_expressions=prose.request(found))  # fmt: skip
        deadline = time.monotonic() + TIMEOUT
        while True:
            msg = kernel.get_message(stream="shell", timeout=max(deadline - time.monotonic(), 1))
            if msg["parent_header"].get("msg_id") == msg_id:
                break
        try:
            fresh = prose.record(found, msg["content"])
        except RuntimeError as error:
            raise ProseMismatch(str(error)) from None
        stored = self.cell.metadata.get(prose.METADATA, [])
        if problems := prose.differences(stored, fresh):
            raise ProseMismatch("; ".join(problems))

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, ProseMismatch):
            cell_id = self.cell.get("id", "?")
            return (
                f"{self.parent.path.name}, Markdown cell {self.index} (id {cell_id}): stored prose "
                f"values differ from re-execution; run `make notebooks`.\n{excinfo.value}"
            )
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Any, int, str]:
        return self.path, self.index, f"{self.name}: prose values"


def _edition_keys(outputs: list[Any]) -> list[tuple[Any, Any]]:
    """The metadata each edition selects outputs by: language and glued name, in order."""
    return [
        (o.get("metadata", {}).get("lang"), o.get("metadata", {}).get("scrapbook", {}).get("name"))
        for o in outputs
        if o.get("output_type") in ("display_data", "execute_result")
    ]


def pytest_configure(config: pytest.Config) -> None:
    """Compare each code cell's edition metadata too, after nbval's own comparison."""
    from nbval.plugin import IPyNbCell

    if getattr(IPyNbCell.compare_outputs, "_shizhong", False):
        return
    compare = IPyNbCell.compare_outputs

    def compare_outputs(self: Any, test: Any, ref: Any, skip_compare: Any = None) -> bool:
        same = compare(self, test, ref, skip_compare)
        now, stored = _edition_keys(test), _edition_keys(ref)
        if now != stored:
            self.comparison_traceback.append(
                f"output metadata (lang, glue name) differs: stored {stored}, now {now}"
            )
            return False
        return same

    compare_outputs._shizhong = True  # type: ignore[attr-defined]
    IPyNbCell.compare_outputs = compare_outputs


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """After each code cell of a notebook, the prose items of the Markdown cells below it."""
    from nbval.plugin import IPyNbCell, IPyNbFile

    result: list[pytest.Item] = []
    added: set[int] = set()
    for item in items:
        parent = item.parent
        if isinstance(parent, IPyNbFile) and id(parent) not in added:
            added.add(id(parent))
            result.extend(_items(parent, [i for i in items if i.parent is parent]))
        elif not isinstance(item, IPyNbCell):
            result.append(item)
    items[:] = result


def _items(parent: Any, cells: list[pytest.Item]) -> list[pytest.Item]:
    """The code-cell items of one notebook with its prose items in notebook order."""
    by_cell = {id(item.cell): item for item in cells if hasattr(item, "cell")}
    ordered: list[pytest.Item] = []
    for index, cell in enumerate(parent.nb.cells):
        if id(cell) in by_cell:
            ordered.append(by_cell.pop(id(cell)))
        elif cell.cell_type == "markdown" and prose.expressions(cell.source):
            ordered.append(
                ProseItem.from_parent(parent, name=f"Markdown {index}", cell=cell, index=index)
            )
    return ordered + list(by_cell.values())
