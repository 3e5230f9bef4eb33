"""Data, derivations and charts for the Shizhong 2019 report book.

Typical use in a chapter::

    import shizhong as sz

    data, glue = sz.chapter("economy")  # load, renderer, glue the chapter's figures
    data = sz.load()        # validated, typed tables (raises DataError, never half-loads)
    sz.chart.bar(...)       # a house-style Altair chart

Submodules are imported on first use, so ``python -m shizhong validate`` and the book's
Sphinx extension stay light (no pandas, no Altair).
"""

from __future__ import annotations

import importlib
import importlib.metadata
from typing import TYPE_CHECKING, Any

from shizhong.problems import DataError, Problem

if TYPE_CHECKING:
    from shizhong import (
        bilingual,
        chart,
        checks,
        derive,
        glue,
        render,
        rounding,
        show,
        style,
        units,
        write,
    )
    from shizhong.dataset import Dataset, load, project_root
    from shizhong.glue import Glue
    from shizhong.notebook import Chapter, chapter

__all__ = [
    "Chapter",
    "DataError",
    "Dataset",
    "Glue",
    "Problem",
    "bilingual",
    "chapter",
    "chart",
    "checks",
    "derive",
    "glue",
    "load",
    "project_root",
    "render",
    "rounding",
    "show",
    "style",
    "units",
    "write",
]
__version__ = importlib.metadata.version("shizhong")  # single source: pyproject.toml

_LAZY = {
    "bilingual",
    "chart",
    "checks",
    "derive",
    "glue",
    "render",
    "rounding",
    "show",
    "style",
    "units",
    "write",
}


# Loading the dataset imports pandas: only on first use, so that the book's Sphinx extension,
# which imports this package, stays light.
_LAZY_NAMES = {
    "Chapter": "notebook",
    "chapter": "notebook",
    "Glue": "glue",
    "Dataset": "dataset",
    "load": "dataset",
    "project_root": "dataset",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY_NAMES:
        return getattr(importlib.import_module(f"shizhong.{_LAZY_NAMES[name]}"), name)
    if name in _LAZY:
        return importlib.import_module(f"shizhong.{name}")
    raise AttributeError(f"module 'shizhong' has no attribute {name!r}")
