"""Termbase loading: the fixture and real glossary load; bad files fail in one line with file:line:path."""

from pathlib import Path

import pytest

from edition.errors import DataFileError
from edition.glossary.termbase import (
    Variant,
    default_glossary_dir,
    form_key,
    load_termbase,
    termbase_version,
)

FIXTURE = Path(__file__).parent / "fixtures" / "glossary" / "termbase"
REAL_GLOSSARY = Path(__file__).resolve().parents[1] / "glossary"

ENTRY = """\
  - id: {id}
    type: agency
    zh: {zh}
    en: {en}
    variants:
      - {{form: {variant}, kind: {kind}}}
    parent: {parent}
"""


def write_termbase(directory: Path, name: str, entries: list[dict]) -> Path:
    """A termbase file from entry dicts (id, zh, en, variant, kind, parent)."""
    directory.mkdir(parents=True, exist_ok=True)
    body = "".join(
        ENTRY.format(**{"variant": "甲乙", "kind": "short", "parent": "null", **e}) for e in entries
    )
    path = directory / name
    path.write_text("schema_version: 1\nentries:\n" + body, encoding="utf-8")
    return path


def test_fixture_termbase_loads_with_schema_validation():
    termbase = load_termbase(FIXTURE, validate=True)
    aist = termbase.entry("aist")
    assert aist.zh == "產業技術總合研究所"
    assert aist.abbr == ("AIST",)
    assert Variant("產總研", "short") in aist.variants
    assert termbase.by_form[form_key("aist")].entry_id == "aist"


def test_charmap_yaml_in_the_glossary_is_not_read_as_a_termbase_file():
    termbase = load_termbase(FIXTURE)
    assert [f.name for f in termbase.files] == ["institutions.yaml"]


def test_form_key_ignores_width_case_and_whitespace():
    assert form_key(" ＡＩＳＴ ") == form_key("aist") == "aist"
    assert form_key("HU R&BP") == form_key("hu　r&bp")


def test_schema_error_names_file_line_and_yaml_path(tmp_path):
    path = write_termbase(tmp_path, "a.yaml", [{"id": "one", "zh": "甲機構", "en": "One", "kind": "typo"}])
    with pytest.raises(DataFileError) as info:
        load_termbase(tmp_path)
    message = str(info.value)
    assert message.startswith(f"{path}:8: entries[0].variants[0].kind: 'typo' is not one of [")
    assert message.endswith("— fix the value")
    assert "\n" not in message


def test_schema_error_for_missing_key_says_add_the_key(tmp_path):
    (tmp_path / "a.yaml").write_text(
        "schema_version: 1\nentries:\n  - id: one\n    type: agency\n    zh: 甲\n", encoding="utf-8"
    )
    with pytest.raises(DataFileError, match=r"a\.yaml:3: entries\[0\]: 'en' is a required property — add the key$"):
        load_termbase(tmp_path)


