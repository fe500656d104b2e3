"""Editions built once per test session, as a user builds them: `edition build --source S --out
DIR --no-cache` with the project's glossary and translation memory. The report and the
development corpus (``../shared/corpus``, read in place, never copied) are built on first use;
tests of the Markdown and of the HTML edition share the builds.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from conftest import GLOSSARY, REPORT_PDF, ROOT

CORPUS = ROOT.parent / "shared" / "corpus"
CORPUS_PDFS = sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []
NO_CORPUS = "the development corpus (../shared/corpus) is not here"

_OUT = Path(tempfile.mkdtemp(prefix="edition-built-"))
atexit.register(shutil.rmtree, _OUT, True)


@lru_cache(maxsize=None)
def built(source: Path) -> Path:
    """The folder ``edition build --source SOURCE --no-cache`` wrote into (one per source)."""
    from click.testing import CliRunner

    from edition.cli import main

    out = _OUT / source.stem
    result = CliRunner().invoke(main, ["build", "--source", str(source), "--out", str(out), "--no-cache",
                                       "--translations", str(ROOT / "translations"), "--glossary", str(GLOSSARY)])
    assert result.exit_code == 0, result.output
    return out


def report() -> Path:
    return built(REPORT_PDF)
