"""The words are held to the article as the figures are.

* **The article's words are checked** (:func:`quote_problems`): every “…” quotation in the
  Chinese edition's prose, and every run of Chinese in parentheses in the English edition's
  prose, occurs verbatim in the article (whitespace, full- or half-width brackets and nested
  quotation marks aside) or is a term that ``data/`` defines. A mistyped or invented quote
  fails and names the page and cell.
* **Outside facts are cited** (:func:`glossary_problems`): each glossary entry names its
  source (the article, the editors' background, or a ``references.bib`` entry); a year or a
  figure in an explanation must be supported by the data, the article or the cited entry,
  and an entry of the editors' background states no year at all. The prose types no year
  the data does not report (``tests/test_claims.py`` holds it to glued values otherwise).
* **Chinese copy rules** (:func:`copy_problems`), on the Chinese cells, chart text and table
  values: full-width punctuation next to Chinese; no ASCII code word of the data package
  (``count``, ``building``, ``more_than`` …) outside inline code and English-name columns;
  no value repeated in parentheses (123.5亿元（123.5亿元）, 40.84万平方米，即40.84万平方米);
  one term for each concept (the article's names, not the book's old ones), and the Chinese
  labels of the focus areas are the article's own words.

Each rule is checked on the stored notebooks (what strict nbval proves the code produces),
and each test below injects a defect into a copy and sees the rule fail.
"""

from __future__ import annotations

import copy
import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from . import readers
from .conftest import DATA, ROOT, nonempty

NOTEBOOKS = nonempty(sorted((ROOT / "notebooks").glob("*.ipynb")), "chapter notebooks")
ARTICLE = (DATA / "raw" / "shizhong-2019-review.zh.txt").read_text(encoding="utf-8")
BIB = (ROOT / "references.bib").read_text(encoding="utf-8")
GLUE = re.compile(r"\{eval\}`(en|zh)\.([a-z0-9_]+)`")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
INLINE_CODE = re.compile(r"`[^`]*`")
HAN = "\u4e00-\u9fff"

#: The book's own words that its prose may quote or put in brackets: its voice, its column
#: labels, the glossary's title and the standard name of the unit 亩.
BOOK_WORDS = {"据区里介绍", "原文", "编者说明", "术语表", "市亩"}
#: Terms the book no longer uses, with the one it uses instead (the article's, where it has one).
RETIRED_TERMS = {
    "产业质效": "产业提质",
    "治理效能": "治理提效",
    "民生改善": "民生提档",
    "较低门槛": "千万元以上",
    "较高门槛": "亿元以上",
    "较高一档": "亿元以上",
    "较大一档": "千万元以上",
    "区块链联盟": "区块链产业创新创业共同体",
    "BIM软件园": "BIM软件产业园",
    "BIM峰会": "BIM软件产业高峰论坛",
    "国家级领军人才": "国家领军人才",
    "“首创”": "“首家”“第一家”“首个”",
    "约合超过": "折合……以上",
}
FOCUS_IDS = (
    "industry_quality",
    "dual_attraction",
    "project_momentum",
    "rural_revitalisation",
    "governance_efficiency",
    "environment_standards",
    "livelihood_upgrade",
)


def _flat(text: str) -> str:
    """Text as compared with the article: no whitespace, one kind of bracket and quote."""
    text = re.sub(r"\s", "", text)
    return text.translate(str.maketrans({"（": "(", "）": ")", "‘": "“", "’": "”"}))


FLAT_ARTICLE = _flat(ARTICLE)


def _strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


def data_terms(data_dir: Path = DATA) -> set[str]:
    """Every cell value of the data package's tables, and every string of its descriptor
    (such as the inferred date “2020年初”): the terms ``data/`` defines."""
    descriptor = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    terms: set[str] = {_flat(s) for s in _strings(descriptor)}
    for path in data_dir.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.reader(f):
                terms.update(_flat(cell) for cell in row if cell)
    return terms


TERMS = data_terms()


def _resolve(source: str, values: dict[str, str]) -> str:
    """Markdown with each glued value in place (as the reader sees it) and links as their text."""
    source = GLUE.sub(
        lambda m: values.get(m.group(2) if m.group(1) == "en" else f"zh:{m.group(2)}", ""),
        source,
    )
    return LINK.sub(lambda m: m.group(1), source)


def _cells(nb: nbformat.NotebookNode, lang: str):
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and lang in cell.metadata.get("tags", []):
            yield i, cell


def _known(text: str) -> bool:
    flat = _flat(text).strip("，、。；：")
    if not re.search(f"[{HAN}]", flat):  # no Chinese: an English title such as “How to cite”
        return True
    return flat in FLAT_ARTICLE or flat in TERMS or flat in BOOK_WORDS


