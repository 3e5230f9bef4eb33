"""What an executed notebook was executed against, and whether that still holds.

`make notebooks` (``tools/run_notebooks.py``) keeps, in each notebook's top-level metadata
under :data:`KEY`, a record of what its stored outputs were computed from:

* ``data``: the SHA-256 of every file of the book the notebook read. The tables it read
  through :class:`shizhong.Dataset` count (``data/exchange_rates.csv``, with their resource of
  ``datapackage.json`` as ``data/datapackage.json#resources/exchange_rates``; the source's
  metadata as ``data/datapackage.json#sources``), and so does any file of
  the book it opened itself (the article, ``references.bib``); ``sz.load()``'s own reading
  and validating of the whole package does not.
* ``code``: the SHA-256 of the source of every ``shizhong`` module the kernel imported.
* ``cells``: one SHA-256 of the notebook's code cells, their sources and outputs, in order.
  Markdown cells and cell metadata (tags, captions, review marks, stored prose values) are
  not in it: outputs do not depend on them, and other work edits them. Neither are
  ``image/png`` outputs, which JupyterLab adds when it saves a chart and which no edition
  uses (strict nbval ignores them too).

:func:`stale` compares a notebook with the book as it is now; `make html` and `make pdf` stop
when a notebook is stale (``tools/run_notebooks.py --check``), and never re-execute it.

In the kernel, :func:`track` (run by ``tools/run_notebooks.py`` before the first cell, out of
the notebook's history) starts recording and :func:`report` (after the last cell) returns the
record. Nothing is recorded in a kernel that did not call :func:`track` (nbval, JupyterLab).
This module imports no pandas.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: The key of the record in a notebook's top-level metadata.
KEY = "shizhong_inputs"
#: Output data left out of the cells' hash (see the module docstring).
IGNORED_OUTPUT_DATA = frozenset({"image/png"})
#: Folders of the book whose files are never inputs (builds, environments, checkpoints).
_SKIP_PARTS = frozenset({"_build", "__pycache__", ".ipynb_checkpoints", ".git"})

_root: Path | None = None
_data: dict[str, str] = {}  # absolute path (or path#resource) -> SHA-256 at load time
_files: set[str] = set()  # absolute paths opened by the notebook's own code
_quiet = 0  # > 0 while sz.load() reads the package: its reads are not the notebook's


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical(value: Any) -> bytes:
    """JSON with sorted keys and no spaces: the same value always gives the same bytes."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


# --- in the kernel ----------------------------------------------------------------------------


def tracking() -> bool:
    """Whether this kernel records its inputs."""
    return _root is not None


def track(root: str | Path) -> None:
    """Record, from now on, what this process reads of the book in ``root``."""
    global _root
    if _root is None:
        sys.addaudithook(_audit)  # cannot be removed: the kernel ends with the notebook
    _root = Path(root).resolve()


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event != "open" or _quiet or _root is None:
        return
    path = args[0]
    if isinstance(path, int) or path is None:
        return
    try:
        _files.add(os.path.abspath(os.fsdecode(path)))
    except (TypeError, ValueError):
        return


@contextmanager
def unrecorded() -> Iterator[None]:
    """Files opened inside are not the notebook's reads (``sz.load()`` reads every file)."""
    global _quiet
    _quiet += 1
    try:
        yield
    finally:
        _quiet -= 1


def read(digests: Mapping[str, str]) -> None:
    """Note data the notebook read: ``{absolute path or path#resource: SHA-256}``."""
    if _root is None:
        return
    for path, digest in digests.items():
        # Two versions of one file in one run: the record can match neither.
        _data[path] = digest if _data.get(path, digest) == digest else "changed during the run"


def _package_dir() -> Path:
    return Path(__file__).resolve().parent


def _code() -> dict[str, str]:
    """``{shizhong/<module>.py: SHA-256}`` of every shizhong module imported in this process."""
    base = _package_dir()
    out = {}
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if (name == "shizhong" or name.startswith("shizhong.")) and file:
            path = Path(file).resolve()
            out[f"shizhong/{path.relative_to(base).as_posix()}"] = sha256(path.read_bytes())
    return dict(sorted(out.items()))


