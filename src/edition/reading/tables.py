"""Tables on a page: ruled ones by pdfplumber's table finder, borderless (three-line) ones from the
rules and the words, and the text of every cell read from the page's characters.

pdfplumber finds a ruled table's grid from the page's edges (``TableFinder``: edges → snapped
and joined → intersections → cells → tables); it is the right tool for that, and it is used for
that alone: it gets the edges of the shapes the PDFium reader found, made exactly as pdfplumber
makes them from pdfminer's lines, rectangles and curves, so no page is parsed a second time. It
is asked only on a page with enough ruling lines (``LayoutSettings.min_table_edges``).
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections import Counter

from ..extract.captions import parse_caption
from ..extract.settings import LayoutSettings
from .chars import chars_to_lines, line_text, visible_chars
from .pdfium import Char, Shape
from .raw import Box, RawTable


def inside(ch: Char, box: Box, pad: float = 1.0) -> bool:
    """The char's centre lies in ``box`` (grown by ``pad``)."""
    cx = (ch.x0 + ch.x1) / 2
    cy = (ch.top + ch.bottom) / 2
    return box[0] - pad <= cx <= box[2] + pad and box[1] - pad <= cy <= box[3] + pad


def free_chars(chars: list[Char], tables: list[RawTable]) -> list[Char]:
    """The characters no table takes: outside every table's box, or inside one but in none of
    its cells (a note printed inside the frame stays text)."""
    if not tables:
        return chars
    taken: set[int] = set()
    for t in tables:
        inbox = [k for k, c in enumerate(chars) if inside(c, t.bbox)]
        if not t.cells:
            taken.update(inbox)
            continue
        index = ByHeight([chars[k] for k in inbox])
        for cell in t.cells:
            taken.update(inbox[j] for j in index.indexes(cell, 1.0))
    return [c for k, c in enumerate(chars) if k not in taken]


def ruling_shapes(shapes: tuple[Shape, ...]) -> list[Shape]:
    """The lines and rectangles of a page: what can rule a table (pdfplumber's lines + rects)."""
    return [s for s in shapes if s.kind != "curve"]


# --- ruled tables: pdfplumber's finder on the reader's edges ---------------------------------


def _plumber_object(s: Shape, height: float) -> dict:
    """A shape as pdfplumber describes a pdfminer object (what its edge functions read)."""
    return {
        "object_type": s.kind, "x0": s.x0, "x1": s.x1, "top": s.top, "bottom": s.bottom, "doctop": s.top,
        "width": s.x1 - s.x0, "height": s.bottom - s.top, "y0": height - s.bottom, "y1": height - s.top,
        "pts": list(s.pts),
    }


_ALIAS = "_edition_pdfplumber"
_ALIAS_LOCK = threading.Lock()


def plumber(module: str):
    """pdfplumber's ``table`` or ``utils`` module, loaded without running the package's
    ``__init__``, which imports pdfminer's whole PDF parser (pdfplumber.pdf, .page, .repair,
    .structure: 40–60 ms at every start-up) for a finder that is only ever handed edges. The
    modules are pdfplumber's own files, loaded as submodules of a private name for the package
    (so their relative imports resolve among themselves); where that fails (pdfplumber laid out
    otherwise) the package is imported as usual."""
    import importlib
    import sys

    try:
        with _ALIAS_LOCK:  # pages read in threads (a cluster's worker) make the alias once
            if _ALIAS not in sys.modules:
                import importlib.machinery
                import importlib.util

                spec = importlib.util.find_spec("pdfplumber")
                package = importlib.util.module_from_spec(importlib.machinery.ModuleSpec(_ALIAS, None, is_package=True))
                package.__path__ = list(spec.submodule_search_locations or ())  # type: ignore[union-attr]
                sys.modules[_ALIAS] = package
                sys.modules[f"{_ALIAS}.utils.pdfinternals"] = _pdfinternals_later()
        return importlib.import_module(f"{_ALIAS}.{module}")
    except Exception:  # noqa: BLE001 — any trouble with the shortcut: the plain import
        return importlib.import_module(f"pdfplumber.{module}")


def _pdfinternals_later():
    """pdfplumber's ``utils.pdfinternals`` (pdfminer's decoding of PDF objects, which ``utils``
    imports and the table finder never calls) as a module whose functions import the real one
    when first called: pdfminer's parser, its package metadata and charset_normalizer cost
    20–25 ms of every build's start-up. A pdfplumber whose ``utils`` wants another name from it
    fails the import, and :func:`plumber` falls back to the plain one."""
    import importlib
    import types

    later = types.ModuleType(f"{_ALIAS}.utils.pdfinternals")

    def deferred(name: str):
        def call(*args, **kwargs):
            return getattr(importlib.import_module("pdfplumber.utils.pdfinternals"), name)(*args, **kwargs)

        call.__name__ = name
        return call

    for name in ("decode_psl_list", "decode_text", "resolve", "resolve_all", "resolve_and_decode"):
        setattr(later, name, deferred(name))
    return later


