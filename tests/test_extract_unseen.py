"""Layouts that broke extraction on reports nobody had tuned it for (issue 14, point 5), each
isolated in a small PDF made by ``tests/pdfs/make_unseen.py``, each fixed as a general rule."""

from __future__ import annotations

import pytest

from conftest import walk
from pdfs import make_unseen


@pytest.fixture(scope="session")
def unseen(tmp_path_factory):
    """make function → extracted document, each built and extracted once."""
    from edition.pipeline import extract

    folder = tmp_path_factory.mktemp("unseen-pdfs")
    cache: dict[str, dict] = {}

    def get(make):
        if make.__name__ not in cache:
            cache[make.__name__] = extract(make(folder / f"{make.__name__}.pdf"))
        return cache[make.__name__]

    return get


def outline(doc):
    return [(n["number"], n["title"], n["level"]) for n in walk(doc["blocks"]) if n["type"] == "section"]


def body_texts(doc):
    return [n["text"] for n in walk(doc["blocks"]) if n["type"] in ("paragraph", "list_item")]


def test_latex_enumerate_headings_without_bold_keep_both_levels(unseen):
    doc = unseen(make_unseen.make_latex_enumerate)
    assert outline(doc) == [("1.", "研究動機", 1), ("(a)", "資料蒐集", 2), ("(b)", "前處理", 2),
                            ("2.", "系統架構", 1), ("(a)", "硬體設計", 2)]


def test_latex_words_placed_without_space_glyphs_keep_their_spaces(unseen):
    texts = " ".join(body_texts(unseen(make_unseen.make_latex_enumerate)))
    assert "Convolutional Neural Network" in texts
    assert "Run-length encoding" in texts and "Huffman coding" in texts
    # an English paragraph wrapped over lines: the wraps are word breaks
    assert make_unseen.LATEX_ENGLISH in texts


def test_a_heading_over_two_lines_is_one_heading(unseen):
    doc = unseen(make_unseen.make_two_line_headings)
    assert outline(doc) == [("第一章", make_unseen.TWO_LINE_CHAPTER[4:], 1),
                            ("一、", make_unseen.TWO_LINE_SECTION[2:], 2), ("二、", "研究方法", 2)]


def test_a_heading_right_under_a_paragraph_that_fills_its_last_line_stays_a_heading(unseen):
    doc = unseen(make_unseen.make_heading_under_paragraph)
    assert [t for _, t, _ in outline(doc)] == ["研究背景", "研究方法"]
    assert all("研究方法" not in t for t in body_texts(doc)[:1])


def test_a_paragraph_whose_first_line_turns_bold_is_one_paragraph(unseen):
    # most of its first line is an emphasised phrase: the line is "bold", the paragraph no heading
    doc = unseen(make_unseen.make_emphasis_in_first_line)
    assert [t for _, t, _ in outline(doc)] == ["研究方向", "研究方法"]
    first = body_texts(doc)[0]
    assert first.startswith(make_unseen.EMPHASIS_LEAD) and first.endswith(make_unseen.EMPHASIS_REST)


def test_references_set_with_a_hanging_indent_are_one_entry_each(unseen):
    # a line back at the entries' edge opens the next entry however full the line above; a line
    # at the hang goes on with its entry even where it looks numbered ("39-" over "46.")
    doc = unseen(make_unseen.make_references_hanging)
    texts = [t for t in body_texts(doc) if "[J]" in t]
    assert len(texts) == 4, texts
    assert texts[1].endswith("(03):39-46.") and texts[2].endswith("(12):115-127.") and texts[3].startswith("連玉君")


def test_caption_forms_with_brackets_chinese_numbers_and_a_tab(unseen):
    doc = unseen(make_unseen.make_caption_forms)
    figures = [(n["printed_number"], n["caption"]) for n in walk(doc["blocks"]) if n["type"] == "figure"]
    assert figures == [(1, "研究流程"), (1, "系統架構"), ("1-1", "實驗結果")]
    tables = [(n["number"], n["caption"]) for n in walk(doc["blocks"]) if n["type"] == "table"]
    assert tables == [(1, "參數設定")]


def test_subfigure_labels_are_words_of_the_figure_not_sections(unseen):
    doc = unseen(make_unseen.make_subfigures)
    assert [t for _, t, _ in outline(doc)] == ["前言", "方法"]
    figures = [n for n in walk(doc["blocks"]) if n["type"] == "figure"]
    assert len(figures) == 1 and figures[0]["caption"] == "影像前處理" and len(figures[0]["content"]) == 2
    assert any("(a) 原始影像" in t for t in figures[0]["figure_text"])


