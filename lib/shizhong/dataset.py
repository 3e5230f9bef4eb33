"""Load the validated dataset as typed pandas DataFrames."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import pandas as pd

from shizhong import checks, inputs, semantics, units, validated, write
from shizhong.bilingual import T
from shizhong.inputs import part_digest, sha256
from shizhong.problems import DataError, Problem
from shizhong.validate import PACKAGE, Checked, run

ENV = "SHIZHONG_DATA"


@dataclass(frozen=True)
class Dataset:
    """Every table of the data package, the article and its source metadata."""

    indicators: pd.DataFrame
    units: pd.DataFrame
    exchange_rates: pd.DataFrame
    checks: pd.DataFrame
    focus_areas: pd.DataFrame
    focus_links: pd.DataFrame
    industries: pd.DataFrame
    strategies: pd.DataFrame
    road_works: pd.DataFrame
    entities: pd.DataFrame
    glossary: pd.DataFrame
    numeral_exclusions: pd.DataFrame
    labels: pd.DataFrame
    article: str
    descriptor: dict[str, Any]
    #: For each field: the files it was read from, ``{path: SHA-256}`` (a table's resource of
    #: datapackage.json as ``path#resources/<name>``). A notebook run by `make notebooks`
    #: records the fields it reads (``shizhong.inputs``).
    _files: dict[str, dict[str, str]] = field(default_factory=dict, repr=False, compare=False)

    def __getattribute__(self, name: str) -> Any:
        value = object.__getattribute__(self, name)
        if name in _TRACKED and inputs.tracking():
            inputs.read(object.__getattribute__(self, "_files").get(name, {}))
        return value

    @property
    def source(self) -> dict[str, Any]:
        """What is known of the article (``sources[0]`` of the data package)."""
        descriptor = object.__getattribute__(self, "descriptor")  # only its sources are read
        if inputs.tracking():
            inputs.read(object.__getattribute__(self, "_files").get("sources", {}))
        return descriptor["sources"][0]

    def table(self, name: str) -> pd.DataFrame:
        """A table by its resource name."""
        return getattr(self, name)

    def figure(self, id_: str) -> pd.Series:
        """One indicator row by id."""
        return self.indicators.loc[id_]

    def value(self, id_: str) -> float:
        """An indicator's value as written (17.7 for 17.7亿元)."""
        return float(self.indicators.at[id_, "value"])

    def base(self, id_: str) -> float:
        """An indicator's value in its base unit (1.77e9 CNY for 17.7亿元)."""
        row = self.indicators.loc[id_]
        return units.to_base(float(row["value"]), row["unit"], self.units)

    def row(self, id_: str) -> dict[str, Any]:
        """Tooltip columns of one indicator: English, Chinese, formatted value, quote, value."""
        r = self.indicators.loc[id_]
        return {
            "subject_en": r["subject_en"],
            "subject_zh": r["subject_zh"],
            "display": write.figure(r).en,
            "quote": r["quote"],
            "value": None if pd.isna(r["value"]) else float(r["value"]),
        }

    def label_map(self, group: str, lang: str = "en") -> dict[str, str]:
        """Labels (``lang``: en or zh) of one group of ``labels.csv``, in file order."""
        rows = self.labels[self.labels["group"] == group]
        if rows.empty:
            raise KeyError(f"no label group {group!r} in labels.csv")
        return dict(zip(rows["key"], rows[f"label_{lang}"], strict=True))

    def coverage(self) -> pd.DataFrame:
        """Each numeral of the article and what accounts for it (``status``: quoted, excluded
        or uncovered; ``reason`` of an exclusion), as validation finds them."""
        frames = {"indicators": self.indicators, "numeral_exclusions": self.numeral_exclusions}
        return semantics.coverage(self.article, frames)

    def label_pairs(self, group: str) -> dict[str, T]:
        """The labels of one group of ``labels.csv`` as pairs (English, Chinese), in file order."""
        en, zh = self.label_map(group), self.label_map(group, "zh")
        return {key: T(en[key], zh[key]) for key in en}

    def relations(self) -> pd.DataFrame:
        """The relations of ``checks.csv`` evaluated, with their descriptions filled in."""
        out = checks.evaluate(self.checks, self.indicators, _RowCounts(self))
        for lang in ("en", "zh"):
            column = f"description_{lang}"
            out[column] = [describe(t, self.indicators, lang) for t in out[column]]
        return out


def describe(template: str, indicators: pd.DataFrame, lang: str = "en") -> str:
    """Fill a description of ``checks.csv`` in: each ``{indicator_id}`` placeholder becomes the
    figure as ``lang``'s edition writes it (:func:`shizhong.write.figure`: 1,579 亩, 1579亩)."""
    return checks.PLACEHOLDER.sub(
        lambda m: write.figure(indicators.loc[m.group(1)])(lang), template
    )


def project_root(start: Path | None = None) -> Path:
    """The book's folder: the one holding ``data/``, ``CITATION.cff`` and ``references.bib``."""
    return find_data_dir(start).parent


def find_data_dir(start: Path | None = None) -> Path:
    """``$SHIZHONG_DATA``, or the nearest ``data/`` holding a data package, upwards from cwd."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / PACKAGE).is_file():
            return folder / "data"
    raise DataError([Problem("data", message=f"no data/{PACKAGE} here or above; set {ENV}")])


class _RowCounts(dict[str, int]):
    """The row count of each table, read when a relation asks for it (so that a notebook's
    record names only the tables it counted)."""

    def __init__(self, data: Dataset) -> None:
        super().__init__()
        self._data = data

    def __missing__(self, name: str) -> int:
        table = getattr(self._data, name) if name in _TABLES else None
        if not isinstance(table, pd.DataFrame):
            raise KeyError(name)
        return len(table)


_TRACKED = frozenset(f.name for f in fields(Dataset) if f.name != "_files")
_TABLES = _TRACKED - {"article", "descriptor"}


def load(data_dir: str | Path | None = None) -> Dataset:
    """Validate and load the dataset; raise :class:`DataError` listing every problem.

    A version of the data that passed validation before (the same bytes in every file, the
    same validating code: ``shizhong.validated``) is read without validating it again.
    """
    data_dir = Path(data_dir) if data_dir is not None else find_data_dir()
    with inputs.unrecorded():
        if not data_dir.is_dir():
            checked, files = run(data_dir), {}
        else:
            checked, files = validated.check(data_dir)
    if checked.problems:
        raise DataError(checked.problems)
    return Dataset(
        **checked.frames,
        article=checked.article,
        descriptor=checked.descriptor,
        _files=_sources(data_dir, checked, files),
    )


def _sources(data_dir: Path, checked: Checked, files: dict[str, bytes]) -> dict[str, Any]:
    """What each field of the dataset was read from (see ``Dataset._files``)."""
    base = data_dir.resolve()

    def digest(rel: str) -> dict[str, str]:
        return {str(base / rel): sha256(files[rel])} if rel in files else {}

    resources = {r["name"]: r for r in checked.descriptor.get("resources", [])}
    out: dict[str, dict[str, str]] = {"descriptor": digest(PACKAGE)}
    if PACKAGE in files:
        sources = part_digest(checked.descriptor, "sources") or ""
        out["sources"] = {f"{base / PACKAGE}#sources": sources}
    for name, res in resources.items():
        if name in _TRACKED:
            part = f"resources/{name}"
            own = {f"{base / PACKAGE}#{part}": part_digest(checked.descriptor, part) or ""}
            out[name] = {**digest(res["path"]), **own}
    if "article" in resources:
        out["article"] = digest(resources["article"]["path"])
    return out
