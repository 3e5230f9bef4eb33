"""Citation files: CITATION.cff is valid CFF 1.2.0 and references.bib parses, both in step.

The schema in ``tests/schemas/citation-cff-1.2.0.json`` is the official CFF 1.2.0 JSON schema,
copied unchanged from the ``cffconvert`` 2.0.0 wheel (``cffconvert/schemas/1.2.0/schema.json``).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from pybtex.database import BibliographyData, parse_file, parse_string

from .conftest import ROOT

CFF = ROOT / "CITATION.cff"
SCHEMA = ROOT / "tests" / "schemas" / "citation-cff-1.2.0.json"
BIB = ROOT / "references.bib"
SCHEMA_ID = "https://citation-file-format.github.io/1.2.0/schema.json"
BIB_KEYS = {
    "zhu_li_2020",
    "shizhong_book",
    "jupyterbook",
    "altair",
    "pandas",
    "vegalite",
    "frictionless_tableschema",
    "nbs_2020_communique",
}
# The source states no outlet, date or address: the article's entry must not invent one.
VENUE_FIELDS = {"journal", "booktitle", "publisher", "howpublished", "url", "doi", "month", "day"}


def project_version() -> str:
    """``[project].version`` of pyproject.toml: the book's single version."""
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]["version"]


def _dates_as_text(node: Any) -> Any:
    """Cast YAML dates to ISO strings, as the CFF schema asks validating tools to do."""
    if isinstance(node, dict):
        return {key: _dates_as_text(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_dates_as_text(value) for value in node]
    if isinstance(node, dt.date):
        return node.isoformat()
    return node


def load_cff(path: Path = CFF) -> dict[str, Any]:
    """CITATION.cff as JSON-like data."""
    return _dates_as_text(yaml.safe_load(path.read_text(encoding="utf-8")))


def cff_errors(cff: dict[str, Any]) -> list[str]:
    """Every schema violation of ``cff``, as 'path: message' (empty when valid)."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    return sorted(
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
        for error in validator.iter_errors(cff)
    )


@pytest.fixture(scope="module")
def cff() -> dict[str, Any]:
    return load_cff()


@pytest.fixture(scope="module")
def bib() -> BibliographyData:
    return parse_file(str(BIB), bib_format="bibtex")


# --- CITATION.cff ------------------------------------------------------------------------


def test_schema_is_the_official_cff_1_2_0():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$id"] == SCHEMA_ID
    assert schema["$schema"].startswith("http://json-schema.org/draft-07/")


def test_citation_cff_is_valid(cff):
    assert cff["cff-version"] == "1.2.0"
    assert cff_errors(cff) == []


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("authors",), None),
        (("cff-version",), None),
        (("license",), ["MIT", "Not-A-Licence"]),
        (("date-released",), "27/11/2026"),
        (("authors", 0, "nickname"), "contributors"),
        (("preferred-citation", "type"), "report book"),
        (("references", 0, "languages"), ["Chinese"]),
        (("references", 0, "authors"), []),
    ],
    ids=lambda v: "-".join(map(str, v)) if isinstance(v, tuple) else None,
)
def test_schema_validation_can_fail(cff, path, value):
    """Each broken copy is rejected: the validator really applies the schema."""
    broken = copy.deepcopy(cff)
    *parents, last = path
    node = broken
    for key in parents:
        node = node[key]
    if value is None:
        del node[last]
    else:
        node[last] = value
    assert cff_errors(broken), f"schema accepted a CITATION.cff with {path} = {value!r}"


def test_shizhong_version_is_the_project_version():
    import shizhong

    assert shizhong.__version__ == project_version()


def test_cff_title_and_authors_match_the_book(cff):
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert cff["title"] == cff["preferred-citation"]["title"] == config["title"]
    assert cff["authors"] == cff["preferred-citation"]["authors"] == [{"name": config["author"]}]


def test_cff_licenses_code_and_data(cff):
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert cff["license"] == ["MIT", package["licenses"][0]["name"]]


def test_cff_references_the_source_article(cff):
    articles = [ref for ref in cff["references"] if ref["type"] == "newspaper-article"]
    assert len(articles) == 1
    article = articles[0]
    assert article["title"] == "济南市中区：聚焦提升 全面开创品质市中建设新局面"
    names = [(a["family-names"], a["given-names"]) for a in article["authors"]]
    assert names == [("朱", "振"), ("李", "猛")]
    assert article["year"] == 2020
    assert "inferred" in article["notes"] and "not stated" in article["notes"]
    assert not {"date-published", "publisher", "journal", "url", "doi"} & set(article)


# --- references.bib -----------------------------------------------------------------------


def test_bib_has_every_key(bib):
    missing = BIB_KEYS - set(bib.entries)
    assert not missing, f"references.bib lacks {sorted(missing)}"


def test_bib_parser_rejects_a_duplicate_key():
    """pybtex runs in strict mode here: a broken file fails instead of parsing partly."""
    text = BIB.read_text(encoding="utf-8")
    with pytest.raises(Exception, match="zhu_li_2020"):
        parse_string(text + "\n@misc{zhu_li_2020, title = {again}}\n", "bibtex")


def test_article_entry(bib):
    entry = bib.entries["zhu_li_2020"]
    assert [str(person) for person in entry.persons["author"]] == ["朱振", "李猛"]
    assert entry.fields["title"] == "济南市中区：聚焦提升 全面开创品质市中建设新局面"
    assert entry.fields["year"] == "2020"
    assert not VENUE_FIELDS & {name.lower() for name in entry.fields}, "invented venue or date"
    note = entry.fields["note"]
    assert "not stated" in note and "inferred" in note


def test_book_entry_is_in_step_with_cff(bib, cff):
    """Title and authors; its version and year are test_release's (every copy of the version
    and release date follows CITATION.cff)."""
    entry = bib.entries["shizhong_book"]
    assert entry.fields["title"].replace("{", "").replace("}", "") == cff["title"]
    assert [str(p).strip("{}") for p in entry.persons["author"]] == [cff["authors"][0]["name"]]


def test_exchange_rate_source_is_cited(bib):
    rates = (ROOT / "data" / "exchange_rates.csv").read_text(encoding="utf-8")
    entry = bib.entries["nbs_2020_communique"]
    title = entry.fields["title"].replace("{", "").replace("}", "")
    assert title in rates


# --- the two editions ---------------------------------------------------------------------

CJK = "\u4e00-\u9fff"


def test_both_editions_are_listed(bib, cff):
    """references.bib and CITATION.cff list the Chinese edition, in Chinese, in step with the
    Chinese edition's configuration and the book's version."""
    zh_config = yaml.safe_load((ROOT / "_config.zh.yml").read_text(encoding="utf-8"))
    entry = bib.entries["shizhong_book_zh"]
    title = entry.fields["title"]
    assert title.startswith(zh_config["title"]) and "中文版" in title
    assert [str(p).strip("{}") for p in entry.persons["author"]] == [zh_config["author"]]
    assert (
        entry.fields["version"]
        == project_version()
        == bib.entries["shizhong_book"].fields["version"]
    )
    books = [r for r in cff["references"] if r["type"] == "book"]
    assert [b["title"] for b in books] == [title]
    assert books[0]["languages"] == ["zh"] and books[0]["version"] == project_version()
    assert books[0]["authors"][0]["name"] == zh_config["author"]


@pytest.mark.parametrize(
    ("lang", "key", "other"),
    [("en", "shizhong_book", "shizhong_book_zh"), ("zh", "shizhong_book_zh", "shizhong_book")],
)
def test_how_to_cite_gives_the_entry_of_its_edition(lang, key, other):
    """Each edition's how-to-cite page gives that edition's entry, not the other's."""
    page = (
        ROOT
        / "_build"
        / "html"
        / ("zh/" if lang == "zh" else "")
        / "notebooks"
        / "how-to-cite.html"
    )
    if not page.is_file():
        pytest.fail(f"no built page {page}: run `make html` first", pytrace=False)
    from bs4 import BeautifulSoup

    text = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text()
    assert f"@misc{{{key}," in text
    assert f"{{{other}," not in text
    if lang == "zh":
        assert "市中区2019：数字里的一年（中文版）" in text and "[M/OL]" in text


