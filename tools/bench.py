"""Time the book's build against its floor and a stock peer; write README's performance table.

    python tools/bench.py [--runs N]

Debian's ``hyperfine`` times each command (``--runs``, default 3) on fresh copies of the book
in a temporary folder, and reports, per command, the median wall time and the mean CPU time
(user + system, of the command and every process it waited for). The commands are those of
the Makefile:

* **clean build**: ``tools/run_notebooks.py`` on every notebook of ``_toc.yml``, then the HTML
  build, each from an empty ``_build`` (no validation record, no compiled charts). The
  **warm rebuild** executes again with ``_build/cache`` kept. The **no-op rebuild** is
  `make html`'s staleness check and HTML build with nothing changed.
* **import floor**: the same pages, each notebook cut to its title and one cell that imports
  shizhong, pandas and altair, executed and built the same way.
* **stock peer**: the same notebooks built by a stock Jupyter Book 1 configuration that
  executes them itself (``execute_notebooks: force``), with Altair's default renderer.
* **strict nbval** on the copy's notebooks, as `make test` runs it after `make book`, against
  plain execution in the same state (``_build/cache`` warm).
* **economy rerun**: that chapter alone, in a fresh kernel, against its import-floor notebook.
* **breakdown**: one fresh ``shizhong`` kernel, each step a chapter takes before its own cells.
* **pages**: every page of the clean build's two editions in Debian's Chromium: the heaviest
  page's bytes, and the time until the slowest page's charts have drawn.

Each ratio must meet its target on wall time and on CPU time. README gets the table between
the ``bench:`` markers, ``_build/bench/results.json`` every value. Exit status: 0 if every
target is met, 1 if one is missed or a step failed (README then says which).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import nbformat
import yaml

from shizhong_pytest.site import chromium, serve, toc_files

ROOT = Path(__file__).resolve().parents[1]

PY = sys.executable
JB = str(Path(sys.executable).with_name("jupyter-book"))
RESULTS = ROOT / "_build" / "bench" / "results.json"
README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
HTML = f"{JB} build . --builder html --warningiserror --nitpick --keep-going --quiet"
HTML_ZH = f"{HTML} --config _config.zh.yml --toc _toc.zh.yml --path-output _build/zh-tree"
NBVAL = f"{PY} -m pytest -n 2 --dist loadfile --nbval notebooks -p no:cacheprovider -q"
ECONOMY = "notebooks/economy.ipynb"
CLEAN = "rm -rf _build"
KEEP_CACHE = "find _build -mindepth 1 -maxdepth 1 ! -name cache -exec rm -rf {} +"
IGNORE = shutil.ignore_patterns(".venv", ".venv-lab", ".venv-cff", "dist", "_build", ".git",
                                "*_cache", "__pycache__", "*.egg-info",
                                ".ipynb_checkpoints")  # fmt: skip
FLOOR_CELL = "import altair\nimport pandas\n\nimport shizhong"
# The stock peer keeps Altair's default renderer whatever a notebook enables (an IPython
# start-up file of the peer's kernels; the notebooks are not edited).
DEFAULT_RENDERER = """import altair
_enable = altair.renderers.enable
altair.renderers.enable = lambda *args, **kwargs: _enable("default")
"""
# name: (numerator, denominator, upper bound), on wall and on CPU time alike.
RATIOS = {
    "clean build / import floor": ("clean", "floor", 1.5),
    "clean build / stock peer": ("clean", "peer", 0.6),
    "no-op rebuild / clean build": ("noop", "clean", 0.25),
    "strict nbval / plain execution": ("nbval", "exec_warm", 1.3),
    "both editions / one edition, clean": ("editions", "clean", 1.6),
    "economy rerun / its import floor": ("economy", "economy_floor", 1.5),
}
LIMITS = {
    "page_bytes": 1_430_894 + 2_400,
    "chart_ms": 1000,
}  # + the citation metadata  # the heaviest page, the slowest chart
# Each step a chapter takes before its own cells, timed in turn in one fresh kernel.
STEPS = {
    "`import pandas`": "import pandas",
    "`import altair`": "import altair",
    "`shizhong.load()` (validation recorded)": "import shizhong\n_ = shizhong.load()",
    "vl-convert: import, first compilation (a rerun, and `make notebooks`, skip it)": (
        "import vl_convert\n_ = vl_convert.vegalite_to_vega({'mark': 'point'})"
    ),
}
CHARTS_DRAWN_JS = """() => {
  const charts = Array.from(document.querySelectorAll('.shizhong-chart'));
  if (charts.length === 0) { return document.readyState === 'complete' ? {ms: 0} : false; }
  const drawn = charts.every(c => c.querySelector('svg g[class*="mark-"] > *') !== null);
  return drawn ? {ms: performance.now()} : false;
}"""


def env(**extra: str) -> dict[str, str]:
    """The Makefile's environment."""
    epoch = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, text=True,
                           capture_output=True).stdout.strip()  # fmt: skip
    base = {"SOURCE_DATE_EPOCH": epoch or "1577836800", "FORCE_SOURCE_DATE": "1",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1"}  # fmt: skip
    return {**base, **os.environ, **extra}


def pages() -> list[str]:
    """The book's pages in ``_toc.yml`` order (``notebooks/economy``, ...)."""
    return list(toc_files(yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))))


