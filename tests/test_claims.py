"""Every number and ranking word a reader sees is computed from the data.

The rules are those of ``tests/readers.py``; they are applied to the stored notebooks (their
Markdown, their code and the chart text and glue values in their outputs), which strict
nbval proves are what the code produces now. The injection tests below break a copy of a
notebook in the ways the rules exist to catch and see the check fail.
"""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from shizhong import checks, derive, rounding, write
from shizhong.bilingual import ZH, T
from shizhong.dataset import describe
from shizhong.render import VEGALITE_MIME

from . import readers
from .conftest import DATA, ROOT, nonempty

RELATIONS, HOLD = T("relations", "项关系"), T("holds/hold", "成立")

CHAPTERS = nonempty(sorted((ROOT / "notebooks").glob("*.ipynb")), "chapter notebooks")
NOTEBOOKS = [*CHAPTERS, ROOT / "notebooks" / "_template" / "chapter.ipynb"]
PAGES = nonempty(sorted((ROOT / "notebooks").glob("*.md")), "Markdown pages")
YEARS = readers.years(DATA / "datapackage.json")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_number_and_ranking_word_is_computed(path):
    problems = readers.notebook_problems(path, YEARS)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_markdown_pages_type_no_claim(path):
    problems = readers.prose_problems(path.read_text(encoding="utf-8"), set(), YEARS)
    assert not problems, problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_glue_cell_shows_what_it_glued(path):
    """A cell that glues ends with its Glue: Lab shows the keys; the book removes the cell."""
    nb = readers.read(path)
    tables = readers.glued(nb).tables
    for i, cell in enumerate(nb.cells):
        keys = [
            out["metadata"]["scrapbook"]["name"]
            for out in cell.get("outputs", [])
            if readers.RECORD in out.get("data", {})
        ]
        if not keys:
            continue
        english = [k for k in keys if not k.startswith(ZH)]
        assert [k for k in keys if k.startswith(ZH)] == [ZH + k for k in english], (
            f"cell {i}: every key is glued in Chinese too ({ZH}key), in the same order"
        )
        keys = english
        assert tables.get(i) == keys, f"cell {i} glues {keys} but shows {tables.get(i)}"
        assert "remove-cell" in cell.metadata.get("tags", []), f"cell {i} is not remove-cell"


# --- the data's own text ----------------------------------------------------------------


def test_check_descriptions_take_their_figures_from_the_indicators(data):
    for row in data.checks.itertuples():
        template = checks.PLACEHOLDER.sub("", str(row.description_en))
        assert not readers.typed_numbers(template, set()), (row.id, template)
        assert not readers.NUMBER_WORDS.findall(template), (row.id, template)
        template_zh = checks.PLACEHOLDER.sub("", str(row.description_zh))
        assert not readers.typed_numbers(template_zh, set()), (row.id, template_zh)
        assert not readers.zh_numbers(template_zh), (row.id, template_zh)
    assert not checks.unknown_placeholders(data.checks, set(data.indicators.index))
    assert not checks.placeholder_mismatches(data.checks)
    relations = data.relations().set_index("id")
    for column, lang in (("description_en", "en"), ("description_zh", "zh")):
        land = relations.at["land_supply_split", column]
        for id_ in ("land_supplied", "land_transferred", "land_allocated"):
            assert write.figure(data.figure(id_))(lang) in land
        assert "{" not in "".join(relations[column])
    assert "供地（1579亩）" in relations.at["land_supply_split", "description_zh"]


def test_a_changed_figure_changes_its_description(data):
    ind = data.indicators.copy()
    ind.loc["land_supplied", "value"] = 1580.0
    ind.loc["land_supplied", "text"] = "1580"
    text = describe("Land supplied ({land_supplied})", ind)
    assert text == "Land supplied (1,580\u00a0亩)"
    assert describe("供地（{land_supplied}）", ind, "zh") == "供地（1580亩）"
    with pytest.raises(KeyError):
        describe("{no_such_indicator}", ind)


# --- the false claims of the review are computed now -------------------------------------


def test_the_chapter_with_most_amounts_is_computed(data):
    nb = readers.read(ROOT / "notebooks" / "overview.ipynb")
    claim = readers.glued(nb).values["most_amounts"]
    levels = data.indicators[data.indicators["kind"] == "level"]["chapter"].value_counts()
    leaders = derive.leaders(levels, of="figures")
    assert all(name.capitalize() in claim for name in leaders), claim
    assert ("tied" in claim) == (len(leaders) > 1)