def test_every_note_has_a_chinese_note(bib):
    """The Chinese edition's references list reads each entry's ``note_zh`` (style
    ``plain_zh``): every note has one, in Chinese, ending as a Chinese sentence does."""
    for key, entry in bib.entries.items():
        if "note" in entry.fields:
            note_zh = entry.fields.get("note_zh", "")
            assert any("\u4e00" <= ch <= "\u9fff" for ch in note_zh), f"{key}: no note_zh"
            assert note_zh.endswith("。"), f"{key}: note_zh ends with {note_zh[-1:]!r}"


def test_the_cited_exchange_rate_is_the_data_rate(bib, data):
    """The NBS entry states the rate the book uses, in both languages: the data's rate."""
    rates = data.exchange_rates.set_index(["from_unit", "to_unit", "year"])
    rate = rates.loc[("USD", "CNY", 2019), "rate"]
    entry = bib.entries["nbs_2020_communique"]
    assert f"1 US dollar = {rate} yuan" in entry.fields["note"]
    assert f"1美元 = {rate}元人民币" in entry.fields["note_zh"]


def _page(lang: str, name: str) -> Any:
    from bs4 import BeautifulSoup

    page = ROOT / "_build" / "html" / ("zh/" if lang == "zh" else "") / "notebooks" / name
    if not page.is_file():
        pytest.fail(f"no built page {page}: run `make html` first", pytrace=False)
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def test_chinese_edition_cites_as_chinese_text_does():
    """（朱振、李猛，2020） in the Chinese edition, [朱振 and 李猛, 2020] in the English one;
    the Chinese references list joins names with commas and gives the notes in Chinese."""
    zh_cites = {a.get_text() for a in _page("zh", "overview.html").select("a[href*='#id']")}
    en_cites = {a.get_text() for a in _page("en", "overview.html").select("a[href*='#id']")}
    assert "朱振、李猛，2020" in zh_cites and "朱振 and 李猛, 2020" in en_cites
    zh_overview = _page("zh", "overview.html").get_text()
    assert "（朱振、李猛，2020）" in zh_overview
    zh_list = _page("zh", "references.html").select("div.citation")
    zhu = next(d.get_text(" ", strip=True) for d in zh_list if "李猛" in d.get_text())
    assert zhu.split("]", 1)[1].strip().startswith("朱振, 李猛.")
    assert "推断" in zhu and "inferred" not in zhu
    assert not [d for d in zh_list if " and " in d.get_text().split(".")[0]], "English 'and'"


def test_the_pdf_and_how_to_cite_give_one_citation():
    """The book's recommended citation is written once (``shizhong.citation.book``): How to
    cite shows it in each edition, and each PDF's title page prints the same text, set for
    LaTeX (:mod:`shizhong.sphinxext.metadata`)."""
    from sphinx.util.texescape import escape

    from shizhong import citation
    from shizhong.show import markdown_text

    notebook = json.loads((ROOT / "notebooks" / "how-to-cite.ipynb").read_text(encoding="utf-8"))
    cell = next(c for c in notebook["cells"] if "citation.book_markdown" in "".join(c["source"]))
    shown = {o["metadata"]["lang"]: "".join(o["data"]["text/markdown"]) for o in cell["outputs"]}
    assert shown == {"en": citation.book_markdown(ROOT).en, "zh": citation.book_markdown(ROOT).zh}
    plain = citation.book(ROOT)
    latex = citation.book(ROOT, text=escape, title=lambda t: rf"\emph{{{t}}}")
    assert shown["zh"] == markdown_text(plain.zh) and latex.zh == escape(plain.zh)
    assert (
        shown["en"].replace("*", "") == plain.en == latex.en.replace(r"\emph{", "").replace("}", "")
    )
