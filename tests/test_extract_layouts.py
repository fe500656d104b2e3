"""Extraction on layouts nobody tuned it for: PDFs made by ``tests/pdfs/make_layouts.py``.

Each case isolates one thing Chinese reports do differently from the Hokkaido report: numbering
styles and their order, heading type that is not "Bold" in a font name, captions in the body
type, contents lists, borderless tables, running headers that change, two columns.
"""

from __future__ import annotations

import pytest

from conftest import ROOT, walk
from pdfs import make_layouts


@pytest.fixture(scope="session")
def layout(tmp_path_factory):
    """make function → (path, extracted document), each built and extracted once."""
    from edition.pipeline import extract

    folder = tmp_path_factory.mktemp("layout-pdfs")
    cache: dict[str, tuple] = {}

    def get(make, *args):
        if make.__name__ not in cache:
            path = make(folder / f"{make.__name__}.pdf", *args)
            cache[make.__name__] = (path, extract(path))
        return cache[make.__name__]

    return get


def sections(doc):
    return [n for n in walk(doc["blocks"]) if n["type"] == "section"]


def outline(doc):
    return [(s["number"], s["title"], s["level"]) for s in sections(doc)]


def test_thesis_numbering_nests_chapter_decimal_and_deeper_decimal(layout):
    _, doc = layout(make_layouts.make_thesis)
    assert outline(doc) == [
        ("第一章", "緒論", 1), ("1.1", "研究背景", 2), ("1.2", "研究方法", 2), ("1.2.1", "資料來源", 3),
        ("第二章", "系統設計", 1), ("2.1", "系統架構", 2),
    ]


def test_heading_in_another_face_and_in_fill_stroke_bold_is_heading_type(layout):
    # 1.1 is set in the body size in 黑體 (the body is 明體); 1.2.1 in the body face drawn with
    # fill + stroke, which only PDFium sees: both are headings by their type, not their place
    from edition.pipeline import read_source

    path, _ = layout(make_layouts.make_thesis)
    lines = {r.text: r for r in read_source(path).records if hasattr(r, "runs")}
    body = lines["上表變數皆經縮尾處理，以降低極端值之影響。"]
    stroked, gothic = lines["1.2.1 資料來源"], lines["1.1 研究背景"]
    assert (stroked.bold, stroked.font, stroked.size) == (True, body.font, body.size)
    assert (gothic.bold, gothic.size) == (False, body.size) and gothic.font != body.font


def test_contents_list_ends_with_its_last_entry_and_the_real_chapter_follows(layout):
    _, doc = layout(make_layouts.make_thesis)
    contents = next(n for n in doc["blocks"] if n["type"] == "front_matter")
    assert contents["kind"] == "contents"
    assert [(e["title"], e["page"]) for e in contents["entries"]] == [(t, p) for t, p, _ in make_layouts.THESIS_CONTENTS]
    assert contents["children"] == []
    first = next(n for n in doc["blocks"] if n["type"] == "section")
    assert (first["heading"], first["page"]) == ("第一章 緒論", 3)


def test_cover_ends_at_its_page(layout):
    _, doc = layout(make_layouts.make_thesis)
    assert doc["metadata"]["cover_lines"] == ["某某大學資訊管理研究所", "碩士論文", "數位金融對中小企業信用風險之影響", "研究生：王小明"]
    assert {p["page"] for p in doc["metadata"]["provenance"]} == {1}


def test_caption_in_body_type_attached_to_its_picture_with_its_source_line(layout):
    _, doc = layout(make_layouts.make_thesis)
    figures = [n for n in walk(doc["blocks"]) if n["type"] == "figure"]
    assert [(f["number"], f["caption"], f["source"], len(f["content"])) for f in figures] == [
        ("1-1", "研究架構", "資料來源：本研究整理", 1),
    ]


def test_three_line_table_is_a_table_with_its_caption(layout):
    _, doc = layout(make_layouts.make_thesis)
    tables = [n for n in walk(doc["blocks"]) if n["type"] == "table"]
    assert len(tables) == 1
    t = tables[0]
    assert (t["number"], t["caption"], t.get("ruled")) == ("1-1", "變數定義", False)
    assert [[c.get("text") for c in row] for row in t["rows"]] == make_layouts.THESIS_TABLE


