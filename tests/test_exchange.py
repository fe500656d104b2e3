"""`edition memory export` / `import`: XLIFF and TMX for CAT tools, written and read back with
translate-toolkit; a CAT tool's English comes back into the memory without ever silently
replacing a person's."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import GLOSSARY, TINY_ENGLISH, TINY_EXPORT, TINY_SEGMENTS, run, tiny_memory_text
from edition.translate.memory import load_memory
from edition.translate.segments import zh_hash

xliff = pytest.importorskip("translate.storage.xliff")
tmx = pytest.importorskip("translate.storage.tmx")

PARA = "ch1.formal1/p1#text"
MEMORY = Path("tr") / "tiny.zh-en.yaml"
DATA = ["--translations", "tr", "--glossary", str(GLOSSARY)]
OLD_ZH = "本次考察拜會產業技術總合研究所。"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """The tiny export; its memory: 4 translated, 1 draft (machine), 1 stale, 1 missing."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tiny.txt").write_text(TINY_EXPORT, encoding="utf-8")
    (tmp_path / "tr").mkdir()
    english = {k: v for k, v in TINY_ENGLISH.items() if k != "meta#agency"}
    text = tiny_memory_text(english, origin={"ch1#heading": "machine"})
    text = text.replace(f'"{TINY_SEGMENTS[PARA]}"', f'"{OLD_ZH}"').replace(zh_hash(TINY_SEGMENTS[PARA]), zh_hash(OLD_ZH))
    (tmp_path / MEMORY).write_text(text, encoding="utf-8")
    return tmp_path


def units_of(path: Path) -> dict[str, object]:
    store = xliff.xlifffile.parsefile(str(path))
    return {u.xmlelement.get("id"): u for u in store.unit_iter()}


def test_xliff_export_carries_every_segment_with_its_key_and_state(project):
    result = run("memory", "export", "tiny.txt", "--format", "xliff", "-o", "tiny.xlf", *DATA)
    assert result.exit_code == 0, result.output
    assert result.stderr == "wrote tiny.xlf: 7 segment(s) of tiny.txt (4 translated, 1 draft, 1 stale, 1 missing)\n"
    store = xliff.xlifffile.parsefile("tiny.xlf")
    assert store.getfilenames() == ["tiny.txt"] and store.getsourcelanguage() == "zh-Hant" and store.gettargetlanguage() == "en"
    units = units_of(project / "tiny.xlf")
    assert list(units) == list(TINY_SEGMENTS)  # every segment, in reading order, keyed
    assert {k: str(u.source) for k, u in units.items()} == TINY_SEGMENTS
    translated = units["meta#title"]
    assert translated.target == TINY_ENGLISH["meta#title"] and translated.isapproved() and translated.istranslated()
    draft = units["ch1#heading"]
    assert draft.target == "Introduction" and not draft.isapproved() and draft.get_state_n() == xliff.xliffunit.S_NEEDS_REVIEW
    assert draft.getlanguageNode(lang=None, index=1).get("state-qualifier") == "leveraged-mt"
    assert "origin: machine" in draft.getnotes()
    stale = units[PARA]
    assert stale.get_state_n() == xliff.xliffunit.S_NEEDS_REVIEW and f"stale: the English was written for {OLD_ZH}" in stale.getnotes()
    missing = units["meta#agency"]
    assert not missing.target and missing.get_state_n() == xliff.xliffunit.S_UNTRANSLATED


def test_tmx_export_has_srclang_zh_hant_and_the_english_of_every_segment_that_has_some(project):
    result = run("memory", "export", "tiny.txt", "--format", "tmx", "-o", "tiny.tmx", *DATA)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "wrote tiny.tmx: 6 segment(s) of tiny.txt with English (4 translated, 1 draft, 1 stale, 1 missing)",
        "left out of tiny.tmx: 1 segment(s) without English (a TMX pairs a source with a translation)",
    ]
    store = tmx.tmxfile.parsefile("tiny.tmx")
    assert store.sourcelanguage == "zh-Hant"
    pairs = {u.getid(): (u.source, u.gettarget("en")) for u in store.unit_iter()}
    assert len(pairs) == 6
    assert pairs["meta#title"] == (TINY_SEGMENTS["meta#title"], TINY_ENGLISH["meta#title"])
    assert pairs[PARA] == (OLD_ZH, TINY_ENGLISH[PARA])  # a stale English with the Chinese it translates