def test_paper_title_over_two_columns_is_the_cover_and_both_columns_are_read(unseen):
    doc = unseen(make_unseen.make_paper_two_columns)
    assert doc["metadata"]["title"] == "數位金融對中小企業信用風險之影響"
    assert "The Impact of Digital Finance on SME Credit Risk" in doc["metadata"]["cover_lines"]
    assert outline(doc) == [("1.", "前言", 1), ("2.", "研究方法", 1)]
    sections = [n for n in doc["blocks"] if n["type"] == "section"]
    # each column's paragraph is under its own heading, whole
    assert [len(s["children"]) for s in sections] == [1, 1]
    assert all(c["text"] == make_unseen.BODY_PARA * 2 for s in sections for c in s["children"])


def test_figures_and_margin_notes_are_no_headings(unseen):
    doc = unseen(make_unseen.make_numbers_not_headings)
    assert [t for _, t, _ in outline(doc)] == ["營運概況", "未來展望"]
    texts = body_texts(doc)
    assert "12.5 億元為全年合併營收。" in texts and "3.2" in texts and "12.5" in texts
    assert "2. 附註" in texts  # read apart from the body line it is level with


def test_a_contents_page_with_no_readable_entry_says_so(unseen):
    doc = unseen(make_unseen.make_unreadable_contents)
    assert [t for _, t, _ in outline(doc)] == ["緒論", "研究方法", "結論"]
    findings = [q for q in doc["qa"] if q["kind"] == "contents-unread"]
    assert len(findings) == 1 and "目錄" in findings[0]["message"] and "page 1" in findings[0]["message"]


def test_a_seal_on_every_page_is_furniture_not_a_figure_per_page(unseen):
    doc = unseen(make_unseen.make_seal_on_every_page)
    assert [n for n in walk(doc["blocks"]) if n["type"] == "figure"] == []
    assert sum(1 for f in doc["furniture"] if f["kind"] == "repeated-picture") == 4
    assert any(q["kind"] == "furniture-removed" and "4 pictures repeated" in q["message"] for q in doc["qa"])
    assert len(outline(doc)) == 4


def test_pages_printed_on_a_page_size_rectangle_keep_their_body(unseen):
    doc = unseen(make_unseen.make_page_background)
    assert [t for _, t, _ in outline(doc)] == ["年度工作", "檢討", "展望"]
    assert [n for n in walk(doc["blocks"]) if n["type"] == "figure"] == []
    assert [len(n["rows"]) for n in walk(doc["blocks"]) if n["type"] == "table"] == [3]
    assert not [q for q in doc["qa"] if q["kind"] == "body-in-figures"]
    assert sum(1 for f in doc["furniture"] if f["kind"] == "background") == 2


def test_unseen_layouts_are_valid_documents(unseen):
    from edition.schema import document_errors

    for make in make_unseen.ALL.values():
        assert document_errors(unseen(make), make.__name__) == []


def test_two_tables_side_by_side_are_two_tables_each_with_its_caption(unseen):
    doc = unseen(make_unseen.make_tables_side_by_side)
    tables = [(n["number"], n["caption"], n["rows"][1][1]["text"]) for n in walk(doc["blocks"]) if n["type"] == "table"]
    assert tables == [(1, "男性樣本", "118"), (2, "女性樣本", "131")]


def test_a_keywords_line_in_bold_is_a_field_of_the_abstract_not_a_heading(unseen):
    doc = unseen(make_unseen.make_keywords_line)
    assert [t for _, t, _ in outline(doc)] == ["研究摘要", "研究方法"]
    texts = body_texts(doc)
    assert make_unseen.KEYWORDS_ZH in texts and make_unseen.KEYWORDS_EN in texts


def test_photographs_captioned_zhaopian_are_figures(unseen):
    doc = unseen(make_unseen.make_photo_captions)
    figures = [(n["printed_number"], n["caption"]) for n in walk(doc["blocks"]) if n["type"] == "figure"]
    assert figures == [(k + 1, title) for k, (_, title) in enumerate(make_unseen.PHOTO_CAPTIONS)]
    assert not any(title in t for _, title in make_unseen.PHOTO_CAPTIONS for t in body_texts(doc))


def test_pages_numbered_per_chapter_are_page_numbers_in_the_contents_and_at_the_foot(unseen):
    doc = unseen(make_unseen.make_chapter_pages)
    assert [t for _, t, _ in outline(doc)] == [t.split(" ", 1)[1] for t, _ in make_unseen.CHAPTER_PAGES]
    contents = next(n for n in doc["blocks"] if n["type"] == "front_matter" and n["kind"] == "contents")
    pages = [p for _, p in make_unseen.CHAPTER_PAGES]
    assert [(e["page"], e.get("resolved_page")) for e in contents["entries"]] == [(p, p) for p in pages]
    assert sorted(doc["source"]["printed_pages"].values()) == pages
    assert not [q for q in doc["qa"] if q["kind"].startswith("toc-")]
    assert not any(p in t for p in pages for t in body_texts(doc))  # the foot's numbers are furniture


