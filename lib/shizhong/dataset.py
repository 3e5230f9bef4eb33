"""Load the validated dataset as typed pandas DataFrames."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import pandas as pd

from shizhong import checks, fmt, units
from shizhong.problems import DataError, Problem
from shizhong.validate import PACKAGE, run

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

    @property
    def source(self) -> dict[str, Any]:
        """What is known of the article (``sources[0]`` of the data package)."""
        return self.descriptor["sources"][0]

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

    def with_base(self) -> pd.DataFrame:
        """Indicators with ``base_value`` and ``base_unit`` columns."""
        return units.with_base(self.indicators, self.units)

    def row(self, id_: str) -> dict[str, Any]:
        """Tooltip columns of one indicator: English, Chinese, formatted value, quote, value."""
        r = self.indicators.loc[id_]
        return {
            "subject_en": r["subject_en"],
            "subject_zh": r["subject_zh"],
            "display": fmt.figure(r),
            "quote": r["quote"],
            "value": None if pd.isna(r["value"]) else float(r["value"]),
        }

    def label_map(self, group: str, lang: str = "en") -> dict[str, str]:
        """Labels (``lang``: en or zh) of one group of ``labels.csv``, in file order."""
        rows = self.labels[self.labels["group"] == group]
        if rows.empty:
            raise KeyError(f"no label group {group!r} in labels.csv")
        return dict(zip(rows["key"], rows[f"label_{lang}"], strict=True))

    def relations(self) -> pd.DataFrame:
        """The relations of ``checks.csv`` evaluated, with their descriptions filled in."""
        counts = {
            f.name: len(getattr(self, f.name))
            for f in fields(self)
            if isinstance(getattr(self, f.name), pd.DataFrame)
        }
        out = checks.evaluate(self.checks, self.indicators, counts)
        for lang in ("en", "zh"):
            column = f"description_{lang}"
            out[column] = [checks.describe(t, self.indicators, lang) for t in out[column]]
        return out


def find_data_dir(start: Path | None = None) -> Path:
    """``$SHIZHONG_DATA``, or the nearest ``data/`` holding a data package, upwards from cwd."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / PACKAGE).is_file():
            return folder / "data"
    raise DataError([Problem("data", message=f"no data/{PACKAGE} here or above; set {ENV}")])


def load(data_dir: str | Path | None = None) -> Dataset:
    """Validate and load the dataset; raise :class:`DataError` listing every problem."""
    checked = run(Path(data_dir) if data_dir is not None else find_data_dir())
    if checked.problems:
        raise DataError(checked.problems)
    return Dataset(**checked.frames, article=checked.article, descriptor=checked.descriptor)
