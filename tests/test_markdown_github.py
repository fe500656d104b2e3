"""The Markdown edition as GitHub shows it (issue 14, point 6): parsed with markdown-it-py's
``gfm-like`` preset (linkify on) and footnotes, it holds no stretch shown as code, no link to a
wrong address, no backslash the reader sees, every footnote referenced and defined exactly once,
no empty heading — for the report and for every document of the development corpus.

Escaping is by context (``edition.render.mdtext``): the property tests below give it text full of
Markdown's special characters, URLs and line starts, and check that GitHub would show exactly
that text, in every context the renderer writes.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import ROOT
from editions import CORPUS_PDFS, NO_CORPUS, built
from edition.render.mdtext import escape, split_urls
from markdown_check import check_markdown, github_parser

PARSER = github_parser()
EDITION = ROOT / "output" / "hokkaido-report.zh-en.md"

# Pieces of text that are markup somewhere: emphasis, links, escapes, entities, block starts, URLs.
PIECES = st.sampled_from(list("ab 中文。，）\\*_`~[]()<>!&#|$-+=.1:/h\n\t") + [
    "http://x.jp/a_b", "www.x.jp", "x.jp/p", "a@b.com", "&amp;", "R&D;", "&#12;", " 1. ", "# ", "    ", "***", "```"])
TEXTS = st.lists(PIECES, max_size=25).map("".join)


def shown(markdown: str) -> tuple[list[str], str]:
    """(the blocks markdown-it opens, the text a reader sees — ``<br>`` as a space)."""
    tokens = PARSER.parse(markdown)
    out: list[str] = []

    def walk(ts):
        for t in ts:
            if t.type in ("text", "code_inline"):
                out.append(t.content)
            elif t.type in ("softbreak", "hardbreak") or (t.type == "html_inline" and t.content == "<br>"):
                out.append(" ")
            elif t.type == "html_inline":
                out.append(f"<HTML {t.content}>")
            walk(t.children or [])

    walk(tokens)
    return [t.type for t in tokens if t.nesting == 1], "".join(out)


def words(text: str) -> str:
    """Text as a reader compares it: white space runs are one space (Markdown folds them)."""
    return re.sub(r"\s+", " ", text).strip()


@settings(max_examples=600, suppress_health_check=list(HealthCheck), deadline=None)
@given(TEXTS)
def test_escaped_text_starting_a_paragraph_shows_exactly_the_text(text):
    blocks, seen = shown(escape(text, line_start=True))
    assert blocks in ([], ["paragraph_open"])
    assert words(seen) == words(text)


@settings(max_examples=600, suppress_health_check=list(HealthCheck), deadline=None)
@given(TEXTS, st.sampled_from(["cell", "link", "list", "quote", "heading"]))
def test_escaped_text_shows_exactly_the_text_in_every_context_the_renderer_writes(text, context):
    if context == "cell":
        blocks, seen = shown(f"| a | b |\n|---|---|\n| {escape(text, 'cell')} | z |\n")
        assert blocks[:1] == ["table_open"] and seen.startswith("ab") and seen.endswith("z")
        seen = seen[2:-1]
    elif context == "link":
        markdown = f"[{escape(text, 'link')}](#here)"
        kinds = [c.type for c in PARSER.parse(markdown)[1].children]
        assert kinds[0] == "link_open" and kinds[-1] == "link_close" and kinds.count("link_open") == 1
        _, seen = shown(markdown)
    elif context == "list":
        blocks, seen = shown(f"- {escape(text, line_start=True)}<br>tail")
        assert blocks.count("bullet_list_open") == 1 and "blockquote_open" not in blocks
        assert seen.endswith("tail")
        seen = seen[: -len("tail")]
    elif context == "quote":
        blocks, seen = shown(f"> {escape(text, line_start=True)}")
        assert blocks[:1] == ["blockquote_open"] and blocks.count("blockquote_open") == 1
    else:
        blocks, seen = shown(f"## {escape(text, 'heading')} · tail")
        assert blocks == ["heading_open"] and words(seen).endswith("· tail")
        seen = words(seen)[: -len("· tail")]
    assert words(seen) == words(text)


def links(markdown: str) -> list[tuple[str, str]]:
    """(address, text) of every link a reader can click."""
    out = []
    for t in PARSER.parse(markdown):
        kids = t.children or []
        for i, c in enumerate(kids):
            if c.type == "link_open":
                out.append((c.attrs["href"], kids[i + 1].content))
    return out


def test_a_url_in_a_chinese_sentence_links_to_the_address_without_the_sentence_punctuation_or_escapes():
    text = "資料來源：文部科學省 http://www.mext.go.jp/a_menu/_icsFiles/1296698_3.pdf。詳見（www.hokudai.ac.jp）與 ab_c@hokudai.ac.jp，"
    assert links(escape(text, line_start=True)) == [
        ("http://www.mext.go.jp/a_menu/_icsFiles/1296698_3.pdf", "http://www.mext.go.jp/a_menu/_icsFiles/1296698_3.pdf"),
        ("http://www.hokudai.ac.jp", "www.hokudai.ac.jp"),
        ("mailto:ab_c@hokudai.ac.jp", "ab_c@hokudai.ac.jp"),
    ]


def test_a_url_ends_where_the_address_ends():
    assert split_urls("see http://a.jp/x.pdf. Next (http://b.jp/y_(z)) and <http://c.jp/>。") == [
        ("text", "see "), ("url", "http://a.jp/x.pdf"), ("text", ". Next ("), ("url", "http://b.jp/y_(z)"),
        ("text", ") and <"), ("url", "http://c.jp/"), ("text", ">。")]


def test_only_what_would_be_markup_is_escaped():
    # punctuation that opens nothing where it stands is left alone: no backslash in the source
    assert escape("R&D; 3~5 年; 中_文; a * b; [yen] 5 > 3; 1. 項目", line_start=False) == \
        "R&D; 3\\~5 年; 中_文; a * b; \\[yen] 5 > 3; 1. 項目"
    assert escape("1. 項目", line_start=True) == "1\\. 項目"
    assert escape("    # 標題", line_start=True) == "\\# 標題"  # four spaces would be code


def test_a_note_after_a_url_is_a_note_not_part_of_the_address():
    markdown = f"見 {escape('http://a.jp/b_c.pdf.')}[^tn-1]\n\n[^tn-1]: note\n"
    assert links(markdown) == [("http://a.jp/b_c.pdf", "http://a.jp/b_c.pdf")]
    assert check_markdown(markdown).total == 0


def assert_reads_right(markdown: str, name: str) -> None:
    fig = check_markdown(markdown)
    assert fig.faults == dict.fromkeys(fig.FAULTS, 0), f"{name}: " + "; ".join(fig.problems[:8])


def test_the_committed_edition_reads_right_on_github():
    markdown = EDITION.read_text(encoding="utf-8")
    assert_reads_right(markdown, EDITION.name)
    fig = check_markdown(markdown)
    assert fig.footnotes >= 100 and fig.links >= 40  # the report's notes and its URLs are all there
    assert fig.images == len(list((EDITION.parent / "hokkaido-report.assets").iterdir())) >= 77  # and its figures, shown


@pytest.mark.skipif(not CORPUS_PDFS, reason=NO_CORPUS)
@pytest.mark.parametrize("source", CORPUS_PDFS, ids=lambda p: p.stem)
def test_every_corpus_document_reads_right_on_github(source):
    out = built(source)
    markdown = (out / f"{source.stem}.zh-en.md").read_text(encoding="utf-8")
    assert_reads_right(markdown, source.name)
    pictures = out / f"{source.stem}.assets"
    assert check_markdown(markdown).images == (len(list(pictures.iterdir())) if pictures.exists() else 0)
