"""Notebook kernels on Unix-domain sockets, each with socket files of its own.

The notebooks run in parallel processes (``make notebooks``, nbval under pytest-xdist). Over
TCP, jupyter_client picks free ports in one process and the kernel binds them a moment
later; a kernel of another process can take one in between, and the first kernel dies or
talks to the wrong client (jupyter_client#487). A socket path of one's own cannot be taken.

Also a pytest plugin (``-p shizhong.kernels`` in pyproject.toml): nbval's kernels use it too.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from typing import TYPE_CHECKING, Any

from jupyter_client.manager import AsyncKernelManager, KernelManager

if TYPE_CHECKING:
    import pytest

KERNEL = "shizhong"


def _own_socket() -> dict[str, str]:
    """Transport options: the ``ip`` of an ipc kernel is the stem of its socket files."""
    stem = os.path.join(tempfile.gettempdir(), f"kernel-{uuid.uuid4().hex}")
    return {"transport": "ipc", "ip": stem}


class SocketKernelManager(KernelManager):
    """A kernel manager whose kernel listens on socket files of its own."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**{**_own_socket(), **kwargs})


class AsyncSocketKernelManager(AsyncKernelManager):
    """The same, for nbclient."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**{**_own_socket(), **kwargs})


def pytest_configure(config: pytest.Config) -> None:
    """Give nbval's kernels sockets of their own."""
    import nbval.kernel

    nbval.kernel.KernelManager = SocketKernelManager  # nbval builds its manager by this name
