"""`edition build`: determinism, --check, atomic writes, the cache, one-line errors, the
segment states in the summary and in --check.

Most tests build a tiny text export written in the test (with a memory beside it translating
every segment); the last ones build the real report once (module-scoped) and check the edition
as a whole.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import GLOSSARY, ROOT, TINY_ENGLISH, TINY_EXPORT, manifest_rows, run, tiny_memory_text
from edition.errors import EditionError
from edition.translate.segments import zh_hash
from edition.validate import validate_file


PARA_KEY, PARA_ZH = "ch1.formal1/p1#text", "本次考察拜會產業技術總合研究所，瞭解產學合作機制。"
ALL_TRANSLATED = "segments: 7 translated, 0 draft, 0 stale, 0 missing"


def files_of(d: Path) -> dict[str, bytes]:
    """Every file under d (hidden ones included) → its bytes; the manifest aside (its rows hold
    times: the tests read it with manifest_rows)."""
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file() and p.relative_to(d) != Path("manifest.jsonl")}


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A working directory with the tiny export and a memory translating every segment."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tiny.txt").write_text(TINY_EXPORT, encoding="utf-8")
    write_memory(tmp_path, TINY_ENGLISH[PARA_KEY])
    return tmp_path


def write_memory(root: Path, english: str, name: str = "tiny", **changes) -> Path:
    """The tiny memory with the paragraph's English given (and other keys changed by ``changes``)."""
    p = root / "tr" / f"{name}.zh-en.yaml"
    p.parent.mkdir(exist_ok=True)
    p.write_text(tiny_memory_text(dict(TINY_ENGLISH, **{PARA_KEY: english}), **changes), encoding="utf-8")
    return p


def build(*extra, out="out"):
    return run("build", "--source", "tiny.txt", "--out", out, "--translations", "tr", "--glossary", GLOSSARY, *extra)


def test_build_has_help_with_an_example():
    result = run("build", "--help")
    assert result.exit_code == 0 and "Example:" in result.output


def test_build_writes_json_markdown_html_and_qa_report(project):
    result = build("--no-cache")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"built 1 document(s) (0 from cache), wrote 4 file(s) to out; {ALL_TRANSLATED}\n"
    assert sorted(files_of(project / "out")) == ["tiny.html", "tiny.json", "tiny.qa.md", "tiny.zh-en.md"]
    assert validate_file(project / "out" / "tiny.json") == []
    md = (project / "out" / "tiny.zh-en.md").read_text(encoding="utf-8")
    assert "> The delegation visited the National Institute of Advanced Industrial Science and Technology (AIST)." in md


def test_two_builds_give_byte_identical_files(project):
    assert build("--no-cache", out="a").exit_code == 0
    assert build("--no-cache", out="b").exit_code == 0
    a, b = files_of(project / "a"), files_of(project / "b")
    assert a == b and len(a) == 4


def test_output_does_not_depend_on_how_the_paths_are_spelled(project):
    assert build("--no-cache", out="a").exit_code == 0
    result = run("build", "--no-cache", "--source", project / "tiny.txt", "--out", project / "b",
                 "--translations", project / "tr", "--glossary", GLOSSARY)
    assert result.exit_code == 0, result.output
    assert files_of(project / "a") == files_of(project / "b")


def test_check_passes_right_after_a_build(project):
    assert build().exit_code == 0
    result = build("--check")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"out is up to date (1 document(s); {ALL_TRANSLATED})\n"


def test_check_fails_naming_the_file_edited_since_the_build_and_writes_nothing(project):
    assert build().exit_code == 0
    md = project / "out" / "tiny.zh-en.md"
    lines = md.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = "hand-edited\n"
    md.write_text("".join(lines), encoding="utf-8")
    before = files_of(project / "out")
    result = build("--check")
    assert result.exit_code == 1
    assert result.stderr == (
        f"{Path('out') / 'tiny.zh-en.md'}: differs from a fresh build from line 5 — run `edition build` and commit output/\n"
        "Error: 1 problem(s), 0 failed document(s)\n"
    )
    assert files_of(project / "out") == before