def _book_file(path: str) -> str | None:
    """``path`` relative to the book, if it is one of the book's own files, else None."""
    assert _root is not None
    plain = path.split("#", 1)[0]
    try:
        rel = Path(plain).relative_to(_root)
    except ValueError:
        return None
    if set(rel.parts) & _SKIP_PARTS or any(p.startswith(".venv") for p in rel.parts):
        return None
    if Path(plain).is_relative_to(_package_dir()) or not Path(plain).is_file():
        return None
    return rel.as_posix() + path[len(plain) :]


def report() -> dict[str, Any]:
    """The record of this kernel so far: ``{"data": {...}, "code": {...}}``."""
    if _root is None:
        raise RuntimeError("not tracking: call shizhong.inputs.track(root) first")
    data: dict[str, str] = {}
    for path, digest in _data.items():
        if (rel := _book_file(path)) is not None:
            data[rel] = digest
    for path in sorted(_files):
        rel = _book_file(path)
        if rel is not None and rel not in data and not rel.endswith(".ipynb"):
            data[rel] = sha256(Path(path).read_bytes())
    return {"data": dict(sorted(data.items())), "code": _code()}


# --- in the tools -------------------------------------------------------------------------------


def cells_digest(nb: Mapping[str, Any]) -> str:
    """SHA-256 of the code cells' sources and outputs, in order (see the module docstring)."""
    cells = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        outputs = []
        for out in cell.get("outputs", []):
            out = dict(out)
            if "text" in out:
                out["text"] = _joined(out["text"])
            if "data" in out:
                out["data"] = {
                    k: v if _is_json(k) else _joined(v)
                    for k, v in out["data"].items()
                    if k not in IGNORED_OUTPUT_DATA
                }
            outputs.append(out)
        cells.append({"source": _joined(cell["source"]), "outputs": outputs})
    return sha256(canonical(cells))


def _joined(text: Any) -> Any:
    """A multi-line string as in memory (a notebook file may store it as a list of lines)."""
    return "".join(text) if isinstance(text, list) else text


def _is_json(mime: str) -> bool:
    """A JSON mime type, whose lists are data, never split lines (as nbformat decides)."""
    return mime == "application/json" or (
        mime.startswith("application/") and mime.endswith("+json")
    )


def part_digest(descriptor: Mapping[str, Any], part: str) -> str | None:
    """SHA-256 of one part of a data package descriptor: ``sources``, or ``resources/<name>``
    (one resource: its path, schema and texts). None if there is no such part."""
    if part == "sources":
        return sha256(canonical(descriptor.get("sources")))
    kind, _, name = part.partition("/")
    for res in descriptor.get("resources", []) if kind == "resources" else []:
        if isinstance(res, dict) and res.get("name") == name:
            return sha256(canonical(res))
    return None


def _current(root: Path, entry: str, descriptors: dict[Path, Any]) -> str | None:
    """The SHA-256 of a data entry of a record as the book is now (None: missing)."""
    plain, _, resource = entry.partition("#")
    path = root / plain
    if not path.is_file():
        return None
    if not resource:
        return sha256(path.read_bytes())
    if path not in descriptors:
        try:
            descriptors[path] = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            descriptors[path] = {}
    return part_digest(descriptors[path], resource)


def stale(nb: Mapping[str, Any], root: str | Path) -> list[str]:
    """Why the notebook's stored outputs may not be what its inputs give now (empty: fresh)."""
    record = nb.get("metadata", {}).get(KEY)
    if not isinstance(record, dict):
        return ["no record of its inputs"]
    reasons = []
    if record.get("cells") != cells_digest(nb):
        reasons.append("its code cells or outputs changed")
    root, descriptors = Path(root), {}
    for entry, digest in (record.get("data") or {}).items():
        if _current(root, entry, descriptors) != digest:
            reasons.append(f"{entry} changed")
    base = _package_dir().parent
    for entry, digest in (record.get("code") or {}).items():
        path = base / entry
        if not path.is_file() or sha256(path.read_bytes()) != digest:
            reasons.append(f"lib/{entry} changed")
    return reasons
