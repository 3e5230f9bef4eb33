"""The record of the last successful validation: validate each version of the data once.

``sz.load()`` runs in every kernel of a build, and validating the package (Frictionless,
the semantic checks) was most of its time. After a successful validation it writes, beside
the build (``_build/cache/validated-<data folder>.json``, never in ``data/``), the
:func:`key` of what it validated: the SHA-256 of every file under the data folder and of
the validating code (:data:`CODE`, and the versions of Frictionless and pandas). A later
``load()`` whose key is the recorded one reads the tables from the very bytes it hashed,
without validating them again; any other key (a changed cell, a new file, changed
validation code) validates in full, and a bad cell gets its located error as before.

The record is plain JSON holding hexadecimal digests; it is only ever compared, as a
string, with a key computed afresh. Nothing in it is loaded as code or as data.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.metadata
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from shizhong.inputs import canonical, sha256
from shizhong.problems import Problem
from shizhong.validate import Checked, read_validated, run

#: The modules whose code decides what is valid: a change to one validates again.
CODE = (
    "bilingual",
    "checks",
    "dataset",
    "derive",
    "numerals",
    "problems",
    "rawtable",
    "semantics",
    "tables",
    "textrules",
    "units",
    "validate",
    "validated",
    "write",
)
#: Versions of the libraries that validate or type the tables.
LIBRARIES = ("frictionless", "pandas")
FORMAT = 1  # of the record


def cache_dir(data_dir: Path) -> Path:
    """``_build/cache`` beside the data folder (the book's build folder)."""
    return data_dir.resolve().parent / "_build" / "cache"


def record_path(data_dir: Path) -> Path:
    return cache_dir(data_dir) / f"validated-{data_dir.resolve().name}.json"


def snapshot(data_dir: Path) -> dict[str, bytes]:
    """Every regular file under ``data_dir``: ``{relative posix path: bytes}``."""
    files = {}
    for path in sorted(data_dir.rglob("*")):
        if path.is_file():
            files[path.relative_to(data_dir).as_posix()] = path.read_bytes()
    return files


def code_version() -> str:
    """SHA-256 of the validating code and the versions of the libraries it uses."""
    base = Path(__file__).resolve().parent
    parts = {name: sha256((base / f"{name}.py").read_bytes()) for name in CODE}
    versions = {lib: importlib.metadata.version(lib) for lib in LIBRARIES}
    return sha256(canonical({"format": FORMAT, "code": parts, "libraries": versions}))


def key(files: dict[str, bytes]) -> str:
    """The key of one version of the data under one version of the validating code."""
    digests = {path: sha256(data) for path, data in files.items()}
    return sha256(canonical({"files": digests, "code": code_version()}))


def is_recorded(data_dir: Path, key_: str) -> bool:
    """Whether the last successful validation of ``data_dir`` had this key."""
    try:
        record = json.loads(record_path(data_dir).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(record, dict) and record.get("key") == key_


def remember(data_dir: Path, key_: str) -> None:
    """Record a successful validation (atomically; silently skipped if it cannot be written)."""
    path = record_path(data_dir)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".validated-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"format": FORMAT, "key": key_}, out)
        os.replace(tmp, path)


def forget(data_dir: Path) -> None:
    with contextlib.suppress(OSError):
        record_path(data_dir).unlink()


@contextlib.contextmanager
def lock(data_dir: Path) -> Iterator[None]:
    """One validation at a time per data folder: parallel kernels wait for the first one's
    record rather than validate the same files again."""
    path = record_path(data_dir).with_suffix(".lock")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a")  # noqa: SIM115  # held for the with block
    except OSError:
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def check(data_dir: Path, full: bool = False) -> tuple[Checked, dict[str, bytes]]:
    """Validation's verdict on ``data_dir``, and the bytes of every file it is for.

    Validates in full, and records a success, unless the last successful validation had
    this key (``full=True``: validate in full whatever the record says).
    """
    with lock(data_dir):
        files = snapshot(data_dir)
        key_ = key(files)
        if not full and is_recorded(data_dir, key_):
            return read_validated(files), files
        checked = run(data_dir)
        if checked.problems:
            return checked, files
        if snapshot(data_dir) != files:  # edited meanwhile: which version passed is unknown
            message = "changed while it was being validated; load it again"
            return Checked([Problem(data_dir.name, message=message)]), files
        remember(data_dir, key_)
        return checked, files
