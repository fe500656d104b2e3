"""The Markdown edition as a reader sees it: rendered through a CommonMark parser (markdown-it-py
with GFM tables and footnotes, as GitHub shows it), then asserted on what a reader would notice —
stray backslashes, notes inside the reading text, sentences set as headings, a bullet before a
bullet glyph, contents without numbers, build details under the title.

First on a small export built in the test, then on the committed edition.
"""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from conftest import GLOSSARY, ROOT
from edition.build import BuildSettings, build_document
from edition.translate.memory import Unit, memory_to_yaml
from edition.translate.segments import zh_hash

PARSER = MarkdownIt("commonmark").enable("table").use(footnote_plugin)
EDITION = ROOT / "output" / "hokkaido-report.zh-en.md"
GLYPHS = "□■◎◇◆●○•▪※"

EXPORT = "\n".join([
    "出國報告（出國類別：考察）", "",
    "北海道產學合作考察報告", "",
    "服務機關：行政院經濟建設委員會", "",
    "目 錄", "",
    "第一章 前言\t1", "壹、考察緣起\t1", "貳、考察行程\t2", "",
    "第一章 前言", "",
    "壹、考察緣起", "",
    "本次考察拜會產業技術總合研究所，瞭解產學合作機制。", "",
    "- 一、瞭解區域創新。", "",
    "- □ 產業群聚計畫", "",
    "貳、考察行程", "",
    "一、期間：101年11月26日至11月30日，共計5天。", "",
    "二、行程概要：詳表1。", "",
])
ENGLISH = {
    "meta#title": "Study of Industry–Academia Collaboration in Hokkaido",
    "meta#report_kind": "Overseas Trip Report",
    "meta#trip_category": "Study Trip",
    "meta#agency": "Council for Economic Planning and Development (CEPD)",
    "fm-contents#heading": "Contents",
    "fm-contents#e1": "Introduction",
    "fm-contents#e2": "Background of the Study Trip",
    "fm-contents#e3": "Itinerary",
    "ch1#heading": "Introduction",
    "ch1.formal1#heading": "Background of the Study Trip",
    "ch1.formal1/p1#text": "The delegation visited AIST [Translator's note: the National Institute of Advanced Industrial Science"
                           " and Technology.] to learn about industry–academia collaboration.",
    "ch1.formal1/l1.1#text": "1. Understand regional innovation.",
    "ch1.formal1/l1.2#text": "□ Industrial Cluster Project",
    "ch1.formal2#heading": "Itinerary",
    "ch1.formal2.cn1#heading": "Period: 26 to 30 November 2012, five days in total.",
    "ch1.formal2.cn2#heading": "Itinerary summary: see Table 1. [Translator's note: the table is not reproduced here.]",
}


def tokens_of(markdown: str):
    return PARSER.parse(markdown)


def reading_inlines(tokens):
    """(the block it stands in, the inline token) for every inline outside the footnotes."""
    in_notes, blocks = False, []
    for t in tokens:
        if t.type == "footnote_block_open":
            in_notes = True
        elif t.type == "footnote_block_close":
            in_notes = False
        elif t.nesting == 1:
            blocks.append(t.type)
        elif t.nesting == -1 and blocks:
            blocks.pop()
        elif t.type == "inline" and not in_notes:
            yield tuple(blocks), t


def text_of(inline) -> str:
    return "".join(c.content for c in inline.children if c.type in ("text", "code_inline"))


