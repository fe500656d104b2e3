"""Shared fixtures: the report in both forms, extracted once per test session."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# CI must not fail on a counterexample it happened to draw this time: there the property tests
# run a fixed, reproducible sequence of examples (locally they keep exploring new ones).
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

# Builds started outside a test's own fixtures (module-scoped ones) cache here, not in ~/.cache.
os.environ["EDITION_CACHE_DIR"] = tempfile.mkdtemp(prefix="edition-test-cache-")
atexit.register(shutil.rmtree, os.environ["EDITION_CACHE_DIR"], True)

ROOT = Path(__file__).resolve().parents[1]
REPORT_PDF = ROOT / "source_docs" / "hokkaido-report.pdf"
REPORT_TXT = ROOT / "source_docs" / "hokkaido-report.txt"
# the development corpus: real PDFs read where they are, or copied into tmp dirs at test time
CORPUS = ROOT.parent / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(not (CORPUS / "ntust-rules.pdf").is_file(), reason="the development corpus (../shared/corpus) is not here")
# the Hokkaido termbase by name: never another *.yaml someone drops into the workspace's glossary/
GLOSSARY = ROOT / "glossary" / "institutions.yaml"
FIXTURE_TERMBASE = ROOT / "tests" / "fixtures" / "glossary" / "termbase"

# The smallest text export that makes a whole edition: cover, one chapter, one section, one
# paragraph naming an institution of the real glossary.
TINY_EXPORT = "\n".join([
    "出國報告（出國類別：考察）", "",
    "北海道產學合作考察報告", "",
    "服務機關：行政院經濟建設委員會", "",
    "第一章 前言", "",
    "壹、考察緣起", "",
    "本次考察拜會產業技術總合研究所，瞭解產學合作機制。", "",
])
# Its segments (key → Chinese) and reviewed English for each: with them every segment is translated.
TINY_SEGMENTS = {
    "meta#title": "北海道產學合作考察報告",
    "meta#report_kind": "出國報告",
    "meta#trip_category": "考察",
    "meta#agency": "行政院經濟建設委員會",
    "ch1#heading": "前言",
    "ch1.formal1#heading": "考察緣起",
    "ch1.formal1/p1#text": "本次考察拜會產業技術總合研究所，瞭解產學合作機制。",
}
TINY_ENGLISH = {
    "meta#title": "Study Trip Report on Industry–Academia Collaboration in Hokkaido",
    "meta#report_kind": "Overseas Trip Report",
    "meta#trip_category": "Study Trip",
    "meta#agency": "Council for Economic Planning and Development (CEPD)",
    "ch1#heading": "Introduction",
    "ch1.formal1#heading": "Background of the Study Trip",
    "ch1.formal1/p1#text": "The delegation visited the National Institute of Advanced Industrial Science and Technology (AIST).",
}


def tiny_memory_text(english: dict[str, str] | None = None, origin: dict[str, str] | None = None) -> str:
    """The tiny export's memory: ``english`` (key → English; default TINY_ENGLISH) by key, with
    ``origin`` (key → "machine") where given."""
    from edition.translate.memory import Unit, memory_to_yaml
    from edition.translate.segments import zh_hash

    english = TINY_ENGLISH if english is None else english
    origin = origin or {}
    return memory_to_yaml([Unit(k, zh_hash(TINY_SEGMENTS[k]), TINY_SEGMENTS[k], en, origin.get(k, "human")) for k, en in english.items()])


@pytest.fixture(autouse=True)
def cache_dir(tmp_path_factory, monkeypatch):
    """Every test's builds cache into a directory of their own, never the user's ~/.cache."""
    d = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("EDITION_CACHE_DIR", str(d))
    return d


def manifest_rows(out: Path) -> dict[str, dict]:
    """The rows of ``out``'s manifest.jsonl by source; fails on a source given two rows."""
    import json

    rows = [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    by_source = {row["source"]: row for row in rows}
    assert len(by_source) == len(rows), f"a source has two rows in {out / 'manifest.jsonl'}"
    return by_source


def run(*args):
    """`edition ARGS…` through click's runner; arguments may be paths."""
    from click.testing import CliRunner

    from edition.cli import main

    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="session")
