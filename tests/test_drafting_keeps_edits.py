"""Drafting, `memory init` and `memory accept` save by read–merge–write: English a person types
into the memory file while the tool runs is never overwritten by what the tool read before."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatserver import ChatServer, stand_in_english
from conftest import GLOSSARY, TINY_EXPORT, TINY_SEGMENTS, run
from edition.translate import backends, review
from edition.translate.memory import load_memory, update_memory

PARA = "ch1.formal1/p1#text"
MEMORY = Path("tr") / "tiny.zh-en.yaml"
DATA = ["--translations", "tr", "--glossary", str(GLOSSARY)]


@pytest.fixture
def project(tmp_path, monkeypatch):
    """The tiny export with a starter memory (every segment, English empty)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(backends, "wait", lambda seconds: None)
    (tmp_path / "tiny.txt").write_text(TINY_EXPORT, encoding="utf-8")
    assert run("memory", "init", "tiny.txt", *DATA).exit_code == 0
    return tmp_path


def type_english(key: str, english: str) -> None:
    """What a translator does in an editor: fill one unit's English and save the file."""
    text = MEMORY.read_text(encoding="utf-8")
    zh = TINY_SEGMENTS[key]
    start = text.index(f'zh: "{zh}"\n')
    en_line = text.index("\n    en: ", start) + 1
    end = text.index("\n", en_line)
    MEMORY.write_text(text[:en_line] + f'    en: "{english}"' + text[end:], encoding="utf-8")


def english(key: str) -> tuple[str, str]:
    unit = load_memory(MEMORY).by_key[key]
    return unit.en, unit.origin


def draft(srv: ChatServer):
    return run("build", "--source", "tiny.txt", "--out", "out", *DATA, "--backend", "openai", "--endpoint", srv.url)


def test_english_typed_into_the_memory_while_drafting_runs_survives(project):
    def answer(body):
        if len(srv.requests) == 3:
            # the translator fills a segment not drafted yet, and one whose draft has come back
            type_english(PARA, "The delegation visited AIST, by hand.")
            type_english("meta#title", "A title written by hand")
        return stand_in_english(body)

    with ChatServer(answer) as srv:
        result = draft(srv)
    assert result.exit_code == 0, result.output
    assert english(PARA) == ("The delegation visited AIST, by hand.", "human")
    assert english("meta#title") == ("A title written by hand", "human")
    # every other segment got its draft
    drafted = [u for u in load_memory(MEMORY).units if u.origin == "machine"]
    assert len(drafted) == 5 and all(u.en.startswith("EN[") for u in drafted)
    assert f"drafted 5 of 7 missing segment(s) into {MEMORY}; kept the English written meanwhile in 2 segment(s)" in result.stderr


def test_a_saved_draft_edited_by_hand_is_not_undone_by_the_next_save(project, monkeypatch):
    monkeypatch.setattr(backends, "SAVE_EVERY", 1)  # a save after every answer

    def answer(body):
        if len(srv.requests) == 4:
            # the first three drafts are on disk now: the reviewer corrects the first one
            assert english("meta#title")[1] == "machine"
            text = MEMORY.read_text(encoding="utf-8")
            MEMORY.write_text(text.replace(f'en: "EN[{TINY_SEGMENTS["meta#title"]}]"', 'en: "Corrected title"'), encoding="utf-8")
        return stand_in_english(body)

    with ChatServer(answer) as srv:
        result = draft(srv)
    assert result.exit_code == 0, result.output
    assert english("meta#title") == ("Corrected title", "machine")  # still a draft to accept, with the person's words
    assert all(u.en for u in load_memory(MEMORY).units)


def test_a_memory_that_does_not_read_midway_is_left_alone_and_the_drafts_wait(project, monkeypatch):
    monkeypatch.setattr(backends, "SAVE_EVERY", 1)
    broken = 'schema_version: 1\nsegments:\n  - key: "meta#title\n'  # a save in the middle of typing

    def answer(body):
        if len(srv.requests) == 2:
            MEMORY.write_text(broken, encoding="utf-8")
        return stand_in_english(body)

    with ChatServer(answer) as srv:
        result = draft(srv)
    assert result.exit_code == 1
    progress, error = result.stderr.splitlines()
    assert progress == "tiny.txt: drafted 7/7, 0 failed"
    assert error.startswith(f"Error: {MEMORY}:4: YAML syntax error")
    assert error.endswith("(6 draft(s) could not be saved: run the same command again once the file reads)")
    assert MEMORY.read_text(encoding="utf-8") == broken  # the person's file, as they left it


def test_a_save_between_read_and_replace_is_read_again_and_merged(tmp_path):
    path = tmp_path / "m.zh-en.yaml"
    path.write_text("schema_version: 1\nsegments:\n", encoding="utf-8")
    from edition.translate.memory import Unit, memory_to_yaml
    from edition.translate.segments import zh_hash

    person = Unit("a#text", zh_hash("甲"), "甲", "A, by hand")
    tool = Unit("b#text", zh_hash("乙"), "乙", "B, drafted", "machine")
    calls = []

    def change(memory):
        calls.append(len(memory.units))
        if len(calls) == 1:
            # an editor saves after the tool read the file and before it replaces it
            path.write_text(memory_to_yaml([person]), encoding="utf-8")
        return list(memory.units) + [tool], "done"

    assert update_memory(path, change) == "done"
    assert calls == [0, 1]  # read again, and the change applied to the person's version
    assert load_memory(path).units == (person, tool)


def test_memory_init_keeps_a_unit_written_while_the_source_was_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tiny.txt").write_text(TINY_EXPORT, encoding="utf-8")
    assert run("memory", "init", "tiny.txt", *DATA).exit_code == 0
    real = review._segments

    def slow_segments(source, settings):
        segments = real(source, settings)
        type_english(PARA, "Written while init read the source.")
        return segments

    monkeypatch.setattr(review, "_segments", slow_segments)
    (tmp_path / "tiny.txt").write_text(TINY_EXPORT.replace("第一章 前言", "第一章 前言\n\n本章說明。"), encoding="utf-8")
    result = run("memory", "init", "tiny.txt", *DATA)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"added 1 segment(s) with empty English to {MEMORY}")
    assert english(PARA) == ("Written while init read the source.", "human")


def test_memory_accept_accepts_the_english_saved_while_the_source_was_read(project, monkeypatch):
    with ChatServer(stand_in_english) as srv:
        assert draft(srv).exit_code == 0
    real = review._segments

    def slow_segments(source, settings):
        segments = real(source, settings)
        type_english(PARA, "Reviewed while accept read the source.")
        return segments

    monkeypatch.setattr(review, "_segments", slow_segments)
    result = run("memory", "accept", "tiny.txt", PARA, *DATA)
    assert result.exit_code == 0, result.output
    assert english(PARA) == ("Reviewed while accept read the source.", "machine")
    assert load_memory(MEMORY).by_key[PARA].is_reviewed
