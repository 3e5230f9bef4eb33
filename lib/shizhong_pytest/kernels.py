"""A pytest plugin (``-p shizhong_pytest.kernels``): nbval's kernels listen on socket files of
their own (:class:`shizhong.kernels.SocketKernelManager`), as ``make notebooks``'s do, so
notebooks checked in parallel processes cannot take each other's ports."""

from __future__ import annotations

import pytest

from shizhong.kernels import SocketKernelManager


def pytest_configure(config: pytest.Config) -> None:
    """Give nbval's kernels sockets of their own."""
    import nbval.kernel

    nbval.kernel.KernelManager = SocketKernelManager  # nbval builds its manager by this name