def test_an_edit_made_in_the_xliff_comes_back_as_a_persons_english(project):
    assert run("memory", "export", "tiny.txt", "--format", "xliff", "-o", "tiny.xlf", *DATA).exit_code == 0
    store = xliff.xlifffile.parsefile("tiny.xlf")
    units = {u.xmlelement.get("id"): u for u in store.unit_iter()}
    units["ch1#heading"].settarget("Preface")  # the translator rewrites the draft, and confirms it
    units["ch1#heading"].set_state_n(xliff.xliffunit.S_TRANSLATED)
    units["ch1#heading"].markapproved(True)
    units["meta#agency"].settarget("Council for Economic Planning and Development (CEPD)")  # fills the missing one,
    units["meta#agency"].set_state_n(xliff.xliffunit.S_NEEDS_REVIEW)  # and leaves it for review
    units["meta#agency"].markapproved(False)
    Path("tiny.xlf").write_bytes(bytes(store))
    result = run("memory", "import", "tiny.xlf", *DATA)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"imported tiny.xlf into {MEMORY}: 1 filled, 1 updated, 0 confirmed, 5 unchanged\n"
    memory = load_memory(MEMORY).by_key
    assert (memory["ch1#heading"].en, memory["ch1#heading"].origin, memory["ch1#heading"].is_reviewed) == ("Preface", "human", True)
    agency = memory["meta#agency"]
    assert (agency.en, agency.origin, agency.is_reviewed) == ("Council for Economic Planning and Development (CEPD)", "human", False)
    status = run("memory", "status", "tiny.txt", *DATA).stdout
    assert status.splitlines()[0].endswith("7 segment(s): 5 translated, 1 draft, 1 stale, 0 missing")


def test_english_changed_in_both_the_memory_and_the_file_keeps_the_memorys_and_lists_the_files(project):
    assert run("memory", "export", "tiny.txt", "--format", "xliff", "-o", "tiny.xlf", *DATA).exit_code == 0
    text = (project / MEMORY).read_text(encoding="utf-8")
    (project / MEMORY).write_text(text.replace(TINY_ENGLISH["meta#title"], "A title reviewed in the memory"), encoding="utf-8")
    store = xliff.xlifffile.parsefile("tiny.xlf")
    unit = next(u for u in store.unit_iter() if u.xmlelement.get("id") == "meta#title")
    unit.settarget("A title changed in the CAT tool")
    Path("tiny.xlf").write_bytes(bytes(store))
    result = run("memory", "import", "tiny.xlf", *DATA)
    assert result.exit_code == 0, result.output
    assert result.stderr == ("  conflict meta#title: kept the memory's English ('A title reviewed in the memory');"
                             " the file has 'A title changed in the CAT tool'\n")
    assert "1 conflict(s) — the memory's English kept, the file's listed above" in result.stdout
    assert load_memory(MEMORY).by_key["meta#title"].en == "A title reviewed in the memory"


def test_units_are_placed_by_key_else_by_their_chinese_and_the_rest_is_listed(project):
    store = tmx.tmxfile(sourcelanguage="zh-Hant", targetlanguage="en")
    store.addtranslation(TINY_SEGMENTS["meta#agency"], "zh-Hant", "Council for Economic Planning and Development (CEPD)", "en")
    store.addtranslation("這一句不在報告裡。", "zh-Hant", "Not in the report.", "en")
    Path("cat.tmx").write_bytes(bytes(store))
    result = run("memory", "import", "cat.tmx", "tiny.txt", *DATA)
    assert result.exit_code == 0, result.output
    assert result.stderr == "  not placed (no key): no segment has its key or its Chinese — 這一句不在報告裡。\n"
    assert result.stdout.startswith(f"imported cat.tmx into {MEMORY}: 1 filled, 0 updated")
    agency = load_memory(MEMORY).by_key["meta#agency"]
    assert (agency.origin, agency.reused_from, agency.is_reviewed) == ("reuse", "cat.tmx", True)


def test_a_tmx_that_names_no_document_is_kept_for_reuse_by_memory_init(project):
    store = tmx.tmxfile(sourcelanguage="zh-Hant", targetlanguage="en")
    for key, zh in TINY_SEGMENTS.items():
        store.addtranslation(zh, "zh-Hant", TINY_ENGLISH[key], "en")
    Path("older.tmx").write_bytes(bytes(store))
    result = run("memory", "import", "older.tmx", *DATA)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"older.tmx names no document: kept as {Path('tr') / 'older.tmx'} (7 translation unit(s))")
    (project / "visit.txt").write_text(TINY_EXPORT, encoding="utf-8")
    init = run("memory", "init", "visit.txt", *DATA)
    assert init.exit_code == 0, init.output
    assert "7 exact match(es) filled as translated" in init.stdout


def test_a_file_that_is_neither_xliff_nor_tmx_is_a_one_line_error(project):
    Path("notes.xlf").write_text("hello", encoding="utf-8")
    result = run("memory", "import", "notes.xlf", "tiny.txt", *DATA)
    assert result.exit_code == 1
    assert result.stderr == "Error: notes.xlf: neither XLIFF nor TMX — give a file `edition memory export` or a CAT tool wrote\n"
