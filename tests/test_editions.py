"""The English and the Chinese edition are one book: parity of the two built editions.

Both are built from the same executed notebooks (``shizhong.sphinxext.editions`` keeps each
edition's cells, outputs and glue). These tests prove that the editions hold the same
chapters and sections, the same figures and tables in the same order, the same value for
every figure and chart both show; that each page links to the same page of the other
edition; that the filter keeps and drops what it should; and that faults put into a page or
a chart fail the parity checks. (That each glue cell glues every key in both languages is
``tests/test_claims.py::test_every_glue_cell_shows_what_it_glued``.)
"""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup

from shizhong.bilingual import ZH, edition
from shizhong.render import VEGALITE_MIME
from shizhong.sphinxext.editions import filter_notebook

from . import readers
from .conftest import ROOT, nonempty

HTML = ROOT / "_build" / "html"
EDITION_ROOT = {"en": HTML, "zh": HTML / "zh"}
NOTEBOOKS = nonempty(sorted((ROOT / "notebooks").glob("*.ipynb")), "chapter notebooks")


def pages() -> list[str]:
    """The pages of the book, from _toc.yml."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc["parts"]:
        files += [c["file"] for c in part["chapters"]]
    return nonempty(files, "pages in _toc.yml")


def soup(lang: str, page: str) -> BeautifulSoup:
    path = EDITION_ROOT[lang] / f"{page}.html"
    if not path.is_file():
        pytest.fail(f"no built page {path}: run `make html` first", pytrace=False)
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def article(lang: str, page: str) -> BeautifulSoup:
    found = soup(lang, page).select_one("article.bd-article")
    assert found is not None, (lang, page)
    return found


# --- configuration ------------------------------------------------------------------------

#: The settings in which the Chinese edition's configuration may differ from the English one.
ZH_ONLY = {"title", "author"}
ZH_SPHINX = {"language", "bibtex_reference_style", "bibtex_default_style"}  # （朱振、李猛，2020）
ZH_LATEX = {"fontenc", "babel", "fncychap", "fontpkg"}


def test_the_configurations_differ_only_in_language():
    en = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    zh = yaml.safe_load((ROOT / "_config.zh.yml").read_text(encoding="utf-8"))
    assert zh["sphinx"]["config"]["language"] == "zh_CN" and edition("zh_CN") == "zh"
    for key in ZH_SPHINX - {"language"}:  # the Chinese variant of the same bibtex style
        assert zh["sphinx"]["config"][key] == en["sphinx"]["config"][key] + "_zh", key
    for cfg in (en, zh):
        for key in ZH_ONLY:
            cfg.pop(key)
        for key in ZH_SPHINX:
            cfg["sphinx"]["config"].pop(key, None)
        for key in ZH_LATEX:
            cfg["sphinx"]["config"]["latex_elements"].pop(key, None)
    assert en == zh


def test_the_tables_of_contents_list_the_same_pages():
    en = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    zh = yaml.safe_load((ROOT / "_toc.zh.yml").read_text(encoding="utf-8"))
    assert en["root"] == zh["root"]
    assert [[c["file"] for c in p["chapters"]] for p in en["parts"]] == [
        [c["file"] for c in p["chapters"]] for p in zh["parts"]
    ]
    assert all(re.search(r"[\u4e00-\u9fff]", p["caption"]) for p in zh["parts"])


# --- the filter ---------------------------------------------------------------------------


def _toy() -> dict:
    glue = {"output_type": "display_data", "data": {"text/plain": "'x'"}}
    return {
        "cells": [
            {"cell_type": "markdown", "metadata": {"tags": ["en"]}, "source": "# Title"},
            {"cell_type": "markdown", "metadata": {"tags": ["zh"]}, "source": "# 标题"},
            {"cell_type": "markdown", "metadata": {}, "source": "shared"},
            {
                "cell_type": "code",
                "metadata": {"mystnb": {"figure": {"caption": "A", "caption_zh": "甲"}}},
                "source": "show.both(f)",
                "outputs": [
                    {**glue, "metadata": {"scrapbook": {"name": "k"}}},
                    {**glue, "metadata": {"scrapbook": {"name": ZH + "k"}}},
                    {"output_type": "display_data", "data": {}, "metadata": {"lang": "en"}},
                    {"output_type": "display_data", "data": {}, "metadata": {"lang": "zh"}},
                ],
            },
        ]
    }


def test_the_filter_keeps_one_edition():
    en = filter_notebook(_toy(), "en")
    zh = filter_notebook(_toy(), "zh")
    assert [c["source"] for c in en["cells"][:2]] == ["# Title", "shared"]
    assert [c["source"] for c in zh["cells"][:2]] == ["# 标题", "shared"]
    for nb, lang, caption in ((en, "en", "A"), (zh, "zh", "甲")):
        code = nb["cells"][-1]
        names = [o["metadata"].get("scrapbook", {}).get("name") for o in code["outputs"]]
        assert names == ["k", None], lang  # one glue value under the plain key, one chart
        assert code["outputs"][1]["metadata"]["lang"] == lang
        assert code["metadata"]["mystnb"]["figure"] == {"caption": caption}


def test_a_wrongly_tagged_cell_is_kept_in_both_editions():
    """A cell without the tag of either edition is shared: the English edition keeps the
    Chinese title tagged ``zh-CN``, which the parity of sections below then finds."""
    toy = _toy()
    toy["cells"][1]["metadata"]["tags"] = ["zh-CN"]
    en = filter_notebook(copy.deepcopy(toy), "en")
    assert [c["source"] for c in en["cells"][:3]] == ["# Title", "# 标题", "shared"]


# --- parity of the built editions ---------------------------------------------------------


def section_levels(page: BeautifulSoup) -> list[str]:
    """The heading levels of a page's article, in order."""
    return [h.name for h in page.select("h1, h2, h3, h4")]


