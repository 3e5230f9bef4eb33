"""Notebook kernels on Unix-domain sockets, each with socket files of its own.

The notebooks run in parallel kernels (``make notebooks``, nbval under pytest-xdist). Over
TCP, jupyter_client picks free ports in one process and the kernel binds them a moment
later; a kernel of another process can take one in between, and the first kernel dies or
talks to the wrong client (jupyter_client#487). A socket path of one's own cannot be taken.

``tools/run_notebooks.py`` executes the notebooks with :class:`AsyncSocketKernelManager`; the
pytest plugin :mod:`shizhong_pytest.kernels` gives nbval's kernels :class:`SocketKernelManager`.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from typing import Any

from jupyter_client.manager import AsyncKernelManager, KernelManager

#: The kernel spec the notebooks run with (``make venv`` installs it into .venv).
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
