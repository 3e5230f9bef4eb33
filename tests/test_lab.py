"""Rerunning the chapters in JupyterLab (``make lab``).

* The book's environment (``.venv``) holds no JupyterLab, so Lab's packages cannot slow the
  kernels: ``import shizhong, altair`` there does not import ``rfc3987_syntax``.
* Each output's mime types rank as intended: the HTML book draws the Vega spec, the PDF the
  Vega-Lite spec, and an ``image/png`` that Lab saves beside a chart changes neither, nor
  strict nbval.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from shizhong.render import VEGA_MIME, VEGALITE_MIME

from .conftest import DATA, ROOT

# A 1x1 PNG, as Lab adds a PNG rendering of each chart when it saves a notebook.
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c63f8cf00000301010018dd8db00000000049454e44ae426082"
    )
).decode("ascii")


def test_book_environment_has_no_jupyterlab() -> None:
    """Lab lives in ``.venv-lab``: the kernel's imports stay as fast as without it."""
    code = (
        "import importlib.util, sys\n"
        "import shizhong, altair\n"
        "import shizhong.render, shizhong.chart\n"
        "print(json.dumps({'rfc3987_syntax': 'rfc3987_syntax' in sys.modules,"
        " 'jsonschema': 'jsonschema' in sys.modules,"
        " 'jupyterlab': importlib.util.find_spec('jupyterlab') is not None,"
        " 'jupyter_server': importlib.util.find_spec('jupyter_server') is not None}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", "import json\n" + code],
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout  # fmt: skip
    seen = json.loads(out)
    assert seen["jsonschema"], "altair no longer imports jsonschema: update this test"
    assert not seen["rfc3987_syntax"], "importing altair loads rfc3987_syntax (Lab's packages)"
    assert not seen["jupyterlab"], f"JupyterLab is installed in {sys.prefix}; keep it in .venv-lab"
    assert not seen["jupyter_server"], f"jupyter_server is installed in {sys.prefix}"


def test_mime_priorities() -> None:
    """HTML builders take the Vega spec and LaTeX the Vega-Lite spec, before a saved PNG."""
    from myst_nb.core.render import get_mime_priority

    bundle = {VEGA_MIME, VEGALITE_MIME, "image/png", "text/plain"}
    for builder in ("html", "dirhtml", "singlehtml"):
        picked = next(m for m in get_mime_priority(builder, []) if m in bundle)
        assert picked == VEGA_MIME, builder
    picked = next(m for m in get_mime_priority("latex", []) if m in bundle)
    assert picked == VEGALITE_MIME


def _with_png(source: Path, target: Path, change: bool = False) -> int:
    """Copy a notebook, adding a PNG beside every chart (and, with ``change``, altering
    each chart's description); return the number of charts."""
    nb = nbformat.read(source, as_version=4)
    charts = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if VEGA_MIME in data:
                charts += 1
                data["image/png"] = PNG
                if change:
                    data[VEGA_MIME]["description"] += " (changed)"
    nbformat.write(nb, target)
    return charts


def _nbval(path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SHIZHONG_DATA": str(DATA)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "-q", "-p", "no:cacheprovider",
         "--rootdir", str(path.parent), str(path)],
        capture_output=True, text=True, cwd=path.parent, env=env,
    )  # fmt: skip


@pytest.mark.slow
def test_strict_nbval_ignores_a_png_saved_beside_a_chart(tmp_path: Path) -> None:
    """A notebook saved from Lab (a PNG beside each chart) still passes strict nbval, which
    still catches a changed chart."""
    saved = tmp_path / "saved" / "overview.ipynb"
    changed = tmp_path / "changed" / "overview.ipynb"
    for path in (saved, changed):
        path.parent.mkdir()
    assert _with_png(ROOT / "notebooks" / "overview.ipynb", saved) >= 1
    _with_png(ROOT / "notebooks" / "overview.ipynb", changed, change=True)
    ok = _nbval(saved)
    assert ok.returncode == 0, ok.stdout[-3000:]
    bad = _nbval(changed)
    assert bad.returncode == 1, bad.stdout[-3000:]
    assert VEGA_MIME in bad.stdout and "(changed)" in bad.stdout