def test_yaml_syntax_error_is_one_line_with_file_and_line(tmp_path):
    (tmp_path / "a.yaml").write_text("schema_version: 1\nentries:\n  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_termbase(tmp_path)
    message = str(info.value)
    assert message.startswith(f"{tmp_path / 'a.yaml'}:4: YAML syntax error:")
    assert message.endswith("— fix the syntax")
    assert "\n" not in message


def test_empty_file_is_an_error(tmp_path):
    (tmp_path / "a.yaml").write_text("# nothing yet\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"a\.yaml:1: file is empty"):
        load_termbase(tmp_path)


def test_duplicate_id_across_files_names_both_locations(tmp_path):
    first = write_termbase(tmp_path, "a.yaml", [{"id": "one", "zh": "甲機構", "en": "One"}])
    second = write_termbase(tmp_path, "b.yaml", [{"id": "one", "zh": "乙機構", "en": "Two", "variant": "乙"}])
    with pytest.raises(DataFileError) as info:
        load_termbase(tmp_path)
    assert str(info.value) == (
        f"{second}:3: entries[0].id: duplicate id 'one' (first at {first}:3: entries[0].id) — rename one of them"
    )


def test_conflicting_variant_in_two_entries_is_an_error(tmp_path):
    path = write_termbase(
        tmp_path,
        "a.yaml",
        [
            {"id": "one", "zh": "甲機構", "en": "One", "variant": "甲乙"},
            {"id": "two", "zh": "乙機構", "en": "Two", "variant": "甲乙"},
        ],
    )
    with pytest.raises(DataFileError) as info:
        load_termbase(tmp_path)
    assert str(info.value) == (
        f"{path}:15: entries[1].variants[0].form: '甲乙' is already a form of 'one' at "
        f"{path}:8: entries[0].variants[0].form — keep it in one entry"
    )


def test_forms_conflict_after_width_and_case_folding(tmp_path):
    write_termbase(tmp_path, "a.yaml", [{"id": "one", "zh": "甲機構", "en": "One", "variant": "ＡＢ 機構"}])
    write_termbase(tmp_path, "b.yaml", [{"id": "two", "zh": "乙機構", "en": "Two", "variant": "ab機構"}])
    with pytest.raises(DataFileError, match=r"b\.yaml:8: entries\[0\]\.variants\[0\]\.form: 'ab機構' is already a form of 'one'"):
        load_termbase(tmp_path)


def test_two_entries_may_share_an_english_name(tmp_path):
    write_termbase(tmp_path, "a.yaml", [{"id": "old-name", "zh": "甲機構", "en": "Creative Research Initiative"}])
    write_termbase(tmp_path, "b.yaml", [{"id": "new-name", "zh": "乙機構", "en": "Creative Research Initiative", "variant": "乙"}])
    termbase = load_termbase(tmp_path)
    assert form_key("Creative Research Initiative") in termbase.shared_forms


def test_an_english_name_may_not_be_another_entrys_abbreviation(tmp_path):
    write_termbase(tmp_path, "a.yaml", [{"id": "one", "zh": "甲機構", "en": "AIST"}])
    write_termbase(tmp_path, "b.yaml", [{"id": "two", "zh": "乙機構", "en": "Two", "variant": "AIST", "kind": "abbreviation"}])
    with pytest.raises(DataFileError, match=r"b\.yaml:8: .*'AIST' is already a form of 'one'"):
        load_termbase(tmp_path)


def test_the_same_form_twice_in_one_entry_is_fine(tmp_path):
    write_termbase(tmp_path, "a.yaml", [{"id": "one", "zh": "甲機構", "en": "One", "variant": "甲機構"}])
    assert load_termbase(tmp_path).entry("one").zh == "甲機構"


def test_unknown_parent_is_an_error(tmp_path):
    path = write_termbase(tmp_path, "a.yaml", [{"id": "one", "zh": "甲機構", "en": "One", "parent": "nobody"}])
    with pytest.raises(DataFileError) as info:
        load_termbase(tmp_path)
    assert str(info.value) == f"{path}:9: entries[0].parent: unknown parent 'nobody' — use an existing id or null"


def test_fast_path_still_reports_malformed_entries_through_the_schema(tmp_path):
    path = write_termbase(tmp_path, "a.yaml", [{"id": "Bad_Id", "zh": "甲機構", "en": "One"}])
    with pytest.raises(DataFileError, match=r"a\.yaml:3: entries\[0\]\.id: 'Bad_Id' does not match"):
        load_termbase(path, validate=False)


def test_missing_glossary_directory_says_what_to_do(tmp_path):
    with pytest.raises(DataFileError, match="glossary not found — pass --glossary DIR"):
        load_termbase(tmp_path / "nope")


def test_termbase_version_changes_with_content(tmp_path):
    path = write_termbase(tmp_path, "a.yaml", [{"id": "one", "zh": "甲機構", "en": "One"}])
    before = termbase_version(tmp_path)
    assert before == termbase_version(tmp_path) and len(before) == 64
    path.write_text(path.read_text(encoding="utf-8").replace("One", "Uno"), encoding="utf-8")
    assert termbase_version(tmp_path) != before


def test_default_glossary_dir_prefers_the_current_directory(tmp_path, monkeypatch):
    (tmp_path / "glossary").mkdir()
    monkeypatch.chdir(tmp_path)
    assert default_glossary_dir().resolve() == (tmp_path / "glossary").resolve()


def test_default_glossary_dir_falls_back_to_the_repository(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert default_glossary_dir() == REAL_GLOSSARY


def test_importing_termbase_does_not_import_spacy_opencc_or_jsonschema():
    import subprocess
    import sys

    code = (
        "import sys, edition.glossary.termbase, edition.glossary.lookup; "
        "print(sorted(m for m in ('spacy', 'opencc', 'jsonschema', 'pdfplumber') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.skipif(not (REAL_GLOSSARY / "institutions.yaml").exists(), reason="glossary/institutions.yaml not written yet")
def test_real_glossary_passes_schema_and_conflict_checks():
    termbase = load_termbase(REAL_GLOSSARY / "institutions.yaml", validate=True)
    assert len(termbase.entries) > 20