class _Edges:
    """What pdfplumber's ``TableFinder`` asks of a page under the "lines" strategies: its edges
    (lines, rectangle sides and curve segments, as ``Page.edges`` makes them) and its box."""

    def __init__(self, shapes: tuple[Shape, ...], width: float, height: float) -> None:
        utils = plumber("utils")
        objects = [_plumber_object(s, height) for s in shapes]
        lines = [utils.line_to_edge(o) for o in objects if o["object_type"] == "line"]
        rects = [e for o in objects if o["object_type"] == "rect" for e in utils.rect_to_edges(o)]
        curves = [e for o in objects if o["object_type"] == "curve" for e in utils.curve_to_edges(o)]
        self.edges = lines + rects + curves
        self.bbox = (0.0, 0.0, width, height)


def ruled_tables(shapes: tuple[Shape, ...], chars: list[Char], width: float, height: float,
                 settings: LayoutSettings) -> list[RawTable]:
    """The ruled tables of a page (pdfplumber's "lines" strategy), each cell's text read from the
    page's characters. One column of ruled boxes is a page's layout grid (a framed note, a form's
    boxes of text), not a data table: its text stays text."""
    out = []
    for t in plumber("table").TableFinder(_Edges(shapes, width, height)).tables:  # type: ignore[arg-type]
        bbox = t.bbox  # pdfplumber works it out from all the cells each time it is asked
        mine = ByHeight([c for c in chars if inside(c, bbox)])  # each cell then looks through its table's chars only
        rows = tuple(tuple(None if box is None else _cell_text(mine.within(box, 0), box, settings) for box in row.cells) for row in t.rows)
        if rows and max(len(r) for r in rows) >= 2:
            out.append(RawTable(tuple(bbox), rows, cells=tuple(tuple(c) for c in t.cells)))  # type: ignore[arg-type]
    return out


class ByHeight:
    """Characters ordered by the height of their centres, so that a box looks through the
    characters at its own height only (a table of 300 cells would otherwise look through all
    its characters 300 times). :meth:`indexes` finds what :func:`inside` finds, in the order given."""

    def __init__(self, chars: list[Char]) -> None:
        self.chars = chars
        # a centre that is not a number (NaN) is inside no box, and would unsort the list
        keyed = sorted((y, k) for k, c in enumerate(chars) if (y := (c.top + c.bottom) / 2) == y)
        self.ys = [y for y, _ in keyed]
        self.order = [k for _, k in keyed]

    def indexes(self, box: Box, pad: float) -> list[int]:
        """Where the characters ``inside(c, box, pad)`` are in the list given, in its order."""
        chars = self.chars
        band = self.order[bisect_left(self.ys, box[1] - pad):bisect_right(self.ys, box[3] + pad)]
        return [k for k in sorted(band) if inside(chars[k], box, pad)]

    def within(self, box: Box, pad: float) -> list[Char]:
        """The characters ``inside(c, box, pad)``, in the order given."""
        return [self.chars[k] for k in self.indexes(box, pad)]


# --- borderless (three-line) tables -----------------------------------------------------------


def horizontal_rules(shapes: list[Shape], settings: LayoutSettings) -> list[Box]:
    """Thin horizontal lines and rects, touching segments at one height merged into one rule.

    Word draws one table rule as several abutting rects (one per column), so a rule is the
    union of segments at the same height that touch.
    """
    segs: list[Box] = []
    for obj in shapes:
        h = obj.bottom - obj.top
        if h <= settings.rule_max_thickness and obj.x1 - obj.x0 > 2 * settings.rule_max_thickness:
            segs.append((obj.x0, obj.top, obj.x1, obj.bottom))
    segs.sort(key=lambda b: (round(b[1]), b[0]))
    rules: list[list[float]] = []
    for x0, top, x1, bottom in segs:
        last = rules[-1] if rules else None
        if last is not None and abs(last[1] - top) <= 1.0 and x0 <= last[2] + 1.0:
            last[2] = max(last[2], x1)
            last[3] = max(last[3], bottom)
        else:
            rules.append([x0, top, x1, bottom])
    return [tuple(r) for r in rules]  # type: ignore[misc]


def has_vertical_rules(shapes: list[Shape], box: Box, settings: LayoutSettings) -> bool:
    """Whether a vertical line or thin rect stands inside ``box`` (then it is no three-line table)."""
    for obj in shapes:
        w = obj.x1 - obj.x0
        h = obj.bottom - obj.top
        if w <= settings.rule_max_thickness and h > 2 * settings.rule_max_thickness:
            if box[0] <= obj.x0 <= box[2] and obj.top < box[3] and obj.bottom > box[1]:
                return True
    return False


