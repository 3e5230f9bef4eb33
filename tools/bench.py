"""Measure the book's build, rebuild, test and page speed (`make bench`).

    python tools/bench.py [--repeat N | --quick] [--only GROUP,...] [--keep]

A measurement script, not a test: every measurement runs ``--repeat`` times (default 3,
``--quick`` for 1), the medians are printed with PASS/MISS against the targets, and the
medians, every run's raw values and the machine are written to ``_build/bench/results.json``.
It exits 0 whether the targets are met or not. Each time is shown with the CPU seconds the
commands used: unlike wall time, CPU time hardly moves when other work shares the machine.

Nothing in the repository is modified but ``_build/bench/results.json``: builds and executions
run on copies of the book in a temporary folder (removed at the end unless ``--keep``). Only the
PDF build and nbval read the repository itself, and both write outside it.

Groups (``--only``):

* ``clean``   clean_build_s (execute every notebook, then the HTML build from an empty
              ``_build``), noop_rebuild_s, one_change_rebuild_s and exec_s, on one copy.
* ``browser`` page_weight_bytes_max and chart_render_ms_max: every page of ``_toc.yml`` in
              headless Chromium, served from 127.0.0.1 (the fresh build of ``clean``, else
              ``_build/html``).
* ``floor``   floor_s: the same pages, each notebook a title and one empty code cell.
* ``pdf``     pdf_build_s: ``tools/build_pdf.py`` into the temporary folder.
* ``nbval``   nbval_s: strict nbval on the repository's notebooks, two workers, as
              `make test` runs it (``--dist loadfile``).
* ``scale``   scale_4x_s: the clean build of a copy with every chapter notebook four times.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import nbformat
import yaml

from shizhong.site import CHROMIUM, CHROMIUM_ARGS, read_toc, serve, toc_files

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
JB = str(Path(sys.executable).with_name("jupyter-book"))
RESULTS = ROOT / "_build" / "bench" / "results.json"
GROUPS = ("clean", "browser", "floor", "pdf", "nbval", "scale")
CHANGED_CHAPTER = "economy"  # the chapter whose markdown the one-change rebuild edits
SCALE = 4

CHART_TIMEOUT_MS = 30_000
# As `make test` runs nbval. `--dist loadfile` keeps a notebook's cells on one worker: with
# xdist's default `load`, cells of one notebook are split between workers, each with its own
# kernel, and most cells fail (54 of 94 in a trial) for want of the earlier cells' state.
NBVAL_ARGS = ["-n", "2", "--dist", "loadfile", "--nbval", "notebooks", "-p", "no:cacheprovider",
              "-q"]  # fmt: skip

# (key, target): every target is an upper bound.
TARGETS = [
    ("clean_over_floor", 1.5),
    ("noop_over_clean", 0.25),
    ("nbval_over_exec", 1.3),
    ("page_weight_bytes_max", 1_500_000),
    ("chart_render_ms_max", 1000),
]

# Not copied into the book copies: environments, builds, caches, VCS.
IGNORE = shutil.ignore_patterns(
    ".venv",
    ".venv-lab",
    "_build",
    ".git",
    ".pytest_cache",
    ".ruff_cache",
    ".mypy_cache",
    "__pycache__",
    "*.egg-info",
    ".ipynb_checkpoints",
    ".jupyter_cache",
)

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
EXECUTED = re.compile(r"^executed (\S+) in ([\d.]+) s$")
READ_DOC = re.compile(r"reading sources\.\.\. \[\s*\d+%\] (\S+)")
WRITE_DOC = re.compile(r"writing output\.\.\. \[\s*\d+%\] (\S+)")
SPHINX_WARNING = re.compile(r"\bWARNING: ")
# Phases of a jupyter-book build, each starting at the first output line that matches.
PHASES = [
    ("start (imports, jupyter-book)", None),
    ("sphinx init (extensions, builder-inited)", re.compile(r"^Running Sphinx")),
    ("read sources", re.compile(r"^updating environment")),
    ("consistency, assets", re.compile(r"^looking for now-outdated")),
    ("write pages", WRITE_DOC),
    ("indices, search index", re.compile(r"^generating indices")),
    ("exit", re.compile(r"^build (succeeded|finished)")),
]

# Truthy once every chart container on the page has drawn marks: {charts, ms} with ms the
# page's performance.now() (milliseconds since navigation start) at that poll. A page with
# no chart gives {charts: 0} once it has loaded.
CHARTS_DRAWN_JS = """() => {
  const charts = Array.from(document.querySelectorAll('.shizhong-chart'));
  if (charts.length === 0) {
    return document.readyState === 'complete' ? {charts: 0, ms: null} : false;
  }
  const drawn = charts.every(c => c.querySelector('svg g[class*="mark-"] > *') !== null);
  return drawn ? {charts: charts.length, ms: performance.now()} : false;
}"""
NAVIGATION_JS = """() => {
  const n = performance.getEntriesByType('navigation')[0];
  return {dcl_ms: n.domContentLoadedEventEnd, load_ms: n.loadEventEnd};
}"""


# --- running commands -------------------------------------------------------------------


def bench_env() -> dict[str, str]:
    """The environment of every command: the Makefile's, plus unbuffered, uncoloured output."""
    env = dict(os.environ)
    if not env.get("SOURCE_DATE_EPOCH"):
        done = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True
        )
        env["SOURCE_DATE_EPOCH"] = done.stdout.strip() or "1577836800"
    env.setdefault("FORCE_SOURCE_DATE", "1")
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    env["PYTHONUNBUFFERED"] = "1"  # so each output line is timestamped when it is printed
    env["NO_COLOR"] = "1"
    return env


