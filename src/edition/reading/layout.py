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
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, replace

from ..model import FootnoteText, Furniture, ImageSlot, Line, PageBreak, Record, TableGrid
from ..extract.captions import parse_caption
from ..extract.charclass import LEADER_LINE, TERMINAL
from .flow import (Flow, Hang, Measure, Open, Verdict, continues, document_flow, extend, first_line_indent, hang_after,
                   hanging, open_block, page_leading, pitch, wrap_space)
from .raw import Box, RawLine, RawPage
from ..extract.settings import LayoutSettings

# How page numbers are printed; group "n" is the page's own number. Chinese reports also print
# "— 3 —" (official documents; "~ 3 ~", "‧3‧" too), "第 3 页" / "第3頁", "3 / 120", "第 3 页 共
# 120 页", "Page 3", and per chapter "2-5" (government reports: chapter 2, its 5th page; "A-1"
# an appendix's).
_PAGE_NUMBER_FORMS = tuple(
    re.compile(p)
    for p in (
        r"^(?P<n>\d{1,3}|[ivxlcIVXLC]{1,6}|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ])$",
        r"^[-–—－~～‧·•]+\s*(?P<n>\d{1,3}|[ivxlcIVXLC]{1,6}|\d{1,2}\s*-\s*\d{1,3})\s*[-–—－~～‧·•]+$",
        r"^(?P<n>(\d{1,2}|[A-Z])-\d{1,3})$",
        r"^第\s*(?P<n>\d{1,3})\s*[页頁](\s*[，,]?\s*共\s*\d{1,3}\s*[页頁])?$",
        r"^(共\s*\d{1,3}\s*[页頁]\s*[，,]?\s*)第\s*(?P<n>\d{1,3})\s*[页頁]$",
        r"^(?P<n>\d{1,3})\s*/\s*\d{1,3}$",
        r"^(?:Page|PAGE|page|P\.)\s*(?P<n>\d{1,3})(\s*(of|/)\s*\d{1,3})?$",
    )
)
# a footnote body starts with its number (not the first digits of a year: "2023年…" is no note)
_FOOTNOTE_START = re.compile(r"^(\d{1,2})(?!\d)\s*(\S.*)$")


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
            return "".join(m.group("n").split())
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
            and not LEADER_LINE.search(ln.text)  # a contents list set small is no footnote
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
    # the lines left and right of each x counted by bisection first, and the lists made only
    # where the counts pass: a one-column page tries some ninety places. The counts are exact
    # where every line's x0 ≤ x1 (no line is then both left and right of a place, none crosses
    # it that is either, and no NaN unsorts the lists)
    counted = all(ln.x0 <= ln.x1 for ln in text)
    x0s, x1s = sorted(ln.x0 for ln in text), sorted(ln.x1 for ln in text)
    for g in sorted(range(int(width * 0.35), int(width * 0.65) + 1, 2), key=lambda x: abs(x - width / 2)):
        if counted:
            n_left, n_right = bisect_left(x1s, g - 4), len(text) - bisect_right(x0s, g + 4)
            if n_left < 4 or n_right < 4 or len(text) - n_left - n_right > 0.2 * len(text):
                continue
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
    if top < start - 1:
        return 0, top  # above where the right column begins: a title, an abstract, on either side
    if x1 < gutter:
        return 1, top
    if x0 > gutter:
        return 2, top
    return (0 if top < start else 3), top


