"""Classified blocks → the document: cover, front matter, nested sections, figures, tables, footnotes.

Figures and tables are assembled first (a picture with its caption, 資料來源 line and labels; a
table caption with the grids that follow it, across page breaks), then everything is placed in
the section tree by the numbering hierarchy.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import FootnoteText, ImageSlot, Node, PageBreak, SourceDoc, TableGrid, provenance
from .blocks import Block, _FIGURE_CAPTION, _TABLE_CAPTION, front_matter_kind
from .cover import cover_to_metadata
from .numbering import Marker, UNITS, parse_marker, tier

_LEADER = re.compile(r"^(.*?)[\s.．…‧·•]*?(\d{1,3})\s*$")
# Section-id prefix of each 第X unit (see numbering.UNITS): 第四章 → ch4, 第三條 → art3.
_UNIT_IDS = dict(zip(UNITS, ("part", "ch", "sec", "art")))


# --- figures and tables ------------------------------------------------------------------


def _block_prov(b: Block) -> Node:
    if b.lines:
        prov = provenance(b.lines[0])
        if b.lines[0].bbox is not None:
            boxes = [ln.bbox for ln in b.lines if ln.bbox is not None and ln.page == b.lines[0].page]
            prov["bbox"] = [
                round(min(x[0] for x in boxes), 1),
                round(min(x[1] for x in boxes), 1),
                round(max(x[2] for x in boxes), 1),
                round(max(x[3] for x in boxes), 1),
            ]
        return prov
    if b.record is not None and not isinstance(b.record, PageBreak):
        return provenance(b.record)  # type: ignore[arg-type]
    return {}


def grid_to_rows(grid: TableGrid) -> list[list[Node]]:
    """A grid's cells → row arrays of cell objects; a merged-away cell says so explicitly.

    pdfplumber reports the cells a merged cell covers as None; a cell covered from above
    is ``{"merged": "up"}``, from the left ``{"merged": "left"}``.
    """
    rows: list[list[Node]] = []
    marks: dict[tuple[int, int], list[Node]] = {}
    for r, c, s, e, tag in grid.markup:
        marks.setdefault((r, c), []).append({"start": s, "end": e, "tag": tag})
    for r, row in enumerate(grid.rows):
        out: list[Node] = []
        for c, cell in enumerate(row):
            if cell is None:
                out.append({"merged": "left" if c > 0 and (r == 0 or grid.rows[r - 1][c] is not None) else "up"})
            else:
                node: Node = {"text": cell}
                if (r, c) in marks:
                    node["markup"] = marks[(r, c)]
                out.append(node)
        rows.append(out)
    return rows


def _grid_width(b: Block) -> int:
    grid = b.record
    assert isinstance(grid, TableGrid)
    return max((len(r) for r in grid.rows), default=0)


def assemble_figures_and_tables(blocks: list[Block]) -> list[Block]:
    """Turn runs of picture / caption / source / label / grid blocks into figure and table blocks.

    Order in both sources: [labels] picture caption [source]. A table with no 表 caption that is
    followed by a 圖 caption is a picture drawn as a table (its cells are figure text). A 表
    caption waits for the next grid even if a figure stands between them, as in the report's 表 4.
    """
    out: list[Block] = []
    pending_images: list[Block] = []
    pending_labels: list[Block] = []
    pending_table_caption: Block | None = None
    i = 0
    n = len(blocks)

    def next_real(k: int) -> Block | None:
        while k < n and blocks[k].kind in ("pagebreak", "figure-text"):
            k += 1
        return blocks[k] if k < n else None

    def flush_uncaptioned() -> None:
        nonlocal pending_images, pending_labels
        for img in pending_images:
            out.append(Block("figure", parts=[img.record] if img.record else [], labels=[lb.text for lb in pending_labels]))
            pending_labels = []
        out.extend(pending_labels)
        pending_images, pending_labels = [], []

    def flush_table_caption() -> None:
        """A 表 caption whose grid never came is a table without rows (its caption is kept)."""
        nonlocal pending_table_caption
        if pending_table_caption is not None:
            out.append(Block("table-node", number=pending_table_caption.number, caption=pending_table_caption))
            pending_table_caption = None

    while i < n:
        b = blocks[i]
        if b.kind == "image":
            pending_images.append(b)
        elif b.kind == "figure-text":
            pending_labels.append(b)
        elif b.kind == "caption-figure":
            fig = Block(
                "figure", text=b.text, lines=b.lines, number=b.number,
                parts=[p.record for p in pending_images if p.record is not None],
                labels=[lb.text for lb in pending_labels],
            )
            pending_images, pending_labels = [], []
            # the 資料來源 line follows the caption, possibly over a page break
            k = i + 1
            while k < n and blocks[k].kind == "pagebreak":
                k += 1
            if k < n and blocks[k].kind == "source":
                fig.source = blocks[k]
                out.extend(blocks[i + 1 : k])
                i = k
            out.append(fig)
        elif b.kind == "caption-table":
            flush_uncaptioned()
            flush_table_caption()
            pending_table_caption = b
        elif b.kind == "table":
            grids, k = _table_run(blocks, i)
            # grids of any width in a row, then a 圖 caption: one picture drawn as tables
            run_end = k
            while run_end < n and blocks[run_end].kind in ("pagebreak", "table", "image"):
                run_end += 1
            nb = next_real(run_end)
            if pending_table_caption is None and nb is not None and nb.kind == "caption-figure":
                # a picture drawn as a table (and any picture beside it): cells are figure text
                pending_images.extend(x for x in blocks[i:run_end] if x.kind in ("table", "image"))
                k = run_end
                i = k
                continue
            flush_uncaptioned()
            out.append(Block(
                "table-node", number=pending_table_caption.number if pending_table_caption else None,
                caption=pending_table_caption, parts=list(grids),
            ))
            pending_table_caption = None
            i = k
            continue
        else:
            if b.kind != "pagebreak":
                flush_uncaptioned()
            out.append(b)
        i += 1
    flush_uncaptioned()
    flush_table_caption()
    return out


def _table_run(blocks: list[Block], i: int) -> tuple[list[TableGrid], int]:
    """The grid at ``i`` and the grids continuing it over page breaks → (grids, index after).

    A table that runs over a page break is one table: the next page's first block is a grid of
    the same width. A header repeated on the continuation page is kept once (see
    :func:`drop_repeated_header`) and a row the break cut in two is mended (see
    :func:`mend_split_row`).
    """
    first = blocks[i].record
    assert isinstance(first, TableGrid)
    grids = [first]
    k = i + 1
    while True:
        m = k
        while m < len(blocks) and blocks[m].kind == "pagebreak":
            m += 1
        if m > k and m < len(blocks) and blocks[m].kind == "table" and _grid_width(blocks[m]) == _grid_width(blocks[i]):
            nxt = blocks[m].record
            assert isinstance(nxt, TableGrid)
            nxt = drop_repeated_header(first, nxt)
            grids[-1], nxt = mend_split_row(grids[-1], nxt)
            grids.append(nxt)
            k = m + 1
        else:
            return grids, k


def drop_repeated_header(first: TableGrid, nxt: TableGrid) -> TableGrid:
    """The continuation of a table without the header rows it repeats (a 续表 page reprints
    the column heads): the leading rows equal to the table's own first rows, as long as the
    continuation keeps at least one row of its own."""
    n = 0
    while n < min(len(first.rows) - 1, len(nxt.rows) - 1) and nxt.rows[n] == first.rows[n]:
        n += 1
    if n == 0:
        return nxt
    markup = tuple((r - n, c, s, e, t) for r, c, s, e, t in nxt.markup if r >= n)
    return replace(nxt, rows=nxt.rows[n:], markup=markup)


def mend_split_row(prev: TableGrid, nxt: TableGrid) -> tuple[TableGrid, TableGrid]:
    """Join the first row of a continuation page to the last row of the previous page when the
    page break cut that row: every filled cell of the new row continues a filled cell above,
    and the row's first (key) column is empty."""
    if not prev.rows or not nxt.rows:
        return prev, nxt
    last, head = prev.rows[-1], nxt.rows[0]
    filled = [c for c, v in enumerate(head) if v]
    if not filled or head[0] or any(not (last[c] if c < len(last) else None) for c in filled):
        return prev, nxt
    if any((last[c] or "").endswith(("。", ".")) for c in filled):
        return prev, nxt
    merged = tuple((a or "") + (b or "") if b else a for a, b in zip(last, head))
    return replace(prev, rows=prev.rows[:-1] + (merged,)), replace(nxt, rows=nxt.rows[1:])


