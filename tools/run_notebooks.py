"""Re-execute notebooks in place, in parallel, with deterministic metadata.

    python tools/run_notebooks.py notebooks/*.ipynb

Each notebook runs top to bottom in a fresh ``shizhong`` kernel, from its own folder,
exactly as nbval will re-run it, on Unix sockets of its own (``shizhong.kernels``). At each
Markdown cell the prose's inline expressions are evaluated and stored in the cell's metadata,
as JupyterLab does on Run All (``shizhong.prose``). Execution timestamps are not recorded.
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from shizhong import prose
from shizhong.kernels import KERNEL, AsyncSocketKernelManager


def execute(path: str) -> tuple[str, float]:
    """Run one notebook in place; return its path and the seconds it took."""
    start = time.perf_counter()
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name=KERNEL,
        kernel_manager_class=AsyncSocketKernelManager,
        shutdown_kernel="immediate",  # as nbval stops its kernels: outputs are all in by then
        timeout=600,
        record_timing=False,
        resources={"metadata": {"path": str(Path(path).parent)}},
    )
    with client.setup_kernel():
        info = client.wait_for_reply(client.kc.kernel_info())
        nb.metadata["language_info"] = info["content"]["language_info"]

        def run_code(index: int, cell: nbformat.NotebookNode) -> None:
            client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)

        def ask(expressions: dict[str, str]) -> dict:
            msg_id = client.kc.execute("", silent=True, store_history=False,
                                       user_expressions=expressions)  # fmt: skip
            return client.wait_for_reply(msg_id)["content"]

        try:
            prose.evaluate(nb.cells, run_code, ask)
        except (RuntimeError, ValueError) as error:
            raise SystemExit(f"{path}: {error}") from None
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Python (shizhong)",
                                 "language": "python"}  # fmt: skip
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)
    return path, time.perf_counter() - start


def main(paths: list[str]) -> int:
    """Execute ``paths`` on every core; fail on the first error."""
    workers = min(len(paths), os.cpu_count() or 1) or 1
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for path, seconds in pool.map(execute, paths):
            print(f"executed {path} in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
