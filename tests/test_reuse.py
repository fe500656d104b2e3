"""`edition memory init` pre-fills from reviewed translations: exact matches translated (origin
reuse), close matches (≥ 85 % similar) drafts with their similarity; drafts are never reused."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import GLOSSARY, TINY_ENGLISH, TINY_EXPORT, TINY_SEGMENTS, run, tiny_memory_text
from edition.translate.memory import Unit, load_memory
from edition.translate.reuse import CLOSE, Known, ReuseIndex, chinese_key
from edition.translate.segments import Segment

DATA = ["--translations", "tr", "--glossary", str(GLOSSARY)]
PARA = "ch1.formal1/p1#text"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """tr/ holds the reviewed memory of tiny.txt; visit.txt is a new document."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tiny.txt").write_text(TINY_EXPORT, encoding="utf-8")
    (tmp_path / "tr").mkdir()
    (tmp_path / "tr" / "tiny.zh-en.yaml").write_text(tiny_memory_text(), encoding="utf-8")
    return tmp_path


def test_a_copy_of_a_reviewed_report_under_another_name_starts_translated(project):
    (project / "visit.txt").write_text(TINY_EXPORT, encoding="utf-8")
    result = run("memory", "init", "visit.txt", *DATA)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"wrote {Path('tr') / 'visit.zh-en.yaml'}: 7 segment(s), Chinese filled, English empty where nothing matched;"
        " from 1 reviewed memory/TMX file(s): 7 exact match(es) filled as translated, 0 close match(es) (≥ 85 % similar)"
        " as drafts to review; nothing to translate\n")
    units = load_memory(project / "tr" / "visit.zh-en.yaml").by_key
    assert {k: u.en for k, u in units.items()} == TINY_ENGLISH
    assert {(u.origin, u.reused_from, u.is_reviewed) for u in units.values()} == {("reuse", "tiny.zh-en.yaml", True)}
    build = run("build", "--source", "visit.txt", "--out", "out", *DATA)
    assert build.stderr.endswith("segments: 7 translated, 0 draft, 0 stale, 0 missing\n")


def test_a_revised_paragraph_gets_the_close_match_as_a_draft_with_its_similarity(project):
    revised = TINY_EXPORT.replace("瞭解產學合作機制。", "瞭解產學合作之機制。")
    (project / "visit.txt").write_text(revised, encoding="utf-8")
    result = run("memory", "init", "visit.txt", *DATA)
    assert result.exit_code == 0, result.output
    assert "6 exact match(es) filled as translated, 1 close match(es) (≥ 85 % similar) as drafts to review" in result.stdout
    unit = load_memory(project / "tr" / "visit.zh-en.yaml").by_key[PARA]
    assert (unit.en, unit.origin, unit.is_reviewed) == (TINY_ENGLISH[PARA], "reuse", False)
    assert unit.zh == "本次考察拜會產業技術總合研究所，瞭解產學合作之機制。" and unit.similarity == 0.98
    assert unit.note == f"close match (98%): the English translates {TINY_SEGMENTS[PARA]}"
    status = run("memory", "status", "visit.txt", *DATA).stdout
    assert f"  from  reuse from tiny.zh-en.yaml, 98% match" in status.splitlines()


def test_drafts_are_not_reused_and_no_reuse_turns_it_off(project):
    (project / "tr" / "tiny.zh-en.yaml").write_text(tiny_memory_text(origin={k: "machine" for k in TINY_SEGMENTS if k != "ch1#heading"}), encoding="utf-8")
    (project / "visit.txt").write_text(TINY_EXPORT, encoding="utf-8")
    result = run("memory", "init", "visit.txt", *DATA)
    assert "1 exact match(es) filled as translated" in result.stdout  # only the reviewed heading
    (project / "tr" / "visit.zh-en.yaml").unlink()
    result = run("memory", "init", "visit.txt", "--no-reuse", *DATA)
    assert result.stdout.endswith("English empty; 7 to translate — write their English there, then run `edition build`\n")


def test_an_existing_memory_keeps_its_english_and_only_gaps_are_filled(project):
    (project / "visit.txt").write_text(TINY_EXPORT, encoding="utf-8")
    mine = {"ch1#heading": "My own heading"}
    (project / "tr" / "visit.zh-en.yaml").write_text(tiny_memory_text(mine), encoding="utf-8")
    result = run("memory", "init", "visit.txt", *DATA)
    assert result.exit_code == 0, result.output
    units = load_memory(project / "tr" / "visit.zh-en.yaml").by_key
    assert units["ch1#heading"].en == "My own heading" and units["ch1#heading"].origin == "human"
    assert units[PARA].origin == "reuse"


def test_normalised_chinese_ignores_width_spaces_and_simplified_characters():
    from edition.glossary.charmap import charmap_for
    from edition.glossary.termbase import load_termbase

    charmap = charmap_for(load_termbase(GLOSSARY))
    assert chinese_key("產業技術總合研究所 （AIST）", charmap) == chinese_key("产业技术总合研究所(AIST)", charmap)


def test_close_matches_stop_below_the_threshold():
    index = ReuseIndex()
    index.add(Known("本次考察拜會產業技術總合研究所，瞭解產學合作機制。", "E", "a.zh-en.yaml"))
    assert index.match("本次考察拜會產業技術總合研究所，瞭解產學合作機制。")[1] == 1.0
    hit = index.match("本次考察拜會產業技術總合研究所，瞭解產學合作之機制。")
    assert hit is not None and CLOSE <= hit[1] < 1.0
    assert index.match("本次考察拜會北海道大學，瞭解研究成果。") is None
