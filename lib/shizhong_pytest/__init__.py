"""The book's test side, installed beside :mod:`shizhong` but never imported by it.

* :mod:`.kernels` -- pytest plugin: nbval's kernels on socket files of their own.
* :mod:`.nbcheck` -- pytest plugin: strict nbval also compares each output's edition
  metadata and the prose's stored values.
* :mod:`.site` -- serve a built book on 127.0.0.1 and open it in Debian's Chromium (the
  browser tests and ``tools/bench.py``).

pyproject.toml loads both plugins (``-p shizhong_pytest.kernels -p shizhong_pytest.nbcheck``).
"""