def figure_node(b: Block, seq: int) -> Node:
    """A figure block → its node. ``number`` is resolved later against the list of figures."""
    node: Node = {"type": "figure"}
    images = b.parts
    if b.text:
        m = _FIGURE_CAPTION.match(b.text)
        node["printed_number"] = int(m.group(1)) if m else None
        node["number"] = node["printed_number"]
        node["label"] = b.text
        node["caption"] = m.group(2).strip() if m else b.text
        node.update(_block_prov(b))
    else:
        node["printed_number"] = None
        node["number"] = None
        node["label"] = None
        node["caption"] = None
        if images and not isinstance(images[0], TableGrid):
            node.update(provenance(images[0]))
    node["source"] = b.source.text if b.source is not None else None
    if b.source is not None and b.source.lines:
        node["source_provenance"] = provenance(b.source.lines[0])
    text: list[str] = list(b.labels)
    content: list[Node] = []
    for img in images:
        if isinstance(img, TableGrid):
            content.append({"type": "table", "rows": grid_to_rows(img), **provenance(img)})
            text.extend(c for row in img.rows for c in row if c)
        elif isinstance(img, ImageSlot):
            content.append({"type": "image", **provenance(img)})
            text.extend(img.text)
    node["figure_text"] = text
    node["content"] = content
    node["id"] = f"fig-{node['printed_number']}" if node["printed_number"] is not None else f"fig-u{seq}"
    return node


