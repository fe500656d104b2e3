"""The glossary stage applied to the real report: normalised text with its originals, mentions."""

from __future__ import annotations

import json

from pathlib import Path

import pytest

from conftest import ROOT, walk
from edition.glossary.apply import apply_glossary, iter_text_nodes, text_mentions
from edition.glossary.normalise import Edit, apply_edits
from edition.glossary.termbase import load_termbase

GLOSSARY = Path(__file__).resolve().parents[1] / "glossary" / "institutions.yaml"


@pytest.fixture(scope="module")
def clean(text_doc):
    return apply_glossary(text_doc, load_termbase(GLOSSARY))


def _nodes(doc):
    return [n for _, n in iter_text_nodes(doc)]


def test_simplified_leak_in_prose_fixed_and_original_kept(clean):
    item = next(n for n in walk(clean["blocks"]) if n.get("type") == "list_item" and "一連串的" in n.get("text", ""))
    assert item["text"].endswith("激起一連串的創新。")
    assert item["original"]["text"].endswith("激起一連串的创新。")
    assert any(e["original"] == "创" and e["replacement"] == "創" and e["kind"] == "simplified" for e in item["edits"])


def test_every_change_can_be_undone_from_the_recorded_edits(clean):
    changed = [n for n in _nodes(clean) if n.get("edits")]
    assert len(changed) > 20
    for n in changed:
        for field, original in n["original"].items():
            edits = [Edit(e["start"], e["end"], e["original"], e["replacement"], e["kind"]) for e in n["edits"] if e["field"] == field]
            value = n[field] if not field.startswith("figure_text[") else n["figure_text"][int(field[12:-1])]
            assert apply_edits(original, edits) == value


def test_japanese_addresses_and_names_in_the_itinerary_stay_as_printed(clean):
    t1 = next(n for n in walk(clean["blocks"]) if n.get("type") == "table" and n.get("number") == 1)
    cells = [c.get("text", "") for row in t1["rows"] for c in row]
    assert any("札幌市北区北8条西5" in c for c in cells)
    assert any("札幌市豊平区月寒東2条17-2-1" in c for c in cells)
    assert any("札幌総合卸センター8号館" in c for c in cells)
    assert any("大澤恒一" in c for c in cells) and any("岩田 敦" in c for c in cells)


def test_shinjitai_institution_name_in_chinese_prose_unified(clean):
    t1 = next(n for n in walk(clean["blocks"]) if n.get("type") == "table" and n.get("number") == 1)
    cell = next(c for row in t1["rows"] for c in row if "北海道中心" in c.get("text", "") and "拜會" in c.get("text", ""))
    assert cell["text"].startswith("拜會產業技術總合研究所北海道中心")
    assert cell["original"]["text"].startswith("拜會產業技術総合研究所北海道中心")
    assert any(t["id"] == "aist-hokkaido" for t in cell["terms"])


def test_mentions_recorded_on_the_nodes_that_hold_them(clean):
    para = next(n for n in walk(clean["blocks"]) if n.get("type") == "paragraph" and n.get("text", "").startswith("因應全球化劇烈競爭"))
    ids = {t["id"] for t in para["terms"]}
    assert "oecd" in ids
    for t in para["terms"]:
        assert para["text"][t["start"] : t["end"]] == t["form"]
    assert clean["stats"]["mentions"] > 900
    used = {e["id"] for e in clean["glossary"]}
    assert {"oecd", "aist", "hokudai"} <= used


def test_correct_traditional_words_are_left_alone(clean):
    texts = " ".join(n.get("text", "") for n in walk(clean["blocks"]) if n.get("type") in ("paragraph", "list_item"))
    assert "干預" in texts and "幹預" not in texts
    assert "硏" not in texts and "聯攜" not in texts


def test_japanese_figure_words_keep_their_characters_in_the_pdf_figure_text():
    doc = {
        "metadata": {},
        "blocks": [{"type": "figure", "id": "fig-48", "label": "図 48", "caption": "北大Business Spring 設地",
                    "figure_text": ["施設のイメージ", "施設外観", "居室", "共用会議室", "リラクゼーションコーナー"]}],
    }
    fig = apply_glossary(doc, load_termbase(GLOSSARY))["blocks"][0]
    assert fig["figure_text"] == ["施設のイメージ", "施設外観", "居室", "共用会議室", "リラクゼーションコーナー"]
    assert fig["label"] == "圖 48"  # the caption is Chinese: normalised as before
    assert all(not e["field"].startswith("figure_text") for e in fig.get("edits", []))


