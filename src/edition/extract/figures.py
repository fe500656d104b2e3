"""Pictures, captions, source lines and grids → figure and table blocks, then nodes.

Reports order these in several ways, and all are read here:

* a figure caption below its picture (the usual Chinese order) or above it; two pictures side by
  side with their two captions on one line, each caption taking the picture above it;
* a 資料來源 / 数据来源 line after the caption, or between the picture and the caption;
* a table caption above its grid (or above a picture of the table); a 表 caption waits for its
  grid even past a figure (the Hokkaido report's 表 4); a 續表 / 续表 caption continues the table
  with that number on a later page, and a grid that runs on over a page break is one table.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import ImageSlot, Node, PageBreak, TableGrid, provenance
from .blocks import Block


def block_provenance(b: Block) -> Node:
    """``page`` + the box around the block's lines on that page (PDF), or ``line`` (export)."""
    if b.lines:
        prov = provenance(b.lines[0])
        box = b.bbox
        if box is not None:
            prov["bbox"] = [round(v, 1) for v in box]
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


def _x_overlap(a: tuple[float, float, float, float] | None, b: tuple[float, float, float, float] | None) -> float:
    if a is None or b is None:
        return 0.0
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0]))


def share_pictures(captions: list[Block], pictures: list[Block]) -> list[list[Block]]:
    """Pictures → the caption each belongs to, for captions printed side by side.

    Captions side by side on one line (a PDF): each picture goes to the caption it stands over
    (the most horizontal overlap). Captions one under the other, or positions unknown (a text
    export): pictures and captions pair in order, and any left over go to the last caption.
    """
    shares: list[list[Block]] = [[] for _ in captions]
    if len(captions) == 1:
        shares[0] = list(pictures)
        return shares
    boxes = [c.bbox for c in captions]
    level = all(b is not None and boxes[0] is not None and abs(b[1] - boxes[0][1]) < 3 for b in boxes)
    if level and all(p.bbox is not None for p in pictures):
        for p in pictures:
            best = max(range(len(captions)), key=lambda k: (_x_overlap(captions[k].bbox, p.bbox), -k))
            shares[best].append(p)
        return shares
    for k, p in enumerate(pictures):
        shares[min(k, len(captions) - 1)].append(p)
    return shares


_BETWEEN = ("pagebreak", "figure-text", "source")


def _neighbour(blocks: list[Block], i: int, step: int) -> Block | None:
    """The nearest block before (step -1) or after (+1) block ``i``, past page breaks, words
    printed in pictures and source lines."""
    k = i + step
    while 0 <= k < len(blocks) and blocks[k].kind in _BETWEEN:
        k += step
    return blocks[k] if 0 <= k < len(blocks) else None


def _distance(cap: Block, grid: Block | None, above: bool) -> float | None:
    """White space between a caption and a grid above (or below) it on the same page."""
    if grid is None or cap.bbox is None or grid.bbox is None or grid.page != cap.page:
        return None
    return cap.bbox[1] - grid.bbox[3] if above else grid.bbox[1] - cap.bbox[3]


def table_caption_side(blocks: list[Block]) -> str:
    """Whether this document prints its table captions above or below the table: "above" or
    "below", from the document's own evidence.

    A caption with a grid on one side only says which side it belongs to (the first table of a
    run has no caption above it when captions go below; the last caption has no grid below
    it). A caption between two grids says so by distance, where one is clearly closer. Where
    the evidence is even, the convention of Chinese reports decides: 表 above, 圖 below.
    """
    above = below = 0.0
    for i, b in enumerate(blocks):
        if b.kind != "caption-table":
            continue
        prev, nxt = _neighbour(blocks, i, -1), _neighbour(blocks, i, 1)
        grid_before = prev is not None and prev.kind == "table"
        grid_after = nxt is not None and nxt.kind == "table"
        if grid_before and not grid_after:
            below += 1
        elif grid_after and not grid_before:
            above += 1
        elif grid_before and grid_after:
            d_up, d_down = _distance(b, prev, True), _distance(b, nxt, False)
            size = (b.lines[0].size or 12.0) if b.lines else 12.0
            if d_up is not None and d_down is not None and abs(d_up - d_down) > 0.5 * size:
                if d_up < d_down:
                    below += 0.5
                else:
                    above += 0.5
    return "below" if below > above else "above"


