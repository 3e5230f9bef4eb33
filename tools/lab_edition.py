"""Write one edition of the notebooks for reading in JupyterLab: ``make lab-en``, ``make lab-zh``.

    python tools/lab_edition.py zh

The notebooks hold both languages, cell by cell. This writes ``_build/lab/<lang>/notebooks/``:
each notebook with the other language's Markdown cells and chart outputs left out, exactly as
the book's edition selects them (``shizhong.sphinxext.editions``), and the prose kept as Lab
shows it (inline values, links). Every code cell is kept, so Run All works. The copies are
for reading and rerunning; edit the notebooks themselves (``make lab``).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from shizhong.bilingual import LANGS
from shizhong.sphinxext.editions import filter_notebook

ROOT = Path(__file__).resolve().parents[1]


def write(lang: str, out: Path) -> list[Path]:
    """The ``lang`` edition of every notebook and page, under ``out``; the paths written."""
    target = out / "notebooks"
    shutil.rmtree(out, ignore_errors=True)
    target.mkdir(parents=True)
    (out / "data").symlink_to(ROOT / "data", target_is_directory=True)
    written = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = filter_notebook(json.loads(path.read_text(encoding="utf-8")), lang, book=False)
        (target / path.name).write_text(
            json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        written.append(target / path.name)
    for page in sorted((ROOT / "notebooks").glob("*.md")):
        if page.name.endswith(".zh.md"):
            continue
        translated = page.with_suffix(".zh.md")
        source = translated if lang == "zh" and translated.exists() else page
        shutil.copyfile(source, target / page.name)
        written.append(target / page.name)
    return written


def main(args: list[str]) -> int:
    if len(args) != 1 or args[0] not in LANGS:
        print(f"usage: lab_edition.py {{{','.join(LANGS)}}}", file=sys.stderr)
        return 2
    written = write(args[0], ROOT / "_build" / "lab" / args[0])
    print(f"{len(written)} files in {written[0].parent}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
