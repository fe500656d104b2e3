"""Finding institution mentions: every form, longest match wins, Latin only at word boundaries."""

import time


from conftest import FIXTURE_TERMBASE, REPORT_TXT, ROOT
from edition.glossary.match import find_mentions, fold_form
from edition.glossary.termbase import load_termbase

FIXTURE = FIXTURE_TERMBASE
REPO = ROOT
REPORT = REPORT_TXT


def spans(text, termbase):
    return [(m.entry_id, text[m.start : m.end]) for m in find_mentions(text, termbase)]


def test_every_kind_of_form_is_found(termbase):
    text = "產業技術總合研究所、産業技術総合研究所、產總研、AIST 與 National Institute of Advanced Industrial Science and Technology"
    assert [e for e, _ in spans(text, termbase)] == ["aist"] * 5


def test_longest_match_wins_and_mentions_do_not_overlap(termbase):
    text = "拜會產業技術總合研究所北海道中心及北海道大學創成研究機構"
    assert spans(text, termbase) == [
        ("aist-hokkaido", "產業技術總合研究所北海道中心"),
        ("hokudai-cris", "北海道大學創成研究機構"),
    ]


def test_longest_match_wins_even_when_a_shorter_one_starts_earlier(tmp_path):
    (tmp_path / "a.yaml").write_text(
        "schema_version: 1\nentries:\n"
        "  - {id: short-one, type: unit, zh: 甲乙, en: Short}\n"
        "  - {id: long-one, type: unit, zh: 乙丙丁, en: Long}\n",
        encoding="utf-8",
    )
    assert spans("甲乙丙丁", load_termbase(tmp_path)) == [("long-one", "乙丙丁")]


def test_abbreviation_with_a_space_beats_its_prefix(termbase):
    assert spans("北大R&BP與HU R&BP", termbase) == [("hu-rbp", "北大R&BP"), ("hu-rbp", "HU R&BP")]


def test_latin_abbreviation_not_matched_inside_word(termbase):
    assert spans("AISTX MAIST AIST2 aist", termbase) == [("aist", "aist")]


def test_latin_abbreviation_next_to_cjk_or_punctuation_is_matched(termbase):
    assert spans("成立技術移轉組織(TLO)，TLO法規定", termbase) == [
        ("tlo", "技術移轉組織"),
        ("tlo", "TLO"),
        ("tlo", "TLO"),
    ]


def test_latin_matching_ignores_case_width_and_extra_spaces(termbase):
    assert spans("ａｉｓｔ 與 hu  r&bp", termbase) == [("aist", "ａｉｓｔ"), ("hu-rbp", "hu  r&bp")]


def test_space_between_cjk_and_latin_is_optional(termbase):
    assert spans("北大 R&BP", termbase) == [("hu-rbp", "北大 R&BP")]
    assert fold_form("北大 R&BP") == "北大r&bp"


def test_mention_offsets_point_at_the_surface_text(termbase):
    text = "由 METI 主導"
    (mention,) = find_mentions(text, termbase)
    assert (mention.entry_id, mention.start, mention.end, mention.form) == ("meti", 2, 6, "METI")


def test_english_name_shared_by_two_entries_is_not_attributed(tmp_path):
    (tmp_path / "a.yaml").write_text(
        "schema_version: 1\nentries:\n"
        "  - {id: a-law, type: unit, zh: 甲大學法學院, en: College of Law}\n"
        "  - {id: b-law, type: unit, zh: 乙大學法學院, en: College of Law}\n",
        encoding="utf-8",
    )
    termbase = load_termbase(tmp_path)
    assert spans("College of Law 與 乙大學法學院", termbase) == [("b-law", "乙大學法學院")]


def test_matching_the_whole_report_takes_well_under_a_second():
    termbase = load_termbase(REPO / "glossary" / "institutions.yaml") if (REPO / "glossary" / "institutions.yaml").exists() else load_termbase(FIXTURE)
    text = REPORT.read_text(encoding="utf-8")
    find_mentions("預熱", termbase)  # build the trie once
    started = time.perf_counter()
    mentions = find_mentions(text, termbase)
    assert time.perf_counter() - started < 0.5
    assert any(m.entry_id == "aist" for m in mentions)
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:]))
