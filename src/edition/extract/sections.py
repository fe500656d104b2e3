"""Classified blocks (after the cover) → the node tree: front matter, nested sections, and in
them paragraphs, lists, figures, tables and footnotes, each with a stable id.

Sections nest by the levels :mod:`.hierarchy` inferred; a section's id is its parent's id and
its own marker (ch4.formal2.cn1, d2-1-3, h2 for the second unnumbered heading in its parent).
Footnotes are placed after the paragraph that holds their mark.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import FootnoteText, Node
from .blocks import Block
from .charclass import BULLETS
from .figures import block_provenance, figure_node, table_node
from .frontmatter import add_entries, contents_titles, ends_front_matter, title_key
from .numbering import UNITS, Marker, parse_marker
from .rules import LIST_KINDS, front_matter_kind

# Section-id prefix of each 第X unit (see numbering.UNITS): 第四章 → ch4, 第三條 → art3.
_UNIT_IDS = dict(zip(UNITS, ("part", "ch", "sec", "art")))
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_GLYPH = re.compile(rf"^([{BULLETS}…])\s")  # (an ellipsis opens an item of the report's lists too)


def with_marks(text: str, marks) -> str:
    """Footnote marks put back into the text as the superscripts they were printed as.

    Only running text (paragraphs, list items) links a mark to its footnote (``footnote_refs``);
    a mark on a heading, a caption or a cover line would otherwise be lost without a trace.
    """
    for offset, mark in sorted(marks, reverse=True):
        text = text[:offset] + mark.translate(_SUPERSCRIPT) + text[offset:]
    return text


def fold_marks(b: Block) -> Block:
    """The block with its footnote marks back in its text (see :func:`with_marks`)."""
    return replace(b, text=with_marks(b.text, b.marks), marks=[]) if b.marks else b


def section_key(marker: Marker | None) -> str:
    """The marker's part of a section id: ch4 (第四章), art3 (第三條), formal2 (貳、), d2-1 (2.1) …"""
    if marker is None:
        return "h"
    if marker.style == "chapter":
        prefix = next((p for units, p in _UNIT_IDS.items() if marker.unit[:1] in units), "ch")
        return f"{prefix}{marker.value}"
    if marker.style == "decimal":
        return "d" + "-".join(str(p) for p in marker.parts)
    return f"{marker.style}{marker.value}"


def section_node(b: Block, sid: str) -> Node:
    mk = b.marker
    sec: Node = {
        "type": "section",
        "id": sid,
        "level": b.level or 1,
        "style": mk.style if mk else "unnumbered",
        "heading": b.text,
        "number": mk.marker if mk else "",
        "value": mk.value if mk else None,
        "title": (mk.title if mk else b.text) or b.text,
        "children": [],
    }
    sec.update(block_provenance(b))
    return sec


def paragraph_node(b: Block, kind: str) -> Node:
    node: Node = {"type": kind, "text": b.text}
    node.update(block_provenance(b))
    if len({ln.page for ln in b.lines}) > 1:
        node["pages"] = sorted({ln.page for ln in b.lines if ln.page is not None})
    if b.marks:
        node["footnote_refs"] = [{"mark": m, "offset": o} for o, m in b.marks]
    return node


def glyph_depth(items: list[Node], text: str) -> int:
    """Nesting told by bullet glyphs, where the layout does not indent it.

    An item whose glyph differs from the previous item's, after an item that leads in with a
    colon ("◎ 日本產業群聚方案之群聚：" then "◇ 地理的集中。"), sits one level deeper; a glyph seen
    before returns to that glyph's level. Items without a glyph keep the depth the source gives.
    """
    m = _GLYPH.match(text)
    if not m:
        return 0
    glyph = m.group(1)
    levels: dict[str, int] = {}
    prev: Node | None = None
    for it in items:
        g = _GLYPH.match(it["text"])
        if not g:
            prev = None
            continue
        levels[g.group(1)] = it["depth"]
        prev = it
    if glyph in levels:
        return levels[glyph]
    if prev is not None and prev["text"].rstrip().endswith(("：", ":")):
        return prev["depth"] + 1
    return 0


