"""The book's identity: version, commit and date, and the PDF's title page and metadata.

Title, authors, keywords, abstract and the source article come from ``CITATION.cff`` at the
book's root, the one place they are written down (tests/test_citation.py keeps it in step
with ``_config.yml`` and ``references.bib``). The version and the release date are
``CITATION.cff``'s too (:mod:`shizhong.release`); the commit comes from git. The PDF carries
them in XMP (``hyperxmp``), with document and instance IDs derived from the edition and the
version, so that two builds stay byte-identical.
"""

from __future__ import annotations

import re
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import yaml
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.texescape import escape

from shizhong import citation
from shizhong.bilingual import ZH_CN, edition

__all__ = [
    "OTHER_ROOT",
    "PDF_NAME",
    "PDF_NAMES",
    "Citation",
    "book_metadata",
    "book_version",
    "pdf_ids",
    "read_citation",
]

#: File name of the PDF edition, in ``_build/pdf`` and beside the HTML pages.
PDF_NAME: Final = "shizhong-2019.pdf"
#: The PDF of each edition (en, zh).
PDF_NAMES: Final = {"en": PDF_NAME, "zh": "shizhong-2019.zh.pdf"}
#: Where the other edition's root is, seen from an edition's root: the Chinese edition is
#: built into ``html/zh/`` beside the English one.
OTHER_ROOT: Final = {"en": "zh/", "zh": "../"}
_STATIC: Final = Path(__file__).resolve().parents[1] / "static"
_TEMPLATES: Final = Path(__file__).resolve().parents[1] / "templates"


@dataclass(frozen=True)
class Citation:
    """What the title page and the PDF metadata say, as read from ``CITATION.cff``."""

    title: str
    authors: str
    abstract: str
    keywords: tuple[str, ...]
    source_authors: str
    source_title: str
    source_year: str


def read_citation(root: Path) -> Citation:
    """The book's citation metadata from ``<root>/CITATION.cff``."""
    cff = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    source = cff["references"][0]  # the article every figure comes from
    return Citation(
        title=cff["title"],
        authors=" and ".join(citation.names(cff["authors"])),
        abstract=" ".join(cff["abstract"].split()),
        keywords=tuple(cff.get("keywords", ())),
        source_authors=", ".join(citation.names(source["authors"])),
        source_title=source["title"],
        source_year=str(source["year"]),
    )


def book_version(root: Path) -> tuple[str, str, str]:
    """(version, short commit, ISO release date) of the book, from ``CITATION.cff`` and git."""
    from shizhong import release

    rel = release.read(root)
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short=10", "HEAD"],
            cwd=root, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return rel.version, commit, rel.date.isoformat()


def _first_sentence(text: str) -> str:
    return text.split(". ", 1)[0].rstrip(".") + "."


def _kept_spaces(text: str) -> str:
    """Explicit spaces: xeCJK drops a plain space between two Chinese characters."""
    return text.replace(" ", "\\ ")


def _latex_title(
    cite: Citation, recommended: str, version: str, commit: str, date: str, lang: str
) -> str:
    """A title page with version, date, the recommended citation (:func:`shizhong.citation.book`,
    set for LaTeX), the source and the other edition's PDF, in the edition's language."""
    title, authors = escape(cite.title), escape(cite.authors)
    source_authors = escape(cite.source_authors)
    source_title = _kept_spaces(escape(cite.source_title))
    if lang == "zh":
        subtitle = escape(cite.abstract)
        version_line = f"版本 {version}（提交 {commit}）"
        cited = rf"\textbf{{推荐引用。}}{recommended}"
        year = cite.source_year
        source = rf"\textbf{{原文。}}{source_authors}（{year}）." + f"\n《{source_title}》"
        pdf = PDF_NAMES["en"]
        other = rf"\textbf{{英文版。}}\href{{{pdf}}}{{{pdf}}}（同一文件夹）。"
    else:
        subtitle = escape(_first_sentence(cite.abstract))
        version_line = f"Version {version} (commit {commit})"
        cited = rf"\textbf{{Recommended citation.}} {recommended}"
        year = cite.source_year
        source = rf"\textbf{{Source.}} {source_authors} ({year})." + f"\n{source_title}."
        pdf = PDF_NAMES["zh"]
        other = rf"\textbf{{Chinese edition (中文版).}} \href{{{pdf}}}{{{pdf}}} (same folder)."
    label = "封面" if lang == "zh" else "Title"
    return rf"""
\begin{{titlepage}}
\renewcommand{{\thepage}}{{{label}}}% a page label of its own, not a second "1"
\centering
\vspace*{{3cm}}
{{\Huge\bfseries {title}\par}}
\vspace{{1cm}}
{{\Large {subtitle}\par}}
\vspace{{2cm}}
{{\large {authors}\par}}
\vspace{{1cm}}
{{\large {version_line}\par}}
{{\large {date}\par}}
\vfill
\begin{{minipage}}{{0.85\textwidth}}\small
{cited}
\par\medskip
{source}
\par\medskip
{other}
\end{{minipage}}
\end{{titlepage}}
"""