def test_chinese_figure_words_without_kana_around_them_are_still_normalised():
    doc = {"metadata": {}, "blocks": [{"type": "figure", "id": "f", "figure_text": ["產総研", "会議室"]}]}
    fig = apply_glossary(doc, load_termbase(GLOSSARY))["blocks"][0]
    assert fig["figure_text"] == ["產總研", "會議室"]


def test_the_built_edition_keeps_the_japanese_words_of_figure_48():
    built = json.loads((GLOSSARY.parent.parent / "output" / "hokkaido-report.json").read_text(encoding="utf-8"))
    fig = next(n for n in walk(built["blocks"]) if n.get("id") == "fig-48")
    assert "施設外観" in fig["figure_text"] and "共用会議室" in fig["figure_text"]


@pytest.mark.parametrize("text", ["地址：札幌市北区北8条西5丁目", "位於札幌市北區北8條至北25條之間"])
def test_a_city_in_an_address_is_a_place_not_a_mention_of_the_city_government(text):
    assert [m.entry_id for m in text_mentions(text, load_termbase(GLOSSARY))] == []


def test_the_city_government_in_prose_is_still_a_mention():
    assert [m.entry_id for m in text_mentions("札幌市政府提供資金", load_termbase(GLOSSARY))] == ["sapporo-city"]


def test_a_report_written_in_simplified_is_converted_whole_and_keeps_its_original(tmp_path):
    # a Traditional report with a leak gets the leak fixed (the charmap); a Simplified report is
    # converted whole (OpenCC s2tw), every change an edit of kind "simplified" with its original
    from edition.glossary.apply import apply_glossary
    from edition.glossary.normalise import apply_edits
    from edition.glossary.termbase import load_termbase
    from edition.pipeline import extract

    src = tmp_path / "notice.txt"
    text = "关于开展网络爬虫课程设计的通知"
    body = "为加强学生软件编程能力，请于本月底前提交课程设计报告，报告须说明实现方法与测试结果。"
    src.write_text(f"{text}\n\n{body}\n", encoding="utf-8")
    doc = apply_glossary(extract(src), load_termbase(ROOT / "glossary" / "institutions.yaml"))
    para = doc["blocks"][0]
    assert doc["source"]["script"] == "zh-Hans"
    assert para["text"] == "為加強學生軟件編程能力，請於本月底前提交課程設計報告，報告須說明實現方法與測試結果。"
    assert para["original"]["text"] == body
    assert {e["kind"] for e in para["edits"]} == {"simplified"}
    assert apply_edits(body, [_edit(e) for e in para["edits"]]) == para["text"]
    assert doc["metadata"]["title"] == "關於開展網絡爬蟲課程設計的通知"


def _edit(e):
    from edition.glossary.normalise import Edit

    return Edit(e["start"], e["end"], e["original"], e["replacement"], e["kind"])


def test_a_traditional_report_is_not_converted_whole(pdf_doc):
    from edition.glossary.apply import document_script
    from edition.glossary.charmap import charmap_for
    from edition.glossary.termbase import load_termbase

    assert document_script(pdf_doc, charmap_for(load_termbase(ROOT / "glossary" / "institutions.yaml"))) == "zh-Hant"


def test_copy_document_copies_as_deepcopy_does():
    """model.copy_document is copy.deepcopy for a document: the same copy, shared parts shared."""
    import copy
    import pickle
    from collections import OrderedDict

    from edition.model import copy_document

    shared = [1, {"a": "b"}]
    doc = {"blocks": [{"text": "中文", "bbox": [1.5, 2.0], "n": None, "ok": True}], "s": shared, "again": shared,
           "t": (shared, 3), "o": OrderedDict(k=[1])}
    mine, theirs = copy_document(doc), copy.deepcopy(doc)
    assert pickle.dumps(mine) == pickle.dumps(theirs)
    assert mine["s"] is mine["again"] is mine["t"][0] and mine["s"] is not shared