def notebooks() -> list[str]:
    return [f"{page}.ipynb" for page in pages() if (ROOT / f"{page}.ipynb").is_file()]


def copy_book(dest: Path) -> Path:
    """A copy of the book's sources and data (no build, venv or git)."""
    shutil.copytree(ROOT, dest, ignore=IGNORE)
    return dest


GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`[^`]*`")


def make_floor(dest: Path) -> Path:
    """The book with each notebook cut to its title and one cell importing the libraries."""
    copy_book(dest)
    for path in notebooks():
        original = nbformat.read(ROOT / path, as_version=4)
        title = next(
            (line for cell in original.cells if cell.cell_type == "markdown"
             for line in cell.source.splitlines() if line.startswith("# ")),
            f"# {Path(path).stem}",
        )  # fmt: skip
        nb = nbformat.v4.new_notebook(metadata={"kernelspec": original.metadata["kernelspec"]})
        nb.cells = [nbformat.v4.new_markdown_cell(title), nbformat.v4.new_code_cell(FLOOR_CELL)]
        nbformat.write(nb, dest / path)
    for page in (dest / "notebooks").glob("*.md"):  # the landing page's main points glue values
        text = page.read_text(encoding="utf-8")  # from the chapters, which the floor cut
        page.write_text(GLUE_ROLE.sub("0", text), encoding="utf-8")
    return dest


def make_peer(dest: Path) -> Path:
    """The book under a stock Jupyter Book 1 configuration that executes the notebooks; its
    kernels keep Altair's default renderer (``IPYTHONDIR=<dest>/.ipython``)."""
    copy_book(dest)
    ours = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config = {
        "title": ours["title"],
        "only_build_toc_files": True,
        "exclude_patterns": ours.get("exclude_patterns", []),
        "execute": {"execute_notebooks": "force", "timeout": 600},  # stock timeout: 30 s
        "parse": ours.get("parse", {}),  # the Markdown syntax the notebooks are written in
        "bibtex_bibfiles": ours.get("bibtex_bibfiles", []),
    }
    (dest / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    startup = dest / ".ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-altair-default-renderer.py").write_text(DEFAULT_RENDERER, encoding="utf-8")
    return dest


def hyperfine(name: str, command: str, cwd: Path, runs: int, prepare: str | None = None,
              **extra: str) -> dict[str, float]:  # fmt: skip
    """Time ``command`` in ``cwd``: median wall seconds, mean CPU seconds, every run."""
    out = cwd / f".hyperfine-{name}.json"
    cmd = ["hyperfine", "--runs", str(runs), "--style", "basic", "--export-json", str(out),
           "--command-name", name, *(["--prepare", prepare] * bool(prepare)), command]  # fmt: skip
    print(f"$ (cd {cwd.name} && {command})", flush=True)
    subprocess.run(cmd, cwd=cwd, env=env(**extra), check=True, stdout=subprocess.DEVNULL)
    result = json.loads(out.read_text(encoding="utf-8"))["results"][0]
    return {"wall": result["median"], "cpu": result["user"] + result["system"],
            "runs": result["times"]}  # fmt: skip


def breakdown(cwd: Path) -> dict[str, dict[str, float]]:
    """A fresh ``shizhong`` kernel, then each of :data:`STEPS` in it: wall and kernel CPU."""
    from jupyter_client.manager import start_new_kernel

    def cpu(client: Any) -> float:
        out: list[str] = []
        code = (
            "import resource\nu = resource.getrusage(resource.RUSAGE_SELF)\nu.ru_utime + u.ru_stime"
        )
        client.execute_interactive(code, timeout=60, output_hook=lambda m: out.append(
            m["content"].get("data", {}).get("text/plain", "")))  # fmt: skip
        return float("".join(out))

    start = time.perf_counter()
    manager, client = start_new_kernel(kernel_name="shizhong", cwd=str(cwd), env=env(),
                                       stderr=subprocess.DEVNULL)  # fmt: skip
    steps = {"kernel start": {"wall": time.perf_counter() - start, "cpu": cpu(client)}}
    try:
        for label, code in STEPS.items():
            before, start = cpu(client), time.perf_counter()
            reply = client.execute_interactive(code, timeout=300, output_hook=lambda _m: None)
            steps[label] = {"wall": time.perf_counter() - start, "cpu": cpu(client) - before}
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"{label}: {reply['content'].get('ename')}")
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return steps


def _note_size(sizes: list[int], request: Any) -> None:
    with contextlib.suppress(Exception):  # a request still finishing as the page closes
        sizes.append(request.sizes()["responseBodySize"])


def browse(html: Path) -> dict[str, Any]:
    """Every page of both editions, loaded cold: the heaviest page, the slowest charts."""
    weights, drawn = {}, {}
    with serve(html) as base, chromium() as browser:
        for page in [f"{edition}{p}.html" for edition in ("", "zh/") for p in pages()]:
            context = browser.new_context()
            try:
                tab = context.new_page()
                cdp = context.new_cdp_session(tab)
                cdp.send("Network.enable")
                cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                sizes: list[int] = []
                tab.on("requestfinished", functools.partial(_note_size, sizes))
                tab.goto(base + page, wait_until="commit")
                done = tab.wait_for_function(CHARTS_DRAWN_JS, polling="raf", timeout=30_000)
                drawn[page] = done.json_value()["ms"]
                tab.wait_for_load_state("networkidle")
                weights[page] = sum(sizes)
            finally:
                context.close()
    heaviest, slowest = max(weights, key=weights.get), max(drawn, key=drawn.get)
    return {"page_bytes": weights[heaviest], "page_bytes_page": heaviest,
            "chart_ms": drawn[slowest], "chart_ms_page": slowest, "weights": weights,
            "drawn_ms": drawn}  # fmt: skip


def measure(work: Path, runs: int) -> dict[str, Any]:
    nbs = " ".join(notebooks())
    execute = f"{PY} {ROOT / 'tools' / 'run_notebooks.py'}"
    clean, floor, peer = (
        copy_book(work / "clean"),
        make_floor(work / "floor"),
        make_peer(work / "peer"),
    )
    t: dict[str, Any] = {}
    t["exec"] = hyperfine("exec", f"{execute} {nbs}", clean, runs, CLEAN)
    t["html"] = hyperfine("html", HTML, clean, runs, CLEAN)
    t["html_zh"] = hyperfine("html_zh", HTML_ZH, clean, runs, CLEAN)
    t["floor_exec"] = hyperfine("floor_exec", f"{execute} {nbs}", floor, runs, CLEAN)
    t["floor_html"] = hyperfine("floor_html", HTML, floor, runs, CLEAN)
    t["peer"] = hyperfine("peer", f"{JB} build .", peer, runs, CLEAN,
                          IPYTHONDIR=str(peer / ".ipython"))  # fmt: skip
    # The copy is built: a no-op rebuild as `make html` does it, then the warm states.
    subprocess.run(shlex.split(HTML), cwd=clean, env=env(), check=True, capture_output=True)
    t["noop"] = hyperfine("noop", f"{execute} --check {nbs} && {HTML}", clean, runs)
    t["exec_warm"] = hyperfine("exec_warm", f"{execute} {nbs}", clean, runs, KEEP_CACHE)
    t["nbval"] = hyperfine("nbval", NBVAL, clean, runs)
    t["economy"] = hyperfine("economy", f"{execute} {ECONOMY}", clean, runs)
    t["economy_floor"] = hyperfine("economy_floor", f"{execute} {ECONOMY}", floor, runs)
    for total, parts in (("clean", ("exec", "html")), ("editions", ("exec", "html", "html_zh")),
                         ("floor", ("floor_exec", "floor_html"))):  # fmt: skip
        t[total] = {k: sum(t[p][k] for p in parts) for k in ("wall", "cpu")}
    subprocess.run(shlex.split(HTML_ZH), cwd=clean, env=env(), check=True, capture_output=True)
    shutil.copytree(clean / "_build/zh-tree/_build/html", clean / "_build/html/zh")
    return {
        "times": t,
        "steps": breakdown(clean / "notebooks"),
        "pages": browse(clean / "_build" / "html"),
    }


def verdicts(res: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out, t = {}, res["times"]
    for name, (num, den, limit) in RATIOS.items():
        wall, cpu = t[num]["wall"] / t[den]["wall"], t[num]["cpu"] / t[den]["cpu"]
        out[name] = {"wall": wall, "cpu": cpu, "max": limit, "pass": max(wall, cpu) <= limit}
    for key, limit in LIMITS.items():
        value = res["pages"][key]
        out[key] = {"value": value, "max": limit, "pass": value <= limit}
    return out


def readme_section(res: dict[str, Any]) -> str:
    t, v, load = res["times"], res["verdicts"], res["loadavg_at_start"]
    quiet = "a quiet run" if load[0] < 1 else "**not a quiet run** (load average 1 or more)"
    mark = {True: "pass", False: "**miss**"}

    def timed(key: str) -> str:
        return f"{t[key]['wall']:.1f} s; CPU {t[key]['cpu']:.1f} s"

    rows = [
        ("clean build: execute the notebooks, then the HTML", timed("clean")),
        ("warm rebuild: execute again with `_build/cache` kept", timed("exec_warm")),
        ("import floor: notebooks that only import shizhong, pandas, altair", timed("floor")),
        ("stock Jupyter Book peer (`execute_notebooks: force`)", timed("peer")),
        ("both editions, clean (execute once, two HTML builds)", timed("editions")),
        ("no-op rebuild (staleness check and HTML build)", timed("noop")),
        ("strict nbval, after `make book`", timed("nbval")),
        ("economy chapter rerun, fresh kernel", timed("economy")),
    ]
    lines = [
        START,
        f"Measured at commit `{res['commit']}` on {res['measured_at']}, on {res['cpu_count']}"
        f" cores, load average {', '.join(f'{x:.2f}' for x in load)} at the start: {quiet};"
        f" `hyperfine`, {res['runs']} run{'s' * (res['runs'] != 1)} each"
        " (wall: median; CPU: mean, user + system).",
        "",
        "| measurement | wall; CPU | target | |",
        "| --- | --- | --- | --- |",
        *(f"| {label} | {value} | | |" for label, value in rows),
        *(f"| {name} | {x['wall']:.2f}; {x['cpu']:.2f} | ≤ {x['max']:g} on both |"
          f" {mark[x['pass']]} |" for name, x in v.items() if "wall" in x),
        f"| heaviest page ({res['pages']['page_bytes_page']}) | {v['page_bytes']['value']:,} B |"
        f" ≤ {v['page_bytes']['max']:,} B | {mark[v['page_bytes']['pass']]} |",
        f"| slowest page to draw its charts ({res['pages']['chart_ms_page']}) |"
        f" {v['chart_ms']['value']:.0f} ms | ≤ {v['chart_ms']['max']} ms |"
        f" {mark[v['chart_ms']['pass']]} |",
        "",
        "Before its own cells, a chapter's fresh kernel pays:",
        "",
        "| step | wall | kernel CPU |",
        "| --- | --- | --- |",
        *(f"| {k} | {s['wall']:.2f} s | {s['cpu']:.2f} s |" for k, s in res["steps"].items()),
        END,
    ]  # fmt: skip
    return "\n".join(lines)


def write_readme(section: str, readme: Path = README) -> None:
    """Replace what lies between the markers (inclusive) with ``section``."""
    text = readme.read_text(encoding="utf-8")
    head, found, rest = text.partition(START)
    _, found_end, tail = rest.partition(END)
    if not (found and found_end):
        sys.exit(f"{readme}: no {START} ... {END} markers for the performance table")
    readme.write_text(head + section + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per command (3)")
    args = parser.parse_args(argv)
    if shutil.which("hyperfine") is None:
        sys.exit("no hyperfine: `make bench` installs Debian's package")
    git = ["git", "-C", str(ROOT)]
    dirty = subprocess.run([*git, "status", "--porcelain", "--", ".", ":!README.md"],
                           capture_output=True, text=True).stdout.strip()  # fmt: skip
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()  # fmt: skip
    res: dict[str, Any] = {
        "commit": commit + (" plus uncommitted changes" if dirty else ""),
        "measured_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu_count": os.cpu_count(),
        "runs": max(1, args.runs),
        "loadavg_at_start": os.getloadavg(),
    }
    work = Path(tempfile.mkdtemp(prefix="shizhong-bench-"))
    try:
        res.update(measure(work, res["runs"]))
    except (subprocess.CalledProcessError, RuntimeError) as error:
        print(f"! a step failed, README left as it was: {error}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    res["loadavg_at_end"] = os.getloadavg()
    res["verdicts"] = verdicts(res)
    res["median_of_runs"] = {k: statistics.median(x["runs"]) for k, x in res["times"].items()
                             if "runs" in x}  # fmt: skip
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(res, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    section = readme_section(res)
    print(section)
    write_readme(section)
    missed = [name for name, x in res["verdicts"].items() if not x["pass"]]
    if missed:
        print(f"! targets missed: {'; '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
