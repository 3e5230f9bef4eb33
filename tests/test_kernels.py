"""Every kernel the tests and tools start listens on socket files of its own, so notebooks
run in parallel processes cannot take each other's ports (see ``shizhong.kernels`` and the
pytest plugin ``shizhong_pytest.kernels``)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from nbval.kernel import RunningKernel

from shizhong.kernels import KERNEL, SocketKernelManager


def _answer(kernel: RunningKernel) -> tuple[str, str, str]:
    """The kernel's transport, its socket stem, and what it prints."""
    lines: list[str] = []
    kernel.kc.execute_interactive(
        "print(6 * 7)",
        timeout=60,
        output_hook=lambda m: lines.append(m["content"].get("text", "")),
    )
    return kernel.km.transport, kernel.km.ip, "".join(lines).strip()


def test_nbval_kernels_listen_on_sockets_of_their_own() -> None:
    with ThreadPoolExecutor(4) as pool:
        kernels = list(pool.map(lambda _: RunningKernel(KERNEL), range(4)))
    try:
        answers = [_answer(k) for k in kernels]
    finally:
        for kernel in kernels:
            kernel.stop()
    assert [(t, out) for t, _, out in answers] == [("ipc", "42")] * 4
    stems = [ip for _, ip, _ in answers]
    assert len(set(stems)) == 4, stems
    assert not [p for s in stems for p in Path(s).parent.glob(Path(s).name + "-*")], "left behind"


def test_each_manager_gets_a_new_socket_stem() -> None:
    a, b = SocketKernelManager(kernel_name=KERNEL), SocketKernelManager(kernel_name=KERNEL)
    assert a.transport == b.transport == "ipc"
    assert a.ip != b.ip
