"""The small pieces of structure extraction, each on the cases it exists for: numbering markers,
caption labels, the layout settings, and documents with no structure at all."""

from __future__ import annotations

import pytest

from edition.errors import EditionError
from edition.extract.captions import parse_caption
from edition.extract.numbering import conventionally_outer, next_in_sequence, parse_marker
from edition.extract.settings import LayoutSettings


@pytest.mark.parametrize("text, style, value, printed, title", [
    ("第一章 緒論", "chapter", 1, "第一章", "緒論"),
    ("第四章 日本產學合作", "chapter", 4, "第四章", "日本產學合作"),  # 日 opens the title, not a date
    ("第一部分 总体情况", "chapter", 1, "第一部分", "总体情况"),
    ("第壹章 總論", "chapter", 1, "第壹章", "總論"),  # formal numerals in a chapter marker
    ("第貳節 研究方法", "chapter", 2, "第貳節", "研究方法"),
    ("壹、 前言:", "formal", 1, "壹、", "前言:"),
    ("一、心得", "cn", 1, "一、", "心得"),
    ("(一) 概述", "paren-cn", 1, "(一)", "概述"),
    ("1、發展沿革", "arabic", 1, "1、", "發展沿革"),
    ("1. 正文", "arabic", 1, "1.", "正文"),
    ("1配置开发环境", "arabic", 1, "1", "配置开发环境"),
    ("(1) 圖表", "paren-arabic", 1, "(1)", "圖表"),
    ("1.1 研究背景", "decimal", 1, "1.1", "研究背景"),
    ("2.1.3 交易成本理论", "decimal", 3, "2.1.3", "交易成本理论"),
    ("3-1、資料來源", "decimal", 1, "3-1、", "資料來源"),
    ("a.IP被封:", "letter", 1, "a.", "IP被封:"),
    ("iv. 資料輪廓化", "roman", 4, "iv.", "資料輪廓化"),
    ("Ⅲ、三", "roman", 3, "Ⅲ、", "三"),
    ("② 第二階段", "circled", 2, "②", "第二階段"),
    ("１、全形數字", "arabic", 1, "１、", "全形數字"),
])
def test_numbering_marker_style_value_and_title(text, style, value, printed, title):
    m = parse_marker(text)
    assert (m.style, m.value, m.marker, m.title) == (style, value, printed, title)


@pytest.mark.parametrize("text", [
    "1.5倍行高", "2023年實施", "3个模块", "112.03.07第211次教務會議通過", "1OECD於1961年成立", "e.g. this", "1990年",
])
def test_quantities_dates_and_abbreviations_are_no_markers(text):
    assert parse_marker(text) is None


def test_parts_hold_chapters_and_chapters_hold_articles():
    from edition.extract.sections import section_key

    part, chapter, article = (parse_marker(t) for t in ("第一部分 总体情况", "第二章 x", "第三條 y"))
    assert conventionally_outer(part, chapter) and conventionally_outer(chapter, article)
    assert [section_key(m) for m in (part, chapter, article)] == ["part1", "ch2", "art3"]


def test_hierarchy_convention_breaks_ties_only_where_it_knows():
    chapter, formal, cn, dec2, dec3, letter = (parse_marker(t) for t in ("第一章 x", "壹、x", "一、x", "1.1 x", "1.1.1 x", "a. x"))
    assert conventionally_outer(chapter, formal) and conventionally_outer(formal, cn)
    assert conventionally_outer(dec2, dec3) and not conventionally_outer(dec3, dec2)
    assert conventionally_outer(letter, cn) is None and conventionally_outer(dec2, cn) is None


def test_sequence_continues_by_value_and_by_decimal_parent():
    assert next_in_sequence(parse_marker("(二) x"), parse_marker("(三) y"))
    assert next_in_sequence(parse_marker("2.1.2 x"), parse_marker("2.1.3 y"))
    assert not next_in_sequence(parse_marker("2.1.2 x"), parse_marker("2.2.3 y"))
    assert not next_in_sequence(parse_marker("1、x"), parse_marker("2. y"))  # another style


