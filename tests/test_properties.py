"""Properties that hold for any input, checked on generated text (hypothesis).

- The text-export reader and the structure stage never crash and never lose a character: every
  non-whitespace character of the export is somewhere in the document's text fields, as often
  as it was written (the bullet syntax "- " and <u></u> tags are markup, not text).
- The zh-Hant normaliser with the real glossary never crashes, and its recorded edits replayed
  on the original give exactly its output (tests/test_glossary_normalise.py checks the same on
  the test glossary with a narrower alphabet).
- The translation memory's quick check never accepts what its JSON Schema rejects.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edition.reading.text import SUPERSCRIPTS, text_to_records
from edition.model import SourceDoc
from edition.pipeline import source_to_document

ROOT = Path(__file__).resolve().parents[1]
RUNS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- generated text: what a Chinese report's export is made of --------------------------------

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
KANA = st.characters(min_codepoint=0x3041, max_codepoint=0x30FF)
LATIN = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
DIGITS = st.sampled_from("0123456789０１２３")
PUNCT = st.sampled_from("，。、；：？！（）「」『』《》—…·-()[]/%.,:;\"'")
SUPER = st.sampled_from(SUPERSCRIPTS[:3])
# pieces that mean something to the parsers: numbering, list and table syntax, markup, labels
PIECES = st.sampled_from([
    "第一章 ", "壹、", "一、", "（一）", "(一)", "1、", "(1)", "圖1 ", "表 2 ", "資料來源：", "註：",
    "<u>", "</u>", "\t", " ", "　", "產業技術總合研究所", "産総研", "AIST", "北海道大學",
    "出國報告", "服務機關：", "報告日期：", "目錄", "摘 要", "附錄",
])
TOKEN = st.one_of(CJK, CJK, CJK, KANA, LATIN, DIGITS, PUNCT, SUPER, PIECES)


@st.composite
def export_lines(draw) -> str:
    """One line of an export: prose, a '- ' item (maybe nested), a footnote, a table row,
    a blank line or the single space that marks a picture."""
    kind = draw(st.sampled_from(["prose", "prose", "prose", "bullet", "footnote", "row", "blank", "picture"]))
    body = "".join(draw(st.lists(TOKEN, min_size=1, max_size=25)))
    if kind == "bullet":
        return " " * draw(st.integers(0, 4)) + "- " + body
    if kind == "footnote":
        return draw(SUPER) + " " + body
    if kind == "row":
        cell = st.lists(TOKEN.filter(lambda t: "\t" not in t), max_size=4).map("".join)
        return "\t".join(draw(st.lists(cell, min_size=2, max_size=4)))
    if kind == "blank":
        return ""
    if kind == "picture":
        return " "
    return body


EXPORTS = st.lists(export_lines(), min_size=1, max_size=30).map("\n".join)

# -- the reader never loses a character ------------------------------------------------------

# keys whose values the tool makes up (ids, kinds, QA prose), not text taken from the source
MADE_UP = {"type", "id", "style", "kind", "message", "tag", "ref", "schema_version", "path", "sha256", "format"}
_BULLET = re.compile(r"^ *- ")
_TAG = re.compile(r"</?u>")


def source_chars(export: str) -> Counter:
    """The characters a reader must keep: no whitespace, no '- ' bullet syntax, no <u></u>;
    a superscript footnote mark counts as its digit (it becomes the mark "1")."""
    out: Counter = Counter()
    for line in export.splitlines():
        if "\t" not in line:
            line = _BULLET.sub("", line, count=1)
        for ch in _TAG.sub("", line):
            if not ch.isspace():
                out[unicodedata.normalize("NFKC", ch) if ch in SUPERSCRIPTS else ch] += 1
    return out


def document_chars(node, key: str | None = None) -> Counter:
    """Characters of every string in the document except made-up ones (superscripts as digits:
    a mark kept in a heading's text is the same mark as one in footnote_refs)."""
    out: Counter = Counter()
    if isinstance(node, dict):
        for k, v in node.items():
            out += document_chars(v, k)
    elif isinstance(node, list):
        for v in node:
            out += document_chars(v, key)
    elif isinstance(node, str) and key not in MADE_UP:
        out.update(unicodedata.normalize("NFKC", ch) if ch in SUPERSCRIPTS else ch for ch in node if not ch.isspace())
    return out


def export_to_document(export: str):
    src = SourceDoc(path="generated.txt", sha256="0" * 64, format="text", pages=None, records=tuple(text_to_records(export)))
    return source_to_document(src)


@RUNS
@given(EXPORTS)
def test_text_export_reader_never_crashes_and_never_loses_a_character(export):
    doc = export_to_document(export)
    missing = source_chars(export) - document_chars(doc)
    assert not missing, missing


@RUNS
@given(EXPORTS)
def test_every_document_from_a_text_export_matches_the_schema(export):
    from edition.schema import document_errors

    assert document_errors(export_to_document(export)) == []


# -- the normaliser with the real glossary ---------------------------------------------------


@pytest.fixture(scope="module")
def real_termbase():
    from edition.glossary.termbase import load_termbase

    return load_termbase(ROOT / "glossary" / "institutions.yaml")


@RUNS
@given(text=EXPORTS)
def test_normaliser_with_the_real_glossary_never_crashes_and_its_edits_replay_to_its_output(real_termbase, text):
    from edition.glossary.normalise import apply_edits, normalise_text

    result = normalise_text(text, real_termbase)
    assert apply_edits(text, result.edits) == result.text


# -- the memory's quick check is never looser than its schema --------------------------------

SEGMENT_VALUES = st.one_of(
    st.text(max_size=4), st.sampled_from(["ch1/p1#text", "0123456789ab", "abc", "TODO", "??", "#", "human", "machine"]),
    st.integers(), st.none(), st.booleans(),
)
SEGMENTS = st.dictionaries(st.sampled_from(["key", "hash", "zh", "en", "origin", "note", "extra"]), SEGMENT_VALUES)
MEMORIES = st.one_of(
    st.fixed_dictionaries({"schema_version": st.sampled_from([1, 1.0, True, 2, "1"]), "segments": st.none() | st.lists(SEGMENTS, max_size=3)}),
    st.dictionaries(st.sampled_from(["schema_version", "segments", "other"]), st.none() | st.integers()),
)


@settings(max_examples=500, deadline=None)
@given(MEMORIES)
def test_memory_quick_check_accepts_only_what_the_schema_accepts(data):
    from edition.schema import schema_errors_at
    from edition.translate.memory import _plainly_valid

    if _plainly_valid(data):
        assert schema_errors_at(data, "memory") == []


# -- the reader's counting in C gives what counting char by char gives ---------------------------

_FONTS = st.sampled_from(["ABCDEF+SimSun", "SimHei,Bold", "TimesNewRomanPS-BoldMT", "TimesNewRomanPSMT", "KaiTi"])


@st.composite
def _chars(draw):
    from edition.reading.pdfium import Char

    n = draw(st.integers(0, 30))
    return [Char(draw(st.sampled_from(["中", "a", " ", "\u3000", "1", "fi", ""])), float(i), 0.0, float(i + 1), 10.0, 10.0,
                 draw(_FONTS), 9.0, draw(st.sampled_from([0, 1, 2, 6])), overprinted=draw(st.booleans()))
            for i in range(n)]


@RUNS
@given(_chars())
def test_bold_and_visible_chars_are_counted_as_char_by_char(chars):
    from edition.reading.chars import count_bold, is_bold, visible_chars

    assert count_bold(chars) == sum(1 for c in chars if is_bold(c))
    assert visible_chars(chars) == [c for c in chars if c.text.strip()]
