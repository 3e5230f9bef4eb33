"""One version and one release date, written in CITATION.cff, and what a release carries:
the copies agree, cffconvert reads the file, the changelog and the licence files are there."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from pybtex.database import parse_file

from shizhong import release

from .conftest import ROOT, load_tool

CFFCONVERT = ROOT / ".venv-cff" / "bin" / "cffconvert"
COPIED = ("CITATION.cff", "pyproject.toml", "references.bib")


def _tool():
    return load_tool("release")


@pytest.fixture(scope="module")
def rel() -> release.Release:
    return release.read(ROOT)


def test_every_copy_follows_citation_cff(rel):
    """pyproject.toml, references.bib and the nested CFF entries say the version of the top of
    CITATION.cff, and the year of its release date."""
    assert _tool().main(check=True) == 0, "run `make version`"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == rel.version
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    preferred = cff["preferred-citation"]
    assert preferred["version"] == rel.version and preferred["year"] == rel.date.year
    assert str(preferred["date-released"]) == rel.date.isoformat()
    bib = parse_file(str(ROOT / "references.bib"), bib_format="bibtex")
    for key in ("shizhong_book", "shizhong_book_zh"):
        assert bib.entries[key].fields["version"] == rel.version
        assert bib.entries[key].fields["year"] == str(rel.date.year)


@pytest.mark.parametrize("stale", COPIED)
def test_a_stale_copy_is_found_and_rewritten(tmp_path, stale):
    """A version bumped at the top of CITATION.cff leaves every copy stale until `make version`;
    a copy edited alone is found too."""
    for name in COPIED:
        shutil.copy(ROOT / name, tmp_path / name)
    tool = _tool()
    path = tmp_path / stale
    text = path.read_text(encoding="utf-8")
    version = release.read(ROOT).version
    if stale == "CITATION.cff":
        text = re.sub(r'^version: "[^"]*"', 'version: "9.9.9"', text, flags=re.MULTILINE)
    else:
        text = text.replace(version, "9.9.9", 1)
    path.write_text(text, encoding="utf-8")
    assert tool.main(check=True, root=tmp_path) == 1
    assert tool.main(check=False, root=tmp_path) == 0
    assert tool.main(check=True, root=tmp_path) == 0


def test_archive_name(rel):
    assert rel.archive == f"shizhong-2019-{rel.version}.tar.gz"
    assert re.fullmatch(r"\d+\.\d+\.\d+", rel.version)


# --- cffconvert, in .venv-cff ---------------------------------------------------------------


def _cffconvert(*args: str, cff: Path = ROOT / "CITATION.cff") -> subprocess.CompletedProcess:
    if not CFFCONVERT.is_file():
        pytest.fail("no .venv-cff: run `make cff-venv`", pytrace=False)
    return subprocess.run(
        [str(CFFCONVERT), "-i", str(cff), *args], capture_output=True, text=True, check=False
    )


def test_cffconvert_validates():
    done = _cffconvert("--validate")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "valid" in done.stdout


def test_cffconvert_rejects_a_broken_file(tmp_path):
    broken = tmp_path / "CITATION.cff"
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    broken.write_text(text.replace('date-released: "', 'date-released: "12/', 1), encoding="utf-8")
    assert _cffconvert("--validate", cff=broken).returncode != 0


def test_cffconvert_outputs_name_this_release(rel):
    """APA, Zenodo and schema.org give the version; cffconvert 2.0.0's BibTeX has no version
    field, so there the year and month of the release are checked."""
    apa = _cffconvert("-f", "apalike").stdout
    assert f"(version {rel.version})" in apa and f"({rel.date.year})" in apa
    bibtex = _cffconvert("-f", "bibtex").stdout
    assert f"year = {{{rel.date.year}}}" in bibtex and f"month = {{{rel.date.month}}}" in bibtex
    assert "version" not in bibtex or rel.version in bibtex
    zenodo = yaml.safe_load(_cffconvert("-f", "zenodo").stdout)
    assert zenodo["version"] == rel.version
    assert zenodo["publication_date"] == rel.date.isoformat()
    schema = yaml.safe_load(_cffconvert("-f", "schema.org").stdout)
    assert schema["version"] == rel.version


# --- changelog and licences ---------------------------------------------------------------


def test_changelog_starts_with_this_release_and_lists_errata(rel):
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## (\S+) \((\d{4}-\d{2}-\d{2})\)$", text, flags=re.MULTILINE)
    assert releases[0] == (rel.version, rel.date.isoformat())
    assert ("1.0.0", "2026-11-27") in releases
    this = text.split("\n## ")[1]
    assert "### Errata" in this, "every release says which claims it corrected (or none)"


def test_licence_files_and_rights():
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    cc = (ROOT / "LICENSE-CC-BY-4.0.txt").read_text(encoding="utf-8")
    assert cc.startswith("Creative Commons Attribution 4.0 International")
    assert "Section 1 – Definitions." in cc and len(cc) > 15000
    notice = (ROOT / "NOTICE.md").read_text(encoding="utf-8")
    for name in (*release.LICENCES, "data/raw/shizhong-2019-review.zh.txt"):
        assert name in notice
    assert "remains its authors'" in notice and "著作权仍归原作者所有" in notice
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in (*release.LICENCES, "NOTICE.md", "CHANGELOG.md"):
        assert name in readme, f"README does not name {name}"
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["license"] == list(release.LICENCES.values())
