"""`edition build --source DIR -j N`: every document in DIR, in parallel, failures isolated."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import GLOSSARY, REPORT_PDF, REPORT_TXT, TINY_EXPORT, run


SECOND_EXPORT = TINY_EXPORT
OUTPUTS = ("{}.json", "{}.zh-en.md", "{}.qa.md", "{}.html")



def hashes(d: Path) -> dict[str, str]:
    """Every edition file under d → its hash (the manifest, which holds times, aside)."""
    return {str(p.relative_to(d)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(d.rglob("*"))
            if p.is_file() and p.name != "manifest.jsonl"}


@pytest.fixture
def docs(tmp_path, monkeypatch):
    """docs/ with the report's text export, a cut-off PDF and a second, small export."""
    monkeypatch.chdir(tmp_path)
    d = tmp_path / "docs"
    d.mkdir()
    (d / "hokkaido-report.txt").write_bytes(REPORT_TXT.read_bytes())
    (d / "broken.pdf").write_bytes(REPORT_PDF.read_bytes()[:100_000])
    (d / "visit.txt").write_text(SECOND_EXPORT, encoding="utf-8")
    (tmp_path / "tr").mkdir()
    return d


def build_dir(out: str, *extra):
    return run("build", "--source", "docs", "--out", out, "--translations", "tr", "--glossary", GLOSSARY, "--no-cache", *extra)


def test_one_bad_document_fails_alone_and_the_good_ones_are_written(docs, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "broken.json").write_text("the previous broken.json\n", encoding="utf-8")
    result = build_dir("out", "-j", "2")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "failed: docs/broken.pdf: the PDF is truncated (no %%EOF at its end) — download or copy it again",
        "built 2 document(s) (0 from cache), wrote 8 file(s) to out; segments: 0 translated, 0 draft, 0 stale, 897 missing; 1 failed",
        "Error: 1 of 3 document(s) failed",
    ]
    written = sorted(p.name for p in out.iterdir())
    expected = sorted([n.format(stem) for stem in ("hokkaido-report", "visit") for n in OUTPUTS] + ["broken.json", "manifest.jsonl"])
    assert written == expected
    assert (out / "broken.json").read_text(encoding="utf-8") == "the previous broken.json\n"


def test_parallel_build_writes_the_same_files_as_a_serial_one(docs, tmp_path):
    (docs / "broken.pdf").unlink()
    assert build_dir("parallel", "-j", "2").exit_code == 0
    assert build_dir("serial", "-j", "1").exit_code == 0
    assert hashes(tmp_path / "parallel") == hashes(tmp_path / "serial")
    assert len(hashes(tmp_path / "serial")) == 8


def test_a_broken_glossary_fails_the_whole_build_once_in_one_line(docs, tmp_path):
    gl = tmp_path / "gl"
    gl.mkdir()
    (gl / "institutions.yaml").write_text("schema_version: 1\nentries:\n  - id: [unclosed\n", encoding="utf-8")
    result = run("build", "--source", "docs", "--out", "out", "--translations", "tr", "--glossary", "gl", "-j", "2")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {Path('gl') / 'institutions.yaml'}:4: YAML syntax error: did not find expected ',' or ']'"
        " (while parsing a flow sequence at line 3) near entries[0].id[0] — fix the syntax\n"
    )
    assert not (tmp_path / "out").exists()


def test_two_sources_with_one_name_are_refused_before_anything_is_built(docs, tmp_path):
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "visit.txt").write_text(SECOND_EXPORT, encoding="utf-8")
    result = run("build", "--source", "docs/visit.txt", "--source", "other/visit.txt", "--out", "out")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {Path('docs/visit.txt')} and {Path('other/visit.txt')}: two documents named 'visit'"
        " would write the same output files — build them separately\n"
    )
