"""Command line: ``python -m shizhong validate [DATA_DIR]``, and
``python -m shizhong translations status|mark …`` (:mod:`shizhong.translations`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from shizhong import validated


def main(argv: list[str] | None = None) -> int:
    """Run the command; return the exit status (0 valid, 1 problems, 2 usage)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["translations"]:
        from shizhong import translations

        return translations.main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m shizhong")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("validate", help="check the data package and the article")
    sub.add_parser("translations", help="status | mark: Chinese cells reviewed against the English")
    check.add_argument("data_dir", nargs="?", default="data", help="default: data")
    args = parser.parse_args(argv)

    try:
        data_dir = Path(args.data_dir)
        if data_dir.is_dir():  # always in full; a success is recorded for sz.load()
            problems = validated.check(data_dir, full=True)[0].problems
        else:
            problems = validated.run(data_dir).problems
    except Exception as exc:  # a bug, not bad data: still one line, never a traceback
        print(f"error: validation crashed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        n = len(problems)
        print(f"invalid: {n} problem{'s' if n != 1 else ''}", file=sys.stderr)
        return 1
    print(f"valid: {args.data_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