def _zh_quotes(text: str) -> list[str]:
    """The outermost “…” spans of a text (a nested “…” inside one belongs to it)."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "“":
            depth += 1
            if depth == 1:
                start = i + 1
        elif ch == "”" and depth:
            depth -= 1
            if depth == 0:
                out.append(text[start:i])
    return out


PAREN = re.compile(r"\(((?:[^()]|\([^()]*\))*)\)")
HAN_RUN = re.compile(rf"[{HAN}“‘][{HAN}“”‘’·\d+()（）、，—]*")


def quote_problems(nb: nbformat.NotebookNode, page: str) -> list[str]:
    """Quotations and Chinese terms that are neither the article's words nor data's terms."""
    values = readers.glued(nb).values
    problems = []
    for i, cell in _cells(nb, "zh"):
        text = INLINE_CODE.sub("", _resolve(cell.source, values))
        for quote in _zh_quotes(text):
            pieces = re.split(r"…+|……", quote)
            if not all(_known(p) for p in pieces):
                problems.append(f"{page} cell {i}: “{quote}” is not in the article")
    for i, cell in _cells(nb, "en"):
        text = INLINE_CODE.sub("", _resolve(cell.source, values))
        for inside in PAREN.findall(text):
            for run in HAN_RUN.findall(inside):
                pieces = re.split(r"…+", run.strip("，、 "))
                if not all(_known(p) for p in pieces):
                    problems.append(f"{page} cell {i}: ({run}) is not in the article")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_quotes_and_chinese_terms_are_the_articles_words(path):
    problems = quote_problems(readers.read(path), path.name)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("“成绩{eval}`zh.quote_contest_rank`”", "“成绩位列全区第一”"),
        ("(落地…决赛项目)", "(落地数量第一)"),
    ],
    ids=["zh-quote", "en-parenthesis"],
)
def test_a_mistyped_quote_fails_naming_the_page(old, new):
    nb = readers.read(ROOT / "notebooks" / "talent.ipynb")
    hits = [c for c in nb.cells if old in c.source]
    assert len(hits) == 1, old
    hits[0].source = hits[0].source.replace(old, new)
    problems = quote_problems(nb, "talent.ipynb")
    assert problems and all(p.startswith("talent.ipynb cell") for p in problems), problems


# -- Outside facts: the glossary's sources, and the years and figures they support ----------

NUMBER = re.compile(r"\d+(?:[.,/]\d+)*")


def _bib_entries(bib: str) -> dict[str, str]:
    starts = [(m.start(), m.group(1)) for m in re.finditer(r"^@\w+\{([^,\s]+),", bib, re.M)]
    ends = [s for s, _ in starts[1:]] + [len(bib)]
    return {key: bib[s:e] for (s, key), e in zip(starts, ends, strict=True)}


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in NUMBER.findall(text)}


def supported_numbers(data_dir: Path = DATA) -> set[str]:
    """Numbers the data supports: any written in the article or the data's tables, and the
    exact unit factors of ``units.csv`` as the glossary writes them (2000/3 ≈ 666.7, 1/15)."""
    found = _numbers(ARTICLE)
    for path in data_dir.glob("*.csv"):
        found |= _numbers(path.read_text(encoding="utf-8"))
    with (data_dir / "units.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            num, den = int(row["factor_num"]), int(row["factor_den"])
            found |= {f"{num / den:.1f}", f"{num / den:.0f}"}
            if row["base_unit"] == "m2":  # in hectares
                hectare = 10_000 * den // num if (10_000 * den) % num == 0 else None
                found |= {f"1/{hectare}"} if hectare else set()
    return found


def glossary_problems(rows: list[dict[str, str]], bib: str, data_dir: Path = DATA) -> list[str]:
    entries = _bib_entries(bib)
    supported = supported_numbers(data_dir)
    problems = []
    for row in rows:
        term, source = row["term_zh"], row.get("source", "")
        if source not in ("article", "background") and source not in entries:
            problems.append(f"glossary {term}: source {source!r} is not a references.bib entry")
            continue
        cited = _numbers(entries.get(source, ""))
        for lang in ("en", "zh"):
            text = row[f"explanation_{lang}"]
            for n in sorted(_numbers(text)):
                year = re.fullmatch(r"(19|20)\d\d", n)
                if year and source in ("article", "background") and n not in _numbers(ARTICLE):
                    problems.append(f"glossary {term} ({lang}): the year {n} cites no source")
                elif n not in supported | cited | _numbers(term):
                    problems.append(f"glossary {term} ({lang}): {n} has no support")
    return problems


def _glossary() -> list[dict[str, str]]:
    with (DATA / "glossary.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_glossary_fact_has_its_source():
    rows = _glossary()
    assert all(row.get("source") for row in rows), "glossary.csv needs a source column"
    problems = glossary_problems(rows, BIB)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("term", "field", "value", "message"),
    [
        ("老商埠", "explanation_en", "Opened to foreign trade in 1904.", "the year 1904"),
        ("规模以上", "explanation_zh", "工业为年主营业务收入2000万元及以上。", "2000"),
        ("众创空间", "source", "state_council_2014", "not a references.bib entry"),
        ("高新技术企业", "explanation_en", "Taxed at 13.75%.", "13.75 has no support"),
    ],
    ids=["uncited-year", "unsupported-figure", "unknown-key", "figure-not-in-cited-entry"],
)
def test_an_unsourced_glossary_fact_fails(term, field, value, message):
    rows = copy.deepcopy(_glossary())
    (row,) = [r for r in rows if r["term_zh"] == term]
    row[field] = value
    problems = glossary_problems(rows, BIB)
    assert any(term in p and message in p for p in problems), problems


def test_validation_names_an_unknown_glossary_source(tmp_path):
    """`shizhong validate` locates a glossary source that is not a references.bib key."""
    shutil.copytree(DATA, tmp_path / "data")
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    path = tmp_path / "data" / "glossary.csv"
    text = path.read_text(encoding="utf-8")
    assert ",eit_law_2007\n" in text
    path.write_text(text.replace(",eit_law_2007\n", ",eit_law_2077\n"), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "shizhong", "validate", str(tmp_path / "data")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode != 0
    assert "glossary.csv" in run.stdout + run.stderr and "eit_law_2077" in run.stdout + run.stderr


YEAR = re.compile(r"(?<![\d.])(?:19|20)\d\d(?![\d.])")


def year_problems(nb: nbformat.NotebookNode, page: str, years: set[str]) -> list[str]:
    """Years typed in prose that the data does not report (a citation link carries its own)."""
    problems = []
    for lang in ("en", "zh"):
        for i, cell in _cells(nb, lang):
            for year in YEAR.findall(readers.prose(cell.source)):
                if year not in years:
                    problems.append(f"{page} cell {i}: the year {year} has no source")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_prose_states_no_year_without_a_source(path):
    years = readers.years(DATA / "datapackage.json")
    problems = year_problems(readers.read(path), path.name, years)
    assert not problems, "\n".join(problems)


def test_an_unsourced_year_in_prose_fails():
    nb = readers.read(ROOT / "notebooks" / "economy.ipynb")
    cell = next(c for _, c in _cells(nb, "zh"))
    cell.source += "\n\n老商埠形成于1904年。"
    years = readers.years(DATA / "datapackage.json")
    assert any("1904" in p for p in year_problems(nb, "economy.ipynb", years))


# -- Chinese copy rules ------------------------------------------------------------------------

#: ASCII punctuation beside a Chinese character (a link's or a role's brackets removed first).
HALF_WIDTH = re.compile(rf"[{HAN}][,;:?!()]|[,;:?!(][{HAN}]")
REPEAT = re.compile(r"([^\s（）()，。；：、“”]{2,}?)(?:（\1）|，即\1(?![\d.]))")


def code_words(package: Path = DATA / "datapackage.json") -> set[str]:
    """The coded values of the data package (kinds, qualifiers, entity types, units …)."""
    words: set[str] = set()
    for resource in json.loads(package.read_text(encoding="utf-8"))["resources"]:
        for field in resource.get("schema", {}).get("fields", []):
            words.update(field.get("constraints", {}).get("enum", []))
    return words


CODES = code_words()
CODE_WORD = re.compile(
    r"(?<![A-Za-z_`])(" + "|".join(sorted(CODES, key=len, reverse=True)) + r")(?![A-Za-z_])"
)


def _zh_tables(nb: nbformat.NotebookNode):
    """(cell index, header, value) of the Chinese edition's tables, from the stored outputs."""
    for i, cell in enumerate(nb.cells):
        if not readers.shown(cell):
            continue
        for out in cell.get("outputs", []):
            if out.get("metadata", {}).get("lang") != "zh":
                continue
            markdown = out.get("data", {}).get("text/markdown", "")
            markdown = "".join(markdown) if isinstance(markdown, list) else markdown
            lines = [ln for ln in markdown.splitlines() if ln.startswith("|")]
            if len(lines) < 3:
                continue
            header = [h.strip() for h in lines[0].strip("|").split(" | ")]
            for line in lines[2:]:
                for head, value in zip(header, line.strip("|").split(" | "), strict=False):
                    yield i, head, value.strip()


