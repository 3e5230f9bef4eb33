"""What a reader sees of a notebook, and the rules every number and ranking word in it obeys.

The rules (checked by ``tests/test_claims.py`` and ``tests/test_notebooks.py``):

* **Prose** (Markdown cells and the book's Markdown pages, after the MyST roles are removed)
  holds no digit except the years the data package reports on (review year, the year before
  it, plan year: read from ``datapackage.json``) and no English number word. Every other
  number is a glued value (``{eval}`en.key```).
* **Ranking words** (most, least, largest, fastest, every, all, only, none, …; see
  :data:`RANKING`) may stand only in a sentence that glues a *claim*: a value glued with
  ``Glue.claim``, computed by a ranking or quantifying helper of ``shizhong.write``. So the word
  frames a computed statement and cannot make one on its own.
* **Code string literals** of the notebooks (which become chart titles, subtitles,
  descriptions, table headers and glued text) hold no digit except those years, no number
  word and no ranking word. Identifiers (``"investment_threshold_10m"``), docstrings and
  format specifications are not reader text and are skipped. Numbers in what code writes
  therefore come from the data, and ranking words from the ``shizhong.write`` helpers that
  compute them.
* **The built page** of each notebook obeys the prose rules once more, on what a reader of
  the HTML sees: glued values (``span.pasted-text``) are set aside, a glued claim counts
  for the ranking rule, and figure numbers, citations and cell outputs (tables and charts,
  checked above from the stored outputs) are left out.
* **Chinese** (the Chinese edition's cells, tagged ``zh``, and its chart text) obeys the same
  rules: no Chinese numeral counting something (一个, 三项, 第二, 千万元: :data:`ZH_NUMBER`;
  idioms such as 同一, 进一步 or 二者 are words, not numbers) and Chinese ranking words
  (最, 均, 所有, 每, 全部, 唯一, 并列: :data:`ZH_RANKING`) only beside a glued claim. Sentences
  end at 。！？； as well.
* **Stored chart text** (title, subtitle and description of every chart a reader sees) and
  figure captions obey the same rules on the stored outputs: a number in them must be a
  number of some value glued in the same notebook (so a JupyterLab reader sees it in a glue
  table), and a sentence with a ranking word must contain a glued claim's text.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
from bs4 import BeautifulSoup

from shizhong.bilingual import ZH
from shizhong.glue import HEADER
from shizhong.render import VEGALITE_MIME

RECORD = "application/papermill.record/text/plain"
ROLE = re.compile(r"\{(glue(?::\w+)?|eval|numref|ref|doc|cite(?::\w+)?|download|term)\}`[^`]*`")
#: A glued value in prose: ``{eval}`en.key``` (the notebooks) or ``{glue:text}`key``` (the book).
GLUE_ROLE = re.compile(r"\{(?:glue(?::\w+)?\}`|eval\}`(?:en|zh)\.)([a-z0-9_]+)(?::[^`]*)?`")
CODE = re.compile(r"`[^`]*`")
#: A link to a chart or a cited work: its text is the chart's title or the book's citation,
#: both computed and checked equal by ``tests/test_prose.py``; the book shows a role for it.
REFERENCE = re.compile(
    r"\[[^\]\n]+\]\((?:[\w-]+\.ipynb#(?:fig|tbl)-[\w-]+|references\.md#[\w-]+)\)"
)
SUBSTITUTION = re.compile(r"\{\{[^}]*\}\}")
NUMBER = re.compile(r"\d+(?:[.,/]\d+)*")
NUMBER_WORDS = re.compile(
    r"\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|hundred|thousand|"
    r"million|billion)\b",
    re.IGNORECASE,
)
#: Words that rank or quantify ("at least" is a bound, the article's 以上, and is not one).
RANKING = re.compile(
    r"\b(most|(?<!at )least|largest|smallest|fastest|slowest|highest|lowest|biggest|greatest|"
    r"fewest|majority|outnumbers?|dwarfs?|by far|tied|every|all|none|only)\b",
    re.IGNORECASE,
)
#: A Chinese numeral that counts or ranks: a run of numeral characters (not starting with 万 or
#: 亿, which alone are units: 亿元, 万平方米) before a measure word or unit, or after 第.
#: 一 after a word-forming character (同一, 统一, 进一步, 下一年 …) is part of a word; a lone
#: 一 (一家报纸 'a newspaper', 第一 'first') is no more a number than English 'a', 'one' or
#: 'first', which the English rule allows too (:func:`zh_numbers`).
_ZH_DIGITS = "零〇一二两三四五六七八九十百千"
ZH_NUMBER = re.compile(
    rf"第[{_ZH_DIGITS}万亿]+|(?:(?<![同统唯任逐单其之进专划下上另这万])一|[零〇二两三四五六七八九十百千])"
    rf"[{_ZH_DIGITS}万亿]*(?=[个家名人项条份次届期年月日元倍成岁座所位张种%％])"
    r"|[０-９]+"
)


def zh_numbers(text: str) -> list[str]:
    """The Chinese numerals of ``text`` that state a number (see :data:`ZH_NUMBER`)."""
    return [m for m in ZH_NUMBER.findall(text) if m not in ("一", "第一")]


#: Chinese words that rank or quantify (平均 'average' and 最后 'last' are not).
ZH_RANKING = re.compile(r"最(?!后|终|近|初)|(?<!平)均|所有|每|全部|唯一|并列")
SENTENCE = re.compile(r"(?<=[.!?;])\s+|(?<=[。！？；])|\n\s*\n|\n(?=\s*[-*] )")


@dataclass(frozen=True)
class Glued:
    """The values a notebook glues: key → value, and which keys are claims."""

    values: dict[str, str]
    claims: set[str]
    tables: dict[int, list[str]]  # cell index → keys listed in its glue table


def years(package: Path) -> set[str]:
    """The years the data package reports on, as the prose may write them."""
    source = json.loads(package.read_text(encoding="utf-8"))["sources"][0]["reports_on"]
    review, plan = int(source["review_year"]), int(source["plan_year"])
    return {str(review - 1), str(review), str(plan)}


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def glued(nb: nbformat.NotebookNode) -> Glued:
    """Every value glued in a notebook, from its stored outputs."""
    values: dict[str, str] = {}
    claims: set[str] = set()
    tables: dict[int, list[str]] = {}
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if RECORD in data:
                key = out["metadata"]["scrapbook"]["name"]
                values[key] = str(ast.literal_eval(data[RECORD]))
            markdown = data.get("text/markdown", "")
            if isinstance(markdown, list):
                markdown = "".join(markdown)
            if markdown.startswith(HEADER):
                rows = [r.split(" | ") for r in markdown.splitlines()[2:]]
                tables[i] = [r[0].strip("| `") for r in rows]
                claims |= {r[0].strip("| `") for r in rows if r[1].strip() == "claim"}
    return Glued(values, claims, tables)


#: A citation or figure reference as a link (the book turns it into {cite} / {numref}): its
#: text is the rendered citation or the chart's stored title, checked where those are made.
REFERENCE_LINK = re.compile(r"\[[^\]]*\]\((?:references\.md#|[\w-]+\.ipynb#fig-)[^)]*\)")


def prose(source: str) -> str:
    """Markdown without roles, substitutions, inline code, code blocks, directive options and
    citation or figure links."""
    source = re.sub(r"```.*?```", "", source, flags=re.DOTALL)
    source = REFERENCE_LINK.sub("", source)
    source = re.sub(r"(?m)^(:::.*|:[\w-]+:.*)$", "", source)
    return CODE.sub("", SUBSTITUTION.sub("", ROLE.sub("", REFERENCE.sub("", source))))


def sentences(text: str) -> list[str]:
    """Sentences and clauses: split after . ! ? ; and at paragraphs and list items."""
    parts = (re.sub(r"^\s*[-*] ", "", s) for s in SENTENCE.split(text) if s and s.strip())
    return [p for p in parts if p.strip()]


def typed_numbers(text: str, allowed: set[str]) -> list[str]:
    return [n for n in NUMBER.findall(text) if n not in allowed]


def prose_problems(
    source: str, claims: set[str], allowed: set[str], chinese: bool = True
) -> list[str]:
    """Typed numbers, number words and unsupported ranking words of one Markdown source.

    ``chinese=False`` for the English edition's cells, which may quote a Chinese term as the
    article writes it (千万元以上); the Chinese edition's prose may not."""
    problems = []
    text = prose(source)
    if numbers := typed_numbers(text, allowed):
        problems.append(f"typed numbers {numbers}")
    if words := NUMBER_WORDS.findall(text):
        problems.append(f"number words {words}")
    if chinese and (words := zh_numbers(text)):
        problems.append(f"Chinese numerals {words}")
    source = re.sub(r"```.*?```", "", source, flags=re.DOTALL)
    for sentence in sentences(re.sub(r"(?m)^(:::.*|:[\w-]+:.*)$", "", source)):
        words = ranking_words(prose(sentence))
        if words and not set(GLUE_ROLE.findall(sentence)) & claims:
            problems.append(f"ranking words {words} without a glued claim in: {sentence!r}")
    return problems


