"""`make pdf` builds a PDF again only when what it is built from changed
(``tools/build_pdf.py``): any file git tracks or would track, bar the tests and CI set-up,
or a setting the PDF's bytes depend on."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .conftest import load_tool

build_pdf = load_tool("build_pdf")
TARGET = "_build/pdf/book.pdf"


@pytest.fixture
def book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small git checkout standing in for the book."""
    for name, text in {"notebooks/a.ipynb": "{}", "data/x.csv": "a\n1\n", "tests/t.py": "",
                       ".gitignore": "_build/\n"}.items():  # fmt: skip
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
    monkeypatch.setattr(build_pdf, "ROOT", tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1577836800")
    return tmp_path


def test_the_digest_follows_every_input(book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = build_pdf.inputs_digest(TARGET, "en")
    assert first and build_pdf.inputs_digest(TARGET, "en") == first
    (book / "tests" / "t.py").write_text("x = 1\n")  # not an input
    (book / "_build").mkdir()
    (book / "_build" / "junk").write_text("ignored by git")
    assert build_pdf.inputs_digest(TARGET, "en") == first
    changed = {build_pdf.inputs_digest(TARGET, "zh"), build_pdf.inputs_digest("other.pdf", "en")}
    (book / "data" / "x.csv").write_text("a\n2\n")
    changed.add(build_pdf.inputs_digest(TARGET, "en"))
    (book / "notebooks" / "new.ipynb").write_text("{}")  # untracked, not ignored: an input
    changed.add(build_pdf.inputs_digest(TARGET, "en"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1577836801")
    changed.add(build_pdf.inputs_digest(TARGET, "en"))
    monkeypatch.setenv("SHIZHONG_SITE_URL", "https://example.org/")
    changed.add(build_pdf.inputs_digest(TARGET, "en"))
    git = ["git", "-c", "user.name=b", "-c", "user.email=b@example.invalid"]
    subprocess.run([*git, "commit", "-qm", "x"], cwd=book, check=True)  # the title page's commit
    changed.add(build_pdf.inputs_digest(TARGET, "en"))
    assert len(changed | {first}) == 8


def test_no_digest_outside_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_pdf, "ROOT", tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert build_pdf.inputs_digest(TARGET, "en") is None
    monkeypatch.setenv("PATH", str(tmp_path))  # no git at all
    assert build_pdf.inputs_digest(TARGET, "en") is None


def test_no_digest_inside_another_repository(book: Path, monkeypatch: pytest.MonkeyPatch):
    """The book unpacked in a folder of some other checkout (the archive's ``source/``, say):
    that checkout's file list says nothing of the book's files."""
    inner = book / "data" / "book"
    inner.mkdir()
    monkeypatch.setattr(build_pdf, "ROOT", inner)
    assert build_pdf.inputs_digest(TARGET, "en") is None


def test_an_up_to_date_pdf_is_not_built_again(book: Path, monkeypatch: pytest.MonkeyPatch):
    builds: list[list[str]] = []
    work = book / "_build" / "pdf-tree"

    def run(cmd: list[str], cwd: Path) -> None:  # Sphinx, then latexmk, which leaves a PDF
        builds.append(cmd)
        (work / "_build" / "latex").mkdir(parents=True, exist_ok=True)
        (work / "_build" / "latex" / "book.pdf").write_bytes(b"%PDF")

    monkeypatch.setattr(build_pdf, "run", run)
    monkeypatch.setenv("FORCE_SOURCE_DATE", "1")

    def build() -> None:
        build_pdf.main(TARGET, str(work), "en")

    build()
    assert len(builds) == 2 and (work / "inputs.sha256").is_file()
    build()  # nothing changed
    assert len(builds) == 2
    (book / "notebooks" / "a.ipynb").write_text('{"cells": []}')
    build()
    assert len(builds) == 4
    (book / TARGET).unlink()  # no PDF: built whatever the record says
    build()
    assert len(builds) == 6