def test_check_fails_when_an_output_file_is_missing(project):
    assert build().exit_code == 0
    (project / "out" / "tiny.qa.md").unlink()
    result = build("--check")
    assert result.exit_code == 1
    assert f"{Path('out') / 'tiny.qa.md'}: missing — run `edition build`\n" in result.stderr


def test_rebuild_rewrites_only_the_files_that_changed(project):
    assert build().exit_code == 0
    (project / "out" / "tiny.qa.md").write_text("edited\n", encoding="utf-8")
    result = build()
    assert result.stderr.endswith(f"wrote 1 file(s) to out; {ALL_TRANSLATED}\n")


def test_english_lacking_a_glossary_name_makes_check_fail_on_term_consistency(project):
    write_memory(project, "The delegation visited an institute to learn about collaboration.")
    assert build().exit_code == 0  # the edition is still written: the finding is in its QA report
    qa = (project / "out" / "tiny.qa.md").read_text(encoding="utf-8")
    assert "## term-inconsistent (1)" in qa
    result = build("--check")
    assert result.exit_code == 1
    # the finding itself, not a pointer to a QA file that --check did not rewrite
    assert result.stderr == (
        "tiny: 1 term-consistency finding(s) — ch1.formal1/p1#text: the Chinese names 產業技術總合研究所 but the English"
        " does not use either 'National Institute of Advanced Industrial Science and Technology' or 'AIST';"
        f" fix the English in {Path('tr') / 'tiny.zh-en.yaml'}\n"
        "Error: 1 problem(s), 0 failed document(s)\n"
    )


def test_failure_mid_build_leaves_the_out_dir_as_it_was(project, monkeypatch):
    assert build().exit_code == 0
    write_memory(project, "Changed English naming AIST.")  # a build now would change the files
    before = files_of(project / "out")

    def broken_renderer(doc, *args):
        raise EditionError("tiny.txt: the renderer broke — a test")

    monkeypatch.setattr("edition.render.edition.render_edition", broken_renderer)
    result = build("--no-cache")
    assert result.exit_code == 1
    assert result.stderr == "Error: tiny.txt: the renderer broke — a test\n"
    assert files_of(project / "out") == before  # byte for byte, and no temporary file left
    row = manifest_rows(project / "out")["tiny.txt"]
    assert (row["status"], row["error"]) == ("failed", "tiny.txt: the renderer broke — a test")


def test_bug_mid_build_leaves_the_out_dir_as_it_was_and_shows_its_traceback(project, monkeypatch):
    assert build().exit_code == 0
    write_memory(project, "Changed English naming AIST.")
    before = files_of(project / "out")

    def crashing_renderer(doc, *args):
        raise RuntimeError("a bug of ours")

    monkeypatch.setattr("edition.render.edition.render_edition", crashing_renderer)
    result = build("--no-cache")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    # the traceback is for us (a bug), the last line for the user; one document's bug is its row
    assert lines[0] == "Traceback (most recent call last):" and "RuntimeError: a bug of ours" in lines
    assert lines[-1] == "Error: tiny.txt: edition failed on it (RuntimeError: a bug of ours) — a bug: please report it with the file"
    assert files_of(project / "out") == before
    assert manifest_rows(project / "out")["tiny.txt"]["status"] == "failed"


def test_failed_document_keeps_its_old_files_while_the_others_are_written(project):
    (project / "other.txt").write_text(TINY_EXPORT.replace("前言", "緒論"), encoding="utf-8")
    (project / "tr" / "other.zh-en.yaml").write_text("schema_version: 2\nsegments: []\n", encoding="utf-8")
    (project / "out").mkdir()
    (project / "out" / "other.zh-en.md").write_text("the old edition\n", encoding="utf-8")
    result = run("build", "--source", "tiny.txt", "--source", "other.txt", "--out", "out", "--translations", "tr",
                 "--glossary", GLOSSARY, "--no-cache", "-j", "1")
    assert result.exit_code == 1
    assert result.stderr == (
        f"failed: {Path('tr') / 'other.zh-en.yaml'}:1: schema_version: 1 was expected — fix the value\n"
        f"built 1 document(s) (0 from cache), wrote 4 file(s) to out; {ALL_TRANSLATED}; 1 failed\n"
        "Error: 1 of 2 document(s) failed\n"
    )
    assert sorted(files_of(project / "out")) == ["other.zh-en.md", "tiny.html", "tiny.json", "tiny.qa.md", "tiny.zh-en.md"]
    assert (project / "out" / "other.zh-en.md").read_text(encoding="utf-8") == "the old edition\n"


