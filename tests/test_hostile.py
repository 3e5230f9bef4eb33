"""Data text is text: hostile values in every free-text field never become markup, script,
template or LaTeX, and validation rejects what no honest figure needs.

(a) Validation: a copy of the data package with a payload in every free-text field of every
    table; each forbidden payload gets its located one-line message, the others none.
(b) With validation bypassed, the library's rendering paths show each payload as literal
    text: ``show.table`` (parsed by the book's own MyST parser), the chart HTML, and one small
    notebook (tables, glued text and a chart made from the hostile data) built into HTML,
    opened in Chromium, and into LaTeX and PDF (``test_hostile_build.py``).
(c) Downloads: every CSV the book offers opens in a spreadsheet as text, not formulas.
"""

from __future__ import annotations

import csv
import html.parser
import io
import json
import random
import re
import string

import pytest
import yaml
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from shizhong import rawtable, show, tables, textrules
from shizhong.validate import validate

from .conftest import DATA, ROOT, nonempty
from .hostile import PAYLOADS, inject, text_fields

NOTEBOOKS = ROOT / "notebooks"


def book_myst_extensions() -> set[str]:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return set(config["parse"]["myst_enable_extensions"])


# Every syntax extension MyST has (linkify needs an extra package the book does not use).
ALL_EXTENSIONS = {
    "amsmath", "attrs_block", "attrs_inline", "colon_fence", "deflist", "dollarmath",
    "fieldlist", "html_admonition", "html_image", "replacements", "smartquotes",
    "strikethrough", "substitution", "tasklist",
}  # fmt: skip


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A hostile copy of the data: (folder, what was placed where)."""
    import shutil

    target = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(DATA, target)
    return target, inject(target)


# --- (a) validation -------------------------------------------------------------------------


def test_every_free_text_field_of_every_table_got_payloads(hostile):
    data_dir, placed = hostile
    descriptor = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    fields = {(f"data/{r['path']}", c) for r in descriptor["resources"]
              for c in text_fields(descriptor).get(r["name"], [])}  # fmt: skip
    assert {(file, column) for file, _, column in placed} == fields
    assert {p.name for p in placed.values()} == {p.name for p in PAYLOADS}


def test_validation_rejects_each_forbidden_payload_where_it_is(hostile):
    data_dir, placed = hostile
    problems = validate(data_dir)
    at: dict[tuple[str, int | None, str | None], list[str]] = {}
    for p in problems:
        at.setdefault((p.file, p.row, p.column), []).append(p.message)
    missed = [
        f"{file}: line {line}, column {column}: {payload.name} not rejected"
        for (file, line, column), payload in placed.items()
        if payload.rejected
        and not any(payload.rejected in m for m in at.get((file, line, column), []))
    ]
    assert not missed, "\n".join(missed)
    passed = [key for key, payload in placed.items() if payload.rejected is None]
    assert not [key for key in passed if key in at], "a valid payload was rejected"
    assert set(at) <= set(placed), "a problem where no payload was put"
    # the one-line located form, hostile characters escaped
    for p in problems:
        line = str(p)
        assert line.startswith(f"{p.file}: line {p.row}"), line
        assert f", column {p.column}: " in line, line
        assert "\n" not in line and "\u202e" not in line and "\u200b" not in line, line


# --- (b) rendering, validation bypassed --------------------------------------------------------


def unvalidated_frames(data_dir):
    """The hostile tables typed as the loader would, without validating them."""
    descriptor = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    return {
        r["name"]: tables.typed(
            rawtable.parse_csv((data_dir / r["path"]).read_text(encoding="utf-8")), r["schema"]
        )
        for r in descriptor["resources"]
        if "schema" in r
    }


def table_cells(markdown: str, extensions: set[str]) -> list[list[tuple[str, str]]]:
    """Each table cell's inline tokens, as (type, content), from MyST's Markdown parser."""
    md = create_md_parser(MdParserConfig(enable_extensions=extensions), RendererHTML)
    return [
        [(t.type, t.content) for t in token.children or []]
        for token in md.parse(markdown)
        if token.type == "inline"
    ]


def expect_literal(markdown: str, texts: list[str], extensions: set[str]) -> None:
    """Every cell of the Markdown table is one text token holding exactly its text."""
    body = markdown.split("```\n\n", 1)[1]  # after the tabularcolumns directive
    cells = table_cells(body, extensions)
    assert len(cells) == len(texts)
    for got, text in zip(cells, texts, strict=True):
        assert got == [("text", text)] or (got == [] and text == ""), (text, got)


@pytest.mark.parametrize("extensions", ["book", "all"])
def test_table_cells_are_literal_text(hostile, extensions):
    exts = book_myst_extensions() if extensions == "book" else ALL_EXTENSIONS
    frames = unvalidated_frames(hostile[0])
    for frame in frames.values():
        markdown = show.table(frame).data
        texts = [str(c) for c in frame.columns]
        for row in frame.astype("string").fillna("").itertuples(index=False):
            texts += [show.one_line(str(v)) for v in row]
        expect_literal(markdown, texts, exts)


def test_table_cells_are_literal_text_for_random_punctuation():
    """Random strings of ASCII punctuation, letters, spaces and CJK: still one text token."""
    rng = random.Random(11)
    alphabet = string.punctuation * 3 + "ab \u4e2d\u6587"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))) for _ in range(400)]
    import pandas as pd

    markdown = show.table(pd.DataFrame({"x": texts})).data
    expected = ["x", *(show.one_line(t) for t in texts)]
    # a cell's surrounding spaces are not content (GFM trims them)
    for exts in (book_myst_extensions(), ALL_EXTENSIONS):
        body = markdown.split("```\n\n", 1)[1]
        cells = table_cells(body, exts)
        assert [c[0][1] if c else "" for c in cells] == [t.strip() for t in expected]
        assert all(len(c) <= 1 and (not c or c[0][0] == "text") for c in cells)


def test_invisible_characters_show_as_escapes_in_tables():
    import pandas as pd

    markdown = show.table(pd.DataFrame({"x": ["a\u202eb", "c\u200bd", "e\nf", "g\x00h"]})).data
    assert "\u202e" not in markdown and "\u200b" not in markdown and "\x00" not in markdown
    assert "a\\\\u202eb" in markdown and "e f" in markdown


class _Attributes(html.parser.HTMLParser):
    """Start tags and attributes of an HTML fragment, and the script bodies."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def chart_html(spec: dict) -> str:
    """The book's HTML for a chart: ``shizhong.sphinxext.mime.chart_html`` of its compiled
    Vega spec."""
    from shizhong import render
    from shizhong.sphinxext import mime

    return mime.chart_html(render.to_vega(spec))


