"""`edition memory init | status | accept`: the translator starts, reviews and accepts a memory
without ever computing a hash by hand. Each command takes the document and --translations DIR
as `edition build` does."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import GLOSSARY, TINY_ENGLISH, TINY_EXPORT, TINY_SEGMENTS, run, tiny_memory_text
from edition.translate.memory import load_memory
from edition.translate.segments import zh_hash

PARA_KEY = "ch1.formal1/p1#text"
OLD_ZH = "本次考察拜會產業技術總合研究所。"
MEMORY = Path("tr") / "tiny.zh-en.yaml"
OPTS = f"--translations tr --glossary {GLOSSARY}"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A working directory with the tiny export and no memory yet."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tiny.txt").write_text(TINY_EXPORT, encoding="utf-8")
    return tmp_path


def memory(*args):
    command, *rest = args
    return run("memory", command, "tiny.txt", *rest, "--translations", "tr", "--glossary", GLOSSARY)


def write(project: Path, text: str) -> None:
    (project / "tr").mkdir(exist_ok=True)
    (project / MEMORY).write_text(text, encoding="utf-8")


def with_stale_paragraph() -> str:
    """The tiny memory whose paragraph was translated from older Chinese."""
    return tiny_memory_text().replace(f'"{TINY_SEGMENTS[PARA_KEY]}"', f'"{OLD_ZH}"').replace(zh_hash(TINY_SEGMENTS[PARA_KEY]), zh_hash(OLD_ZH))


@pytest.mark.parametrize("command", ["init", "status", "accept"])
def test_every_memory_command_has_help_with_an_example(command):
    result = run("memory", command, "--help")
    assert result.exit_code == 0 and "Example:" in result.output and "--translations" in result.output


# -- init ----------------------------------------------------------------------------------------


def test_init_writes_every_segment_with_its_chinese_and_empty_english(project):
    result = memory("init")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {MEMORY}: 7 segment(s), Chinese filled, English empty; 7 to translate — write their English there, then run `edition build`\n"
    data = yaml.safe_load((project / MEMORY).read_text(encoding="utf-8"))
    assert [(u["key"], u["zh"], u["en"], u["hash"]) for u in data["segments"]] == [
        (k, zh, "", zh_hash(zh)) for k, zh in TINY_SEGMENTS.items()]
    assert load_memory(project / MEMORY).units  # a valid memory: empty English is allowed


def test_a_starter_memory_builds_with_every_segment_missing_until_translated(project):
    assert memory("init").exit_code == 0
    result = run("build", "--source", "tiny.txt", "--out", "out", "--translations", "tr", "--glossary", GLOSSARY)
    assert result.stderr.endswith("segments: 0 translated, 0 draft, 0 stale, 7 missing\n")
    text = (project / MEMORY).read_text(encoding="utf-8")
    for key, en in TINY_ENGLISH.items():  # the translator fills the English in the file
        zh = TINY_SEGMENTS[key]
        text = text.replace(f'zh: "{zh}"\n    en: ""', f'zh: "{zh}"\n    en: "{en}"')
    (project / MEMORY).write_text(text, encoding="utf-8")
    result = run("build", "--source", "tiny.txt", "--out", "out", "--translations", "tr", "--glossary", GLOSSARY)
    assert result.stderr.endswith("segments: 7 translated, 0 draft, 0 stale, 0 missing\n")


def test_init_on_an_existing_memory_adds_only_the_segments_it_lacks_and_keeps_the_rest(project):
    english = {k: v for k, v in TINY_ENGLISH.items() if k != "ch1#heading"}
    write(project, tiny_memory_text(english))
    before = (project / MEMORY).read_text(encoding="utf-8")
    result = memory("init")
    assert result.stdout == f"added 1 segment(s) with empty English to {MEMORY}; 1 to translate — write their English there, then run `edition build`\n"
    after = (project / MEMORY).read_text(encoding="utf-8")
    added = '  - key: "ch1#heading"\n    hash: "' + zh_hash("前言") + '"\n    zh: "前言"\n    en: ""\n'
    assert after == before.replace('  - key: "ch1.formal1#heading"', added + '  - key: "ch1.formal1#heading"')
    assert memory("init").stdout == f"{MEMORY} already has a unit for every segment; 1 to translate — write their English there, then run `edition build`\n"


# -- status --------------------------------------------------------------------------------------


def test_status_lists_draft_stale_and_missing_with_old_and_new_chinese(project):
    english = {k: v for k, v in TINY_ENGLISH.items() if k != "meta#agency"}
    write(project, tiny_memory_text(english, origin={"ch1#heading": "machine"}))
    text = (project / MEMORY).read_text(encoding="utf-8")
    text = text.replace(f'"{TINY_SEGMENTS[PARA_KEY]}"', f'"{OLD_ZH}"').replace(zh_hash(TINY_SEGMENTS[PARA_KEY]), zh_hash(OLD_ZH))
    write(project, text)
    result = memory("status")
    assert result.exit_code == 0, result.output
    assert result.stdout == "\n".join([
        f"{MEMORY} — tiny.txt: 7 segment(s): 4 translated, 1 draft, 1 stale, 1 missing",
        "",
        "missing  meta#agency",
        "  zh  行政院經濟建設委員會",
        "draft  ch1#heading",
        "  zh  前言",
        "  en  Introduction",
        "  from  machine",
        f"stale  {PARA_KEY}",
        f"  old zh  {OLD_ZH}",
        f"  new zh  {TINY_SEGMENTS[PARA_KEY]}",
        f"  en      {TINY_ENGLISH[PARA_KEY]}",
        "",
        f"next: review the English in {MEMORY}, then `edition memory accept tiny.txt {OPTS} KEY…` (or --all);"
        f" write the missing English in {MEMORY}",
        "",
    ])


def test_status_of_a_new_document_says_how_to_start_its_memory(project):
    result = memory("status")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == f"next: start {MEMORY} with `edition memory init tiny.txt {OPTS}`"


# -- accept --------------------------------------------------------------------------------------


def test_accept_brings_a_stale_segments_chinese_and_hash_up_to_date(project):
    write(project, with_stale_paragraph())
    result = memory("accept", PARA_KEY)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"accepted 1 segment(s) in {MEMORY} (1 stale)\n"
    # the file differs only in the zh and hash lines of that unit: a reviewer sees what changed
    assert (project / MEMORY).read_text(encoding="utf-8") == tiny_memory_text()


def test_accept_all_marks_drafts_reviewed_keeps_their_origin_and_leaves_reviewed_units_alone(project):
    write(project, tiny_memory_text(origin={"ch1#heading": "machine", PARA_KEY: "machine"}))
    before = (project / MEMORY).read_text(encoding="utf-8")
    result = memory("accept", "--all")
    assert result.stdout == f"accepted 2 segment(s) in {MEMORY} (2 draft)\n"
    # the file differs only by a review mark under each accepted draft: where the English came from stays
    assert (project / MEMORY).read_text(encoding="utf-8") == before.replace("    origin: machine\n", "    origin: machine\n    reviewed: true\n")
    assert [(u.key, u.origin, u.is_reviewed) for u in load_memory(project / MEMORY).units if u.origin != "human"] == [
        ("ch1#heading", "machine", True), (PARA_KEY, "machine", True)]
    assert memory("status").stdout.startswith(f"{MEMORY} — tiny.txt: 7 segment(s): 7 translated, 0 draft")
    assert memory("accept", "--all").stdout == f"nothing to accept in {MEMORY}: no draft or stale segments\n"


def test_accept_changes_nothing_when_one_key_has_no_english(project):
    english = {k: v for k, v in TINY_ENGLISH.items() if k != "ch1#heading"}
    write(project, tiny_memory_text(english, origin={PARA_KEY: "machine"}))
    before = (project / MEMORY).read_text(encoding="utf-8")
    result = memory("accept", PARA_KEY, "ch1#heading")
    assert result.exit_code == 1
    assert result.stderr == f"Error: ch1#heading: no English to accept — write it in {MEMORY} first\n"
    assert (project / MEMORY).read_text(encoding="utf-8") == before


def test_accept_of_an_unknown_key_is_a_one_line_error(project):
    write(project, tiny_memory_text())
    result = memory("accept", "ch9#heading")
    assert result.exit_code == 1
    assert result.stderr == f"Error: ch9#heading: not a segment of tiny.txt — `edition memory status tiny.txt {OPTS}` lists the segments awaiting review\n"


def test_accept_without_keys_or_all_says_what_to_give(project):
    write(project, tiny_memory_text())
    result = memory("accept")
    assert result.exit_code == 1
    assert result.stderr == (f"Error: nothing to accept — give the KEY of each reviewed segment"
                             f" (`edition memory status tiny.txt {OPTS}` lists them) or --all\n")


def test_accept_without_a_memory_says_how_to_start_one(project):
    result = memory("accept", "--all")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {MEMORY}: no translation memory — start it with `edition memory init tiny.txt {OPTS}`\n"


@pytest.mark.parametrize("source, message", [
    ("nope.txt", "nope.txt: no such file — check the path"),
    (".", ".: is a directory — give one document (a PDF or a .txt/.md text export)"),
])
def test_memory_commands_refuse_a_bad_source_in_one_line(project, source, message):
    result = run("memory", "status", source, "--translations", "tr")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {message}\n"
