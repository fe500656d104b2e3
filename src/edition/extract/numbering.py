"""Numbering markers at the start of a line: what style, what value, what title follows.

Chinese reports number their divisions in many ways, and each document picks its own subset in
its own order:

    第X章 / 第X節 / 第X条 …   chapter style, with a unit (篇, 部分 › 章 › 節 › 條)
    壹、 貳、                  formal numerals
    一、 二、                  Chinese numerals
    (一) （二）                Chinese numerals in brackets
    1、 1. 1． 1              Arabic numerals (the punctuation is part of the style)
    (1) （2） 1)               Arabic numerals in brackets
    1.1  2.1.1  3-1、          decimal numbering (its depth is the number of parts)
    ① ②                       circled numbers
    a. A. (a) a)               letters
    I. II、 i. iv) Ⅱ、          Roman numerals

A marker's *style key* names the style with its punctuation, so that "1、" and "1." can be two
levels of one document. How deep a style sits is not fixed here: :mod:`.hierarchy` infers it
per document from the order styles appear in; :func:`conventionally_outer` only breaks the
tie where a document skips a level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
FORMAL = {"壹": 1, "貳": 2, "贰": 2, "參": 3, "叁": 3, "肆": 4, "伍": 5, "陸": 6, "陆": 6, "柒": 7, "捌": 8, "玖": 9, "拾": 10}
_CN = "〇零一二三四五六七八九十百兩"
_FORMAL = "壹貳贰參叁肆伍陸陆柒捌玖拾"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN_CHARS = {"Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3, "Ⅳ": 4, "Ⅴ": 5, "Ⅵ": 6, "Ⅶ": 7, "Ⅷ": 8, "Ⅸ": 9, "Ⅹ": 10, "Ⅺ": 11, "Ⅻ": 12,
                "ⅰ": 1, "ⅱ": 2, "ⅲ": 3, "ⅳ": 4, "ⅴ": 5, "ⅵ": 6, "ⅶ": 7, "ⅷ": 8, "ⅸ": 9, "ⅹ": 10}
_ROMAN = re.compile(r"^(?=[ivxlc]+$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")

# Units of the 第X ("chapter") style, outermost first: 編/篇 › 章 › 節 › 條 (款 and 目 are
# numbered 一、 and (一) inside an article, so the other styles cover them).
UNITS = ("篇編编部", "章", "節节", "條条")

# What may follow a marker: the title, or nothing. After a bare number ("1 ") or a marker with
# no punctuation, the title must not continue the number ("1990年", "3.5倍", "2 個").
_NOT_AFTER_BARE = re.compile(r"^[\d.%年月日個个人名位項项次倍萬万億亿元％‰]")

# Each pattern: style, regex. Group "n" is the number, "p" the punctuation, "t" the title.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chapter", re.compile(rf"^第\s*(?P<n>[{_CN}{_FORMAL}\d]+)\s*(?P<u>[章節节條条篇編编]|部分)\s*(?P<p>[、：:．.]?)\s*(?P<t>.*)$")),
    ("decimal", re.compile(r"^(?P<n>\d{1,2}(?:[.．]\d{1,2}){1,3})(?![\d])\s*(?P<p>[、．.]?)\s*(?P<t>.*)$")),
    ("decimal", re.compile(r"^(?P<n>\d{1,2}(?:[-－–]\d{1,2}){1,2})(?![\d])\s*(?P<p>[、．.]?)\s*(?P<t>.*)$")),
    ("formal", re.compile(rf"^(?P<n>[{_FORMAL}]+)\s*(?P<p>[、．.])\s*(?P<t>.*)$")),
    ("cn", re.compile(rf"^(?P<n>[{_CN}]+)\s*(?P<p>[、．])\s*(?P<t>.*)$")),
    ("paren-cn", re.compile(rf"^(?P<p>[（(])\s*(?P<n>[{_CN}]+)\s*[)）]\s*、?\s*(?P<t>.*)$")),
    ("paren-arabic", re.compile(r"^(?P<p>[（(])\s*(?P<n>\d{1,2})\s*[)）]\s*(?P<t>.*)$")),
    ("paren-arabic", re.compile(r"^(?P<n>\d{1,2})(?P<p>[)）])\s*(?P<t>.*)$")),
    ("arabic", re.compile(r"^(?P<n>\d{1,2})(?![\d])\s*(?P<p>[、．.:：](?![\d])|\s|(?=[\u4e00-\u9fff]))\s*(?P<t>.*)$")),
    ("circled", re.compile(rf"^(?P<n>[{_CIRCLED}])\s*(?P<p>[、．.]?)\s*(?P<t>.*)$")),
    ("roman", re.compile(r"^(?P<n>[Ⅰ-Ⅻⅰ-ⅹ])\s*(?P<p>[、．.]?)\s*(?P<t>.*)$")),
    ("roman", re.compile(r"^(?P<n>(?:[IVX]{1,5}|[ivx]{1,5}))(?P<p>[、．.)）])\s*(?P<t>.*)$")),
    ("paren-letter", re.compile(r"^(?P<p>[（(])(?P<n>[A-Za-z])[)）]\s*(?P<t>.*)$")),
    ("letter", re.compile(r"^(?P<n>[A-Za-z])(?P<p>[、．.)）])\s*(?P<t>(?![A-Za-z]\.).*)$")),
)


@dataclass(frozen=True)
class Marker:
    """A numbering marker found at the start of a line.

    style:  chapter | formal | cn | paren-cn | arabic | paren-arabic | decimal | circled |
            roman | letter | paren-letter.
    value:  the number it stands for (第四章 → 4, 參、 → 3, (二) → 2, 2.1.3 → 3, b. → 2).
    marker: the marker as printed ("第四章", "參、", "(二)", "2.1.3").
    title:  the rest of the line after the marker, stripped.
    unit:   for chapter style, the unit character (章, 節, 條 …).
    punct:  the punctuation that closes the marker ("、", ".", "" …), part of the style key.
    parts:  for decimal style, every number of the marker (2.1.3 → (2, 1, 3)).
    case:   for letters and Roman numerals, "upper" or "lower".
    """

    style: str
    value: int
    marker: str
    title: str
    unit: str = ""
    punct: str = ""
    parts: tuple[int, ...] = ()
    case: str = ""

    @property
    def key(self) -> str:
        """The style key: markers with the same key are siblings where they appear together."""
        if self.style == "chapter":
            return f"chapter:{unit_rank(self.unit)}"
        if self.style == "decimal":
            return f"decimal:{len(self.parts)}"
        punct = {"．": ".", "：": ":", "）": ")", "（": "("}.get(self.punct, self.punct)
        return f"{self.style}:{punct.strip()}:{self.case}"


def cn_to_int(s: str) -> int | None:
    """Chinese numerals (一 … 九十九, also 兩, 百) or formal numerals or digits → int."""
    if s.isdigit():
        return int(s)
    if all(ch in FORMAL for ch in s):
        if len(s) == 1:
            return FORMAL[s]
        if s[0] == "拾":
            return 10 + FORMAL.get(s[1], 0)
        return None
    total, current = 0, 0
    for ch in s:
        if ch in DIGITS:
            current = DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def roman_to_int(s: str) -> int | None:
    """"iv" → 4, "XII" → 12; None for what is not a Roman numeral."""
    if s in _ROMAN_CHARS:
        return _ROMAN_CHARS[s]
    low = s.lower()
    if not low or not _ROMAN.match(low):
        return None
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    total = 0
    for a, b in zip(low, low[1:] + " "):
        va, vb = values[a], values.get(b, 0)
        total += -va if va < vb else va
    return total


# Full-width digits and letters read as their ASCII forms (one char for one, so offsets hold).
_HALF = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)} | {chr(0xFF21 + i): chr(65 + i) for i in range(26)}
                      | {chr(0xFF41 + i): chr(97 + i) for i in range(26)})


@lru_cache(maxsize=8192)
def parse_marker(text: str) -> Marker | None:
    """The numbering marker at the start of ``text``, or None.

    The first style whose pattern matches decides: a decimal "1.5倍" that is a quantity is no
    marker at all, not an Arabic "1." with the title "5倍". Remembered per text (a Marker is
    frozen): the layout stage and the structure stage ask about the same lines, some several
    times (10 000 questions about 4 000 lines on the report, each up to 16 patterns tried).
    """
    stripped = text.strip()
    s = stripped.translate(_HALF)
    for style, pat in _PATTERNS:
        m = pat.match(s)
        if not m:
            continue
        marker = _marker_of(style, m)
        if marker is not None and marker.marker:
            # the marker as printed, full-width characters and all
            return Marker(**{**marker.__dict__, "marker": stripped[: len(marker.marker)]})
        return marker
    return None


def _marker_of(style: str, m: re.Match[str]) -> Marker | None:
    n, title = m.group("n"), m.group("t").strip()
    punct = (m.groupdict().get("p") or "")
    printed = m.string[: m.start("t")].strip() if title else m.string.strip()
    if style in ("arabic", "decimal") and not punct.strip() and title and _NOT_AFTER_BARE.match(title):
        return None  # "1990年…", "3.5倍…", "2 個…": a quantity, not a number heading
    if style == "decimal":
        parts = tuple(int(x) for x in re.split(r"\s*[.．\-－–]\s*", n))
        if parts[0] == 0:
            return None
        return Marker(style, parts[-1], printed, title, punct=punct, parts=parts)
    if style == "chapter":
        value = cn_to_int(n)
        return None if value is None else Marker(style, value, printed, title, unit=m.group("u"), punct=punct)
    if style in ("formal", "cn", "paren-cn"):
        value = cn_to_int(n)
        return None if value is None else Marker(style, value, printed, title, punct=punct)
    if style in ("arabic", "paren-arabic"):
        return Marker(style, int(n), printed, title, punct=punct)
    if style == "circled":
        return Marker(style, _CIRCLED.index(n) + 1, printed, title, punct=punct)
    if style == "roman":
        value = roman_to_int(n)
        if value is None:
            return None
        case = "upper" if n.isupper() or n in "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ" else "lower"
        return Marker(style, value, printed, title, punct=punct, case=case)
    if style in ("letter", "paren-letter"):
        case = "upper" if n.isupper() else "lower"
        return Marker(style, ord(n.lower()) - ord("a") + 1, printed, title, punct=punct, case=case)
    return None


def unit_rank(unit: str) -> int:
    """Position of a 第X unit (章, 節, 條 …) among UNITS (0 = outermost); 0 for other styles."""
    return next((i for i, chars in enumerate(UNITS) if unit and unit[0] in chars), 0)


# The order Chinese government and academic writing conventionally nests its styles in
# (outermost first); used only to break the tie where a document skips a level.
_CONVENTION = ("chapter", "formal", "cn", "paren-cn", "arabic", "paren-arabic", "circled")


def conventionally_outer(a: Marker | None, b: Marker | None) -> bool | None:
    """Whether style ``a`` conventionally sits outside style ``b``; None where no convention says.

    第X章 › 第X節 › 第X條 by unit; 壹、 › 一、 › (一) › 1、 › (1) › ①; 1.1 › 1.1.1 by depth. Decimal
    numbering, letters and Roman numerals have no agreed place among the Chinese styles.
    """
    if a is None or b is None:
        return None
    if a.style == "chapter" and b.style == "chapter":
        return unit_rank(a.unit) < unit_rank(b.unit)
    if a.style == "decimal" and b.style == "decimal":
        return len(a.parts) < len(b.parts)
    if a.style == "chapter" and b.style != "chapter":
        return True
    if a.style in _CONVENTION and b.style in _CONVENTION:
        return _CONVENTION.index(a.style) < _CONVENTION.index(b.style)
    return None


def next_in_sequence(prev: Marker, cur: Marker) -> bool:
    """``cur`` continues ``prev``'s numbering: same style, value one more (2.1.3 after 2.1.2)."""
    if prev.key != cur.key:
        return False
    if cur.style == "decimal":
        return cur.parts[:-1] == prev.parts[:-1] and cur.value == prev.value + 1
    return cur.value == prev.value + 1