def _footnote_node(b: Block, ref: str | None, fid: str) -> Node:
    from ..model import provenance

    rec = b.record
    assert isinstance(rec, FootnoteText)
    node: Node = {"type": "footnote", "id": fid, "mark": rec.mark, "text": rec.text, "ref": ref}
    node.update(provenance(rec))
    return node


class TreeBuilder:
    """Places blocks one by one; holds the open sections, id counters and footnote bookkeeping."""

    def __init__(self, blocks: list[Block]):
        self.blocks = blocks
        self.root: list[Node] = []
        self.stack: list[tuple[int, Node, Block | None]] = []  # (level, node, its block); level 0 = front matter
        self.counters: dict[str, int] = {}
        self.used_ids: set[str] = set()
        self.fig_seq = 0
        self.list_node: Node | None = None
        self.body_started = False  # a section has opened outside the front matter
        self.contents = contents_titles(blocks)
        # Footnotes in document order. A mark may repeat (numbering restarting per chapter or
        # per page): the first note with a mark is fn-<mark>, the k-th fn-<mark>-<k>.
        self.notes = [(i, b) for i, b in enumerate(blocks) if b.kind == "footnote" and isinstance(b.record, FootnoteText)]
        self.note_ids: dict[int, str] = {}
        self.by_mark: dict[str, list[int]] = {}
        for i, b in self.notes:
            same = self.by_mark.setdefault(b.record.mark, [])  # type: ignore[union-attr]
            same.append(i)
            self.note_ids[i] = f"fn-{b.record.mark}" + (f"-{len(same)}" if len(same) > 1 else "")  # type: ignore[union-attr]
        self.placed_notes: set[int] = set()

    # -- containers and ids --

    def container(self) -> list[Node]:
        return self.stack[-1][1]["children"] if self.stack else self.root

    def new_id(self, prefix: str) -> str:
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{prefix}{self.counters[prefix]}"

    def unique(self, base: str) -> str:
        """``base``, or ``base-2``, ``base-3`` … where the document numbers two divisions alike."""
        sid, k = base, 1
        while sid in self.used_ids:
            k += 1
            sid = f"{base}-{k}"
        self.used_ids.add(sid)
        return sid

    def parent_id(self) -> str:
        return self.stack[-1][1]["id"] if self.stack else "doc"

    def front(self) -> tuple[Node, Block | None] | None:
        if self.stack and self.stack[0][0] == 0:
            return self.stack[0][1], self.stack[0][2]
        return None

    def emit(self, node: Node) -> None:
        self.container().append(node)

    # -- footnotes --

    def note_for(self, mark: str, at: int) -> int | None:
        """The note a mark at block ``at`` refers to: the first unplaced one printed after it,
        else the last one before it (a note printed earlier, or a second reference to it)."""
        same = self.by_mark.get(mark, [])
        after = [i for i in same if i >= at and i not in self.placed_notes]
        before = [i for i in same if i < at]
        return after[0] if after else before[-1] if before else same[0] if same else None

    def emit_footnotes(self, para: Node, at: int) -> None:
        for ref in para.get("footnote_refs", []):
            n = self.note_for(ref["mark"], at)
            ref["footnote"] = None if n is None else self.note_ids[n]
            if n is None or n in self.placed_notes:
                continue
            self.placed_notes.add(n)
            self.emit(_footnote_node(self.blocks[n], para["id"], self.note_ids[n]))

    # -- placing --

    def place(self, at: int, b: Block) -> None:
        if b.kind == "pagebreak":
            return  # a list continues over a page break
        if b.kind != "item":
            self.list_node = None
        if b.kind == "front":
            if self.body_started:
                # 致謝, a sample "Contents" page in an appendix: back matter is a section
                b = replace(b, kind="heading", level=1, marker=None)
                self.stack = []
                self.open_section(b)
                return
            self.open_front(b)
            return
        front = self.front()
        if front is not None and "entries" in front[0]:
            if b.kind in ("entry", "table-node") or (b.kind == "figure" and b.text and front[0]["kind"] == "figures"):
                add_entries(front[0], fold_marks(b), block_provenance)  # a list entry links no footnote
                return
            self.stack = []  # the list ended with its last entry
        if b.kind == "heading":
            self.open_section(b)
            return
        if b.kind == "entry":
            b = replace(b, kind="paragraph")  # a leader line outside any list: keep it as text
        self.place_content(at, b)

    def open_front(self, b: Block) -> None:
        kind = front_matter_kind(b.text) or "other"
        fid = self.unique(f"fm-{kind}")
        node: Node = {"type": "front_matter", "kind": kind, "heading": b.text, "id": fid, "children": []}
        if kind in LIST_KINDS:
            node["entries"] = []
        node.update(block_provenance(b))
        self.stack = [(0, node, b)]
        self.root.append(node)

    def open_section(self, b: Block) -> None:
        level = b.level or 1
        front = self.front()
        if front is not None and front[1] is not None and ends_front_matter(b, front[1], self.contents):
            self.stack = []
        while self.stack and self.stack[-1][0] >= level and self.stack[-1][0] != 0:
            self.stack.pop()
        pid = self.parent_id()
        key = section_key(b.marker)
        if b.marker is None:
            key = self.new_id(f"{pid}/h").rsplit("/", 1)[-1]
        sid = self.unique((f"{pid}." if self.stack else "") + key)
        sec = section_node(b, sid)
        self.container().append(sec)
        self.stack.append((level, sec, b))
        if self.stack[0][0] != 0 and (b.marker is not None or title_key(b.text) in self.contents):
            self.body_started = True

    def place_content(self, at: int, b: Block) -> None:
        if b.kind == "figure":
            self.fig_seq += 1
            self.emit(figure_node(b, self.fig_seq))
            return
        if b.kind == "table-node":
            node = table_node(b)
            if node["id"] == "tab-u":
                node["id"] = self.new_id("tab-u")
            self.emit(node)
            return
        if b.kind == "footnote":
            if at in self.note_ids and at not in self.placed_notes:
                self.placed_notes.add(at)
                self.emit(_footnote_node(b, None, self.note_ids[at]))
            return
        if b.kind in ("paragraph", "source", "figure-text", "caption-table", "caption-figure"):
            node = paragraph_node(b, "paragraph")
            pid = self.parent_id()
            node["id"] = f"{pid}/p{self.new_id(pid + '/p').rsplit('/p', 1)[-1]}"
            if b.kind != "paragraph":
                node["role"] = b.kind
            elif b.note == "subheading":
                node["role"] = "subheading"
            self.emit(node)
            self.emit_footnotes(node, at)
            return
        if b.kind == "item":
            if self.list_node is None:
                pid = self.parent_id()
                self.list_node = {"type": "list", "id": f"{pid}/l{self.new_id(pid + '/l').rsplit('/l', 1)[-1]}", "items": []}
                self.emit(self.list_node)
            item = paragraph_node(b, "list_item")
            mk = b.marker or parse_marker(b.text)
            if mk:
                item["marker"] = mk.marker
            item["depth"] = max(b.depth, glyph_depth(self.list_node["items"], b.text))
            item["id"] = f"{self.list_node['id']}.{len(self.list_node['items']) + 1}"
            self.list_node["items"].append(item)
            self.emit_footnotes(item, at)

    def finish(self) -> list[Node]:
        # footnotes never referenced stay in the document
        for i, fb in self.notes:
            if i not in self.placed_notes:
                self.root.append(_footnote_node(fb, None, self.note_ids[i]))
        return self.root


def blocks_to_tree(blocks: list[Block], start: int) -> list[Node]:
    """The blocks from ``start`` on → the top-level nodes. Before ``start`` is the cover, whose
    lines are metadata; a figure, table or footnote printed there is placed all the same."""
    builder = TreeBuilder(blocks)
    for at, b in enumerate(blocks):
        if at >= start or b.kind in ("figure", "table-node", "footnote"):
            builder.place(at, b)
    return builder.finish()
