"""Every built page of both editions carries the book's citation metadata, read by real
clients: extruct (JSON-LD, Dublin Core), lxml for the Highwire ``citation_*`` tags (extruct
has no Highwire syntax), pyld for JSON-LD expansion. The values equal CITATION.cff's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import extruct
import pytest
import yaml
from lxml import html as lxml_html
from pyld import jsonld

from shizhong import release
from shizhong.sphinxext import page_metadata

from .conftest import ROOT

HTML = ROOT / "_build" / "html"
SCHEMA = "http://schema.org/"
#: The network is closed: the loader serves schema.org's context as its core, @vocab.
CONTEXT = {"@context": {"@vocab": SCHEMA, "schema": SCHEMA}}
PDFS = {"en": "shizhong-2019.pdf", "zh": "shizhong-2019.zh.pdf"}


def _pages() -> list[tuple[str, Path]]:
    if not (HTML / "zh" / "index.html").is_file():
        pytest.fail("no built book: run `make html` first", pytrace=False)
    pages = [
        p for p in HTML.rglob("*.html") if not any(x[0] == "_" for x in p.relative_to(HTML).parts)
    ]
    zh = sorted(p for p in pages if HTML / "zh" in p.parents)  # not _static's template files
    en = sorted(p for p in pages if HTML / "zh" not in p.parents)
    return [("en", p) for p in en] + [("zh", p) for p in zh]


def expected(lang: str) -> dict[str, Any]:
    """What CITATION.cff says about an edition."""
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    (zh,) = [r for r in cff["references"] if r["type"] == "book" and r["languages"] == ["zh"]]
    book = cff if lang == "en" else zh
    other = zh if lang == "en" else cff
    return {
        "title": book["title"],
        "authors": [a["name"] for a in book["authors"]],
        "other_title": other["title"],
        "version": str(cff["version"]),
        "date": str(cff["date-released"]),
        "language": "en" if lang == "en" else "zh-CN",
        "licenses": cff["license"],
        "article": cff["references"][0]["title"],
    }


def problems(text: str, lang: str, page: Path | None = None) -> list[str]:
    """Where a page's metadata differs from CITATION.cff's."""
    want, out = expected(lang), []
    data = extruct.extract(text, syntaxes=["json-ld", "dublincore"], uniform=False)
    tree = lxml_html.fromstring(text.encode("utf-8"))

    def meta(name: str) -> list[str]:
        return [m.get("content") for m in tree.xpath(f'//head/meta[@name="{name}"]')]

    highwire = {
        "citation_title": [want["title"]],
        "citation_author": want["authors"],
        "citation_publication_date": [want["date"].replace("-", "/")],
        "citation_version": [want["version"]],
        "citation_language": [want["language"]],
    }
    out += [f"{k}: {meta(k)} != {v}" for k, v in highwire.items() if meta(k) != v]
    pdf = meta("citation_pdf_url")
    if len(pdf) != 1 or not pdf[0].endswith(PDFS[lang]):
        out.append(f"citation_pdf_url {pdf}")
    elif page is not None and not (page.parent / pdf[0]).is_file():
        out.append(f"citation_pdf_url {pdf[0]} does not resolve")
    elements = [e for d in data["dublincore"] for e in d["elements"]]
    dc = {e["URI"].rsplit("/", 1)[1]: e["content"] for e in elements}
    wanted_dc = {"title": want["title"], "date": want["date"], "language": want["language"]}
    out += [f"DC.{k}: {dc.get(k)!r}" for k, v in wanted_dc.items() if dc.get(k) != v]
    graphs = data["json-ld"]
    if len(graphs) != 1:
        return [*out, f"{len(graphs)} JSON-LD blocks"]
    nodes = {n["@type"]: n for n in graphs[0]["@graph"]}
    book, dataset = nodes.get("Book", {}), nodes.get("Dataset", {})
    link = "workTranslation" if lang == "en" else "translationOfWork"
    checks = {
        "name": (book.get("name"), want["title"]),
        "version": (book.get("version"), want["version"]),
        "datePublished": (book.get("datePublished"), want["date"]),
        "inLanguage": (book.get("inLanguage"), want["language"]),
        "author": ([a["name"] for a in book.get("author", [])], want["authors"]),
        "license": (book.get("license"), [page_metadata.LICENSES[n] for n in want["licenses"]]),
        "isBasedOn": (book.get("isBasedOn", {}).get("headline"), want["article"]),
        link: (book.get(link, {}).get("name"), want["other_title"]),
        "distribution": (
            [d.get("name") for d in dataset.get("distribution", [])],
            [release.read(ROOT).archive],
        ),
    }
    out += [f"JSON-LD {k}: {got!r} != {exp!r}" for k, (got, exp) in checks.items() if got != exp]
    return out


@pytest.fixture(scope="module")
def pages() -> list[tuple[str, Path, str]]:
    return [(lang, p, p.read_text(encoding="utf-8")) for lang, p in _pages()]


def test_every_page_carries_the_citation_metadata(pages):
    assert len(pages) >= 2 * 12
    bad = {str(p.relative_to(HTML)): problems(text, lang, p) for lang, p, text in pages}
    bad = {name: found for name, found in bad.items() if found}
    assert not bad, json.dumps(bad, ensure_ascii=False, indent=1)[:3000]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('name="citation_version" content="', 'name="citation_version" content="0.'),
        ('"version": "', '"version": "0.'),
        ('name="citation_language" content="', 'name="citation_language" content="x'),
        ('"workTranslation"', '"translationOfWork"'),
        ('name="DC.date" content="', 'name="DC.date" content="1'),
    ],
)
def test_a_wrong_value_is_found(pages, old, new):
    lang, page, text = next(x for x in pages if x[1].name == "economy.html" and x[0] == "en")
    assert old in text
    assert problems(text.replace(old, new, 1), lang, page)


def _loader(url: str, options: dict | None = None) -> dict[str, Any]:
    if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
        raise jsonld.JsonLdError(f"no network: {url}", "loading document failed")
    return {"contextUrl": None, "documentUrl": url, "document": CONTEXT}


def test_json_ld_expands(pages):
    """pyld expands every page's JSON-LD to schema.org terms, the translation link included."""
    for lang, page, text in pages:
        (graph,) = extruct.extract(text, syntaxes=["json-ld"], uniform=False)["json-ld"]
        expanded = jsonld.expand(graph, {"documentLoader": _loader})
        flat = json.dumps(expanded)
        link = "workTranslation" if lang == "en" else "translationOfWork"
        for term in ("Book", "Dataset", "inLanguage", "version", "isBasedOn", link):
            assert SCHEMA + term in flat, f"{page}: {term} lost in expansion"


