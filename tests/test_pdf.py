"""The PDF editions (English and Chinese): complete, embedded fonts, metadata, every figure and
chart, reproducible. Every test runs on both."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from pypdf import PdfReader

from shizhong import fmt
from shizhong.render import VEGALITE_MIME

from .conftest import ROOT

pytestmark = pytest.mark.slow

PDFS = {
    "en": ROOT / "_build" / "pdf" / "shizhong-2019.pdf",
    "zh": ROOT / "_build" / "pdf" / "shizhong-2019.zh.pdf",
}
LOGS = {
    "en": ROOT / "_build" / "pdf-tree" / "_build" / "latex" / "book.log",
    "zh": ROOT / "_build" / "pdf-tree-zh" / "_build" / "latex" / "book.log",
}
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: What each edition's PDF says: metadata, /Lang, and words of the title page and contents.
EXPECTED = {
    "en": {
        "title": "Shizhong 2019: a district's year in figures",
        "author": "Shizhong report book contributors",
        "subject": "Shizhong",
        "lang": "en",
        "words": ("Version", "Recommended citation", "Contents", "shizhong-2019.zh.pdf"),
    },
    "zh": {
        "title": "市中区2019：数字里的一年",
        "author": "市中区报告书编写者",
        "subject": "市中区",
        "lang": "zh-CN",
        "words": ("版本", "推荐引用", "目录", "第一章", "shizhong-2019.pdf"),
    },
}


@pytest.fixture(scope="module", params=sorted(PDFS))
def lang(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def pdf(lang) -> Path:
    assert PDFS[lang].is_file(), f"no {PDFS[lang].name}: run `make pdf` first"
    return PDFS[lang]


@pytest.fixture(scope="module")
def text(pdf) -> str:
    """The PDF's text with all white space removed (line breaks split figures otherwise)."""
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return re.sub(r"\s+", "", out.stdout)


def test_every_font_is_embedded_including_a_cjk_font(pdf):
    rows = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert rows
    for row in rows:
        name, emb = row.split()[0], row.split()[-5]
        assert emb == "yes", f"font not embedded: {name}"
    assert any("CJK" in row for row in rows)


def test_no_character_is_missing_from_the_fonts(lang):
    log = LOGS[lang]
    assert log.is_file(), "no LaTeX log: run `make pdf` first"
    missing = re.findall(r"Missing character: There is no (.) ", log.read_text(errors="replace"))
    assert not missing, f"characters without a glyph: {sorted(set(missing))}"


def test_metadata(pdf, lang):
    reader = PdfReader(pdf)
    meta, expected = reader.metadata, EXPECTED[lang]
    assert meta.title == expected["title"]
    assert meta.author == expected["author"]
    assert expected["subject"] in meta.subject
    assert "市中区" in meta["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == expected["lang"]


def test_front_matter_bookmarks_and_page_count(pdf, text, lang):
    reader = PdfReader(pdf)
    assert 30 <= len(reader.pages) <= 200
    assert len(reader.outline) >= 8, "PDF bookmarks missing"
    first = re.sub(r"\s+", "", reader.pages[0].extract_text())
    words = [re.sub(r"\s+", "", w) for w in EXPECTED[lang]["words"]]
    assert words[0] in first and words[1] in first
    for word in words[2:]:
        assert word in text, word


def test_every_chapter_title_is_present(text, lang):
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        title = next(
            c.source
            for c in nb.cells
            if c.cell_type == "markdown" and lang in c.metadata.get("tags", [])
        ).splitlines()[0]
        title = re.sub(r"\s+", "", title.lstrip("# "))
        assert title in text, path.stem


def test_every_dataset_figure_appears_formatted(data, text, lang):
    for id_, row in data.indicators.iterrows():
        shown = re.sub(r"\s+", "", fmt.figure(row, lang=lang))
        assert shown in text, f"{id_}: {fmt.figure(row, lang=lang)!r} not in the PDF"


def count_html_charts(lang: str) -> int:
    count = 0
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            for out in cell.get("outputs", []):
                mine = out.get("metadata", {}).get("lang") == lang
                count += mine and VEGALITE_MIME in out.get("data", {})
    return count


def test_the_pdf_has_every_chart_as_vector(pdf, lang):
    reader = PdfReader(pdf)
    forms = set()
    for page in reader.pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for ref in xobjects.values():
            if ref.get_object().get("/Subtype") == "/Form":
                forms.add(ref.idnum)
    assert len(forms) == count_html_charts(lang) >= 12


def test_two_clean_builds_are_byte_identical(tmp_path, pdf, lang):
    """A build in a new, empty tree (no doctrees, no chart PDFs) equals `make pdf`'s PDF,
    built by another process before: the second build of the pair is `make pdf`'s."""
    assert os.environ.get("SOURCE_DATE_EPOCH"), "run through make (it sets SOURCE_DATE_EPOCH)"
    target = tmp_path / "build.pdf"
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_pdf.py"), str(target),
         "--work", str(tmp_path / "tree"), "--lang", lang],
        check=True, cwd=ROOT, capture_output=True,
    )  # fmt: skip
    assert hashlib.sha256(target.read_bytes()).digest() == hashlib.sha256(pdf.read_bytes()).digest()
