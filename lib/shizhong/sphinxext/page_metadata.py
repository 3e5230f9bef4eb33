"""Citation metadata in every page, for reference managers and search engines.

* Highwire ``citation_*`` meta tags (read by Zotero and Google Scholar) and Dublin Core
  ``DC.*`` tags: title, authors, release date, version, language, the edition's PDF.
* schema.org JSON-LD: the edition as a ``Book`` (version, language, licences, the source
  article as ``isBasedOn``, the other edition as ``workTranslation`` or
  ``translationOfWork``) and the data package as a ``Dataset`` with its ``distribution``.

Everything comes from ``CITATION.cff`` and ``data/datapackage.json``. The site's address is
one setting, the environment variable ``SHIZHONG_SITE_URL`` (``make SITE_URL=...``): absolute
URLs derive from it, and where it is unset the PDF link stays relative and no URL is
claimed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Final

from sphinx.application import Sphinx

from shizhong import release
from shizhong.bilingual import ZH_CN, edition

from .metadata import PDF_NAMES

__all__ = ["SITE_ENV", "book_graph", "meta_tags", "page_context", "site_url"]

SITE_ENV: Final = "SHIZHONG_SITE_URL"
LICENSES: Final = {
    "MIT": "https://spdx.org/licenses/MIT",
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
}
LANG_TAG: Final = {"en": "en", "zh": ZH_CN}
ROOT_OF: Final = {"en": "", "zh": "zh/"}  # each edition's folder on the site


def site_url() -> str:
    """The site's address with a final slash, or '' when unset."""
    url = os.environ.get(SITE_ENV, "").strip()
    return url.rstrip("/") + "/" if url else ""


def _editions(root: Path) -> dict[str, dict[str, Any]]:
    """Title and authors of each edition, from ``CITATION.cff``."""
    cff = release.cff(root)
    (zh,) = [r for r in cff["references"] if r["type"] == "book" and r["languages"] == ["zh"]]
    names = [a["name"] for a in cff["authors"]]
    return {
        "en": {"title": cff["title"], "authors": names, "licenses": cff["license"]},
        "zh": {"title": zh["title"], "authors": [a["name"] for a in zh["authors"]]},
        "article": cff["references"][0],
    }


def _id(site: str, lang: str, what: str) -> str:
    return f"{site}{ROOT_OF[lang]}#{what}" if site else f"_:{what}-{lang}"


def book_graph(root: Path, lang: str, site: str) -> dict[str, Any]:
    """The JSON-LD of an edition: the book, its source article and the data package."""
    rel, eds = release.read(root), _editions(root)
    other = "zh" if lang == "en" else "en"
    licenses = [LICENSES[name] for name in eds["en"]["licenses"]]
    article = eds["article"]
    package = json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    archive = {"@type": "DataDownload", "name": rel.archive, "encodingFormat": "application/gzip"}
    if site:
        archive["contentUrl"] = site + rel.archive
    book: dict[str, Any] = {
        "@type": "Book",
        "@id": _id(site, lang, "book"),
        "name": eds[lang]["title"],
        "author": [{"@type": "Organization", "name": n} for n in eds[lang]["authors"]],
        "inLanguage": LANG_TAG[lang],
        "version": rel.version,
        "datePublished": rel.date.isoformat(),
        "license": licenses,
        "isBasedOn": {
            "@type": "NewsArticle",
            "headline": article["title"],
            "author": [
                {"@type": "Person", "name": a["family-names"] + a["given-names"]}
                for a in article["authors"]
            ],
            "inLanguage": ZH_CN,
            "datePublished": str(article["year"]),
        },
        "workTranslation" if lang == "en" else "translationOfWork": {
            "@type": "Book",
            "@id": _id(site, other, "book"),
            "name": eds[other]["title"],
            "inLanguage": LANG_TAG[other],
        },
    }
    if site:
        book["url"] = site + ROOT_OF[lang]
    dataset = {
        "@type": "Dataset",
        "@id": _id(site, "en", "data"),
        "name": package["title"],
        "description": package.get("description", package["title"]),
        "version": package["version"],
        "license": [lic.get("path") or lic["name"] for lic in package["licenses"]],
        "creator": {"@type": "Organization", "name": eds["en"]["authors"][0]},
        "isPartOf": {"@id": _id(site, lang, "book")},
        "distribution": [archive],
    }
    return {"@context": "https://schema.org", "@graph": [book, dataset]}


def meta_tags(root: Path, lang: str, pdf_url: str) -> list[tuple[str, str]]:
    """Highwire and Dublin Core meta tags of an edition, as (name, content) pairs."""
    rel, eds = release.read(root), _editions(root)
    authors = eds[lang]["authors"]
    tags = [("citation_title", eds[lang]["title"])]
    tags += [("citation_author", name) for name in authors]
    tags += [
        ("citation_publication_date", rel.date.strftime("%Y/%m/%d")),
        ("citation_version", rel.version),
        ("citation_language", LANG_TAG[lang]),
        ("citation_pdf_url", pdf_url),
        ("DC.title", eds[lang]["title"]),
    ]
    tags += [("DC.creator", name) for name in authors]
    tags += [
        ("DC.date", rel.date.isoformat()),
        ("DC.language", LANG_TAG[lang]),
        ("DC.rights", " ".join(LICENSES[name] for name in eds["en"]["licenses"])),
    ]
    return tags


def page_context(app: Sphinx, pathto: Any) -> dict[str, Any]:
    """What ``layout.html`` and the redirect page show: meta tags and the JSON-LD text."""
    root, lang, site = Path(app.confdir), edition(app.config.language), site_url()
    pdf = PDF_NAMES[lang]
    pdf_url = f"{site}{ROOT_OF[lang]}{pdf}" if site else pathto(pdf)
    text = json.dumps(book_graph(root, lang, site), ensure_ascii=False, sort_keys=True)
    return {
        "shizhong_meta": meta_tags(root, lang, pdf_url),
        "shizhong_jsonld": text.replace("<", "\\u003c").replace(">", "\\u003e"),
    }


def add_metadata(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: the page's citation metadata."""
    pathto = context.get("pathto")
    context.update(page_context(app, lambda name: pathto(name, 1) if pathto else name))