def _zh_chart_texts(nb: nbformat.NotebookNode):
    """(cell index, text) of the Chinese charts: titles, subtitles, descriptions, axis and
    legend titles, and the Chinese captions."""
    for i, cell in enumerate(nb.cells):
        figure = cell.metadata.get("mystnb", {}).get("figure", {})
        if figure.get("caption_zh"):
            yield i, figure["caption_zh"]
        if not readers.shown(cell):
            continue
        for out in cell.get("outputs", []):
            spec = out.get("data", {}).get(readers.VEGALITE_MIME)
            if spec and out.get("metadata", {}).get("lang") == "zh":
                yield from ((i, t) for t in _titles(spec))


def _titles(node) -> list[str]:
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("title", "text", "subtitle", "description") and isinstance(value, str):
                found.append(value)
            elif key in ("title", "text", "subtitle") and isinstance(value, list):
                found += [v for v in value if isinstance(v, str)]
            elif key not in ("data", "datasets"):
                found += _titles(value)
    elif isinstance(node, list):
        for value in node:
            found += _titles(value)
    return found


def copy_problems(nb: nbformat.NotebookNode, page: str) -> list[str]:
    values = readers.glued(nb).values
    problems = []
    texts = []
    for i, cell in _cells(nb, "zh"):
        shown = INLINE_CODE.sub("", _resolve(cell.source, values))
        shown = re.sub(r"^#+ ", "", shown, flags=re.M)
        shown = re.sub(r"^\s*[-*] ", "", shown, flags=re.M)
        texts.append((i, "prose", shown))
        for m in HALF_WIDTH.finditer(re.sub(r"\*\*", "", shown)):
            problems.append(f"{page} cell {i}: half-width punctuation beside Chinese {m.group()!r}")
    texts += [(i, "chart", t) for i, t in _zh_chart_texts(nb)]
    # A table's English-name columns, and columns headed by a field name (rows shown as
    # stored), may hold English; the data dictionary documents the codes themselves.
    texts += [
        (i, f"table column {head}", value)
        for i, head, value in _zh_tables(nb)
        if "英文" not in head and re.search(f"[{HAN}]", head) and not value.startswith("`")
    ]
    documents_codes = page.startswith("data-dictionary")
    for i, where, text in texts:
        plain = INLINE_CODE.sub("", text)
        for m in [] if documents_codes else CODE_WORD.finditer(plain):
            problems.append(f"{page} cell {i} ({where}): code word {m.group()!r} in Chinese")
        for m in REPEAT.finditer(plain):
            problems.append(f"{page} cell {i} ({where}): value repeated {m.group()!r}")
        for old, new in RETIRED_TERMS.items():
            if old in plain:
                problems.append(f"{page} cell {i} ({where}): {old} (write {new})")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_chinese_edition_follows_the_copy_rules(path):
    problems = copy_problems(readers.read(path), path.name)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "累计完成投资{eval}`zh.key_projects_investment`",
            "累计完成投资{eval}`zh.key_projects_investment`（{eval}`zh.key_projects_investment`）",
            "value repeated",
        ),
        (
            "征迁面积{eval}`zh.renewal_area`。",
            "征迁面积{eval}`zh.renewal_area`，即{eval}`zh.renewal_area`。",
            "value repeated",
        ),
        ("据区里介绍，全区加快推进", "据区里介绍,全区加快推进", "half-width punctuation"),
        ("单个项目平均约{eval}", "按count计，单个项目平均约{eval}", "code word 'count'"),
        ("而中间档{eval}`zh.mid_bracket_name`", "而较小项目（较低门槛）", "较低门槛"),
    ],
    ids=["repeat-in-brackets", "repeat-after-ji", "half-width", "code-word", "retired-term"],
)
def test_a_broken_copy_rule_fails(old, new, message):
    nb = readers.read(ROOT / "notebooks" / "projects.ipynb")
    hits = [c for _, c in _cells(nb, "zh") if old in c.source]
    assert len(hits) == 1, old
    hits[0].source = hits[0].source.replace(old, new)
    assert any(message in p for p in copy_problems(nb, "projects.ipynb"))