#: How the PDF sets lines that do not fit (tests/test_pdf.py counts what still overruns):
#: - a paragraph may stretch its spaces a little more (emergencystretch) before a line runs
#:   into the margin: long URLs, file names and code words in English, Latin runs in Chinese;
#: - a URL may break after any character (xurl);
#: - a code block (the BibTeX and CSL entries of How to cite) wraps its long lines, at any
#:   character if need be, with no continuation mark, so text copied from the PDF is the
#:   entry itself; Chinese text in it may break between characters (xeCJK's Verb=false);
#: - a superscript digit (10⁸ in the units' definitions) is set as a raised digit, since the
#:   text fonts have no glyph for ⁴ or ⁸ (tests/test_pdf.py finds any missing glyph).
LAYOUT = r"""
\usepackage{xurl}
\setlength{\emergencystretch}{3em}
\sphinxsetup{verbatimforcewraps=true,verbatimmaxunderfull=0,verbatimcontinued={}}
\xeCJKsetup{Verb=false}
\usepackage{newunicodechar}
\newunicodechar{⁰}{\textsuperscript{0}}\newunicodechar{⁴}{\textsuperscript{4}}
\newunicodechar{⁵}{\textsuperscript{5}}\newunicodechar{⁶}{\textsuperscript{6}}
\newunicodechar{⁷}{\textsuperscript{7}}\newunicodechar{⁸}{\textsuperscript{8}}
\newunicodechar{⁹}{\textsuperscript{9}}
"""


#: The licence of the book's text, data and charts (XMP ``xmpRights:WebStatement``).
LICENSE_URL: Final = "https://creativecommons.org/licenses/by/4.0/"


def pdf_ids(lang: str, version: str) -> tuple[str, str]:
    """XMP document ID (one per edition) and instance ID (one per edition and version)."""
    base = uuid.uuid5(uuid.NAMESPACE_URL, f"https://shizhong-2019.invalid/{lang}")
    return f"uuid:{base}", f"uuid:{uuid.uuid5(base, version)}"


def _pdf_info(cite: Citation, lang: str = "en", version: str = "", date: str = "") -> str:
    """hyperref's PDF metadata and hyperxmp's XMP: title, author, subject, keywords,
    language, licence, version, release date and fixed document and instance IDs."""
    document_id, instance_id = pdf_ids(lang, version)
    if lang == "zh":
        rights = f"© {date[:4]} {cite.authors}。正文、数据和图表：CC BY 4.0；代码：MIT。"
    else:
        rights = f"© {date[:4]} {cite.authors}. Text, data and charts: CC BY 4.0; code: MIT."
    stamp = "D:" + date.replace("-", "") + "000000Z"  # XMP dates: the release date, not now
    fields = {
        "pdftitle": cite.title,
        "pdfauthor": cite.authors,
        "pdfsubject": cite.abstract if lang == "zh" else _first_sentence(cite.abstract),
        "pdfkeywords": ", ".join(cite.keywords),
        "pdfcopyright": rights,
        "pdfversionid": version,
    }
    body = ",".join(f"{key}={{{escape(value)}}}" for key, value in fields.items())
    pdflang = ZH_CN if lang == "zh" else "en"
    ids = (
        f"pdflicenseurl={{{LICENSE_URL}}},pdfdate={{{date}}},"
        f"pdfcreationdate={{{stamp}}},pdfmoddate={{{stamp}}},pdfmetadate={{{stamp}}},"
        f"pdfdocumentid={{{document_id}}},pdfinstanceid={{{instance_id}}}"
    )
    # Under xdvipdfmx, hyperxmp leaves /Author and /Keywords out of the Info dictionary:
    # they are written back here, as UTF-16 strings.
    info = " ".join(
        f"/{key} <{_utf16(value)}>"
        for key, value in (("Author", cite.authors), ("Keywords", fields["pdfkeywords"]))
    )
    return (
        f"\n\\usepackage{{hyperxmp}}\n\\hypersetup{{{body},pdflang={{{pdflang}}},{ids}}}\n"
        f"\\AtBeginDocument{{\\special{{pdf:docinfo <<{info}>>}}}}\n"
    )