def test_absolute_urls_derive_from_the_one_setting(monkeypatch):
    """With SHIZHONG_SITE_URL set, the PDF link and JSON-LD URLs are absolute, under it; unset,
    no URL is claimed and the PDF link stays relative."""
    site = "https://example.org/shizhong"
    monkeypatch.setenv(page_metadata.SITE_ENV, site)
    assert page_metadata.site_url() == site + "/"
    graph = page_metadata.book_graph(ROOT, "zh", page_metadata.site_url())
    book, dataset = graph["@graph"]
    assert book["url"] == site + "/zh/" and book["@id"] == site + "/zh/#book"
    assert book["translationOfWork"]["@id"] == site + "/#book"
    archive = release.read(ROOT).archive
    assert dataset["distribution"][0]["contentUrl"] == f"{site}/{archive}"
    monkeypatch.delenv(page_metadata.SITE_ENV)
    assert page_metadata.site_url() == ""
    book, dataset = page_metadata.book_graph(ROOT, "zh", "")["@graph"]
    assert "url" not in book and "contentUrl" not in dataset["distribution"][0]
    _, _, text = next(
        (lang, p, p.read_text(encoding="utf-8"))
        for lang, p in _pages()
        if p.name == "economy.html" and lang == "zh"
    )
    assert 'name="citation_pdf_url" content="../shizhong-2019.zh.pdf"' in text
