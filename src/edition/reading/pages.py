"""One page's characters, shapes and pictures → its printed lines, tables, pictures and drawings.

Runs in the page workers on what :mod:`.pdfium` read: ruled and borderless tables are cut out,
and the remaining characters are grouped into printed lines carrying their geometry and
typography (size, weight, font family, where the type changes along the line). Nothing here
decides anything about the document; that needs every page (:mod:`.layout`).
"""

from __future__ import annotations

from array import array
from collections import Counter
from dataclasses import replace
from operator import attrgetter

from ..extract.settings import DEFAULT, LayoutSettings
from .chars import (chars_to_lines, column_gutter_x, count_bold, decode_legacy_cjk, dedupe_chars, dominant_family, line_text,
                    split_at, split_side_by_side, visible_chars)
from .pdfium import FILL_STROKE_MODES, Char, PageContent, Shape
from .raw import Box, RawLine, RawPage, RawTable
from .tables import free_chars, inside, ruled_tables, ruling_shapes, three_line_tables


def covers_page(box: Box, width: float, height: float, settings: LayoutSettings) -> bool:
    """A box that covers most of the page: what the page is printed on, if text stands on it."""
    return (box[2] - box[0]) * (box[3] - box[1]) >= settings.background_share * width * height


def text_density(chars: list[Char], box: Box) -> float:
    """How much of a box its characters cover: running text covers a third of a page, the
    labels of a chart a few hundredths."""
    area = max(1.0, (box[2] - box[0]) * (box[3] - box[1]))
    return sum((c.x1 - c.x0) * (c.bottom - c.top) for c in chars if c.text.strip() and inside(c, box)) / area


def drawing_boxes(shapes: tuple[Shape, ...], width: float, height: float, taken: list[Box], settings: LayoutSettings) -> list[Box]:
    """Vector drawings (charts, diagrams drawn with rects and curves) as boxes.

    Shapes that touch or nearly touch are one drawing; a drawing smaller than
    ``min_drawing_side`` on either side is a rule, a frame corner or a bullet. A frame — shapes
    that all lie on the edge of their own box, like a border drawn round a text box or a sample
    page — is no picture: the text inside it stays text. Table rulings are not drawings.
    """
    boxes = [
        (o.x0, o.top, o.x1, o.bottom)
        for o in shapes
        if not any(t[0] - 2 <= o.x0 and o.x1 <= t[2] + 2 and t[1] - 2 <= o.top and o.bottom <= t[3] + 2 for t in taken)
        # a page-size fill or frame is what the page is printed on: clustered with the
        # rules and boxes on it, it would make the whole page one drawing
        and not covers_page((o.x0, o.top, o.x1, o.bottom), width, height, settings)
    ]
    clusters: list[tuple[list[float], list[Box]]] = []
    for s in sorted(boxes, key=lambda b: (b[1], b[0])):
        for b, members in clusters:
            if s[0] <= b[2] + 4 and s[2] >= b[0] - 4 and s[1] <= b[3] + 4 and s[3] >= b[1] - 4:
                b[0], b[1], b[2], b[3] = min(b[0], s[0]), min(b[1], s[1]), max(b[2], s[2]), max(b[3], s[3])
                members.append(s)
                break
        else:
            clusters.append((list(s), [s]))
    side = settings.min_drawing_side
    out: list[Box] = []
    for b, members in clusters:
        if b[2] - b[0] < side or b[3] - b[1] < side:
            continue
        if not all(_on_frame(m, b) for m in members):
            out.append(tuple(b))  # type: ignore[arg-type]
    return out


def _on_frame(m: Box, b: list[float], tol: float = 2.0) -> bool:
    """A shape that is one whole side of the box (or the box itself)."""
    full_width = abs(m[0] - b[0]) < tol and abs(m[2] - b[2]) < tol
    full_height = abs(m[1] - b[1]) < tol and abs(m[3] - b[3]) < tol
    return (full_width and (abs(m[1] - b[1]) < tol or abs(m[3] - b[3]) < tol)) or (
        full_height and (abs(m[0] - b[0]) < tol or abs(m[2] - b[2]) < tol))


