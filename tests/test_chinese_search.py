"""The Chinese edition's search segments the book's own terms as words."""

from __future__ import annotations

import jieba

from shizhong.sphinxext.search import terms

from .conftest import DATA


def test_the_glossary_terms_become_jieba_words(tmp_path):
    words = terms(DATA / "glossary.csv")
    assert "双招双引" in words and "市中区" in words
    plain = jieba.Tokenizer()
    assert "双招双引" not in plain.lcut("坚持双招双引不动摇")  # jieba alone cuts it apart
    path = tmp_path / "terms.txt"
    path.write_text("".join(f"{w}\n" for w in words), encoding="utf-8")
    taught = jieba.Tokenizer()
    taught.load_userdict(str(path))
    assert "双招双引" in taught.lcut("坚持双招双引不动摇")
