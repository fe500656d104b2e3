"""The one document model.

Two layers:

* **Source records** (frozen dataclasses below) are what a reader (`reading.pdf`, `reading.text`)
  turns a source into: lines of text with typography and provenance, image slots, table grids,
  footnote bodies and page furniture, in reading order. They are the only thing the structure
  stage sees, so the PDF and the text export meet in one place and must give the same structure.
* **Document nodes** are plain JSON-ready dicts. Their shape is defined — field by field, with
  descriptions — by ``schema/document.schema.json``; that schema is the single source of truth
  and is checked at write time. The helpers here only build nodes with the right keys.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any, Iterator, Union

Node = dict[str, Any]
BBox = tuple[float, float, float, float]

SCHEMA_VERSION = "1.1"  # 1.1: translation state draft, translator_notes, *-translation finding kinds


@dataclass(frozen=True)
class Line:
    """One line of source text with what the reader knows about it.

    text:     the characters as printed (no trailing newline).
    page:     1-based physical page in the PDF; None for a text export.
    bbox:     (x0, top, x1, bottom) in PDF points; None for a text export.
    line:     1-based line number in the text export; None for a PDF.
    size:     dominant font size in points (None: unknown, text export).
    bold:     most characters are set in a bold face (or overprinted: a fake-bold heading
              drawn twice at a small offset counts as bold).
    indent:   where the line starts relative to the body text: "flush" (continuation / left
              margin), "para" (first-line indent), "hang" (list-item indent), "center".
    bullet:   the source marks the line as a list item (text export "- "), None otherwise.
    depth:    list nesting depth (text export: leading spaces before "- "; PDF: indent steps).
    new_block: the reader is sure this line starts a new block (text export: every line).
    small:    set in a smaller size than body text (figure labels, table text, footnotes).
    marks:    (offset, mark) of footnote reference marks taken out of the text.
    font:     the font family its Chinese characters are set in ("" for a text export).
    runs:     (offset, bold, family, size) wherever the type changes along the line — where a
              heading printed on the same line as its first paragraph ends.
    centred:  the line is centred on the page.
    gap_before: white space above the line, in multiples of its size (None: first on its page,
              or a text export).
    full:     the line runs to the right margin (text wrapped on from it to the next line).
    continued: the line goes on with a block begun before a page break, a column break or a
              picture placed inside it (the layout says so; see ``reading/flow.py``): the
              structure stage joins the two halves again.
    joiner:   what stood at the wrap before this line, which the PDF does not show: "" or " ".
    guess:    why the layout could not tell whether this line goes on with the one above, where
              it could not ("" where it could) — reported in the document's QA.
    """

    text: str
    page: int | None = None
    bbox: BBox | None = None
    line: int | None = None
    size: float | None = None
    bold: bool = False
    indent: str = "para"
    bullet: bool = False
    depth: int = 0
    new_block: bool = True
    small: bool = False
    marks: tuple[tuple[int, str], ...] = ()
    font: str = ""
    runs: tuple[tuple[int, bool, str, float], ...] = ()
    centred: bool = False
    gap_before: float | None = None
    full: bool = False
    continued: bool = False
    joiner: str = ""
    guess: str = ""


@dataclass(frozen=True)
class ImageSlot:
    """Where a picture sits (PDF image bbox, or the text export's blank placeholder line).

    kind: "image" (an embedded picture) or "drawing" (vector graphics: a chart, a diagram).
    """

    page: int | None = None
    bbox: BBox | None = None
    line: int | None = None
    text: tuple[str, ...] = ()  # words printed inside the picture's area, if any
    kind: str = "image"


@dataclass(frozen=True)
class TableGrid:
    """A ruled table as found on one page (PDF) or a run of tab-separated lines (text export).

    rows: cell text; None marks a cell covered by a merged neighbour (PDF) so merges are explicit.
    """

    rows: tuple[tuple[str | None, ...], ...]
    page: int | None = None
    bbox: BBox | None = None
    line: int | None = None
    markup: tuple[tuple[int, int, int, int, str], ...] = ()  # (row, col, start, end, tag)
    ruled: bool = True  # False: a borderless (three-line) table, its columns read from the text


@dataclass(frozen=True)
class FootnoteText:
    """A footnote body from the page foot (PDF) or a "¹ …" line (text export)."""

    mark: str
    text: str
    page: int | None = None
    bbox: BBox | None = None
    line: int | None = None


@dataclass(frozen=True)
class Furniture:
    """Page furniture removed from the reading text but kept on record (nothing is lost)."""

    kind: str  # "page-number" | "running-header" | "running-footer" | "image-placeholder" | "duplicate-char"
    #          | "background" | "repeated-picture" | "rotated-text" | "off-page-text"
    text: str
    page: int | None = None
    line: int | None = None
    bbox: BBox | None = None


@dataclass(frozen=True)
class PageBreak:
    """The start of a new physical page (PDF) — paragraphs may be split across it."""

    page: int
    printed: str | None = None  # the printed page number, if the page has one


Record = Union[Line, ImageSlot, TableGrid, FootnoteText, Furniture, PageBreak]


@dataclass(frozen=True)
class SourceDoc:
    """A source read into records: what the structure stage consumes."""

    path: str
    sha256: str
    format: str  # "pdf" | "text"
    pages: int | None
    records: tuple[Record, ...]
    furniture: tuple[Furniture, ...] = ()
    printed_pages: dict[int, str] = field(default_factory=dict)  # physical page -> printed number
    han_chars: int | None = None  # Han characters the PDF prints anywhere (text layer), for QA
    # (page, characters) of text that did not decode: glyphs mapped to no character or the wrong one
    unreadable: tuple[tuple[int, int], ...] = ()
    unread_pages: tuple[int, ...] = ()  # pages PDFium could not load (damaged there): empty


def provenance(rec: Line | ImageSlot | TableGrid | FootnoteText) -> Node:
    """``page`` + ``bbox`` for a PDF record, ``line`` for a text-export record."""
    out: Node = {}
    if rec.page is not None:
        out["page"] = rec.page
    if rec.bbox is not None:
        out["bbox"] = [round(v, 1) for v in rec.bbox]
    if rec.line is not None:
        out["line"] = rec.line
    return out


def iter_nodes(blocks: list[Node], items: bool = True) -> Iterator[Node]:
    """Every node of a block list in reading order, depth first (list items too, if ``items``)."""
    for n in blocks:
        yield n
        if items and n.get("type") == "list":
            yield from n["items"]
        if "children" in n:
            yield from iter_nodes(n["children"], items)


def copy_document(doc: Node) -> Node:
    """``copy.deepcopy(doc)``, the same copy (a part referenced twice is one copied part), three
    times as fast on a document's dicts, lists and plain values; anything else goes through
    deepcopy itself, with the same memo."""
    memo: dict[int, Any] = {}  # id of an original → its copy, as deepcopy keeps it

    def copy(value: Any) -> Any:
        kind = type(value)
        if kind is str or kind is int or kind is float or kind is bool or value is None:
            return value
        done = memo.get(id(value), memo)  # (the memo itself: nothing copied yet)
        if done is not memo:
            return done
        if kind is dict:
            out: Any = {}
            memo[id(value)] = out
            for key, item in value.items():
                out[copy(key)] = copy(item)
            return out
        if kind is list:
            out = []
            memo[id(value)] = out
            append = out.append
            for item in value:
                append(copy(item))
            return out
        return deepcopy(value, memo)

    return copy(doc)
