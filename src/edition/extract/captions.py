"""Figure and table captions: "圖 3、…", "图2.1 …", "表1-1：…", "Figure 4. …", "續表 2 …",
"照片1：…" (a study-trip report's photographs).

A caption is recognised by its label pattern here and by where it stands (next to a picture
or a table, a short line of its own) in :mod:`.rules` — never by its type alone: many reports
set captions in the body face.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbering import cn_to_int

# Study-trip reports caption their photographs 照片 / 相片 (圖片 in some): figures all the same.
_LABELS = {"圖": "figure", "图": "figure", "図": "figure", "figure": "figure", "fig": "figure",
           "照片": "figure", "相片": "figure", "圖片": "figure", "图片": "figure", "photo": "figure",
           "表": "table", "table": "table"}
_CAPTION = re.compile(
    r"^[▲△■□◆◇●○▼▽\s]*(?P<cont>續|续)?\s*附?(?P<label>照片|相片|圖片|图片|圖|图|図|表|Figure|FIGURE|Fig\.?|FIG\.?|Photo|PHOTO|Table|TABLE)\s*"
    r"(?P<open>[(（]\s*)?(?P<num>\d{1,3}(?:\s*[.．\-－–‧·]\s*\d{1,3}){0,2}|[一二三四五六七八九十]{1,3})(?![\d.．]\d)"
    r"(?(open)\s*[)）])"
    r"\s*(?P<sep>[、，,.．:：·・]|\s|$)?\s*(?P<title>.*)$"
)
# What follows a figure number in a sentence that cites it, not in a caption.
_PROSE_AFTER_NUMBER = frozenset("為为是中的所顯显可右左上下即係系乃主以說说如之與与及和則则將将，,。也")
_CONTINUED = re.compile(r"[（(]\s*(續|续|接上頁|接上页|continued)\s*[)）]\s*$", re.I)


@dataclass(frozen=True)
class Caption:
    """A caption label and what follows it.

    kind:      "figure" or "table".
    number:    the number as printed: an int where it is one ("3"), else the string ("2.1", "1-1").
    title:     the caption text after the label.
    continued: the caption continues a table from the page before (續表 / 续表 / "(續)").
    """

    kind: str
    number: int | str
    title: str
    continued: bool = False


def parse_caption(text: str) -> Caption | None:
    """The caption at the start of ``text``, or None.

    "表示…" or "圖書館…" have no number after the label and are no captions; "圖1顯示…" has one
    — whether it is a caption or prose that opens with a figure reference is decided by where
    the line stands, not here.
    """
    m = _CAPTION.match(text.strip())
    if not m:
        return None
    label = m.group("label").lower().rstrip(".")
    raw = re.sub(r"\s+", "", m.group("num"))
    if raw.isdigit():
        number: int | str = int(raw)
    elif raw[0].isdigit():
        number = raw.replace("．", ".").replace("－", "-").replace("–", "-").replace("‧", ".").replace("·", ".")
    else:
        value = cn_to_int(raw)
        if value is None:
            return None
        number = value
    title = m.group("title").strip()
    between = m.string[m.end("num") : m.start("title")]  # what parts the number from the title
    sep = between.strip()
    if m.group("label").islower():
        return None  # "see figure 3 for …": prose; an English caption is capitalised
    if sep in ("，", ",") or (not between and title[:1] in _PROSE_AFTER_NUMBER):
        return None  # "圖3為硬體及…", "圖22中是…", "表1，…": prose that cites a figure
    continued = bool(m.group("cont")) or bool(_CONTINUED.search(title))
    return Caption(_LABELS[label], number, title, continued)
