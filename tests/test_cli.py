"""``python -m shizhong validate``: exit codes and messages, never a traceback."""

from __future__ import annotations

import subprocess
import sys

from .conftest import DATA, ROOT, set_cell


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shizhong", *args], capture_output=True, text=True, cwd=ROOT
    )


def test_valid_data_exits_0():
    done = run("validate")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "valid: data"
    assert run("validate", str(DATA)).returncode == 0


def test_bad_data_exits_1_with_one_line_per_problem(data_copy):
    set_cell(data_copy / "indicators.csv", "finance_tax", "unit", "斤")
    set_cell(data_copy / "indicators.csv", "finance_hq_count", "value", "7O")
    done = run("validate", str(data_copy))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 3, lines
    assert lines[-1] == "invalid: 2 problems"
    assert "Traceback" not in done.stderr
    assert all(line.startswith("data/indicators.csv: line ") for line in lines[:2])


def test_missing_folder_exits_1(tmp_path):
    done = run("validate", str(tmp_path / "nowhere"))
    assert done.returncode == 1
    assert "datapackage.json: not found" in done.stderr
    assert "Traceback" not in done.stderr


def test_usage_error_exits_2():
    assert run("frobnicate").returncode == 2


def test_hostile_cell_gets_one_escaped_line(data_copy):
    set_cell(data_copy / "indicators.csv", "finance_tax", "note", "ok\u202e\n{{ 7*191 }}")
    done = run("validate", str(data_copy))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines[-1] == "invalid: 3 problems", lines
    assert all(line.startswith("data/indicators.csv: line ") for line in lines[:-1]), lines
    assert "\u202e" not in done.stderr and "(U+202E RIGHT-TO-LEFT OVERRIDE)" in done.stderr
    assert "contains template syntax '{{'" in done.stderr