def test_running_header_with_the_chapter_name_is_furniture(layout):
    _, doc = layout(make_layouts.make_thesis)
    headers = [(f["text"], f["page"]) for f in doc["furniture"] if f["kind"] == "running-header"]
    assert headers == [("第一章 緒論", 3), ("第一章 緒論", 4), ("第二章 系統設計", 5)]
    assert sum(1 for s in sections(doc) if s["heading"] == "第一章 緒論") == 1


def test_a_clean_thesis_raises_no_structure_warning(layout):
    _, doc = layout(make_layouts.make_thesis)
    from edition.extract.checks import WARN_KINDS

    assert [q for q in doc["qa"] if q["kind"] in WARN_KINDS] == []


def test_regulation_without_chapters_nests_cn_and_paren_cn_and_keeps_lists_and_clauses(layout):
    _, doc = layout(make_layouts.make_regulation_without_chapters)
    assert outline(doc) == [
        ("一、", "論文格式", 1), ("二、", "論文編排順序", 1), ("三、", "論文編輯說明", 1),
        ("(一)", "封面與書名頁", 2), ("(二)", "正文", 2),
    ]
    second = next(s for s in sections(doc) if s["number"] == "二、")
    lists = [n for n in second["children"] if n["type"] == "list"]
    assert [i["text"] for i in lists[0]["items"]] == ["(一) 封面", "(二) 書名頁", "(三) 指導教授推薦書", "(四) 目錄"]
    first = next(s for s in sections(doc) if s["number"] == "一、")
    # long numbered clauses stay text, in the section they belong to
    assert all(c["type"] in ("paragraph", "list") for c in first["children"]) and first["children"]


def test_heading_glued_to_its_paragraph_is_split_where_its_type_ends(layout):
    _, doc = layout(make_layouts.make_glued_heading)
    sec = next(s for s in sections(doc) if s["number"] == "1.1")
    assert sec["heading"] == "1.1 研究背景"
    assert sec["children"][0]["text"] == make_layouts.GLUED_BODY
    assert any(q["kind"] == "heading-split" for q in doc["qa"])


def test_two_columns_are_read_column_by_column(layout):
    _, doc = layout(make_layouts.make_two_columns)
    texts = [n["text"] for n in walk(doc["blocks"]) if n["type"] == "paragraph"]
    assert texts == make_layouts.LEFT_COLUMN + make_layouts.RIGHT_COLUMN


def test_letters_roman_numerals_and_circled_numbers_nest_in_the_order_they_appear(layout):
    _, doc = layout(make_layouts.make_enumerated_headings)
    assert outline(doc) == [
        ("A.", "計畫概述", 1), ("I.", "執行方式", 2), ("①", "第一階段", 3), ("②", "第二階段", 3),
        ("II.", "預期效益", 2), ("B.", "經費需求", 1),
    ]


def test_a_one_column_grid_of_ruled_boxes_is_layout_not_a_table(layout):
    _, doc = layout(make_layouts.make_layout_grid)
    assert [n for n in walk(doc["blocks"]) if n["type"] == "table"] == []
    texts = [n["text"] for n in walk(doc["blocks"]) if n["type"] == "paragraph"]
    assert texts[:2] == make_layouts.FRAMED_NOTE


def test_layout_documents_are_valid(layout):
    from edition.schema import document_errors

    for make in make_layouts.ALL.values():
        path, doc = layout(make)
        assert document_errors(doc, str(path)) == []


@pytest.fixture(scope="session")
def retypeset(tmp_path_factory):
    from edition.pipeline import extract

    path = make_layouts.make_retypeset_report(tmp_path_factory.mktemp("retypeset") / "hokkaido-retypeset.pdf",
                                              ROOT / "source_docs" / "hokkaido-report.txt")
    return extract(path)


def test_report_retypeset_without_bold_keeps_chapters_sections_and_every_caption(retypeset, text_doc):
    def captions(doc):
        return sorted(str(n["printed_number"]) for n in walk(doc["blocks"]) if n["type"] == "figure" and n.get("caption"))

    assert len(captions(retypeset)) == 77
    assert captions(retypeset) == captions(text_doc)
    chapters = [s["heading"] for s in retypeset["blocks"] if s["type"] == "section"]
    assert chapters == [s["heading"] for s in text_doc["blocks"] if s["type"] == "section"]
    formal = [s["heading"] for s in sections(retypeset) if s["style"] == "formal"]
    assert len(formal) == 20


def test_retypeset_report_lists_are_reconciled_like_the_original(retypeset):
    kinds = [q["kind"] for q in retypeset["qa"]]
    assert kinds.count("figure-renumbered") == 12 and kinds.count("figure-missing") == 6
