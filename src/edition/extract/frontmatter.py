"""The cover and the front matter: where they end, and the report's own lists as entries.

The cover is the first page with text, up to the first heading or front-matter title on it —
a cover ends at its page, so a report whose headings the extractor cannot see still has its
body in the body. A contents, figure or table list ends with its last entry (dot leaders and a
trailing page number; the rules in :mod:`.rules` mark each one). Any other front matter (摘要,
序, 誌謝 …) runs until the next front-matter title or the first heading that is clearly not
its own: a 第X章, a heading the contents list names, or one set as large as the front
matter's own title.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import Node, TableGrid, provenance
from .blocks import Block
from .captions import parse_caption
from .cover import cover_to_metadata
from .numbering import parse_marker

# a page is a number, a chapter's or an appendix's page as government reports number them
# ("2-5", "A-1"), or a roman numeral after leaders or a space (front matter: "摘要 …… iii")
_LEADER = re.compile(r"^(.*?)[\s.．…‧·•]*?((?<![\dA-Za-z])(?:\d{1,2}|[A-Z])\s*-\s*\d{1,3}|\d{1,3}|(?<=[\s.．…‧·•])(?:[ivxlc]{1,6}|[IVXLC]{1,6}))\s*$")
_TEXT_COVER_MAX_CHARS = 40  # a text export's cover lines are short fields, not prose


def cover_extent(blocks: list[Block], is_pdf: bool) -> int:
    """Index of the first block after the cover.

    The cover is a run of short lines — title, subtitle, 服務機關：…, dates — before the first
    front-matter title, numbered heading or line of prose; in a PDF, on the first page that has
    text (a cover ends at its page). Its title, set large, may look like a heading: an
    unnumbered heading-type line there is a cover line.
    """
    first_page = next((b.page for b in blocks if b.lines), None)
    if not any(b.kind in ("front", "entry", "heading") for b in blocks):
        # nothing structures the document (a notice, a letter): its first line is its title,
        # and the rest — a salutation too — is its body (see split_title_line)
        return next((i + 1 for i, b in enumerate(blocks) if b.lines), len(blocks))
    for i, b in enumerate(blocks):
        if b.kind in ("front", "entry") or (b.kind == "heading" and b.marker is not None):
            return i
        if not b.lines:
            continue
        if is_pdf and b.page != first_page:
            return i
        if b.kind in ("paragraph", "item") and _prose(b, is_pdf):
            return i
    return len(blocks)


def split_title_line(blocks: list[Block]) -> list[Block]:
    """A document with no structure at all: its first line (the title) on a block of its own,
    so that the cover takes the title and not the text joined to it."""
    if any(b.kind in ("front", "entry", "heading") for b in blocks):
        return blocks
    i = next((k for k, b in enumerate(blocks) if b.lines), None)
    if i is None or len(blocks[i].lines) < 2:
        return blocks
    b = blocks[i]
    cut = len(b.lines[0].text)
    if b.text[:cut] != b.lines[0].text:
        return blocks
    head = replace(b, text=b.text[:cut], lines=b.lines[:1], marks=[(o, m) for o, m in b.marks if o <= cut])
    rest = replace(b, text=b.text[cut:].strip(), lines=b.lines[1:], marks=[(o - cut, m) for o, m in b.marks if o > cut])
    return blocks[:i] + [head, rest] + blocks[i + 1 :]


def _prose(b: Block, is_pdf: bool) -> bool:
    """A block of running text: a paragraph that wraps (PDF), or a line that is long or ends a
    sentence. A text export's cover fields each stand on a line of their own."""
    if is_pdf and len(b.lines) > 1 and b.lines[0].full and not b.lines[-1].centred:
        return True  # (a centred line under a full one: a title set over two lines)
    return any(_ems(ln.text) > _TEXT_COVER_MAX_CHARS or ln.text.endswith("。") for ln in b.lines)


def _ems(text: str) -> float:
    """How long a line is in full-width characters: a Latin letter is half of one (a paper's
    English title is no longer than its Chinese one)."""
    return sum(0.5 if c.isascii() else 1.0 for c in text)


def table_fields(tables: list[Block]) -> list[str]:
    """A cover sheet set as a table → its fields as "label：value" lines: each row whose first
    cell is a short label and which holds a value after it (a row of two cells, or a label
    spanning merged cells)."""
    out: list[str] = []
    for t in tables:
        for grid in (p for p in t.parts if isinstance(p, TableGrid)):
            for row in grid.rows:
                cells = [" ".join(c.split()) for c in row if c and c.strip()]
                if len(cells) >= 2 and len(cells[0]) <= 12 and not cells[0].endswith(("：", ":")):
                    out.append(f"{cells[0]}：{'、'.join(cells[1:])}")
    return out


