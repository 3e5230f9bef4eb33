"""Build the PDF edition reproducibly: Sphinx's LaTeX builder, then xelatex via latexmk.

    python tools/build_pdf.py _build/pdf/shizhong-2019.pdf [--work DIR]
    python tools/build_pdf.py _build/pdf/shizhong-2019.zh.pdf --lang zh   # the Chinese edition

Every timestamp comes from SOURCE_DATE_EPOCH (the Makefile sets it from the last commit), and
FORCE_SOURCE_DATE=1 makes xdvipdfmx use it for the PDF's dates and ID, so two builds of one
commit are byte-identical. The LaTeX tree is built from clean each time; a PDF whose inputs
have not changed since it was built (:func:`inputs_digest`) is not built again.
"""

from __future__ import annotations

import argparse
import hashlib
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


#: Files whose changes cannot reach a PDF: the tests and the CI set-up.
NOT_INPUTS = ("tests/", ".github/", ".ci/")
#: The settings a PDF's bytes depend on besides its files.
SETTINGS = ("SOURCE_DATE_EPOCH", "FORCE_SOURCE_DATE", "SHIZHONG_SITE_URL")


def _git(*args: str) -> bytes | None:
    """``git <args>`` in the book's folder: its output, or None if git cannot answer."""
    try:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True)
    except OSError:  # no git
        return None
    return done.stdout if done.returncode == 0 else None


def inputs_digest(target: str, lang: str) -> str | None:
    """SHA-256 over what a PDF is built from: the edition, the target, the commit (its title
    page names it), :data:`SETTINGS`, and the path and bytes of every file git tracks or would
    track (edits and new files included) but :data:`NOT_INPUTS`. None unless the book is the
    top of a git checkout: then it is always built. (Debian's TeX and fonts are not in it:
    after an upgrade of those, delete ``_build/pdf``.)"""
    top, head = _git("rev-parse", "--show-toplevel"), _git("rev-parse", "HEAD")
    listed = _git("ls-files", "-z", "--cached", "--others", "--exclude-standard")
    if top is None or Path(top.decode().strip()).resolve() != ROOT.resolve() or listed is None:
        return None
    digest = hashlib.sha256(f"{lang}\0{target}\0".encode() + (head or b"no commit") + b"\0")
    for name in SETTINGS:
        digest.update(f"{name}={os.environ.get(name, '')}\0".encode())
    for name in sorted(set(filter(None, listed.decode().split("\0")))):
        path = ROOT / name
        if name.startswith(NOT_INPUTS) or not path.is_file():
            continue
        digest.update(name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


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
    pdf = ROOT / target
    record, digest = out / "inputs.sha256", inputs_digest(target, lang)
    if digest and pdf.is_file() and record.is_file() and record.read_text() == digest:
        print(f"{target} is up to date: its inputs have not changed")
        return 0
    record.unlink(missing_ok=True)
    latex = out / "_build" / "latex"
    shutil.rmtree(latex, ignore_errors=True)
    jb = str(Path(sys.executable).with_name("jupyter-book"))
    run([jb, "build", ".", "--builder", "latex", "--path-output", str(out),
         "--config", config, "--toc", toc,
         "--warningiserror", "--nitpick", "--keep-going", "--quiet"], ROOT)  # fmt: skip
    run(["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", TEX], latex)
    pdf.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(latex / TEX.replace(".tex", ".pdf"), pdf)
    if digest:
        record.write_text(digest)
    print(f"built {target} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", nargs="?", default="_build/pdf/shizhong-2019.pdf")
    parser.add_argument("--work", default=None, help="where the LaTeX build runs")
    parser.add_argument("--lang", default="en", choices=sorted(EDITIONS), help="the edition")
    args = parser.parse_args()
    sys.exit(main(args.target, args.work, args.lang))
