"""Stacked termbase layers: the packaged technical vocabulary under a workspace's own glossary,
an entry of a higher layer overriding one with the same id, every command saying which layer an
entry comes from; coverage of a parenthetical pair only when both sides are forms of one entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, run
from edition.errors import DataFileError
from edition.glossary.mine import mine_candidates, uncovered_pairs
from edition.glossary.termbase import PACKAGED_DIR, load_layers, load_termbase

CORPUS = ROOT.parent / "shared" / "corpus"
TECHNICAL = PACKAGED_DIR / "technical.yaml"


def write_layer(folder: Path, entries: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "terms.yaml").write_text("schema_version: 1\nentries:\n" + entries, encoding="utf-8")
    return folder


OWN_CNN = """  - id: cnn
    type: term
    zh: 卷積神經網路
    en: ConvNet
    abbr: [CNN]
  - id: hand-board
    type: term
    zh: 電阻式手寫板
    en: resistive handwriting pad
    abbr: [OCR]
"""


def test_a_higher_layer_overrides_an_entry_by_id_and_takes_a_form_it_gives_another(tmp_path, monkeypatch):
    own = write_layer(tmp_path / "glossary", OWN_CNN)
    termbase = load_layers(["edition:technical", "glossary"], tmp_path)
    assert termbase.by_id["cnn"].en == "ConvNet" and termbase.by_id["cnn"].layer == "glossary"
    assert termbase.by_id["tcp"].layer == "edition:technical"
    assert len(termbase.entries) == 69 + 1  # cnn replaced, hand-board added
    assert termbase.by_form["ocr"].entry_id == "hand-board"  # the higher layer took the abbreviation
    assert termbase.overrides == (
        "glossary: entry 'cnn' overrides the one in edition:technical",
        "edition:technical: 'OCR' of 'ocr' is a form of 'hand-board' in a higher layer, which takes it",
    )
    from edition.glossary.match import find_mentions

    mentions = find_mentions("OCR 與光學字元辨識", termbase)
    assert [(m.entry_id, m.form) for m in mentions] == [("hand-board", "OCR"), ("ocr", "光學字元辨識")]
    # the same layers as a workspace's: the commands say which layer
    (tmp_path / "edition.toml").write_text('[glossary]\nlayers = ["edition:technical", "glossary"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    check = run("glossary", "check")
    lookup = run("lookup", "卷積神經網路", "--json")
    assert check.exit_code == 0, check.output
    assert "note: glossary: entry 'cnn' overrides the one in edition:technical" in check.stdout.splitlines()
    assert '"layer": "glossary"' in lookup.stdout and '"en": "ConvNet"' in lookup.stdout
    assert own.is_dir()


def test_a_duplicate_inside_one_layer_is_still_an_error(tmp_path):
    write_layer(tmp_path / "glossary", OWN_CNN + OWN_CNN.replace("id: hand-board", "id: other"))
    with pytest.raises(DataFileError, match="duplicate id 'cnn'"):
        load_layers(["glossary"], tmp_path)


def test_an_unknown_packaged_layer_is_a_one_line_error(tmp_path):
    with pytest.raises(DataFileError) as err:
        load_layers(["edition:medical"], tmp_path)
    assert str(err.value) == "edition:medical: no such packaged termbase — use one of edition:technical, or a folder of *.yaml"


def test_the_technical_termbase_is_valid_and_every_entry_has_chinese_english_and_a_source_note():
    termbase = load_termbase(TECHNICAL, validate=True)
    assert len(termbase.entries) >= 60
    for e in termbase.entries:
        assert e.zh and e.en and e.note, e.id
        assert not any(v.kind in ("alternative", "shinjitai", "ocr") for v in e.variants), e.id  # terms are not rewritten
    by_id = termbase.by_id
    assert (by_id["ocr"].zh, by_id["ocr"].en, by_id["ocr"].abbr) == ("光學字元辨識", "optical character recognition", ("OCR",))
    assert {v.form: v.kind for v in by_id["cnn"].variants} == {
        "捲積神經網路": "spelling", "卷积神经网络": "simplified", "卷積神經網絡": "spelling"}
    assert by_id["tcp"].abbr == ("TCP",) and by_id["tcp"].zh == "傳輸控制協定"


def test_a_term_in_a_traditional_report_stays_as_the_author_wrote_it(tmp_path):
    from edition.glossary.normalise import normalise_text

    termbase = load_layers(["edition:technical"])
    result = normalise_text("本系統以捲積神經網路辨識字跡，並做中文分词。", termbase)
    # 捲積 is the author's; 词 (a Simplified character) is fixed, 分詞 stays 分詞 (not 斷詞)
    assert result.text == "本系統以捲積神經網路辨識字跡，並做中文分詞。"


PAIRS = "在廣為使用的光學字元辨識（Optical Character Recognition，OCR）[5]，\n以及字跡辨識系統（OCR）。\n"


def test_a_pair_is_covered_only_when_both_its_sides_are_forms_of_one_entry(tmp_path):
    termbase = load_layers(["edition:technical"])
    assert uncovered_pairs("光學字元辨識（Optical Character Recognition，OCR）", termbase) == []
    gaps = uncovered_pairs(PAIRS, termbase)
    # the second pair's Chinese is no form of the OCR entry: its abbreviation alone does not cover it
    assert [(g.pair.form, g.pair.english, g.chinese_names, g.english_names) for g in gaps] == [
        ("字跡辨識系統", "OCR", None, "ocr")]


def test_mine_proposes_a_term_the_report_defines_even_when_its_abbreviation_is_known(tmp_path):
    layer = write_layer(tmp_path / "g", """  - id: ocr-abbr
    type: term
    zh: 文字辨識
    en: text recognition
    abbr: [OCR]