def drop_repeated_pictures(pages: list[RawPage], furniture: list[Furniture], settings: LayoutSettings) -> list[RawPage]:
    """Pages without the pictures printed again and again — a logo, a seal, a watermark: the
    same picture object at the same place on most pages — which go on record as furniture;
    text printed over them is text again. A seal repeated on 48 pages is furniture, not 48
    figures. (Photographs laid out at the same place on several pages are different pictures.)
    """
    def key(page: RawPage, k: int) -> tuple:
        box = page.images[k]
        ident = page.image_ids[k] if k < len(page.image_ids) else ""
        return (ident, *(int(round(v / 4)) for v in box))  # within a few points

    seen: Counter[tuple] = Counter()
    for p in pages:
        for k in {key(p, i) for i in range(len(p.images))}:
            seen[k] += 1
    need = max(settings.repeated_image_min_pages, settings.running_min_share * len(pages))
    repeated = {k for k, n in seen.items() if n >= need and k[0]}
    if not repeated:
        return pages
    out = []
    for p in pages:
        gone = [i for i in range(len(p.images)) if key(p, i) in repeated]
        if not gone:
            out.append(p)
            continue
        for i in gone:
            furniture.append(Furniture("repeated-picture", "a picture printed at the same place on most pages", p.number,
                                       bbox=tuple(round(v, 1) for v in p.images[i])))  # type: ignore[arg-type]
        keep = [i for i in range(len(p.images)) if i not in gone]
        images = tuple(p.images[i] for i in keep)
        ids = tuple(p.image_ids[i] for i in keep if i < len(p.image_ids))
        kept = list(images) + list(p.drawings)
        lines = tuple(replace(ln, in_image=_raw_in_picture(ln, kept)) if ln.in_image else ln for ln in p.lines)
        out.append(replace(p, images=images, image_ids=ids, lines=lines))
    return out


def read_apart(p: RawPage, body: float, settings: LayoutSettings, margins: tuple[float, float] | None = None) -> RawPage:
    """The page with each printed line that holds things set side by side read as its parts —
    on a two-column page, where a part is a caption ("圖1、…     圖2、…"), or where a part stands
    in the page margin outside the text column (a note beside the text) — and as one line
    elsewhere (a cover's "姓名：      王宇晨")."""
    if not any(ln.pieces for ln in p.lines):
        return p
    split = [piece for ln in p.lines for piece in (ln.pieces or (ln,))]
    two_columns = column_gutter(split, p.width, body, settings) is not None
    out: list[RawLine] = []
    for ln in p.lines:
        in_margin = margins is not None and any(x.x0 >= margins[1] - 1 or x.x1 <= margins[0] + 1 for x in ln.pieces)
        if ln.pieces and (two_columns or in_margin or sum(parse_caption(x.text) is not None for x in ln.pieces) >= 1):
            out.extend(ln.pieces)
        else:
            out.append(ln)
    return replace(p, lines=tuple(out))


def pages_to_records(pages: list[RawPage], settings: LayoutSettings) -> tuple[list[Record], list[Furniture], dict[int, str]]:
    """Raw pages → records in reading order, with furniture and printed page numbers on record."""
    body, left, right = body_metrics(pages, settings)
    flow = document_flow(pages, body, left, right, settings)
    running = running_furniture(pages, settings)
    records: list[Record] = []
    furniture: list[Furniture] = []
    pages = drop_repeated_pictures(pages, furniture, settings)
    printed: dict[int, str] = {}
    carry: Reading = Reading()  # the blocks the previous page left unfinished
    pages = [read_apart(p, body, settings, (left, right)) for p in pages]
    for p in pages:
        records.append(PageBreak(p.number))
        keep = _remove_furniture(p, running, furniture, printed, settings)
        if p.duplicates:
            furniture.append(Furniture("duplicate-char", f"{p.duplicates} duplicate chars removed", p.number))
        for box in p.backgrounds:
            furniture.append(Furniture("background", "a page-size fill or picture under the text", p.number,
                                       bbox=tuple(round(v, 1) for v in box)))  # type: ignore[arg-type]
        keep, notes = split_footnotes(keep, p, body, left, settings)
        gutter = column_gutter([ln for _, ln in keep], p.width, body, settings)
        columns = (0.0, 0.0)
        if gutter is not None:
            sides = [ln for _, ln in keep if ln.x1 < gutter or ln.x0 > gutter]
            right_side = [ln for _, ln in keep if ln.x0 > gutter] or sides
            columns = (min(ln.top for ln in right_side), max(ln.top for ln in sides))
            keep.sort(key=lambda il: reading_key((il[1].x0, il[1].top, il[1].x1, il[1].bottom), gutter, columns))
        boxes = list(p.images) + list(p.drawings)
        text = [(i, ln) for i, ln in keep if not _raw_in_picture(ln, boxes)]
        blocking = boxes + [t.bbox for t in p.tables]
        page_flow = page_leading(flow, [ln for _, ln in text], Measure(left, right), settings)
        lines, carry = _page_lines(text, p, body, left, right, gutter, page_flow, carry, blocking, settings)
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
        items.sort(key=lambda it: (it[0], it[1]))
        records.extend(r for _, _, r in items)
        records.extend(notes)
    return records, furniture, printed


