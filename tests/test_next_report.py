"""The next report, end to end, as a new user would take it: a throw-away workspace under a path
with spaces and Chinese characters, the development corpus's kunsheng-report.pdf (a project
report nobody tuned the tool for) copied into its sources/, then

    init → build (no flags) → memory init → drafting with 4 requests in flight while a person
    edits the memory → XLIFF and TMX export read back by translate-toolkit → an edit made in the
    XLIFF imported → accept --all (origin machine kept) → the same report under another name
    pre-filled from the reviewed memory

Skipped where ../shared/corpus is not there (a user's checkout); the PDF is copied into the
temporary workspace at test time, never into the repository."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from chatserver import ChatServer, stand_in_english
from conftest import ROOT, run
from edition.translate import backends
from edition.translate.memory import load_memory

KUNSHENG = ROOT.parent / "shared" / "corpus" / "kunsheng-report.pdf"
pytestmark = pytest.mark.skipif(not KUNSHENG.is_file(), reason="the development corpus (../shared/corpus) is not here")
MEMORY = Path("translations") / "kunsheng-report.zh-en.yaml"


def set_english(key: str, english: str) -> None:
    """A person's edit in an editor: the English of one unit, by its key.

    Run from the test server's thread, it waits for the tool's save lock: the tool compares the
    file with what it read just before replacing it, and an editor's save landing in the
    microseconds between the two cannot be told apart — in one process, a thread waiting for
    the interpreter lock runs exactly there (the compare reads a file) far more often than a
    person's save ever would. tests/test_drafting_keeps_edits.py covers the compare and retry."""
    from edition.fsutil import file_lock

    with file_lock(MEMORY):
        _set_english(key, english)


def _set_english(key: str, english: str) -> None:
    text = MEMORY.read_text(encoding="utf-8")
    start = text.index(f'  - key: "{key}"\n')
    en_line = text.index("\n    en: ", start) + 1
    end = text.index("\n", en_line)
    MEMORY.write_text(text[:en_line] + f'    en: "{english}"' + text[end:], encoding="utf-8")


def test_the_next_report_from_an_empty_workspace_to_a_reused_memory(tmp_path, monkeypatch, capsys):
    from translate.storage import tmx, xliff

    from edition import cli

    monkeypatch.setattr(backends, "wait", lambda seconds: None)
    monkeypatch.setattr(cli, "PROGRESS_SECONDS", 0.2)
    monkeypatch.chdir(tmp_path)
    figures: dict[str, object] = {}

    # 1. a workspace, the report in its sources/
    assert run("init", "下一份 報告").exit_code == 0
    ws = tmp_path / "下一份 報告"
    shutil.copy(KUNSHENG, ws / "sources" / "kunsheng-report.pdf")
    monkeypatch.chdir(ws)

    # 2. build with no flags
    result = run("build")
    assert result.exit_code == 0, result.output
    total = int(re.search(r"(\d+) missing", result.stderr).group(1))
    # 242 segments since paragraphs are whole (326 when printed lines cut them into half-sentences)
    assert total > 200 and (ws / "output" / "kunsheng-report.zh-en.md").is_file()
    figures["segments"] = total

    # 3. the starter memory
    result = run("memory", "init")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"wrote {MEMORY}: {total} segment(s), Chinese filled, English empty")
    keys = [u.key for u in load_memory(MEMORY).units]

    # 4. drafting, 4 requests in flight, while the translator types into the memory
    typed = {keys[-1]: "Typed by hand while drafting ran (last segment).", keys[5]: "Typed by hand while drafting ran (sixth)."}

    import threading

    once = threading.Lock()
    done: list[bool] = []

    def answer(body):
        # once, from the 60th request on (requests arrive 4 at a time: '== 60' may be missed)
        with once:
            if len(srv.requests) >= 60 and not done:
                done.append(True)
                for key, english in typed.items():
                    set_english(key, english)
        return stand_in_english(body)

    with ChatServer(answer, delay=0.01) as srv:
        result = run("build", "--backend", "openai", "--endpoint", srv.url, "--concurrency", "4")
    assert result.exit_code == 0, result.output
    assert done  # the person did type while drafting ran
    figures["max_in_flight"] = srv.max_in_flight
    assert srv.max_in_flight >= 3
    progress = [line for line in result.stderr.splitlines() if re.fullmatch(r"sources/kunsheng-report\.pdf: drafted \d+/\d+, \d+ failed", line)]
    figures["progress_lines"] = len(progress)
    assert progress and progress[-1].endswith(f"/{total}, 0 failed") and "\r" not in result.stderr
    memory = load_memory(MEMORY).by_key
    # the person's English kept: in a segment not drafted yet (a person's unit), and over a
    # draft already saved (still a machine draft, with the person's correction, to accept)
    assert (memory[keys[-1]].en, memory[keys[-1]].origin) == (typed[keys[-1]], "human")
    assert (memory[keys[5]].en, memory[keys[5]].origin) == (typed[keys[5]], "machine")
    assert sum(1 for u in memory.values() if u.origin == "machine" and u.en) == len(keys) - 1

    # 5. XLIFF and TMX, read back by translate-toolkit with every segment
    assert run("memory", "export", "--format", "xliff", "-o", "kunsheng.xlf").exit_code == 0
    assert run("memory", "export", "--format", "tmx", "-o", "kunsheng.tmx").exit_code == 0
    store = xliff.xlifffile.parsefile("kunsheng.xlf")
    units = {u.xmlelement.get("id"): u for u in store.unit_iter()}
    assert list(units) == keys and all(u.target for u in units.values())
    tm = tmx.tmxfile.parsefile("kunsheng.tmx")
    assert tm.sourcelanguage == "zh-Hant"
    assert sorted(u.getid() for u in tm.unit_iter()) == sorted(keys)
    figures["xliff_units"], figures["tmx_units"] = len(units), len(list(tm.unit_iter()))

    # 6. an edit made in the CAT tool comes back
    edited = keys[10]
    units[edited].settarget("Edited in the CAT tool.")
    units[edited].markapproved(True)
    Path("kunsheng.xlf").write_bytes(bytes(store))
    result = run("memory", "import", "kunsheng.xlf")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"imported kunsheng.xlf into {MEMORY}: 0 filled, 1 updated, 0 confirmed")
    unit = load_memory(MEMORY).by_key[edited]
    assert (unit.en, unit.origin, unit.is_reviewed) == ("Edited in the CAT tool.", "human", True)

    # 7. accept the rest: reviewed, and still origin machine
    result = run("memory", "accept", "--all")
    assert result.exit_code == 0, result.output
    accepted = load_memory(MEMORY).units
    machine = [u for u in accepted if u.origin == "machine"]
    assert len(machine) == len(keys) - 2 and all(u.is_reviewed and u.model == "local" for u in machine)
    assert run("memory", "status").stdout.splitlines()[0].endswith(f"{total} segment(s): {total} translated, 0 draft, 0 stale, 0 missing")

    # 8. the same report under another name starts from the reviewed memory
    shutil.copy(KUNSHENG, ws / "sources" / "kunsheng-report-revised.pdf")
    result = run("memory", "init", "kunsheng-report-revised.pdf")
    assert result.exit_code == 0, result.output
    exact = int(re.search(r"(\d+) exact match\(es\) filled as translated", result.stdout).group(1))
    figures["prefilled"] = f"{exact}/{total} ({exact / total:.0%})"
    assert exact / total >= 0.9
    with capsys.disabled():
        print(f"\nnext-report walk-through: {figures}")
