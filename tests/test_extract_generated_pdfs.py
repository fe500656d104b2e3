"""Extraction generalises beyond the one report: small Chinese report PDFs made by the tests.

Each PDF is typeset by ``tests/pdfs/make_pdfs.py`` (reportlab, built-in CID fonts) into a
temporary folder and extracted once per session. The report PDF's headings are bold; these set
them only larger, as reports whose font has no bold face do.
"""

from __future__ import annotations

import re

import pytest

from conftest import walk
from pdfs import make_pdfs

CJK_SPACE_CJK = re.compile(r"[\u4e00-\u9fff]\s+[\u4e00-\u9fff]")


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    """name → (path, extracted document); each PDF is built and extracted once."""
    from edition.pipeline import extract

    folder = tmp_path_factory.mktemp("generated-pdfs")
    cache: dict[tuple, tuple] = {}

    def get(make, *args):
        key = (make.__name__, *args)
        if key not in cache:
            path = make(folder / f"{'-'.join(map(str, key))}.pdf", *args)
            cache[key] = (path, extract(path))
        return cache[key]

    return get


def sections(doc):
    return [n for n in walk(doc["blocks"]) if n["type"] == "section"]


def prose(doc):
    return [n["text"] for n in walk(doc["blocks"]) if n["type"] in ("paragraph", "list_item")]


def test_simplified_report_with_jie_sections(generated):
    _, doc = generated(make_pdfs.make_simplified_annual_report)
    top = [n for n in doc["blocks"] if n["type"] == "section"]
    assert [(s["heading"], s["level"], s["number"]) for s in top] == [
        ("第一节 重要提示", 1, "第一节"),
        ("第二节 公司简介和主要财务指标", 1, "第二节"),
    ]
    second = {s["id"]: s for s in sections(doc)}
    assert second["sec2.cn1"]["title"] == "公司信息" and second["sec2.cn1"]["level"] == 2
    assert second["sec2.cn1.paren-cn1"]["title"] == "经营情况讨论与分析"
    assert second["sec2.cn1.paren-cn2"]["level"] == 3 and second["sec2.cn1.paren-cn2"]["page"] == 2
    assert second["sec2.cn2"]["level"] == 2
    # nothing else became a section, and the body text stayed body text
    assert list(second) == ["sec1", "sec2", "sec2.cn1", "sec2.cn1.paren-cn1", "sec2.cn1.paren-cn2", "sec2.cn2", "sec2.cn3"]
    texts = prose(doc)
    assert "本报告中涉及的未来计划、发展战略等前瞻性描述不构成公司对投资者的实质承诺，敬请投资者注意投资风险。" in texts


def test_paragraph_over_a_page_break_is_joined(generated):
    _, doc = generated(make_pdfs.make_simplified_annual_report)
    split = [n for n in walk(doc["blocks"]) if n["type"] == "paragraph" and n["text"].startswith("报告期内，公司坚持")]
    assert len(split) == 1
    assert split[0]["text"] == make_pdfs.LONG_SPLIT
    assert split[0]["pages"] == [1, 2]
    assert not any(t.startswith("断完善内部控制体系") for t in prose(doc))


def test_heading_wrapped_over_two_lines_is_one_heading(generated):
    _, doc = generated(make_pdfs.make_simplified_annual_report)
    sec = {s["id"]: s for s in sections(doc)}["sec2.cn3"]
    assert sec["heading"] == make_pdfs.WRAPPED_HEADING
    assert [c["type"] for c in sec["children"]] == ["paragraph"]


def test_numbered_rows_inside_a_table_are_not_headings(generated):
    _, doc = generated(make_pdfs.make_financial_statement)
    assert [s["heading"] for s in sections(doc)] == ["第十节 财务报告"]
    tables = [n for n in walk(doc["blocks"]) if n["type"] == "table"]
    assert len(tables) == 1
    cells = [[c.get("text") for c in row] for row in tables[0]["rows"]]
    assert cells == make_pdfs.INCOME_STATEMENT
    assert not any("营业总收入" in t or "净利润" == t for t in prose(doc))


@pytest.mark.parametrize("form, printed", [
    ("plain", "2"), ("dashes", "— 2 —"), ("di-ye", "第 2 页"), ("of-total", "2 / 3"),
])
def test_running_header_and_page_numbers_recorded_not_in_text(generated, form, printed):
    _, doc = generated(make_pdfs.make_running_header_report, form)
    header = "某某股份有限公司 2023 年年度报告"
    furniture = doc["furniture"]
    assert [(f["kind"], f["page"]) for f in furniture if f["text"] == header] == [
        ("running-header", 1), ("running-header", 2), ("running-header", 3),
    ]
    assert {"kind": "page-number", "text": printed, "page": 2} in furniture
    assert doc["source"]["printed_pages"] == {"1": "1", "2": "2", "3": "3"}
    for text in prose(doc) + [s["heading"] for s in sections(doc)]:
        assert "年年度报告" not in text and not re.search(r"^\W*\d+\W*$|第 \d 页|\d / 3", text)
    assert [s["title"] for s in sections(doc)] == ["管理层讨论与分析", "公司治理", "环境和社会责任"]


@pytest.mark.parametrize("repeat_header", [False, True], ids=["header-once", "header-repeated"])
def test_table_over_page_break_is_one_table(generated, repeat_header):
    _, doc = generated(make_pdfs.make_table_over_page_break, repeat_header)
    tables = [n for n in walk(doc["blocks"]) if n["type"] == "table"]
    assert len(tables) == 1
    t = tables[0]
    assert t["pages"] == [1, 2]
    # every row once, in order: the column heads a continuation page reprints are not data
    assert [[c.get("text") for c in row] for row in t["rows"]] == make_pdfs.SUBSIDIARIES
    # the text after the table is its own paragraph, in the same section
    sec = next(s for s in sections(doc) if s["id"] == "sec6.cn1")
    assert [c["type"] for c in sec["children"]] == ["paragraph"] * 3 + ["table", "paragraph"]
    assert sec["children"][-1]["text"] == "上述子公司均已纳入公司合并财务报表范围。"


