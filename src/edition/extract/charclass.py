"""Character classes the extractor reads layout with, defined once.

Every stage that asks "is this Han text?", "does this line end its sentence?" or "does this line
open with a bullet?" imports the answer from here, so the stages cannot drift apart (as
markdown-it keeps its character classes in one ``common/utils.py``).
"""

from __future__ import annotations

import re

# CJK ideographs, kana, CJK punctuation and full-width forms: text that wraps anywhere and is
# never word-spaced.
CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
# Han ideographs alone (what the text scorer counts).
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# A Latin letter or digit: the characters between which a gap is a word space.
LATIN = re.compile(r"[A-Za-z0-9\u00c0-\u024f]")
# Latin-script punctuation that sits inside or around words ("E. Stiglitz", "import *", "A, B").
LATIN_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# A block ending in one of these ends its sentence; anything else may run on over a break.
TERMINAL = tuple("。！？：；!?:;」』")
# Bullet glyphs: a line that opens with one is a list item, whatever its indent; a report nests
# its lists by which glyph it uses (□ › ◎ › ◇).
BULLETS = "□■◎◇◆●○•▪※—➢➤►▶✓✔"
BULLET_GLYPH = re.compile(rf"^[{BULLETS}]\s?")
# A reference's label ("[12] Author…"): its lines hang under the text after it, as an item's.
REF_LABEL = re.compile(r"^(\[\d{1,3}\]|［\d{1,3}］|【\d{1,3}】)\s*")
# A page number as a contents list gives it: a number, a chapter's or an appendix's page as
# government reports number them ("2-5", "A-1"), or a roman numeral (front matter: "iii").
LISTED_PAGE = r"(?:(?:(?:\d{1,2}|[A-Z])\s*-\s*)?\d{1,3}|[ivxlc]{1,6}|[IVXLC]{1,6})"
# A contents line: dot leaders (or a tab) and the page number at its end.
LEADER_LINE = re.compile(rf"(?:[.．…‧·]{{4,}}|\t)\s*{LISTED_PAGE}$")
# A contents line ends in dot leaders (and its page number): each line is an entry of its own.
LEADER_END = re.compile(r"[.．…‧·]{4,}\s*[\divxIVX]{0,4}$")
# Dot leaders of a contents line.
LEADERS = frozenset(".．…‧·•-–—_")


def is_latin_char(c: str) -> bool:
    """A letter, digit or Latin punctuation mark: part of a run of Latin-script text."""
    return bool(LATIN.match(c)) or c in LATIN_PUNCT
