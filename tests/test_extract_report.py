"""Extraction of the real report, from the PDF and from the text export."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pytest

from conftest import REPORT_TXT, walk

CHAPTERS = ["第一章 前言", "第二章 行程簡介", "第三章 北海道概要", "第四章 日本產學合作與產業群聚發展概要",
            "第五章 北海道產學合作機構", "第六章 心得與建議"]
# 壹、-level sections per chapter as the body has them (chapter 3 lost its 壹 and 貳 with a page)
FORMAL = {
    1: ["壹", "貳"], 2: ["壹", "貳"], 3: ["參", "肆", "伍", "陸"], 4: ["壹", "貳"],
    5: ["壹", "貳", "參", "肆", "伍", "陸", "柒", "捌"], 6: ["壹", "貳"],
}
BOTH = pytest.mark.parametrize("docname", ["pdf_doc", "text_doc"])


def chapters(doc):
    return [n for n in doc["blocks"] if n["type"] == "section" and n["level"] == 1]


@BOTH
def test_all_six_chapters_with_their_formal_sections(docname, request):
    doc = request.getfixturevalue(docname)
    chs = chapters(doc)
    assert [c["heading"] for c in chs] == CHAPTERS
    for i, ch in enumerate(chs, start=1):
        subs = [s["number"].rstrip("、") for s in ch["children"] if s["type"] == "section"]
        assert subs == FORMAL[i], ch["heading"]
        assert all(s["level"] == 2 for s in ch["children"] if s["type"] == "section")


@BOTH
def test_front_matter_is_not_a_chapter(docname, request):
    doc = request.getfixturevalue(docname)
    kinds = [n["kind"] for n in doc["blocks"] if n["type"] == "front_matter"]
    assert kinds == ["abstract", "contents", "figures", "tables"]
    fm = {n["kind"]: n for n in doc["blocks"] if n["type"] == "front_matter"}
    assert len(fm["contents"]["entries"]) == 16
    assert len(fm["figures"]["entries"]) == 83
    assert len(fm["tables"]["entries"]) == 4


@BOTH
def test_nested_numbering_hierarchy(docname, request):
    doc = request.getfixturevalue(docname)
    sec = {n["id"]: n for n in walk(doc["blocks"]) if n["type"] == "section"}
    tama = sec["ch4.formal2.cn1.paren-cn7"]
    assert tama["level"] == 4 and tama["number"] == "(七)"
    arabic = [c for c in tama["children"] if c["type"] == "section"]
    assert [c["value"] for c in arabic] == list(range(1, 9))
    assert all(c["level"] == 5 for c in arabic)


def test_heading_set_in_body_face_is_still_a_heading_when_the_sequence_says_so(pdf_doc):
    # the PDF sets "3、區域的經濟要素…" in the body face between the bold headings 2、 and 4、
    sec = {n["id"]: n for n in walk(pdf_doc["blocks"]) if n["type"] == "section"}
    assert sec["ch4.formal2.cn1.paren-cn7.arabic3"]["title"].startswith("區域的經濟要素")


@BOTH
def test_list_item_that_lost_its_bullet_stays_in_the_list(docname, request):
    doc = request.getfixturevalue(docname)
    abstract = doc["blocks"][0]
    recs = [n for n in abstract["children"] if n["type"] == "section"][1]
    lists = [n for n in recs["children"] if n["type"] == "list"]
    assert len(lists) == 1
    assert [i["marker"] for i in lists[0]["items"]] == ["(一)", "(二)", "(三)", "(四)", "(五)", "(六)"]


@BOTH
def test_every_body_caption_found_with_source_and_place(docname, request):
    doc = request.getfixturevalue(docname)
    figs = [n for n in walk(doc["blocks"]) if n["type"] == "figure" and n["caption"]]
    assert len(figs) == 77
    src = {f["number"]: f["source"] for f in figs}
    assert src[6].startswith("資料來源：谷 明人")
    assert src[61].startswith("資料來源: AIST Organization")
    assert src[1] is None  # the statue photo has no source line
    key = "page" if docname == "pdf_doc" else "line"
    assert all(isinstance(f.get(key), int) for f in figs)


def test_figure_page_is_the_pdf_page(pdf_doc):
    figs = {n["number"]: n for n in walk(pdf_doc["blocks"]) if n["type"] == "figure" and n["caption"]}
    assert figs[1]["page"] == 15 and figs[4]["page"] == 15 and figs[6]["page"] == 17
    # a source line pushed onto the next page still belongs to its figure
    assert figs[10]["source"].startswith("資料來源：曹勇") and figs[10]["source_provenance"]["page"] == 26


@BOTH
def test_caption_matched_to_list_entry_when_printed_number_is_wrong(docname, request):
    doc = request.getfixturevalue(docname)
    figs = [n for n in walk(doc["blocks"]) if n["type"] == "figure" and n["caption"]]
    by_caption = {f["caption"]: f for f in figs}
    f = by_caption["產業群聚計畫架構"]
    assert (f["printed_number"], f["number"]) == (18, 13)
    f = by_caption["第一期產業群聚計畫"]
    assert (f["printed_number"], f["number"]) == (12, 14)
    renumbered = {(q["printed_number"], q["number"]) for q in doc["qa"] if q["kind"] == "figure-renumbered"}
    assert {(18, 13), (12, 14), (36, 35), (35, 36), (66, 65), (65, 66), (82, 81), (81, 82)} <= renumbered
    ids = [f["id"] for f in figs]
    assert len(ids) == len(set(ids))


@BOTH
def test_listed_figures_without_a_caption_are_reported_missing(docname, request):
    doc = request.getfixturevalue(docname)
    missing = sorted(q["number"] for q in doc["qa"] if q["kind"] == "figure-missing")
    assert missing == [2, 3, 19, 27, 28, 43]


@BOTH
def test_chapter_three_reports_its_lost_sections(docname, request):
    doc = request.getfixturevalue(docname)
    gaps = [q for q in doc["qa"] if q["kind"] == "section-gap"]
    assert any(q["id"] == "ch3.formal3" and q["expected"] == 1 for q in gaps)


@BOTH
def test_words_printed_inside_a_figure_stay_with_the_figure(docname, request):
    doc = request.getfixturevalue(docname)
    figs = {n["number"]: n for n in walk(doc["blocks"]) if n["type"] == "figure" and n["caption"]}
    assert "施設のイメージ" in figs[48]["figure_text"]
    assert any("Joint Research" in t for t in figs[40]["figure_text"])
    prose = " ".join(n.get("text", "") for n in walk(doc["blocks"]) if n["type"] in ("paragraph", "list_item"))
    assert "施設のイメージ" not in prose and "Joint Research (No. and Amounts)" not in prose


@BOTH
def test_tables_with_captions_and_cells(docname, request):
    doc = request.getfixturevalue(docname)
    tables = [n for n in walk(doc["blocks"]) if n["type"] == "table"]
    assert [t["number"] for t in tables] == [1, 2, 3, 4]
    t1 = tables[0]
    assert [c["text"] for c in t1["rows"][0]] == ["日期", "行程", "接待人員"]
    cells = [c.get("text", "") for row in t1["rows"] for c in row]
    assert any(c.startswith("拜會產業技術総合研究所北海道中心") and c.endswith("月寒東2条17-2-1") for c in cells)


def test_table_running_over_a_page_break_is_one_table(pdf_doc):
    tables = {n["number"]: n for n in walk(pdf_doc["blocks"]) if n["type"] == "table"}
    assert tables[1]["pages"] == [12, 13]
    assert tables[2]["pages"] == [47, 48]
    # the row the page break cut in two is mended
    cells = [c.get("text", "") for row in tables[2]["rows"] for c in row]
    assert "法學研究科、法學部、" in cells


def test_underline_tags_become_markup_not_text(text_doc):
    t1 = next(n for n in walk(text_doc["blocks"]) if n["type"] == "table")
    cell = t1["rows"][2][2]
    assert "<u>" not in cell["text"]
    assert cell["markup"][0]["tag"] == "u"
    s, e = cell["markup"][0]["start"], cell["markup"][0]["end"]
    assert cell["text"][s:e] == "橋詰伸一"


@BOTH
def test_three_footnotes_linked_from_their_paragraphs(docname, request):
    doc = request.getfixturevalue(docname)
    nodes = list(walk(doc["blocks"]))
    notes = {n["id"]: n for n in nodes if n["type"] == "footnote"}
    assert sorted(n["mark"] for n in notes.values()) == ["1", "2", "3"]
    by_id = {n["id"]: n for n in nodes if "id" in n}
    for fn in notes.values():
        holder = by_id[fn["ref"]]
        assert any(r["footnote"] == fn["id"] for r in holder["footnote_refs"])
    assert notes["fn-1"]["text"].startswith("OECD於1961年成立")
    assert "⁠¹" not in by_id[notes["fn-1"]["ref"]]["text"] and "國家已注意到" in by_id[notes["fn-1"]["ref"]]["text"]


@BOTH
def test_cover_metadata(docname, request):
    meta = request.getfixturevalue(docname)["metadata"]
    assert meta["title"] == "北海道產學合作機制與區域產業發展推動成果"
    assert meta["agency"] == "行政院經濟建設委員會"
    assert [(a["name"], a["title"]) for a in meta["authors"]] == [("廖弘凱", "組長"), ("張鎮修", "科員")]
    assert meta["country"] == "日本"
    assert meta["travel_period"]["start"] == "2012-11-26" and meta["travel_period"]["end"] == "2012-11-30"
    assert meta["report_date"] == {"printed": "102年2月25日", "date": "2013-02-25"} or meta["report_date"]["date"] == "2013-02-25"
    assert meta["report_kind"] == "出國報告" and meta["trip_category"] == "考察"


@BOTH
def test_paragraph_split_by_page_break_and_figure_is_joined(docname, request):
    doc = request.getfixturevalue(docname)
    texts = [n["text"] for n in walk(doc["blocks"]) if n["type"] == "paragraph"]
    # "這一連[串]" — the source itself garbled 串 into 非; the join is what matters here
    assert any("顯示這一連非產學合作措施，的確有效地" in re.sub(r"\s", "", t) for t in texts)
    assert any("這些原則對學院許多知名校友有影響深遠" in t for t in texts)


def _shape(doc):
    """What must agree between the PDF and the text export: white space is layout, not structure."""
    ws = lambda s: re.sub(r"\s+", "", s or "")  # noqa: E731
    out = []
    for n in walk(doc["blocks"]):
        t = n["type"]
        if t == "section":
            out.append(("section", n["id"], n["level"], ws(n["title"])[:8]))
        elif t == "front_matter":
            out.append(("front", n["kind"], len(n.get("entries", []))))
        elif t == "figure" and n["caption"]:
            out.append(("figure", n["number"], n["printed_number"], ws(n["caption"]), ws(n["source"])))
        elif t == "table":
            out.append(("table", n["number"], ws(n["caption"]), len(n["rows"][0]) if n["rows"] else 0))
        elif t == "footnote":
            out.append(("footnote", n["mark"], n["ref"], ws(n["text"])))
    return out


def test_pdf_and_text_export_give_the_same_structure(pdf_doc, text_doc):
    assert _shape(pdf_doc) == _shape(text_doc)


def test_pdf_page_furniture_removed_and_recorded(pdf_doc):
    numbers = [f for f in pdf_doc["furniture"] if f["kind"] == "page-number"]
    assert len(numbers) >= 90
    assert pdf_doc["source"]["printed_pages"]["10"] == "1"
    prose = [n["text"] for n in walk(pdf_doc["blocks"]) if n["type"] == "paragraph"]
    assert not any(re.fullmatch(r"\d+", t) for t in prose)


def test_no_spurious_spaces_between_cjk_characters(pdf_doc, text_doc):
    def spaced(doc):
        texts = [n["text"] for n in walk(doc["blocks"]) if n["type"] in ("paragraph", "list_item")]
        return Counter(m for t in texts for m in re.findall(r"[\u4e00-\u9fff] +[\u4e00-\u9fff]", t))

    # the report has real ones (行政院經濟建設委員會 組長 廖弘凱); justified CJK text must not add any
    extra = spaced(pdf_doc) - spaced(text_doc)
    assert not extra


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


def test_nothing_lost_every_character_of_the_text_export_is_in_the_json(text_doc):
    source = REPORT_TXT.read_text(encoding="utf-8")
    # the export's own syntax becomes structure: list bullets, <u> tags, tabs
    source = re.sub(r"(?m)^ *- ", "", source)
    source = re.sub(r"</?u>", "", source)
    source = unicodedata.normalize("NFKC", "".join(ch for ch in source if not ch.isspace()))
    have = Counter(unicodedata.normalize("NFKC", "".join(_strings(text_doc))))
    need = Counter(source)
    lost = {ch: n - have[ch] for ch, n in need.items() if have[ch] < n}
    assert lost == {}


def test_contents_pages_agree_and_figure_list_pages_that_do_not_are_reported(pdf_doc):
    contents = next(n for n in pdf_doc["blocks"] if n.get("kind") == "contents")
    assert all(e["resolved_page"] == str(e["page"]) for e in contents["entries"])
    assert not [q for q in pdf_doc["qa"] if q["kind"] == "toc-page-mismatch"]
    pages = {q["number"]: q["message"] for q in pdf_doc["qa"] if q["kind"] == "figure-page-mismatch"}
    # the list of figures says 圖 59 is on page 75; the caption is printed on page 71
    assert pages[59].endswith("on page 75, it is printed on page 71")
    assert len(pages) == 19


@BOTH
def test_bullet_glyphs_nest_where_the_layout_does_not_indent(docname, request):
    doc = request.getfixturevalue(docname)
    lists = [n for n in walk(doc["blocks"]) if n["type"] == "list" and any(i["text"].startswith("— 產業群聚") for i in n["items"])]
    assert len(lists) == 1
    items = lists[0]["items"]
    depth = {n["text"][:6]: n["depth"] for n in items}
    assert depth["— 產業群聚"] == 0
    assert depth["◎ 日本產業"] == 1 and depth["◎ 世界上通"] == 1
    assert depth["◇ 地理的集"] == 2


def test_word_gaps_at_pdf_line_wraps_restored_where_unmistakable(pdf_doc):
    texts = " ".join(n.get("text", "") for n in walk(pdf_doc["blocks"]) if n["type"] in ("paragraph", "list_item"))
    assert "Co-operation and Development" in texts  # a word split at the wrap stays one word
    assert "Drug Discovery and Medical Care" in texts  # a wrap before "and" was a word gap
    headings = [n["heading"] for n in walk(pdf_doc["blocks"]) if n["type"] == "section"]
    assert any("(Hokudai Business Spring)" in h for h in headings)  # lower-case, then a capital
