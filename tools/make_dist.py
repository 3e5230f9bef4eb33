"""Pack a release: dist/shizhong-2019-<version>.tar.gz, byte-reproducible.

    python tools/make_dist.py [--out DIR]   # after `make book`; `make dist` does both

The archive holds one folder, ``shizhong-2019-<version>/``, with both HTML editions
(``html/``, 中文 in ``html/zh/``), both PDFs (``pdf/``), the data package (``data/``), the
repository's files at this commit (``source/``, from ``git archive``), CITATION.cff,
references.bib, README, CHANGELOG, the licence files and ``SHA256SUMS`` over every other
file. Entries are sorted, owned by root with modes 0644/0755, and dated SOURCE_DATE_EPOCH;
gzip stores no name or time, so two runs at one commit give the same bytes. Build state
(``.doctrees``, ``.buildinfo``, ``jupyter_execute``, bench results, screenshots) stays out.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import os
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from shizhong.release import LICENCES, read  # noqa: E402

TOP_FILES = ("README.md", "CHANGELOG.md", "CITATION.cff", "references.bib", "NOTICE.md")
PDFS = ("shizhong-2019.pdf", "shizhong-2019.zh.pdf")
#: Names of build state never packed, wherever they are.
LITTER = {".doctrees", ".buildinfo", "jupyter_execute", "reports", ".ipynb_checkpoints"}
LITTER_SUFFIXES = (".png.tmp", ".pyc")


def _tree(folder: Path, prefix: str) -> dict[str, bytes]:
    """Every file under ``folder`` except build litter, keyed by ``prefix/relative path``."""
    files = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if set(rel.parts) & LITTER or path.name.endswith(LITTER_SUFFIXES) or not path.is_file():
            continue
        files[f"{prefix}/{rel.as_posix()}"] = path.read_bytes()
    return files


def _source() -> dict[str, bytes]:
    """The repository's tracked files at HEAD (``git archive``)."""
    tar = subprocess.run(["git", "archive", "--format=tar", "HEAD"], cwd=ROOT,
                         capture_output=True, check=True).stdout  # fmt: skip
    files = {}
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        for member in archive.getmembers():
            if member.isfile():
                files[f"source/{member.name}"] = archive.extractfile(member).read()
    return files


def members(build: Path) -> dict[str, bytes]:
    """Path in the archive's folder → content, for every file, SHA256SUMS included."""
    html = build / "html"
    missing = [p for p in (html / "index.html", html / "zh" / "index.html") if not p.is_file()]
    missing += [build / "pdf" / name for name in PDFS if not (build / "pdf" / name).is_file()]
    if missing:
        raise SystemExit(f"missing {', '.join(map(str, missing))}: run `make book` first")
    files = {name: (ROOT / name).read_bytes() for name in (*TOP_FILES, *LICENCES)}
    files |= {f"pdf/{name}": (build / "pdf" / name).read_bytes() for name in PDFS}
    files |= _tree(html, "html") | _tree(ROOT / "data", "data") | _source()
    sums = "".join(f"{hashlib.sha256(files[name]).hexdigest()}  {name}\n" for name in sorted(files))
    return {**files, "SHA256SUMS": sums.encode()}


def _info(name: str, epoch: int, size: int | None) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.mtime, info.uid, info.gid, info.uname, info.gname = epoch, 0, 0, "root", "root"
    if size is None:
        info.type, info.mode = tarfile.DIRTYPE, 0o755
    else:
        info.size, info.mode = size, 0o644
    return info


def write(files: dict[str, bytes], folder: str, target: Path, epoch: int) -> None:
    """Write ``files`` under ``folder/`` into the gzipped tar ``target``, reproducibly."""
    dirs = {folder} | {
        f"{folder}/" + "/".join(name.split("/")[:i])
        for name in files
        for i in range(1, name.count("/") + 1)
    }
    entries = sorted([(d, None) for d in dirs] + [(f"{folder}/{n}", n) for n in files])
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        target.open("wb") as raw,
        gzip.GzipFile("", "wb", 9, raw, mtime=epoch) as gz,
        tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        for path, name in entries:
            if name is None:
                tar.addfile(_info(path, epoch, None))
            else:
                data = files[name]
                tar.addfile(_info(path, epoch, len(data)), io.BytesIO(data))


def main(out: Path) -> int:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        sys.exit("set SOURCE_DATE_EPOCH (the Makefile does) for a reproducible archive")
    rel = read(ROOT)
    files = members(ROOT / "_build")
    target = out / rel.archive
    write(files, rel.folder, target, int(epoch))
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}: "
          f"{len(files)} files, {target.stat().st_size:,} bytes, sha256 {digest}")  # fmt: skip
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where to write it")
    sys.exit(main(parser.parse_args().out))