def test_rankings_say_ties_as_ties():
    values = pd.Series({"design": 4, "digital economy": 4, "finance": 4, "manufacturing": 0})
    assert write.top(values, T("figures", "数字"), of="figures").en == (
        "design, digital economy and finance have the most figures, tied at 4"
    )
    assert write.top(values, T("figures", "数字"), largest=False, of="figures").en == (
        "manufacturing has no figures"
    )
    assert (
        write.leaders(values, of="figures").en == "design, digital economy and finance, tied at 4"
    )
    assert write.ordered(values, of="figures").en == (
        "design, digital economy and finance (4 each), then manufacturing (0), "
        "from largest to smallest"
    )
    assert write.every(pd.Series([True, True]), RELATIONS, HOLD).en == ("all 2 relations hold")
    assert write.every(pd.Series([True, False]), RELATIONS, HOLD).en == (
        "1 of the 2 relations holds"
    )
    assert write.every(pd.Series([False]), RELATIONS, HOLD).en == ("none of the 1 relations holds")


def test_rounding_intervals_follow_the_written_precision():
    assert rounding.half_unit("28") == 0.5
    assert rounding.half_unit("9.2") == pytest.approx(0.05)
    assert rounding.half_unit("4.46") == pytest.approx(0.005)
    assert rounding.interval(28, "28") == (27.5, 28.5)


def test_extremes_lie_at_the_corners_of_the_inputs_intervals():
    # 2018 level implied by 100 (written '100') growing 25% (written '25'):
    # lowest from the low level and the high rate, highest from the opposite corner.
    low, high = rounding.extremes(derive.previous_level, [100, 25], ["100", "25"])
    assert low == pytest.approx(99.5 / 1.255)
    assert high == pytest.approx(100.5 / 1.245)
    with pytest.raises(ValueError, match="2 values but 1"):
        rounding.extremes(derive.previous_level, [100, 25], ["100"])


# --- the checks can fail: inject wrong claims into copies ---------------------------------


def _problems(nb: nbformat.NotebookNode, tmp_path: Path) -> list[str]:
    path = tmp_path / "copy.ipynb"
    nbformat.write(nb, path)
    return readers.notebook_problems(path, YEARS)


@pytest.fixture
def overview():
    return readers.read(ROOT / "notebooks" / "overview.ipynb")


def _markdown(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if c.cell_type == "markdown" and ".ipynb#fig-" in c.source)


def _chart_spec(nb: nbformat.NotebookNode, lang: str = "en") -> dict:
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if VEGALITE_MIME in out.get("data", {}) and out.get("metadata", {}).get("lang") == lang:
                return out["data"][VEGALITE_MIME]
    raise AssertionError("no chart")


def test_the_copy_is_clean_before_injection(overview, tmp_path):
    assert _problems(overview, tmp_path) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The economy chapter carries most of the amounts.", "ranking words ['most']"),
        ("Every relation holds.", "ranking words ['Every']"),
        ("It is the only chapter with dates.", "ranking words ['only']"),
        ("Tax was 17.7 亿元.", "typed numbers ['17.7']"),
        ("The district has three strands.", "number words ['three']"),
    ],
)
def test_a_typed_claim_in_prose_fails(overview, tmp_path, sentence, expected):
    _markdown(overview).source += " " + sentence
    problems = _problems(overview, tmp_path)
    assert any(expected in p for p in problems), problems


def test_a_ranking_word_beside_a_plain_value_fails(overview, tmp_path):
    """A glued value that is not a computed claim does not license a ranking word."""
    _markdown(overview).source += " The article has the most figures: {glue:text}`n_figures`."
    assert any("ranking words ['most']" in p for p in _problems(overview, tmp_path))


def test_a_claim_relabelled_as_a_value_fails(overview, tmp_path):
    for cell in overview.cells:
        for out in cell.get("outputs", []):
            text = out.get("data", {}).get("text/markdown")
            if isinstance(text, str) and text.startswith(readers.HEADER):
                out["data"]["text/markdown"] = text.replace("| claim |", "| value |")
    assert any("without a glued claim" in p for p in _problems(overview, tmp_path))


def test_a_wrong_chart_description_fails(overview, tmp_path):
    spec = _chart_spec(overview)
    spec["description"] += " Economy has the largest share of amounts."
    assert any("ranking words ['largest']" in p for p in _problems(overview, tmp_path))


