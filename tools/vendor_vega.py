"""Fetch the Vega runtime and vega-tooltip from npm into lib/shizhong/static/vendor/.

    python tools/vendor_vega.py

The book compiles every chart from Vega-Lite to Vega when a notebook runs (vl-convert), so
readers' browsers need only the Vega runtime (512 KB), not vl-convert's bundle of Vega,
the Vega-Lite compiler and vega-embed (898 KB). The Vega version is the one vl-convert
compiles for. vega-tooltip ships only as an ES module that imports three helpers from
vega-util; they are taken from the Vega global instead, and the module is wrapped in a
function that sets ``window.vegaTooltip``. Run this again after upgrading vl-convert.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import vl_convert as vlc

OUT = Path(__file__).resolve().parents[1] / "lib" / "shizhong" / "static" / "vendor"
TOOLTIP = "1.1.0"
IMPORT = "import { isArray, isString, isObject } from 'vega-util';"


def unpack(spec: str, tmp: Path) -> Path:
    """`npm pack` a package and return its unpacked folder."""
    name = (
        subprocess.run(
            ["npm", "pack", spec, "--silent"], cwd=tmp, capture_output=True, text=True, check=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    target = tmp / spec.replace("@", "-")
    with tarfile.open(tmp / name) as tar:
        tar.extractall(target, filter="data")
    return target / "package"


def main() -> int:
    """Write vega.min.js, vega-tooltip.js and their licences."""
    vega_version = vlc.get_vega_version()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        vega = unpack(f"vega@{vega_version}", Path(tmp))
        tooltip = unpack(f"vega-tooltip@{TOOLTIP}", Path(tmp))
        (OUT / "vega.min.js").write_bytes(
            f"/* vega {vega_version} (BSD-3-Clause) */\n".encode()
            + (vega / "build" / "vega.min.js").read_bytes()
        )
        source = (tooltip / "build" / "index.js").read_text(encoding="utf-8")
        if not source.startswith(IMPORT):
            sys.exit("vega-tooltip's imports changed: review the patch in this script")
        source = source.replace(IMPORT, "const { isArray, isString, isObject } = window.vega;", 1)
        source, n = re.subn(r"^export \{[^}]*\};\s*$", "", source, flags=re.M)
        if n != 1:
            sys.exit("vega-tooltip's exports changed: review the patch in this script")
        (OUT / "vega-tooltip.js").write_text(
            f"/* vega-tooltip {TOOLTIP} (BSD-3-Clause), wrapped for a plain <script> */\n"
            f"(function () {{\n{source}\nwindow.vegaTooltip = {{ Handler: Handler }};\n}})();\n",
            encoding="utf-8",
        )
        license_text = (
            f"vega {vega_version}\n\n{(vega / 'LICENSE').read_text()}\n\n"
            f"vega-tooltip {TOOLTIP}\n\n{(tooltip / 'LICENSE').read_text()}"
        )
        (OUT / "LICENSES.txt").write_text(license_text, encoding="utf-8")
    print(f"vendored vega {vega_version} and vega-tooltip {TOOLTIP} into {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