def table_node(b: Block) -> Node:
    """A table block (caption + grids from one or more pages) → its node."""
    cap = b.caption
    grids = [g for g in b.parts if isinstance(g, TableGrid)]
    node: Node = {"type": "table"}
    if cap is not None:
        m = _TABLE_CAPTION.match(cap.text)
        node["number"] = int(m.group(1)) if m else None
        node["label"] = cap.text
        node["caption"] = m.group(2).strip() if m else cap.text
        node["caption_provenance"] = _block_prov(cap)
    else:
        node["number"] = None
        node["label"] = None
        node["caption"] = None
    rows: list[list[Node]] = []
    for g in grids:
        rows.extend(grid_to_rows(g))
    node["rows"] = rows
    pages = sorted({g.page for g in grids if g.page is not None})
    if pages:
        node["pages"] = pages
        node["page"] = pages[0]
    lines = [g.line for g in grids if g.line is not None]
    if lines:
        node["line"] = lines[0]
    node["id"] = f"tab-{node['number']}" if node["number"] is not None else "tab-u"
    return node


# --- the section tree --------------------------------------------------------------------


def _levels(blocks: list[Block]) -> dict[tuple[int, int], int]:
    """Tiers the document's headings use (numbering.tier), outermost first → level 1, 2, …"""
    used = sorted({tier(b.marker) for b in blocks if b.kind == "heading" and b.marker})
    return {t: i + 1 for i, t in enumerate(used)}


def _section_key(marker: Marker) -> str:
    """The marker's part of a section id: ch4 (第四章), art3 (第三條), formal2 (貳、), cn1 …"""
    if marker.style == "chapter":
        prefix = next((p for units, p in _UNIT_IDS.items() if marker.unit in units), "ch")
        return f"{prefix}{marker.value}"
    return f"{marker.style}{marker.value}"


def parse_list_entry(text: str) -> Node:
    """A contents / figure-list line "第一章 前言......1" → {text, title, page}."""
    m = _LEADER.match(text.strip())
    if not m:
        return {"text": text, "title": text.strip(), "page": None}
    return {"text": text, "title": m.group(1).strip(), "page": int(m.group(2))}


def _entry_fields(entry: Node, kind: str) -> Node:
    title = entry["title"]
    if kind == "figures":
        m = _FIGURE_CAPTION.match(title)
        if m:
            entry["number"] = int(m.group(1))
            entry["caption"] = m.group(2).strip()
    elif kind == "tables":
        m = _TABLE_CAPTION.match(title)
        if m:
            entry["number"] = int(m.group(1))
            entry["caption"] = m.group(2).strip()
    else:
        mk = parse_marker(title)
        if mk:
            entry["number"] = mk.marker
            entry["caption"] = mk.title
            entry["style"] = mk.style
    return entry