def assemble_figures_and_tables(blocks: list[Block]) -> list[Block]:
    """Turn runs of picture / caption / source / label / grid blocks into figure and table blocks.

    A table with no 表 caption that is followed by a 圖 caption is a picture drawn as a table
    (its cells are figure text). Table captions go with the grid on the side the document puts
    them (:func:`table_caption_side`).
    """
    side = table_caption_side(blocks)
    out: list[Block] = []
    pending_images: list[Block] = []
    pending_labels: list[Block] = []
    pending_source: Block | None = None  # a source line printed between a picture and its caption
    pending_table_caption: Block | None = None
    i = 0
    n = len(blocks)

    def next_real(k: int) -> int:
        while k < n and blocks[k].kind in ("pagebreak", "figure-text"):
            k += 1
        return k

    def flush_uncaptioned() -> None:
        nonlocal pending_images, pending_labels, pending_source
        for img in pending_images:
            out.append(Block("figure", parts=[img.record] if img.record else [], labels=[lb.text for lb in pending_labels]))
            pending_labels = []
        out.extend(pending_labels)
        if pending_source is not None:
            out.append(pending_source)
        pending_images, pending_labels, pending_source = [], [], None

    def flush_table_caption() -> None:
        """A 表 caption whose grid never came is a table without rows (its caption is kept)."""
        nonlocal pending_table_caption
        if pending_table_caption is not None:
            out.append(Block("table-node", number=pending_table_caption.number, caption=pending_table_caption,
                             cap=pending_table_caption.cap))
            pending_table_caption = None

    while i < n:
        b = blocks[i]
        if pending_table_caption is not None and (
            b.kind == "heading" or (b.page is not None and pending_table_caption.page is not None and b.page > pending_table_caption.page + 1)
        ):
            flush_table_caption()  # a table caption waits for its grid past a figure, not past a heading or a page
        if b.kind == "image":
            pending_images.append(b)
        elif b.kind == "figure-text":
            pending_labels.append(b)
        elif b.kind == "source" and pending_images and next_real(i + 1) < n and blocks[next_real(i + 1)].kind == "caption-figure":
            pending_source = b
        elif b.kind == "caption-figure":
            run_end = i
            while run_end + 1 < n and blocks[run_end + 1].kind == "caption-figure" and blocks[run_end + 1].page == b.page:
                run_end += 1
            captions = blocks[i : run_end + 1]
            pictures, labels = list(pending_images), list(pending_labels)
            after = run_end + 1
            if not pictures:
                # a caption above its picture: the pictures that follow it on the same page
                below: list[Block] = []
                below_labels: list[Block] = []
                k = after
                while k < n and blocks[k].kind in ("image", "figure-text") and (blocks[k].page == b.page or blocks[k].page is None):
                    (below if blocks[k].kind == "image" else below_labels).append(blocks[k])
                    k += 1
                # ... unless a caption follows them: then they are that caption's pictures
                if below and (next_real(k) >= n or blocks[next_real(k)].kind != "caption-figure"):
                    pictures, labels, after = below, labels + below_labels, k
            shares = share_pictures(captions, pictures)
            figs = [
                Block("figure", text=c.text, lines=c.lines, number=c.number, cap=c.cap,
                      parts=[p.record for p in share if p.record is not None],
                      labels=[lb.text for lb in labels] if k == 0 else [])
                for k, (c, share) in enumerate(zip(captions, shares))
            ]
            pending_images, pending_labels = [], []
            # the 資料來源 line follows the caption, possibly over a page break
            k = after
            while k < n and blocks[k].kind == "pagebreak":
                k += 1
            if pending_source is not None:
                figs[-1].source = pending_source
                pending_source = None
                out.extend(figs)
                i = after
                continue
            if k < n and blocks[k].kind == "source":
                figs[-1].source = blocks[k]
                out.extend(figs)
                out.extend(blocks[after:k])
                i = k + 1
                continue
            out.extend(figs)
            i = after
            continue
        elif b.kind == "caption-table" and (pair := side_by_side_tables(blocks, i)) is not None:
            flush_uncaptioned()
            flush_table_caption()
            nodes, i = pair
            out.extend(nodes)
            continue
        elif b.kind == "caption-table":
            flush_uncaptioned()
            flush_table_caption()
            head = _uncaptioned_table_before(out, b) if side == "below" else None
            if head is not None:
                head.caption, head.number, head.cap = b, b.number, b.cap  # printed below its table
                i += 1
                continue
            k = next_real(i + 1)
            pics = k
            while pics < n and blocks[pics].kind == "image":
                pics += 1
            if pics > k and (next_real(pics) >= n or blocks[next_real(pics)].kind != "caption-figure"):
                # a table printed as a picture (a screenshot of a spreadsheet)
                out.append(Block("table-node", number=b.number, caption=b, cap=b.cap,
                                 parts=[x.record for x in blocks[k:pics] if x.record is not None]))
                out.extend(blocks[i + 1 : k])
                i = pics
                continue
            pending_table_caption = b
        elif b.kind == "table":
            grids, k = _table_run(blocks, i)
            # grids of any width in a row, then a 圖 caption: one picture drawn as tables
            run_end = k
            while run_end < n and blocks[run_end].kind in ("pagebreak", "table", "image"):
                run_end += 1
            nb = next_real(run_end)
            if pending_table_caption is None and nb < n and blocks[nb].kind == "caption-figure":
                # a picture drawn as a table (and any picture beside it): cells are figure text
                pending_images.extend(x for x in blocks[i:run_end] if x.kind in ("table", "image"))
                i = run_end
                continue
            flush_uncaptioned()
            cap = pending_table_caption
            if cap is not None and side == "below" and not _directly_above(cap, blocks[i]):
                flush_table_caption()  # a caption that belongs to the table above it, whose grid was lost
                cap = None
            out.append(Block("table-node", number=cap.number if cap else None, caption=cap,
                             cap=cap.cap if cap else None, parts=list(grids)))
            pending_table_caption = None
            i = k
            continue
        elif b.kind == "source" and out and out[-1].kind in ("table-node", "figure") and out[-1].source is None:
            out[-1].source = b
        else:
            if b.kind != "pagebreak":
                flush_uncaptioned()
            out.append(b)
        i += 1
    flush_uncaptioned()
    flush_table_caption()
    return join_continued_tables(out)


