"""The translator's loop as one scripted session, every step through the command line:

    new document → `memory init` → drafts from a local server that fails midway → rerun
    → `memory status` → review and `memory accept` → `build --check` green

The transcript (commands, exit codes, output) is kept in the test's directory as
``session.txt``; with ``-s`` it is printed too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chatserver import ChatServer, stand_in_english
from conftest import GLOSSARY, TINY_EXPORT, run
from edition.translate import backends
from edition.translate.memory import load_memory

NEW_DOCUMENT = TINY_EXPORT.replace("第一章 前言", "第一章 緒論")


def test_new_document_from_starter_memory_through_drafts_and_review_to_a_green_check(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(backends, "wait", lambda seconds: None)  # the retries' waits, not slept
    (tmp_path / "visit.txt").write_text(NEW_DOCUMENT, encoding="utf-8")
    data = ["--translations", "tr", "--glossary", str(GLOSSARY)]
    transcript: list[str] = []

    def edition(*args: str):
        result = run(*args)
        shown = " ".join(a if a != str(GLOSSARY) else "GLOSSARY" for a in args)
        transcript.append(f"$ edition {shown}   # exit {result.exit_code}")
        transcript.extend("  " + line for line in result.output.replace(str(GLOSSARY), "GLOSSARY").splitlines())
        return result

    try:
        # 1. a new document: the build works, and says every segment is missing
        r = edition("build", "--source", "visit.txt", "--out", "out", *data)
        assert r.exit_code == 0 and r.stderr.endswith("segments: 0 translated, 0 draft, 0 stale, 7 missing\n")

        # 2. the starter memory: every segment, Chinese filled, English empty
        r = edition("memory", "init", "visit.txt", *data)
        assert r.exit_code == 0 and r.stdout.startswith(f"wrote {Path('tr') / 'visit.zh-en.yaml'}: 7 segment(s)")

        # 3. drafts from a server that falls over after three answers: they are kept
        with ChatServer(stand_in_english, fail_from=4) as srv:
            r = edition("build", "--source", "visit.txt", "--out", "out", *data, "--backend", "openai", "--endpoint", srv.url, "--retries", "1")
        assert r.exit_code == 1
        assert "drafting stopped after 3 of 7 segment(s)" in r.stderr and "run the same command again" in r.stderr
        units = load_memory(tmp_path / "tr" / "visit.zh-en.yaml").units
        assert [u.origin for u in units if u.en] == ["machine"] * 3 and len(units) == 7

        # 4. the rerun asks only for the rest
        with ChatServer(stand_in_english) as srv:
            r = edition("build", "--source", "visit.txt", "--out", "out", *data, "--backend", "openai", "--endpoint", srv.url)
        assert r.exit_code == 0, r.output
        assert len(srv.requests) == 4
        assert r.stderr.endswith("segments: 0 translated, 7 draft, 0 stale, 0 missing\n")
        assert "⚠ *[draft — English not reviewed yet (a machine draft or a reused close match)]*" in (tmp_path / "out" / "visit.zh-en.md").read_text(encoding="utf-8")

        # drafts are not a finished edition
        r = edition("build", "--check", "--source", "visit.txt", "--out", "out", *data)
        assert r.exit_code == 1 and r.stderr.startswith("visit: 7 draft segment(s)")

        # 5. what awaits review
        r = edition("memory", "status", "visit.txt", *data)
        assert r.exit_code == 0
        assert r.stdout.splitlines()[0] == f"{Path('tr') / 'visit.zh-en.yaml'} — visit.txt: 7 segment(s): 0 translated, 7 draft, 0 stale, 0 missing"

        # 6. the reviewer corrects one draft in the file and accepts it, then the rest
        memory = tmp_path / "tr" / "visit.zh-en.yaml"
        text = memory.read_text(encoding="utf-8")
        memory.write_text(text.replace('en: "EN[緒論]"', 'en: "Introduction"'), encoding="utf-8")
        r = edition("memory", "accept", "visit.txt", "ch1#heading", *data)
        assert r.exit_code == 0 and r.stdout.startswith("accepted 1 segment(s)")
        r = edition("memory", "accept", "visit.txt", "--all", *data)
        assert r.exit_code == 0 and r.stdout.startswith("accepted 6 segment(s)")
        accepted = load_memory(memory).units
        assert [(u.origin, u.model, u.is_reviewed) for u in accepted] == [("machine", "local", True)] * 7

        # 7. the edition is rebuilt and the check is green
        r = edition("build", "--source", "visit.txt", "--out", "out", *data)
        assert r.exit_code == 0 and r.stderr.endswith("segments: 7 translated, 0 draft, 0 stale, 0 missing\n")
        assert "## 第一章 緒論 · Chapter 1 Introduction" in (tmp_path / "out" / "visit.zh-en.md").read_text(encoding="utf-8")
        r = edition("build", "--check", "--source", "visit.txt", "--out", "out", *data)
        assert r.exit_code == 0, r.output
        assert r.stdout == "out is up to date (1 document(s); segments: 7 translated, 0 draft, 0 stale, 0 missing)\n"
    finally:
        (tmp_path / "session.txt").write_text("\n".join(transcript) + "\n", encoding="utf-8")
        print("\n".join(transcript))


@pytest.mark.parametrize("step", ["memory", "cache"])
def test_the_loops_command_groups_have_help_with_an_example(step):
    result = run(step, "--help")
    assert result.exit_code == 0 and "Example:" in result.output
