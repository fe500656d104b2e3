"""Lookup: any spelling of a name finds the entry; partial matches rank lower; suggestions otherwise."""

import json
from pathlib import Path

import pytest

from edition.glossary.lookup import document_mentions, lookup, suggest
from edition.glossary.termbase import load_termbase

FIXTURE = Path(__file__).parent / "fixtures" / "glossary" / "termbase"


@pytest.fixture(scope="module")
def termbase():
    return load_termbase(FIXTURE)


def best_id(query, termbase):
    return lookup(query, termbase)[0].entry.id


@pytest.mark.parametrize(
    "query",
    [
        "產業技術總合研究所",
        "産業技術総合研究所",
        "AIST",
        " aist ",
        "ＡＩＳＴ",
        "national institute of advanced industrial science and technology",
        "產總研",
    ],
)
def test_lookup_finds_aist_from_any_exact_form(query, termbase):
    first = lookup(query, termbase)[0]
    assert first.entry.id == "aist"
    assert first.score >= 0.9


def test_lookup_finds_entry_from_shinjitai_spelling(termbase):
    first = lookup("産業技術総合研究所", termbase)[0]
    assert (first.entry.id, first.matched_form, first.how) == ("aist", "産業技術総合研究所", "exact ja")


def test_lookup_finds_entry_from_simplified_spelling_not_listed_as_a_variant(termbase):
    first = lookup("产业技术总合研究所北海道中心", termbase)[0]
    assert first.entry.id == "aist-hokkaido"
    assert first.how.endswith("normalised")


def test_lookup_ignores_full_width_spaces_inside_the_query(termbase):
    assert best_id("產業技術　總合研究所", termbase) == "aist"


def test_canonical_name_outranks_partial_matches(termbase):
    matches = lookup("北海道大學", termbase)
    assert matches[0].entry.id == "hokudai" and matches[0].score == 1.0
    partial = {m.entry.id for m in matches[1:]}
    assert {"hokudai-cris", "hu-rbp", "hokudai-mcip"} <= partial
    assert all(m.score < 0.8 for m in matches[1:])


def test_query_containing_a_form_is_a_partial_match(termbase):
    first = lookup("北海道大學的研究團隊", termbase)[0]
    assert (first.entry.id, first.how) == ("hokudai", "partial: form in query")


def test_partial_latin_match_respects_word_boundaries(termbase):
    assert [m.entry.id for m in lookup("AIS", termbase)] == []
    assert lookup("hokkaido university", termbase)[0].entry.id == "hokudai"


def test_lookup_by_id(termbase):
    first = lookup("hokudai-cris", termbase)[0]
    assert (first.entry.id, first.how) == ("hokudai-cris", "exact id")


def test_suggest_offers_closest_entries_when_nothing_matches(termbase):
    assert lookup("METX", termbase) == []
    assert suggest("METX", termbase, n=2)[0].entry.id == "meti"


def test_document_mentions_give_heading_and_printed_page_body_before_front_matter(tmp_path):
    doc = {
        "source": {"printed_pages": {"78": "69"}},
        "blocks": [
            {"type": "front_matter", "heading": "圖 次", "page": 5, "children": [],
             "entries": [{"text": "圖 55、產總研發展沿革....65", "title": "圖 55、產總研發展沿革", "page": 65, "terms": [{"id": "aist"}]}]},
            {"type": "section", "heading": "陸、產業技術總合研究所北海道中心", "page": 78, "children": [
                {"type": "paragraph", "page": 78, "terms": [{"id": "aist"}, {"id": "meti"}]}]},
            {"type": "section", "heading": "第一章 前言", "line": 10, "children": [
                {"type": "paragraph", "line": 12, "terms": [{"id": "aist"}]}, {"type": "paragraph", "terms": [{"id": "hokudai"}]}]},
        ],
    }
    (tmp_path / "report.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    assert document_mentions("aist", tmp_path) == [
        "陸、產業技術總合研究所北海道中心 (p. 69)",
        "第一章 前言 (line 12)",
        "圖 次 (PDF p. 5)",
    ]
    assert document_mentions("nobody", tmp_path) == []
    assert document_mentions("aist", tmp_path / "missing") == []


REAL_GLOSSARY = Path(__file__).resolve().parents[1] / "glossary"


@pytest.mark.skipif(not (REAL_GLOSSARY / "institutions.yaml").exists(), reason="glossary/institutions.yaml not written yet")
@pytest.mark.parametrize(
    "query", ["AIST", " aist ", "產總研", "产业技术总合研究所", "産業技術総合研究所", "National Institute of Advanced Industrial Science and Technology"]
)
def test_real_glossary_finds_aist_from_any_spelling(query):
    assert lookup(query, load_termbase(REAL_GLOSSARY))[0].entry.id == "aist"