def headings(tokens) -> list[tuple[int, str]]:
    out = []
    for i, t in enumerate(tokens):
        if t.type == "heading_open":
            out.append((int(t.tag[1]), text_of(tokens[i + 1])))
    return out


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The small export's Markdown, every segment translated."""
    d = tmp_path_factory.mktemp("reader")
    (d / "r.txt").write_text(EXPORT, encoding="utf-8")
    zh = {
        "meta#title": "北海道產學合作考察報告", "meta#report_kind": "出國報告", "meta#trip_category": "考察",
        "meta#agency": "行政院經濟建設委員會", "fm-contents#heading": "目 錄", "fm-contents#e1": "前言",
        "fm-contents#e2": "考察緣起", "fm-contents#e3": "考察行程", "ch1#heading": "前言", "ch1.formal1#heading": "考察緣起",
        "ch1.formal1/p1#text": "本次考察拜會產業技術總合研究所，瞭解產學合作機制。", "ch1.formal1/l1.1#text": "一、瞭解區域創新。",
        "ch1.formal1/l1.2#text": "□ 產業群聚計畫", "ch1.formal2#heading": "考察行程",
        "ch1.formal2.cn1#heading": "期間：101年11月26日至11月30日，共計5天。", "ch1.formal2.cn2#heading": "行程概要：詳表1。",
    }
    (d / "tr").mkdir()
    (d / "tr" / "r.zh-en.yaml").write_text(memory_to_yaml([Unit(k, zh_hash(z), z, ENGLISH[k]) for k, z in zh.items()]), encoding="utf-8")
    files = build_document(d / "r.txt", BuildSettings(glossary_dir=GLOSSARY, translations_dir=d / "tr", cache_dir=None))
    return files["r.zh-en.md"]


@pytest.fixture(scope="module")
def edition() -> str:
    return EDITION.read_text(encoding="utf-8")


def test_the_small_edition_is_fully_translated(small):
    assert "⚠" not in small.split("## 關於本版")[0]


@pytest.mark.parametrize("which", ["small", "edition"])
def test_no_literal_backslash_reaches_the_reader(which, request):
    md = request.getfixturevalue(which)
    shown = [text_of(t) for _, t in reading_inlines(tokens_of(md))]
    assert [s for s in shown if "\\" in s] == []


def test_list_item_english_starting_with_a_number_reads_as_written(small):
    items = [text_of(t) for blocks, t in reading_inlines(tokens_of(small)) if "list_item_open" in blocks]
    assert "一、瞭解區域創新。1. Understand regional innovation." in items


@pytest.mark.parametrize("which", ["small", "edition"])
def test_translators_notes_are_footnotes_not_reading_text(which, request):
    md = request.getfixturevalue(which)
    tokens = tokens_of(md)
    assert not [text_of(t) for _, t in reading_inlines(tokens) if "Translator's note" in text_of(t)]
    refs = [c.meta["label"] for _, t in reading_inlines(tokens) for c in t.children if c.type == "footnote_ref"]
    assert any(label.startswith("tn-") for label in refs)
    # every reference leads to its note: none is left as literal text
    assert not [text_of(t) for _, t in reading_inlines(tokens) if "[^" in text_of(t)]


def test_the_note_mark_stands_where_the_note_stood(small):
    para = next(t for _, t in reading_inlines(tokens_of(small)) if text_of(t).startswith("The delegation visited AIST"))
    kinds = [c.type for c in para.children]
    assert kinds.index("footnote_ref") == 1  # right after "… visited AIST", before "to learn about …"
    assert para.children[0].content == "The delegation visited AIST"
    assert para.children[2].content == " to learn about industry–academia collaboration."


@pytest.mark.parametrize("which", ["small", "edition"])
def test_qa_remarks_are_notes_not_reading_text(which, request):
    md = request.getfixturevalue(which)
    assert not [text_of(t) for _, t in reading_inlines(tokens_of(md)) if re.search(r"\bQA:", text_of(t))]


def _item_like(text: str) -> bool:
    """A Chinese heading that is a numbered item: a marker, a label, a colon and content after it."""
    from edition.extract.numbering import parse_marker

    zh = text.split(" · ", 1)[0]
    return parse_marker(zh) is not None and bool(re.search(r"[：:]\s*\S", zh))


@pytest.mark.parametrize("which", ["small", "edition"])
def test_numbered_items_with_content_after_the_colon_are_not_headings(which, request):
    md = request.getfixturevalue(which)
    hs = headings(tokens_of(md))
    for i, (level, text) in enumerate(hs):
        if _item_like(text):
            # only a heading with sub-headings of its own stays one ('(七)產業群聚示範計畫：日本技術先進…')
            assert i + 1 < len(hs) and hs[i + 1][0] > level, text