def test_chart_html_keeps_payloads_in_their_place(hostile):
    import altair as alt

    frames = unvalidated_frames(hostile[0])
    notes = list(dict.fromkeys(frames["indicators"]["note"].dropna()))
    frame = alt.Data(values=[{"label": t, "n": i + 1} for i, t in enumerate(notes)])
    description = next(p.text for p in PAYLOADS if p.name == "attribute")
    title = next(p.text for p in PAYLOADS if p.name == "end_script")
    spec = (
        alt.Chart(frame, title=title, description=description)
        .mark_bar()
        .encode(x="n:Q", y="label:N", tooltip=["label:N"])
        .to_dict()
    )
    page = chart_html(spec)
    parser = _Attributes()
    parser.feed(page)
    assert [t for t, _ in parser.tags].count("script") == 1, parser.tags
    assert len(re.findall(r"</script", page, re.IGNORECASE)) == 1
    assert "<!--" not in page
    assert not [(t, a) for t, a in parser.tags for k in a if k.startswith("on")]
    labelled = [a for _, a in parser.tags if "aria-label" in a]
    assert [a["aria-label"] for a in labelled] == [description]
    # the script's JSON holds the title unchanged, with <, > and & as JSON escapes
    body = parser.scripts[0]
    assert "</" not in body and "<!--" not in body and "<script" not in body.lower()
    decoded = body.replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&")
    assert json.dumps(title, ensure_ascii=False) in decoded


# --- (c) downloads ------------------------------------------------------------------------------


def offered_csvs() -> set[str]:
    """Every CSV that a notebook offers for download: a ``{download}`` role in its code, or a
    Markdown link to ``../data/`` (which the book makes a ``{download}``)."""
    found = set()
    for path in NOTEBOOKS.glob("*.ipynb"):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            text = "".join(cell["source"])
            found |= set(re.findall(r"\{download\}`[^`<]*<\s*/?(data/[^>`\s]+\.csv)\s*>`", text))
            found |= set(re.findall(r"\]\(\.\./(data/[^)\s]+\.csv)\)", text))
    return found


def test_every_data_table_is_offered_and_checked():
    on_disk = {f"data/{p.name}" for p in DATA.glob("*.csv")}
    assert offered_csvs() == on_disk


