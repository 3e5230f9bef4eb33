"""Every row traces to the article, and every numeral of the article is accounted for."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from shizhong import numerals, semantics

from .conftest import DATA

#: SHA-256 of the article as it was handed to the project, written here once, so a change to
#: the copy and to ``datapackage.json`` together still fails.
ARTICLE_SHA256 = "7d4f0063f6a2459f446fefb4a0fdec635dc5111096735cbeec73542d3f31a0ac"


def test_article_copy_matches_its_recorded_hash(data):
    path = DATA / data.source["path"]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == data.source["sha256"]
    resource = next(r for r in data.descriptor["resources"] if r["name"] == "article")
    assert resource["hash"] == "sha256:" + data.source["sha256"]


def test_article_copy_is_the_article_as_received(data):
    assert hashlib.sha256((DATA / data.source["path"]).read_bytes()).hexdigest() == ARTICLE_SHA256
    assert data.source["sha256"] == ARTICLE_SHA256


def test_every_quote_is_a_unique_verbatim_span(data):
    for row in data.indicators.itertuples():
        assert data.article.count(row.quote) == 1, row.id


def test_every_value_is_written_in_its_quote(data):
    for row in data.indicators.itertuples():
        assert row.text in row.quote, row.id
        if row.kind not in ("label", "date"):
            assert numerals.read(row.text) == pytest.approx(float(row.value)), row.id


def test_every_structured_fact_is_quoted(data):
    for name in semantics.QUOTED_TABLES:
        for quote in data.table(name)["quote"]:
            assert quote in data.article, (name, quote)
    for term in data.glossary["term_zh"]:
        assert term in data.article, term


def test_every_numeral_is_covered_or_excluded_with_a_reason(data):
    cov = semantics.coverage(data.article, {
        "indicators": data.indicators, "numeral_exclusions": data.numeral_exclusions,
    })  # fmt: skip
    assert len(cov) == len(numerals.tokens(data.article))
    assert (cov["status"] != "uncovered").all(), cov[cov["status"] == "uncovered"]
    # the exclusion list stays short and reasoned
    assert len(data.numeral_exclusions) <= 30
    assert data.numeral_exclusions["explanation_en"].str.len().min() > 10


def test_arabic_numbers_are_all_quoted_not_excluded(data):
    """Only words (一些, 千方百计, 二环南路 …) may be excluded; an Arabic number is a figure
    unless it is a year."""
    for ctx, numeral in zip(
        data.numeral_exclusions["context"], data.numeral_exclusions["numeral"], strict=True
    ):
        if re.fullmatch(r"\d+", numeral):
            assert re.fullmatch(r"20\d\d", numeral), ctx


def test_key_figures_of_the_article_are_present(data):
    """Spot checks written from a reading of the article, independent of the CSV."""
    expected = {
        "finance_tax": (17.7, "亿元"),
        "services_revenue": (274.8, "亿元"),
        "ict_tax_growth": (28.4, "%"),
        "land_supplied": (1579, "亩"),
        "land_transferred": (835, "亩"),
        "land_allocated": (744, "亩"),
        "investment_projects_10m_count": (1134, "个"),
        "investment_projects_10m_capital": (933, "亿元"),
        "investment_projects_100m_count": (174, "个"),
        "openness_trade": (41.89, "亿元"),
    }
    for id_, (value, unit) in expected.items():
        row = data.figure(id_)
        assert (float(row["value"]), row["unit"]) == (value, unit), id_


def test_source_metadata_marks_what_is_inferred(data):
    source = data.source
    assert source["authors"] == ["朱振", "李猛"]
    assert source["photographers"] == ["裴梦雪", "匡松"]
    assert source["reports_on"]["review_year"] == 2019
    assert source["published"]["inferred"] is True
    assert source["publisher"]["value"] is None


def test_datapackage_describes_every_file():
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    described = {r["path"] for r in package["resources"]}
    on_disk = {p.relative_to(DATA).as_posix() for p in DATA.rglob("*") if p.is_file()}
    assert on_disk - {"datapackage.json"} == described