def test_a_numbered_item_reads_as_a_paragraph_with_a_bold_lead_in_both_languages(small):
    tokens = tokens_of(small)
    paras = [t for blocks, t in reading_inlines(tokens) if blocks[-1:] == ("paragraph_open",)]
    zh = next(t for t in paras if text_of(t).startswith("一、期間"))
    assert [c.type for c in zh.children][:4] == ["text", "strong_open", "text", "strong_close"]
    assert zh.children[2].content == "一、期間" and text_of(zh) == "一、期間：101年11月26日至11月30日，共計5天。"
    en = next(t for blocks, t in reading_inlines(tokens) if "blockquote_open" in blocks and text_of(t).startswith("1. Period"))
    assert en.children[2].content == "1. Period:" and text_of(en) == "1. Period: 26 to 30 November 2012, five days in total."
    summary = next(t for blocks, t in reading_inlines(tokens) if text_of(t).startswith("2. Itinerary summary"))
    assert summary.children[-1].type == "footnote_ref"  # its translator's note, still a note


@pytest.mark.parametrize("which", ["small", "edition"])
def test_a_list_item_shows_one_bullet_not_a_bullet_and_a_glyph(which, request):
    md = request.getfixturevalue(which)
    items = [text_of(t) for blocks, t in reading_inlines(tokens_of(md)) if blocks[-2:] == ("list_item_open", "paragraph_open")]
    assert items and not [i for i in items if i[:1] in GLYPHS or "<br>" in i]
    assert not [i for i in items if re.search(rf"[。.)]\s*[{GLYPHS}]\s", i)]  # nor before the English


@pytest.mark.parametrize("which", ["small", "edition"])
def test_the_english_contents_give_chapter_and_section_numbers(which, request):
    md = request.getfixturevalue(which)
    tokens = tokens_of(md)
    rows, in_contents = [], False
    for i, t in enumerate(tokens):
        if t.type == "heading_open":
            in_contents = text_of(tokens[i + 1]).startswith("目 錄")
        if in_contents and t.type == "tr_open":
            cells = []
            j = i + 1
            while tokens[j].type != "tr_close":
                if tokens[j].type == "inline":
                    cells.append(text_of(tokens[j]))
                j += 1
            rows.append(cells)
    body = rows[1:]
    assert body
    for zh, en, _page in body:
        if zh.startswith("第"):
            assert re.match(r"Chapter \d+ ", en), en
        else:
            assert re.match(r"[IVX]+\. ", en), en


@pytest.mark.parametrize("which", ["small", "edition"])
def test_no_build_note_with_a_hash_under_the_title(which, request):
    md = request.getfixturevalue(which)
    assert "sha256" not in md
    tokens = tokens_of(md)
    first_table = next(i for i, t in enumerate(tokens) if t.type == "table_open")
    after_cover = [text_of(t) for t in tokens[first_table:] if t.type == "inline"]
    assert not any(s.startswith("Source:") for s in after_cover[:20])


def test_draft_and_stale_english_are_marked_where_they_stand(tmp_path):
    from edition.render.markdown import document_to_markdown
    from edition.translate.apply import translate_document
    from edition.translate.memory import Memory

    doc = {
        "source": {"path": "x.txt"}, "metadata": {}, "qa": [],
        "blocks": [{"type": "paragraph", "id": "p1", "text": "甲乙丙。"}, {"type": "paragraph", "id": "p2", "text": "丁戊己。"}],
    }
    memory = Memory("x.zh-en.yaml", (Unit("p1#text", zh_hash("甲乙丙。"), "甲乙丙。", "Draft English.", "machine"),
                                     Unit("p2#text", zh_hash("丁戊"), "丁戊", "Old English.")), "v")
    tokens = tokens_of(document_to_markdown(translate_document(doc, memory)))
    quoted = [t for blocks, t in reading_inlines(tokens) if "blockquote_open" in blocks]
    assert [(text_of(t), [c.type for c in t.children][:3]) for t in quoted] == [
        ("⚠ [draft — English not reviewed yet (a machine draft or a reused close match)] Draft English.", ["text", "em_open", "text"]),
        ("⚠ [stale — the Chinese changed since this was translated] Old English.", ["text", "em_open", "text"]),
    ]
