"""Re-execute notebooks in place, in parallel, with deterministic metadata; or check that
their stored outputs are not stale.

    python tools/run_notebooks.py notebooks/*.ipynb            # execute these
    python tools/run_notebooks.py --stale notebooks/*.ipynb    # execute the stale ones only
    python tools/run_notebooks.py --check notebooks/*.ipynb    # exit 1 naming the stale ones
    python tools/run_notebooks.py --list notebooks/*.ipynb     # print the stale ones

Each notebook runs top to bottom in a fresh ``shizhong`` kernel, from its own folder,
exactly as nbval will re-run it, on Unix sockets of its own (``shizhong.kernels``). At each
Markdown cell the prose's inline expressions are evaluated and their results stored in the
cell's metadata, as JupyterLab does on Run All (``shizhong.prose``). The kernels share one
Vega-Lite compiler (``shizhong.vega_server``) rather than start one each.
Execution timestamps are not recorded. The kernel also records what the notebook read and
ran (``shizhong.inputs``), in code that runs before the first cell and after the last one,
out of the notebook's history; the record goes to the notebook's metadata
(``shizhong_inputs``). Only this tool writes it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shlex
import sys
import time
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbclient.util import ensure_async

from shizhong import inputs, prose, vega_server
from shizhong.kernels import KERNEL, AsyncSocketKernelManager
from shizhong.render import VL_VERSION

TRACK = "import shizhong.inputs as _shizhong_inputs\n_shizhong_inputs.track({root!r})"
REPORT = "import json as _json\nprint(_json.dumps(_shizhong_inputs.report()))"
REFRESH = ".venv/bin/python tools/run_notebooks.py"


def book_root(path: Path) -> Path:
    """The book a notebook belongs to: the nearest folder above it that holds
    ``data/datapackage.json`` (else the notebook's own folder)."""
    here = path.resolve().parent
    for folder in (here, *here.parents):
        if (folder / "data" / "datapackage.json").is_file():
            return folder
    return here


async def _hidden(client: NotebookClient, source: str) -> Any:
    """Run code in the kernel out of the notebook's history; return its cell. (nbclient puts
    an executed cell at its index in the notebook: the cell stays there only meanwhile.)"""
    cell = nbformat.v4.new_code_cell(source)
    client.nb.cells.append(cell)
    try:
        await client.async_execute_cell(cell, len(client.nb.cells) - 1, store_history=False)
    finally:
        client.nb.cells.pop()
    return cell


async def _store_prose(client: NotebookClient, cell: nbformat.NotebookNode) -> None:
    """Evaluate a Markdown cell's inline expressions here, as Lab's Run All does, and store
    the results in its metadata (or drop stale ones from a cell that has none now)."""
    found = prose.expressions(cell.source)
    if not found:
        cell.metadata.pop(prose.METADATA, None)
        return
    for expression in found:
        prose.parse(expression)
    assert client.kc is not None
    msg_id = client.kc.execute(
        "", silent=True, store_history=False, user_expressions=prose.request(found)
    )
    reply = await client.async_wait_for_reply(msg_id)
    assert reply is not None
    cell.metadata[prose.METADATA] = prose.record(found, reply["content"])


async def _run(client: NotebookClient, root: Path) -> dict[str, Any]:
    """``NotebookClient.async_execute``, between the two hidden cells; return the record."""
    client.reset_execution_trackers()
    async with client.async_setup_kernel():
        assert client.kc is not None
        reply = await client.async_wait_for_reply(await ensure_async(client.kc.kernel_info()))
        assert reply is not None
        client.nb.metadata["language_info"] = reply["content"]["language_info"]
        await _hidden(client, TRACK.format(root=str(root)))
        client.code_cells_executed = 0  # the notebook's cells are numbered from 1
        for index, cell in enumerate(client.nb.cells):
            if cell.cell_type == "markdown":
                await _store_prose(client, cell)
                continue
            await client.async_execute_cell(
                cell, index, execution_count=client.code_cells_executed + 1
            )
        report = await _hidden(client, REPORT)
    text = "".join(o.get("text", "") for o in report.outputs if o.get("name") == "stdout")
    return json.loads(text.strip().splitlines()[-1])


class Failed(Exception):
    """A notebook that did not run to its end."""


async def execute(path: str) -> tuple[str, float]:
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
    try:
        record = await _run(client, book_root(Path(path)))
    except (CellExecutionError, RuntimeError, ValueError) as error:  # a cell, or the prose
        raise Failed(f"{path}: {error}") from None
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Python (shizhong)",
                                 "language": "python"}  # fmt: skip
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nb.metadata[inputs.KEY] = {"cells": inputs.cells_digest(nb), **record}
    nbformat.write(nb, path)
    return path, time.perf_counter() - start


def stale(paths: list[str]) -> dict[str, list[str]]:
    """``{path: reasons}`` of the notebooks whose stored outputs may be stale."""
    out = {}
    for path in paths:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
        if reasons := inputs.stale(nb, book_root(Path(path))):
            out[path] = reasons
    return out


async def _execute_all(paths: list[str], workers: int) -> None:
    """Run ``paths``, ``workers`` at a time, their kernels sharing one Vega-Lite compiler.
    The first failure stops the others (their kernels are shut down) before the compiler."""
    turn = asyncio.Semaphore(workers)

    async def one(path: str) -> None:
        async with turn:
            path, seconds = await execute(path)
        print(f"executed {path} in {seconds:.1f} s", flush=True)

    async with vega_server.serving(VL_VERSION) as compiler:
        os.environ[vega_server.ENV] = str(compiler)  # the kernels inherit it
        try:
            async with asyncio.TaskGroup() as group:
                for path in paths:
                    group.create_task(one(path))
        finally:
            del os.environ[vega_server.ENV]


def run(paths: list[str]) -> int:
    """Execute ``paths``, as many at a time as there are cores; fail on the first error."""
    if not paths:
        print("no notebook to execute")
        return 0
    try:
        asyncio.run(_execute_all(paths, min(len(paths), os.cpu_count() or 1) or 1))
    except* Failed as group:
        raise SystemExit("\n".join(map(str, group.exceptions))) from None
    return 0


def _short(reasons: list[str]) -> str:
    more = f" and {len(reasons) - 2} more" if len(reasons) > 2 else ""
    return ", ".join(reasons[:2]) + more


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="exit 1 if any is stale; run none")
    mode.add_argument("--stale", action="store_true", help="execute only the stale ones")
    mode.add_argument("--list", action="store_true", help="print the stale ones; run none")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(stale(args.notebooks)))
        return 0
    if args.check:
        found = stale(args.notebooks)
        if found:
            named = "; ".join(f"{p} ({_short(r)})" for p, r in found.items())
            print(f"stale outputs, executed against other inputs: {named}. Refresh them: "
                  f"make notebooks, or {REFRESH} {shlex.join(found)}", file=sys.stderr)  # fmt: skip
            return 1
        return 0
    return run(list(stale(args.notebooks)) if args.stale else args.notebooks)


if __name__ == "__main__":
    sys.exit(main())
