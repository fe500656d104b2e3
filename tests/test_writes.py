"""Writing files: one document's outputs all or nothing; a directory where a file should go is a
one-line error, never an IsADirectoryError traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import GLOSSARY, run, tiny_memory_text
from edition.errors import EditionError
from edition.fsutil import write_files_atomic, write_text_atomic


@pytest.fixture
def project(tiny_project):
    return tiny_project


def files_of(d: Path) -> dict[str, bytes]:
    """Every file under d → its bytes; the manifest aside (it records the failure)."""
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file() and p.name != "manifest.jsonl"}


def test_extract_to_a_directory_is_a_one_line_error(project):
    (project / "out").mkdir()
    result = run("extract", "tiny.txt", "-o", "out")
    assert result.exit_code == 1
    assert result.stderr == f"Error: -o out: is a directory — give a file name, e.g. -o {Path('out') / 'tiny.json'}\n"


def test_glossary_export_to_a_directory_is_a_one_line_error(project):
    (project / "out").mkdir()
    result = run("glossary", "export", "--format", "csv", "-o", "out", "--glossary", GLOSSARY)
    assert result.exit_code == 1
    assert result.stderr == f"Error: out: is a directory — give a file name (e.g. {Path('out') / 'name'})\n"


def test_one_documents_files_are_replaced_all_together_or_not_at_all(project):
    assert run("build", "--source", "tiny.txt", "--out", "out", "--translations", "tr", "--glossary", GLOSSARY).exit_code == 0
    (project / "tr" / "tiny.zh-en.yaml").write_text(
        tiny_memory_text().replace("The delegation visited", "The delegation went to"), encoding="utf-8")
    (project / "out" / "tiny.qa.md").unlink()
    (project / "out" / "tiny.qa.md").mkdir()  # one of the three cannot be written
    before = files_of(project / "out")
    result = run("build", "--source", "tiny.txt", "--out", "out", "--translations", "tr", "--glossary", GLOSSARY)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {Path('out') / 'tiny.qa.md'}: is a directory — give a file name (e.g. {Path('out') / 'tiny.qa.md' / 'name'})\n"
    assert files_of(project / "out") == before  # the JSON and the Markdown were not changed either


def test_a_move_failing_midway_puts_back_the_files_already_moved(tmp_path, monkeypatch):
    a, b, c = tmp_path / "a.json", tmp_path / "b.md", tmp_path / "c.md"
    a.write_text("old a\n")
    c.write_text("old c\n")
    real_replace = os.replace

    def failing_replace(src, dst):
        if Path(dst) == c:
            raise PermissionError(13, "Permission denied", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(EditionError) as err:
        write_files_atomic({a: "new a\n", b: "new b\n", c: "new c\n"})
    assert str(err.value) == f"{c}: cannot write (Permission denied) — check that it is a writable file; none of the document's files was changed"
    monkeypatch.setattr(os, "replace", real_replace)
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == {"a.json": "old a\n", "c.md": "old c\n"}  # no b, no temporary files


def test_atomic_write_to_a_directory_says_so(tmp_path):
    with pytest.raises(EditionError) as err:
        write_text_atomic(tmp_path, "x")
    assert str(err.value) == f"{tmp_path}: is a directory — give a file name (e.g. {tmp_path / 'name'})"


def test_the_json_writer_writes_what_json_dumps_writes():
    """render.json.dumps is a faster json.dumps(ensure_ascii=False, indent=1): the same text."""
    import json

    from edition.render.json import dumps

    value = {"a": [], "b": {}, "c": [1, 2.5, -0.0, 1e300, float("nan"), float("inf"), -float("inf"), True, False, None],
             "d": {"x": [{"y": "中文 \"quoted\" \\ \n\t\u2028 \U0001f600"}, [[]], [{}]], 3: "int key", 2.5: "float key",
                   True: "bool key", None: "null key"}, "e": (1, (2, "tuple")), "": "empty key", "f": 12345678901234567890}
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=1)
    for scalar in ("", "x", 0, -7, 0.1, None, True, [], {}):
        assert dumps(scalar) == json.dumps(scalar, ensure_ascii=False, indent=1)