def figures_and_tables(page: BeautifulSoup) -> list[str]:
    """The figures (by id) and tables of a page's article, in order; a chart's own data
    table goes with its chart."""
    return [
        node.get("id") or "figure" if node.name == "figure" else "table"
        for node in page.select("figure, table")
        if not node.find_parent("details")
    ]


@pytest.mark.parametrize("page", pages())
def test_same_sections(page):
    """Same headings, level by level, on both editions' pages."""
    levels = {lang: section_levels(article(lang, page)) for lang in ("en", "zh")}
    assert levels["en"] == levels["zh"] and levels["en"][0] == "h1"


@pytest.mark.parametrize("page", pages())
def test_same_figures_and_tables_in_the_same_order(page):
    assert figures_and_tables(article("en", page)) == figures_and_tables(article("zh", page))


def _amount(text: str) -> float | None:
    """A yuan amount written as the Chinese prose writes it: 1000万元, 1亿元, 千万元以上."""
    text = text.removesuffix("以上")
    words = {"千万元": 1e7, "亿元": 1e8, "万元": 1e4}
    if text in words:
        return words[text]
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(万|亿)?元", text)
    return float(m.group(1)) * {"万": 1e4, "亿": 1e8, None: 1}[m.group(2)] if m else None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_both_proses_use_the_same_glued_keys(path):
    """The English and the Chinese prose of a chapter paste the same values.

    The Chinese prose does not repeat a value in a second form: an English-only key is one
    whose Chinese value the Chinese prose already shows, the same (123.5亿元 for CNY 12.35
    billion), inside another (1+456 in 全区“1+456”工作体系) or as the same amount (1000万元
    as 千万元以上)."""
    nb = nbformat.read(path, as_version=4)
    values = readers.glued(nb).values
    keys: dict[str, set[str]] = {"en": set(), "zh": set()}
    for cell in nb.cells:
        tags = set(cell.metadata.get("tags", []))
        if cell.cell_type == "markdown":
            for lang in tags & {"en", "zh"} or {"en", "zh"}:
                keys[lang] |= set(readers.GLUE_ROLE.findall(cell.source))
    shown = [values.get(f"zh:{k}", "") for k in keys["zh"]]
    amounts = {_amount(v) for v in shown} - {None}

    def repeated(key: str) -> bool:
        value = values.get(f"zh:{key}", "")
        return bool(value) and (any(value in other for other in shown) or _amount(value) in amounts)

    english_only = {k for k in keys["en"] - keys["zh"] if not repeated(k)}
    assert english_only == set() and keys["zh"] - keys["en"] == set()