def side_by_side_tables(blocks: list[Block], i: int) -> tuple[list[Block], int] | None:
    """Table captions printed side by side on one line with their grids side by side under
    them: each grid goes to the caption it stands under (the most horizontal overlap).
    Returns the table blocks and the index after them, or None where block ``i`` starts no such
    run."""
    caps = [blocks[i]]
    k = i + 1
    while k < len(blocks) and blocks[k].kind == "caption-table" and blocks[k].page == caps[0].page and _level(blocks[k], caps[0]):
        caps.append(blocks[k])
        k += 1
    if len(caps) < 2:
        return None
    grids = []
    while k < len(blocks) and blocks[k].kind == "table" and blocks[k].page == caps[0].page:
        grids.append(blocks[k])
        k += 1
    if len(grids) != len(caps):
        return None
    shares = share_pictures(caps, grids)
    if any(len(share) != 1 for share in shares):
        return None
    return [Block("table-node", number=c.number, caption=c, cap=c.cap, parts=[share[0].record])
            for c, share in zip(caps, shares)], k


def _level(a: Block, b: Block) -> bool:
    return a.bbox is not None and b.bbox is not None and abs(a.bbox[1] - b.bbox[1]) < 3


def _uncaptioned_table_before(out: list[Block], cap: Block) -> Block | None:
    """The table a caption printed below it belongs to: the last block assembled, a table
    without a caption, ending on the caption's page or the one before it."""
    for b in reversed(out):
        if b.kind == "pagebreak":
            continue
        if b.kind == "table-node" and b.caption is None and b.parts:
            pages = [g.page for g in b.parts if getattr(g, "page", None) is not None]
            if not pages or cap.page is None or max(pages) in (cap.page, cap.page - 1):
                return b
        return None
    return None


