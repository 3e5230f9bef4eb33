"""How to cite the book, its data package and the source article, written once.

The book's recommended citation (:func:`book`) is built from ``CITATION.cff`` alone: APA in
the English edition, GB/T 7714 in the Chinese one. The PDF title pages print it
(:mod:`shizhong.sphinxext.metadata`) and the How to cite appendix shows it
(:func:`book_markdown`). The appendix's other entries (:func:`bibtex`, :func:`data_package`,
:func:`article`) are read from ``references.bib`` and the data package. Each function
returns a :class:`~shizhong.bilingual.T`: one text per edition, which
:func:`shizhong.show.both` resolves.

This module imports neither pandas nor pybtex when it is imported (the Sphinx build reads
:func:`book`).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from shizhong import release
from shizhong.bilingual import LANGS, T

if TYPE_CHECKING:
    from pybtex.database import BibliographyData, Entry

__all__ = [
    "article",
    "bibtex",
    "book",
    "book_markdown",
    "data_package",
    "names",
    "release_values",
]


def _same(text: str) -> str:
    return text


def _plain(text: str) -> str:
    """A BibTeX field without its case-protecting braces."""
    return text.replace("{", "").replace("}", "")


def _title_case(text: str) -> str:
    """APA's title: a capital after a colon ('Shizhong 2019: A district's …')."""
    return re.sub(r": (\w)", lambda m: ": " + m.group(1).upper(), _plain(text))


def _apa_authors(names: list[str]) -> str:
    """APA author list for names written as one unit (an organisation or a Chinese name)."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1]


def names(people: list[dict[str, str]]) -> list[str]:
    return [
        p.get("name") or f"{p.get('family-names', '')}{p.get('given-names', '')}" for p in people
    ]


def book(
    root: Path, *, text: Callable[[str], str] = _same, title: Callable[[str], str] = _same
) -> T:
    """The book's recommended citation, from ``<root>/CITATION.cff``: APA in English
    (``preferred-citation``), GB/T 7714 in Chinese (the Chinese edition's ``book`` entry).

    ``text`` escapes each run of text for its target (LaTeX, Markdown); ``title`` sets the
    English title, already escaped (APA sets it in italics).
    """
    cff = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    en = cff["preferred-citation"]
    (zh,) = [r for r in cff["references"] if r["type"] == "book" and r["languages"] == ["zh"]]
    apa = (
        text(f"{_apa_authors(names(en['authors']))}. ({en['year']}). ")
        + title(text(_title_case(en["title"])))
        + text(f" (Version {en['version']}) [{en['notes']}].")
    )
    gb = text(
        f"{', '.join(names(zh['authors']))}. {zh['title']}[M/OL]. {zh['version']}版. {zh['year']}."
    )
    return T(apa, gb)


def _markdown_text(text: str) -> str:
    from shizhong.show import markdown_text

    return markdown_text(text)


def book_markdown(root: Path) -> T:
    """:func:`book` as Markdown: the English title in italics, the Chinese entry escaped."""
    cited = book(root, title=lambda t: f"*{t}*")
    return T(cited.en, _markdown_text(cited.zh))


def release_values(root: Path) -> dict[str, T]:
    """The release's values for the prose: version, release date, archive, licences."""
    rel = release.read(root)  # version and date-released of CITATION.cff
    code, data = (T.same(spdx.replace("-", " ")) for spdx in release.LICENCES.values())
    day = rel.date
    return {
        "book_version": T.same(rel.version),
        "release_date": T(day.isoformat(), f"{day.year}年{day.month}月{day.day}日"),
        "archive_name": T.same(rel.archive),
        "licence_code": code,
        "licence_data": data,
    }


def _bibliography(root: Path) -> BibliographyData:
    from pybtex.database import parse_file

    return parse_file(root / "references.bib")


def _code_block(key: str, entry: Entry, lang: str) -> str:
    """One entry as a BibTeX code block, fields in the order of references.bib; in the
    Chinese edition its note is the entry's Chinese note (``note_zh``)."""
    fields = dict(entry.fields)
    note_zh = fields.pop("note_zh", None)
    if lang == "zh" and note_zh:
        fields["note"] = note_zh
    lines = [f"@{entry.type}{{{key},"]
    for role, persons in entry.persons.items():
        lines.append(f"  {role} = {{{' and '.join(str(p) for p in persons)}}},")
    lines += [f"  {name} = {{{value}}}," for name, value in fields.items()]
    wrap = textwrap.TextWrapper(
        88, subsequent_indent="    ", break_long_words=False, break_on_hyphens=False
    )
    lines = [part for line in lines for part in wrap.wrap(line)]
    return "```bibtex\n" + "\n".join([*lines, "}"]) + "\n```"


def bibtex(keys: T, root: Path, entries: Mapping[str, Entry] | None = None) -> T:
    """The BibTeX entry ``keys.en`` for the English edition and ``keys.zh`` for the Chinese
    one, from ``entries`` or else ``references.bib``, as Markdown code blocks."""
    found = entries if entries is not None else _bibliography(root).entries
    return T(*(_code_block(keys(lang), found[keys(lang)], lang) for lang in LANGS))


def data_package(descriptor: Mapping[str, Any], root: Path) -> tuple[T, T]:
    """The data package's citation (APA) and its BibTeX entry ``shizhong_data``, from its
    descriptor and the book's entry in references.bib; alike in both editions."""
    from pybtex.database import Entry

    book_entry = _bibliography(root).entries["shizhong_book"]
    licence = descriptor["licenses"][0]["name"]
    entry = Entry(
        "misc",
        fields={
            "title": "{" + descriptor["title"] + "}",
            "year": book_entry.fields["year"],
            "version": descriptor["version"],
            "note": (
                "Data package (data/datapackage.json) of the report book "
                f"``{book_entry.fields['title']}''. Licence: {licence}"
            ),
        },
        persons={"author": book_entry.persons["author"]},
    )
    escaped = _markdown_text  # values from the data package are text, not Markdown
    apa = (
        f"{_apa_authors([_plain(str(p)) for p in entry.persons['author']])}. "
        f"({entry.fields['year']}). "
        f"*{escaped(_title_case(descriptor['title']))}* (Version {escaped(descriptor['version'])}) "
        f"[Data set]. Data package of *{_title_case(book_entry.fields['title'])}*. "
        f"Licence {escaped(licence)}."
    )
    return T.same(apa), bibtex(T.same("shizhong_data"), root, {"shizhong_data": entry})


def article(root: Path, title_en: str) -> T:
    """The source article's citation: APA with ``title_en`` (the data package's English title)
    in brackets, GB/T 7714 in Chinese; both say that outlet and date are not stated."""
    entry = _bibliography(root).entries["zhu_li_2020"]
    names = [_plain(str(p)) for p in entry.persons["author"]]
    title, year = _plain(entry.fields["title"]), entry.fields["year"]
    apa = (
        f"{_apa_authors(names)}. ({year}). {title} [{_markdown_text(title_en)}]. "
        "Chinese newspaper article; the outlet and the exact date are not stated in the "
        "source, and the year is inferred."
    )
    gb = f"{', '.join(names)}. {title}[N]. {year}（年份据文意推断；刊发报纸和确切日期原文未载）."
    return T(apa, _markdown_text(gb))
