"""One Vega-Lite compiler for every kernel of a build.

vl-convert starts a JavaScript engine in each process that compiles its first chart: 0.3 to
0.5 s of CPU per kernel. ``tools/run_notebooks.py`` runs one compiler for all its kernels
instead (:func:`serving`) and names its socket in :data:`ENV`; :func:`shizhong.render.to_vega`
sends its specs there (:func:`request`). The Vega that comes back is vl-convert's, byte for
byte: the same library compiles it, in another process.

The socket is a file of the build's own, readable by its user only. A request is a spec as
JSON; the reply is JSON: ``{"vega": ...}``, or ``{"error": message}``, raised in the kernel as
a ``ValueError``: vl-convert's own message for a spec it refuses, else the failure's name and
message.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Final

__all__ = ["ENV", "address", "request", "serving"]

#: The environment variable that names the compiler's socket.
ENV: Final = "SHIZHONG_VEGA_SERVER"


def _compile(payload: bytes, vl_version: str) -> bytes:
    import vl_convert as vlc

    try:
        vega = vlc.vegalite_to_vega(vl_spec=json.loads(payload), vl_version=vl_version)
    except ValueError as error:  # vl-convert's refusal, passed on as it is
        return json.dumps({"error": str(error)}).encode()
    except Exception as error:  # anything else: named, for the kernel to raise
        return json.dumps({"error": f"{type(error).__name__}: {error}"}).encode()
    return json.dumps({"vega": vega}, ensure_ascii=False).encode()


@contextlib.asynccontextmanager
async def serving(vl_version: str) -> AsyncIterator[Path]:
    """Serve compilations on a socket of its own while the block runs; yield its path."""
    import asyncio  # here: a kernel that only sends imports neither
    from concurrent.futures import ThreadPoolExecutor

    engine = ThreadPoolExecutor(max_workers=1)  # one engine; compilations in turn
    loop = asyncio.get_running_loop()

    async def answer(reader: Any, writer: Any) -> None:  # asyncio.StreamReader, StreamWriter
        try:
            payload = await reader.read()
            writer.write(await loop.run_in_executor(engine, _compile, payload, vl_version))
            await writer.drain()
        except ConnectionError:
            pass  # the kernel went away: nobody to answer
        finally:
            writer.close()

    with tempfile.TemporaryDirectory(prefix="shizhong-vega-") as folder:
        path = Path(folder) / "compiler.sock"
        server = await asyncio.start_unix_server(answer, path=str(path))
        try:
            yield path
        finally:
            server.close()
            await server.wait_closed()
            engine.shutdown(wait=True)


def request(spec: dict[str, Any], path: str) -> dict[str, Any]:
    """The spec compiled by the compiler at ``path`` (``ValueError`` if it fails)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(path)
        conn.sendall(json.dumps(spec, ensure_ascii=False).encode())
        conn.shutdown(socket.SHUT_WR)
        received = b"".join(iter(lambda: conn.recv(1 << 16), b""))
    if not received:
        raise RuntimeError(f"the Vega-Lite compiler at {path} closed without a reply")
    reply = json.loads(received)
    if "error" in reply:
        raise ValueError(reply["error"])
    return reply["vega"]


def address() -> str | None:
    """The compiler's socket named in :data:`ENV`, if it is there."""
    path = os.environ.get(ENV)
    return path if path and os.path.exists(path) else None
