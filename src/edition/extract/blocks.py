"""Source records → blocks: lines grouped, and paragraphs cut by a page break or a figure joined.

This is where the PDF and the text export meet: both arrive as :mod:`edition.model` records
and leave as the same kinds of blocks. What each block *is* (heading, caption, list item …) is
decided by the rules in :mod:`.rules`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..model import FootnoteText, Furniture, ImageSlot, Line, PageBreak, Record, TableGrid
from .captions import Caption
from .charclass import HAN, LEADER_LINE, TERMINAL
from ..reading.flow import opens_item, wrap_joiner
from .numbering import Marker


@dataclass
class Block:
    """A block of the reading text before it is placed in the section tree.

    kind: text (not yet classified) | paragraph | item | heading | front | entry |
          caption-figure | caption-table | source | figure-text | image | table | footnote |
          pagebreak; after assembly figure | table-node.
    """

    kind: str
    text: str = ""
    lines: list[Line] = field(default_factory=list)
    record: Record | None = None
    marker: Marker | None = None
    number: int | str | None = None  # caption number as printed
    depth: int = 0
    bold: bool = False
    size: float | None = None
    font: str = ""
    marks: list[tuple[int, str]] = field(default_factory=list)
    cap: Caption | None = None  # the parsed label of a caption
    style: str | None = None  # a heading's style key (numbering style, or its type if unnumbered)
    level: int | None = None  # a heading's level, inferred per document (see hierarchy)
    note: str | None = None  # what the extractor did that a reader should know (QA)
    evidence: str | None = None  # why a heading is one: type | sequence | alone | split
    # Assembled figures and tables (kinds "figure" and "table-node"):
    parts: list[Record] = field(default_factory=list)  # a figure's pictures / grids; a table's grids
    labels: list[str] = field(default_factory=list)  # words printed in or beside a picture
    source: "Block | None" = None  # a figure's or table's 資料來源 line
    caption: "Block | None" = None  # a table's 表 caption, which stands above its grids

    @property
    def first(self) -> Line | None:
        return self.lines[0] if self.lines else None

    @property
    def page(self) -> int | None:
        if self.lines:
            return self.lines[0].page
        return getattr(self.record, "page", None)

    @property
    def bbox(self) -> tuple[float, float, float, float] | None:
        """The box around the block's lines on its first page (or its record's box)."""
        if self.lines:
            boxes = [ln.bbox for ln in self.lines if ln.bbox is not None and ln.page == self.lines[0].page]
            if not boxes:
                return None
            return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        return getattr(self.record, "bbox", None)


def lines_to_blocks(records: list[Record]) -> list[Block]:
    """Group lines into blocks: a line joins the previous block unless it starts a new one."""
    blocks: list[Block] = []
    for rec in records:
        if isinstance(rec, Line):
            prev = blocks[-1] if blocks else None
            if not rec.new_block and prev is not None and prev.kind == "text" and prev.lines[-1].page == rec.page:
                # the PDF reader decided the line goes on (reading/flow.py) and what stood at the wrap
                prev.text += rec.joiner if rec.bbox is not None else wrap_joiner(prev.text, rec.text)
                offset = len(prev.text)
                prev.marks.extend((offset + o, m) for o, m in rec.marks)
                prev.text += rec.text
                prev.lines.append(rec)
                continue
            blocks.append(
                Block("text", rec.text, [rec], depth=rec.depth, bold=rec.bold, size=rec.size, font=rec.font, marks=list(rec.marks))
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


def label_like(text: str) -> bool:
    """A short unpunctuated line: a name, a title, a word printed in a picture — not prose."""
    return len(text) <= 40 and not any(p in text for p in "，。；、") and not text.endswith(TERMINAL)


# Blocks a paragraph cut in two may have between its halves.
_PASSED_OVER = ("pagebreak", "image", "caption-figure", "source", "figure-text", "table", "caption-table", "footnote")


def join_split_paragraphs(blocks: list[Block]) -> list[Block]:
    """Join a paragraph (or list item) that a page break, a column break or a figure cut in two.

    In a PDF the layout has decided it (:mod:`.flow`): a block whose first line is marked
    ``continued`` goes on with the last paragraph or item before it, past page breaks, pictures,
    captions, source lines, figure labels, tables and footnotes. A text export has no layout:
    there a block that does not end its sentence, followed by a plain paragraph with no table
    between, continues in it — and two unpunctuated label lines in a row (a list of names and
    titles) are not joined.
    """
    out: list[Block] = []
    pending: list[Block] = []  # blocks passed over since the last text block
    held: list[Block] = []  # blocks passed over by a join: they follow the joined paragraph
    for b in blocks:
        if b.kind in _PASSED_OVER and out:
            pending.append(b)
            continue
        if out and out[-1].kind in ("paragraph", "item") and _goes_on(out[-1], b, pending):
            head = out[-1]
            if b.first is not None and b.first.bbox is not None and not b.first.continued:
                b = replace(b, lines=[replace(b.lines[0], guess="joined by the words alone: a sentence the layout broke off")] + b.lines[1:])
            offset = len(head.text) + len(b.first.joiner if b.first is not None and b.first.bbox is not None else "")
            joiner = b.first.joiner if b.first is not None and b.first.bbox is not None else ""
            out[-1] = replace(
                head,
                text=head.text + joiner + b.text,
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


def _goes_on(head: Block, b: Block, between: list[Block]) -> bool:
    """Whether block ``b`` is the rest of ``head``, cut off by the blocks ``between``.

    In a PDF the layout says so (:mod:`.flow` marks the line ``continued``). Where it does not
    — a text export, or a PDF whose layout broke a sentence off (the source's own defect: the
    rest starts a new, indented paragraph after a figure) — the words must: the first half
    stops on a Han character or a comma, mid-sentence, and the rest is a plain paragraph, with
    no table between. Such a join in a PDF is reported as a guess.
    """
    first = b.first
    if first is not None and first.bbox is not None and first.continued:
        return b.kind in ("paragraph", "item")  # a PDF: the layout said so
    if not (head.text and b.text and (HAN.match(head.text[-1]) or head.text[-1] in "，、")):
        return False
    if (b.kind != "paragraph" or LEADER_LINE.search(head.text) or LEADER_LINE.search(b.text)
            or (label_like(head.text) and (label_like(b.text) or opens_item(head.text))) or _only_tables_between(between)):
        return False  # (a bulleted title line, "□ 產學官聯合研究計畫", is not the first half of its paragraph)
    if first is None or first.bbox is None:
        return True  # a text export: the words are all there is
    last = head.lines[-1] if head.lines else None
    if last is None or last.centred or first.centred:
        return False  # centred lines are titles and labels, not a sentence running on
    return last.size == first.size and last.bold == first.bold and not last.small


def _only_tables_between(pending: list[Block]) -> bool:
    """A table between two paragraphs separates them: the text after it is new prose."""
    return any(p.kind in ("table", "caption-table") for p in pending)
