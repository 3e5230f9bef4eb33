"""Build the PDF edition reproducibly: Sphinx's LaTeX builder, then xelatex via latexmk.

    python tools/build_pdf.py _build/pdf/shizhong-2019.pdf [--work DIR]
    python tools/build_pdf.py _build/pdf/shizhong-2019.zh.pdf --lang zh   # the Chinese edition

Every timestamp comes from SOURCE_DATE_EPOCH (the Makefile sets it from the last commit), and
FORCE_SOURCE_DATE=1 makes xdvipdfmx use it for the PDF's dates and ID, so two builds of one
commit are byte-identical. The LaTeX tree is built from clean each time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEX = "book.tex"


def run(cmd: list[str], cwd: Path) -> None:
    """Run a command; on failure show the end of its output and exit 1."""
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stdout[-6000:], done.stderr[-4000:], sep="\n", file=sys.stderr)
        sys.exit(f"failed: {' '.join(cmd)}")


#: The configuration and table of contents of each edition.
EDITIONS = {"en": ("_config.yml", "_toc.yml"), "zh": ("_config.zh.yml", "_toc.zh.yml")}


def main(target: str, work: str | None = None, lang: str = "en") -> int:
    """Build the PDF at ``target``. The HTML build copies it beside the pages (see
    ``shizhong.sphinxext.files``), so ``make book`` builds the PDF first.

    The LaTeX build runs in its own tree, ``<work>/_build``, apart from the HTML build:
    the two builders must not share doctrees, because the HTML build leaves out the charts'
    PDF renderings that the LaTeX build needs. The LaTeX folder is cleaned every time.
    """
    start = time.perf_counter()
    env_missing = [v for v in ("SOURCE_DATE_EPOCH", "FORCE_SOURCE_DATE") if v not in os.environ]
    if env_missing:
        sys.exit(f"set {', '.join(env_missing)} (the Makefile does) for a reproducible PDF")
    work = work or ("_build/pdf-tree" if lang == "en" else f"_build/pdf-tree-{lang}")
    out = (ROOT / work).resolve()
    config, toc = EDITIONS[lang]
    latex = out / "_build" / "latex"
    shutil.rmtree(latex, ignore_errors=True)
    jb = str(Path(sys.executable).with_name("jupyter-book"))
    run([jb, "build", ".", "--builder", "latex", "--path-output", str(out),
         "--config", config, "--toc", toc,
         "--warningiserror", "--nitpick", "--keep-going", "--quiet"], ROOT)  # fmt: skip
    run(["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", TEX], latex)
    pdf = ROOT / target
    pdf.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(latex / TEX.replace(".tex", ".pdf"), pdf)
    print(f"built {target} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", nargs="?", default="_build/pdf/shizhong-2019.pdf")
    parser.add_argument("--work", default=None, help="where the LaTeX build runs")
    parser.add_argument("--lang", default="en", choices=sorted(EDITIONS), help="the edition")
    args = parser.parse_args()
    sys.exit(main(args.target, args.work, args.lang))