def test_a_changed_number_in_a_chart_fails(overview, tmp_path):
    spec = _chart_spec(overview)
    glued = readers.glued(overview).values["most_amounts"]
    number = readers.NUMBER.findall(glued)[0]
    assert number in spec["description"]
    spec["description"] = spec["description"].replace(number, str(int(number) + 1))
    problems = _problems(overview, tmp_path)
    assert any(f"['{int(number) + 1}'] not among the glued values" in p for p in problems)


def test_a_wrong_caption_fails(overview, tmp_path):
    cell = next(c for c in overview.cells if "mystnb" in c.metadata)
    cell.metadata["mystnb"]["figure"]["caption"] += " Projects leads by far."
    assert any("by far" in p for p in _problems(overview, tmp_path))


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ('title = "Innovation and the digital economy have the most"', "ranking words ['most']"),
        ('description = "Every relation holds."', "ranking words ['Every']"),
        ('value_title = "亩 (mu; 15 亩 = 1 ha)"', "typed numbers ['15', '1']"),
        ('subtitle = f"Projects of 10 to {x:,.0f} yuan"', "typed numbers ['10']"),
        ('note = "two hundred firms"', "number words ['two', 'hundred']"),
    ],
)
def test_a_typed_claim_in_code_fails(overview, tmp_path, code, expected):
    overview.cells.append(nbformat.v4.new_code_cell(code))
    problems = _problems(overview, tmp_path)
    assert any(expected in p for p in problems), problems


def test_identifiers_and_format_specs_are_not_reader_text():
    source = 'x = f"{v:,.1f}"\ny = d["investment_threshold_10m"]\n\n\ndef f():\n    """Doc 1."""\n'
    assert readers.code_strings(source) == []


def test_sentences_split_at_list_items_and_paragraphs():
    text = "First {glue:text}`a`.\n\n- Second one; third\n- fourth"
    assert [s.strip() for s in readers.sentences(text)] == [
        "First {glue:text}`a`.",
        "Second one;",
        "third",
        "fourth",
    ]


def test_every_chart_text_is_read(overview):
    """The reader of chart texts sees the title, subtitle, description and caption."""
    cell = next(c for c in overview.cells if "mystnb" in c.metadata)
    texts = list(readers.chart_texts(cell))
    spec = _chart_spec(overview)
    assert spec["description"] in texts
    assert spec["title"]["text"] in texts
    figure = cell.metadata["mystnb"]["figure"]
    assert figure["caption"] in texts and figure["caption_zh"] in texts
    zh_spec = _chart_spec(overview, lang="zh")
    assert zh_spec["description"] in texts and zh_spec["title"]["text"] in texts
    hidden = copy.deepcopy(cell)
    hidden.metadata["tags"] = ["remove-output"]
    assert list(readers.chart_texts(hidden)) == [figure["caption"], figure["caption_zh"]]


def test_years_come_from_the_data_package():
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    review = package["sources"][0]["reports_on"]["review_year"]
    assert str(review) in YEARS and str(review - 1) in YEARS
    assert {str(review - 1), str(review), str(review + 1)} == YEARS


# --- the built book ---------------------------------------------------------------------

HTML = ROOT / "_build" / "html" / "notebooks"
HTML_ZH = ROOT / "_build" / "html" / "zh" / "notebooks"


def _page(stem: str, root: Path = HTML) -> str:
    page = root / f"{stem}.html"
    if not page.is_file():
        pytest.fail(f"no built page {page}: run `make html` first", pytrace=False)
    return page.read_text(encoding="utf-8")