def test_document_failing_the_schema_is_never_written(project, monkeypatch):
    monkeypatch.setattr("edition.render.json.document_errors", lambda doc, label="": [f"{label}: $.blocks[0]: 'x' is not valid"])
    result = build("--no-cache")
    assert result.exit_code == 1
    assert result.stderr == "Error: tiny.txt: $.blocks[0]: 'x' is not valid\n"
    assert files_of(project / "out") == {}  # only the manifest, saying why
    assert manifest_rows(project / "out")["tiny.txt"]["error"] == "tiny.txt: $.blocks[0]: 'x' is not valid"


def test_second_build_comes_from_the_cache_and_no_cache_bypasses_it(project, cache_dir):
    first = build()
    assert first.stderr == f"built 1 document(s) (0 from cache), wrote 4 file(s) to out; {ALL_TRANSLATED}\n"
    assert build().stderr == f"built 1 document(s) (1 from cache), wrote 0 file(s) to out; {ALL_TRANSLATED}\n"
    assert build("--no-cache").stderr == f"built 1 document(s) (0 from cache), wrote 0 file(s) to out; {ALL_TRANSLATED}\n"
    assert len(list(cache_dir.glob("*.json.gz"))) == 1
    assert not (project / ".cache").exists()  # one place per user, not ./.cache wherever a build ran


def test_changed_memory_misses_the_cache(project):
    assert build().exit_code == 0
    write_memory(project, "The delegation visited AIST.")
    result = build()
    assert result.stderr == f"built 1 document(s) (0 from cache), wrote 3 file(s) to out; {ALL_TRANSLATED}\n"  # JSON, Markdown, HTML
    assert "> The delegation visited AIST." in (project / "out" / "tiny.zh-en.md").read_text(encoding="utf-8")


def test_memory_error_is_one_line_with_file_line_and_yaml_path(project):
    p = project / "tr" / "tiny.zh-en.yaml"
    p.write_text(f'schema_version: 1\nsegments:\n  - key: "{PARA_KEY}"\n    hash: "{zh_hash(PARA_ZH)}"\n    zh: "{PARA_ZH}"\n    en: 3\n',
                 encoding="utf-8")
    result = build("--no-cache")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {Path('tr') / 'tiny.zh-en.yaml'}:6: segments[0].en: 3 is not of type 'string' — fix the value\n"
    assert files_of(project / "out") == {}


def test_memory_syntax_error_names_file_and_line(project):
    (project / "tr" / "tiny.zh-en.yaml").write_text("schema_version: 1\nsegments:\n  - key: [unclosed\n", encoding="utf-8")
    result = build("--no-cache")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {Path('tr') / 'tiny.zh-en.yaml'}:4: YAML syntax error")
    assert result.stderr.endswith("— fix the syntax\n") and result.stderr.count("\n") == 1


def test_missing_source_is_a_one_line_error(project):
    result = run("build", "--source", "nope.txt", "--out", "out")
    assert result.exit_code == 1
    assert result.stderr == "Error: nope.txt: no such file or directory — check --source\n"


def test_negative_jobs_is_a_one_line_error(project):
    result = build("-j", "-1")
    assert result.exit_code == 1
    assert result.stderr == "Error: -j -1: the number of jobs must be 0 (all cores) or more\n"


# -- the real report ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_edition(tmp_path_factory):
    """The report PDF (named: never what else a user drops into source_docs/) built once with the repository's glossary and translations: (out dir, stem)."""
    work = tmp_path_factory.mktemp("real")
    cwd = os.getcwd()
    os.chdir(work)
    try:
        result = run("build", "--source", ROOT / "source_docs" / "hokkaido-report.pdf", "--out", work / "out", "--translations", ROOT / "translations",
                     "--glossary", GLOSSARY, "--no-cache", "-j", "1")
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    return work / "out", "hokkaido-report"


