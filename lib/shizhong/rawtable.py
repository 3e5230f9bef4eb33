"""CSV files as text records: the raw tables that validation, typing and checks share."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field


@dataclass
class RawTable:
    """A CSV file as text records, with the line where each record starts."""

    header: list[str]
    rows: list[list[str]]
    lines: list[int] = field(default_factory=list)

    def row_id(self, index: int) -> str | None:
        """The ``id`` cell of record ``index`` (None when the table or record has none)."""
        if "id" not in self.header:
            return None
        at = self.header.index("id")
        record = self.rows[index]
        return (record[at] or None) if at < len(record) else None


def parse_csv(text: str) -> RawTable:
    """Split CSV text into records, remembering each record's first line."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    rows: list[list[str]] = []
    lines: list[int] = []
    start = reader.line_num + 1
    for record in reader:
        rows.append(record)
        lines.append(start)
        start = reader.line_num + 1
    return RawTable(header, rows, lines)