def _claims(path: Path, lang: str = "en") -> set[str]:
    glue = readers.glued(readers.read(path))
    return {glue.values[(ZH if lang == "zh" else "") + k] for k in glue.claims}


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_the_built_page_types_no_claim(path):
    import shizhong as sz

    html = _page(path.stem)
    commits = subprocess.run(
        ["git", "rev-list", "--all"], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout.split()
    problems = readers.html_problems(html, _claims(path), YEARS, [sz.__version__], commits)
    assert not problems, "\n".join(problems)
    assert html.count('class="pasted-text"') >= len(readers.glued(readers.read(path)).claims)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_the_built_chinese_page_types_no_claim(path):
    """The Chinese edition's page: no typed number, no Chinese numeral counting something, and
    Chinese ranking words only beside a glued claim (its Chinese text)."""
    import shizhong as sz

    html = _page(path.stem, HTML_ZH)
    commits = subprocess.run(
        ["git", "rev-list", "--all"], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout.split()
    claims = _claims(path, "zh")
    problems = readers.html_problems(html, claims, YEARS, [sz.__version__], commits, chinese=True)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("inserted", "expected"),
    [
        ("<p>经济一章的金额最多。</p>", "ranking words ['最']"),
        ("<p>税收增长了三项。</p>", "Chinese numerals ['三']"),
        ("<p>全区引进千万元以上项目。</p>", "Chinese numerals ['千万']"),
        ("<p>所有增速均为正。</p>", "ranking words ['所有', '均']"),
    ],
)
def test_a_wrong_claim_in_a_built_chinese_page_fails(inserted, expected):
    html = _page("economy", HTML_ZH).replace("</article>", inserted + "</article>", 1)
    problems = readers.html_problems(
        html, _claims(ROOT / "notebooks" / "economy.ipynb", "zh"), YEARS, chinese=True
    )
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize(
    ("inserted", "expected"),
    [
        ("<p>The economy chapter carries most of the amounts.</p>", "ranking words ['most']"),
        ("<p>Tax was 17.7 亿元.</p>", "typed numbers ['17.7']"),
        (
            '<p>It has the most: <span class="pasted-text">77</span>.</p>',
            "ranking words ['most']",
        ),
    ],
)
def test_a_wrong_claim_in_a_built_page_fails(inserted, expected):
    path = ROOT / "notebooks" / "overview.ipynb"
    html = _page("overview").replace("</article>", inserted + "</article>", 1)
    problems = readers.html_problems(html, _claims(path), YEARS)
    assert any(expected in p for p in problems), problems


def test_a_glued_claim_licenses_its_ranking_word_in_the_page():
    path = ROOT / "notebooks" / "overview.ipynb"
    claim = readers.glued(readers.read(path)).values["most_amounts"]
    inserted = f'<p>Of the chapters, <span class="pasted-text">{claim}</span>.</p>'
    html = _page("overview").replace("</article>", inserted + "</article>", 1)
    assert readers.html_problems(html, _claims(path), YEARS) == []


@pytest.mark.parametrize(
    ("column", "text"),
    [
        ("description_en", "Land supplied ({land_suplied})"),
        ("description_zh", "供地（{land_suplied}）"),
    ],
)
def test_a_description_naming_no_indicator_is_a_located_problem(data_copy, column, text):
    import shizhong as sz
    from shizhong.problems import DataError

    from .conftest import line_of, set_cell

    path = data_copy / "checks.csv"
    set_cell(path, "land_supply_split", column, text)
    with pytest.raises(DataError) as err:
        sz.load(data_copy)
    line = line_of(path, "land_supply_split")
    problems = [str(p) for p in err.value.problems]
    assert problems[0] == (
        f"data/checks.csv: line {line} (id=land_supply_split), column {column}: "
        "{land_suplied} names no indicator"
    )
    if column == "description_zh":  # said once, not again as a mismatch with the English
        assert len(problems) == 1, problems


def test_a_chinese_description_naming_other_indicators_is_a_located_problem(data_copy):
    import shizhong as sz
    from shizhong.problems import DataError

    from .conftest import line_of, set_cell

    path = data_copy / "checks.csv"
    set_cell(
        path,
        "land_supply_split",
        "description_zh",
        "供地（{land_supplied}）等于出让土地（{land_transferred}）加上{land_transferred}",
    )
    with pytest.raises(DataError) as err:
        sz.load(data_copy)
    line = line_of(path, "land_supply_split")
    assert [str(p) for p in err.value.problems] == [
        f"data/checks.csv: line {line} (id=land_supply_split), column description_zh: "
        "names {land_supplied}, {land_transferred} but description_en names "
        "{land_allocated}, {land_supplied}, {land_transferred}; "
        "both must name the same indicators"
    ]


def test_a_commit_id_is_not_a_number_but_a_typed_number_is():
    html = "<article class='bd-article'><p>Built from commit {} in {}.</p></article>"
    page = html.format("3996986", "1234567")
    problems = readers.html_problems(page, set(), YEARS, commits=["3996986abc"])
    assert problems == ["typed numbers ['1234567'] in: 'Built from commit  in 1234567.'"]