@pytest.mark.parametrize("text, kind, number, title, continued", [
    ("圖1、年齡分布", "figure", 1, "年齡分布", False),
    ("圖 15、日本產業群聚計畫", "figure", 15, "日本產業群聚計畫", False),
    ("图1.1 2011-2022年中国的中小企业数量", "figure", "1.1", "2011-2022年中国的中小企业数量", False),
    ("圖3：硬體-系統架構圖", "figure", 3, "硬體-系統架構圖", False),
    ("▲圖 2 系統架構", "figure", 2, "系統架構", False),
    ("圖一 流程", "figure", 1, "流程", False),
    ("表2.1 主观评估方法", "table", "2.1", "主观评估方法", False),
    ("表 1 考察行程表", "table", 1, "考察行程表", False),
    ("表1-1 變數定義", "table", "1-1", "變數定義", False),
    ("续表4.3 中介机制检回归结果", "table", "4.3", "中介机制检回归结果", True),
    ("Figure 4. Results", "figure", 4, "Results", False),
    ("Table 3 Sample", "table", 3, "Sample", False),
    ("附表1 各單位經費", "table", 1, "各單位經費", False),
])
def test_caption_labels_in_the_forms_reports_print(text, kind, number, title, continued):
    cap = parse_caption(text)
    assert (cap.kind, cap.number, cap.title, cap.continued) == (kind, number, title, continued)


@pytest.mark.parametrize("text", ["圖3為硬體及微控制器", "圖22中是本系統", "表示同意", "圖書館", "表1，客戶", "see figure 3 for", "Table tennis"])
def test_prose_that_cites_a_figure_is_no_caption(text):
    assert parse_caption(text) is None


def test_layout_settings_are_checked_when_made():
    assert LayoutSettings(heading_max_chars=60).heading_max_chars == 60
    with pytest.raises(EditionError, match="must not be negative"):
        LayoutSettings(close_gap_em=-1)
    with pytest.raises(EditionError, match="indents must grow"):
        LayoutSettings(hang_em=3.0)
    with pytest.raises(EditionError, match=r"share in \(0, 1\]"):
        LayoutSettings(edge_band=2.0)


def test_settings_change_what_is_read(tmp_path):
    # the enumerated headings are headings by their size, and by standing alone on short lines:
    # demand a larger size step and shorter titles, and none is
    from pdfs import make_layouts
    from edition.pipeline import extract

    path = make_layouts.make_enumerated_headings(tmp_path / "e.pdf")
    default = [n for n in extract(path)["blocks"] if n["type"] == "section"]
    strict = [n for n in extract(path, settings=LayoutSettings(heading_size_step=5.0, numbered_heading_max_chars=3))["blocks"] if n["type"] == "section"]
    assert len(default) == 2 and strict == []


def test_a_plain_notice_keeps_its_text_in_the_body_and_says_it_found_no_sections(tmp_path):
    from edition.pipeline import extract

    src = tmp_path / "notice.txt"
    src.write_text("關於辦理年度報告的通知\n\n各單位：\n\n為加強管理，請於本月底前提交年度工作報告。\n\n特此通知。\n", encoding="utf-8")
    doc = extract(src)
    assert doc["metadata"]["cover_lines"] == ["關於辦理年度報告的通知"]
    assert [n["text"] for n in doc["blocks"]] == ["各單位：", "為加強管理，請於本月底前提交年度工作報告。", "特此通知。"]
    assert [q["kind"] for q in doc["qa"]] == ["no-sections"]


def test_extract_warns_on_stderr_when_it_finds_no_structure(tmp_path):
    from conftest import run

    src = tmp_path / "notice.txt"
    src.write_text("關於辦理年度報告的通知\n\n為加強管理，請於本月底前提交年度工作報告。\n", encoding="utf-8")
    result = run("extract", src, "-o", tmp_path / "n.json")
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0].startswith(f"warning: {src}: no section headings found")