def test_real_report_builds_to_a_valid_edition_that_a_second_build_reproduces(real_edition, tmp_path, monkeypatch):
    out, stem = real_edition
    assert sorted(p.name for p in out.iterdir()) == [f"{stem}.assets", f"{stem}.html", f"{stem}.json", f"{stem}.qa.md", f"{stem}.zh-en.md",
                                                     "manifest.jsonl"]
    assert validate_file(out / f"{stem}.json") == []
    monkeypatch.chdir(tmp_path)
    check = run("build", "--check", "--source", ROOT / "source_docs" / "hokkaido-report.pdf", "--out", out, "--translations", ROOT / "translations",
                "--glossary", GLOSSARY, "--no-cache", "-j", "1")
    # byte-identical on rebuild; a term finding in the real memory would also fail --check, and is reported
    assert "differs from a fresh build" not in check.stderr and "missing" not in check.stderr


def test_real_report_markdown_has_every_heading_figure_table_and_gap(real_edition):
    out, stem = real_edition
    doc = json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))
    md = (out / f"{stem}.zh-en.md").read_text(encoding="utf-8")
    lines = md.splitlines()

    def walk(nodes):
        for n in nodes:
            yield n
            yield from walk(n.get("children", []))

    nodes = list(walk(doc["blocks"]))
    chapters = [n for n in nodes if n["type"] == "section" and n["style"] == "chapter"]
    assert len(chapters) >= 6
    for n in chapters:
        assert any(line.startswith(f"## {n['heading']} · Chapter {n['value']} ") for line in lines), n["heading"]
    for f in (n for n in nodes if n["type"] == "figure" and n.get("caption")):
        assert any(line.startswith(f"> **{f['label']}** · **Figure {f['number']}. ") for line in lines), f["label"]
        if f.get("printed_number") not in (None, f["number"]):
            note = f"*Editor's note:* Printed under the picture as 圖 {f['printed_number']}; the report's list of figures numbers it {f['number']}."
            assert sum(1 for line in lines if line.startswith("[^qa-") and line.endswith(note)) == 1
    tables = [n for n in nodes if n["type"] == "table" and n.get("rows")]
    assert len(tables) >= 4
    assert sum(1 for i, line in enumerate(lines[1:], 1) if line.startswith("|---") and lines[i - 1].startswith("| ")) >= len(tables)
    footnotes = [n for n in nodes if n["type"] == "footnote"]
    assert sum(1 for line in lines if line.startswith("[^") and not line.startswith(("[^tn-", "[^qa-"))) == len(footnotes) > 0
    stats = doc["stats"]
    gaps = [q for q in doc["qa"] if q["kind"] == "missing-translation"]
    assert len(gaps) == stats["segments_missing"]
    assert md.count("[missing — no English in the translation memory yet]") >= stats["segments_missing"]
    assert "## 附錄：名詞對照 · Appendix: Institutions named in the report" in lines
    assert not any(line == "> " or line.rstrip().endswith("<br>") for line in lines)


def test_a_cache_directory_that_cannot_be_written_only_costs_time(tmp_path, monkeypatch):
    src = tmp_path / "tiny.txt"
    src.write_text(TINY_EXPORT, encoding="utf-8")
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("x")
    monkeypatch.chdir(tmp_path)
    from edition.build import BuildSettings, run_build

    settings = BuildSettings(out_dir=tmp_path / "out", glossary_dir=GLOSSARY, translations_dir=tmp_path, cache_dir=blocker / "sub")
    totals = run_build([src], settings)
    assert (totals.built, totals.failed) == (1, 0) and (tmp_path / "out" / "tiny.json").is_file()


# -- outputs named after their source; a folder yields only sources -------------------------------


def test_renamed_source_gives_outputs_named_after_it_although_its_bytes_are_cached(project):
    (project / "docs").mkdir()
    (project / "tiny.txt").rename(project / "docs" / "first.txt")  # neither name has a memory
    args = ("--translations", "tr", "--glossary", GLOSSARY)
    assert run("build", "--source", "docs", "--out", "a", *args).exit_code == 0
    (project / "docs" / "first.txt").rename(project / "docs" / "second.txt")
    result = run("build", "--source", "docs", "--out", "b", *args)
    assert result.exit_code == 0, result.output
    assert sorted(files_of(project / "b")) == ["second.html", "second.json", "second.qa.md", "second.zh-en.md"]
    assert json.loads((project / "b" / "second.json").read_text(encoding="utf-8"))["source"]["path"] == "second.txt"