def ranking_words(text: str) -> list[str]:
    """English and Chinese ranking words of a text."""
    return RANKING.findall(text) + ZH_RANKING.findall(text)


def chart_problems(text: str, glue: Glued, allowed: set[str]) -> list[str]:
    """Numbers and ranking words of stored chart text or a caption, against the glued values."""
    problems = []
    supported = set(allowed)
    for value in glue.values.values():
        supported |= set(NUMBER.findall(value))
    if numbers := typed_numbers(text, supported):
        problems.append(f"numbers {numbers} not among the glued values")
    claim_texts = [
        glue.values[name] for k in glue.claims for name in (k, ZH + k) if name in glue.values
    ]
    for sentence in sentences(text):
        words = ranking_words(sentence)
        if words and not any(c.lower() in sentence.lower() for c in claim_texts):
            problems.append(f"ranking words {words} without a glued claim in: {sentence!r}")
    return problems


def shown(cell: nbformat.NotebookNode) -> bool:
    """Whether the book shows a cell's outputs."""
    tags = set(cell.metadata.get("tags", []))
    return not tags & {"remove-cell", "remove-output"}


def chart_texts(cell: nbformat.NotebookNode) -> Iterator[str]:
    """Title, subtitle and description of the charts a cell shows, and its figure caption."""
    figure = cell.metadata.get("mystnb", {}).get("figure", {})
    for key in ("caption", "caption_zh"):
        if figure.get(key):
            yield figure[key]
    if not shown(cell):
        return
    for out in cell.get("outputs", []):
        spec = out.get("data", {}).get(VEGALITE_MIME)
        if not spec:
            continue
        title = spec.get("title", {})
        if isinstance(title, str):
            title = {"text": title}
        for part in ("text", "subtitle"):
            lines = title.get(part, [])
            yield from [lines] if isinstance(lines, str) else lines
        if spec.get("description"):
            yield spec["description"]