@pytest.mark.parametrize("name", nonempty(sorted(p.name for p in DATA.glob("*.csv")), "CSV tables"))
def test_downloaded_csv_opens_as_text_in_a_spreadsheet(name):
    """No cell starts a formula; number cells are plain numbers (a spreadsheet's -5)."""
    descriptor = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["path"] == name)
    types = {f["name"]: f["type"] for f in resource["schema"]["fields"]}
    text = (DATA / name).read_text(encoding="utf-8")
    records = list(csv.reader(io.StringIO(text, newline="")))
    bad = []
    for line, record in enumerate(records, start=1):
        for column, cell in zip(records[0], record, strict=True):
            if line > 1 and types[column] in ("number", "integer"):
                if cell and not re.fullmatch(r"-?\d+(\.\d+)?", cell):
                    bad.append(f"line {line}, column {column}: {cell!r} is not a plain number")
            elif textrules.formula_problem(cell) or cell[:1] in ("\t", "\r"):
                bad.append(f"line {line}, column {column}: {cell!r} starts a formula")
    assert not bad, "\n".join(bad)
    assert not text.startswith("\ufeff")  # no BOM: the header is read as written


def test_the_formula_rule_covers_what_spreadsheets_run():
    for text in ["=1+1", "+1", "@SUM(A1)", "-1+1", "-cmd|' /C calc'!A0", "＝1", "－1"]:
        assert textrules.formula_problem(text), text
    for text in ["-", "1+456", "a=b", "17.7", "市中区", ""]:
        assert textrules.formula_problem(text) is None, text


# --- README says which characters each field allows ---------------------------------------


def readme_field_rows() -> dict[str, set[str]]:
    """The per-field table of README's Trust boundary section: first word of the row → names."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Trust boundary", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        if line.startswith("| ") and not line.startswith(("| fields", "| ---")):
            fields = line.split(" | ")[0].lstrip("| ")
            kind = fields.split(":")[0] if ":" in fields else "pattern"
            rows.setdefault(kind, set()).update(re.findall(r"`([a-z_]+)`", fields))
    return rows


def test_readme_lists_every_field_under_its_rules():
    descriptor = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    kinds: dict[str, set[str]] = {}
    for resource in descriptor["resources"]:
        for f in resource.get("schema", {}).get("fields", []):
            constraints = f.get("constraints", {})
            if f["type"] in ("number", "integer"):
                kind = "numbers"
            elif "enum" in constraints:
                kind = "closed lists"
            elif "pattern" in constraints:
                kind = "pattern"
            else:
                assert textrules.is_text_field(f)
                kind = "text"
            kinds.setdefault(kind, set()).add(f["name"])
    rows = readme_field_rows()
    rows["pattern"] = rows.pop("pattern", set()) | rows.pop("identifiers", set())
    assert rows == kinds


def test_data_reaches_markdown_only_through_escaping():
    """No MyST substitution (a Jinja template) and no Markdown glue in the book's sources."""
    assert "substitution" not in book_myst_extensions()
    for path in [*NOTEBOOKS.glob("*.ipynb"), *NOTEBOOKS.glob("*.md")]:
        text = path.read_text(encoding="utf-8")
        assert "glue:md" not in text, path.name
        cells = json.loads(text)["cells"] if path.suffix == ".ipynb" else [{"source": text}]
        for cell in cells:
            if cell.get("cell_type", "markdown") == "markdown":
                assert "{{" not in "".join(cell["source"]), path.name


def test_only_markup_columns_keep_the_notebooks_own_markdown():
    import pandas as pd

    role = "{download}`a.csv </data/a.csv>`"
    frame = pd.DataFrame({"file": [role], "note": [role]})
    markdown = show.table(frame, columns={"file": "File", "note": "Note"}, markup=["file"]).data
    assert f"| {role} | " in markdown
    assert markdown.count(role) == 1  # the data column is escaped
    with pytest.raises(KeyError, match="markup columns not in the frame"):
        show.table(frame, markup=["File"])


def test_code_spans_show_any_text_as_written():
    """``show.code`` in a markup column: one code token holding exactly the text."""
    import pandas as pd

    rng = random.Random(5)
    alphabet = string.punctuation + "`` ab\u4e2d"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 20))) for _ in range(300)]
    texts += [p.text for p in PAYLOADS]
    frame = pd.DataFrame({"x": [show.code(t) for t in texts]})
    body = show.table(frame, markup=["x"]).data.split("```\n\n", 1)[1]
    for exts in (book_myst_extensions(), ALL_EXTENSIONS):
        cells = table_cells(body, exts)[1:]
        for got, text in zip(cells, texts, strict=True):
            expected = show.one_line(text)
            if expected.strip(" ") == "":  # a code span of spaces only keeps them
                continue
            assert got == [("code_inline", expected)], (text, got)