def test_check_after_a_rename_reports_the_stale_folder_in_lines_not_a_traceback(project):
    (project / "docs").mkdir()
    (project / "tiny.txt").rename(project / "docs" / "first.txt")
    args = ("--translations", "tr", "--glossary", GLOSSARY)
    assert run("build", "--source", "docs", "--out", "out", *args).exit_code == 0
    (project / "docs" / "first.txt").rename(project / "docs" / "second.txt")
    result = run("build", "--source", "docs", "--out", "out", "--check", *args)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # a message, not a KeyError
    lines = result.stderr.splitlines()
    assert f"{Path('out') / 'second.json'}: missing — run `edition build`" in lines
    assert f"{Path('out') / 'first.json'}: no source produces it — delete it (or restore its source)" in lines
    assert lines[-1].startswith("Error: ") and "Traceback" not in result.output


def test_two_sources_with_the_same_bytes_each_get_their_own_outputs(project):
    (project / "docs").mkdir()
    for name in ("a.txt", "b.txt"):
        (project / "docs" / name).write_text(TINY_EXPORT, encoding="utf-8")
    result = run("build", "--source", "docs", "--out", "out", "--translations", "tr", "--glossary", GLOSSARY, "-j", "1")
    assert result.exit_code == 0, result.output
    assert sorted(files_of(project / "out")) == ["a.html", "a.json", "a.qa.md", "a.zh-en.md", "b.html", "b.json", "b.qa.md", "b.zh-en.md"]
    assert "a.zh-en.yaml does not exist yet" in (project / "out" / "a.qa.md").read_text(encoding="utf-8")
    assert "b.zh-en.yaml does not exist yet" in (project / "out" / "b.qa.md").read_text(encoding="utf-8")


def test_a_folder_built_into_itself_yields_only_its_source_however_often(project):
    (project / "d").mkdir()
    (project / "tiny.txt").rename(project / "d" / "report.txt")
    for _ in range(3):
        result = run("build", "--source", "d", "--out", "d", "--translations", "tr", "--glossary", GLOSSARY)
        assert result.exit_code == 0, result.output
    assert sorted(files_of(project / "d")) == ["report.html", "report.json", "report.qa.md", "report.txt", "report.zh-en.md"]


def test_an_edition_given_as_a_source_is_a_one_line_error(project):
    assert build().exit_code == 0
    result = run("build", "--source", Path("out") / "tiny.zh-en.md", "--out", "out2")
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {Path('out') / 'tiny.zh-en.md'}: an edition this tool wrote, not a source"
                             " — give the PDF or text export it was built from\n")


# -- segment states: summary line and --check ------------------------------------------------------


def test_build_summary_counts_every_segment_state_on_one_line(project):
    english = {k: v for k, v in TINY_ENGLISH.items() if k != "meta#agency"}
    (project / "tr" / "tiny.zh-en.yaml").write_text(tiny_memory_text(english, origin={"ch1#heading": "machine"}), encoding="utf-8")
    result = build()
    assert result.exit_code == 0
    assert result.stderr == "built 1 document(s) (0 from cache), wrote 4 file(s) to out; segments: 5 translated, 1 draft, 0 stale, 1 missing\n"


def test_check_fails_on_draft_segments_naming_them_and_the_command_that_accepts_them(project):
    write_memory(project, TINY_ENGLISH[PARA_KEY], origin={PARA_KEY: "machine", "ch1#heading": "machine"})
    assert build().exit_code == 0
    result = build("--check")
    assert result.exit_code == 1
    tr = Path("tr") / "tiny.zh-en.yaml"
    assert result.stderr == (
        f"tiny: 2 draft segment(s) — English not reviewed yet, a machine draft or a reused close match (ch1#heading, {PARA_KEY}): review them in {tr},"
        f" then run `edition memory accept tiny.txt --translations tr --glossary {GLOSSARY} --all`\n"
        "Error: 1 problem(s), 0 failed document(s)\n"
    )