def pdf_doc():
    from edition.pipeline import extract

    return extract(REPORT_PDF)


@pytest.fixture(scope="session")
def text_doc():
    from edition.pipeline import extract

    return extract(REPORT_TXT)


def walk(nodes):
    """Every node of a block list, depth first, list items included."""
    for n in nodes:
        yield n
        if "children" in n:
            yield from walk(n["children"])
        if n.get("type") == "list":
            yield from n["items"]


@pytest.fixture(scope="module")
def termbase():
    """The small fixture termbase (tests/fixtures/glossary/termbase)."""
    from edition.glossary.termbase import load_termbase

    return load_termbase(FIXTURE_TERMBASE)


@pytest.fixture
def tiny_project(tmp_path, monkeypatch):
    """A working folder holding the tiny text export and its memory (tr/), as the current directory."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tiny.txt").write_text(TINY_EXPORT, encoding="utf-8")
    (tmp_path / "tr").mkdir()
    (tmp_path / "tr" / "tiny.zh-en.yaml").write_text(tiny_memory_text(), encoding="utf-8")
    return tmp_path


CHINESE_LINES = ["壹、前言", "北海道產學合作機制與區域產業發展推動成果。", "日本近年來在推動區域競爭性群聚方面，具有相當顯著的成效。"]


def chinese_pdf(path: Path, extra=None) -> Path:
    """One A4 page of Chinese text (:data:`CHINESE_LINES`) in reportlab's built-in CID font;
    ``extra(canvas)`` draws whatever oddity a test needs on the same page."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = Canvas(str(path), invariant=1)
    c.setFont("STSong-Light", 12)
    for i, line in enumerate(CHINESE_LINES):
        c.drawString(72, 780 - 24 * i, line)
    if extra:
        extra(c)
    c.showPage()
    c.save()
    return path


def make_tree(root: Path) -> Path:
    """A throw-away tree of reports as an archive holds them: two real PDFs of the corpus under
    one file name in two folders (2013/report.pdf, 2014/report.pdf), a third folder with a
    report of figures (its pictures go to figures/visit.assets/), and a PDF cut off in transfer."""
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "pdfs"))
    from make_figures import make_figure_report

    tree = root / "tree"
    for folder, name in (("2013", "ntust-rules.pdf"), ("2014", "crawler-report.pdf")):
        (tree / folder).mkdir(parents=True)
        shutil.copyfile(CORPUS / name, tree / folder / "report.pdf")
    (tree / "figures").mkdir()
    make_figure_report(tree / "figures" / "visit.pdf")
    (tree / "corrupt.pdf").write_bytes((CORPUS / "creditcard-report.pdf").read_bytes()[:100_000])
    return tree


TREE_SOURCES = ("2013/report.pdf", "2014/report.pdf", "corrupt.pdf", "figures/visit.pdf")


@pytest.fixture(scope="session")
def tree_build(tmp_path_factory):
    """:func:`make_tree` built once with `edition build --source tree --out out -j 2` (from its
    folder, with a cache of its own): the folder, the run's result and time, and what it wrote
    (the manifest's rows, every other file's hash) before any test touched it."""
    import hashlib
    import time
    from types import SimpleNamespace

    if not (CORPUS / "ntust-rules.pdf").is_file():
        pytest.skip("the development corpus (../shared/corpus) is not here")
    root = tmp_path_factory.mktemp("archive")
    make_tree(root)
    (root / "tr").mkdir()
    cwd = os.getcwd()
    os.chdir(root)
    try:
        started = time.perf_counter()
        result = run(*tree_command(), "-j", "2")
        seconds = time.perf_counter() - started
    finally:
        os.chdir(cwd)
    out = root / "out"
    files = {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(out.rglob("*")) if p.is_file() and p.name != "manifest.jsonl"}
    return SimpleNamespace(root=root, out=out, result=result, seconds=seconds, rows=manifest_rows(out), files=files)


def tree_command(out: str = "out") -> tuple:
    """The build of :func:`make_tree`, run from the folder holding it."""
    return ("build", "--source", "tree", "--out", out, "--translations", "tr", "--glossary", GLOSSARY, "--cache-dir", "cache")