@dataclass(frozen=True)
class Reading:
    """The blocks the line-joiner holds open: the one being read, and an unfinished one that a
    picture, a table or a caption interrupted (it may go on below them, or on the next page)."""

    current: Open | None = None
    interrupted: Open | None = None
    hang: Hang | None = None  # the blocks before ``current`` were entries set with a hanging indent


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
    keep: list[tuple[int, RawLine]], p: RawPage, body: float, left: float, right: float, gutter: float | None,
    flow: Flow, carry: Reading, blocking: list[Box], settings: LayoutSettings,
) -> tuple[list[Line], Reading]:
    """A page's lines → Line records, each marked with its indent, whether it starts a new block
    and, where it goes on with a block an earlier page, column or picture interrupted, so; and
    the blocks the page leaves unfinished.

    Whether a line goes on is :func:`.flow.continues`'s verdict, from the layout alone.
    """
    out: list[Line] = []
    current, interrupted, hang = carry.current, carry.interrupted, carry.hang
    first_at: int | None = None  # index in ``out`` of the current block's first line on this page
    prev_raw: RawLine | None = None
    running = False  # a block of running text (two lines or more) stands on this page already
    for _, ln in keep:
        measure = _measure(ln, keep, left, right, gutter)
        indent, depth = classify_indent(ln, p.width if gutter is None else measure.left + measure.right, measure.left, ln.size, settings)
        small = ln.size <= body - settings.small_print_step or ln.in_image
        gap_before = None if prev_raw is None else round((ln.top - prev_raw.bottom) / max(ln.size, 1.0), 2)
        verdict, continued, joined_to = Verdict(False), False, None
        if current is not None:
            # a picture or table between the two lines, a new column or a new page: the gap
            # says nothing, and the records between part the block (joined again later)
            apart = prev_raw is None or ln.top < prev_raw.top or _between(prev_raw, ln, blocking)
            verdict = continues(current, ln, measure, flow, settings, None if apart else pitch(prev_raw, ln), hang)
            continued, joined_to = verdict.joins and apart, current if verdict.joins else None
        if joined_to is None and interrupted is not None and _may_resume(interrupted, ln, prev_raw, p.number, running, blocking):
            late = continues(interrupted, ln, measure, flow, settings, None)
            if late.joins:
                verdict, continued, joined_to = late, True, interrupted
                interrupted = None
        if joined_to is not None:
            blk = extend(joined_to, ln, measure, p.number)
            if joined_to.lines == 1 and first_at is not None and joined_to is current and indent != "center":
                out[first_at] = replace(out[first_at], indent=_first_indent(blk, out[first_at].indent, settings))
            joiner = wrap_space(joined_to.last, ln, flow, joined_to.last_measure.right)
            if blk.lines > 2 and not continued:
                interrupted = None  # running text on this page: what was interrupted is over
            running = running or (blk.lines > 1 and not continued)
            current = blk
        else:
            if current is not None:
                hang = hang_after(hang, current, settings)
            if current is not None and _unfinished(current, settings):
                interrupted = current  # it may go on below a picture or on the next page
            elif not _near(ln, blocking, settings.caption_max_distance):
                interrupted = None  # the reading has moved on: not a caption by a picture
            current = open_block(ln, measure, p.number)
            first_at = len(out)
            joiner = ""
        new_block = joined_to is None or continued
        out.append(
            Line(
                text=ln.text,
                page=p.number,
                bbox=(round(ln.x0, 1), round(ln.top, 1), round(ln.x1, 1), round(ln.bottom, 1)),
                size=ln.size,
                bold=ln.bold,
                indent=indent if joined_to is None else ("flush" if not continued else indent),
                depth=depth,
                new_block=new_block,
                small=small,
                marks=ln.marks,
                font=ln.font,
                runs=ln.runs,
                centred=indent == "center",
                gap_before=gap_before,
                full=ln.x1 >= measure.right - settings.reach_em * ln.size,
                continued=continued,
                joiner=joiner,
                guess=verdict.guess,
            )
        )
        prev_raw = ln
    return out, Reading(current, interrupted, hang)


