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
import pikepdf
import pytest
from pypdf import PdfReader

from shizhong import release, show, write
from shizhong.render import VEGALITE_MIME
from shizhong.sphinxext.metadata import LICENSE_URL, pdf_ids

from .conftest import ROOT, nonempty, source_date_epoch

pytestmark = pytest.mark.slow

PDFS = {
    "en": ROOT / "_build" / "pdf" / "shizhong-2019.pdf",
    "zh": ROOT / "_build" / "pdf" / "shizhong-2019.zh.pdf",
}
LOGS = {
    "en": ROOT / "_build" / "pdf-tree" / "_build" / "latex" / "book.log",
    "zh": ROOT / "_build" / "pdf-tree-zh" / "_build" / "latex" / "book.log",
}
NOTEBOOKS = nonempty(sorted((ROOT / "notebooks").glob("*.ipynb")), "chapter notebooks")
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


#: The widest overrun a line or a table cell may have, in TeX points. TeX reports every box
#: wider than its line (\\hfuzz is 0.1 pt); below 1 pt (0.35 mm, a third of a letter's stem
#: at 10 pt) an overrun cannot be seen at a cell's rule or the margin; from 1 pt on, a glyph
#: visibly crosses into the next column or the margin, as the clipped growth figures of the
#: Chinese projects table did (5 to 15 pt) and the BibTeX entry of How to cite (369 pt).
MAX_OVERFULL_PT = 1.0
#: The text block of an A4 page with Sphinx's 1 in margins, in PDF points, and how far a
#: word may stand outside it (rounding of glyph boxes).
MARGIN_PT, SLACK_PT = 72.27, 1.0
#: A full-width punctuation mark (，。、）“ …) at the end or start of a Chinese line has a box
#: a full em wide whose ink sits on one side: xeCJK sets its blank half past the text block
#: (up to 8 pt at 10.5 pt). A word ending (or starting) in one may stand out that far.
CJK_PUNCT_SLACK_PT = 8.5
#: The middle dot (间隔号, as in 品质市中·经纬人才) is set full-width too, blank on both sides.
_CLOSING = "，。、；：！？）」』】》”’·"
_OPENING = "（「『【《“‘·"
_OVERFULL = re.compile(r"Overfull \\hbox \(([\d.]+)pt too wide\) (.*)\n(.*)\n")
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>'
)


def overfull_lines(log: str, threshold: float = MAX_OVERFULL_PT) -> list[str]:
    """Each box of a LaTeX log wider than its line by more than ``threshold`` points."""
    return [
        f"{float(width):.1f} pt too wide {where.strip()}: {text.strip()[:100]}"
        for width, where, text in _OVERFULL.findall(log)
        if float(width) > threshold
    ]


