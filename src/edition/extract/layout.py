"""Pages of printed lines → source records: the document-wide layout decisions.

Runs in the parent on what the page workers of :mod:`.pdf` returned. Here, with every page in
view, the body type and margins are measured, page furniture (page numbers, running headers
and footers, even where their words change from chapter to chapter) is taken out and kept on
record, footnote areas are cut off, two-column pages are put in reading order, and each line
is marked with where it starts (indent) and whether it starts a new block. Every number used
is a named :class:`~.settings.LayoutSettings` field.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import replace

from ..model import FootnoteText, Furniture, ImageSlot, Line, PageBreak, Record, TableGrid
from .captions import parse_caption
from .numbering import parse_marker
from .pdf import Box, RawLine, RawPage
from .settings import LayoutSettings

# How page numbers are printed; group "n" is the page's own number. Chinese reports also print
# "— 3 —" (official documents), "第 3 页" / "第3頁", "3 / 120", "第 3 页 共 120 页" and "Page 3".
_PAGE_NUMBER_FORMS = tuple(
    re.compile(p)
    for p in (
        r"^(?P<n>\d{1,3}|[ivxlcIVXLC]{1,6}|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ])$",
        r"^[-–—－]+\s*(?P<n>\d{1,3}|[ivxlcIVXLC]{1,6})\s*[-–—－]+$",
        r"^第\s*(?P<n>\d{1,3})\s*[页頁](\s*[，,]?\s*共\s*\d{1,3}\s*[页頁])?$",
        r"^(共\s*\d{1,3}\s*[页頁]\s*[，,]?\s*)第\s*(?P<n>\d{1,3})\s*[页頁]$",
        r"^(?P<n>\d{1,3})\s*/\s*\d{1,3}$",
        r"^(?:Page|PAGE|page|P\.)\s*(?P<n>\d{1,3})(\s*(of|/)\s*\d{1,3})?$",
    )
)
# a footnote body starts with its number (not the first digits of a year: "2023年…" is no note)
_FOOTNOTE_START = re.compile(r"^(\d{1,2})(?!\d)\s*(\S.*)$")
TERMINAL = tuple("。！？：；!?:;」』")
# a contents-list line: title, dot leaders, page number — each one is its own entry
_LEADER_LINE = re.compile(r"[.．…‧·]{4,}\s*\d{1,3}$")


def body_metrics(pages: list[RawPage], settings: LayoutSettings) -> tuple[float, float, float]:
    """Body font size, left margin and right margin, from the lines set in the body size."""
    sizes = Counter(ln.size for p in pages for ln in p.lines for _ in range(max(1, len(ln.text))))
    body = sizes.most_common(1)[0][0] if sizes else 12.0
    body_lines = [ln for p in pages for ln in p.lines if abs(ln.size - body) < settings.body_size_tolerance]
    if not body_lines:
        return body, 72.0, (pages[0].width - 72.0) if pages else 523.0
    left = left_margin(body_lines, settings)
    right = statistics.median(sorted(ln.x1 for ln in body_lines)[-max(1, len(body_lines) // 3) :])
    return body, float(left), float(right)


def left_margin(body_lines: list[RawLine], settings: LayoutSettings) -> float:
    """Where body lines start when not indented: the leftmost start shared by many of them.

    Not simply the commonest start: in a text of short paragraphs (a regulation's articles,
    one- and two-line paragraphs) more lines begin at the first-line indent than at the margin,
    and the margin taken there would make every indented line look flush.
    """
    starts = Counter(round(ln.x0) for ln in body_lines if not ln.in_image)
    if not starts:
        return float(round(body_lines[0].x0))
    enough = max(2, settings.margin_min_share * sum(starts.values()))
    common = [x for x, n in starts.items() if n >= enough]
    return float(min(common) if common else starts.most_common(1)[0][0])


def printed_page_number(text: str) -> str | None:
    """The page number a line prints ("12", "— 12 —", "第 12 页", "Page 12" → "12"), or None."""
    s = text.strip()
    for form in _PAGE_NUMBER_FORMS:
        m = form.match(s)
        if m:
            return m.group("n")
    return None


def repeats_enough(count: int, pages: int, settings: LayoutSettings) -> bool:
    """Whether a line seen at the same page edge ``count`` times in ``pages`` pages is running.

    A long document: on at least 3 pages and 30 % of them (chapters change the header). A short
    one (2–3 pages) cannot reach 3, so there it must be on every page, or every page but one
    (the first page of a report often has no header).
    """
    if count >= settings.running_min_pages and count >= settings.running_min_share * pages:
        return True
    return count >= 2 and count >= pages - 1


def _at_edge(ln: RawLine, p: RawPage, settings: LayoutSettings) -> bool:
    return ln.top < p.height * settings.edge_band or ln.bottom > p.height * (1 - settings.edge_band)


def running_furniture(pages: list[RawPage], settings: LayoutSettings) -> set[tuple[int, int]]:
    """(page, line index) of running headers/footers.

    First the lines with the same text (digits aside) at the top or foot of many pages; then,
    at the height and in the size where such a line stands, every other first or last line of a
    page: a thesis prints the school's name on even pages and the chapter's name on odd ones,
    and the chapter name changes every few pages. Page numbers are handled separately.
    """
    seen: Counter[str] = Counter()
    where: dict[str, list[tuple[int, int]]] = {}
    for p in pages:
        if not p.lines:
            continue
        for idx in {0, len(p.lines) - 1}:
            ln = p.lines[idx]
            if not _at_edge(ln, p, settings) or printed_page_number(ln.text):
                continue
            key = re.sub(r"\d+", "#", ln.text)
            seen[key] += 1
            where.setdefault(key, []).append((p.number, idx))
    hits: set[tuple[int, int]] = set()
    for key, n in seen.items():
        if repeats_enough(n, len(pages), settings):
            hits.update(where[key])
    # a header that carries the chapter's name: the top line of a page, set smaller than the
    # heading it repeats (第一章 緒論 in 8 pt over pages whose chapter opened with it in 16 pt)
    largest: dict[str, float] = {}
    for p in pages:
        for ln in p.lines:
            key = re.sub(r"\s+", "", ln.text)
            largest[key] = max(largest.get(key, 0.0), ln.size)
    for p in pages:
        if len(p.lines) > 1 and p.lines[0].top < p.height * settings.edge_band:
            ln = p.lines[0]
            if largest[re.sub(r"\s+", "", ln.text)] >= ln.size + settings.heading_size_step:
                hits.add((p.number, 0))
    bands = {(round(_line(pages, pg, i).top), _line(pages, pg, i).size) for pg, i in hits}
    tol = settings.running_band_tolerance
    for p in pages:
        for idx in {0, len(p.lines) - 1} if p.lines else ():
            ln = p.lines[idx]
            if (p.number, idx) in hits or not _at_edge(ln, p, settings) or printed_page_number(ln.text):
                continue
            if any(abs(ln.top - top) <= tol and abs(ln.size - size) < settings.body_size_tolerance for top, size in bands):
                hits.add((p.number, idx))
    return hits


def _line(pages: list[RawPage], number: int, idx: int) -> RawLine:
    return next(p for p in pages if p.number == number).lines[idx]


def classify_indent(ln: RawLine, width: float, left: float, size: float, settings: LayoutSettings) -> tuple[str, int]:
    """Where a line starts: flush, hang (list item), para (first-line indent) or center."""
    offset = ln.x0 - left
    centre = (ln.x0 + ln.x1) / 2
    if abs(centre - width / 2) < settings.centre_tolerance * width and offset > settings.centre_min_offset_em * size:
        return "center", 0
    if offset < settings.flush_em * size:
        return "flush", 0
    if offset < settings.hang_em * size:
        return "hang", 0
    if offset < settings.para_em * size:
        return "para", 0
    return "hang", int(round(offset / size)) - 1


def heading_typed(ln: RawLine, body: float, settings: LayoutSettings) -> bool:
    """Bold, or clearly larger than the body: the type a heading is set in."""
    return ln.bold or ln.size >= body + settings.heading_size_step


def wrapped_heading_line(ln: RawLine, block_x0: float, body: float, settings: LayoutSettings) -> bool:
    """A heading-type line that continues the heading above: at the heading's own indent, or
    hanging under its title (past the marker "三、" / "（二）"), and not itself numbered — a
    numbered line there is the next, deeper heading."""
    hangs = -2 < ln.x0 - block_x0 < settings.heading_wrap_em * ln.size
    return heading_typed(ln, body, settings) and hangs and parse_marker(ln.text) is None


def footnote_start(ln: RawLine) -> tuple[str, str] | None:
    """(mark, text) when a line begins a footnote body, else None.

    The number is printed either raised (then :func:`chars.line_text` has already taken it out
    as a mark at offset 0) or in the line's own size, with or without a space after it.
    """
    if ln.marks and ln.marks[0][0] == 0:
        return ln.marks[0][1], ln.text.strip()
    m = _FOOTNOTE_START.match(ln.text)
    return (m.group(1), m.group(2).strip()) if m else None


def split_footnotes(
    keep: list[tuple[int, RawLine]], p: RawPage, body: float, left: float, settings: LayoutSettings
) -> tuple[list[tuple[int, RawLine]], list[FootnoteText]]:
    """A page's lines → (the lines above its footnotes, the footnote bodies).

    Footnotes are the run of small lines at the foot of the page, below every body line, the
    first of them starting with a mark; a line that starts at the left margin with a mark
    starts the next note, any other continues the note before it.
    """
    foot_start = None
    for k in range(len(keep) - 1, -1, -1):
        ln = keep[k][1]
        if (
            ln.size <= body - settings.footnote_size_step
            and not ln.in_image
            and ln.top > p.height * settings.footnote_min_top
            and classify_indent(ln, p.width, left, body, settings)[0] != "center"
            and not _LEADER_LINE.search(ln.text)  # a contents list set small is no footnote
        ):
            if footnote_start(ln):
                foot_start = k
            continue
        break
    if foot_start is None:
        return keep, []
    notes: list[FootnoteText] = []
    for _, ln in keep[foot_start:]:
        start = footnote_start(ln)
        bbox = (ln.x0, ln.top, ln.x1, ln.bottom)
        if start and (not notes or ln.x0 <= left + 2):
            notes.append(FootnoteText(start[0], start[1], p.number, bbox))
        elif notes:
            notes[-1] = replace(notes[-1], text=notes[-1].text + ln.text)
    return keep[:foot_start], notes


def column_gutter(lines: list[RawLine], width: float, body: float, settings: LayoutSettings) -> float | None:
    """The x of the gutter of a two-column page, or None for a one-column page.

    A gutter is a vertical strip near the middle of the page that no body line crosses, with
    at least five body lines on each side standing level with each other. Lines that cross it
    (a title over both columns, a wide table) keep their place above or below the columns.
    """
    text = [ln for ln in lines if abs(ln.size - body) < settings.body_size_tolerance and not ln.in_image]
    if len(text) < 8:
        return None
    for g in sorted(range(int(width * 0.35), int(width * 0.65) + 1, 2), key=lambda x: abs(x - width / 2)):
        left = [ln for ln in text if ln.x1 < g - 4]
        right = [ln for ln in text if ln.x0 > g + 4]
        crossing = [ln for ln in text if ln.x0 <= g + 4 and ln.x1 >= g - 4]
        if len(left) < 4 or len(right) < 4 or len(crossing) > 0.2 * len(text):
            continue
        lo = max(min(ln.top for ln in left), min(ln.top for ln in right))
        hi = min(max(ln.top for ln in left), max(ln.top for ln in right))
        if hi - lo > 0.5 * (max(ln.top for ln in text) - min(ln.top for ln in text)):
            return float(g)
    return None


def reading_key(box: Box, gutter: float | None, columns: tuple[float, float]) -> tuple[int, float]:
    """Sort key putting a page's things in reading order: by height on a one-column page; on a
    two-column page what stands above the columns, the left column, the right one, then what
    stands below."""
    x0, top, x1, _ = box
    if gutter is None:
        return 0, top
    start, end = columns
    if x1 < gutter:
        return 1, top
    if x0 > gutter:
        return 2, top
    return (0 if top < start else 3), top


def line_gap(pages: list[RawPage], body: float, settings: LayoutSettings) -> float:
    """The white space between two lines of one paragraph, in the body size, measured: the
    median gap between consecutive body lines that are less than two lines apart."""
    gaps = sorted(
        b.top - a.bottom
        for p in pages
        for a, b in zip(p.lines, p.lines[1:])
        if abs(a.size - body) < settings.body_size_tolerance and abs(b.size - body) < settings.body_size_tolerance
        and 0 <= b.top - a.bottom < 2 * body
    )
    return gaps[len(gaps) // 2] if gaps else settings.close_gap_em * body


def read_apart(p: RawPage, body: float, settings: LayoutSettings) -> RawPage:
    """The page with each printed line that holds things set side by side read as its parts —
    on a two-column page, or where a part is a caption ("圖1、…     圖2、…") — and as one
    line elsewhere (a cover's "姓名：      王宇晨")."""
    if not any(ln.pieces for ln in p.lines):
        return p
    split = [piece for ln in p.lines for piece in (ln.pieces or (ln,))]
    two_columns = column_gutter(split, p.width, body, settings) is not None
    out: list[RawLine] = []
    for ln in p.lines:
        if ln.pieces and (two_columns or sum(parse_caption(x.text) is not None for x in ln.pieces) >= 1):
            out.extend(ln.pieces)
        else:
            out.append(ln)
    return replace(p, lines=tuple(out))


def pages_to_records(pages: list[RawPage], settings: LayoutSettings) -> tuple[list[Record], list[Furniture], dict[int, str]]:
    """Raw pages → records in reading order, with furniture and printed page numbers on record."""
    body, left, right = body_metrics(pages, settings)
    leading = line_gap(pages, body, settings)
    running = running_furniture(pages, settings)
    records: list[Record] = []
    furniture: list[Furniture] = []
    printed: dict[int, str] = {}
    carry_hang = False  # the previous page ended inside a list item that runs on
    pages = [read_apart(p, body, settings) for p in pages]
    for p in pages:
        records.append(PageBreak(p.number))
        keep = _remove_furniture(p, running, furniture, printed, settings)
        if p.duplicates:
            furniture.append(Furniture("duplicate-char", f"{p.duplicates} duplicate chars removed", p.number))
        keep, notes = split_footnotes(keep, p, body, left, settings)
        gutter = column_gutter([ln for _, ln in keep], p.width, body, settings)
        columns = (0.0, 0.0)
        if gutter is not None:
            sides = [ln for _, ln in keep if ln.x1 < gutter or ln.x0 > gutter]
            columns = (min(ln.top for ln in sides), max(ln.top for ln in sides))
            keep.sort(key=lambda il: reading_key((il[1].x0, il[1].top, il[1].x1, il[1].bottom), gutter, columns))
        lines, carry_hang = _page_lines(keep, p, body, left, right, carry_hang, gutter, leading, settings)
        items: list[tuple[tuple[int, float], int, Record]] = [
            (reading_key(ln.bbox, gutter, columns), 0, ln) for ln in lines  # type: ignore[arg-type]
        ]
        pictures = [(b, "image") for b in p.images] + [(b, "drawing") for b in p.drawings]
        for box, kind in pictures:
            labels = tuple(ln.text for _, ln in keep if ln.in_image and box[0] <= ln.x0 and ln.x1 <= box[2] + 1 and box[1] <= ln.top <= box[3])
            slot = ImageSlot(page=p.number, bbox=tuple(round(v, 1) for v in box), text=labels, kind=kind)  # type: ignore[arg-type]
            items.append((reading_key(box, gutter, columns), 1, slot))
        for t in p.tables:
            grid = TableGrid(rows=t.rows, page=p.number, bbox=tuple(round(v, 1) for v in t.bbox), ruled=t.ruled)  # type: ignore[arg-type]
            items.append((reading_key(t.bbox, gutter, columns), 1, grid))
        # lines inside a picture were handed to the ImageSlot as its labels
        boxes = list(p.images) + list(p.drawings)
        items = [it for it in items if not (isinstance(it[2], Line) and _in_picture(it[2], boxes))]
        items.sort(key=lambda it: (it[0], it[1]))
        records.extend(r for _, _, r in items)
        records.extend(notes)
    return records, furniture, printed


def _remove_furniture(
    p: RawPage, running: set[tuple[int, int]], furniture: list[Furniture], printed: dict[int, str], settings: LayoutSettings
) -> list[tuple[int, RawLine]]:
    """A page's lines without its running headers/footers and page number (kept on record)."""
    keep: list[tuple[int, RawLine]] = []
    lines = p.lines
    for i, ln in enumerate(lines):
        bbox = (ln.x0, ln.top, ln.x1, ln.bottom)
        if (p.number, i) in running:
            furniture.append(Furniture("running-header" if ln.top < p.height / 2 else "running-footer", ln.text, p.number, bbox=bbox))
            continue
        at_edge = (i == len(lines) - 1 and ln.top > p.height * (1 - settings.page_number_band)) or (
            i == 0 and ln.bottom < p.height * settings.edge_band
        )
        number = printed_page_number(ln.text) if at_edge else None
        if number is not None:
            furniture.append(Furniture("page-number", ln.text, p.number, bbox=bbox))
            printed[p.number] = number
            continue
        keep.append((i, ln))
    return keep


def _page_lines(
    keep: list[tuple[int, RawLine]], p: RawPage, body: float, left: float, right: float, carry_hang: bool,
    gutter: float | None, leading: float, settings: LayoutSettings,
) -> tuple[list[Line], bool]:
    """A page's kept lines → Line records, each marked with its indent and whether it starts a
    new block; and whether the page ends inside a list item that runs on."""
    out: list[Line] = []
    prev_raw: RawLine | None = None
    block_start_indent = "para"
    block_x0 = 0.0
    for _, ln in keep:
        col_left = left if gutter is None or ln.x1 < gutter else min(x.x0 for _, x in keep if x.x0 > gutter)
        col_right = right if gutter is None or ln.x0 > gutter else max(x.x1 for _, x in keep if x.x1 < gutter)
        indent, depth = classify_indent(ln, p.width if gutter is None else 2 * ((col_left + col_right) / 2), col_left, ln.size, settings)
        small = ln.size <= body - settings.small_print_step or ln.in_image
        new_block = True
        gap_before = None
        if prev_raw is not None:
            gap_before = round((ln.top - prev_raw.bottom) / max(ln.size, 1.0), 2)
            same_style = (
                abs(prev_raw.size - ln.size) < settings.body_size_tolerance
                and prev_raw.bold == ln.bold
                and (prev_raw.font == ln.font or not prev_raw.font or not ln.font)
            )
            reached = prev_raw.x1 >= col_right - settings.reach_em * ln.size
            # measured on the report: 1.15 × size between the lines of a paragraph, ≥ 1.6 × size
            # before a new one; a document set tighter (0.3 × size within, 0.85 between) is held
            # to its own line spacing
            limit = min(settings.close_gap_em * ln.size, leading + settings.gap_margin_em * ln.size)
            close = ln.top - prev_raw.bottom < limit
            cont_indent = (
                indent in ("flush", "center")
                or (indent == "para" and block_start_indent == "hang")
                # a text block indented as a whole (a regulation's clauses under "(一)"): its
                # lines start where the line above started
                or (indent == "para" and abs(ln.x0 - prev_raw.x0) < 2 and not prev_raw.text.endswith(TERMINAL))
                or wrapped_heading_line(ln, block_x0, body, settings)
            )
            # a sentence end at the margin followed by an indented line starts a new block —
            # except inside a list item, whose continuation lines sit at that indent
            item_cont = block_start_indent == "hang" and indent == "para"
            ended = (prev_raw.text.endswith(TERMINAL) and indent in ("para", "hang", "center") and not item_cont) or bool(
                _LEADER_LINE.search(prev_raw.text)
            )
            # a heading wraps where a Latin word would not fit, short of the margin
            heading_wrap = wrapped_heading_line(ln, block_x0, body, settings) and prev_raw.x1 >= col_left + 0.6 * (col_right - col_left)
            if same_style and (reached or heading_wrap) and close and cont_indent and not ended:
                new_block = False
        if new_block:
            block_start_indent = indent
            block_x0 = ln.x0
            if prev_raw is None and carry_hang and indent == "para":
                # a list item running over from the previous page: its lines here sit at
                # the item's continuation indent, not at a paragraph's first-line indent
                block_start_indent = "hang"
        out.append(
            Line(
                text=ln.text,
                page=p.number,
                bbox=(round(ln.x0, 1), round(ln.top, 1), round(ln.x1, 1), round(ln.bottom, 1)),
                size=ln.size,
                bold=ln.bold,
                indent=indent if new_block else "flush",
                depth=depth,
                new_block=new_block,
                small=small,
                marks=ln.marks,
                font=ln.font,
                runs=ln.runs,
                centred=indent == "center",
                gap_before=gap_before,
                full=ln.x1 >= col_right - settings.reach_em * ln.size,
            )
        )
        prev_raw = ln
    carry = (
        prev_raw is not None
        and block_start_indent == "hang"
        and prev_raw.x1 >= right - settings.reach_em * prev_raw.size
        and not prev_raw.text.endswith(TERMINAL)
    )
    return out, carry


def _in_picture(line: Line, boxes: list[Box]) -> bool:
    if line.bbox is None:
        return False
    x0, top, x1, _ = line.bbox
    return any(b[0] <= x0 and x1 <= b[2] + 1 and b[1] <= top <= b[3] for b in boxes)