def _paragraph_node(b: Block, kind: str) -> Node:
    node: Node = {"type": kind, "text": b.text}
    node.update(_block_prov(b))
    if len({ln.page for ln in b.lines}) > 1:
        node["pages"] = sorted({ln.page for ln in b.lines if ln.page is not None})
    if b.marks:
        node["footnote_refs"] = [{"mark": m, "offset": o} for o, m in b.marks]
    return node


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


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


def blocks_to_document(blocks: list[Block], source: SourceDoc) -> Node:
    """Place blocks in the tree: cover → front matter → chapters › sections, with stable ids."""
    blocks = [b if b.kind in ("paragraph", "item") else fold_marks(b) for b in blocks]
    blocks = assemble_figures_and_tables(blocks)
    levels = _levels(blocks)

    # cover: everything before the first front-matter heading or chapter
    cover_end = next(
        (i for i, b in enumerate(blocks) if b.kind == "front" or (b.kind == "heading" and b.marker and b.marker.style == "chapter")),
        len(blocks),
    )
    # the cover is its lines; a figure, table or footnote printed before the first heading is body
    on_cover = [i < cover_end and bool(b.lines) and b.kind not in ("figure", "table-node") for i, b in enumerate(blocks)]
    cover_blocks = [b for i, b in enumerate(blocks) if on_cover[i]]
    body = [(i, b) for i, b in enumerate(blocks) if not on_cover[i]]
    cover_lines = [with_marks(ln.text, ln.marks) for b in cover_blocks for ln in b.lines] if any(b.lines for b in cover_blocks) else []
    sizes = [ln.size for b in cover_blocks for ln in b.lines if ln.size]
    if sizes:
        top = max(sizes)
        title_lines = [with_marks(ln.text, ln.marks) for b in cover_blocks for ln in b.lines if ln.size == top]
    else:
        title_lines = [cover_lines[1]] if len(cover_lines) > 1 else []
    metadata = cover_to_metadata(cover_lines, title_lines)
    metadata["provenance"] = [provenance(ln) for b in cover_blocks for ln in b.lines]

    # Footnotes in document order. A mark may repeat (numbering restarting per chapter or per
    # page): the first note with a mark is fn-<mark>, the k-th fn-<mark>-<k>.
    notes = [(i, b) for i, b in enumerate(blocks) if b.kind == "footnote" and isinstance(b.record, FootnoteText)]
    note_ids: dict[int, str] = {}
    by_mark: dict[str, list[int]] = {}
    for i, b in notes:
        same = by_mark.setdefault(b.record.mark, [])  # type: ignore[union-attr]
        same.append(i)
        note_ids[i] = f"fn-{b.record.mark}" + (f"-{len(same)}" if len(same) > 1 else "")  # type: ignore[union-attr]
    placed_notes: set[int] = set()

    def note_for(mark: str, at: int) -> int | None:
        """The note a mark at block ``at`` refers to: the first unplaced one printed after it,
        else the last one before it (a note printed earlier, or a second reference to it)."""
        same = by_mark.get(mark, [])
        after = [i for i in same if i >= at and i not in placed_notes]
        before = [i for i in same if i < at]
        return after[0] if after else before[-1] if before else same[0] if same else None

    root: list[Node] = []
    stack: list[tuple[int, Node]] = []  # (level, section); level 0 = front matter
    counters: dict[str, int] = {}
    fig_seq = 0

    def container() -> list[Node]:
        return stack[-1][1]["children"] if stack else root

    def new_id(prefix: str) -> str:
        counters[prefix] = counters.get(prefix, 0) + 1
        return f"{prefix}{counters[prefix]}"

    def parent_id() -> str:
        return stack[-1][1]["id"] if stack else "doc"

    def emit(node: Node) -> None:
        container().append(node)

    def emit_footnotes(para: Node, at: int) -> None:
        for ref in para.get("footnote_refs", []):
            n = note_for(ref["mark"], at)
            ref["footnote"] = None if n is None else note_ids[n]
            if n is None or n in placed_notes:
                continue
            placed_notes.add(n)
            emit(_footnote_node(blocks[n], para["id"], note_ids[n]))

    list_node: Node | None = None

    for at, b in body:
        if b.kind == "pagebreak":
            continue  # a list continues over a page break
        if b.kind != "item":
            list_node = None
        if b.kind == "front":
            kind = front_matter_kind(b.text) or "other"
            node = {"type": "front_matter", "kind": kind, "heading": b.text, "id": f"fm-{kind}", "children": []}
            if kind in ("contents", "figures", "tables"):
                node["entries"] = []
            node.update(_block_prov(b))
            stack = [(0, node)]
            root.append(node)
            continue
        front = stack[0][1] if stack and stack[0][0] == 0 else None
        if front is not None and "entries" in front:
            # the lists run until the first real chapter heading (one without a page number)
            ends_list = b.kind == "heading" and b.marker is not None and b.marker.style == "chapter" and not _LEADER.match(b.text)
            if not ends_list:
                _add_entries(front, fold_marks(b))  # a list entry links no footnote: keep its marks as text
                continue
        if b.kind == "heading" and b.marker:
            level = levels[tier(b.marker)]
            while stack and stack[-1][0] >= level and stack[-1][0] != 0:
                stack.pop()
            if b.marker.style == "chapter" and level == 1:
                stack = []  # a top division (第X章, or 第X节 where that is the top) ends the front matter
            pid = parent_id()
            sid = (f"{pid}." if stack else "") + _section_key(b.marker)
            sec: Node = {
                "type": "section",
                "id": sid,
                "level": level,
                "style": b.marker.style,
                "heading": b.text,
                "number": b.marker.marker,
                "value": b.marker.value,
                "title": b.marker.title,
                "children": [],
            }
            sec.update(_block_prov(b))
            container().append(sec)
            stack.append((level, sec))
            continue
        if b.kind == "figure":
            fig_seq += 1
            node = figure_node(b, fig_seq)
            emit(node)
            continue
        if b.kind == "table-node":
            node = table_node(b)
            if node["id"] == "tab-u":
                node["id"] = new_id("tab-u")
            emit(node)
            continue
        if b.kind == "footnote":
            if at in note_ids and at not in placed_notes:
                placed_notes.add(at)
                emit(_footnote_node(b, None, note_ids[at]))
            continue
        if b.kind in ("paragraph", "heading", "source", "figure-text", "caption-table", "caption-figure"):
            node = _paragraph_node(b, "paragraph")
            new_id(parent_id() + "/p")
            node["id"] = f"{parent_id()}/p{counters[parent_id() + '/p']}"
            if b.kind != "paragraph":
                node["role"] = b.kind
            emit(node)
            emit_footnotes(node, at)
            continue
        if b.kind == "item":
            if list_node is None:
                list_node = {"type": "list", "id": "", "items": []}
                new_id(parent_id() + "/l")
                list_node["id"] = f"{parent_id()}/l{counters[parent_id() + '/l']}"
                emit(list_node)
            item = _paragraph_node(b, "list_item")
            mk = b.marker or parse_marker(b.text)
            if mk:
                item["marker"] = mk.marker
            item["depth"] = max(b.depth, glyph_depth(list_node["items"], b.text))
            item["id"] = f"{list_node['id']}.{len(list_node['items']) + 1}"
            list_node["items"].append(item)
            emit_footnotes(item, at)
            continue
    # footnotes never referenced stay in the document
    for i, fb in notes:
        if i not in placed_notes:
            root.append(_footnote_node(fb, None, note_ids[i]))
    return {"metadata": metadata, "blocks": root}


_GLYPH = re.compile(r"^([□■◎◇◆●○•▪※—…])\s")


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
    rec = b.record
    assert isinstance(rec, FootnoteText)
    node: Node = {"type": "footnote", "id": fid, "mark": rec.mark, "text": rec.text, "ref": ref}
    node.update(provenance(rec))
    return node


def _add_entries(front: Node, b: Block) -> None:
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
                front["entries"].append(_entry_fields(entry, kind))
        return
    if b.kind == "figure":
        # a caption-looking line inside the list of figures is an entry, not a figure
        entry = parse_list_entry(b.text)
        entry.update(_block_prov(b))
        front["entries"].append(_entry_fields(entry, kind))
        return
    if not b.text:
        return
    entry = parse_list_entry(b.text)
    entry["provenance"] = _block_prov(b)
    front["entries"].append(_entry_fields(entry, kind))