def _numbers(spec: dict) -> Counter:
    """Every number in a chart's data: the values the chart draws."""
    values: Counter = Counter()

    def rows(node: object) -> None:
        if isinstance(node, dict):
            for key, item in node.items():
                if key in ("datasets",) and isinstance(item, dict):
                    for table in item.values():
                        take(table)
                elif key == "values" and isinstance(item, list):
                    take(item)
                else:
                    rows(item)
        elif isinstance(node, list):
            for item in node:
                rows(item)

    def take(table: list) -> None:
        for row in table:
            for value in row.values() if isinstance(row, dict) else [row]:
                if isinstance(value, int | float) and not isinstance(value, bool):
                    values[round(float(value), 9)] += 1

    rows(spec)
    return values


def chart_value_problems(nb: nbformat.NotebookNode) -> list[str]:
    """The chart cells of a notebook whose two editions do not draw the same numbers."""
    problems = []
    for i, cell in enumerate(nb.cells):
        charts = {
            out.get("metadata", {}).get("lang"): out["data"][VEGALITE_MIME]
            for out in cell.get("outputs", [])
            if VEGALITE_MIME in out.get("data", {})
        }
        if not charts:
            continue
        if set(charts) != {"en", "zh"}:
            problems.append(f"cell {i}: a chart in one edition only")
        elif _numbers(charts["en"]) != _numbers(charts["zh"]):
            problems.append(
                f"cell {i}: {_numbers(charts['en']) - _numbers(charts['zh'])} in "
                f"English, {_numbers(charts['zh']) - _numbers(charts['en'])} in Chinese"
            )
        elif not _numbers(charts["en"]) and '"quantitative"' in json.dumps(charts["en"]):
            problems.append(f"cell {i}: no numbers for its quantitative encoding")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_chart_draws_the_same_values_in_both_editions(path):
    assert chart_value_problems(nbformat.read(path, as_version=4)) == []


def test_the_parity_checks_can_fail():
    """Faults put into the economy chapter, as a wrong tag or a per-language computation
    would make them, fail the parity checks above: the Chinese page keeps an English section,
    loses a figure, and its chart draws another value."""
    page = "notebooks/economy"
    en, zh = article("en", page), article("zh", page)
    assert section_levels(en) == section_levels(zh)
    assert figures_and_tables(en) == figures_and_tables(zh)

    kept = copy.copy(en.select("section section")[0])  # an English section, kept in Chinese
    zh.select("section section")[-1].insert_after(kept)
    assert section_levels(en) != section_levels(zh)

    zh = article("zh", page)
    zh.select("figure")[-1].decompose()
    assert figures_and_tables(en) != figures_and_tables(zh)

    nb = nbformat.read(ROOT / "notebooks" / "economy.ipynb", as_version=4)
    assert chart_value_problems(nb) == []
    chart = next(
        out["data"][VEGALITE_MIME]
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if out.get("metadata", {}).get("lang") == "zh" and VEGALITE_MIME in out.get("data", {})
    )
    rows = (
        next(iter(chart["datasets"].values())) if "datasets" in chart else chart["data"]["values"]
    )
    row = next(r for r in rows if any(isinstance(v, float | int) for v in r.values()))
    key = next(k for k, v in row.items() if isinstance(v, float | int) and not isinstance(v, bool))
    row[key] += 1
    assert chart_value_problems(nb) and "in Chinese" in chart_value_problems(nb)[0]


