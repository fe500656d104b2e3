"""The Chinese numbering hierarchy: recognise a marker at the start of a line, and its value.

Government reports number their divisions 第X章 (or 第X節 / 第X节 / 第X條) › 壹、 › 一、 › (一) ›
1、 › (1). The *style* of a marker, not its value, says how deep a heading sits; for the 第X
style the unit says it too: a regulation's 第X條 articles sit inside its 第X章 chapters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
FORMAL = {"壹": 1, "貳": 2, "贰": 2, "參": 3, "叁": 3, "肆": 4, "伍": 5, "陸": 6, "陆": 6, "柒": 7, "捌": 8, "玖": 9, "拾": 10}
_CN = "〇零一二三四五六七八九十百兩"
_FORMAL = "壹貳贰參叁肆伍陸陆柒捌玖拾"

# Fixed hierarchy, outermost first. A document uses a subset; levels are compressed to it.
STYLES = ("chapter", "formal", "cn", "paren-cn", "arabic", "paren-arabic")
# Units of the 第X ("chapter") style, outermost first: 編/篇 › 章 › 節 › 條 (款 and 目 are
# numbered 一、 and (一) inside an article, so the styles above already cover them).
UNITS = ("篇編编", "章", "節节", "條条")

_PATTERNS = (
    ("chapter", re.compile(rf"^第\s*([{_CN}\d]+)\s*([章節节條条篇])\s*(.*)$")),
    ("formal", re.compile(rf"^([{_FORMAL}]+)\s*、\s*(.*)$")),
    ("cn", re.compile(rf"^([{_CN}]+)\s*、\s*(.*)$")),
    ("paren-cn", re.compile(rf"^[（(]\s*([{_CN}]+)\s*[)）]\s*、?\s*(.*)$")),
    ("arabic", re.compile(r"^(\d{1,2})\s*、\s*(.*)$")),
    ("paren-arabic", re.compile(r"^[（(]\s*(\d{1,2})\s*[)）]\s*(.*)$")),
)


@dataclass(frozen=True)
class Marker:
    """A numbering marker found at the start of a line.

    style:  one of STYLES.
    value:  the number it stands for (第四章 → 4, 參、 → 3, (二) → 2).
    marker: the marker as printed ("第四章", "參、", "(二)").
    title:  the rest of the line after the marker, stripped.
    unit:   for chapter style, the unit character (章, 節, 條 …).
    """

    style: str
    value: int
    marker: str
    title: str
    unit: str = ""


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


def parse_marker(text: str) -> Marker | None:
    """The numbering marker at the start of ``text``, or None."""
    s = text.strip()
    for style, pat in _PATTERNS:
        m = pat.match(s)
        if not m:
            continue
        value = cn_to_int(m.group(1))
        if value is None:
            continue
        if style == "chapter":
            title = m.group(3).strip()
            return Marker(style, value, s[: len(s) - len(m.group(3))].strip(), title, m.group(2))
        title = m.group(2).strip()
        marker = s[: len(s) - len(m.group(2))].strip() if m.group(2) else s
        return Marker(style, value, marker, title)
    return None


def style_rank(style: str) -> int:
    """Position of a style in the fixed hierarchy (0 = outermost)."""
    return STYLES.index(style)


def unit_rank(unit: str) -> int:
    """Position of a 第X unit (章, 節, 條 …) among UNITS (0 = outermost); 0 for other styles."""
    return next((i for i, chars in enumerate(UNITS) if unit and unit in chars), 0)


def tier(marker: Marker) -> tuple[int, int]:
    """How deep a marker's heading sits: (style rank, unit rank). Smaller is outer.

    第二章 and 第三條 share the 第X style but not a tier, so the article nests in the chapter;
    an annual report divided into 第一节 … alone still has one top tier.
    """
    return style_rank(marker.style), unit_rank(marker.unit)
