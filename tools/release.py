"""Copy the release written at the top of CITATION.cff into the files that repeat it.

    python tools/release.py          # rewrite the copies (make version)
    python tools/release.py --check  # list the copies that disagree; exit 1 if any

Bump ``version`` and ``date-released`` at the top of CITATION.cff, nowhere else; this
script copies them into ``preferred-citation`` and the Chinese edition's entry of
CITATION.cff, ``[project].version`` of pyproject.toml and the two book entries of
references.bib (version and year). The book build reads CITATION.cff itself.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from shizhong.release import Release, read  # noqa: E402

BIB_KEYS = ("shizhong_book", "shizhong_book_zh")


def _sub(pattern: str, repl: str, text: str, count: int) -> str:
    new, n = re.subn(pattern, repl, text, flags=re.MULTILINE)
    if n != count:
        raise SystemExit(f"expected {count} match(es) of {pattern!r}, found {n}")
    return new


def _cff(text: str, rel: Release) -> str:
    """Indented (nested) version, date-released and year lines of CITATION.cff."""
    head, refs = text.split("\nreferences:", 1)
    head = _sub(r'^(  version: )"[^"]*"$', rf'\g<1>"{rel.version}"', head, 1)
    head = _sub(r'^(  date-released: )"[^"]*"$', rf'\g<1>"{rel.date}"', head, 1)
    head = _sub(r"^(  year: )\d+$", rf"\g<1>{rel.date.year}", head, 1)
    article, book = refs.split("\n  - type: book\n", 1)
    book = _sub(r'^(    version: )"[^"]*"$', rf'\g<1>"{rel.version}"', book, 1)
    book = _sub(r"^(    year: )\d+$", rf"\g<1>{rel.date.year}", book, 1)
    return head + "\nreferences:" + article + "\n  - type: book\n" + book


def _pyproject(text: str, rel: Release) -> str:
    return _sub(r'^(version = )"[^"]*"', rf'\g<1>"{rel.version}"', text, 1)


def _bib(text: str, rel: Release) -> str:
    for key in BIB_KEYS:
        start = text.index(f"{{{key},")
        end = text.index("\n}", start)
        entry = _sub(r"^(  version = )\{[^}]*\}", rf"\g<1>{{{rel.version}}}", text[start:end], 1)
        entry = _sub(r"^(  year = )\{\d+\}", rf"\g<1>{{{rel.date.year}}}", entry, 1)
        text = text[:start] + entry + text[end:]
    return text


COPIES = {"CITATION.cff": _cff, "pyproject.toml": _pyproject, "references.bib": _bib}


def main(check: bool, root: Path = ROOT) -> int:
    """Rewrite (or with ``check`` only list) the copies under ``root``; 1 if any is stale."""
    rel = read(root)
    stale = []
    for name, rewrite in COPIES.items():
        path = root / name
        text = path.read_text(encoding="utf-8")
        new = rewrite(text, rel)
        if new != text:
            stale.append(name)
            if not check:
                path.write_text(new, encoding="utf-8")
    verb = "disagree with" if check else "now follow"
    for name in stale:
        print(f"{name}: {verb} version {rel.version} of {rel.date} (CITATION.cff)")
    return 1 if check and stale else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report the copies")
    sys.exit(main(parser.parse_args().check))
