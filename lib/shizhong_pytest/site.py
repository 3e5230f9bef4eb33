"""Serve a built book on 127.0.0.1 and open it in Debian's Chromium (the browser tests and
``tools/bench.py``)."""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

import yaml

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Route

#: Debian's Chromium: Playwright's own browser download cannot work offline.
CHROMIUM: Final = "/usr/bin/chromium"
#: No background traffic (updates, sync, safe browsing) from the test browser.
CHROMIUM_ARGS: Final = (
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
)


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, driven by Playwright, closed on leaving."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            browser.close()


def is_local(url: str) -> bool:
    """A request that stays on this machine: 127.0.0.1, or ``data:`` and ``blob:`` URLs."""
    return url.startswith(("data:", "blob:")) or urlsplit(url).hostname == "127.0.0.1"


def local_only(route: Route) -> None:
    """A Playwright route handler: let local requests through, abort anything else."""
    if is_local(route.request.url):
        route.continue_()
    else:
        route.abort("blockedbyclient")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # no access log
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Ignore a browser closing a connection early (a page navigated away)."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """``http://127.0.0.1:<port>/`` serving ``directory`` (plain, uncompressed)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="book-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def toc_files(node: object) -> Iterator[str]:
    """Every ``root`` / ``file`` entry of a parsed ``_toc.yml``, depth first."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("root", "file") and isinstance(value, str):
                yield value
            else:
                yield from toc_files(value)
    elif isinstance(node, list):
        for item in node:
            yield from toc_files(item)


def read_toc(book: Path) -> dict[str, Any]:
    """The parsed ``_toc.yml`` of the book in ``book``."""
    return yaml.safe_load((book / "_toc.yml").read_text(encoding="utf-8"))