def _directly_above(cap: Block, grid: Block) -> bool:
    """A caption that stands right above a grid on the same page (a document that prints its
    captions below may still print one above)."""
    d = _distance(cap, grid, False)
    return d is not None and 0 <= d <= 1.5 * (cap.lines[0].size if cap.lines and cap.lines[0].size else 12)


def join_continued_tables(blocks: list[Block]) -> list[Block]:
    """A 續表 / 续表 table is the rest of the table with its number: its grids join that table."""
    out: list[Block] = []
    for b in blocks:
        if b.kind == "table-node" and b.cap is not None and b.cap.continued:
            head = next((t for t in reversed(out) if t.kind == "table-node" and t.number == b.number and t.cap and not t.cap.continued), None)
            if head is not None:
                grids = [g for g in b.parts if isinstance(g, TableGrid)]
                if head.parts and grids and isinstance(head.parts[-1], TableGrid):
                    grids[0] = drop_repeated_header(head.parts[0], grids[0])  # type: ignore[arg-type]
                head.parts.extend(grids)
                head.labels.append(b.caption.text if b.caption else "")
                continue
        out.append(b)
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


def _picture_content(img: ImageSlot | TableGrid) -> Node:
    if isinstance(img, TableGrid):
        return {"type": "table", "rows": grid_to_rows(img), **provenance(img)}
    node: Node = {"type": "image", **provenance(img)}
    if img.kind != "image":
        node["kind"] = img.kind
    return node


def figure_node(b: Block, seq: int) -> Node:
    """A figure block → its node. ``number`` is resolved later against the list of figures."""
    node: Node = {"type": "figure"}
    images = b.parts
    if b.text:
        cap = b.cap
        node["printed_number"] = cap.number if cap else None
        node["number"] = node["printed_number"]
        node["label"] = b.text
        node["caption"] = cap.title if cap else b.text
        node.update(block_provenance(b))
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
        content.append(_picture_content(img))  # type: ignore[arg-type]
        if isinstance(img, TableGrid):
            text.extend(c for row in img.rows for c in row if c)
        elif isinstance(img, ImageSlot):
            text.extend(img.text)
    node["figure_text"] = text
    node["content"] = content
    node["id"] = f"fig-{node['printed_number']}" if node["printed_number"] is not None else f"fig-u{seq}"
    return node


def table_node(b: Block) -> Node:
    """A table block (caption + grids from one or more pages, or a picture of it) → its node."""
    cap = b.caption
    grids = [g for g in b.parts if isinstance(g, TableGrid)]
    pictures = [p for p in b.parts if isinstance(p, ImageSlot)]
    node: Node = {"type": "table"}
    if cap is not None:
        node["number"] = b.cap.number if b.cap else None
        node["label"] = cap.text
        node["caption"] = b.cap.title if b.cap else cap.text
        node["caption_provenance"] = block_provenance(cap)
    else:
        node["number"] = None
        node["label"] = None
        node["caption"] = None
    if b.labels:
        node["continued_labels"] = list(b.labels)
    rows: list[list[Node]] = []
    for g in grids:
        rows.extend(grid_to_rows(g))
    node["rows"] = rows
    if any(not g.ruled for g in grids):
        node["ruled"] = False
    if pictures:
        node["content"] = [_picture_content(p) for p in pictures]
        node["figure_text"] = [t for p in pictures for t in p.text]
    pages = sorted({g.page for g in b.parts if isinstance(g, (TableGrid, ImageSlot)) and g.page is not None})
    if not pages and cap is not None and cap.page is not None:
        pages = [cap.page]
    if pages:
        node["pages"] = pages
        node["page"] = pages[0]
    lines = [g.line for g in grids if g.line is not None]
    if lines:
        node["line"] = lines[0]
    if b.source is not None:
        node["source"] = b.source.text
        if b.source.lines:
            node["source_provenance"] = provenance(b.source.lines[0])
    node["id"] = f"tab-{node['number']}" if node["number"] is not None else "tab-u"
    return node
