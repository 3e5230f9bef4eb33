"""The GitHub workflows: actionlint and zizmor pass on them and fail on broken copies; every
action is pinned by commit SHA and every job states its permissions."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
BIN = Path(sys.executable).parent
SHA = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def _lint(folder: Path) -> list[subprocess.CompletedProcess]:
    files = sorted(str(p) for p in folder.glob("*.yml"))
    return [
        subprocess.run([str(BIN / "actionlint"), "-no-color", *files],
                       capture_output=True, text=True, check=False),
        subprocess.run([str(BIN / "zizmor"), "--offline", "--no-progress",
                        "--strict-collection", str(folder)],
                       capture_output=True, text=True, check=False),
    ]  # fmt: skip


def test_workflows_pass_actionlint_and_zizmor():
    for done in _lint(WORKFLOWS):
        assert done.returncode == 0, done.args[0] + "\n" + done.stdout + done.stderr


@pytest.mark.parametrize(
    ("old", "new", "tool"),
    [
        ("@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1", "@v7", 1),
        ("      contents: read # check out the repository, nothing else", "      - oops", 0),
        ("run: make test", "run: make test ${{ github.event.pull_request.title }}", 1),
        ("        with:\n          persist-credentials: false\n", "", 1),
    ],
    ids=["unpinned", "syntax", "template-injection", "credentials-kept"],
)
def test_a_broken_workflow_fails_the_lint(tmp_path, old, new, tool):
    folder = tmp_path / ".github" / "workflows"
    shutil.copytree(WORKFLOWS, folder)
    path = folder / "test.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert _lint(folder)[tool].returncode != 0


def test_every_action_pinned_and_every_job_with_permissions():
    for path in sorted(WORKFLOWS.glob("*.yml")):
        flow = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert flow["permissions"] == {}, f"{path.name}: the workflow grants nothing by default"
        for name, job in flow["jobs"].items():
            assert "permissions" in job, f"{path.name}: job {name} states no permissions"
            for step in job.get("steps", []):
                if "uses" in step:
                    assert SHA.match(step["uses"]), f"{path.name}: {step['uses']} not by SHA"
