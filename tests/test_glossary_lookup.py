"""Lookup: any spelling of a name finds the entry; partial matches rank lower; suggestions otherwise."""

import json
from pathlib import Path

import pytest

from edition.errors import DataFileError
from edition.glossary.charmap import charmap_for, load_charmap
from edition.glossary.lookup import (
    EXACT,
    SHOWN,
    document_mentions,
    find_entries,
    lookup,
    lookup_key,
    lookup_output,
    query_to_traditional,
    suggest,
)
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
    assert lookup(query, load_termbase(REAL_GLOSSARY / "institutions.yaml"))[0].entry.id == "aist"


# --- what people type (issue 10) ---------------------------------------------------------------

REAL = REAL_GLOSSARY / "institutions.yaml"


@pytest.fixture(scope="module")
def real():
    return load_termbase(REAL)


@pytest.mark.parametrize(("query", "expected"), [("产业技术综合研究所", "aist"), ("科学技术振兴机构", "jst"), ("国立台湾大学", "ntu")])
def test_simplified_query_not_listed_anywhere_finds_the_entry_through_opencc(query, expected, real):
    first = lookup(query, real)[0]
    assert (first.entry.id, first.how) == (expected, "exact zh, normalised")


def test_opencc_converts_only_simplified_characters_of_a_query(real):
    charmap = charmap_for(real)
    assert query_to_traditional("机构", charmap) == "機構"  # 机 and 构 are rare Big5 characters too
    assert query_to_traditional("岩田干預台灣", charmap) == "岩田干預台灣"  # valid Taiwan characters stay


@pytest.mark.parametrize("query", ["產業技術綜合研究所", "产業技術綜合研究所", "產業技術総合研究所"])
def test_variant_characters_of_one_name_meet(query, real):
    assert lookup(query, real)[0].entry.id == "aist"


def test_the_specific_entry_the_query_names_comes_before_its_parent(real):
    matches = lookup("産総研北海道センター", real)
    assert matches[0].entry.id == "aist-hokkaido" and matches[0].score >= EXACT
    assert lookup("產總研北海道", real)[0].entry.id == "aist-hokkaido"


def test_an_exact_name_outranks_every_partial_match(real):
    ranked = [m.entry.id for m in lookup("AIST", real)]
    assert ranked[0] == "aist" and "aist-hokkaido" in ranked[1:]


def test_english_word_prefix_finds_the_name(real):
    first = lookup("Hokkaido Univ", real)[0]
    assert (first.entry.id, first.how) == ("hokudai", "partial: query begins words of form")
    assert "aist" not in [m.entry.id for m in lookup("AIS", real)]  # a short prefix is no word


def test_law_and_act_meet_as_whole_words_only(real):
    assert lookup("Industrial Relocation Promotion Law", real)[0].entry.id == "industrial-relocation-act"
    assert lookup_key("lawyer", charmap_for(real)) == "lawyer"


def test_a_typo_gets_a_similar_entry_but_a_short_unknown_query_does_not(real):
    first = find_entries("Hokaido Univercity", real)[0]
    assert (first.entry.id, first.how) == ("hokudai", "similar (typo?)")
    assert find_entries("METX", real) == []


def test_partial_results_say_how_many_more_there_are(real):
    text = lookup_output("北海道", real, output_dir=None)
    total = len(lookup("北海道", real))
    assert total > SHOWN
    assert text.endswith(f"+{total - SHOWN} more matches (--all shows every one)")
    assert "more" not in lookup_output("北海道", real, output_dir=None, show_all=True).splitlines()[-1]


def test_exact_results_count_the_partial_matches_they_leave_out(real):
    assert lookup_output("產總研", real, output_dir=None).splitlines()[-1].endswith("more partial matches (--all shows every one)")


def test_lookup_json_lists_every_match_with_reason_and_report_locations(real, tmp_path):
    doc = {"blocks": [{"type": "section", "heading": "陸、產總研北海道中心", "line": 7, "terms": [{"id": "aist-hokkaido"}], "children": []}]}
    (tmp_path / "r.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    data = json.loads(lookup_output("北海道", real, as_json=True, output_dir=tmp_path))
    assert len(data) == len(lookup("北海道", real))
    hokkaido = next(d for d in data if d["id"] == "aist-hokkaido")
    assert hokkaido["how"] == "partial: query in form" and hokkaido["in_report"] == ["陸、產總研北海道中心 (line 7)"]


def test_lookup_json_without_a_match_prints_an_empty_list_and_exits_1():
    from click.testing import CliRunner

    from edition.cli import main

    result = CliRunner().invoke(main, ["lookup", "zzzz", "--json", "--glossary", str(FIXTURE)])
    assert result.exit_code == 1
    assert result.stdout == "[]\n"
    assert result.stderr.startswith("Error: no entry matches 'zzzz'")


def test_lookup_only_spellings_must_map_one_spelling_to_another(tmp_path):
    (tmp_path / "charmap.yaml").write_text("schema_version: 1\nlookup_only:\n  綜: 綜\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"charmap.yaml:3: lookup_only.綜: '綜': '綜' is not one spelling to another — fix the pair"):
        load_charmap(tmp_path)


def test_a_traditional_query_does_not_load_opencc():
    import subprocess
    import sys

    code = (
        "import sys; from edition.glossary.lookup import find_entries; from edition.glossary.termbase import load_termbase; "
        f"find_entries('北海道大學', load_termbase({str(REAL)!r})); print('opencc' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
