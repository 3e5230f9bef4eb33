"""The glossary appendix: the article's terms in pinyin order, with the source of each
explanation, and the units."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from IPython.display import Markdown

from shizhong import show, units, write
from shizhong.bilingual import T, pairs, resolve
from shizhong.dataset import Dataset, find_data_dir

if TYPE_CHECKING:
    from shizhong.glue import Glue


def pinyin_key(pinyin: str) -> tuple[str, str]:
    """Sort key: the letters without tone marks, spaces or hyphens; the toned form breaks ties."""
    decomposed = unicodedata.normalize("NFD", pinyin.casefold())
    letters = "".join(ch for ch in decomposed if ch.isalpha() and not unicodedata.combining(ch))
    return letters, pinyin


def citations(bib: Path, keys: list[str]) -> dict[str, T]:
    """'State Council, 2018' / '国务院，2018' for each key of ``references.bib``: the first
    author (a Chinese issuer's ``author_zh`` in Chinese) and the year."""
    import pybtex.database

    entries = pybtex.database.parse_file(str(bib)).entries
    out = {}
    for key in keys:
        entry = entries[key]
        author = str(entry.persons["author"][0]).strip("{}")
        year = entry.fields["year"]
        out[key] = T(f"{author}, {year}", f"{entry.fields.get('author_zh') or author}，{year}")
    return out


def terms(data: Dataset) -> pd.DataFrame:
    """The glossary sorted by toneless pinyin, with the source of each explanation (``source``
    as a pair: the article, the editors' background, or the cited entry)."""
    glossary = data.glossary.sort_values("pinyin", key=lambda s: s.map(pinyin_key), kind="stable")
    sources = data.label_pairs("source")
    cited = [s for s in glossary["source"] if s not in sources]
    sources |= citations(find_data_dir().parent / "references.bib", cited)
    return glossary.assign(source=glossary["source"].map(sources))


def glue_counts(g: Glue, data: Dataset) -> None:
    """How many terms the glossary lists and how many units the article writes."""
    g.text("gl_n_terms", write.number(len(data.glossary)))
    g.text("gl_n_units", write.number(len(units.written(data.units))))


def terms_table(data: Dataset, lang: str = "en") -> Markdown:
    """The terms: Chinese, pinyin, the book's English, the explanation and its source."""
    t = terms(data)
    frame = pd.DataFrame(
        {
            T("Chinese", "术语"): list(t["term_zh"]),
            T("Pinyin", "拼音"): list(t["pinyin"]),
            T("English in this book", "本书英文译名"): list(t["term_en"]),
            T("Explanation", "说明"): pairs(t["explanation_en"], t["explanation_zh"]),
            T("Source", "出处"): list(t["source"]),
        }
    )
    return show.table(resolve(frame, lang), widths=[0.12, 0.15, 0.2, 0.38, 0.15])


def units_table(data: Dataset, lang: str = "en") -> Markdown:
    """The units: each one's English name, exact factor, base unit and definition."""
    table = units.table(data.units, data.label_pairs("base_unit"))
    frame = pd.DataFrame(
        {
            T("Unit", "单位"): list(table["unit"]),
            T("English name", "英文名称"): list(table["name_en"]),
            T("Factor", "换算系数"): list(table["factor"]),
            T("Base unit", "基本单位"): list(table["base"]),
            T("Definition", "定义"): pairs(table["definition"], table["definition_zh"]),
        }
    )
    return show.table(resolve(frame, lang), align="lllll", widths=[0.08, 0.24, 0.16, 0.1, 0.38])
