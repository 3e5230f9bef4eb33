"""Validate the data package: schema (Frictionless), provenance, coverage and relations.

Every problem is reported as a :class:`~shizhong.problems.Problem` naming the file, the
line (with the row id) and the column. Nothing here raises on bad data.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shizhong import semantics, tables, textrules
from shizhong.problems import Problem
from shizhong.rawtable import RawTable, parse_csv

__all__ = [
    "PACKAGE",
    "Checked",
    "RawTable",
    "parse_csv",
    "read_descriptor",
    "read_validated",
    "run",
    "validate",
]

PACKAGE = "datapackage.json"

# Human wording for Frictionless error types.
_FL_WORDS = {
    "missing-cell": "is empty but required (short row?)",
    "extra-cell": "has an extra cell",
    "blank-row": "is blank",
    "duplicate-label": "is a duplicate column name",
    "missing-label": "is missing from the header",
    "extra-label": "is not in the schema",
    "incorrect-label": "does not match the schema's column at this position",
}


def _rel(data_dir: Path, path: Path) -> str:
    """A path as shown in messages: relative to the data folder's parent, never absolute."""
    return f"{data_dir.name}/{path.relative_to(data_dir).as_posix()}"


def read_descriptor(data_dir: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Parse datapackage.json."""
    path = data_dir / PACKAGE
    name = _rel(data_dir, path)
    if not path.is_file():
        return None, [Problem(name, message="not found")]
    try:
        return json.loads(path.read_text(encoding="utf-8")), []
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, [Problem(name, message=f"not valid JSON: {exc}")]


def read_text(data_dir: Path, rel: str) -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 file, reporting absence, emptiness and bad encoding."""
    path = data_dir / rel
    name = _rel(data_dir, path)
    if not path.is_file():
        return None, [Problem(name, message="file not found")]
    raw = path.read_bytes()
    if not raw.strip():
        return None, [Problem(name, message="file is empty")]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, [
            Problem(
                name,
                message=f"not UTF-8 (byte 0x{raw[exc.start]:02x} on line {line}); "
                "save the file as UTF-8",
            )
        ]


def _structure(name: str, table: RawTable, fields: list[str]) -> list[Problem]:
    """Header and row-length problems, which Frictionless reports less clearly."""
    problems = [
        Problem(name, column=col, message="column is missing from the header")
        for col in fields
        if col not in table.header
    ]
    problems += [
        Problem(name, column=col, message="column is not in the schema")
        for col in table.header
        if col not in fields
    ]
    if problems:
        return problems
    if not table.rows:
        return [Problem(name, message="has a header but no rows")]
    id_at = table.header.index("id") if "id" in table.header else None
    for record, line in zip(table.rows, table.lines, strict=True):
        if len(record) != len(table.header):
            rid = record[id_at] if id_at is not None and id_at < len(record) else None
            problems.append(
                Problem(
                    name,
                    row=line,
                    row_id=rid,
                    message=f"has {len(record)} fields, expected {len(table.header)}",
                )
            )
    return problems


def _frictionless(data_dir: Path, raw: dict[str, RawTable]) -> list[Problem]:
    """Table Schema validation: types, constraints and keys."""
    from frictionless import Package  # deferred: only validation needs it

    package = Package(str(data_dir / PACKAGE))
    fields = {
        r.name: {f.name: f for f in r.schema.fields}
        for r in package.resources
        if getattr(r, "schema", None)
    }
    report = package.validate()
    problems = [Problem(f"{data_dir.name}/{PACKAGE}", message=e.message) for e in report.errors]
    for task in report.tasks:
        path = f"{data_dir.name}/{task.place}"
        for err in task.errors:
            if err.type == "hash-count":
                continue  # reported, better worded, by _article_hash
            problems.append(_fl_problem(err, path, raw.get(task.name), fields.get(task.name, {})))
    return problems


def _fl_problem(err: Any, path: str, table: RawTable | None, fields: dict[str, Any]) -> Problem:
    """Translate one Frictionless error into a Problem with a line number and row id."""
    row_number = getattr(err, "row_number", None)
    column = getattr(err, "field_name", None) or None
    cell = getattr(err, "cell", None)
    line = rid = None
    if row_number is not None and table is not None:
        index = row_number - 2  # Frictionless counts the header as row 1
        if 0 <= index < len(table.rows):
            line = table.lines[index]
            if "id" in table.header and len(table.rows[index]) > table.header.index("id"):
                rid = table.rows[index][table.header.index("id")] or None
    kind = err.type
    if kind == "type-error":
        kind_name = fields[column].type if column in fields else "value"
        text = f"{cell!r} is not a valid {kind_name}"
        if isinstance(cell, str) and re.fullmatch(r"-?\d+,\d+", cell.strip()):
            text += " (a comma as decimal separator? write it with '.')"
    elif kind == "constraint-error":
        if cell in ("", "None", None) and "required" in err.note:
            text = "is empty but required"
        else:
            text = _constraint_words(cell, err.note, fields.get(column))
    elif kind in ("unique-error", "primary-key"):
        text = f"duplicate key: {err.note}"
        column = column or ("id" if table and "id" in table.header else None)
    elif kind == "foreign-key":
        match = re.search(
            r'for "([^"]+)": values "([^"]*)" not found in the lookup table "([^"]+)"', err.note
        )
        if match:
            column = match.group(1)
            text = f"{match.group(2)!r} is not in {match.group(3)}.csv"
        else:
            text = err.note
    else:
        text = _FL_WORDS.get(kind, err.message)
    return Problem(path, row=line, column=column, message=text, row_id=rid)


@dataclass
class Checked:
    """What validation found: the problems and, when there are none, the typed tables."""

    problems: list[Problem]
    descriptor: dict[str, Any] = field(default_factory=dict)
    frames: dict[str, Any] = field(default_factory=dict)
    article: str = ""


def _constraint_words(cell: Any, note: str, field_: Any) -> str:
    """'sports' is not one of economy, projects, … rather than Frictionless' raw note."""
    match = re.match(r'constraint "(\w+)" is "(.*)"', note)
    name = match.group(1) if match else ""
    constraints = getattr(field_, "constraints", {}) or {}
    if name == "enum":
        return f"{cell!r} is not one of {', '.join(map(str, constraints['enum']))}"
    if name == "pattern":
        return f"{cell!r} does not match the pattern {constraints['pattern']!r}"
    if name in ("minimum", "maximum"):
        side = "below the minimum" if name == "minimum" else "above the maximum"
        return f"{cell!r} is {side} {constraints[name]}"
    return f"{cell!r} breaks the constraint {note}"


def validate(data_dir: str | Path = "data") -> list[Problem]:
    """Return every problem with the data package in ``data_dir`` (empty when valid)."""
    return run(data_dir).problems


def run(data_dir: str | Path = "data") -> Checked:
    """Validate ``data_dir`` in stages; each stage runs only if the previous one passed."""
    data_dir = Path(data_dir)
    descriptor, problems = read_descriptor(data_dir)
    if descriptor is None:
        return Checked(problems)
    paths = _paths(data_dir, descriptor)
    if paths:  # read no file the descriptor points at outside the data folder
        return Checked(paths)
    problems += _descriptor_text(data_dir, descriptor)

    raw: dict[str, RawTable] = {}
    texts: dict[str, str] = {}
    for res in descriptor.get("resources", []):
        text, errs = read_text(data_dir, res["path"])
        problems += errs
        if text is None:
            continue
        texts[res["name"]] = text
        if "schema" in res:
            table = parse_csv(text)
            names = [f["name"] for f in res["schema"]["fields"]]
            errs = _structure(_rel(data_dir, data_dir / res["path"]), table, names)
            problems += errs
            if not errs:
                raw[res["name"]] = table
    if problems:
        return Checked(sorted(set(problems), key=_order))
    problems = _cell_text(data_dir, descriptor, raw)
    if problems:
        return Checked(problems)

    hash_problem = _article_hash(data_dir, descriptor)
    if hash_problem:
        # A changed article invalidates every quote: say that once, not a hundred times.
        return Checked([hash_problem])
    problems = _frictionless(data_dir, raw)
    if problems:
        return Checked(_dedupe(problems))

    schemas = {r["name"]: r["schema"] for r in descriptor["resources"] if "schema" in r}
    frames = {name: tables.typed(raw[name], schemas[name]) for name in schemas}
    article = texts["article"]
    problems = semantics.check(data_dir, descriptor, raw, frames, article)
    if problems:
        return Checked(problems)
    return Checked([], descriptor, frames, article)


def read_validated(files: dict[str, bytes]) -> Checked:
    """The typed tables from the bytes of a package that passed :func:`run` before, unchecked
    (``shizhong.validated`` decides when): ``files`` maps paths inside the data folder to
    their bytes, as :func:`shizhong.validated.snapshot` reads them."""
    descriptor = json.loads(files[PACKAGE].decode("utf-8"))
    texts = {res["name"]: files[res["path"]].decode("utf-8") for res in descriptor["resources"]}
    schemas = {r["name"]: r["schema"] for r in descriptor["resources"] if "schema" in r}
    frames = {name: tables.typed(parse_csv(texts[name]), s) for name, s in schemas.items()}
    return Checked([], descriptor, frames, texts["article"])


_PATH = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9][A-Za-z0-9_.-]*)*")


