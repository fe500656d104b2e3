"""The published JSON Schemas mean the same to every validator: their patterns are ECMA-262
(as ajv and check-jsonschema read them), and the outputs pass a second, ECMA-262 validator."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import GLOSSARY, ROOT, TINY_EXPORT, run, tiny_memory_text
from edition.glossary.termbase import PACKAGED_DIR
from edition.schema import load_schema, schema_errors

SCHEMAS = ROOT / "src" / "edition" / "schema"
CHECK_JSONSCHEMA = shutil.which("check-jsonschema") or str(Path(sys.executable).with_name("check-jsonschema"))


def second_validator(schema: str, *files: Path) -> subprocess.CompletedProcess:
    """check-jsonschema with its default (ECMA-262, via regress) regular expressions."""
    return subprocess.run([CHECK_JSONSCHEMA, "--regex-variant", "default", "--schemafile", str(SCHEMAS / f"{schema}.schema.json"),
                           *map(str, files)], capture_output=True, text=True)


def patterns(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "pattern" and isinstance(v, str):
                yield v
            else:
                yield from patterns(v)
    elif isinstance(node, list):
        for v in node:
            yield from patterns(v)


def test_a_value_ending_in_a_newline_fails_every_anchored_pattern_as_it_does_in_ecma_262():
    import regress

    found = 0
    for name in ("document", "glossary", "memory"):
        for pattern in patterns(load_schema(name)):
            regress.Regex(pattern, "u")  # every pattern is valid ECMA-262
            if pattern.endswith("$"):
                found += 1
    assert found >= 4
    assert schema_errors({"schema_version": 1, "entries": [{"id": "aist\n", "type": "agency", "zh": "產總研", "en": "AIST"}]}, "glossary")
    assert schema_errors({"schema_version": 1, "entries": [{"id": "aist", "type": "agency", "zh": "產總研\n", "en": "AIST"}]}, "glossary")
    assert not schema_errors({"schema_version": 1, "entries": [{"id": "aist", "type": "agency", "zh": "產總研", "en": "AIST"}]}, "glossary")


def test_edition_validate_and_the_second_validator_agree_on_a_trailing_newline(tmp_path):
    doc = json.loads((ROOT / "output" / "hokkaido-report.json").read_text(encoding="utf-8"))
    doc["source"]["sha256"] += "\n"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = run("validate", bad)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {bad}: $.source.sha256: ") and "does not match" in result.stderr
    assert second_validator("document", bad).returncode == 1

    glossary = tmp_path / "terms.yaml"
    glossary.write_text('schema_version: 1\nentries:\n  - {id: aist, type: agency, zh: "產總研\\n", en: AIST}\n', encoding="utf-8")
    assert run("validate", glossary).exit_code == 1
    assert second_validator("glossary", glossary).returncode == 1


def test_the_committed_edition_memory_and_termbases_pass_the_second_validator():
    result = second_validator("document", ROOT / "output" / "hokkaido-report.json")
    assert result.returncode == 0, result.stdout + result.stderr
    result = second_validator("memory", ROOT / "translations" / "hokkaido-report.zh-en.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    result = second_validator("glossary", GLOSSARY, PACKAGED_DIR / "technical.yaml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_fresh_edition_with_drafts_and_reuse_passes_both_validators(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tiny.txt").write_text(TINY_EXPORT, encoding="utf-8")
    (tmp_path / "tr").mkdir()
    (tmp_path / "tr" / "tiny.zh-en.yaml").write_text(tiny_memory_text(origin={"ch1#heading": "machine"}), encoding="utf-8")
    (tmp_path / "visit.txt").write_text(TINY_EXPORT.replace("機制。", "之機制。"), encoding="utf-8")
    assert run("memory", "init", "visit.txt", "--translations", "tr", "--glossary", GLOSSARY).exit_code == 0
    assert run("build", "--source", "tiny.txt", "--source", "visit.txt", "--out", "out", "--translations", "tr", "--glossary", GLOSSARY).exit_code == 0
    for name in ("tiny", "visit"):
        assert run("validate", tmp_path / "out" / f"{name}.json").exit_code == 0
        result = second_validator("document", tmp_path / "out" / f"{name}.json")
        assert result.returncode == 0, result.stdout + result.stderr
    result = second_validator("memory", tmp_path / "tr" / "tiny.zh-en.yaml", tmp_path / "tr" / "visit.zh-en.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "similarity: 0.98" in (tmp_path / "tr" / "visit.zh-en.yaml").read_text(encoding="utf-8")


def _mutations(doc: dict):
    """The report's document, broken in the ways a builder could break it."""
    yield "a hash ending in a newline (ECMA-262 $)", lambda d: d["source"].__setitem__("sha256", d["source"]["sha256"] + "\n")
    yield "an unknown furniture kind", lambda d: d["furniture"][0].__setitem__("kind", "sticker")
    yield "a page that is a string", lambda d: d["furniture"][0].__setitem__("page", "3")
    yield "a field the schema does not know", lambda d: d["source"].__setitem__("colour", "red")
    yield "a required field gone", lambda d: d.__delitem__("schema_version")


def test_the_fast_validator_and_the_python_validator_agree_on_the_report_and_on_its_breakages():
    # write-time validation asks jsonschema-rs first; a document it passed is never looked at again
    from edition.schema import _fast_validator

    fast = _fast_validator("document")
    if fast is None:
        pytest.skip("jsonschema-rs is not installed: the Python validator does it all")
    import copy

    doc = json.loads((ROOT / "output" / "hokkaido-report.json").read_text(encoding="utf-8"))
    assert fast.is_valid(doc) and schema_errors(doc) == []
    broken = 0
    for what, mutate in _mutations(doc):
        bad = copy.deepcopy(doc)
        mutate(bad)
        assert not fast.is_valid(bad), what
        assert schema_errors(bad) != [], what
        broken += 1
    assert broken == 5