def three_line_tables(shapes: list[Shape], height: float, chars: list[Char], taken: list[Box],
                      settings: LayoutSettings) -> list[RawTable]:
    """Borderless tables: runs of ≥ 3 horizontal rules of the same width with text between them,
    no vertical rules, read column by column from where the words line up.

    Academic and Mainland-style reports print tables with a top rule, a rule under the header
    and a bottom rule only; pdfplumber's lines strategy needs vertical edges and finds nothing.
    Rules in the page's edge bands are page decoration (a line under the running header).
    ``shapes``: the page's lines and rectangles.
    """
    band = settings.edge_band * height
    rules = [r for r in horizontal_rules(shapes, settings)
             if band < r[1] < height - band and not any(t[1] - 2 <= r[1] <= t[3] + 2 for t in taken)]
    out: list[RawTable] = []
    i = 0
    while i < len(rules):
        group = [rules[i]]
        j = i + 1
        while j < len(rules) and abs(rules[j][0] - group[0][0]) < 6 and abs(rules[j][2] - group[0][2]) < 6:
            group.append(rules[j])
            j += 1
        for group in _split_at_captions(group, chars):
            if len(group) < settings.three_line_min_rules:
                continue
            box = (group[0][0], group[0][1], group[0][2], group[-1][3])
            within = [c for c in chars if inside(c, box, 0) and c.text.strip()]
            # a table's rules span the table: text level with it but beside the rules (a form's
            # label left of the line its value is written on) says these are underlines
            beside = any(box[1] < (c.top + c.bottom) / 2 < box[3] and not inside(c, box, 2) and c.text.strip() for c in chars)
            if within and not beside and not has_vertical_rules(shapes, box, settings):
                rows = text_grid([c for c in chars if inside(c, box, 0)], settings)
                if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
                    out.append(RawTable(box, rows, ruled=False))
        i = j
    return out


def _split_at_captions(rules: list[Box], chars: list[Char]) -> list[list[Box]]:
    """Rules of the same width stacked down a page → one group per table: two tables in a row
    are parted by the caption printed between them."""
    groups: list[list[Box]] = [[rules[0]]]
    for a, b in zip(rules, rules[1:]):
        between = sorted((c for c in chars if a[3] < (c.top + c.bottom) / 2 < b[1] and c.text.strip()),
                         key=lambda c: (round(c.top), c.x0))
        lines = chars_to_lines(between) if between else []
        if any(parse_caption("".join(c.text for c in ln)) for ln in lines):
            groups.append([])
        groups[-1].append(b)
    return groups


def text_grid(chars: list[Char], settings: LayoutSettings) -> tuple[tuple[str | None, ...], ...]:
    """The cells of a borderless table, from its characters alone: every printed line is a row,
    a gap of an em or more parts two cells, and each cell goes to the column it lies under (the
    columns of the row with the most cells). Every character lands in some cell — nothing is
    dropped, as a column finder that needs words to line up would drop a header or a note.
    """
    lines = []
    for group in chars_to_lines(chars, settings):
        visible = visible_chars(group)
        if not visible:
            continue
        size = Counter(round(c.size, 1) for c in visible).most_common(1)[0][0]
        cells: list[list[Char]] = [[]]
        prev = None
        for ch in visible:
            if prev is not None and ch.x0 - prev.x1 > settings.cell_gap_em * size:
                cells.append([])
            cells[-1].append(ch)
            prev = ch
        lines.append([(c[0].x0, c[-1].x1, line_text(c, size, settings)[0]) for c in cells])
    if not lines:
        return ()
    columns = max(lines, key=len)
    grid: list[tuple[str | None, ...]] = []
    for line in lines:
        row: list[list[str]] = [[] for _ in columns]
        for x0, x1, text in line:
            k = max(range(len(columns)), key=lambda j: (min(x1, columns[j][1]) - max(x0, columns[j][0]), -abs(x0 - columns[j][0])))
            row[k].append(text)
        grid.append(tuple(" ".join(parts) for parts in row))
    return tuple(grid)


def cell_text(chars: list[Char], box: Box, settings: LayoutSettings) -> str:
    """The text of a table cell, read from the page's characters as body text is: word spaces
    from glyph gaps, and the cell's wrapped lines joined as a paragraph's are (no space between
    Han characters, one between Latin words where the PDF shows a word break there)."""
    return _cell_text([c for c in chars if inside(c, box, 0)], box, settings)


def _cell_text(within: list[Char], box: Box, settings: LayoutSettings) -> str:
    """:func:`cell_text` of the characters inside the cell."""
    from .flow import FLOW_UNKNOWN, wrap_space
    from .pages import raw_line

    lines = [x for x in (raw_line(g, (), settings) for g in chars_to_lines(within, settings)) if x is not None]
    out = ""
    # the width the cell's text wraps at: its widest line (its padding is unknown)
    right = max((x.x1 for x in lines), default=box[2])
    for prev, ln in zip([None, *lines], lines):
        out += (wrap_space(prev, ln, FLOW_UNKNOWN, right) if prev is not None else "") + ln.text
    return out

