"""The kernels of a build share one Vega-Lite compiler (``shizhong.vega_server``): a kernel
that sends its specs there starts no vl-convert of its own and gets vl-convert's Vega byte for
byte; a spec vl-convert refuses fails in the kernel with vl-convert's message."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from shizhong import render, vega_server

from .conftest import nonempty
from .test_vega_cache import stored_charts


@pytest.fixture(scope="module")
def compiler() -> Iterator[Path]:
    """A compiler served from a thread of this process while the module's tests run."""
    ready: list[Path] = []
    stop = threading.Event()

    async def main() -> None:
        async with vega_server.serving(render.VL_VERSION) as path:
            ready.append(path)
            while not stop.is_set():
                await asyncio.sleep(0.02)

    thread = threading.Thread(target=asyncio.run, args=(main(),))
    thread.start()
    while not ready and thread.is_alive():
        stop.wait(0.02)
    assert ready, "the compiler did not start"
    yield ready[0]
    stop.set()
    thread.join(timeout=30)
    assert not ready[0].exists(), "the socket outlived the compiler"


def _dump(vega: dict) -> str:
    return json.dumps(vega, ensure_ascii=False)  # key order as given: nothing sorted


def test_the_shared_compiler_gives_vl_convert_s_vega(compiler: Path) -> None:
    for spec, stored in nonempty(stored_charts("projects"), "chart in projects"):
        served = vega_server.request(spec, str(compiler))
        assert _dump(served) == _dump(render._compile(spec))  # no server named: in process
        assert json.dumps(served, sort_keys=True) == json.dumps(stored, sort_keys=True)


def test_a_refused_spec_fails_with_vl_convert_s_message(compiler: Path) -> None:
    spec = {"mark": "bar", "encoding": {"x": {"field": "a", "type": "bogus"}}}
    with pytest.raises(ValueError) as local:
        render._compile(spec)
    with pytest.raises(ValueError) as served:
        vega_server.request(spec, str(compiler))
    assert str(served.value) == str(local.value) != ""


def test_a_kernel_with_the_compiler_starts_no_vl_convert(compiler: Path, tmp_path: Path) -> None:
    spec, stored = stored_charts("economy")[0]
    code = (
        "import json, sys\n"
        "from shizhong import render\n"
        "vega = render.to_vega(json.loads(sys.stdin.read()))\n"
        "print('vl_convert' in sys.modules, json.dumps(vega, sort_keys=True))"
    )

    def run(cache: str, **env: str) -> tuple[str, str]:
        done = subprocess.run(
            [sys.executable, "-c", code], input=json.dumps(spec), capture_output=True,
            text=True, check=True,
            env={"PATH": "/usr/bin:/bin", render.VEGA_CACHE_ENV: str(tmp_path / cache), **env},
        )  # fmt: skip
        started, vega = done.stdout.split(" ", 1)
        return started, vega.strip()

    served = run("a", **{vega_server.ENV: str(compiler)})
    gone = run("b", **{vega_server.ENV: str(tmp_path / "no-such.sock")})  # falls back: in process
    assert served == ("False", json.dumps(stored, sort_keys=True))
    assert gone == ("True", served[1])


def test_a_failure_of_the_compiler_is_named(compiler: Path, monkeypatch: pytest.MonkeyPatch):
    """Not a refusal of the spec but a failure of vl-convert itself: the kernel's error names
    it."""
    import vl_convert

    def broken(**_: object) -> dict:
        raise RuntimeError("the engine stopped")

    monkeypatch.setattr(vl_convert, "vegalite_to_vega", broken)
    spec, _ = stored_charts("economy")[0]
    with pytest.raises(ValueError, match=r"^RuntimeError: the engine stopped$"):
        vega_server.request(spec, str(compiler))
