"""Random damage to any table is rejected where it was done: each seed damages one record of
one CSV file in a way no valid package allows, and validation must name that file, the
record's line and, for a damaged cell, its column, in one printable line; it never raises."""

from __future__ import annotations

import csv
import io
import json
import random

import pytest

from shizhong.problems import printable
from shizhong.validate import validate

from .conftest import DATA, nonempty, read_rows, write_rows

#: Cell values that break the rule of every field of every table (README, "Trust boundary"):
#: a control, a bidirectional control, a zero-width character, a formula start, a template,
#: HTML, a leading or a trailing space. None is a valid identifier, number or list value.
HOSTILE = ["\x00", "\u202e", "\u200b", "=1+1", "@SUM(A1)", "{{ 7*191 }}", "<script>", " a", "a "]
#: Inserted inside a value, these still break every field's rule.
INSIDE = ["\x00", "\u202e", "\u200b", "{{", "<b>"]
FILES = nonempty(sorted(p.name for p in DATA.glob("*.csv")), "CSV tables")
#: One damage per seed, in turn: a cell replaced, a character put inside a cell, a record cut
#: short (as a truncated file ends), a record with an extra field, a junk line, a duplicate.
KINDS = ["cell", "inside", "short", "long", "junk_line", "duplicate"]


def primary_key(name: str) -> list[str]:
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    res = next(r for r in package["resources"] if r.get("path") == name)
    key = res["schema"]["primaryKey"]
    return [key] if isinstance(key, str) else key


def first_lines(header: list[str], rows: list[list[str]]) -> list[int]:
    """The line on which each record starts, counted in the CSV text as written (a quoted
    value may span lines)."""
    lines, line = [], 1 + _written(header).count("\n")  # the header starts on line 1
    for row in rows:
        lines.append(line)
        line += _written(row).count("\n")
    return lines


def _written(row: list[str]) -> str:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerow(row)
    return buf.getvalue()


def damage(
    name: str, header: list[str], rows: list[list[str]], kind: str, rng: random.Random
) -> tuple[int, set[str | None]]:
    """Damage ``rows`` in place; return the index of the damaged record and the columns a
    problem may name for it (``None``: the record as a whole)."""
    i = rng.randrange(len(rows))
    column = rng.randrange(len(header))
    if kind == "cell":
        rows[i][column] = rng.choice(HOSTILE)
        return i, {header[column]}
    if kind == "inside":
        value = rows[i][column]
        at = rng.randrange(len(value) + 1)
        rows[i][column] = value[:at] + rng.choice(INSIDE) + value[at:]
        return i, {header[column]}
    if kind == "short":
        rows[i] = rows[i][: rng.randrange(1, len(header))]
        del rows[i + 1 :]  # a file cut inside this record: nothing after it
        return i, {None}
    if kind == "long":
        rows[i].append(rng.choice(["", "x", "1"]))
        return i, {None}
    if kind == "junk_line":
        rows.insert(i, [rng.choice(HOSTILE)])
        return i, {None}
    rows.insert(i + 1, list(rows[i]))  # duplicate: the second copy repeats the primary key
    return i + 1, {None, *primary_key(name)}


@pytest.mark.parametrize("seed", range(40))
def test_random_damage_is_rejected_where_it_was_done(data_copy, seed):
    rng = random.Random(seed)
    kind = KINDS[seed % len(KINDS)]
    name = rng.choice(FILES)
    header, rows = read_rows(data_copy / name)
    damaged_row, columns = damage(name, header, rows, kind, rng)
    write_rows(data_copy / name, header, rows)
    line = first_lines(header, rows)[damaged_row]

    problems = validate(data_copy)  # must not raise
    for p in problems:
        assert str(p).startswith("data/"), str(p)
        assert "Traceback" not in str(p)
        assert printable(str(p)) == str(p), str(p)  # one line, nothing hidden
    located = [p for p in problems if (p.file, p.row) == (f"data/{name}", line)]
    assert any(p.column in columns for p in located), (
        f"{kind} damage of {name} line {line} (columns {columns}) not reported there: "
        f"{[str(p) for p in problems]}"
    )