def test_a_picture_without_caption_is_reported_with_where_it_is():
    # a reader of the QA report must find the picture: its id and its page, not a bare sentence
    from edition.extract.lists import reconcile_lists

    figure = {"type": "figure", "id": "fig-u1", "caption": None, "page": 25, "content": []}
    doc = {"source": {"path": "r.pdf"}, "blocks": [figure], "qa": []}
    found = [q for q in reconcile_lists(doc)["qa"] if q["kind"] == "figure-uncaptioned"]
    assert found == [{"kind": "figure-uncaptioned", "id": "fig-u1", "message": "fig-u1 (page 25): a picture with no caption in the body"}]


def test_contents_entries_with_a_title_that_repeats_meet_their_headings_in_order():
    # "(一) 概述" opens chapter after chapter: each entry is the next one, not the last one printed
    from edition.extract.lists import match_entries

    headings = ["第一章 緒論", "(一) 概述", "(二) 流程", "第二章 方法", "(一) 概述", "(二) 流程", "第三章 結論"]
    assert match_entries(headings, headings) == {i: i for i in range(len(headings))}
    # a heading the list cuts short, and an entry listed out of order, still find theirs
    listed = ["第一章 緒論", "(一) 概述", "第三章 結論", "(二) 流程與評估方法的說明"]
    assert match_entries(listed, headings[:6] + ["(二) 流程與評估方法的說明文字", "第三章 結論"]) == {0: 0, 1: 1, 2: 7, 3: 6}


def test_a_contents_entry_with_no_heading_ahead_does_not_take_one_already_taken():
    # creditcard-report lists "(四)小結" twice, the second time for a heading printed "(五) 小結:":
    # matching it to the first one's heading made a false page finding
    from edition.extract.lists import match_entries

    headings = ["(三)綜合評估", "(四)小結", "4-4、客戶集群分析", "(四) 事後檢定:", "(五) 小結:"]
    listed = ["(三)綜合分析", "(四)小結", "4-4客戶集群分析", "(四)事後檢定", "(四)小結"]
    # ("4-4客戶集群分析" is its heading "4-4、客戶集群分析", listed without the mark)
    assert match_entries(listed, headings) == {1: 1, 2: 2, 3: 3}


def test_a_contents_entry_no_heading_answers_to_is_a_finding():
    # the list is reconciled against the body: an entry renamed in the body (or a heading the
    # extractor missed) is said, the front matter the list also names is not
    from edition.extract.lists import reconcile_lists

    def section(number, title, page):
        return {"type": "section", "id": f"s{page}", "heading": f"{number}{title}", "page": page, "children": []}

    contents = {"type": "front_matter", "kind": "contents", "heading": "目錄", "children": [], "entries": [
        {"title": "圖目錄", "page": 3}, {"title": "3-1資料來源", "page": 7}, {"title": "(三)綜合分析", "page": 13}]}
    figures = {"type": "front_matter", "kind": "figures", "heading": "圖 目 錄", "children": [], "entries": []}
    doc = {"source": {"path": "r.txt"}, "blocks": [contents, figures, section("3-1、", "資料來源", 7), section("(三)", "綜合評估", 13)], "qa": []}
    found = [q["message"] for q in reconcile_lists(doc)["qa"] if q["kind"] == "toc-entry-unmatched"]
    assert found == ["contents lists '(三)綜合分析' (page 13), but no heading of the body has that title"]


