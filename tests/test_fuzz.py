"""Corrupted data never crashes validation: every outcome is a list of located problems, or,
when the damage was harmless, data that still loads."""

from __future__ import annotations

import random

import pytest

import shizhong as sz
from shizhong.problems import printable
from shizhong.validate import validate

JUNK = [
    *("", "abc", "-1", "1e999", "17,7", '"', "NaN", "\x00", "中文", " ", "1.2.3", "None"),
    *("=1+1", "@SUM(A1)", "\u202e", "{{ 7*191 }}", "<script>"),
]
FILES = ["indicators.csv", "units.csv", "checks.csv", "focus_links.csv", "glossary.csv"]


def corrupt(text: str, rng: random.Random) -> str:
    """One random damage: a cell, a line, a cut, or stray bytes."""
    lines = text.split("\n")
    kind = rng.choice(["cell", "drop_line", "truncate", "duplicate_line", "insert"])
    i = rng.randrange(1, max(2, len(lines) - 1))
    if kind == "cell":
        cells = lines[i].split(",")
        cells[rng.randrange(len(cells))] = rng.choice(JUNK)
        lines[i] = ",".join(cells)
    elif kind == "drop_line":
        del lines[i]
    elif kind == "duplicate_line":
        lines.insert(i, lines[i])
    elif kind == "truncate":
        return text[: rng.randrange(len(text))]
    else:
        lines.insert(i, rng.choice(JUNK) * rng.randint(1, 5))
    return "\n".join(lines)


@pytest.mark.parametrize("seed", range(40))
def test_random_damage_gives_located_problems(data_copy, seed):
    rng = random.Random(seed)
    path = data_copy / rng.choice(FILES)
    original = path.read_text(encoding="utf-8")
    damaged = corrupt(original, rng)
    assert damaged != original, "the damage must change the file"
    path.write_text(damaged, encoding="utf-8")
    problems = validate(data_copy)  # must not raise
    for p in problems:
        assert str(p).startswith("data/"), str(p)
        assert "Traceback" not in str(p)
        assert printable(str(p)) == str(p), str(p)  # one line, nothing hidden
    if not problems:  # harmless damage (a dropped glossary row, say): the data still loads
        assert isinstance(sz.load(data_copy), sz.Dataset)
