"""The glossary commands: exit codes, exact messages, help with examples, lookup start-up time."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from edition.cli import main

HERE = Path(__file__).parent
FIXTURE = HERE / "fixtures" / "glossary" / "termbase"
REPORT = HERE.parent / "source_docs" / "hokkaido-report.txt"
GLOSSARY_COMMANDS = [["lookup"], ["glossary"], ["glossary", "check"], ["glossary", "mine"], ["glossary", "export"]]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("command", GLOSSARY_COMMANDS, ids=" ".join)
def test_every_glossary_command_has_help_with_an_example(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_lookup_prints_names_abbreviations_and_variants():
    result = run("lookup", "AIST", "--glossary", FIXTURE)
    assert result.exit_code == 0
    assert result.output.splitlines()[:5] == [
        "產業技術總合研究所  [aist, agency]  (exact abbr: AIST)",
        "  ja: 産業技術総合研究所",
        "  en: National Institute of Advanced Industrial Science and Technology",
        "  abbr: AIST",
        "  variants: 產業技術総合研究所 (shinjitai); 产业技术总合研究所 (simplified); 產總研 (short); 産総研 (shinjitai)",
    ]


def test_lookup_json_is_a_list_of_entries_best_first():
    result = run("lookup", "產業技術總合研究所", "--json", "--glossary", FIXTURE)
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data[0]["id"] == "aist" and data[0]["score"] == 1.0
    assert set(data[0]) == {
        "id", "type", "zh", "ja", "en", "abbr", "variants", "parent", "note", "layer", "score", "how", "matched_form", "in_report"
    }
    assert data[0]["layer"] == str(FIXTURE)  # which termbase (layer) the entry comes from
    assert (data[0]["how"], data[0]["matched_form"]) == ("exact zh", "產業技術總合研究所")
    assert {"form": "產總研", "kind": "short"} in data[0]["variants"]


def test_lookup_shows_where_a_built_document_mentions_the_entry(tmp_path, monkeypatch):
    (tmp_path / "output").mkdir()
    doc = {
        "source": {"printed_pages": {"78": "69"}},
        "blocks": [{"type": "section", "heading": "陸、產總研北海道中心", "page": 78, "terms": [{"id": "aist"}], "children": []}],
    }
    (tmp_path / "output" / "hokkaido-report.json").write_text(json.dumps(doc), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("lookup", "aist", "--glossary", FIXTURE)
    assert "  in the report: 陸、產總研北海道中心 (p. 69)" in result.output.splitlines()


def test_lookup_without_a_match_exits_1_with_closest_entries():
    result = run("lookup", "METX", "--glossary", FIXTURE)
    assert result.exit_code == 1
    assert result.output == (
        "Error: no entry matches 'METX'; closest: 經濟產業省 (meti), 技術移轉組織 (tlo), 產業技術總合研究所 (aist)\n"
    )


def test_lookup_with_a_broken_glossary_exits_1_with_one_line(tmp_path):
    (tmp_path / "a.yaml").write_text("schema_version: 1\nentries:\n  - id: [\n", encoding="utf-8")
    result = run("lookup", "AIST", "--glossary", tmp_path)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {tmp_path / 'a.yaml'}:4: YAML syntax error:")
    assert result.output.count("\n") == 1


def test_glossary_check_prints_counts():
    result = run("glossary", "check", "--glossary", FIXTURE)
    assert result.exit_code == 0
    assert result.output == (
        f"ok: 10 entries, 15 variants, 8 abbreviations in {FIXTURE / 'institutions.yaml'}\n"
        "charmap: 5 simplified, 4 shinjitai characters\n"
    )


def test_glossary_check_reports_a_schema_error_in_one_line(tmp_path):
    (tmp_path / "a.yaml").write_text(
        "schema_version: 1\nentries:\n  - id: one\n    type: ministry\n    zh: 甲\n    en: One\n    source: rumour\n",
        encoding="utf-8",
    )
    result = run("glossary", "check", "--glossary", tmp_path)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tmp_path / 'a.yaml'}:7: entries[0].source: 'rumour' is not one of ['official', 'report'] — fix the value\n"
    )


def test_glossary_mine_prints_a_table_of_candidates(tmp_path):
    source = tmp_path / "report.txt"
    source.write_text("第一行\n推動文部科學省(MEXT)與札幌市產業振興財團\n", encoding="utf-8")
    result = run("glossary", "mine", source, "--glossary", FIXTURE)
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "count\tform\tenglish\tfirst line",
        "1\t文部科學省\tMEXT\t2",
        "1\t札幌市產業振興財團\t\t2",
    ]


def test_glossary_mine_rejects_a_non_utf8_source(tmp_path):
    source = tmp_path / "report.txt"
    source.write_bytes("北海道".encode("big5"))
    result = run("glossary", "mine", source, "--glossary", FIXTURE)
    assert result.exit_code == 1
    assert result.output == f"Error: {source}: not UTF-8 (byte 0) — export the text as UTF-8\n"


def test_glossary_export_writes_the_file(tmp_path):
    target = tmp_path / "glossary.json"
    result = run("glossary", "export", "--format", "json", "-o", target, "--glossary", FIXTURE)
    assert result.exit_code == 0 and result.output == ""
    assert json.loads(target.read_text(encoding="utf-8"))[0]["id"] == "aist"


def test_glossary_export_to_stdout_with_dash():
    result = run("glossary", "export", "--format", "csv", "-o", "-", "--glossary", FIXTURE)
    assert result.exit_code == 0
    assert result.output.startswith("id,type,zh,ja,en,abbr,variants,parent,note,layer\naist,agency,")


def test_glossary_export_where_no_directory_can_be_made_fails_in_one_line(tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    target = blocker / "g.tbx"  # a file stands where the directory should be
    result = run("glossary", "export", "--format", "tbx", "-o", target, "--glossary", FIXTURE)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {target}: cannot write (")
    assert result.output.endswith("— check the directory exists and is writable\n")
    assert result.output.count("\n") == 1


def test_glossary_export_creates_a_missing_output_directory(tmp_path):
    target = tmp_path / "new" / "g.csv"
    result = run("glossary", "export", "--format", "csv", "-o", target, "--glossary", FIXTURE)
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("id,")


def test_edition_lookup_runs_as_a_whole_command():
    # its speed target (< 0.3 s) is measured by benchmarks/bench_build.py; its import hygiene
    # by tests/test_glossary_termbase.py
    script = Path(sys.executable).with_name("edition")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "edition.cli"]
    done = subprocess.run([*command, "lookup", "AIST", "--glossary", str(FIXTURE)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "AIST" in done.stdout