def _utf16(text: str) -> str:
    """A PDF text string in hex: UTF-16BE with its byte order mark."""
    return "FEFF" + text.encode("utf-16-be").hex().upper()


def _zh_citation(cite: Citation, config: Config, root: Path) -> Citation:
    """The Chinese edition's metadata: its title and authors from ``_config.zh.yml``, its
    abstract and keywords from its entry in ``CITATION.cff`` (the book in zh)."""
    cff = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    (zh,) = [r for r in cff["references"] if r["type"] == "book" and r["languages"] == ["zh"]]
    return Citation(
        title=str(config.html_title or config.project),
        authors=str(config.author),
        abstract=" ".join(zh["abstract"].split()),
        keywords=tuple(zh["keywords"]),
        source_authors=cite.source_authors,
        source_title=cite.source_title,
        source_year=cite.source_year,
    )


def _footer(version: str, date: str, lang: str) -> str:
    """The footer of every page: version, release date and licences."""
    if lang == "zh":
        text = (
            f"版本 {version}，发布于 {date}。代码采用 MIT 许可，正文、数据和图表采用 CC BY 4.0"
            " 许可；所引原文的著作权归原作者所有。"
        )
    else:
        text = (
            f"Version {version}, released {date}. Code: MIT; text, data and charts: CC BY 4.0;"
            " the quoted article remains its authors'."
        )
    return f'<p class="shizhong-release">{text}</p>'


def book_metadata(app: Sphinx, config: Config) -> None:
    """Version, commit, date, favicon, sidebar, theme mode and the PDF's title page."""
    root = Path(app.confdir)
    lang = edition(config.language)
    version, commit, date = book_version(root)
    cite = read_citation(root)
    if lang == "zh":
        cite = _zh_citation(cite, config, root)
    config.version = version
    config.release = f"{version} ({commit})"
    config.today = date  # {sub-ref}`today`: the release date of CITATION.cff
    config.html_theme_options = {
        **(config.html_theme_options or {}),
        "extra_footer": _footer(version, date, lang),
    }
    config.html_context = {
        **(config.html_context or {}),
        "shizhong_pdf_name": PDF_NAMES[lang],
        "shizhong_edition": lang,
        "shizhong_other_root": OTHER_ROOT[lang],
        "shizhong_other_pdf": OTHER_ROOT[lang] + PDF_NAMES["zh" if lang == "en" else "en"],
        "shizhong_version": version,
        "default_mode": "auto",  # pydata theme: empty logs "Got invalid theme mode"
    }
    if not config.html_favicon:
        config.html_favicon = str(_STATIC / "favicon.svg")
    # /favicon.ico for pages without a <link rel="icon">
    config.html_extra_path = [*config.html_extra_path, str(_STATIC / "root")]
    config.templates_path = [*config.templates_path, str(_TEMPLATES)]
    if config.html_sidebars == {}:
        # No search field in the sidebar: the top bar has the book's one search box.
        config.html_sidebars = {
            "**": [
                "shizhong-title.html", "icon-links.html", "sbt-sidebar-nav.html",
                "shizhong-pdf.html",
            ]
        }  # fmt: skip
    # The link to the other edition sits in the article header, before the theme's buttons.
    options = dict(config.html_theme_options or {})
    options.setdefault(
        "article_header_end", ["shizhong-edition.html", "article-header-buttons.html"]
    )
    config.html_theme_options = options
    config.project = config.html_title or config.project  # Jupyter Book's title
    elements: dict[str, Any] = dict(config.latex_elements or {})
    recommended = citation.book(root, text=escape, title=lambda t: rf"\emph{{{t}}}")(lang)
    elements["maketitle"] = _latex_title(cite, recommended, version, commit, date, lang)
    elements["preamble"] = (
        elements.get("preamble", "") + LAYOUT + _pdf_info(cite, lang, version, date)
    )
    config.latex_elements = elements


#: docutils' own viewport tag, which Sphinx passes on in ``metatags`` beside its own.
_DOCUTILS_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>\s*')


def one_viewport(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Keep one viewport meta tag per page: Sphinx's layout writes one, docutils another
    (in ``metatags``) and the theme a third (its ``extrahead``, replaced in layout.html)."""
    context["metatags"] = _DOCUTILS_VIEWPORT.sub("", context.get("metatags", ""))
