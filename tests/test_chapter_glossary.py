"""The glossary appendix (shizhong.chapters.glossary): pinyin order, sources, units."""

from __future__ import annotations

import pytest

import shizhong as sz
from shizhong.bilingual import T
from shizhong.chapters import glossary


def test_pinyin_order_ignores_tones_spaces_and_hyphens():
    words = ["gāoxīn", "chūràng", "chǎn-chéng", "Gāo jià", "fūhuàqì"]
    assert sorted(words, key=glossary.pinyin_key) == [
        "chǎn-chéng",
        "chūràng",
        "fūhuàqì",
        "Gāo jià",
        "gāoxīn",
    ]
    # Same letters: the toned form breaks the tie, so the order never depends on the input.
    tied = ["mā", "má", "ma"]
    assert sorted(tied, key=glossary.pinyin_key) == sorted(reversed(tied), key=glossary.pinyin_key)
    assert {glossary.pinyin_key(w)[0] for w in tied} == {"ma"}


def test_terms_are_sorted_and_each_names_its_source(data):
    terms = glossary.terms(data)
    assert len(terms) == len(data.glossary)
    keys = [glossary.pinyin_key(p)[0] for p in terms["pinyin"]]
    assert keys == sorted(keys)
    by_term = terms.set_index("term_zh")["source"]
    assert by_term["高新技术企业"] == T(
        "National People's Congress, 2007", "全国人民代表大会，2007"
    )
    background = data.glossary.loc[data.glossary["source"] == "background", "term_zh"]
    assert {by_term[t] for t in background} == {T("Editors' background", "编者说明")}
    assert T("The article", "原文") in set(by_term)


def test_a_citation_without_a_chinese_issuer_keeps_its_author(tmp_path):
    bib = tmp_path / "references.bib"
    bib.write_text(
        "@misc{a, author = {{Some Agency}}, year = {2001}, title = {X}}\n"
        "@misc{b, author = {{Other}}, author_zh = {某机构}, year = {2002}, title = {Y}}\n",
        encoding="utf-8",
    )
    assert glossary.citations(bib, ["a", "b"]) == {
        "a": T("Some Agency, 2001", "Some Agency，2001"),
        "b": T("Other, 2002", "某机构，2002"),
    }


def test_counts_glued(data, glue_log):
    values = glue_log
    glossary.glue_counts(sz.Glue(data), data)
    assert values["gl_n_terms"] == values["zh:gl_n_terms"] == str(len(data.glossary))
    assert values["gl_n_units"] == str((data.units["unit"] != "-").sum())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_tables_in_each_edition(data, lang):
    terms = glossary.terms_table(data, lang).data
    units = glossary.units_table(data, lang).data
    if lang == "en":
        assert "| Chinese | Pinyin | English in this book | Explanation | Source |" in terms
        assert "| 亩 | mu | 2\\,000\\/3 | m² |" in units
    else:
        assert "| 术语 | 拼音 | 本书英文译名 | 说明 | 出处 |" in terms
        assert "| 亩 | mu | 2000\\/3 | 平方米 |" in units
        assert "Editors' background" not in terms
