"""Odd and damaged PDFs from other projects' own test suites, fetched from the package registries.

The set (about 220 files) is taken from what these projects publish for their tests:

* pypdf 7.1.1 (PyPI sdist, ``resources/``; BSD-3-Clause) — every PDF;
* pikepdf 10.18.0 (PyPI sdist, ``tests/resources/`` and ``fuzzing/``; MPL-2.0) — every PDF;
* qpdf 11.3.0 (Debian's source package, ``qpdf/qtest/qpdf/`` and ``examples/``; Apache-2.0) —
  the files its names mark as broken, fuzzed, looping or recovered (``bad*``, ``issue-*``,
  ``*loop*``, ``*damaged*``, ``*xref*``, ``fuzz*``, ``*broken*``, ``*recover*``).

They are not committed (their licences differ, and together they weigh 60 MB): they are fetched
once with ``pip download`` and ``apt-get source`` (a sources list of its own, nothing changed on
the machine) into ``$EDITION_ODD_PDFS`` or ``~/.cache/edition-odd-pdfs``, and the tests skip
where the registries cannot be reached. ``tests/pdfs/odd/`` keeps a few small ones committed
(see its README), so the same checks always run on some.

    python tests/pdfs/odd_pdfs.py [DIR]     # fetch and list the set
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path

PYPI = [("pypdf==7.1.1", "pypdf-7.1.1.tar.gz"), ("pikepdf==10.18.0", "pikepdf-10.18.0.tar.gz")]
QPDF = "qpdf"
QPDF_PICK = re.compile(r"(^|/)(bad[^/]*|issue-[^/]*|[^/]*loop[^/]*|[^/]*damaged[^/]*|[^/]*xref[^/]*|fuzz[^/]*|[^/]*broken[^/]*|"
                       r"[^/]*recover[^/]*)\.pdf$", re.I)
MAX_BYTES = 2_000_000  # larger files make the run long and test nothing the small ones do not


def cache_dir() -> Path:
    return Path(os.environ.get("EDITION_ODD_PDFS") or Path.home() / ".cache" / "edition-odd-pdfs")


def _pip_download(spec: str, into: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-binary", ":all:", "--no-deps", spec, "-d", str(into)],
                   check=True, capture_output=True, timeout=600)


def _apt_source(package: str, into: Path) -> Path | None:
    """Debian's source of ``package`` (download only), through a sources list of its own."""
    work = into / "apt"
    (work / "lists" / "partial").mkdir(parents=True, exist_ok=True)
    (work / "cache" / "archives" / "partial").mkdir(parents=True, exist_ok=True)
    sources = work / "sources.list"
    keyring = "/usr/share/keyrings/debian-archive-keyring.gpg"
    sources.write_text(f"deb-src [signed-by={keyring}] http://deb.debian.org/debian bookworm main\n", encoding="utf-8")
    # (the signature check runs as root: apt's sandbox user may not enter a user's cache folder)
    opts = ["-q", "-o", "APT::Sandbox::User=root", "-o", f"Dir::Etc::sourcelist={sources}", "-o", "Dir::Etc::sourceparts=/nonexistent",
            "-o", f"Dir::State::Lists={work / 'lists'}", "-o", f"Dir::Cache={work / 'cache'}"]
    subprocess.run(["apt-get", *opts, "update"], check=True, capture_output=True, timeout=600)
    subprocess.run(["apt-get", *opts, "source", "--download-only", package], check=True, capture_output=True, timeout=600, cwd=into)
    found = _origs(into, package)
    return found[-1] if found else None


def _origs(into: Path, package: str) -> list[Path]:
    return sorted(p for p in into.glob(f"{package}_*.orig.tar.*") if not p.name.endswith(".asc"))


def _members(archive: Path, pick) -> list[tarfile.TarInfo]:
    with tarfile.open(archive) as tar:
        return [m for m in tar.getmembers() if m.isfile() and m.name.lower().endswith(".pdf") and m.size <= MAX_BYTES and pick(m.name)]


def fetch(into: Path | None = None) -> list[Path]:
    """The set, fetched where it is not yet (raises on a registry that cannot be reached)."""
    into = into or cache_dir()
    into.mkdir(parents=True, exist_ok=True)
    files = into / "files"
    done = into / "complete"
    if not done.exists():
        archives: list[tuple[Path, object]] = []
        for spec, name in PYPI:
            if not (into / name).exists():
                _pip_download(spec, into)
            archives.append((into / name, lambda n: True))
        qpdf = next(iter(_origs(into, QPDF)), None) or _apt_source(QPDF, into)
        if qpdf is not None:
            archives.append((qpdf, lambda n: QPDF_PICK.search(n) is not None))
        for archive, pick in archives:
            with tarfile.open(archive) as tar:
                for m in _members(archive, pick):
                    m.name = m.name.replace(" ", "_")
                    tar.extract(m, files, filter="data")
        done.write_text("ok\n", encoding="utf-8")
    return sorted(files.rglob("*.[pP][dD][fF]"))


if __name__ == "__main__":
    paths = fetch(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    for p in paths:
        print(p)
    print(len(paths), "files", file=sys.stderr)