""")
    termbase = load_layers([layer])
    candidates = mine_candidates(PAIRS, termbase)
    assert [(c.form, c.english, c.reason) for c in candidates] == [
        ("光學字元辨識", "Optical Character Recognition, OCR", "defined term")]


@pytest.mark.skipif(not (CORPUS / "kunsheng-report.pdf").is_file(), reason="the development corpus (../shared/corpus) is not here")
def test_the_technical_layer_knows_the_terms_the_corpus_defines():
    from edition.glossary.mine import source_to_text

    termbase = load_layers(["edition:technical"])
    text = source_to_text(CORPUS / "kunsheng-report.pdf")
    from edition.glossary.match import find_mentions

    found = {m.entry_id for m in find_mentions(text, termbase)}
    assert {"ocr", "cnn", "tcp", "udp", "http", "adc", "relu", "dropout", "deep-learning", "neural-network"} <= found
    # every pair the report defines with its initials is a known term now
    assert [c for c in mine_candidates(text, termbase) if c.reason == "defined term"] == []
    crawler = source_to_text(CORPUS / "crawler-report.pdf")  # a Simplified report, as printed
    assert {"knowledge-graph", "web-crawler", "graph-database", "gui"} <= {m.entry_id for m in find_mentions(crawler, termbase)}


def test_the_consistency_check_reads_every_layer_and_names_the_layer_of_the_entry(tmp_path):
    from edition.translate.apply import consistency_findings
    from edition.translate.segments import Segment

    write_layer(tmp_path / "glossary", OWN_CNN)
    termbase = load_layers(["edition:technical", "glossary"], tmp_path)
    seg = Segment("p#text", "本系統以傳輸控制協定傳送卷積神經網路的結果。", "paragraph", ("tcp", "cnn"))
    findings = consistency_findings(seg, "The system sends the results over a network.", termbase)
    assert [f["message"] for f in findings] == [
        "p#text: the Chinese names 傳輸控制協定 but the English does not use either 'Transmission Control Protocol' or 'TCP'"
        " (termbase edition:technical)",
        "p#text: the Chinese names 卷積神經網路 but the English does not use either 'ConvNet' or 'CNN' (termbase glossary)",
    ]
    assert consistency_findings(seg, "It sends the CNN's results over TCP.", termbase) == []