def test_a_code_word_in_a_chinese_table_fails():
    nb = readers.read(ROOT / "notebooks" / "projects.ipynb")
    broken = copy.deepcopy(nb)
    for cell in broken.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if out.get("metadata", {}).get("lang") == "zh" and "| 楼宇 |" in "".join(
                data.get("text/markdown", "")
            ):
                text = "".join(data["text/markdown"])
                data["text/markdown"] = text.replace("| 楼宇 |", "| building |")
    assert any("'building'" in p for p in copy_problems(broken, "projects.ipynb"))


def _labels() -> dict[tuple[str, str], str]:
    with (DATA / "labels.csv").open(encoding="utf-8", newline="") as f:
        return {(r["group"], r["key"]): r["label_zh"] for r in csv.DictReader(f)}


def focus_label_problems(labels: dict[tuple[str, str], str]) -> list[str]:
    return [
        f"labels.csv short {key}: {labels[('short', key)]!r} is not the article's name"
        for key in FOCUS_IDS
        if _flat(labels[("short", key)]) not in FLAT_ARTICLE
    ]


def test_the_focus_areas_carry_the_articles_names():
    problems = focus_label_problems(_labels())
    assert not problems, "\n".join(problems)


def test_a_book_name_for_a_focus_area_fails():
    labels = _labels()
    labels[("short", "governance_efficiency")] = "治理效能"
    assert focus_label_problems(labels)