ENV = bench_env()


@dataclass
class Run:
    """One command: its wall time, exit code and timestamped output lines."""

    cmd: list[str]
    seconds: float
    cpu_s: float
    returncode: int
    lines: list[tuple[float, str]]

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def tail(self, n: int = 25) -> str:
        return "\n".join(line for _, line in self.lines[-n:])


def run(cmd: list[str | Path], cwd: Path) -> Run:
    """Run ``cmd``, timing it and every line of its (merged) output."""
    args = [str(c) for c in cmd]
    lines: list[tuple[float, str]] = []
    cpu_start = children_cpu()
    start = time.perf_counter()
    with subprocess.Popen(
        args,
        cwd=cwd,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append((time.perf_counter() - start, ANSI.sub("", line.rstrip())))
        returncode = proc.wait()
    done = Run(args, time.perf_counter() - start, children_cpu() - cpu_start, returncode, lines)
    if not done.ok:
        print(f"  ! exit {returncode}: {' '.join(args[:6])} ...\n{done.tail(12)}", file=sys.stderr)
    return done


def children_cpu() -> float:
    """User + system CPU seconds of every finished (waited-for) child process so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def median(values: list[float | None]) -> float | None:
    clean = [v for v in values if v is not None]
    return statistics.median(clean) if clean else None


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


# --- the book and its copies --------------------------------------------------------------


def toc_notebooks(book: Path) -> list[str]:
    """The ``_toc.yml`` entries that are notebooks (``notebooks/economy``, ...)."""
    return [f for f in toc_files(read_toc(book)) if (book / f"{f}.ipynb").is_file()]


def copy_book(dest: Path) -> Path:
    """A copy of the repository's book (sources, data, tools; no build, venv or git)."""
    shutil.copytree(ROOT, dest, ignore=IGNORE)
    return dest


def make_skeleton(dest: Path) -> Path:
    """The floor book: same config, ToC and page names; each notebook is its title (needed:
    with -W an untitled page in the ToC is a warning) and one empty code cell; Markdown
    pages and references.bib as they are."""
    dest.mkdir(parents=True)
    for name in ("_config.yml", "_toc.yml", "references.bib"):
        shutil.copy2(ROOT / name, dest / name)
    (dest / "notebooks").mkdir()
    for page in toc_files(read_toc(ROOT)):
        source = ROOT / f"{page}.md"
        if source.is_file():
            shutil.copy2(source, dest / f"{page}.md")
            continue
        original = nbformat.read(ROOT / f"{page}.ipynb", as_version=4)
        nb = nbformat.v4.new_notebook(metadata={"kernelspec": original.metadata["kernelspec"]})
        nb.cells = [
            nbformat.v4.new_markdown_cell(f"# {notebook_title(original, Path(page).name)}"),
            nbformat.v4.new_code_cell(""),
        ]
        nbformat.write(nb, dest / f"{page}.ipynb")
    return dest


def notebook_title(nb: nbformat.NotebookNode, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


FIG_LABEL = re.compile(r"\bfig-[a-z0-9]+(?:-[a-z0-9]+)*")


def multiply_chapters(book: Path, times: int) -> list[str]:
    """Add ``times - 1`` copies of every ToC notebook (``economy_2`` ...) as new ToC parts.

    Figure labels (``fig-...``, the only labels the notebooks define) and their ``{numref}``
    get a ``-c<k>`` suffix in each copy, so the copies build under -W with no duplicate label.
    """
    toc = read_toc(book)
    pages = toc_notebooks(book)
    for k in range(2, times + 1):
        for page in pages:
            nb = nbformat.read(book / f"{page}.ipynb", as_version=4)
            for cell in nb.cells:
                if cell.cell_type == "markdown":
                    cell.source = FIG_LABEL.sub(lambda m, k=k: f"{m.group(0)}-c{k}", cell.source)
                figure = cell.metadata.get("mystnb", {}).get("figure", {})
                if "name" in figure:
                    figure["name"] = f"{figure['name']}-c{k}"
            nbformat.write(nb, book / f"{page}_{k}.ipynb")
        toc.setdefault("parts", []).append(
            {"caption": f"Copy {k}", "chapters": [{"file": f"{page}_{k}"} for page in pages]}
        )
    text = yaml.safe_dump(toc, sort_keys=False, allow_unicode=True)
    (book / "_toc.yml").write_text(text, encoding="utf-8")
    return [f"{page}_{k}" for k in range(2, times + 1) for page in pages]


def code_hashes(book: Path) -> dict[str, str]:
    """SHA-256 of the code cells' sources, per notebook."""
    hashes = {}
    for path in sorted((book / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        code = [cell.source for cell in nb.cells if cell.cell_type == "code"]
        hashes[str(path.relative_to(book))] = hashlib.sha256(json.dumps(code).encode()).hexdigest()
    return hashes


def touch_markdown(path: Path) -> int:
    """Append a word to the first prose Markdown cell (else a space to the last one)."""
    nb = nbformat.read(path, as_version=4)
    markdown = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "markdown"]
    for i in markdown:
        last = nb.cells[i].source.rstrip().splitlines()[-1:] or [""]
        if re.search(r"[.!?]$", last[0]) and not re.match(r"[\s:`(#|>{*-]", last[0]):
            nb.cells[i].source = nb.cells[i].source.rstrip() + " Edited."
            break
    else:
        i = markdown[-1]
        nb.cells[i].source += " "
    nbformat.write(nb, path)
    return i


# --- executing and building -----------------------------------------------------------------


@dataclass
class Exec:
    seconds: float
    cpu_s: float
    ok: bool
    per_notebook: dict[str, float]

    @property
    def parallelism(self) -> float | None:
        """Sum of per-notebook times over wall time (1.0: serial; the worker count: ideal)."""
        return ratio(sum(self.per_notebook.values()), self.seconds)


def execute(book: Path, notebooks: list[str] | None = None) -> Exec:
    """``tools/run_notebooks.py`` on ``notebooks`` (default: every notebooks/*.ipynb)."""
    if notebooks is None:
        notebooks = [str(p.relative_to(book)) for p in sorted(book.glob("notebooks/*.ipynb"))]
    done = run([PY, ROOT / "tools" / "run_notebooks.py", *notebooks], book)
    per = {m[1]: float(m[2]) for _, line in done.lines if (m := EXECUTED.match(line))}
    return Exec(done.seconds, done.cpu_s, done.ok, per)


@dataclass
class Build:
    seconds: float
    cpu_s: float
    ok: bool
    warnings: int
    read: list[str]
    written: list[str]
    phases: dict[str, float]


def build_html(book: Path) -> Build:
    """``jupyter-book build <book> --builder html -W -n --keep-going`` (not quiet: we parse)."""
    done = run([JB, "build", book, "--builder", "html", "-W", "-n", "--keep-going"], book)
    read = [m[1] for _, line in done.lines if (m := READ_DOC.search(line))]
    written = [m[1] for _, line in done.lines if (m := WRITE_DOC.search(line))]
    warnings = sum(bool(SPHINX_WARNING.search(line)) for _, line in done.lines)
    return Build(done.seconds, done.cpu_s, done.ok, warnings, read, written, phases(done))


def phases(done: Run) -> dict[str, float]:
    """Seconds per build phase, from the first output line of each phase to the next one."""
    starts: list[tuple[str, float]] = [(PHASES[0][0], 0.0)]
    for name, pattern in PHASES[1:]:
        found = next((t for t, line in done.lines if pattern and pattern.search(line)), None)
        if found is not None and found >= starts[-1][1]:
            starts.append((name, found))
    ends = [t for _, t in starts[1:]] + [done.seconds]
    return {name: round(end - t, 3) for (name, t), end in zip(starts, ends, strict=True)}


# --- measurements ---------------------------------------------------------------------------


@dataclass
class Series:
    """Wall and CPU seconds of one measurement, one value per run. CPU time (of the commands
    and their children) is barely affected by other work on the machine; wall time is."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def add(self, *steps: Run | Exec | Build | None) -> None:
        done = [step for step in steps if step is not None]
        self.wall.append(sum(step.seconds for step in done))
        self.cpu.append(sum(step.cpu_s for step in done))


def record(res: dict[str, Any], group: str, key: str, series: Series) -> None:
    """The medians into ``res[key]`` and ``res["cpu_s"][key]``, every run into ``raw``."""
    res[key] = median(series.wall)
    res["cpu_s"][key] = median(series.cpu)
    raw = res["raw"].setdefault(group, {})
    raw[key] = series.wall
    raw[key.removesuffix("_s") + "_cpu_s"] = series.cpu


def bench_clean(work: Path, repeat: int, res: dict[str, Any]) -> Path | None:
    """Clean build, no-op rebuild and one-change rebuild, ``repeat`` times on fresh copies."""
    clean, exec_, html_, noop_, one_change = Series(), Series(), Series(), Series(), Series()
    runs = []
    book = None
    for i in range(repeat):
        print(f"clean build {i + 1}/{repeat} ...", flush=True)
        book = copy_book(work / f"clean-{i}")
        ex = execute(book)
        html = build_html(book)
        noop = build_html(book)
        before = code_hashes(book)
        cell = touch_markdown(book / "notebooks" / f"{CHANGED_CHAPTER}.ipynb")
        after = code_hashes(book)
        changed = sorted(nb for nb, digest in after.items() if before.get(nb) != digest)
        reexec = execute(book, changed) if changed else None
        one = build_html(book)
        clean.add(ex, html)
        exec_.add(ex)
        html_.add(html)
        noop_.add(noop)
        one_change.add(reexec, one)
        runs.append(
            {
                "exec_ok": ex.ok,
                "exec_per_notebook_s": ex.per_notebook,
                "exec_parallelism": ex.parallelism,
                "html_ok": html.ok,
                "html_warnings": html.warnings,
                "html_phases_s": html.phases,
                "noop_ok": noop.ok,
                "noop_read": noop.read,
                "noop_written": noop.written,
                "noop_phases_s": noop.phases,
                "one_change_edit": f"notebooks/{CHANGED_CHAPTER}.ipynb markdown cell {cell}",
                "one_change_code_changed": changed,
                "one_change_reexecuted": sorted(reexec.per_notebook) if reexec else [],
                "one_change_ok": one.ok,
                "one_change_read": one.read,
                "one_change_written": one.written,
                "one_change_phases_s": one.phases,
            }
        )
        if i < repeat - 1:
            shutil.rmtree(book, ignore_errors=True)
    record(res, "clean", "clean_build_s", clean)
    record(res, "clean", "exec_s", exec_)
    record(res, "clean", "html_s", html_)
    record(res, "clean", "noop_rebuild_s", noop_)
    record(res, "clean", "one_change_rebuild_s", one_change)
    res["raw"]["clean"]["runs"] = runs
    res["noop_over_clean"] = ratio(res["noop_rebuild_s"], res["clean_build_s"])
    last = runs[-1]
    reexecuted = ", ".join(last["one_change_reexecuted"]) or "none (code unchanged)"
    res["one_change_summary"] = (
        f"re-executed: {reexecuted}; re-read: {', '.join(last['one_change_read']) or 'none'}; "
        f"written: {', '.join(last['one_change_written']) or 'none'}"
    )
    return book


def bench_floor(work: Path, repeat: int, res: dict[str, Any]) -> None:
    floor, runs = Series(), []
    for i in range(repeat):
        print(f"floor build {i + 1}/{repeat} ...", flush=True)
        book = make_skeleton(work / f"floor-{i}")
        ex = execute(book)
        html = build_html(book)
        floor.add(ex, html)
        runs.append(
            {
                "exec_ok": ex.ok,
                "exec_s": ex.seconds,
                "exec_per_notebook_s": ex.per_notebook,
                "html_ok": html.ok,
                "html_s": html.seconds,
                "html_warnings": html.warnings,
                "html_phases_s": html.phases,
            }
        )
        shutil.rmtree(book, ignore_errors=True)
    record(res, "floor", "floor_s", floor)
    res["raw"]["floor"]["runs"] = runs


def bench_pdf(work: Path, repeat: int, res: dict[str, Any]) -> None:
    """``tools/build_pdf.py`` against the repository, in one work folder of its own.

    The first build is cold (no doctrees, no chart PDFs yet: ``pdf_cold_s``); the timed
    ones rebuild the PDF from that built tree, as `make pdf` does after a first build. The
    split between Sphinx's LaTeX build and latexmk is when ``book.tex`` was last written.
    """
    pdf_build, runs = Series(), []
    out = work / "pdf"
    out.mkdir()
    for i in range(repeat + 1):
        label = "cold" if i == 0 else f"{i}/{repeat}"
        print(f"PDF build {label} ...", flush=True)
        wall_start = time.time()
        done = run([PY, ROOT / "tools" / "build_pdf.py", out / "x.pdf", "--work", out], ROOT)
        tex = out / "_build" / "latex" / "book.tex"
        sphinx_s = tex.stat().st_mtime - wall_start if tex.is_file() else None
        pdf = out / "x.pdf"
        if i == 0:
            res["pdf_cold_s"] = done.seconds
        else:
            pdf_build.add(done)
        runs.append(
            {
                "cold": i == 0,
                "ok": done.ok,
                "seconds": done.seconds,
                "sphinx_latex_s": sphinx_s,
                "latexmk_s": done.seconds - sphinx_s if sphinx_s is not None else None,
                "pdf_bytes": pdf.stat().st_size if pdf.is_file() else None,
            }
        )
    record(res, "pdf", "pdf_build_s", pdf_build)
    res["raw"]["pdf"]["runs"] = runs


def bench_nbval(work: Path, repeat: int, res: dict[str, Any]) -> None:
    """Strict nbval in the repository (read-only), against plain execution of a copy."""
    nbval, runs = Series(), []
    for i in range(repeat):
        print(f"nbval {i + 1}/{repeat} ...", flush=True)
        done = run([PY, "-m", "pytest", *NBVAL_ARGS], ROOT)
        summary = next((line for _, line in reversed(done.lines) if " in " in line), "")
        nbval.add(done)
        runs.append({"ok": done.ok, "summary": summary.strip("= ")})
    record(res, "nbval", "nbval_s", nbval)
    res["raw"]["nbval"]["runs"] = runs
    if res.get("exec_s") is None:  # no clean build ran: time plain execution on copies
        exec_ = Series()
        for i in range(repeat):
            print(f"execute (for nbval_over_exec) {i + 1}/{repeat} ...", flush=True)
            book = copy_book(work / f"exec-{i}")
            exec_.add(execute(book))
            shutil.rmtree(book, ignore_errors=True)
        record(res, "exec", "exec_s", exec_)
    res["nbval_over_exec"] = ratio(res["nbval_s"], res["exec_s"])


def bench_scale(work: Path, repeat: int, res: dict[str, Any]) -> None:
    scale, runs = Series(), []
    for i in range(repeat):
        print(f"{SCALE}x chapters clean build {i + 1}/{repeat} ...", flush=True)
        book = copy_book(work / f"scale-{i}")
        added = multiply_chapters(book, SCALE)
        ex = execute(book)
        html = build_html(book)
        scale.add(ex, html)
        runs.append(
            {
                "notebooks": len(added) + len(toc_notebooks(ROOT)),
                "exec_ok": ex.ok,
                "exec_s": ex.seconds,
                "exec_cpu_s": ex.cpu_s,
                "exec_parallelism": ex.parallelism,
                "html_ok": html.ok,
                "html_s": html.seconds,
                "html_warnings": html.warnings,
                "html_phases_s": html.phases,
            }
        )
        shutil.rmtree(book, ignore_errors=True)
    record(res, "scale", "scale_4x_s", scale)
    res["raw"]["scale"]["runs"] = runs
    res["scale_growth_factor"] = ratio(res["scale_4x_s"], res.get("clean_build_s"))


# --- the browser ------------------------------------------------------------------------------


def measure_page(browser: Any, url: str) -> dict[str, Any]:
    """One cold load of ``url``: bytes of every response, and when all charts had marks."""
    context = browser.new_context()
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        responses: list[Any] = []
        # a lambda, not responses.append: Playwright sets an attribute on the handler
        page.on("response", lambda response: responses.append(response))
        page.goto(url, wait_until="commit")
        try:
            handle = page.wait_for_function(
                CHARTS_DRAWN_JS, polling="raf", timeout=CHART_TIMEOUT_MS
            )
            drawn = handle.json_value()
        except Exception as error:  # charts never drawn: record it, keep the page weight
            drawn = {"charts": None, "ms": None, "error": str(error).splitlines()[0]}
        page.wait_for_load_state("load")
        page.wait_for_load_state("networkidle")
        timing = page.evaluate(NAVIGATION_JS)
        resources = []
        for response in responses:
            try:
                size = len(response.body())
            except Exception:  # a redirect or an aborted request has no body
                size = 0
            resources.append(
                {
                    "url": response.url,
                    "type": response.request.resource_type,
                    "status": response.status,
                    "bytes": size,
                }
            )
        return {**drawn, **timing, "resources": resources}
    finally:
        context.close()


def summarise_page(loads: list[dict[str, Any]], base: str) -> dict[str, Any]:
    """Median bytes and times over the loads of one page, its resources by type and size."""
    totals = [sum(r["bytes"] for r in load["resources"]) for load in loads]
    last = loads[-1]["resources"]
    by_type: dict[str, int] = {}
    for r in last:
        by_type[r["type"]] = by_type.get(r["type"], 0) + r["bytes"]
    largest = sorted(last, key=lambda r: -r["bytes"])[:6]
    external = sorted({r["url"] for r in last if not r["url"].startswith(base)})
    return {
        "bytes": median(totals),
        "bytes_runs": totals,
        "requests": len(last),
        "bytes_by_type": dict(sorted(by_type.items(), key=lambda kv: -kv[1])),
        "largest": [{"path": r["url"].removeprefix(base), "bytes": r["bytes"]} for r in largest],
        "resources": [
            {"path": r["url"].removeprefix(base), "type": r["type"], "bytes": r["bytes"]}
            for r in last
        ],
        "external_requests": external,
        "charts": loads[-1].get("charts"),
        "chart_render_ms": median([load.get("ms") for load in loads]),
        "chart_render_ms_runs": [load.get("ms") for load in loads],
        "chart_error": next((load["error"] for load in loads if "error" in load), None),
        "dom_content_loaded_ms": median([load["dcl_ms"] for load in loads]),
        "load_ms": median([load["load_ms"] for load in loads]),
    }


def bench_browser(html: Path, repeat: int, res: dict[str, Any]) -> None:
    from playwright.sync_api import sync_playwright

    pages = [f"{page}.html" for page in toc_files(read_toc(ROOT))]
    loads: dict[str, list[dict[str, Any]]] = {page: [] for page in pages}
    with serve(html) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        res["machine"]["chromium"] = browser.version
        try:
            for i in range(repeat):
                print(f"browser {i + 1}/{repeat}: {len(pages)} pages ...", flush=True)
                for page in pages:
                    loads[page].append(measure_page(browser, base + page))
        finally:
            browser.close()
        per_page = {page: summarise_page(loads[page], base) for page in pages}
    weights = {page: s["bytes"] for page, s in per_page.items()}
    heaviest = max(weights, key=lambda page: weights[page])
    renders = {page: s["chart_render_ms"] for page, s in per_page.items() if s["charts"]}
    res["page_weight_bytes_max"] = weights[heaviest]
    res["page_weight_page"] = heaviest
    res["page_weight_bytes"] = weights
    failed = [page for page, s in per_page.items() if s["chart_error"]]
    if renders and not failed:
        slowest = max(renders, key=lambda page: renders[page])
        res["chart_render_ms_max"] = renders[slowest]
        res["chart_render_page"] = slowest
    else:
        res["chart_render_ms_max"] = None
        res["chart_render_page"] = f"charts not drawn on: {', '.join(failed)}" if failed else None
    res["chart_render_ms"] = renders
    res["raw"]["browser"] = {"html_dir": str(html), "pages": per_page}


# --- report -----------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    def version(name: str) -> str | None:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return None

    meminfo = Path("/proc/meminfo")
    mem = meminfo.read_text().split("\n", 1)[0] if meminfo.is_file() else None
    return {
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "memory": mem.split(":", 1)[1].strip() if mem else None,
        "loadavg_at_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "packages": {
            n: version(n)
            for n in (
                "jupyter-book",
                "sphinx",
                "myst-nb",
                "nbclient",
                "nbval",
                "vl-convert-python",
                "playwright",
            )
        },
    }


def fmt_value(key: str, value: float | None) -> str:
    if value is None:
        return "n/a"
    if key.endswith("_s"):
        return f"{value:.1f} s"
    if key.endswith("_ms") or key.endswith("_ms_max"):
        return f"{value:.0f} ms"
    if "bytes" in key:
        return f"{value:,.0f} B"
    return f"{value:.2f}"


# (key, group in res["raw"]) of the timed measurements, in the order they are printed
TIMED = [
    ("clean_build_s", "clean"),
    ("floor_s", "floor"),
    ("noop_rebuild_s", "clean"),
    ("one_change_rebuild_s", "clean"),
    ("pdf_build_s", "pdf"),
    ("nbval_s", "nbval"),
    ("exec_s", "clean"),
    ("scale_4x_s", "scale"),
]
# the same ratios on CPU seconds: robust to other work on the machine, unlike wall time
CPU_RATIOS = {
    "clean_over_floor": ("clean_build_s", "floor_s"),
    "noop_over_clean": ("noop_rebuild_s", "clean_build_s"),
    "nbval_over_exec": ("nbval_s", "exec_s"),
    "scale_growth_factor": ("scale_4x_s", "clean_build_s"),
}


def report(res: dict[str, Any]) -> None:
    """The short table on stdout."""
    cpu = res["cpu_s"]
    print(f"\n{'measurement':<24}{'median':>16}{'cpu':>10}   runs")
    for key, group in TIMED:
        if key in res:
            runs = res["raw"].get(group, res["raw"].get("exec", {})).get(key) or []
            shown = ", ".join(f"{v:.1f}" for v in runs)
            used = fmt_value(key, cpu.get(key))
            print(f"{key:<24}{fmt_value(key, res[key]):>16}{used:>10}   {shown}")
    for key, where in (
        ("page_weight_bytes_max", "page_weight_page"),
        ("chart_render_ms_max", "chart_render_page"),
    ):
        if key in res:
            print(f"{key:<24}{fmt_value(key, res[key]):>16}{'':>10}   {res.get(where) or ''}")
    if "one_change_summary" in res:
        print(f"\none change: {res['one_change_summary']}")
    print(f"\n{'ratio':<24}{'value':>16}{'cpu':>10}{'target':>16}   result")
    for key, target in [*TARGETS, ("scale_growth_factor", None)]:
        if key not in res:
            continue
        value = res[key]
        on_cpu = fmt_value(key, res["ratios_cpu"].get(key)) if key in CPU_RATIOS else ""
        if target is None:
            limit, verdict = "(4.0: linear)", ""
        else:
            limit = "≤ " + fmt_value(key, target)
            verdict = "n/a" if value is None else ("PASS" if value <= target else "MISS")
        print(f"{key:<24}{fmt_value(key, value):>16}{on_cpu:>10}{limit:>16}   {verdict}")
    notes(res)
    print(f"\ntotal wall time {res['total_wall_s']:.0f} s; results in {RESULTS.relative_to(ROOT)}")


def notes(res: dict[str, Any]) -> None:
    """Where the time and the bytes go: evidence for what to speed up."""
    raw = res["raw"]
    print()
    if "clean" in raw:
        run0 = raw["clean"]["runs"][-1]
        per = run0["exec_per_notebook_s"]
        slow = ", ".join(
            f"{Path(nb).stem} {s:.1f}" for nb, s in sorted(per.items(), key=lambda kv: -kv[1])
        )
        print(
            f"clean build: execute {median(raw['clean']['exec_s']):.1f} s + HTML "
            f"{median(raw['clean']['html_s']):.1f} s; execution parallelism "
            f"{run0['exec_parallelism']:.2f} on {res['machine']['cpu_count']} CPUs "
            f"(sum of notebooks {sum(per.values()):.1f} s)"
        )
        print(f"  notebooks (s): {slow}")
        for label, key in (("HTML clean", "html_phases_s"), ("no-op", "noop_phases_s")):
            parts = ", ".join(f"{k} {v:.1f}" for k, v in run0[key].items())
            print(f"  {label} phases (s): {parts}")
    if "floor" in raw:
        f0 = raw["floor"]["runs"][-1]
        print(f"floor: execute {f0['exec_s']:.1f} s + HTML {f0['html_s']:.1f} s")
    if "pdf" in raw:
        p0 = raw["pdf"]["runs"][-1]
        if p0["sphinx_latex_s"] is not None:
            print(
                f"pdf: Sphinx LaTeX {p0['sphinx_latex_s']:.1f} s + latexmk {p0['latexmk_s']:.1f} s"
            )
    if "nbval" in raw:
        print(f"nbval: {raw['nbval']['runs'][-1]['summary']}")
    if "scale" in raw:
        s0 = raw["scale"]["runs"][-1]
        print(
            f"{SCALE}x: {s0['notebooks']} notebooks, execute {s0['exec_s']:.1f} s + HTML "
            f"{s0['html_s']:.1f} s ({s0['html_warnings']} warnings, -W)"
        )
    if "browser" in raw:
        pages = raw["browser"]["pages"]
        heaviest = pages[res["page_weight_page"]]
        assets = ", ".join(f"{Path(a['path']).name} {a['bytes']:,}" for a in heaviest["largest"])
        print(
            f"heaviest page {res['page_weight_page']}: {heaviest['requests']} requests; "
            f"largest: {assets}"
        )
        types = ", ".join(f"{k} {v:,}" for k, v in heaviest["bytes_by_type"].items())
        print(f"  by type: {types}")
        for page, s in pages.items():
            if s["charts"]:
                print(
                    f"  {page}: {s['charts']} charts drawn at {s['chart_render_ms'] or 0:.0f} ms"
                    f" (DOMContentLoaded {s['dom_content_loaded_ms']:.0f} ms, load "
                    f"{s['load_ms']:.0f} ms)"
                )
        external = sorted({u for s in pages.values() for u in s["external_requests"]})
        if external:
            print(f"  ! requests not to 127.0.0.1: {', '.join(external[:5])}")
    if res["failures"]:
        print(f"! failed (timings of failed runs are not comparable): {'; '.join(res['failures'])}")


def failures(raw: dict[str, dict[str, Any]]) -> list[str]:
    """Every failed step ("clean run 1: html") and every page whose charts were not drawn."""
    found = []
    for group, data in raw.items():
        for i, run_ in enumerate(data.get("runs", [])):
            for key, value in run_.items():
                if (key == "ok" or key.endswith("_ok")) and value is False:
                    found.append(
                        f"{group} run {i + 1}: {key.removesuffix('ok').strip('_') or group}"
                    )
        for page, summary in data.get("pages", {}).items():
            if summary.get("chart_error"):
                found.append(f"browser {page}: charts not drawn")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (3)")
    parser.add_argument("--quick", action="store_true", help="one run per measurement")
    parser.add_argument("--only", default=",".join(GROUPS), help=f"groups: {','.join(GROUPS)}")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    repeat = 1 if args.quick else max(1, args.repeat)
    groups = [g.strip() for g in args.only.split(",") if g.strip()]
    if unknown := set(groups) - set(GROUPS):
        parser.error(f"unknown group(s): {', '.join(sorted(unknown))}")

    start = time.perf_counter()
    res: dict[str, Any] = {
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "source_date_epoch": ENV["SOURCE_DATE_EPOCH"],
        "repeat": repeat,
        "groups": groups,
        "machine": machine(),
        "cpu_s": {},
        "raw": {},
    }
    work = Path(tempfile.mkdtemp(prefix="shizhong-bench-"))
    try:
        fresh = bench_clean(work, repeat, res) if "clean" in groups else None
        if "browser" in groups:
            html = fresh / "_build" / "html" if fresh else ROOT / "_build" / "html"
            if (html / "index.html").is_file():
                bench_browser(html, repeat, res)
            else:
                print(f"browser: no build at {html}; skipped", file=sys.stderr)
        if "floor" in groups:
            bench_floor(work, repeat, res)
            res["clean_over_floor"] = ratio(res.get("clean_build_s"), res["floor_s"])
        if "pdf" in groups:
            bench_pdf(work, repeat, res)
        if "nbval" in groups:
            bench_nbval(work, repeat, res)
        if "scale" in groups:
            bench_scale(work, repeat, res)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    res["total_wall_s"] = time.perf_counter() - start
    if hasattr(os, "getloadavg"):  # other work on the machine makes the timings noisy
        res["machine"]["loadavg_at_end"] = os.getloadavg()
    res["failures"] = failures(res["raw"])
    res["ratios_cpu"] = {
        key: ratio(res["cpu_s"].get(a), res["cpu_s"].get(b)) for key, (a, b) in CPU_RATIOS.items()
    }
    res["targets"] = {
        key: {
            "value": res[key],
            "max": target,
            "pass": None if res[key] is None else res[key] <= target,
        }
        for key, target in TARGETS
        if key in res
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(res, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    report(res)
    return 0


if __name__ == "__main__":
    sys.exit(main())
