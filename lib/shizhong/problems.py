"""One problem in the data, and the one exception that carries them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

_HIDDEN = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")  # controls, formats, separators, unassigned


def printable(text: str) -> str:
    """``text`` with control, invisible and separator characters written as escapes
    (``\\u202e``), so that it stays on one line and shows what is there."""
    return "".join(
        c.encode("unicode_escape").decode() if unicodedata.category(c) in _HIDDEN else c
        for c in text
    )


@dataclass(frozen=True, order=True)
class Problem:
    """A problem located by file, line (of the CSV record) and column; either may be unknown.

    ``str()`` gives the one-line message, with invisible characters escaped.
    """

    file: str
    row: int | None = None
    column: str | None = None
    message: str = ""
    row_id: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f": line {self.row}"
            if self.row_id:
                where += f" (id={self.row_id})"
        if self.column:
            where += (
                f", column {self.column}" if self.row is not None else f": column {self.column}"
            )
        return printable(f"{where}: {self.message}")


class DataError(Exception):
    """The dataset is invalid. ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        n = len(problems)
        lines = "\n".join(str(p) for p in problems)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} in the data:\n{lines}")
