"""`edition init DIR` and the workspace: every command finds its folders from edition.toml, in
the workspace folder or below it; names of documents are their paths under sources/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, TINY_ENGLISH, TINY_EXPORT, TINY_SEGMENTS, run, tiny_memory_text
from edition.workspace import TEMPLATE, find_workspace, load_workspace

WORKSPACE = "報告 工作區"  # spaces and Chinese in the path


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    """A fresh workspace (made by `edition init`) with the tiny report in sources/, as the working directory."""
    monkeypatch.chdir(tmp_path)
    result = run("init", WORKSPACE)
    assert result.exit_code == 0, result.output
    ws = tmp_path / WORKSPACE
    (ws / "sources" / "tiny.txt").write_text(TINY_EXPORT, encoding="utf-8")
    monkeypatch.chdir(ws)
    return ws


def test_init_makes_a_commented_edition_toml_and_the_four_folders(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("init", WORKSPACE)
    assert result.exit_code == 0, result.output
    ws = tmp_path / WORKSPACE
    assert sorted(p.name for p in ws.iterdir()) == ["edition.toml", "glossary", "output", "sources", "translations"]
    text = (ws / "edition.toml").read_text(encoding="utf-8")
    assert text == TEMPLATE
    for words in ("[languages]", 'script = "zh-Hant"', "[glossary]", 'layers = ["edition:technical", "glossary"]',
                  "[backend]", "concurrency = 4", "# endpoint ="):
        assert words in text
    assert sum(1 for line in text.splitlines() if line.startswith("#")) >= 15  # commented for a person
    assert result.output.splitlines()[-1] == f"next: put the report (PDF or text export) in {Path(WORKSPACE) / 'sources'}, then run `edition build` in {WORKSPACE}"
    loaded = load_workspace(ws / "edition.toml")
    assert loaded.layers == ("edition:technical", "glossary") and loaded.backend.concurrency == 4


def test_init_refuses_a_folder_that_is_already_a_workspace(workspace):
    before = (workspace / "edition.toml").read_text(encoding="utf-8") + "# my settings\n"
    (workspace / "edition.toml").write_text(before, encoding="utf-8")
    result = run("init", ".")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {Path('.') / 'edition.toml'}: already a workspace — edit its edition.toml, or choose another folder\n"
    assert (workspace / "edition.toml").read_text(encoding="utf-8") == before


def test_every_command_works_without_path_flags_from_a_folder_inside_the_workspace(workspace, monkeypatch):
    (workspace / "sources" / "notes").mkdir()
    monkeypatch.chdir(workspace / "sources" / "notes")  # as git finds .git: the nearest edition.toml above
    result = run("build")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (workspace / "output").iterdir()) == ["manifest.jsonl", "tiny.html", "tiny.json", "tiny.qa.md", "tiny.zh-en.md"]
    assert run("memory", "init").exit_code == 0
    assert (workspace / "translations" / "tiny.zh-en.yaml").is_file()
    status = run("memory", "status")
    assert status.exit_code == 0 and "7 segment(s): 0 translated, 0 draft, 0 stale, 7 missing" in status.stdout
    (workspace / "translations" / "tiny.zh-en.yaml").write_text(tiny_memory_text(), encoding="utf-8")
    assert run("build").exit_code == 0
    check = run("build", "--check")
    assert check.exit_code == 0, check.output
    assert check.stdout.endswith("(1 document(s); segments: 7 translated, 0 draft, 0 stale, 0 missing)\n")
    lookup = run("lookup", "CNN")  # the packaged technical layer
    assert lookup.exit_code == 0 and "  termbase: edition:technical" in lookup.stdout.splitlines()
    gcheck = run("glossary", "check")
    assert gcheck.exit_code == 0 and "in 2 layers: edition:technical (" in gcheck.stdout
    assert "glossary (empty: no *.yaml in" in gcheck.stdout


def test_the_memory_command_finds_a_source_by_its_path_under_sources(workspace):
    result = run("memory", "init", "tiny.txt")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"wrote {Path('translations') / 'tiny.zh-en.yaml'}: 7 segment(s)")


def test_two_reports_with_one_file_name_in_two_folders_get_their_own_outputs_and_memories(workspace):
    (workspace / "sources" / "tiny.txt").unlink()
    for folder in ("2023", "2024"):
        (workspace / "sources" / folder).mkdir()
        (workspace / "sources" / folder / "report.txt").write_text(TINY_EXPORT, encoding="utf-8")
    result = run("build")
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(workspace / "output").as_posix() for p in (workspace / "output").rglob("*.json")) == [
        "2023/report.json", "2024/report.json"]
    # the QA report names the memory by its path under translations/, as the document's is under sources/
    assert "2024/report.zh-en.yaml does not exist yet — `edition memory init 2024/report.txt` starts it" in (
        workspace / "output" / "2024" / "report.qa.md").read_text(encoding="utf-8")
    assert run("memory", "init").exit_code == 0
    assert sorted(p.relative_to(workspace / "translations").as_posix() for p in (workspace / "translations").rglob("*.yaml")) == [
        "2023/report.zh-en.yaml", "2024/report.zh-en.yaml"]
    import json

    doc = json.loads((workspace / "output" / "2024" / "report.json").read_text(encoding="utf-8"))
    assert doc["source"]["path"] == "2024/report.txt"
    # a leftover of a renamed folder is an orphan --check names, in its subfolder
    (workspace / "output" / "2022").mkdir()
    (workspace / "output" / "2022" / "report.json").write_text("{}", encoding="utf-8")
    check = run("build", "--check")
    assert f"{Path('output') / '2022' / 'report.json'}: no source produces it — delete it (or restore its source)" in check.stderr.splitlines()


def test_check_fails_on_an_edition_without_a_title_and_a_title_in_edition_toml_mends_it(workspace):
    # a report whose cover the tool cannot read (a scanned page): the text starts with chapter 1
    untitled = TINY_EXPORT[TINY_EXPORT.index("第一章"):]
    (workspace / "sources" / "tiny.txt").write_text(untitled, encoding="utf-8")
    english = {k: v for k, v in TINY_ENGLISH.items() if not k.startswith("meta#")}
    (workspace / "translations" / "tiny.zh-en.yaml").write_text(tiny_memory_text(english), encoding="utf-8")
    assert run("build").exit_code == 0
    check = run("build", "--check")
    assert check.exit_code == 1
    assert check.stderr.splitlines()[0] == (
        f'tiny: the edition has no title — the cover has none the tool could read; give it one under [titles] in {Path("edition.toml")}: "tiny" = "…"')
    toml = (workspace / "edition.toml").read_text(encoding="utf-8")
    (workspace / "edition.toml").write_text(toml.replace('# "kunsheng-report" = "手寫字跡矯正板"', '"tiny" = "北海道產學合作考察報告"'), encoding="utf-8")
    english["meta#title"] = TINY_ENGLISH["meta#title"]  # the title is a segment now: its English
    (workspace / "translations" / "tiny.zh-en.yaml").write_text(tiny_memory_text(english), encoding="utf-8")
    assert run("build").exit_code == 0
    check = run("build", "--check")
    assert check.exit_code == 0, check.output
    assert (workspace / "output" / "tiny.zh-en.md").read_text(encoding="utf-8").startswith(
        "# 北海道產學合作考察報告\n\n# Study Trip Report on Industry–Academia Collaboration in Hokkaido\n")


@pytest.mark.parametrize("edit, message", [
    ('concurrency = 4', 'edition.toml:{line}: backend.concurrency: 0 is not a whole number, 1 or more — fix the value'),
    ('target = "en"', "edition.toml:{line}: languages.target: 'ja' is not supported — use 'en' (Chinese → English, Traditional script)"),
    ('layers = ["edition:technical", "glossary"]', "edition.toml:{line}: glossary.layers: expected a list of layer names — write e.g. layers = [\"edition:technical\", \"glossary\"]"),
])
def test_a_bad_setting_in_edition_toml_is_one_line_naming_file_line_and_key(workspace, edit, message):
    replacement = {"concurrency = 4": "concurrency = 0", 'target = "en"': 'target = "ja"',
                   'layers = ["edition:technical", "glossary"]': "layers = []"}[edit]
    text = (workspace / "edition.toml").read_text(encoding="utf-8")
    line = next(i for i, l in enumerate(text.splitlines(), 1) if l.startswith(edit))
    (workspace / "edition.toml").write_text(text.replace(edit, replacement), encoding="utf-8")
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr == "Error: " + message.format(line=line) + "\n"


def test_a_toml_syntax_error_is_one_line(workspace):
    (workspace / "edition.toml").write_text("[paths\nsources = 1\n", encoding="utf-8")
    result = run("memory", "status")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: edition.toml: ") and result.stderr.endswith("— fix the TOML syntax\n")
    assert result.stderr.count("\n") == 1


def test_the_repository_is_the_hokkaido_reports_workspace():
    ws = find_workspace(ROOT / "tests")
    assert ws is not None and ws.config.resolve() == (ROOT / "edition.toml").resolve()
    assert ws.sources.resolve() == (ROOT / "source_docs").resolve()
    assert ws.translations.resolve() == (ROOT / "translations").resolve()
    assert ws.output.resolve() == (ROOT / "output").resolve()
    assert ws.layers == ("glossary",)


def test_python_dash_m_edition_is_the_edition_command():
    done = subprocess.run([sys.executable, "-m", "edition", "lookup", "AIST", "--glossary", str(ROOT / "glossary" / "institutions.yaml")],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("產業技術總合研究所  [aist, agency]")
    help_ = subprocess.run([sys.executable, "-m", "edition", "--help"], capture_output=True, text=True)
    assert help_.returncode == 0 and "init" in help_.stdout


def test_drafting_takes_its_server_model_and_concurrency_from_edition_toml(workspace):
    from chatserver import ChatServer, stand_in_english

    with ChatServer(stand_in_english, delay=0.2) as srv:
        toml = (workspace / "edition.toml").read_text(encoding="utf-8")
        toml = toml.replace('# endpoint = "http://127.0.0.1:8080/v1"', f'endpoint = "{srv.url}"').replace('model = "local"', 'model = "tiny-llm"')
        (workspace / "edition.toml").write_text(toml.replace("concurrency = 4", "concurrency = 3"), encoding="utf-8")
        result = run("build", "--backend", "openai")
    assert result.exit_code == 0, result.output
    assert srv.max_in_flight == 3 and {r["body"]["model"] for r in srv.requests} == {"tiny-llm"}
    from edition.translate.memory import load_memory

    assert {u.model for u in load_memory(workspace / "translations" / "tiny.zh-en.yaml").units} == {"tiny-llm"}
