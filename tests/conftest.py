"""Shared fixtures: the report in both forms, extracted once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI must not fail on a counterexample it happened to draw this time: there the property tests
# run a fixed, reproducible sequence of examples (locally they keep exploring new ones).
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
REPORT_PDF = ROOT / "source_docs" / "hokkaido-report.pdf"
REPORT_TXT = ROOT / "source_docs" / "hokkaido-report.txt"
GLOSSARY = ROOT / "glossary"
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