def page_to_raw(page: PageContent, settings: LayoutSettings = DEFAULT) -> RawPage:
    """One page as the reader read it → its lines, pictures, drawings and tables (nothing
    document-wide yet)."""
    chars, dups = dedupe_chars(decode_legacy_cjk(list(page.chars)), settings)
    width, height = page.width, page.height
    rulings = ruling_shapes(page.shapes)
    tables: list[RawTable] = []
    if len(rulings) >= settings.min_table_edges:
        tables.extend(ruled_tables(page.shapes, chars, width, height, settings))
    if len(rulings) >= settings.three_line_min_rules:
        tables.extend(three_line_tables(rulings, height, chars, [t.bbox for t in tables], settings))
    side = settings.min_image_side
    shown = [im for im in page.pictures if (im.x1 - im.x0) > side and (im.bottom - im.top) > side]
    images: tuple[Box, ...] = tuple((im.x0, im.top, im.x1, im.bottom) for im in shown)
    ids = {(im.x0, im.top, im.x1, im.bottom): im.ident for im in shown}
    # a page-size picture with running text over it (a letterhead, a scanned page under its
    # text layer, a paper texture) is the page's background; with a few labels, a figure
    behind = tuple(b for b in images if covers_page(b, width, height, settings) and text_density(chars, b) >= settings.background_text_density)
    backgrounds = behind + tuple(
        (o.x0, o.top, o.x1, o.bottom) for o in page.shapes
        if o.kind == "rect" and covers_page((o.x0, o.top, o.x1, o.bottom), width, height, settings)
    )
    images = tuple(b for b in images if b not in behind)
    drawings = tuple(drawing_boxes(page.shapes, width, height, [t.bbox for t in tables], settings)) if rulings else ()
    free = free_chars(chars, tables)
    lines: list[RawLine] = []
    groups = chars_to_lines(free, settings)
    gutter = column_gutter_x(groups, width)
    for group in groups:
        visible = visible_chars(group)
        if not visible:
            continue
        size = line_size(visible)
        line = _raw_line(group, visible, size, images + drawings, settings)
        pieces = split_side_by_side(group, size, settings)
        if gutter is not None and len(pieces) < 2 and gutter[1] - 1 <= min(c.top for c in visible) <= gutter[2] + 1:
            pieces = split_at(group, gutter[0])  # a line of the two columns (not one above or below them)
        if line is not None and len(pieces) > 1:
            # things set side by side on one printed line: the parent reads them apart where
            # they are captions or columns, and as the one line otherwise (a form's label and value)
            parts = tuple(x for x in (raw_line(pc, images + drawings, settings) for pc in pieces) if x is not None)
            line = replace(line, pieces=tuple(replace(x, top=line.top) for x in parts))
        if line is not None:
            lines.append(line)
    return RawPage(
        page.number, width, height, tuple(lines), images, tuple(tables), dups + page.duplicates,
        drawings=drawings, stroked=sum(map(FILL_STROKE_MODES.__contains__, map(_MODE, chars))), backgrounds=backgrounds,
        image_ids=tuple(ids[b] for b in images),
    )


def raw_line(group: list[Char], pictures: tuple[Box, ...], settings: LayoutSettings) -> RawLine | None:
    """The characters of one printed line → a :class:`RawLine` (None for a line of spaces)."""
    visible = visible_chars(group)
    if not visible:
        return None
    return _raw_line(group, visible, line_size(visible), pictures, settings)


def line_size(visible: list[Char]) -> float:
    """The size (to 0.1 pt) most of a line's visible characters are set in; of sizes as common,
    the first met."""
    sizes = [c.size for c in visible]
    if sizes.count(sizes[0]) == len(sizes):  # one size throughout, as most lines are: nothing to count
        return round(sizes[0], 1)
    return Counter(round(s, 1) for s in sizes).most_common(1)[0][0]


def _raw_line(group: list[Char], visible: list[Char], size: float, pictures: tuple[Box, ...],
              settings: LayoutSettings) -> RawLine | None:
    """:func:`raw_line`, given the line's visible characters and its size (the caller has them)."""
    bold = count_bold(visible) * 2 > len(visible)
    text, marks, runs, xs = line_text(group, size, settings)
    if not text:
        return None
    last = max(group, key=_X1)
    in_image = any(inside(visible[0], im) and inside(visible[-1], im) for im in pictures)
    least = settings.footnote_mark_ratio * size
    full = [c for c in visible if c.size >= least]
    return RawLine(
        text=text,
        x0=min(map(_X0, visible)),
        top=min(map(_TOP, full)),
        x1=max(map(_X1, visible)),
        bottom=max(map(_BOTTOM, visible)),
        size=size,
        bold=bold,
        marks=marks,
        in_image=in_image,
        font=dominant_family(visible),
        runs=runs,
        xs=array("d", xs),
        trailing_space=not last.text.strip() and last.x0 >= visible[-1].x1 - 1,
        baseline=baseline(full),
    )


_X0, _TOP, _X1, _BOTTOM = attrgetter("x0"), attrgetter("top"), attrgetter("x1"), attrgetter("bottom")
_MODE = attrgetter("mode")


def baseline(chars: list[Char]) -> float:
    """The median baseline of a line's full-size glyphs."""
    ys = sorted(c.baseline for c in chars)
    return ys[len(ys) // 2]
