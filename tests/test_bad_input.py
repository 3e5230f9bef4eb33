"""Bad data gets one clear line per problem naming the file, line, id and column."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import shizhong as sz
from shizhong.problems import printable
from shizhong.validate import validate

from .conftest import line_of, read_rows, set_cell, write_rows

IND = "indicators.csv"


def first_id(data_dir: Path, kind: str) -> str:
    """The first row of ``kind`` whose figure is written in Arabic digits."""
    header, rows = read_rows(data_dir / IND)
    return next(
        r[0] for r in rows if r[header.index("kind")] == kind and r[header.index("text")].isdigit()
    )


def messages(data_dir: Path) -> list[str]:
    return [str(p) for p in validate(data_dir)]


def set_and_get(data_dir: Path, row_id: str, column: str) -> str:
    """The current value of one indicator cell."""
    header, rows = read_rows(data_dir / IND)
    return next(r[header.index(column)] for r in rows if r[0] == row_id)


def test_the_real_data_is_valid(data_copy):
    assert messages(data_copy) == []


@pytest.mark.parametrize(
    ("column", "bad", "expected"),
    [
        ("value", "abc", "column value: 'abc' is not a valid number"),
        ("value", "17,7", "a comma as decimal separator? write it with '.'"),
        ("value", "", "column value: is empty; a count needs a number"),
        ("unit", "斤", "column unit: '斤' is not in units.csv"),
        ("chapter", "sports", "column chapter: 'sports' is not one of economy, projects,"),
        ("quote", "市中区实现税收99亿元", "column quote: not found in the article"),
    ],
)
def test_bad_cell(data_copy, column, bad, expected):
    rid = first_id(data_copy, "count")
    set_cell(data_copy / IND, rid, column, bad)
    got = messages(data_copy)
    where = f"data/{IND}: line {line_of(data_copy / IND, rid)} (id={rid})"
    assert len(got) == 1, got
    assert got[0].startswith(where), got
    assert expected in got[0], got


def test_negative_count(data_copy):
    rid = first_id(data_copy, "count")
    set_cell(data_copy / IND, rid, "value", "-5")
    got = messages(data_copy)
    where = f"data/{IND}: line {line_of(data_copy / IND, rid)} (id={rid}), column value: "
    assert where + "a count cannot be negative (-5)" in got, got
    assert all(m.startswith(where) for m in got), got


def test_duplicate_id(data_copy):
    header, rows = read_rows(data_copy / IND)
    rows[1][0] = rows[0][0]
    write_rows(data_copy / IND, header, rows)
    got = messages(data_copy)
    assert len(got) == 1, got
    assert f"(id={rows[0][0]}), column id: duplicate key" in got[0]


def test_short_row(data_copy):
    header, rows = read_rows(data_copy / IND)
    rows[2] = rows[2][:5]
    write_rows(data_copy / IND, header, rows)
    got = messages(data_copy)
    assert got == [f"data/{IND}: line 4 (id={rows[2][0]}): has 5 fields, expected {len(header)}"]


def test_missing_column(data_copy):
    header, rows = read_rows(data_copy / IND)
    i = header.index("unit")
    write_rows(data_copy / IND, header[:i] + header[i + 1 :], [r[:i] + r[i + 1 :] for r in rows])
    assert messages(data_copy) == [f"data/{IND}: column unit: column is missing from the header"]


def test_not_utf8(data_copy):
    path = data_copy / IND
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    got = messages(data_copy)
    assert len(got) == 1
    assert got[0].startswith(f"data/{IND}: not UTF-8 (byte 0x")
    assert "on line 2" in got[0]


def test_empty_file(data_copy):
    (data_copy / "units.csv").write_text("", encoding="utf-8")
    assert messages(data_copy) == ["data/units.csv: file is empty"]


def test_changed_article(data_copy):
    article = next((data_copy / "raw").iterdir())
    article.write_text(article.read_text(encoding="utf-8").replace("17.7", "18.7"), "utf-8")
    got = messages(data_copy)
    assert len(got) == 1
    assert got[0].startswith(f"data/raw/{article.name}: the article changed")


def test_relation_that_fails(data_copy):
    set_cell(data_copy / IND, "land_transferred", "value", "836")
    set_cell(data_copy / IND, "land_transferred", "text", "836")
    set_cell(data_copy / IND, "land_transferred", "quote", "出让土地836亩")
    got = messages(data_copy)
    # the quote no longer matches the article, and the sum no longer holds
    line = line_of(data_copy / IND, "land_transferred")
    assert f"data/{IND}: line {line} (id=land_transferred), column quote: not found" in got[0]
    checks_line = line_of(data_copy / "checks.csv", "land_supply_split")
    assert got[1] == (
        f"data/checks.csv: line {checks_line} (id=land_supply_split), column relation: "
        "does not hold: land_supplied = 1579 vs sum(land_transferred + land_allocated) = 1580, "
        "difference -1 exceeds tolerance 0"
    ), got
    assert len(got) == 2, got


def test_relation_that_does_not_hold_alone(data_copy):
    set_cell(data_copy / "checks.csv", "land_supply_split", "operands", "land_transferred")
    line = line_of(data_copy / "checks.csv", "land_supply_split")
    assert messages(data_copy) == [
        f"data/checks.csv: line {line} (id=land_supply_split), column relation: does not hold: "
        "land_supplied = 1579 vs sum(land_transferred) = 835, difference 744 exceeds tolerance 0"
    ]


def test_unknown_operand(data_copy):
    set_cell(data_copy / "checks.csv", "land_supply_split", "operands", "land_transferred;nope")
    line = line_of(data_copy / "checks.csv", "land_supply_split")
    assert messages(data_copy) == [
        f"data/checks.csv: line {line} (id=land_supply_split), column operands: "
        "unknown operand 'nope'"
    ]


def test_quote_that_occurs_twice(data_copy):
    set_cell(data_copy / IND, "framework_three_strands", "quote", "三")
    line = line_of(data_copy / IND, "framework_three_strands")
    assert messages(data_copy) == [
        f"data/{IND}: line {line} (id=framework_three_strands), column quote: "
        "occurs 2 times in the article; extend it until it is unique"
    ]


def test_exclusion_that_excludes_nothing(data_copy):
    path = data_copy / "numeral_exclusions.csv"
    header, rows = read_rows(path)
    rows.append(
        [
            "land_835_mu",
            "出让土地835亩",
            "835",
            "idiom",
            "A quoted figure, so nothing to exclude here",
            "已引用的数字，此处无需排除",
        ]
    )
    write_rows(path, header, rows)
    assert messages(data_copy) == [
        "data/numeral_exclusions.csv: column context: '出让土地835亩' excludes no uncovered numeral"
    ]


def test_exclusion_whose_numeral_is_not_in_its_context(data_copy):
    path = data_copy / "numeral_exclusions.csv"
    header, rows = read_rows(path)
    rows[1][header.index("numeral")] = "九"
    write_rows(path, header, rows)
    assert messages(data_copy) == [
        "data/numeral_exclusions.csv: line 3 (id=zbj_name), column numeral: '九' is not in its "
        "context"
    ]


def test_exclusion_context_not_in_the_article(data_copy):
    path = data_copy / "numeral_exclusions.csv"
    header, rows = read_rows(path)
    rows[0][header.index("context")] = "过去的两年"
    write_rows(path, header, rows)
    got = messages(data_copy)
    assert got == [
        "data/numeral_exclusions.csv: line 2 (id=past_year), column context: not in the "
        "article: '过去的两年'"
    ], got


def test_text_not_in_its_quote(data_copy):
    set_cell(data_copy / IND, "finance_tax", "text", "18.7")
    line = line_of(data_copy / IND, "finance_tax")
    got = messages(data_copy)
    assert (
        got[0]
        == f"data/{IND}: line {line} (id=finance_tax), column text: '18.7' is not in the quote"
    )


def test_text_that_is_not_a_numeral(data_copy):
    quote = set_and_get(data_copy, "finance_tax", "quote")
    set_cell(data_copy / IND, "finance_tax", "text", quote[0])
    line = line_of(data_copy / IND, "finance_tax")
    assert messages(data_copy) == [
        f"data/{IND}: line {line} (id=finance_tax), column text: {quote[0]!r} is not a numeral"
    ]


def test_label_with_a_value(data_copy):
    set_cell(data_copy / IND, "framework_district_system", "value", "1")
    line = line_of(data_copy / IND, "framework_district_system")
    assert messages(data_copy) == [
        f"data/{IND}: line {line} (id=framework_district_system), column value: "
        "must be empty for kind 'label' (the text holds it)"
    ]


def test_count_that_is_not_whole(data_copy):
    rid = first_id(data_copy, "count")
    text = set_and_get(data_copy, rid, "text")
    set_cell(data_copy / IND, rid, "value", f"{text}.5")
    where = f"data/{IND}: line {line_of(data_copy / IND, rid)} (id={rid}), column value: "
    got = messages(data_copy)
    assert where + f"a count must be a whole number ({text}.5)" in got, got
    assert all(m.startswith(where) for m in got), got


@pytest.mark.parametrize(
    ("column", "bad", "expected"),
    [
        ("id", "Bad-Id", "column id: 'Bad-Id' does not match the pattern '[a-z][a-z0-9_]*'"),
        ("year", "2017", "column year: '2017' is below the minimum 2018"),
        ("year", "2021", "column year: '2021' is above the maximum 2020"),
        ("subject_en", "", "column subject_en: is empty but required"),
    ],
)
def test_constraint(data_copy, column, bad, expected):
    rid = "framework_three_strands"  # no other table refers to it
    set_cell(data_copy / IND, rid, column, bad)
    rid = bad if column == "id" else rid
    line = line_of(data_copy / IND, rid)
    assert messages(data_copy) == [f"data/{IND}: line {line} (id={rid}), {expected}"]


def test_quote_of_a_named_thing_not_in_the_article(data_copy):
    set_cell(data_copy / "entities.csv", "shizhong_district", "quote", "济南市市中区政府")
    line = line_of(data_copy / "entities.csv", "shizhong_district")
    assert messages(data_copy) == [
        f"data/entities.csv: line {line} (id=shizhong_district), column quote: "
        "not found in the article: '济南市市中区政府'"
    ]


def test_glossary_term_not_in_the_article(data_copy):
    path = data_copy / "glossary.csv"
    header, rows = read_rows(path)
    rows[0][0] = "市北区"
    write_rows(path, header, rows)
    assert messages(data_copy) == [
        "data/glossary.csv: line 2, column term_zh: '市北区' is not in the article"
    ]


def test_extra_column(data_copy):
    header, rows = read_rows(data_copy / IND)
    write_rows(data_copy / IND, [*header, "extra"], [[*r, ""] for r in rows])
    assert messages(data_copy) == [f"data/{IND}: column extra: column is not in the schema"]


def test_header_without_rows(data_copy):
    header, _ = read_rows(data_copy / "units.csv")
    write_rows(data_copy / "units.csv", header, [])
    assert messages(data_copy) == ["data/units.csv: has a header but no rows"]


def test_missing_file(data_copy):
    (data_copy / "glossary.csv").unlink()
    assert messages(data_copy) == ["data/glossary.csv: file not found"]


def test_missing_descriptor(data_copy):
    (data_copy / "datapackage.json").unlink()
    assert messages(data_copy) == ["data/datapackage.json: not found"]


def test_descriptor_that_is_not_json(data_copy):
    (data_copy / "datapackage.json").write_text("{", encoding="utf-8")
    got = messages(data_copy)
    assert len(got) == 1 and got[0].startswith("data/datapackage.json: not valid JSON: "), got


def test_value_must_match_its_text(data_copy):
    set_cell(data_copy / IND, "finance_tax", "value", "17.8")
    got = messages(data_copy)
    assert len(got) == 1 and "column value: 17.8 does not match the text '17.7'" in got[0]


def test_load_raises_one_error_type_and_returns_nothing(data_copy):
    set_cell(data_copy / IND, first_id(data_copy, "count"), "unit", "斤")
    with pytest.raises(sz.DataError) as info:
        sz.load(data_copy)
    assert len(info.value.problems) == 1
    assert "is not in units.csv" in str(info.value)


def test_uncovered_numeral_is_reported(data_copy):
    header, rows = read_rows(data_copy / "numeral_exclusions.csv")
    write_rows(data_copy / "numeral_exclusions.csv", header, rows[1:])
    got = messages(data_copy)
    numeral = rows[0][header.index("numeral")]
    pattern = (
        rf"data/raw/shizhong-2019-review\.zh\.txt: numeral '{numeral}' on line \d+ is in no "
        r"indicator quote and not in numeral_exclusions\.csv"
    )
    assert got and all(re.fullmatch(pattern, m) for m in got), got


# --- text rules (shizhong.textrules): data text stays text ---------------------------------

MARKUP = "data is shown as text, so write it another way"


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        ("a\tb", "contains a control character (U+0009) at character 2"),
        ("a\x00b", "contains a control character (U+0000) at character 2"),
        ("ab\x85", "contains a control character (U+0085) at character 3"),
        (
            "abc\u202edcba",
            "contains a bidirectional control, which can reorder the text as shown "
            "(U+202E RIGHT-TO-LEFT OVERRIDE) at character 4",
        ),
        (
            "x\u2066y\u2069",
            "contains a bidirectional control, which can reorder the text as shown "
            "(U+2066 LEFT-TO-RIGHT ISOLATE) at character 2",
        ),
        (
            "java\u200bscript",
            "contains an invisible character (U+200B ZERO WIDTH SPACE) at character 5",
        ),
        (
            "a\ufeffb",
            "contains an invisible character (U+FEFF ZERO WIDTH NO-BREAK SPACE) at character 2",
        ),
        (
            "a\ufe0fb",
            "contains an invisible character (U+FE0F VARIATION SELECTOR-16) at character 2",
        ),
        (
            "a\u2028b",
            "contains a line or paragraph separator (U+2028 LINE SEPARATOR) at character 2",
        ),
        (
            "a\ue000b",
            "contains a private-use, surrogate or unassigned code point (U+E000) at character 2",
        ),
        (
            "Cafe\u0301",
            "is not in Unicode normalization form NFC (compose accents with their letters)",
        ),
        (" padded", "starts or ends with a space"),
        ("=1+1", "starts with '=', which a spreadsheet would read as a formula"),
        ("+cmd|' /C calc'!A0", "starts with '+', which a spreadsheet would read as a formula"),
        ("@SUM(A1:A9)", "starts with '@', which a spreadsheet would read as a formula"),
        ("＝1+1", "starts with '＝', which a spreadsheet would read as a formula"),
        (
            "-2+3",
            "starts with '-' followed by more text, which a spreadsheet may read as a formula "
            "(only a lone '-' is allowed)",
        ),
        ("{{ 7*191 }}", f"contains template syntax '{{{{' at character 1; {MARKUP}"),
        ("x {% if 1 %}", f"contains template syntax '{{%' at character 3; {MARKUP}"),
        (
            "see {glue:text}`x`",
            f"contains MyST role syntax '{{glue:text}}`' at character 5; {MARKUP}",
        ),
        ("```{note}", f"contains a code or directive fence '```' at character 1; {MARKUP}"),
        (":::{note}", f"contains a code or directive fence ':::' at character 1; {MARKUP}"),
        ("a <script>alert(1)</script>", f"contains HTML markup '<s' at character 3; {MARKUP}"),
        ("<img src=x onerror=alert(1)>", f"contains HTML markup '<i' at character 1; {MARKUP}"),
        (
            "[x](JavaScript:alert(2))",
            f"contains a script link 'JavaScript:' at character 5; {MARKUP}",
        ),
    ],
)
def test_text_rule(data_copy, bad, expected):
    rid = "finance_tax"
    set_cell(data_copy / IND, rid, "note", bad)
    where = f"data/{IND}: line {line_of(data_copy / IND, rid)} (id={rid}), column note: "
    got = messages(data_copy)
    assert got == [where + expected]
    assert all(printable(m) == m for m in got), got  # one line, nothing hidden


@pytest.mark.parametrize(
    ("column", "bad"),
    [
        ("subject_zh", '=HYPERLINK("http://x")'),  # text field
        ("topic", "=x"),  # a field with a pattern gets the character and formula rules too
        ("unit", "-%"),  # a lone '-' is fine, '-' followed by more is not
    ],
)
def test_formula_start_in_any_text_field(data_copy, column, bad):
    rid = "finance_tax"
    set_cell(data_copy / IND, rid, column, bad)
    where = f"data/{IND}: line {line_of(data_copy / IND, rid)} (id={rid}), column {column}: "
    got = messages(data_copy)
    assert any(m.startswith(where + f"starts with {bad[0]!r}") for m in got), got


def test_markup_is_allowed_only_where_the_schema_closes_the_field(data_copy):
    """Enum and pattern fields cannot hold markup anyway; their own message says why."""
    set_cell(data_copy / IND, "framework_three_strands", "chapter", "<b>")
    got = messages(data_copy)
    line = line_of(data_copy / IND, "framework_three_strands")
    assert got == [
        f"data/{IND}: line {line} (id=framework_three_strands), column chapter: "
        "'<b>' is not one of economy, projects, talent, outlook, context"
    ], got


def test_hostile_row_id_is_shown_escaped(data_copy):
    set_cell(data_copy / IND, "framework_three_strands", "id", "x\u202ey")
    got = messages(data_copy)
    assert got and all("(id=x\\u202ey)" in m for m in got), got


def test_what_honest_text_needs_is_allowed(data_copy):
    # an ideographic variation sequence (a CJK glyph variant), full-width and Latin
    # punctuation, a lone '-', and the line feeds of quotes that span the article's lines
    set_cell(
        data_copy / IND, "finance_tax", "note", "葛\U000e0100 (a variant) – 10%: “x” 'y' «z» ≥ 1"
    )
    assert messages(data_copy) == []


def test_descriptor_text_follows_the_rules(data_copy):
    path = data_copy / "datapackage.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("Every figure of the article, one row each", "Every figure<script>"),
        encoding="utf-8",
    )
    assert messages(data_copy) == [
        "data/datapackage.json: resources[1].title: contains HTML markup '<s' at character 13; "
        + MARKUP
    ]


def test_descriptor_chinese_text_follows_the_rules(data_copy):
    """The Chinese twins of the descriptor's texts reach the Chinese edition: same rules."""
    path = data_copy / "datapackage.json"
    text = path.read_text(encoding="utf-8")
    old = '"description_zh": "稳定的 snake_case 标识符。"'
    assert text.count(old) == 1
    path.write_text(text.replace(old, '"description_zh": "标识符{{ 7*191 }}"'), encoding="utf-8")
    assert messages(data_copy) == [
        "data/datapackage.json: resources[1].schema.fields[0].description_zh: contains "
        "template syntax '{{' at character 4; " + MARKUP
    ]


@pytest.mark.parametrize("bad", ["../../etc/passwd", "/etc/hostname", "raw/../../x.csv", ".env"])
def test_descriptor_path_outside_the_data_folder(data_copy, bad):
    """The book offers the descriptor's files for download: none may lie elsewhere."""
    path = data_copy / "datapackage.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"path": "units.csv"', f'"path": "{bad}"'), encoding="utf-8")
    assert messages(data_copy) == [
        f"data/datapackage.json: resources[2].path: {bad!r} is not a relative path inside "
        "data/ (letters, digits, '_', '-', '.' and '/')"
    ]