def test_check_fails_on_stale_segments_pointing_to_memory_status(project):
    old = "本次考察拜會產業技術總合研究所。"
    text = tiny_memory_text().replace(f'"{PARA_ZH}"', f'"{old}"').replace(zh_hash(PARA_ZH), zh_hash(old))
    (project / "tr" / "tiny.zh-en.yaml").write_text(text, encoding="utf-8")
    assert build().exit_code == 0
    result = build("--check")
    assert result.exit_code == 1
    opts = f"--translations tr --glossary {GLOSSARY}"
    assert result.stderr.splitlines()[0] == (
        f"tiny: 1 stale segment(s) — the Chinese changed since the English was written ({PARA_KEY}):"
        f" `edition memory status tiny.txt {opts}` shows old and new Chinese; fix the English, then run"
        f" `edition memory accept tiny.txt {opts} KEY…`"
    )
    qa = (project / "out" / "tiny.qa.md").read_text(encoding="utf-8").splitlines()
    i = qa.index("## stale-translation (1)")
    assert qa[i + 2:i + 5] == [
        f"- {PARA_KEY}: the Chinese changed since it was translated — review the English, then `edition memory accept tiny.txt {PARA_KEY}`",
        f"  - old: {old}",
        f"  - new: {PARA_ZH}",
    ]
    assert "| stale — the Chinese changed since the English was written | 1 |" in qa


def test_check_fails_on_missing_segments_counting_them_and_saying_how_to_start(project):
    (project / "tr" / "tiny.zh-en.yaml").unlink()
    assert build().exit_code == 0
    result = build("--check")
    assert result.exit_code == 1
    opts = f"--translations tr --glossary {GLOSSARY}"
    assert result.stderr.splitlines()[0] == (
        "tiny: 7 missing segment(s) — no English yet (meta#title, meta#report_kind, meta#trip_category, … (4 more)):"
        f" start the memory with `edition memory init tiny.txt {opts}` and write it in {Path('tr') / 'tiny.zh-en.yaml'},"
        f" or draft it with `edition build --source tiny.txt {opts} --backend openai --endpoint URL`"
    )
    qa = (project / "out" / "tiny.qa.md").read_text(encoding="utf-8")
    # the QA report does not send the user to a file that does not exist
    assert "tiny.zh-en.yaml does not exist yet — `edition memory init tiny.txt` starts it" in qa
    assert "no English in tiny.zh-en.yaml" not in qa


def test_check_fails_on_a_file_in_the_output_folder_that_no_source_produces(project):
    assert build().exit_code == 0
    (project / "out" / "orphan.json").write_text("{}\n", encoding="utf-8")
    (project / "out" / ".hidden").write_text("x\n", encoding="utf-8")  # hidden files are not the edition's
    result = build("--check")
    assert result.exit_code == 1
    assert result.stderr == (
        f"{Path('out') / 'orphan.json'}: no source produces it — delete it (or restore its source)\n"
        "Error: 1 problem(s), 0 failed document(s)\n"
    )


# -- the document JSON -----------------------------------------------------------------------------


def test_document_json_opens_with_schema_version_source_and_metadata(project):
    assert build().exit_code == 0
    text = (project / "out" / "tiny.json").read_text(encoding="utf-8")
    assert list(json.loads(text))[:3] == ["schema_version", "source", "metadata"]
    assert text.index('"blocks"') > text.index('"metadata"')


def test_numeric_keys_sort_as_numbers():
    from edition.render.json import canonical

    assert list(canonical({"10": "1", "9": "x", "100": "91", "b": 0, "a": 1})) == ["9", "10", "100", "a", "b"]


def test_committed_edition_lists_printed_pages_in_page_order():
    doc = json.loads((ROOT / "output" / "hokkaido-report.json").read_text(encoding="utf-8"))
    assert list(doc)[:3] == ["schema_version", "source", "metadata"]
    pages = list(doc["source"]["printed_pages"])
    assert pages == sorted(pages, key=int)
