"""Build the PDF edition reproducibly: Sphinx's LaTeX builder, then xelatex via latexmk.

    python tools/build_pdf.py _build/pdf/shizhong-2019.pdf [--build-dir DIR]

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


def main(target: str, build_dir: str = "_build") -> int:
    """Build the PDF at ``target`` (and beside the HTML edition, if that exists).

    ``build_dir`` holds the LaTeX tree (``<build_dir>/latex``); another folder lets a test
    build a second copy without touching ``_build``.
    """
    start = time.perf_counter()
    out = (ROOT / build_dir).resolve()
    latex = out / "latex"
    env_missing = [v for v in ("SOURCE_DATE_EPOCH", "FORCE_SOURCE_DATE") if v not in os.environ]
    if env_missing:
        sys.exit(f"set {', '.join(env_missing)} (the Makefile does) for a reproducible PDF")
    shutil.rmtree(latex, ignore_errors=True)
    jb = str(Path(sys.executable).with_name("jupyter-book"))
    run([jb, "build", ".", "--builder", "latex", "--path-output", str(out.parent),
         "--warningiserror", "--nitpick", "--keep-going", "--quiet"], ROOT)  # fmt: skip
    if out.name != "_build":  # Jupyter Book always writes into <path-output>/_build
        shutil.rmtree(latex, ignore_errors=True)
        shutil.move(str(out.parent / "_build" / "latex"), latex)
    run(["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", TEX], latex)
    pdf = ROOT / target
    pdf.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(latex / TEX.replace(".tex", ".pdf"), pdf)
    html = ROOT / "_build" / "html"
    if html.is_dir() and build_dir == "_build":
        shutil.copyfile(pdf, html / pdf.name)
    print(f"built {target} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", nargs="?", default="_build/pdf/shizhong-2019.pdf")
    parser.add_argument("--build-dir", default="_build")
    args = parser.parse_args()
    sys.exit(main(args.target, args.build_dir))