def cover_metadata(cover: list[Block], tables: list[Block] | None = None) -> Node:
    """The cover's blocks → the metadata node (fields parsed, every line kept as printed);
    ``tables``: tables on the cover, whose rows may hold its fields."""
    from .sections import with_marks  # sections imports this module

    lines = [with_marks(ln.text, ln.marks) for b in cover for ln in b.lines]
    sizes = [ln.size for b in cover for ln in b.lines if ln.size]
    if sizes:
        top = max(sizes)
        title_lines = [with_marks(ln.text, ln.marks) for b in cover for ln in b.lines if ln.size == top]
    else:
        title_lines = [lines[1]] if len(lines) > 1 else lines[:1]
    metadata = cover_to_metadata(lines, title_lines, table_fields(tables or []))
    metadata["provenance"] = [provenance(ln) for b in cover for ln in b.lines]
    return metadata


def ends_front_matter(b: Block, front: Block, contents_titles: set[str]) -> bool:
    """Whether heading ``b`` starts the body rather than sitting inside front matter ``front``."""
    if b.marker is not None and b.marker.style == "chapter":
        return True
    if title_key(b.text) in contents_titles:
        return True
    if b.marker is not None and b.size is not None and front.size is not None and (front.bold or front.evidence == "type"):
        # under a front-matter title in display type (摘要 in 20 pt bold, or in 黑體 over a 明體
        # body), a numbered heading as large as it is a body division; a title in plain type
        # says nothing about what follows
        return b.size >= front.size - 0.5
    return False  # an unnumbered heading the contents does not name: the front matter's own


def title_key(text: str) -> str:
    """A heading or entry title compared blind to spacing, leaders and punctuation."""
    entry = parse_list_entry(text)
    return re.sub(r"[\s.．…‧·:：、]", "", entry["title"])


def contents_entries(blocks: list[Block]) -> list[str]:
    """The titles of the contents list's entries, leaders and page numbers removed."""
    from .rules import front_matter_kind

    out: list[str] = []
    in_contents = False
    for b in blocks:
        if b.kind == "front":
            in_contents = front_matter_kind(b.text) == "contents"
        elif in_contents and b.kind == "entry":
            out.append(parse_list_entry(b.text)["title"])
        elif in_contents and b.kind == "table-node":
            for g in (p for p in b.parts if isinstance(p, TableGrid)):
                out.extend(parse_list_entry(" ".join(c for c in row if c))["title"] for row in g.rows if any(row))
        elif in_contents and b.kind not in ("pagebreak",):
            in_contents = False
    return out


def contents_titles(blocks: list[Block]) -> set[str]:
    """The titles (spacing and punctuation aside) the contents list names."""
    return {title_key(t) for t in contents_entries(blocks)}


def parse_list_entry(text: str) -> Node:
    """A contents / figure-list line "第一章 前言......1" → {text, title, page}."""
    m = _LEADER.match(text.strip())
    if not m:
        return {"text": text, "title": text.strip(), "page": None}
    page = "".join(m.group(2).split())
    return {"text": text, "title": m.group(1).strip(), "page": int(page) if page.isdigit() else page}


def entry_fields(entry: Node, kind: str) -> Node:
    """An entry with its number and caption (lists of figures and tables) or marker (contents)."""
    title = entry["title"]
    if kind in ("figures", "tables"):
        cap = parse_caption(title)
        if cap is not None and cap.kind + "s" == kind:
            entry["number"] = cap.number
            entry["caption"] = cap.title
    else:
        mk = parse_marker(title)
        if mk:
            entry["number"] = mk.marker
            entry["caption"] = mk.title
            entry["style"] = mk.style
    return entry


def add_entries(front: Node, b: Block, provenance_of) -> None:
    """Contents / figure / table list lines (PDF) or rows (text export) → entries."""
    kind = front["kind"]
    if b.kind == "table-node":
        for g in (p for p in b.parts if isinstance(p, TableGrid)):
            for r, row in enumerate(g.rows):
                cells = [c for c in row if c]
                if not cells:
                    continue
                text = "\t".join(c for c in row if c is not None)
                entry = parse_list_entry(" ".join(cells))
                entry["text"] = text
                if g.line:
                    entry["provenance"] = {"line": g.line + r}
                front["entries"].append(entry_fields(entry, kind))
        return
    if not b.text:
        return
    entry = parse_list_entry(b.text)
    entry["provenance"] = provenance_of(b)
    front["entries"].append(entry_fields(entry, kind))