def _paths(data_dir: Path, descriptor: dict[str, Any]) -> list[Problem]:
    """Every file path of the descriptor is a plain relative path inside the data folder
    (the book offers these files for download: none may name a file elsewhere)."""
    name = f"{data_dir.name}/{PACKAGE}"
    entries = [
        (f"{kind}[{i}].path", item.get("path"))
        for kind in ("resources", "sources")
        for i, item in enumerate(descriptor.get(kind) or [])
        if isinstance(item, dict)
    ]
    problems = []
    for where, path in entries:
        if path is None and where.startswith("sources"):
            continue
        if not (isinstance(path, str) and _PATH.fullmatch(path) and ".." not in path.split("/")):
            problems.append(
                Problem(
                    name,
                    message=f"{where}: {path!r} is not a relative path inside "
                    f"{data_dir.name}/ (letters, digits, '_', '-', '.' and '/')",
                )
            )
    return problems


def _descriptor_text(data_dir: Path, descriptor: dict[str, Any]) -> list[Problem]:
    """Titles and descriptions reach the book: they follow the rules of text fields."""
    name = f"{data_dir.name}/{PACKAGE}"
    return [
        Problem(name, message=f"{path}: {msg}")
        for path, msg in textrules.descriptor_problems(descriptor)
    ]