def test_a_one_line_reference_between_hanging_entries_is_an_entry_of_the_list(unseen):
    doc = unseen(make_unseen.make_references_mixed)
    entries = [(n["type"], n["text"]) for n in walk(doc["blocks"]) if n["type"] in ("paragraph", "list_item") and "[J]" in n["text"]]
    assert entries == [("list_item", first + (rest or "")) for first, rest in make_unseen.references_mixed()]


def test_a_reference_filling_its_line_edge_to_edge_opens_a_new_entry(unseen):
    # a line from edge to edge is "centred" under a full first line too: it must not be read
    # as the centred second line of the entry above
    doc = unseen(make_unseen.make_references_latin)
    entries = [n["text"] for n in walk(doc["blocks"]) if n["type"] in ("paragraph", "list_item") and "Journal" in n["text"]]
    assert entries == [first + " " + rest for first, rest in make_unseen.references_latin()]


def test_a_cover_sheet_set_as_a_table_gives_its_fields_and_stays_a_table(unseen):
    doc = unseen(make_unseen.make_cover_table)
    meta = doc["metadata"]
    assert (meta["title"], meta["trip_category"], meta["agency"], meta["country"]) == ("赴日本考察智慧農業技術報告", "考察", "行政院農業委員會", "日本")
    assert [(a["name"], a["title"]) for a in meta["authors"]] == [("王大明", "技正")]
    assert (meta["travel_period"]["start"], meta["report_date"]["date"]) == ("2019-09-02", "2019-11-20")
    tables = [n for n in walk(doc["blocks"]) if n["type"] == "table"]
    assert len(tables) == 1  # nothing lost: the sheet itself is still in the document


def test_a_study_trip_report_laid_out_as_such_reports_are(unseen):
    doc = unseen(make_unseen.make_trip_report)
    meta = doc["metadata"]
    assert (meta["title"], meta["agency"], meta["country"], meta["travel_period"]["start"]) == (
        "赴日本考察智慧農業技術發展報告", "行政院農業委員會農業試驗所", "日本", "2019-09-02")
    assert [(a["name"], a["title"]) for a in meta["authors"]] == [("王大明", "技正"), ("李小華", "研究員")]
    assert outline(doc) == [("壹、", "目的", 1), ("貳、", "過程", 1), ("一、", "行程", 2), ("二、", "參訪北海道大學", 2),
                            ("參、", "心得", 1), ("(一)", "研究能量", 2), ("(二)", "產學合作", 2), ("肆、", "建議", 1)]
    assert [n["caption"] for n in walk(doc["blocks"]) if n["type"] == "figure"] == list(make_unseen.TRIP_PHOTOS)
    assert [n["caption"] for n in walk(doc["blocks"]) if n["type"] == "table"] == ["考察行程表"]
    assert [n["kind"] for n in doc["blocks"] if n["type"] == "front_matter"] == ["abstract", "contents"]
    assert len([n for n in walk(doc["blocks"]) if n["type"] == "list_item"]) == 3
    assert not any(t.startswith("- ") and t.endswith(" -") for t in body_texts(doc))  # page numbers are furniture
    assert not [q for q in doc["qa"] if q["kind"] in ("figure-uncaptioned", "toc-entry-unmatched", "toc-page-mismatch")]


def test_front_matter_paged_in_roman_numerals_is_listed_with_its_pages(unseen):
    doc = unseen(make_unseen.make_roman_front_pages)
    contents = next(n for n in doc["blocks"] if n["type"] == "front_matter" and n["kind"] == "contents")
    assert [(e["title"], e["page"]) for e in contents["entries"]] == [("摘要", "i"), ("誌謝", "ii"), ("第一章 緒論", 1)]
    assert [n["kind"] for n in doc["blocks"] if n["type"] == "front_matter"] == ["contents", "abstract", "acknowledgements"]
    assert not [q for q in doc["qa"] if q["kind"].startswith("toc-")]


def test_a_contents_list_without_leaders_gives_its_entries_and_pages(unseen):
    doc = unseen(make_unseen.make_contents_without_leaders)
    contents = next(n for n in doc["blocks"] if n["type"] == "front_matter" and n["kind"] == "contents")
    assert [(e["title"], e["page"]) for e in contents["entries"]] == list(make_unseen.CHAPTER_TITLES)
    assert not [q for q in doc["qa"] if q["kind"].startswith("toc-") or q["kind"] == "contents-unread"]


def test_a_title_wrapped_at_a_wider_pitch_than_the_body_is_one_block(unseen):
    # the second line, centred in the same display type under a first line that fills the
    # measure, goes on with it: no heading made of the title's last words
    doc = unseen(make_unseen.make_wrapped_title)
    first, second = make_unseen.WRAPPED_TITLE
    assert all(second not in t for _, t, _ in outline(doc))
    assert any(f"{first} {second}" in t for t in body_texts(doc) + [t for _, t, _ in outline(doc)])
