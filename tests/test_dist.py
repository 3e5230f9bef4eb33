"""The release archive of `make dist`: what it holds, that it packs reproducibly, and that the
extracted copy checks and reads offline: sha256sum, frictionless and Chromium from file://."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from shizhong import release
from shizhong_pytest.site import chromium

from .conftest import ROOT, load_tool

pytestmark = pytest.mark.slow

REL = release.read(ROOT)
ARCHIVE = ROOT / "dist" / REL.archive
TOP = {
    "CHANGELOG.md", "CITATION.cff", "LICENSE", "LICENSE-CC-BY-4.0.txt", "NOTICE.md",
    "README.md", "SHA256SUMS", "data", "html", "pdf", "references.bib", "source",
}  # fmt: skip
MUST = (
    "html/index.html", "html/notebooks/economy.html", "html/shizhong-2019.pdf",
    "html/zh/index.html", "html/zh/notebooks/economy.html", "html/zh/shizhong-2019.zh.pdf",
    "pdf/shizhong-2019.pdf", "pdf/shizhong-2019.zh.pdf", "data/datapackage.json",
    "data/raw/shizhong-2019-review.zh.txt", "source/Makefile", "source/CITATION.cff",
)  # fmt: skip
LITTER = {".doctrees", ".buildinfo", "jupyter_execute", "bench", "screenshots", "__pycache__"}
ALL_DRAWN_JS = """() => Array.from(document.querySelectorAll('.shizhong-chart')).every(
  c => c.querySelector('.shizhong-chart-view svg g.role-mark > *') !== null)"""


def _tool():
    return load_tool("make_dist")


@pytest.fixture(scope="module")
def archive() -> Path:
    if not ARCHIVE.is_file():
        pytest.fail(f"no {ARCHIVE.name}: run `make dist` first", pytrace=False)
    return ARCHIVE


@pytest.fixture(scope="module")
def folder(archive, tmp_path_factory) -> Path:
    """The archive extracted into a temporary folder; its one top folder."""
    target = tmp_path_factory.mktemp("dist")
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    (top,) = target.iterdir()
    return top


def test_holds_both_editions_pdfs_data_citation_and_licences(folder):
    assert folder.name == REL.folder
    assert {p.name for p in folder.iterdir()} == TOP
    missing = [name for name in MUST if not (folder / name).is_file()]
    assert not missing
    csvs = {p.name for p in (ROOT / "data").glob("*.csv")}
    assert csvs and csvs == {p.name for p in (folder / "data").glob("*.csv")}


def test_no_build_litter(archive):
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    found = [n for n in names if set(n.split("/")) & LITTER or n.endswith((".pyc", ".png.tmp"))]
    assert not found, found[:10]


def test_entries_sorted_owned_by_root_fixed_modes_and_dates(archive):
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    with tarfile.open(archive) as tar:
        members = tar.getmembers()
    assert [m.name for m in members] == sorted(m.name for m in members)
    assert {(m.uid, m.gid, m.uname, m.gname) for m in members} == {(0, 0, "root", "root")}
    assert {m.mode for m in members if m.isdir()} == {0o755}
    assert {m.mode for m in members if m.isfile()} == {0o644}
    assert len({m.mtime for m in members}) == 1
    if epoch:
        assert members[0].mtime == epoch
    header = archive.read_bytes()[:10]
    assert header[3] & 0x08 == 0, "gzip header stores a file name"
    assert int.from_bytes(header[4:8], "little") == members[0].mtime


def test_packing_twice_gives_the_same_bytes(archive, tmp_path):
    """Packing the same build twice gives identical bytes, equal to `make dist`'s archive."""
    tool = _tool()
    with tarfile.open(archive) as tar:
        epoch = tar.getmembers()[0].mtime
    files = tool.members(ROOT / "_build")
    for name in ("a", "b"):
        tool.write(files, REL.folder, tmp_path / name / REL.archive, epoch)
    one, two = (tmp_path / n / REL.archive for n in ("a", "b"))
    assert one.read_bytes() == two.read_bytes() == archive.read_bytes()
    with gzip.open(one) as gz:
        assert gz.read(1)  # a valid gzip stream


def _sha256sum(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["sha256sum", "--check", "--strict", "SHA256SUMS"],
        cwd=folder, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_checksums_cover_every_file_and_pass(folder, tmp_path):
    done = _sha256sum(folder)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr
    listed = {line.split("  ", 1)[1] for line in (folder / "SHA256SUMS").read_text().splitlines()}
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert listed == files - {"SHA256SUMS"}
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    with (copy / "data" / "indicators.csv").open("a", encoding="utf-8") as f:
        f.write("\n")
    assert _sha256sum(copy).returncode != 0, "a changed file passed the checksums"


def _frictionless(folder: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("frictionless")
    return subprocess.run(
        [str(exe), "validate", "datapackage.json"],
        cwd=folder / "data", capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_frictionless_validates_the_extracted_package(folder, tmp_path):
    done = _frictionless(folder)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    copy = tmp_path / "data-copy"
    shutil.copytree(folder / "data", copy / "data")
    rates = copy / "data" / "exchange_rates.csv"
    lines = rates.read_text(encoding="utf-8").splitlines()
    lines[1] = ",".join("not-a-number" if c.replace(".", "").isdigit() else c
                        for c in lines[1].split(","))  # fmt: skip
    rates.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _frictionless(copy).returncode != 0, "frictionless accepted a broken table"


def _chart_pages(html: Path) -> Iterator[Path]:
    for page in sorted(html.glob("notebooks/*.html")):
        if 'class="shizhong-chart"' in page.read_text(encoding="utf-8"):
            yield page


@pytest.mark.browser
@pytest.mark.parametrize("edition", ["html", "html/zh"])
def test_both_editions_read_offline_from_file_urls(folder, edition):
    """Chromium opens every chapter page with charts from file://, draws every chart, and
    asks no other host for anything."""
    pages = list(_chart_pages(folder / edition))
    assert len(pages) >= 5
    requests: list[str] = []
    errors: list[str] = []
    with chromium() as browser:
        context = browser.new_context()
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(("file:", "data:", "blob:"))
                else route.abort("blockedbyclient")
            ),
        )
        for path in pages:
            page = context.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e, p=path: errors.append(f"{p.name}: {e}"))
            page.goto(path.as_uri(), wait_until="load")
            page.wait_for_function(ALL_DRAWN_JS, timeout=20_000)
            assert page.locator(".shizhong-chart").count() >= 1
            page.close()
        context.close()
    outside = [url for url in requests if not url.startswith(("file:", "data:", "blob:"))]
    assert not outside, outside[:10]
    assert not errors, errors
