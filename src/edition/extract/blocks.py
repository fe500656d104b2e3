"""Source records → classified blocks (paragraphs, list items, headings, captions, figures …).

This is where the PDF and the text export meet: both arrive as :mod:`edition.model` records and
leave as the same kinds of blocks. Typography (PDF) and numbering (both) decide what a line is.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from ..model import FootnoteText, Furniture, ImageSlot, Line, PageBreak, Record, TableGrid
from .numbering import Marker, parse_marker, tier

FRONT_MATTER = {"摘要": "abstract", "目錄": "contents", "目录": "contents", "圖次": "figures", "图次": "figures", "表次": "tables"}
_FIGURE_CAPTION = re.compile(r"^[圖図图]\s*(\d+)\s*[、，,.．·・:：\s]\s*(.*)$")
_TABLE_CAPTION = re.compile(r"^表\s*(\d+)\s*[、，,.．·・:：\s]?\s*(.*)$")
_SOURCE = re.compile(r"^(資料來源|資料来源|资料来源|來源|Source)\s*[:：]")
# A block that ends in one of these ends its sentence; anything else may run on over a break.
TERMINAL = tuple("。！？：；!?:;」』")
# A line that opens with a bullet glyph is a list item even where the text export lost its "- "
# and the PDF gives no hanging indent to go by.
_BULLET_GLYPH = re.compile(r"^[□■◎◇◆●○•▪※—]\s")
_LEADER_LINE = re.compile(r"([.．…‧·]{4,}|\t)\s*\d{1,3}$")
# How much larger than the body text (points) a line must be for its size alone to make it
# heading type. Chinese reports step sizes by whole 号 (五号 10.5 › 小四 12 › 四号 14 › 三号 16),
# so a heading is ≥ 1.5 pt larger; a size within 1 pt is the body face (rounding, a 10 vs 10.5).
HEADING_SIZE_STEP = 1.0


@dataclass
class Block:
    """A block of the reading text before it is placed in the section tree.

    kind: paragraph | item | heading | front | caption-figure | caption-table | source |
          figure-text | image | table | footnote | pagebreak, and after assembly figure |
          table-node
    """

    kind: str
    text: str = ""
    lines: list[Line] = field(default_factory=list)
    record: Record | None = None
    marker: Marker | None = None
    number: int | None = None  # caption number as printed
    depth: int = 0
    bold: bool = False
    size: float | None = None
    marks: list[tuple[int, str]] = field(default_factory=list)
    # Assembled figures and tables (kinds "figure" and "table-node"):
    parts: list[Record] = field(default_factory=list)  # a figure's pictures / grids; a table's grids
    labels: list[str] = field(default_factory=list)  # words printed in or beside a picture
    source: "Block | None" = None  # a figure's 資料來源 line
    caption: "Block | None" = None  # a table's 表 caption, which stands above its grids

    @property
    def first(self) -> Line | None:
        return self.lines[0] if self.lines else None


def front_matter_kind(text: str) -> str | None:
    """"摘 要" → "abstract", "目 錄" → "contents" … (spaces inside the heading are decoration)."""
    return FRONT_MATTER.get(re.sub(r"\s+", "", text))


def body_size(blocks: list[Block]) -> float | None:
    """The size most of the text is set in; None for a text export (no typography)."""
    sizes: Counter[float] = Counter()
    for b in blocks:
        for ln in b.lines if b.kind == "text" else ():
            if ln.size is not None:
                sizes[ln.size] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else None


def heading_type(bold: bool, size: float | None, body: float | None) -> bool:
    """Set in heading type: bold, or clearly larger than the body text.

    Many reports have no bold for headings — the CJK font has no bold face, or the house style
    marks the levels by size alone (第一节 in 三号, 一、 in 四号 over 五号 body) — so a size
    step above the body counts as much as bold does.
    """
    if bold:
        return True
    return body is not None and size is not None and size >= body + HEADING_SIZE_STEP


def heading_face(b: Block, body: float | None) -> bool:
    """A block whose (first line's) type is heading type, see :func:`heading_type`."""
    return heading_type(b.bold, b.size, body)


_FUNCTION_WORDS = frozenset({"and", "of", "the", "for", "to", "in", "on", "at", "by", "or", "with", "from"})


def wrap_joiner(before: str, after: str) -> str:
    """What stood at a line wrap the PDF does not show: nothing, or one space.

    A justified CJK page breaks Latin words anywhere ("Resear|ch", "Co-o|peration", "HR|O"),
    and the space at a wrap between two words is not drawn. A word gap is taken only where it
    is unmistakable: a lower-case letter followed by a capital ("Hokudai|Business"), or a line
    that opens with a whole function word ("Discovery|and Medical", "Ministry|of"). A word
    ending at the wrap before another lower-case word ("be|ambitious") cannot be told from a
    split word and stays joined.
    """
    if not (before and after and before[-1].isascii() and before[-1].isalpha() and after[0].isascii() and after[0].isalpha()):
        return ""
    if before[-1].islower() and after[0].isupper():
        return " "
    first = re.match(r"[A-Za-z]+", after)
    if first and first.group(0) in _FUNCTION_WORDS and first.end() < len(after) and not after[first.end()].isalpha():
        return " "
    return ""


def lines_to_blocks(records: list[Record]) -> list[Block]:
    """Group lines into blocks: a line joins the previous block unless it starts a new one."""
    blocks: list[Block] = []
    for rec in records:
        if isinstance(rec, Line):
            prev = blocks[-1] if blocks else None
            if (
                not rec.new_block
                and prev is not None
                and prev.kind == "text"
                and prev.lines[-1].page == rec.page
                and prev.lines[-1].bold == rec.bold
                and prev.lines[-1].small == rec.small
            ):
                prev.text += wrap_joiner(prev.text, rec.text)
                offset = len(prev.text)
                prev.marks.extend((offset + o, m) for o, m in rec.marks)
                prev.text += rec.text
                prev.lines.append(rec)
                continue
            blocks.append(
                Block("text", rec.text, [rec], depth=rec.depth, bold=rec.bold, size=rec.size, marks=list(rec.marks))
            )
        elif isinstance(rec, ImageSlot):
            blocks.append(Block("image", record=rec))
        elif isinstance(rec, TableGrid):
            blocks.append(Block("table", record=rec))
        elif isinstance(rec, FootnoteText):
            blocks.append(Block("footnote", rec.text, record=rec))
        elif isinstance(rec, PageBreak):
            blocks.append(Block("pagebreak", record=rec))
        elif isinstance(rec, Furniture):
            continue
    return blocks


def classify_blocks(blocks: list[Block]) -> list[Block]:
    """Decide what each text block is, using numbering, typography and the numbering sequence.

    A numbered line is a heading when it is set in heading type — bold or clearly larger than
    the body (PDF, :func:`heading_face`) — or, with no typography to go by, when it is not
    marked as a list item (text export). Where typography and sequence disagree
    the sequence wins: "3、" between the headings "2、" and "4、" is a heading even if the PDF
    set it in the body face, and "(六)" after list items "(一)"…"(五)" is the sixth item even
    where the export lost its bullet. Numbered rows inside tables never get here: tables are
    separate records.
    """
    out: list[Block] = []
    last: dict[tuple[int, int], tuple[str, int]] = {}  # tier -> (kind, value) of its latest occurrence
    has_typography = any(b.size is not None for b in blocks if b.kind == "text")
    body = body_size(blocks)
    in_front: str | None = None
    for b in blocks:
        if b.kind != "text":
            out.append(b)
            continue
        text = b.text.strip()
        fm = front_matter_kind(text)
        first = b.first
        if fm and (not has_typography or heading_face(b, body)):
            in_front = fm
            out.append(replace(b, kind="front", text=text))
            continue
        cap = _FIGURE_CAPTION.match(text)
        if cap and _caption_like(b, text, has_typography, body):
            out.append(replace(b, kind="caption-figure", number=int(cap.group(1)), text=text))
            continue
        cap = _TABLE_CAPTION.match(text)
        if cap and _caption_like(b, text, has_typography, body) and in_front != "tables":
            out.append(replace(b, kind="caption-table", number=int(cap.group(1)), text=text))
            continue
        if _SOURCE.match(text):
            out.append(replace(b, kind="source", text=text))
            continue
        if b.lines and all(ln.small for ln in b.lines):
            out.append(replace(b, kind="figure-text", text=text))
            continue
        marker = parse_marker(text)
        if marker is None:
            bulleted = first is not None and (first.bullet or first.indent == "hang")
            kind = "item" if bulleted or _BULLET_GLYPH.match(text) else "paragraph"
            out.append(replace(b, kind=kind, text=text))
            continue
        if marker.style == "chapter":
            in_front = None
        prev = last.get(tier(marker))
        if first and first.bullet:
            kind = "item"
        elif has_typography:
            if heading_face(b, body):
                kind = "heading"
            elif prev == ("heading", marker.value - 1):
                kind = "heading"
            elif prev == ("item", marker.value - 1) or (first and first.indent == "hang"):
                kind = "item"
            else:
                kind = "paragraph"
        else:
            kind = "item" if prev == ("item", marker.value - 1) else "heading"
        last[tier(marker)] = (kind, marker.value)
        if kind == "heading":
            for t in list(last):
                if t > tier(marker):
                    del last[t]
        out.append(replace(b, kind=kind, text=text, marker=marker))
    return mark_figure_text(out, has_typography)


def _caption_like(b: Block, text: str, has_typography: bool, body: float | None = None) -> bool:
    """Captions are short labels, in heading type in a PDF; prose that merely starts with 圖 is not one."""
    if has_typography:
        return heading_face(b, body)
    return len(text) <= 80 and not text.endswith("。")


def mark_figure_text(blocks: list[Block], has_typography: bool) -> list[Block]:
    """Short unpunctuated label lines standing right before a picture belong to the picture.

    The text export keeps words printed inside a figure (a Japanese heading in a screenshot,
    "15 projects: As of March 31st 2010") as ordinary lines just before the placeholder; the
    PDF sets them small. Either way they are figure text, not prose.
    """
    if has_typography:
        return blocks
    out = list(blocks)
    for i, b in enumerate(out):
        if b.kind not in ("image", "caption-figure"):
            continue
        # the run of picture slots and label lines right before a picture or its caption
        j = i - 1
        while j >= 0 and (out[j].kind == "image" or (out[j].kind == "paragraph" and _label_like(out[j].text))):
            j -= 1
        run = range(j + 1, i)
        if b.kind == "image" or any(out[k].kind == "image" for k in run):
            for k in run:
                if out[k].kind == "paragraph":
                    out[k] = replace(out[k], kind="figure-text")
    return out


def _label_like(text: str) -> bool:
    return len(text) <= 40 and not any(p in text for p in "，。；、") and not text.endswith(TERMINAL)


def join_split_paragraphs(blocks: list[Block]) -> list[Block]:
    """Join a paragraph (or list item) that a page break or a figure cut in two.

    A block that does not end its sentence, followed — past page breaks, pictures, captions,
    source lines and figure labels — by a plain paragraph, continues in that paragraph. Two
    unpunctuated label lines in a row (a list of names and titles) are not joined.
    """
    out: list[Block] = []
    pending: list[Block] = []  # blocks passed over since the last text block
    held: list[Block] = []  # blocks passed over by a join: they follow the joined paragraph
    for b in blocks:
        if b.kind in ("pagebreak", "image", "caption-figure", "source", "figure-text", "table", "caption-table", "footnote") and out:
            pending.append(b)
            continue
        if (
            b.kind == "paragraph"
            and out
            and out[-1].kind in ("paragraph", "item")
            and not out[-1].text.endswith(TERMINAL)
            and not _LEADER_LINE.search(out[-1].text)
            and not _LEADER_LINE.search(b.text)
            and not (_label_like(out[-1].text) and _label_like(b.text))
            and not _only_tables_between(pending)
        ):
            head = out[-1]
            offset = len(head.text)
            out[-1] = replace(
                head,
                text=head.text + b.text,
                lines=head.lines + b.lines,
                marks=head.marks + [(offset + o, m) for o, m in b.marks],
            )
            # a paragraph may be cut more than once (page break, then a figure): keep the
            # passed-over blocks aside so the next half still meets the paragraph
            held.extend(pending)
            pending = []
            continue
        out.extend(held)
        out.extend(pending)
        held, pending = [], []
        out.append(b)
    out.extend(held)
    out.extend(pending)
    return out


def _only_tables_between(pending: list[Block]) -> bool:
    """A table between two paragraphs separates them: the text after it is new prose."""
    return any(p.kind in ("table", "caption-table") for p in pending)