# -- The front door: main points, glued and linked ------------------------------------------

LANDING = {"en": ("index.md", "Main points"), "zh": ("index.zh.md", "要点")}
GLUED_POINT = re.compile(r"\{glue:text\}`([\w-]+)\.ipynb::([a-z0-9_]+):s`")
CHAPTER_LINK = re.compile(r"\{doc\}`([\w-]+)`")


def main_point_problems(source: str, heading: str) -> list[str]:
    """The landing page opens with 5–7 main points, each glued from a chapter and linked to it."""
    # A rubric, not a section: the points open the page and the PDF's front matter without
    # becoming a numbered chapter.
    opening = re.search(r"^```\{rubric\} (.+)\n```\n(.*?)(?:\n\n(?!- |  )|\Z)", source, re.M | re.S)
    first = re.search(r"^(#+ |```\{rubric\})", source[source.index("\n") :], re.M)
    if not opening or opening.group(1) != heading or not first or "rubric" not in first.group():
        return [f"the page does not open with the rubric {heading!r}"]
    points = re.split(r"^- ", opening.group(2), flags=re.M)[1:]
    problems = [] if 5 <= len(points) <= 7 else [f"{len(points)} main points, not 5 to 7"]
    chapters = {p.stem for p in NOTEBOOKS}
    for i, point in enumerate(points, 1):
        glued = GLUED_POINT.findall(point)
        linked = set(CHAPTER_LINK.findall(point)) & chapters
        if not glued:
            problems.append(f"main point {i} glues no computed value")
        if not linked:
            problems.append(f"main point {i} links to no chapter")
        for notebook, key in glued:
            values = readers.glued(readers.read(ROOT / "notebooks" / f"{notebook}.ipynb")).values
            if key not in values:
                problems.append(f"main point {i}: {notebook}.ipynb glues no {key!r}")
    return problems


@pytest.mark.parametrize("lang", LANDING)
def test_the_landing_page_opens_with_glued_main_points(lang):
    page, heading = LANDING[lang]
    source = (ROOT / "notebooks" / page).read_text(encoding="utf-8")
    problems = main_point_problems(source, heading)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "{glue:text}`outlook.ipynb::fewest_focus:s`",
            "governance has nothing",
            "glues no computed",
        ),
        ("({doc}`outlook`)", "", "links to no chapter"),
        ("outlook.ipynb::fewest_focus", "outlook.ipynb::fewest_focs", "glues no 'fewest_focs'"),
    ],
    ids=["typed", "unlinked", "unknown-key"],
)
def test_a_main_point_that_is_not_glued_and_linked_fails(old, new, message):
    source = (ROOT / "notebooks" / "index.md").read_text(encoding="utf-8")
    assert old in source
    problems = main_point_problems(source.replace(old, new), "Main points")
    assert any(message in p for p in problems), problems


@pytest.mark.parametrize("lang", LANDING)
def test_the_built_landing_page_shows_the_glued_main_points(lang):
    html = ROOT / "_build" / "html" / ("zh" if lang == "zh" else "") / "notebooks" / "index.html"
    if not html.exists():
        pytest.skip("the book is not built (make html)")
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    rubric = next(p for p in soup.select("p.rubric") if LANDING[lang][1] in p.get_text())
    items = rubric.find_next_sibling("ul").find_all("li", recursive=False)
    assert 5 <= len(items) <= 7
    for item in items:
        assert item.select("span.pasted-text"), item.get_text()
        assert item.select("a.reference.internal"), item.get_text()
