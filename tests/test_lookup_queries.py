"""`edition lookup` on the queries people type (tests/fixtures/glossary/lookup-queries.yaml,
the README's table): Traditional, Simplified, Japanese, English, abbreviations, partial names
and typos, each against the real glossary."""

from pathlib import Path

import pytest
import yaml

from edition.glossary.lookup import find_entries
from edition.glossary.termbase import load_termbase

ROOT = Path(__file__).resolve().parents[1]
QUERIES = yaml.safe_load((ROOT / "tests" / "fixtures" / "glossary" / "lookup-queries.yaml").read_text(encoding="utf-8"))["queries"]


@pytest.fixture(scope="module")
def termbase():
    return load_termbase(ROOT / "glossary" / "institutions.yaml")


def test_the_table_has_forty_queries_of_every_kind():
    assert len(QUERIES) >= 40
    assert {q["kind"] for q in QUERIES} == {"Traditional", "Simplified", "Japanese", "English", "Abbreviation", "Partial", "Typo"}
    assert all(q.get("why") for q in QUERIES if q["expect"] is None)  # a query without an answer is explained


@pytest.mark.parametrize("row", QUERIES, ids=lambda q: f"{q['kind']}:{q['query']}")
def test_lookup_puts_the_expected_entry_first(row, termbase):
    matches = find_entries(row["query"], termbase)
    top = matches[0].entry.id if matches else None
    assert top == row["expect"], [(m.entry.id, m.how) for m in matches[:3]]