def _measure(ln: RawLine, keep: list[tuple[int, RawLine]], left: float, right: float, gutter: float | None) -> Measure:
    """The column ``ln`` stands in: the page's margins, or one side of a two-column page."""
    if gutter is None:
        return Measure(left, right)
    if ln.x1 < gutter:
        return Measure(left, max((x.x1 for _, x in keep if x.x1 < gutter), default=gutter))
    if ln.x0 > gutter:
        return Measure(min((x.x0 for _, x in keep if x.x0 > gutter), default=gutter), right)
    return Measure(left, right)


def _first_indent(blk: Open, indent: str, settings: LayoutSettings) -> str:
    """A block's first line, once its second shows the block's shape: a first-line indent makes
    a paragraph ("para"), a hanging indent a list item ("hang")."""
    if first_line_indent(blk, settings):
        return "para"
    if hanging(blk, settings):
        return "hang"
    return indent


def _unfinished(blk: Open, settings: LayoutSettings) -> bool:
    """A block whose last line runs to the margin without ending its sentence: it goes on
    somewhere (below a picture, in the next column, on the next page)."""
    last = blk.last
    return not last.text.endswith(TERMINAL) and last.x1 >= blk.last_measure.right - settings.reach_em * last.size


def _may_resume(blk: Open, ln: RawLine, prev: RawLine | None, page: int, running: bool, boxes: list[Box]) -> bool:
    """Whether an interrupted block may go on at ``ln``: below a picture or table that stands
    between them on one page; on a later page, at its first line, or at the first line below
    the pictures or tables that open the page (no running text before it)."""
    if blk.page == page:
        return _between(blk.last, ln, boxes)
    if prev is None:
        return True
    return not running and any(box[3] <= ln.top + 2 for box in boxes)


def _near(ln: RawLine, boxes: list[Box], distance: float) -> bool:
    """A line right above or below a picture or table (where its caption or source stands)."""
    return any(box[0] < ln.x1 and box[2] > ln.x0 and (0 <= ln.top - box[3] <= distance or 0 <= box[1] - ln.bottom <= distance)
               for box in boxes)


def _between(a: RawLine, b: RawLine, boxes: list[Box]) -> bool:
    """A picture or table stands between two lines of one column (below ``a``, above ``b``)."""
    x0, x1 = min(a.x0, b.x0), max(a.x1, b.x1)
    return any(box[1] >= a.bottom - 2 and box[3] <= b.top + 2 and box[0] < x1 and box[2] > x0 for box in boxes)


def _raw_in_picture(ln: RawLine, boxes: list[Box]) -> bool:
    """Words printed inside a picture's area: the picture's labels, not reading text."""
    return any(b[0] <= ln.x0 and ln.x1 <= b[2] + 1 and b[1] <= ln.top <= b[3] for b in boxes)