def _arabic(text: str) -> list[float]:
    return [float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)]


def test_every_figure_has_the_same_value_in_both_editions(data):
    """Each indicator glued as a figure shows the same number in English and in Chinese."""
    checked = 0
    for path in NOTEBOOKS:
        glued = readers.glued(readers.read(path)).values
        for id_ in data.indicators.index:
            if id_ not in glued:
                continue
            row = data.indicators.loc[id_]
            en, zh = _arabic(glued[id_]), _arabic(glued[ZH + id_])
            if row["kind"] in ("level", "count", "growth", "share") and _arabic(str(row["text"])):
                assert en == zh == [float(row["value"])], (id_, glued[id_], glued[ZH + id_])
                checked += 1
    assert checked >= 40


# --- switching ----------------------------------------------------------------------------


@pytest.mark.parametrize("page", pages())
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_links_to_the_same_page_of_the_other_edition(lang, page):
    other = "zh" if lang == "en" else "en"
    doc = soup(lang, page)
    assert doc.html["lang"] == {"en": "en", "zh": "zh-CN"}[lang]
    here = (EDITION_ROOT[lang] / f"{page}.html").as_uri()
    link = doc.select_one("a.shizhong-edition-link")
    assert link is not None and link["hreflang"] == {"en": "en", "zh": "zh-CN"}[other]
    target = Path(urljoin(here, link["href"]).removeprefix("file://"))
    assert target == (EDITION_ROOT[other] / f"{page}.html").resolve()
    alternates = {a["hreflang"]: a["href"] for a in doc.select('link[rel="alternate"][hreflang]')}
    assert set(alternates) == {"en", "zh-CN"}
    assert urljoin(here, alternates[link["hreflang"]]) == urljoin(here, link["href"])


@pytest.mark.parametrize("page", pages())
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_head_and_header_hold_one_of_each(lang, page):
    """One viewport meta tag; the language link in the article header, before the theme's
    buttons (theme, download, search), and nowhere else; no search field in the sidebar."""
    doc = soup(lang, page)
    viewports = doc.select('meta[name="viewport"]')
    assert len(viewports) == 1, [str(m) for m in viewports]
    links = doc.select("a.shizhong-edition-link")
    assert len(links) == 1, f"{len(links)} language links"
    end = links[0].find_parent(class_="header-article-items__end")
    assert end is not None and end.find_parent(class_="bd-header-article") is not None, (
        "the language link is not in the article header"
    )
    items = end.select(".shizhong-edition-link, .article-header-buttons")
    assert [("shizhong-edition-link" in i.get("class", [])) for i in items] == [True, False]
    assert not doc.select(".bd-sidebar-primary .search-button-field"), "search in the sidebar"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_edition_links_both_pdfs(lang):
    doc = soup(lang, "notebooks/economy")
    here = (EDITION_ROOT[lang] / "notebooks/economy.html").as_uri()
    hrefs = {Path(urljoin(here, a["href"])).name for a in doc.select(".shizhong-pdf a")}
    assert hrefs == {"shizhong-2019.pdf", "shizhong-2019.zh.pdf"}


def test_the_chinese_edition_has_the_theme_labels_in_chinese():
    html = (EDITION_ROOT["zh"] / "notebooks" / "economy.html").read_text(encoding="utf-8")
    assert "搜索" in html
    assert json.dumps("zh-CN") in json.dumps(soup("zh", "notebooks/economy").html["lang"])
    # myst-nb's toggle of a hidden code cell is English only ("Show code cell source").
    pages = sorted((EDITION_ROOT["zh"] / "notebooks").glob("*.html"))
    assert pages and not [p.name for p in pages if "Show code cell" in p.read_text("utf-8")]