def test_footnote_at_page_foot_linked(generated):
    _, doc = generated(make_pdfs.make_footnote_report)
    nodes = list(walk(doc["blocks"]))
    notes = [n for n in nodes if n["type"] == "footnote"]
    assert [(n["mark"], n["text"]) for n in notes] == [("1", "股东总数以中国证券登记结算有限责任公司提供的名册为准。")]
    holder = next(n for n in nodes if n.get("id") == notes[0]["ref"])
    assert holder["text"] == "截至报告期末，公司普通股股东总数为35,682户，较上一月末减少1.2%。"
    ref = holder["footnote_refs"][0]
    assert ref == {"mark": "1", "offset": len("截至报告期末，公司普通股股东总数为35,682户"), "footnote": notes[0]["id"]}
    assert not any("名册为准" in t for t in prose(doc))


def test_traditional_report_with_zhang_chapters_and_tiao(generated):
    _, doc = generated(make_pdfs.make_traditional_regulation)
    assert doc["metadata"]["title"] == "某某股份有限公司董事會議事規則"
    chapters = [n for n in doc["blocks"] if n["type"] == "section"]
    assert [(c["heading"], c["level"]) for c in chapters] == [("第一章 總則", 1), ("第二章 會議之召集", 1)]
    articles = [[(s["number"], s["level"]) for s in c["children"] if s["type"] == "section"] for c in chapters]
    assert articles == [[("第一條", 2), ("第二條", 2)], [("第三條", 2), ("第四條", 2), ("第五條", 2)]]
    assert [s["id"] for s in chapters[1]["children"] if s["type"] == "section"] == ["ch2.art3", "ch2.art4", "ch2.art5"]


def test_articles_numbered_on_across_chapters_are_not_a_gap(generated):
    _, doc = generated(make_pdfs.make_traditional_regulation)
    assert [q for q in doc["qa"] if q["kind"] == "section-gap"] == []


def test_numbered_lines_in_the_body_face_stay_list_items(generated):
    # 一、 二、 三、 inside an article (款) are set like the body: a list, not sections
    _, doc = generated(make_pdfs.make_traditional_regulation)
    art5 = next(s for s in sections(doc) if s["number"] == "第五條")
    lists = [n for n in art5["children"] if n["type"] == "list"]
    assert [i["text"] for i in lists[0]["items"]] == list(make_pdfs.ARTICLE_ITEMS)
    assert not any(s["style"] == "cn" for s in sections(doc))


def test_no_spaces_between_cjk_chars_in_justified_text(generated):
    for make in (make_pdfs.make_simplified_annual_report, make_pdfs.make_letter_spaced_text):
        _, doc = generated(make)
        assert not any(CJK_SPACE_CJK.search(t) for t in prose(doc))


def test_letter_spaced_digits_and_words_are_not_split(generated):
    # tracking puts the same gap after every glyph: only a wider gap (or a space glyph) is a space
    _, doc = generated(make_pdfs.make_letter_spaced_text)
    texts = prose(doc)
    assert texts[0] == "本公司2023年实现营业收入12.5亿元，同比增长8.6%，净资产收益率为10.2%。"
    assert texts[1] == "公司在Hong Kong设立的子公司运营正常，报告期内未发行优先股。"


def test_duplicate_chars_removed(generated):
    _, doc = generated(make_pdfs.make_fake_bold)
    assert [s["heading"] for s in sections(doc)] == ["第九节 债券相关情况", "一、企业债券", "二、公司债券"]
    records = [f for f in doc["furniture"] if f["kind"] == "duplicate-char"]
    assert records == [{"kind": "duplicate-char", "text": "12 duplicate chars removed", "page": 1}]


def test_text_drawn_twice_counts_as_bold(generated):
    # the overprinted headings are in the body size: only the overprint makes them headings
    _, doc = generated(make_pdfs.make_fake_bold)
    assert [s["level"] for s in sections(doc)] == [1, 2, 2]


def test_generated_documents_are_valid(generated):
    from edition.schema import document_errors

    makes = [m for m in make_pdfs.ALL.values()]
    for make in makes:
        path, doc = generated(make)
        assert document_errors(doc, str(path)) == []


def test_a_page_drawn_twice_is_a_duplicate_layer_not_bold():
    # overprinting a few headings is emphasis; a whole page doubled is a repeated text layer
    from edition.reading.chars import dedupe_chars
    from edition.reading.pdfium import Char

    line = [Char(t, 50.0 + 10 * i, 100.0, 60.0 + 10 * i, 110.0, 10.0, "STSong-Light", 109.0) for i, t in enumerate("报告期内公司经营正常")]
    doubled = line + [ch._replace(x0=ch.x0 + 0.3) for ch in line]
    kept, dups = dedupe_chars(doubled)
    assert ("".join(ch.text for ch in kept), dups) == ("报告期内公司经营正常", 10)
    assert not any(ch.overprinted for ch in kept)
    kept, _ = dedupe_chars(line + line[:2])
    assert [ch.overprinted for ch in kept] == [True, True] + [False] * 8


def test_generated_pdfs_are_deterministic(tmp_path):
    a = make_pdfs.make_simplified_annual_report(tmp_path / "a.pdf").read_bytes()
    b = make_pdfs.make_simplified_annual_report(tmp_path / "b.pdf").read_bytes()
    assert a == b
