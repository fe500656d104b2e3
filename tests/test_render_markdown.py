"""The bilingual Markdown edition, on a tiny text export built in the test.

The export has a cover, lists of figures and tables, a chapter with a section, a paragraph with
a footnote (and Markdown characters before its mark), a list item, a figure printed as 圖 2 but
listed as figure 1, a source line and a table; the memory is written beside it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from edition.build import BuildSettings, build_document
from edition.glossary.apply import apply_glossary
from edition.glossary.termbase import load_termbase
from edition.pipeline import extract
from edition.render.markdown import MISSING, STALE, document_to_markdown
from edition.translate.memory import Unit, memory_to_yaml
from edition.translate.segments import document_to_segments, zh_hash

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "glossary" / "institutions.yaml"

TINY_EXPORT = "\n".join([
    "出國報告（出國類別：考察）", "",
    "北海道產學合作考察報告", "",
    "服務機關：行政院經濟建設委員會", "",
    "姓名職稱：廖弘凱組長", "",
    "派赴國家：日本", "",
    "出國期間：101年11月26日至11月30日", "",
    "報告日期：102年2月25日", "",
    "圖 次", "",
    "圖 1、產總研的組織\t2", "圖 2、北海道地圖\t3", "",
    "表 次", "",
    "表 1、考察行程表\t2", "",
    "第一章 前言", "",
    "壹、考察緣起", "",
    "本次考察拜會產業技術總合研究所北海道中心（簡稱*產總研*），瞭解產學合作機制¹。", "",
    "- 一、瞭解區域創新。", "",
    "¹ OECD於1961年成立，總部設於法國巴黎。", "",
    " ", "",
    "圖 2、產總研的組織", "",
    "資料來源：產業技術總合研究所", "",
    "表 1、考察行程表", "",
    "日期\t行程", "11/26(一)\t拜會產業技術總合研究所", "",
])

ENGLISH = {
    "meta#title": "Study of Industry–Academia Collaboration in Hokkaido",
    "meta#report_kind": "Report on an official trip abroad",
    "meta#trip_category": "study visit",
    "meta#agency": "Council for Economic Planning and Development",
    "meta#country": "Japan",
    "meta#author1": "Liao Hung-kai, Section Chief",
    "meta#travel_period": "26–30 November 2012",
    "meta#report_date": "25 February 2013",
    "fm-figures#heading": "List of Figures",
    "fm-figures#e1": "Organization of AIST",  # also the figure's caption: the same Chinese
    "fm-figures#e2": "Map of Hokkaido",
    "fm-tables#heading": "List of Tables",
    "fm-tables#e1": "Itinerary of the visit",  # also the table's caption
    "ch1#heading": "Introduction",
    "ch1.formal1#heading": "Background of the visit",
    "ch1.formal1/p1#text": "The delegation visited AIST Hokkaido (AIST for short) to learn about industry–academia collaboration.",
    "fn-1#text": "The OECD was founded in 1961 and is headquartered in Paris, France.",
    "ch1.formal1/l1.1#text": "(1) Understand regional innovation.",
    "fig-1#source": "Source: AIST",
    "tab-1#r1c1": "Date",
    "tab-1#r1c2": "Itinerary | visits",
    "tab-1#r2c1": "26 Nov (Mon)",
    "tab-1#r2c2": "Visit to AIST",
}


@pytest.fixture(scope="module")
def export_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("tiny")
    (d / "tiny.txt").write_text(TINY_EXPORT, encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def segments(export_dir):
    doc = apply_glossary(extract(export_dir / "tiny.txt"), load_termbase(GLOSSARY))
    return {s.key: s for s in document_to_segments(doc)}


def build(export_dir: Path, tmp_path: Path, segments, english: dict[str, str], extra: tuple[Unit, ...] = ()):
    """Build the tiny export with a memory holding ``english`` (key → English) plus ``extra`` units."""
    units = [Unit(k, segments[k].hash, segments[k].zh, en) for k, en in english.items()] + list(extra)
    (tmp_path / "tr").mkdir(exist_ok=True)
    (tmp_path / "tr" / "tiny.zh-en.yaml").write_text(memory_to_yaml(units), encoding="utf-8")
    settings = BuildSettings(out_dir=tmp_path / "out", glossary_dir=GLOSSARY, translations_dir=tmp_path / "tr", cache_dir=None)
    files = build_document(export_dir / "tiny.txt", settings)
    return json.loads(files["tiny.json"]), files["tiny.zh-en.md"]


@pytest.fixture(scope="module")
def full(export_dir, segments, tmp_path_factory):
    """The tiny edition with every segment translated: (document, Markdown lines)."""
    doc, md = build(export_dir, tmp_path_factory.mktemp("full"), segments, ENGLISH)
    return doc, md.splitlines()


def block_after(lines: list[str], first: str, n: int) -> list[str]:
    i = lines.index(first)
    return lines[i : i + n]


def test_every_segment_of_the_tiny_export_is_translated(full):
    doc, _ = full
    assert doc["stats"]["segments_missing"] == 0 and doc["stats"]["segments_stale"] == 0
    assert doc["stats"]["term_findings"] == 0


def test_cover_gives_title_and_fields_in_both_languages(full):
    _, lines = full
    assert lines[:3] == ["# 北海道產學合作考察報告", "", "# Study of Industry–Academia Collaboration in Hokkaido"]
    assert "| 報告類別 · Report type | 出國報告（考察） | Report on an official trip abroad — study visit |" in lines
    assert "| 服務機關 · Agency | 行政院經濟建設委員會 | Council for Economic Planning and Development |" in lines
    assert "| 姓名職稱 · Authors | 廖弘凱組長 | Liao Hung-kai, Section Chief |" in lines
    assert "| 出國期間 · Travel period | 101年11月26日至11月30日 | 26–30 November 2012 (2012-11-26 – 2012-11-30) |" in lines


def test_headings_are_chinese_then_english_with_the_number_in_english_form(full):
    _, lines = full
    assert "## 第一章 前言 · Chapter 1 Introduction" in lines
    assert "### 壹、考察緣起 · I. Background of the visit" in lines
    assert "## 圖 次 · List of Figures" in lines
    assert block_after(lines, "## 目錄 · Contents", 6)[2:] == [
        "- [圖 次 · List of Figures](#s-fm-figures)",
        "- [表 次 · List of Tables](#s-fm-tables)",
        "- [第一章 前言 · Chapter 1 Introduction](#s-ch1)",
        "  - [壹、考察緣起 · I. Background of the visit](#s-ch1-formal1)",
    ]
    assert '<a id="s-ch1-formal1"></a>' in lines


def test_list_of_figures_gives_the_english_with_the_figure_number(full):
    _, lines = full
    assert block_after(lines, "| 原文 · As printed | English | 頁 · Page |", 4) == [
        "| 原文 · As printed | English | 頁 · Page |",
        "|---|---|---|",
        "| 圖 1、產總研的組織 | Figure 1. Organization of AIST | 2 |",
        "| 圖 2、北海道地圖 | Figure 2. Map of Hokkaido | 3 |",
    ]


def test_paragraph_english_follows_as_a_blockquote_and_the_footnote_is_referenced_once_where_its_mark_stood(full):
    _, lines = full
    # the mark goes where it stood in the Chinese, although the escaped * shift the text; the
    # English under it refers to the note no second time (GitHub would show two back-links)
    zh = "本次考察拜會產業技術總合研究所北海道中心（簡稱\\*產總研\\*），瞭解產學合作機制[^1]。"
    assert block_after(lines, zh, 3) == [
        zh, "", "> The delegation visited AIST Hokkaido (AIST for short) to learn about industry–academia collaboration."]
    assert sum(line.count("[^1]") for line in lines) == 2  # the reference and the definition


def test_footnote_is_defined_once_in_both_languages(full):
    _, lines = full
    assert block_after(lines, "## 註釋 · Notes", 3) == [
        "## 註釋 · Notes", "",
        "[^1]: OECD於1961年成立，總部設於法國巴黎。<br>The OECD was founded in 1961 and is headquartered in Paris, France.",
    ]
    assert sum(1 for line in lines if line.startswith("[^1]:")) == 1


def test_list_item_gives_both_languages_on_one_line(full):
    _, lines = full
    assert "- 一、瞭解區域創新。<br>(1) Understand regional innovation." in lines


def test_figure_caption_is_bilingual_with_its_source_line_and_a_note_on_its_renumbering(full):
    _, lines = full
    assert block_after(lines, "> 🖼 **圖 2、產總研的組織** · **Figure 1. Organization of AIST**[^qa-1]", 5) == [
        "> 🖼 **圖 2、產總研的組織** · **Figure 1. Organization of AIST**[^qa-1]",
        ">",
        "> 資料來源：產業技術總合研究所 · Source: AIST",
        ">",
        "> *(picture not reproduced in this edition; line 36 of the text export)*",
    ]
    # the remark is a note the reader can follow, not reading text
    assert "[^qa-1]: *Editor's note:* Printed under the picture as 圖 2; the report's list of figures numbers it 1." in lines
    assert not any("**QA:**" in line for line in lines)


def test_table_is_gfm_with_a_header_separator_and_both_languages_in_cells(full):
    _, lines = full
    assert block_after(lines, "**表 1、考察行程表** · **Table 1. Itinerary of the visit**", 5) == [
        "**表 1、考察行程表** · **Table 1. Itinerary of the visit**",
        "",
        "| 日期<br>Date | 行程<br>Itinerary \\| visits |",  # a | in a cell is escaped
        "|---|---|",
        "| 11/26(一)<br>26 Nov (Mon) | 拜會產業技術總合研究所<br>Visit to AIST |",
    ]


def test_glossary_appendix_lists_the_institutions_named_sorted_by_english(full):
    _, lines = full
    assert block_after(lines, "## 附錄：名詞對照 · Appendix: Institutions named in the report", 7)[2:] == [
        "| 中文 | 日本語 | English | Abbr. |",
        "|---|---|---|---|",
        "| 產業技術總合研究所北海道中心 | 産業技術総合研究所北海道センター | AIST Hokkaido |  |",
        "| 行政院經濟建設委員會 |  | Council for Economic Planning and Development | CEPD |",
        "| 產業技術總合研究所 | 産業技術総合研究所 | National Institute of Advanced Industrial Science and Technology | AIST |",
    ]


def test_defects_of_the_source_are_listed_and_no_translation_gaps_when_all_is_translated(full):
    _, lines = full
    assert block_after(lines, "## 附錄：原文缺陷 · Appendix: Defects of the source", 4)[2:] == [
        "- **figure-renumbered** — caption printed as figure 2 is figure 1 in the list ('產總研的組織')",
        "- **figure-missing** — figure 2 '北海道地圖' is listed but has no caption in the body",
    ]
    assert "### Translation gaps" not in lines


def test_untranslated_segments_are_marked_where_the_english_would_stand_and_listed(export_dir, segments, tmp_path):
    english = {k: v for k, v in ENGLISH.items() if k not in ("ch1.formal1/p1#text", "fn-1#text", "tab-1#r2c2", "meta#agency")}
    doc, md = build(export_dir, tmp_path, segments, english)
    lines = md.splitlines()
    assert f"> {MISSING}" in lines
    assert f"[^1]: OECD於1961年成立，總部設於法國巴黎。<br>{MISSING}" in lines
    assert f"| 11/26(一)<br>26 Nov (Mon) | 拜會產業技術總合研究所<br>{MISSING} |" in lines
    assert f"| 服務機關 · Agency | 行政院經濟建設委員會 | {MISSING} |" in lines
    gaps = block_after(lines, "### Translation gaps", 6)[2:]
    assert gaps == [
        "- **missing-translation** — meta#agency: no English in tiny.zh-en.yaml yet — translate it",
        "- **missing-translation** — ch1.formal1/p1#text: no English in tiny.zh-en.yaml yet — translate it",
        "- **missing-translation** — fn-1#text: no English in tiny.zh-en.yaml yet — translate it",
        "- **missing-translation** — tab-1#r2c2: no English in tiny.zh-en.yaml yet — translate it",
    ]
    # never an empty English: no bare quote line outside figures, no cell or line ending in <br>
    assert not any(line == "> " or line.rstrip().endswith("<br>") or "<br> |" in line for line in lines)
    assert doc["stats"]["segments_missing"] == 4


def test_nothing_translated_still_marks_every_english_place(export_dir, segments, tmp_path):
    _, md = build(export_dir, tmp_path, segments, {})
    lines = md.splitlines()
    assert lines[2] == f"# {MISSING}"
    assert f"## 第一章 前言 · Chapter 1 {MISSING}" in lines
    assert f"| 姓名職稱 · Authors | 廖弘凱組長 | {MISSING} |" in lines
    assert f"| 日期<br>{MISSING} | 行程<br>{MISSING} |" in lines
    assert sum(line.count(MISSING) for line in lines) >= len(segments)


def test_stale_segment_shows_the_mark_and_the_old_english(export_dir, segments, tmp_path):
    old_zh, old_heading = "本次考察拜會產業技術總合研究所。", "考察起源"
    stale = (
        Unit("ch1.formal1/p1#text", zh_hash(old_zh), old_zh, "The delegation visited AIST (earlier wording)."),
        Unit("ch1.formal1#heading", zh_hash(old_heading), old_heading, "Origin of the visit"),
    )
    english = {k: v for k, v in ENGLISH.items() if k not in ("ch1.formal1/p1#text", "ch1.formal1#heading")}
    doc, md = build(export_dir, tmp_path, segments, english, stale)
    lines = md.splitlines()
    assert f"> {STALE} The delegation visited AIST (earlier wording)." in lines
    assert "### 壹、考察緣起 · I. Origin of the visit ⚠ *(stale)*" in lines
    assert ("- **stale-translation** — ch1.formal1/p1#text: the Chinese changed since it was translated — review the English,"
            " then `edition memory accept tiny.txt ch1.formal1/p1#text`") in lines
    assert [q["key"] for q in doc["qa"] if q["kind"] == "stale-translation"] == ["ch1.formal1#heading", "ch1.formal1/p1#text"]


def test_english_lacking_a_glossary_name_is_listed_as_a_translation_gap(export_dir, segments, tmp_path):
    english = dict(ENGLISH, **{"tab-1#r2c2": "Visit to the institute"})
    doc, md = build(export_dir, tmp_path, segments, english)
    assert ("- **term-inconsistent** — tab-1#r2c2: the Chinese names 產業技術總合研究所 but the English does not use "
            "either 'National Institute of Advanced Industrial Science and Technology' or 'AIST'") in md.splitlines()
    assert doc["stats"]["term_findings"] == 1


def test_rendering_is_deterministic_and_does_not_change_the_document(full):
    doc, lines = full
    before = json.dumps(doc, sort_keys=True)
    assert document_to_markdown(doc).splitlines() == lines
    assert document_to_markdown(doc) == document_to_markdown(doc)
    assert json.dumps(doc, sort_keys=True) == before


def test_unknown_node_type_is_visible_not_dropped(full):
    doc, _ = full
    odd = json.loads(json.dumps(doc))
    odd["blocks"].append({"type": "marginalia", "id": "x"})
    assert "<!-- unrendered node type marginalia -->" in document_to_markdown(odd)