def _format_specs(tree: ast.AST) -> set[int]:
    """ids of the string constants that are f-string format specifications."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            skip |= {id(n) for n in ast.walk(node.format_spec)}
    return skip


def _docstrings(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.ClassDef | ast.Module) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
    return skip


def code_strings(source: str) -> list[str]:
    """The string literals of a code cell that may reach readers."""
    tree = ast.parse(source)
    skip = _format_specs(tree) | _docstrings(tree)
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
        and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", node.value)
    ]


def code_problems(source: str, allowed: set[str]) -> list[str]:
    problems = []
    for s in code_strings(source):
        if numbers := typed_numbers(s, allowed):
            problems.append(f"typed numbers {numbers} in code string {s!r}")
        if words := NUMBER_WORDS.findall(s):
            problems.append(f"number words {words} in code string {s!r}")
        if words := ranking_words(s):
            problems.append(f"ranking words {words} in code string {s!r}")
        if words := zh_numbers(s):
            problems.append(f"Chinese numerals {words} in code string {s!r}")
    return problems


def notebook_problems(path: Path, allowed: set[str]) -> list[str]:
    """Every breach of the rules in one stored notebook."""
    nb = read(path)
    glue = glued(nb)
    problems = []
    for i, cell in enumerate(nb.cells):
        where = f"{path.name} cell {i}"
        if cell.cell_type == "markdown":
            english = "en" in cell.metadata.get("tags", [])
            problems += [
                f"{where}: {p}"
                for p in prose_problems(cell.source, glue.claims, allowed, chinese=not english)
            ]
            continue
        problems += [f"{where}: {p}" for p in code_problems(cell.source, allowed)]
        for text in chart_texts(cell):
            problems += [f"{where}: {p}" for p in chart_problems(text, glue, allowed)]
    return problems


CLAIM_MARK, VALUE_MARK = " ⟦claim⟧ ", " ⟦value⟧ "
#: What may be a git commit id as the build writes it.
COMMIT = re.compile(r"\b[0-9a-f]{7,40}\b")


def _plain_quotes(text: str) -> str:
    """Sphinx turns straight quotes into curly ones; compare texts without the difference."""
    return text.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"}))


BLOCKS = "p, li, dt, dd, h1, h2, h3, h4, h5, h6, figcaption, caption"


def html_problems(
    html: str,
    claims: set[str],
    allowed: set[str],
    strip: Iterable[str] = (),
    commits: Iterable[str] = (),
    chinese: bool = False,
) -> list[str]:
    """Typed numbers, number words and unsupported ranking words in a built chapter page.

    ``claims`` are the texts of the claims the page's notebook glues; ``strip`` are texts the
    build substitutes (the book's version); a hex token that starts one of ``commits`` (the
    repository's commit ids) is the commit the page was built from, not a number.
    """
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article.bd-article")
    if article is None:
        return ["no article element in the page"]
    for caption in article.select(".cell_output figcaption"):
        article.append(caption.extract())
    for node in article.select(
        ".cell_output, .cell_input, .caption-number, .std-numref, .headerlink, pre, code, "
        'a.reference.internal[href*="references.html#"]'
    ):
        node.decompose()
    claims = {_plain_quotes(c) for c in claims}
    for span in article.select("span.pasted-text"):
        span.replace_with(CLAIM_MARK if _plain_quotes(span.get_text()) in claims else VALUE_MARK)
    problems = []
    for block in article.select(BLOCKS):
        if block.find(BLOCKS.split(", ")):
            continue  # only the innermost blocks, so that no text is read twice
        text = " ".join(block.get_text(" ").split())
        for token in strip:
            text = text.replace(token, "")
        text = COMMIT.sub(lambda m: "" if any(c.startswith(m[0]) for c in commits) else m[0], text)
        if numbers := typed_numbers(text, allowed):
            problems.append(f"typed numbers {numbers} in: {text[:160]!r}")
        if words := NUMBER_WORDS.findall(text):
            problems.append(f"number words {words} in: {text[:160]!r}")
        if chinese and (words := zh_numbers(text)):
            problems.append(f"Chinese numerals {words} in: {text[:160]!r}")
        for sentence in sentences(text):
            words = ranking_words(sentence)
            if words and CLAIM_MARK.strip() not in sentence:
                problems.append(f"ranking words {words} without a glued claim in: {sentence!r}")
    return problems
