"""Shared fixtures: the report in both forms, extracted once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REPORT_PDF = ROOT / "source_docs" / "hokkaido-report.pdf"
REPORT_TXT = ROOT / "source_docs" / "hokkaido-report.txt"


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