def words_off_the_text_block(bbox_html: str) -> list[str]:
    """Words of ``pdftotext -bbox`` output that stand outside the page's text block."""
    problems = []
    for number, (width, body) in enumerate(
        re.findall(r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', bbox_html, re.S), 1
    ):
        right = float(width) - MARGIN_PT
        for x0, x1, word in _WORD.findall(body):
            end = CJK_PUNCT_SLACK_PT if word[-1:] in _CLOSING else SLACK_PT
            start = CJK_PUNCT_SLACK_PT if word[:1] in _OPENING else SLACK_PT
            if float(x0) < MARGIN_PT - start or float(x1) > float(width) - MARGIN_PT + end:
                problems.append(
                    f"page {number}: {word!r} spans x {x0}–{x1} (text block to {right})"
                )
    return problems


def test_no_line_or_cell_overruns(lang):
    """No table cell is clipped and no line runs into the margin: the LaTeX log reports no
    overfull box wider than MAX_OVERFULL_PT."""
    log = LOGS[lang]
    assert log.is_file(), "no LaTeX log: run `make pdf` first"
    found = overfull_lines(log.read_text(errors="replace"))
    assert not found, f"{len(found)} overfull lines:\n" + "\n".join(found[:20])


def test_no_word_leaves_the_text_block(pdf):
    """Every word the PDF draws lies within the text block (pdftotext's boxes)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    found = words_off_the_text_block(out)
    assert not found, f"{len(found)} words outside the text block:\n" + "\n".join(found[:20])


def test_the_overrun_checks_catch_what_they_exist_for():
    log = (
        "Overfull \\hbox (14.6pt too wide) in paragraph at lines 10--10\n"
        "[]|\\TU/lmr/m/n/10 28%|\n []\n"
        "Overfull \\hbox (0.5pt too wide) in paragraph at lines 12--12\n"
        "[]|\\TU/lmr/m/n/10 ok|\n []\n"
    )
    assert [line.split(" in ")[0] for line in overfull_lines(log)] == ["14.6 pt too wide"]
    page = '<page width="595.28" height="841.89">{}</page>'
    word = '<word xMin="{}" yMin="1" xMax="{}" yMax="2">{}</word>'
    inside = page.format(word.format(72.27, 523.0, "fits"))
    punct = page.format(word.format(300, 530.35, "：数据、"))
    outside = page.format(word.format(300, 530.35, "数据"))
    assert words_off_the_text_block(inside) == words_off_the_text_block(punct) == []
    assert len(words_off_the_text_block(outside)) == 1


_SPEC = re.compile(r"```\{tabularcolumns\} (.*)\n```\n\n(.*)", re.S)


def table_column_problems(markdown: str) -> list[str]:
    """Columns of a stored ``show.table`` output narrower than their longest unbreakable
    text (a word, 28%, 下降1.0%), at the table's font size, or a table wider than the line."""
    found = _SPEC.match(markdown)
    if not found:
        return []
    spec, body = found.groups()
    shares = [float(w) for w in re.findall(r"\\Y\{([\d.]+)\}", spec)]
    scale = {"\\small": 0.9, "\\footnotesize": 0.8}.get(
        next(iter(re.findall(r"\\(?:small|footnotesize)", spec)), ""), 1.0
    )
    rows = [line.strip().strip("|").split(" | ") for line in body.splitlines() if line]
    rows = [rows[0], *rows[2:]]  # the header and the body, not the alignment row
    problems = []
    if sum(shares) > show._LINE + 0.005:
        problems.append(f"columns add up to {sum(shares):.3f} of the line")
    for j, share in enumerate(shares):
        cells = [re.sub(r"\\(.)", r"\1", row[j].strip()) for row in rows if j < len(row)]
        need = (scale * show.widest_pt(cells) + show.PAD_PT) / show.LINE_PT
        if share + 0.0015 < need:  # shares are written to 3 decimals
            problems.append(
                f"column {j + 1} ({cells[0]!r}) is {share:.3f} of the line, needs {need:.3f}"
            )
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_table_column_fits_its_longest_unbreakable_text(path):
    """No cell is clipped or broken a character a line: each PDF column of every stored table
    (both editions) is as wide as its longest unbreakable text, and the table fits the line."""
    problems = []
    for i, cell in enumerate(nbformat.read(path, as_version=4).cells):
        for out in cell.get("outputs", []):
            markdown = out.get("data", {}).get("text/markdown", "")
            lang = out.get("metadata", {}).get("lang", "")
            problems += [f"cell {i} {lang}: {p}" for p in table_column_problems(markdown)]
    assert not problems, "\n".join(problems)


def test_metadata(pdf, lang):
    reader = PdfReader(pdf)
    meta, expected = reader.metadata, EXPECTED[lang]
    assert meta.title == expected["title"]
    assert meta.author == expected["author"]
    assert expected["subject"] in meta.subject
    assert "市中区" in meta["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == expected["lang"]


def test_xmp_metadata(pdf, lang):
    """pikepdf reads the XMP: title, authors, language, licence, version, and the release date
    as every date (no build time), with the fixed document and instance IDs."""
    rel, expected = release.read(ROOT), EXPECTED[lang]
    with pikepdf.open(pdf) as doc:
        meta = doc.open_metadata()
        assert meta["dc:title"] == expected["title"]
        assert meta["dc:creator"] == [expected["author"]]
        assert meta["dc:language"] == {expected["lang"]}
        assert meta["xmpRights:WebStatement"] == LICENSE_URL
        assert "CC BY 4.0" in meta["dc:rights"] and "MIT" in meta["dc:rights"]
        assert meta["xmpMM:VersionID"] == rel.version
        assert (meta["xmpMM:DocumentID"], meta["xmpMM:InstanceID"]) == pdf_ids(lang, rel.version)
        for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
            assert meta[key] == f"{rel.date}T00:00:00Z", key


def test_page_labels_are_unique(pdf, lang):
    """A page number in a citation points to one page: the title page has a label of its own."""
    labels = PdfReader(pdf).page_labels
    assert len(set(labels)) == len(labels), sorted(x for x in labels if labels.count(x) > 1)
    assert labels[0] == ("封面" if lang == "zh" else "Title") and labels[3] == "1"


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
        shown = re.sub(r"\s+", "", write.figure(row)(lang))
        assert shown in text, f"{id_}: {write.figure(row)(lang)!r} not in the PDF"


#: The one figure the book derives in yuan: the CIIE deals, which the article gives in US
#: dollars (超1亿美元: more than 1 亿 dollars). At the 2019 rate of ``data/exchange_rates.csv``
#: (6.8985 yuan per dollar), 1 亿 dollars x 6.8985 = 6.8985 亿元, about 6.9 亿元: worked out
#: by hand, written here as the reader sees it, and the inputs checked to be still these.
CIIE_YUAN = {
    "en": ("more than 6.8985 亿元", "roughly 6.9 亿元"),
    "zh": ("6.8985亿元以上", "约6.9亿元"),
}


def test_the_yuan_figure_is_the_one_worked_out_by_hand(text, lang):
    article = (ROOT / "data" / "raw" / "shizhong-2019-review.zh.txt").read_text(encoding="utf-8")
    assert "超1亿美元" in article
    rates = (ROOT / "data" / "exchange_rates.csv").read_text(encoding="utf-8")
    assert "\nUSD,CNY,2019,6.8985," in rates
    for figure in CIIE_YUAN[lang]:
        assert re.sub(r"\s+", "", figure) in text, figure


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
    built by another process before: the second build of the pair is `make pdf`'s. Both take
    their timestamps from the last commit, as the Makefile sets them."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": source_date_epoch(), "FORCE_SOURCE_DATE": "1"}
    target = tmp_path / "build.pdf"
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_pdf.py"), str(target),
         "--work", str(tmp_path / "tree"), "--lang", lang],
        check=True, cwd=ROOT, capture_output=True, env=env,
    )  # fmt: skip
    assert hashlib.sha256(target.read_bytes()).digest() == hashlib.sha256(pdf.read_bytes()).digest()
