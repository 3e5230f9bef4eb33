"""Checks that need the article: provenance of quotes, values against their text,
coverage of every numeral, and the declared relations."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pandas as pd

from shizhong import checks, numerals
from shizhong.problems import Problem
from shizhong.rawtable import RawTable

NON_NUMERIC_KINDS = {"label", "date"}
NON_NEGATIVE_KINDS = {"count", "rank", "level", "share"}
QUOTED_TABLES = ("focus_areas", "industries", "strategies", "road_works", "entities")
#: A glossary explanation comes from the article, is the editors' general background (no year
#: or figure), or cites the references.bib entry that supports its dates and figures.
GLOSSARY_SOURCES = ("article", "background")


def bib_keys(path: Path) -> set[str] | None:
    """The entry keys of a BibTeX file (None when there is no file to check against)."""
    if not path.is_file():
        return None
    return set(re.findall(r"^@\w+\{([^,\s]+),", path.read_text(encoding="utf-8"), re.M))


def check(
    data_dir: Path,
    descriptor: dict[str, Any],
    raw: dict[str, RawTable],
    frames: dict[str, pd.DataFrame],
    article: str,
) -> list[Problem]:
    """Every semantic problem in the (schema-valid) tables."""
    paths = {r["name"]: f"{data_dir.name}/{r['path']}" for r in descriptor["resources"]}

    def where(table: str, index: int, column: str, message: str) -> Problem:
        return Problem(
            paths[table], raw[table].lines[index], column, message, raw[table].row_id(index)
        )

    problems: list[Problem] = []
    ind = frames["indicators"]
    for i, row in enumerate(ind.itertuples(index=False)):
        problems += [where("indicators", i, c, m) for c, m in _indicator(row, article)]

    for table in QUOTED_TABLES:
        for i, quote in enumerate(frames[table]["quote"]):
            if quote not in article:
                problems.append(where(table, i, "quote", f"not found in the article: {quote!r}"))
    for i, term in enumerate(frames["glossary"]["term_zh"]):
        if term not in article:
            problems.append(where("glossary", i, "term_zh", f"{term!r} is not in the article"))
    if "source" in frames["glossary"]:
        keys = bib_keys(data_dir.parent / "references.bib")
        for i, source in enumerate(frames["glossary"]["source"]):
            if source not in GLOSSARY_SOURCES and keys is not None and source not in keys:
                problems.append(
                    where(
                        "glossary",
                        i,
                        "source",
                        f"{source!r} is neither {' nor '.join(GLOSSARY_SOURCES)} "
                        "nor an entry of references.bib",
                    )
                )
    for i, row in enumerate(frames["numeral_exclusions"].itertuples(index=False)):
        if row.context not in article:
            problems.append(
                where("numeral_exclusions", i, "context", f"not in the article: {row.context!r}")
            )
        elif row.numeral not in row.context:
            problems.append(
                where("numeral_exclusions", i, "numeral", f"{row.numeral!r} is not in its context")
            )

    problems += _relations(frames, paths, raw)
    if not problems:
        problems += _coverage(article, frames, paths)
    return problems


def _indicator(row: Any, article: str) -> list[tuple[str, str]]:
    """(column, message) problems of one indicator row."""
    out: list[tuple[str, str]] = []
    count = article.count(row.quote)
    if count == 0:
        return [("quote", f"not found in the article: {row.quote!r}")]
    if count > 1:
        out.append(("quote", f"occurs {count} times in the article; extend it until it is unique"))
    if row.text not in row.quote:
        out.append(("text", f"{row.text!r} is not in the quote"))
    missing = pd.isna(row.value)
    if row.kind in NON_NUMERIC_KINDS:
        if not missing:
            out.append(("value", f"must be empty for kind {row.kind!r} (the text holds it)"))
        return out
    if missing:
        return [*out, ("value", f"is empty; a {row.kind} needs a number")]
    try:
        written = numerals.read(row.text)
    except ValueError:
        return [*out, ("text", f"{row.text!r} is not a numeral")]
    if not math.isclose(written, float(row.value), rel_tol=0, abs_tol=1e-9):
        out.append(("value", f"{row.value:g} does not match the text {row.text!r} ({written:g})"))
    if row.kind in NON_NEGATIVE_KINDS and row.value < 0:
        out.append(("value", f"a {row.kind} cannot be negative ({row.value:g})"))
    if row.kind in {"count", "rank"} and float(row.value) != int(row.value):
        out.append(("value", f"a {row.kind} must be a whole number ({row.value:g})"))
    return out


def _relations(
    frames: dict[str, pd.DataFrame], paths: dict[str, str], raw: dict[str, RawTable]
) -> list[Problem]:
    table = raw["checks"]
    line = {r[0]: table.lines[i] for i, r in enumerate(table.rows)}
    ids = set(frames["indicators"]["id"])
    counts = {name: len(df) for name, df in frames.items()}
    bad = checks.unknown_operands(frames["checks"], ids, set(counts))
    unnamed = checks.unknown_placeholders(frames["checks"], ids)
    # A Chinese placeholder that names no indicator is reported once, as that.
    reported = {cid for cid, column, _ in unnamed if column == "description_zh"}
    mismatched = [
        (cid, message)
        for cid, message in checks.placeholder_mismatches(frames["checks"])
        if cid not in reported
    ]
    if bad or unnamed or mismatched:
        return (
            [
                Problem(paths["checks"], line[cid], "operands", f"unknown operand {op!r}", cid)
                for cid, op in bad
            ]
            + [
                Problem(paths["checks"], line[cid], column, f"{{{name}}} names no indicator", cid)
                for cid, column, name in unnamed
            ]
            + [
                Problem(paths["checks"], line[cid], "description_zh", message, cid)
                for cid, message in mismatched
            ]
        )
    results = checks.evaluate(frames["checks"], frames["indicators"], counts)
    return [
        Problem(
            paths["checks"],
            line[r.id],
            "relation",
            f"does not hold: {r.target} = {r.lhs:g} vs {r.relation}({r.operands}) = {r.rhs:g}, "
            f"difference {r.difference:g} exceeds tolerance {r.tolerance:g}",
            r.id,
        )
        for r in results.itertuples()
        if not r.holds
    ]


def covered_spans(article: str, needles: list[str]) -> list[tuple[int, int]]:
    """Every (start, end) occurrence of each needle in the article."""
    spans = []
    for needle in needles:
        start = article.find(needle)
        while start != -1:
            spans.append((start, start + len(needle)))
            start = article.find(needle, start + 1)
    return spans


def coverage(article: str, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Each numeral of the article and what accounts for it: a quote, an exclusion, or nothing."""
    quotes = covered_spans(article, list(frames["indicators"]["quote"]))
    exclusions = frames["numeral_exclusions"]
    excl_spans = [
        (s, e, reason)
        for ctx, reason in zip(exclusions["context"], exclusions["reason"], strict=True)
        for s, e in covered_spans(article, [ctx])
    ]
    rows = []
    for tok in numerals.tokens(article):
        inside = [(s, e) for s, e in quotes if s <= tok.start and tok.end <= e]
        excl = [r for s, e, r in excl_spans if s <= tok.start and tok.end <= e]
        status = "quoted" if inside else ("excluded" if excl else "uncovered")
        rows.append(
            {
                "numeral": tok.text,
                "line": numerals.line_of(article, tok.start),
                "position": tok.start,
                "status": status,
                "reason": excl[0] if excl and not inside else "",
            }
        )
    return pd.DataFrame.from_records(rows)


def _coverage(
    article: str, frames: dict[str, pd.DataFrame], paths: dict[str, str]
) -> list[Problem]:
    cov = coverage(article, frames)
    problems = [
        Problem(
            paths["article"],
            message=f"numeral {r.numeral!r} on line {r.line} is in no indicator quote "
            "and not in numeral_exclusions.csv",
        )
        for r in cov.itertuples()
        if r.status == "uncovered"
    ]
    used = {
        ctx
        for ctx in frames["numeral_exclusions"]["context"]
        if any(
            r.status == "excluded" and s <= r.position < e
            for s, e in covered_spans(article, [ctx])
            for r in cov.itertuples()
        )
    }
    problems += [
        Problem(
            paths["numeral_exclusions"], None, "context", f"{ctx!r} excludes no uncovered numeral"
        )
        for ctx in frames["numeral_exclusions"]["context"]
        if ctx not in used
    ]
    return problems
