"""The book's release: one version and one release date, read from ``CITATION.cff``.

``version`` and ``date-released`` at the top of ``CITATION.cff`` are the one place a release is
written down. The book build, the PDF title pages, How to cite and ``make dist`` read them
here; ``tools/release.py`` copies them into the files that cannot read YAML
(``pyproject.toml``, ``references.bib``, the other entries of ``CITATION.cff``), and
``tests/test_release.py`` fails when a copy disagrees.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import yaml

__all__ = ["ARCHIVE_STEM", "LICENCES", "Release", "cff", "read"]

#: The release archive is ``<ARCHIVE_STEM>-<version>.tar.gz``.
ARCHIVE_STEM: Final = "shizhong-2019"
#: The licence files at the top level, and what each covers.
LICENCES: Final = {
    "LICENSE": "MIT",
    "LICENSE-CC-BY-4.0.txt": "CC-BY-4.0",
}


@dataclass(frozen=True)
class Release:
    """A version of the book and the day it was released."""

    version: str
    date: dt.date

    @property
    def archive(self) -> str:
        """File name of the release archive."""
        return f"{ARCHIVE_STEM}-{self.version}.tar.gz"

    @property
    def folder(self) -> str:
        """The one folder the archive extracts to."""
        return f"{ARCHIVE_STEM}-{self.version}"


def cff(root: Path) -> dict[str, Any]:
    """``<root>/CITATION.cff``, parsed once per text (each page of a build reads it). The dict
    is shared by its readers: not to be changed."""
    return _parse((root / "CITATION.cff").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=4)
def _parse(text: str) -> dict[str, Any]:
    return yaml.safe_load(text)


def read(root: Path) -> Release:
    """The release written at the top of ``<root>/CITATION.cff``."""
    meta = cff(root)
    date = meta["date-released"]
    if not isinstance(date, dt.date):
        date = dt.date.fromisoformat(str(date))
    return Release(version=str(meta["version"]), date=date)