def _cell_text(
    data_dir: Path, descriptor: dict[str, Any], raw: dict[str, RawTable]
) -> list[Problem]:
    """Characters, formula starts and markup in every cell (see :mod:`shizhong.textrules`)."""
    problems = []
    for res in descriptor.get("resources", []):
        table = raw.get(res["name"])
        if table is None:
            continue
        path = _rel(data_dir, data_dir / res["path"])
        fields = {f["name"]: f for f in res["schema"]["fields"]}
        for index, (record, line) in enumerate(zip(table.rows, table.lines, strict=True)):
            for column, cell in zip(table.header, record, strict=True):
                for message in textrules.cell_problems(cell, fields.get(column)):
                    problems.append(Problem(path, line, column, message, table.row_id(index)))
    return problems


def _article_hash(data_dir: Path, descriptor: dict[str, Any]) -> Problem | None:
    source = descriptor["sources"][0]
    path = data_dir / source["path"]
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    if actual != source["sha256"]:
        return Problem(
            _rel(data_dir, path),
            message=f"the article changed: its SHA-256 is {actual[:12]}…, "
            f"but datapackage.json records {source['sha256'][:12]}…",
        )
    return None


def _order(p: Problem) -> tuple[str, int, str, str]:
    return (p.file, p.row or 0, p.column or "", p.message)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    """Drop Frictionless' echo errors (a unique-error is also a primary-key error)."""
    seen: set[tuple[str, int | None]] = set()
    out = []
    for p in sorted(problems, key=_order):
        key = (p.file, p.row, p.column, p.message.split(" (")[0])
        if key in seen:
            continue
        seen.add(key)
        out.append(p)
    return out