def test_a_run_in_title_before_clauses_with_no_full_stop_is_split_from_its_text(tmp_path):
    # ntust-rules prints "(九) 參考文獻：…（例如：APA…），整本論文…：https://…" as one line: no full
    # stop, yet prose after a run-in title; a title with a subtitle after its colon stays whole
    from conftest import walk
    from edition.pipeline import extract

    rules = ("(二) 參考文獻：參考文獻之寫法依系所或指導教授規定辦理（例如：APA、MLA、Chicago 格式等），"
             "整本論文參考文獻之格式必須統一，寫法得參閱下列網址：https://example.org/reference")
    subtitle = "(三) 產業群聚示範計畫：日本技術先進首都圈地區(Technology Advanced Metropolitan Area, TAMA)計畫"
    src = tmp_path / "rules.txt"
    src.write_text(f"論文撰寫規則\n\n一、論文格式\n\n(一) 封面與書名頁\n\n封面依系所規定辦理。\n\n{rules}\n\n{subtitle}\n\n計畫內容如下。\n",
                   encoding="utf-8")
    doc = extract(src)
    titles = [n["title"] for n in walk(doc["blocks"]) if n["type"] == "section"]
    assert titles == ["論文格式", "封面與書名頁", "參考文獻：", subtitle[len("(三) "):]]
    assert any(n["text"].startswith("參考文獻之寫法") for n in walk(doc["blocks"]) if n["type"] == "paragraph")


@pytest.mark.parametrize("title, kind", [
    ("北京大学学位论文原创性声明和使用授权说明", "declaration"),  # a university's own title for the page
    ("國立臺灣大學學位論文授權書", "declaration"),
    ("學位論文原創性聲明", "declaration"),
    ("版 權 聲 明", "declaration"),
    ("三、著作權聲明", None),  # a numbered heading of the body
    ("著作權聲明之範圍說明如下，本文", None),  # a clause, not a title
    ("研究方法說明", None),
])
def test_a_declaration_page_is_front_matter_under_any_universitys_name(title, kind):
    from edition.extract.rules import front_matter_kind

    assert front_matter_kind(title) == kind


def test_a_later_cover_sheets_labels_and_job_titles_are_read():
    # the standard 出國報告 cover as later reports word it: "派赴國家/地區", "出國人員姓名/職稱"
    from edition.extract.cover import cover_to_metadata

    meta = cover_to_metadata(["出國報告（出國類別：開會）", "服 務 機 關：行政院農業委員會農業試驗所",
                              "出國人員姓名/職稱：王大明副研究員、李小華助理研究員、陳一教授",
                              "派赴國家/地區：日本", "出國期間：民國108年9月2日至9月6日", "報告日期：中華民國108年11月20日"],
                             ["參加國際研討會報告"])
    assert (meta["report_kind"], meta["trip_category"], meta["agency"], meta["country"]) == ("出國報告", "開會", "行政院農業委員會農業試驗所", "日本")
    assert [(a["name"], a["title"]) for a in meta["authors"]] == [("王大明", "副研究員"), ("李小華", "助理研究員"), ("陳一", "教授")]
    assert (meta["travel_period"]["start"], meta["travel_period"]["end"], meta["report_date"]["date"]) == ("2019-09-02", "2019-09-06", "2019-11-20")


def test_a_cover_field_set_apart_by_space_alone_is_read():
    from edition.extract.cover import cover_to_metadata

    meta = cover_to_metadata(["服務機關　行政院農業委員會", "出國期間  108年9月2日至9月6日", "服務機關說明如下"], ["報告"])
    assert meta["agency"] == "行政院農業委員會" and meta["travel_period"]["end"] == "2019-09-06"


def test_a_title_over_two_lines_is_joined_as_its_script_joins():
    # a Latin title wraps at a word gap ("…Risk of" + "Small Firms"); a CJK one has none
    from edition.extract.cover import cover_to_metadata

    latin = cover_to_metadata([], ["Digital Finance and the Credit Risk of", "Small Firms in Taiwan"])
    assert latin["title"] == latin["title_printed"] == "Digital Finance and the Credit Risk of Small Firms in Taiwan"
    assert cover_to_metadata([], ["Inclusive Finance and the Credit", "risk of small firms"])["title"] == \
        "Inclusive Finance and the Credit risk of small firms"
    assert cover_to_metadata([], ["北海道產學合作", "考察報告"])["title"] == "北海道產學合作考察報告"
    assert cover_to_metadata([], ["2013年北海道", "Hokkaido考察"])["title"] == "2013年北海道Hokkaido考察"
