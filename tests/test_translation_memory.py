"""The translation memory (YAML a translator reviews) and the translation stage.

Statuses: translated (key and hash match, or the same Chinese under another key), stale (the
key is there with another hash), missing. Errors in the file are one line: file:line: path.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from edition.errors import DataFileError
from edition.glossary.termbase import load_termbase
from edition.translate.apply import consistency_findings, names_entry, translate_document
from edition.translate.memory import Memory, Unit, load_memory, lookup_segment, memory_to_yaml, segment_to_unit
from edition.translate.segments import Segment, document_to_segments, zh_hash

ROOT = Path(__file__).resolve().parents[1]

PARA_ZH = "本次考察拜會產業技術總合研究所北海道中心。"
OLD_ZH = "本次考察拜會產業技術總合研究所。"


@pytest.fixture(scope="module")
def termbase():
    return load_termbase(ROOT / "glossary" / "institutions.yaml")


def memory_of(*units: Unit) -> Memory:
    return Memory("translations/doc.zh-en.yaml", tuple(units), "test")


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "doc.zh-en.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def tiny_doc() -> dict:
    """A document with one section and one paragraph naming AIST Hokkaido (as the glossary stage leaves it)."""
    return {
        "metadata": {},
        "blocks": [{
            "type": "section", "id": "ch1", "heading": "第一章 前言", "title": "前言", "level": 1,
            "style": "chapter", "value": 1, "number": "第一章",
            "children": [{"type": "paragraph", "id": "ch1/p1", "text": PARA_ZH,
                          "terms": [{"id": "aist-hokkaido", "field": "text", "start": 6, "end": 20}]}],
        }],
        "qa": [],
    }


# -- lookup --------------------------------------------------------------------------------------


def test_segment_is_translated_when_key_and_hash_match():
    seg = Segment("ch1/p1#text", PARA_ZH, "paragraph")
    mem = memory_of(Unit("ch1/p1#text", zh_hash(PARA_ZH), PARA_ZH, "English."))
    assert lookup_segment(mem, seg) == ("English.", "translated")


def test_segment_is_stale_when_the_key_is_there_with_the_hash_of_older_chinese():
    seg = Segment("ch1/p1#text", PARA_ZH, "paragraph")
    mem = memory_of(Unit("ch1/p1#text", zh_hash(OLD_ZH), OLD_ZH, "Old English."))
    assert lookup_segment(mem, seg) == ("Old English.", "stale")


def test_segment_that_moved_reuses_the_english_of_the_same_chinese():
    seg = Segment("ch2/p7#text", PARA_ZH, "paragraph")
    mem = memory_of(Unit("ch1/p1#text", zh_hash(PARA_ZH), PARA_ZH, "English."))
    assert lookup_segment(mem, seg) == ("English.", "translated")


def test_segment_is_missing_when_neither_key_nor_chinese_is_there():
    seg = Segment("ch1/p1#text", PARA_ZH, "paragraph")
    assert lookup_segment(memory_of(), seg) == (None, "missing")


def test_hash_ignores_white_space_so_a_reflowed_line_is_not_stale():
    assert zh_hash("產業技術 總合研究所\n北海道中心") == zh_hash("產業技術總合研究所北海道中心")


# -- the file --------------------------------------------------------------------------------------


def test_missing_file_is_an_empty_memory(tmp_path):
    mem = load_memory(tmp_path / "none.zh-en.yaml")
    assert mem.units == () and mem.version == "empty"


def test_memory_round_trips_through_the_reviewed_layout(tmp_path):
    units = [
        Unit("ch1/p1#text", zh_hash(PARA_ZH), PARA_ZH, 'He said: "Boys, be ambitious!" — #1: a|b'),
        Unit("fig-1#caption", zh_hash("圖說"), "圖說", "Line one\nline two", origin="machine", note="term check failed: x"),
    ]
    text = memory_to_yaml(units)
    assert load_memory(write(tmp_path, text)).units == tuple(units)
    assert "  - key: \"ch1/p1#text\"\n    hash: " in text
    assert "    origin: machine\n    note: \"term check failed: x\"\n" in text


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    p = write(tmp_path, 'schema_version: 1\nsegments:\n  - key: "a#text"\n    en: "unclosed\n')
    with pytest.raises(DataFileError) as err:
        load_memory(p)
    assert str(err.value).startswith(f"{p}:")
    assert "YAML syntax error" in str(err.value) and str(err.value).endswith("— fix the syntax")


def test_schema_error_names_file_line_and_yaml_path(tmp_path):
    good = f'  - key: "ch1/p1#text"\n    hash: "{zh_hash(PARA_ZH)}"\n    zh: "{PARA_ZH}"\n    en: "English."\n'
    bad = f'  - key: "ch1/p2#text"\n    hash: "{zh_hash(OLD_ZH)}"\n    zh: "{OLD_ZH}"\n    en: "E"\n    origin: robot\n'
    p = write(tmp_path, "schema_version: 1\nsegments:\n" + good + bad)
    with pytest.raises(DataFileError) as err:
        load_memory(p)
    assert str(err.value) == f"{p}:11: segments[1].origin: 'robot' is not one of ['human', 'machine', 'reuse'] — fix the value"


def test_placeholder_english_is_rejected(tmp_path):
    p = write(tmp_path, f'schema_version: 1\nsegments:\n  - key: "a#text"\n    hash: "{zh_hash("甲")}"\n    zh: "甲"\n    en: "TODO"\n')
    with pytest.raises(DataFileError) as err:
        load_memory(p)
    assert str(err.value).startswith(f"{p}:6: segments[0].en: ")


def test_duplicate_key_names_both_places(tmp_path):
    unit = f'  - key: "a#text"\n    hash: "{zh_hash("甲")}"\n    zh: "甲"\n    en: "A"\n'
    p = write(tmp_path, "schema_version: 1\nsegments:\n" + unit + unit)
    with pytest.raises(DataFileError) as err:
        load_memory(p)
    assert str(err.value) == f"{p}:7: segments[1].key: 'a#text' also at segments[0] — keep one"


def test_hash_that_does_not_match_its_chinese_is_an_error_giving_the_right_hash(tmp_path):
    # a hand-edited zh under the old hash would otherwise pass unseen
    p = write(tmp_path, f'schema_version: 1\nsegments:\n  - key: "a#text"\n    hash: "{zh_hash(OLD_ZH)}"\n    zh: "{PARA_ZH}"\n    en: "A"\n')
    with pytest.raises(DataFileError) as err:
        load_memory(p)
    assert str(err.value) == (
        f"{p}:4: segments[0].hash: '{zh_hash(OLD_ZH)}' is not the hash of its zh"
        f" — restore the zh, or (once the English translates the new zh) set hash: {zh_hash(PARA_ZH)}"
    )


# -- the translation stage ---------------------------------------------------------------------------


def test_translation_stage_sets_english_status_and_counts(termbase):
    doc = tiny_doc()
    mem = memory_of(Unit("ch1#heading", zh_hash("前言"), "前言", "Introduction"),
                    Unit("ch1/p1#text", zh_hash(PARA_ZH), PARA_ZH, "The delegation visited AIST Hokkaido."))
    out = translate_document(doc, mem, termbase)
    sec = out["blocks"][0]
    assert sec["en"] == "Introduction" and sec["translation"] == {"ch1#heading": "translated"}
    assert sec["children"][0]["en"] == "The delegation visited AIST Hokkaido."
    assert out["qa"] == []
    assert {k: v for k, v in out["stats"].items() if k.startswith("segments")} == {
        "segments": 2, "segments_translated": 2, "segments_draft": 0, "segments_stale": 0, "segments_missing": 0}
    assert "en" not in doc["blocks"][0]  # the input is not changed


def test_stale_segment_keeps_the_old_english_and_is_reported(termbase):
    mem = memory_of(Unit("ch1/p1#text", zh_hash(OLD_ZH), OLD_ZH, "The delegation visited AIST Hokkaido (old)."))
    out = translate_document(tiny_doc(), mem, termbase)
    para = out["blocks"][0]["children"][0]
    assert para["en"] == "The delegation visited AIST Hokkaido (old)."
    assert para["translation"] == {"ch1/p1#text": "stale"}
    assert {"kind": "stale-translation", "key": "ch1/p1#text", "zh_old": OLD_ZH, "zh": PARA_ZH,
            "message": "ch1/p1#text: the Chinese changed since it was translated — review the English,"
                       " then `edition memory accept SOURCE ch1/p1#text`"} in out["qa"]


def test_missing_segment_has_no_english_and_names_the_memory_file_not_its_path(termbase):
    out = translate_document(tiny_doc(), memory_of(), termbase)
    para = out["blocks"][0]["children"][0]
    assert para["en"] is None and para["translation"] == {"ch1/p1#text": "missing"}
    # the edition must not depend on how --translations was spelled (relative, absolute)
    assert {"kind": "missing-translation", "key": "ch1/p1#text", "message": "ch1/p1#text: no English in doc.zh-en.yaml yet — translate it"} in out["qa"]


def test_english_lacking_the_glossary_name_is_a_term_finding(termbase):
    mem = memory_of(Unit("ch1/p1#text", zh_hash(PARA_ZH), PARA_ZH, "The delegation visited the Hokkaido centre."))
    out = translate_document(tiny_doc(), mem, termbase)
    assert [q for q in out["qa"] if q["kind"] == "term-inconsistent"] == [{
        "kind": "term-inconsistent", "key": "ch1/p1#text", "term": "aist-hokkaido",
        "message": "ch1/p1#text: the Chinese names 產業技術總合研究所北海道中心 but the English does not use 'AIST Hokkaido'",
    }]
    assert out["stats"]["term_findings"] == 1


def test_term_finding_lists_every_accepted_name(termbase):
    seg = Segment("p#text", "產總研的組織", "paragraph", ("aist",))
    (finding,) = consistency_findings(seg, "the institute", termbase)
    assert finding["message"].endswith(
        "but the English does not use either 'National Institute of Advanced Industrial Science and Technology' or 'AIST'")


@pytest.mark.parametrize("english", [
    "Researchers of the National Institute of Advanced Industrial Science and Technology said",
    "researchers of the national institute of advanced industrial science and technology",
    "AIST researchers",
    "AIST's researchers",
    "the two AISTs",  # a plural abbreviation still names it
    "(AIST)",
])
def test_english_names_the_entry(termbase, english):
    assert names_entry(english, termbase.by_id["aist"])


@pytest.mark.parametrize("english", ["FAIST researchers", "AISTX", "the institute"])
def test_english_does_not_name_the_entry(termbase, english):
    assert not names_entry(english, termbase.by_id["aist"])


def test_typographic_quotes_and_dashes_do_not_break_a_name():
    class Entry:
        en, abbr = 'Creative Research Initiative "Sousei"', ()

    assert names_entry("the Creative Research Initiative “Sousei” of the university", Entry)


def test_english_name_with_its_abbreviation_in_brackets_counts_without_it():
    class Entry:
        en, abbr = 'Creative Research Initiative "Sousei" (CRIS)', ()

    assert names_entry('Positioning of the Creative Research Initiative "Sousei"', Entry)
    # the bracketed abbreviation alone is not a name: CRIS is also another body's abbreviation
    assert not names_entry("Research divisions of CRIS", Entry)


def test_segments_have_unique_keys_in_reading_order():
    segs = document_to_segments(tiny_doc())
    assert [s.key for s in segs] == ["ch1#heading", "ch1/p1#text"]
    assert segs[1].terms == ("aist-hokkaido",)
    assert segment_to_unit(segs[1], "E").hash == zh_hash(PARA_ZH)


# -- provenance: where the English came from, apart from whether a person reviewed it ----------


PROVENANCE_FILE = f'''schema_version: 1
segments:
  - key: "a#text"
    hash: "{zh_hash('甲')}"
    zh: "甲"
    en: "A, written by a person (no origin: as every existing memory)"
  - key: "b#text"
    hash: "{zh_hash('乙')}"
    zh: "乙"
    en: "B, drafted"
    origin: machine
  - key: "c#text"
    hash: "{zh_hash('丙')}"
    zh: "丙"
    en: "C, drafted and accepted"
    origin: machine
    model: "llama-3.1-8b"
    reviewed: true
  - key: "d#text"
    hash: "{zh_hash('丁')}"
    zh: "丁"
    en: "D, from a close match"
    origin: reuse
    reused_from: "older-report.zh-en.yaml"
    similarity: 0.91
  - key: "e#text"
    hash: "{zh_hash('戊')}"
    zh: "戊"
    en: "E, typed in a CAT tool, not confirmed"
    reviewed: false
  - key: "f#text"
    hash: "{zh_hash('己')}"
    zh: "己"
    en: "   "
'''


def test_the_state_comes_from_the_review_mark_and_the_origin_says_where_the_english_came_from(tmp_path):
    memory = load_memory(write(tmp_path, PROVENANCE_FILE))
    states = {k: lookup_segment(memory, Segment(k, z, "paragraph"))[1] for k, z in
              [("a#text", "甲"), ("b#text", "乙"), ("c#text", "丙"), ("d#text", "丁"), ("e#text", "戊"), ("f#text", "己")]}
    assert states == {"a#text": "translated", "b#text": "draft", "c#text": "translated", "d#text": "draft",
                      "e#text": "draft", "f#text": "missing"}  # English of blanks only is no English
    by_key = memory.by_key
    assert [by_key[k].provenance for k in ("a#text", "b#text", "c#text", "d#text")] == [
        "human", "machine", "machine (llama-3.1-8b)", "reuse from older-report.zh-en.yaml, 91% match"]
    # read and written back unchanged: new fields appear only where they were
    assert memory_to_yaml(list(memory.units)).split("schema_version: 1\n", 1)[1] == PROVENANCE_FILE.split("schema_version: 1\n", 1)[1]


def test_the_showcase_memory_reads_as_reviewed_and_writes_back_byte_for_byte():
    path = ROOT / "translations" / "hokkaido-report.zh-en.yaml"
    memory = load_memory(path)
    assert len(memory.units) > 900 and all(u.is_reviewed for u in memory.units)
    assert memory_to_yaml(list(memory.units)) == path.read_text(encoding="utf-8")


def test_a_review_mark_that_is_not_true_or_false_is_a_one_line_error(tmp_path):
    p = write(tmp_path, PROVENANCE_FILE.replace("reviewed: true", 'reviewed: "yes"'))
    with pytest.raises(DataFileError) as err:
        load_memory(p)
    assert str(err.value) == f"{p}:18: segments[2].reviewed: 'yes' is not of type 'boolean' — fix the value"
