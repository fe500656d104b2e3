"""PDF → source records, with pdfplumber.

Each page is parsed once: its chars, images and ruling lines are read, ruled tables are cut out
with pdfplumber's table finder, and the remaining chars are grouped into lines here (cheaper than
``extract_text`` and it keeps size, weight and position). Pages are read in parallel worker
processes; the document-wide decisions (margins, body size, running headers, footnote areas,
where a block starts) are made afterwards in the parent on the lines the workers return.
"""

from __future__ import annotations

import hashlib
import os
import re
import statistics
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import SourceError
from ..model import FootnoteText, Furniture, ImageSlot, Line, PageBreak, Record, SourceDoc, TableGrid
from .blocks import heading_type
from .numbering import parse_marker

_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
_LATIN = re.compile(r"[A-Za-z0-9]")
# How page numbers are printed; group "n" is the page's own number. Chinese reports also print
# "— 3 —" (official documents), "第 3 页" / "第3頁", and "3 / 120" or "第 3 页 共 120 页".
_PAGE_NUMBER_FORMS = tuple(
    re.compile(p)
    for p in (
        r"^(?P<n>\d{1,3}|[ivxlcIVXLC]{1,6})$",
        r"^[-–—－]+\s*(?P<n>\d{1,3})\s*[-–—－]+$",
        r"^第\s*(?P<n>\d{1,3})\s*[页頁](\s*[，,]?\s*共\s*\d{1,3}\s*[页頁])?$",
        r"^(共\s*\d{1,3}\s*[页頁]\s*[，,]?\s*)第\s*(?P<n>\d{1,3})\s*[页頁]$",
        r"^(?P<n>\d{1,3})\s*/\s*\d{1,3}$",
    )
)
# a footnote body starts with its number (not the first digits of a year: "2023年…" is no note)
_FOOTNOTE_START = re.compile(r"^(\d{1,2})(?!\d)\s*(\S.*)$")
_TERMINAL = tuple("。！？：；!?:;」』")
# a contents-list line: title, dot leaders, page number — each one is its own entry
_LEADER_LINE = re.compile(r"[.．…‧·]{4,}\s*\d{1,3}$")


@dataclass(frozen=True)
class RawLine:
    """A line as a worker sees it, before document-wide classification."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool
    marks: tuple[tuple[int, str], ...] = ()
    in_image: bool = False


@dataclass(frozen=True)
class RawPage:
    """What a worker returns for one page."""

    number: int
    width: float
    height: float
    lines: tuple[RawLine, ...]
    images: tuple[tuple[float, float, float, float], ...]
    tables: tuple[tuple[tuple[float, float, float, float], tuple[tuple[str | None, ...], ...]], ...]
    duplicates: int = 0


# --- per page (runs in workers) ------------------------------------------------------------


DUPLICATE_TOLERANCE = 1.0  # points; pdfplumber's Page.dedupe_chars uses the same default


def dedupe_chars(chars: list[dict]) -> tuple[list[dict], int]:
    """Drop chars drawn twice at (nearly) the same place; count them.

    Word processors fake a bold face the font lacks by drawing the text again on top of itself,
    often shifted by a fraction of a point, so "the same place" is within a tolerance, not equal
    rounded coordinates (72.4 and 72.6 round apart). A kept char that had a twin is flagged
    ``overprinted``: the line was set bold (see :func:`is_bold`) — unless most of the page is
    doubled, which is a duplicated text layer, not emphasis. pdfplumber has
    ``Page.dedupe_chars`` for this; doing it on the char list we already hold avoids a second
    pass over the page.
    """
    kept: dict[tuple[str, int, int], list[int]] = {}  # (text, x cell, top cell) -> indexes into out
    out: list[dict] = []
    for ch in chars:
        twin = _twin(ch, out, kept)
        if twin is not None:
            if ch["text"].strip():
                out[twin] = dict(out[twin], overprinted=True)
            continue
        kept.setdefault(_cell(ch), []).append(len(out))
        out.append(ch)
    dups = len(chars) - len(out)
    if 2 * dups > len(out):
        out = [{k: v for k, v in ch.items() if k != "overprinted"} for ch in out]
    return out, dups


def _cell(ch: dict, dx: int = 0, dy: int = 0) -> tuple[str, int, int]:
    """A char's bucket on a grid of DUPLICATE_TOLERANCE squares (or a neighbouring one's)."""
    tol = DUPLICATE_TOLERANCE
    return ch["text"], int(ch["x0"] // tol) + dx, int(ch["top"] // tol) + dy


def _twin(ch: dict, out: list[dict], kept: dict[tuple[str, int, int], list[int]]) -> int | None:
    """Index in ``out`` of a kept char with the same text within the tolerance of ``ch``, if any.

    A twin within the tolerance lies in the char's own grid square or a neighbouring one.
    """
    tol = DUPLICATE_TOLERANCE
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            for i in kept.get(_cell(ch, dx, dy), ()):
                if abs(out[i]["x0"] - ch["x0"]) <= tol and abs(out[i]["top"] - ch["top"]) <= tol:
                    return i
    return None


def is_bold(ch: dict) -> bool:
    """A char set in a bold face, or made bold by drawing it twice (see :func:`dedupe_chars`)."""
    return "bold" in ch["fontname"].lower() or bool(ch.get("overprinted"))


def chars_to_lines(chars: list[dict]) -> list[list[dict]]:
    """Cluster chars into lines by vertical overlap, then order each line left to right.

    Overlap rather than equal ``top`` keeps a raised footnote mark (smaller size, higher top)
    on the line it belongs to.
    """
    lines: list[list[dict]] = []
    spans: list[list[float]] = []  # [top, bottom] per line
    for ch in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        top, bottom = ch["top"], ch["bottom"]
        h = max(bottom - top, 0.1)
        placed = False
        for i in range(len(lines) - 1, max(-1, len(lines) - 4), -1):
            lt, lb = spans[i]
            overlap = min(bottom, lb) - max(top, lt)
            if overlap >= 0.5 * min(h, lb - lt):
                lines[i].append(ch)
                spans[i][1] = max(lb, bottom)
                placed = True
                break
        if not placed:
            lines.append([ch])
            spans.append([top, bottom])
    return [sorted(ln, key=lambda c: c["x0"]) for ln in lines]


def line_text(chars: list[dict], size: float) -> tuple[str, tuple[tuple[int, str], ...]]:
    """Chars of one line → text and footnote marks.

    No space is ever inserted between CJK characters (justified CJK text has wide gaps that are
    not word breaks); between Latin letters a visible gap without a space glyph becomes one space
    — a gap measured beyond the line's own letter spacing (:func:`tracking`), so the digits of
    "2023" in a letter-spaced line stay together.
    Digits set clearly smaller than the line are footnote reference marks, taken out of the text.
    """
    out: list[str] = []
    marks: list[tuple[int, str]] = []
    prev: dict | None = None
    word_gap = tracking(chars) + 0.25 * size
    for ch in chars:
        t = ch["text"]
        if ch["size"] < 0.8 * size and t.isdigit() and ch["bottom"] < max(c["bottom"] for c in chars) - 1:
            if marks and marks[-1][0] == len("".join(out)) and prev is not None and prev.get("_mark"):
                marks[-1] = (marks[-1][0], marks[-1][1] + t)
            else:
                marks.append((len("".join(out)), t))
            prev = dict(ch, _mark=True)
            continue
        if prev is not None and not prev.get("_mark") and t != " " and prev["text"] != " ":
            gap = ch["x0"] - prev["x1"]
            if gap > word_gap and _LATIN.match(prev["text"]) and _LATIN.match(t):
                out.append(" ")
        out.append(t)
        prev = ch
    text = "".join(out)
    stripped = text.rstrip()
    lead = len(text) - len(text.lstrip())
    marks = [(max(0, o - lead), m) for o, m in marks]
    return stripped.strip(), tuple(marks)


def tracking(chars: list[dict]) -> float:
    """The letter spacing a line is set with: the median gap between neighbouring glyphs.

    Most lines have none (glyphs abut, word spaces are space glyphs). A line set with extra
    character spacing (PDF ``Tc``; typesetters use it to justify CJK text or to space a title
    out) has the same gap after every glyph, Latin ones included; only a gap wider than that is
    a word break.
    """
    gaps = sorted(
        max(0.0, b["x0"] - a["x1"])
        for a, b in zip(chars, chars[1:])
        if a["text"].strip() and b["text"].strip()
    )
    return gaps[len(gaps) // 2] if gaps else 0.0


def page_to_raw(page, number: int) -> RawPage:
    """One pdfplumber page → its lines, images and tables (nothing document-wide yet)."""
    chars, dups = dedupe_chars([c for c in page.chars if c.get("upright", True)])
    tables: list[tuple[tuple[float, float, float, float], tuple[tuple[str | None, ...], ...]]] = []
    edges = len(page.lines) + len(page.rects)
    if edges >= 4:
        for t in page.find_tables():
            rows = tuple(
                tuple(None if c is None else _join_cell(c) for c in row) for row in t.extract()
            )
            if len(rows) >= 2 or (rows and len(rows[0]) >= 2):
                tables.append((tuple(t.bbox), rows))
    images = tuple(
        (im["x0"], im["top"], im["x1"], im["bottom"])
        for im in page.images
        if (im["x1"] - im["x0"]) > 20 and (im["bottom"] - im["top"]) > 20
    )

    def inside(ch: dict, box: tuple[float, float, float, float]) -> bool:
        cx = (ch["x0"] + ch["x1"]) / 2
        cy = (ch["top"] + ch["bottom"]) / 2
        return box[0] - 1 <= cx <= box[2] + 1 and box[1] - 1 <= cy <= box[3] + 1

    free = [c for c in chars if not any(inside(c, b) for b, _ in tables)]
    lines: list[RawLine] = []
    for group in chars_to_lines(free):
        visible = [c for c in group if c["text"].strip()]
        if not visible:
            continue
        sizes = Counter(round(c["size"], 1) for c in visible)
        size = sizes.most_common(1)[0][0]
        bold = sum(1 for c in visible if is_bold(c)) * 2 > len(visible)
        text, marks = line_text(group, size)
        if not text:
            continue
        in_image = any(inside(visible[0], im) and inside(visible[-1], im) for im in images)
        lines.append(
            RawLine(
                text=text,
                x0=min(c["x0"] for c in visible),
                top=min(c["top"] for c in visible if c["size"] >= 0.8 * size),
                x1=max(c["x1"] for c in visible),
                bottom=max(c["bottom"] for c in visible),
                size=size,
                bold=bold,
                marks=marks,
                in_image=in_image,
            )
        )
    return RawPage(number, float(page.width), float(page.height), tuple(lines), images, tuple(tables), dups)


def _join_cell(text: str) -> str:
    """A cell's wrapped lines → one string; CJK lines join without a space."""
    parts = [p.strip() for p in text.split("\n")]
    out = ""
    for p in parts:
        if out and p and _LATIN.match(out[-1]) and _LATIN.match(p[0]) and not out.endswith("-"):
            out += ""  # a word wrapped mid-word in a narrow cell: the layout broke it, not a space
        out += p
    return out


def _read_pages(args: tuple[str, str | None, list[int]]) -> list[RawPage]:
    path, password, numbers = args
    import pdfplumber

    with pdfplumber.open(path, password=password or "") as pdf:
        return [page_to_raw(pdf.pages[n - 1], n) for n in numbers]


# --- document-wide (parent) ---------------------------------------------------------------


def body_metrics(pages: list[RawPage]) -> tuple[float, float, float]:
    """Body font size, left margin and right margin, from the lines set in the body size."""
    sizes = Counter(ln.size for p in pages for ln in p.lines for _ in range(max(1, len(ln.text))))
    body = sizes.most_common(1)[0][0] if sizes else 12.0
    body_lines = [ln for p in pages for ln in p.lines if abs(ln.size - body) < 0.6]
    if not body_lines:
        return body, 72.0, (pages[0].width - 72.0) if pages else 523.0
    left = left_margin(body_lines)
    right = statistics.median(sorted(ln.x1 for ln in body_lines)[-max(1, len(body_lines) // 3) :])
    return body, float(left), float(right)


def left_margin(body_lines: list[RawLine]) -> float:
    """Where body lines start when not indented: the leftmost start shared by many of them.

    Not simply the commonest start: in a text of short paragraphs (a regulation's articles,
    one- and two-line paragraphs) more lines begin at the first-line indent than at the margin,
    and the margin taken there would make every indented line look flush.
    """
    starts = Counter(round(ln.x0) for ln in body_lines if not ln.in_image)
    if not starts:
        return float(round(body_lines[0].x0))
    enough = max(2, 0.1 * sum(starts.values()))
    common = [x for x, n in starts.items() if n >= enough]
    return float(min(common) if common else starts.most_common(1)[0][0])


def printed_page_number(text: str) -> str | None:
    """The page number a line prints ("12", "— 12 —", "第 12 页", "12 / 120" → "12"), or None."""
    s = text.strip()
    for form in _PAGE_NUMBER_FORMS:
        m = form.match(s)
        if m:
            return m.group("n")
    return None


def repeats_enough(count: int, pages: int) -> bool:
    """Whether a line seen at the same page edge ``count`` times in ``pages`` pages is running.

    A long document: on at least 3 pages and 30 % of them (chapters change the header). A short
    one (2–3 pages) cannot reach 3, so there it must be on every page, or every page but one
    (the first page of a report often has no header).
    """
    if count >= 3 and count >= 0.3 * pages:
        return True
    return count >= 2 and count >= pages - 1


def running_furniture(pages: list[RawPage]) -> set[tuple[int, int]]:
    """(page, line index) of running headers/footers: the same text (digits aside) at the top or
    foot of many pages. Page numbers are handled separately."""
    seen: Counter[str] = Counter()
    where: dict[str, list[tuple[int, int]]] = {}
    for p in pages:
        if not p.lines:
            continue
        for idx in {0, len(p.lines) - 1}:
            ln = p.lines[idx]
            edge = ln.top < p.height * 0.1 or ln.bottom > p.height * 0.9
            if not edge or printed_page_number(ln.text):
                continue
            key = re.sub(r"\d+", "#", ln.text)
            seen[key] += 1
            where.setdefault(key, []).append((p.number, idx))
    hits: set[tuple[int, int]] = set()
    for key, n in seen.items():
        if repeats_enough(n, len(pages)):
            hits.update(where[key])
    return hits


def classify_indent(ln: RawLine, width: float, left: float, size: float) -> tuple[str, int]:
    """Where a line starts: flush, hang (list item), para (first-line indent) or center."""
    offset = ln.x0 - left
    centre = (ln.x0 + ln.x1) / 2
    if abs(centre - width / 2) < 0.04 * width and offset > 3 * size:
        return "center", 0
    if offset < 0.5 * size:
        return "flush", 0
    if offset < 1.5 * size:
        return "hang", 0
    if offset < 2.5 * size:
        return "para", 0
    return "hang", int(round(offset / size)) - 1


def wrapped_heading_line(ln: RawLine, block_x0: float, body: float) -> bool:
    """A heading-type line that continues the heading above: at the heading's own indent, or
    hanging under its title (past the marker "三、" / "（二）"), and not itself numbered — a
    numbered line there is the next, deeper heading."""
    hangs = -2 < ln.x0 - block_x0 < 4 * ln.size
    return heading_type(ln.bold, ln.size, body) and hangs and parse_marker(ln.text) is None


def footnote_start(ln: RawLine) -> tuple[str, str] | None:
    """(mark, text) when a line begins a footnote body, else None.

    The number is printed either raised (then :func:`line_text` has already taken it out as a
    mark at offset 0) or in the line's own size, with or without a space after it.
    """
    if ln.marks and ln.marks[0][0] == 0:
        return ln.marks[0][1], ln.text.strip()
    m = _FOOTNOTE_START.match(ln.text)
    return (m.group(1), m.group(2).strip()) if m else None


def split_footnotes(
    keep: list[tuple[int, RawLine]], p: RawPage, body: float, left: float
) -> tuple[list[tuple[int, RawLine]], list[FootnoteText]]:
    """A page's lines → (the lines above its footnotes, the footnote bodies).

    Footnotes are the run of small lines at the foot of the page, below every body line, the
    first of them starting with a mark; a line that starts at the left margin with a mark
    starts the next note, any other continues the note before it.
    """
    foot_start = None
    for k in range(len(keep) - 1, -1, -1):
        ln = keep[k][1]
        if ln.size <= body - 1.5 and not ln.in_image and ln.top > p.height * 0.55 and classify_indent(ln, p.width, left, body)[0] != "center":
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


def pages_to_records(pages: list[RawPage]) -> tuple[list[Record], list[Furniture], dict[int, str]]:
    """Raw pages → records in reading order, with furniture and printed page numbers on record."""
    body, left, right = body_metrics(pages)
    running = running_furniture(pages)
    records: list[Record] = []
    furniture: list[Furniture] = []
    printed: dict[int, str] = {}
    carry_hang = False  # the previous page ended inside a list item that runs on
    for p in pages:
        records.append(PageBreak(p.number))
        lines = list(p.lines)
        keep: list[tuple[int, RawLine]] = []
        for i, ln in enumerate(lines):
            bbox = (ln.x0, ln.top, ln.x1, ln.bottom)
            if (p.number, i) in running:
                furniture.append(Furniture("running-header" if ln.top < p.height / 2 else "running-footer", ln.text, p.number, bbox=bbox))
                continue
            at_edge = (i == len(lines) - 1 and ln.top > p.height * 0.85) or (i == 0 and ln.bottom < p.height * 0.1)
            number = printed_page_number(ln.text) if at_edge else None
            if number is not None:
                furniture.append(Furniture("page-number", ln.text, p.number, bbox=bbox))
                printed[p.number] = number
                continue
            keep.append((i, ln))
        if p.duplicates:
            furniture.append(Furniture("duplicate-char", f"{p.duplicates} duplicate chars removed", p.number))
        keep, notes = split_footnotes(keep, p, body, left)
        items: list[tuple[float, int, Record]] = []
        prev_line: Line | None = None
        prev_raw: RawLine | None = None
        block_start_indent = "para"
        block_x0 = 0.0
        for _, ln in keep:
            indent, depth = classify_indent(ln, p.width, left, ln.size)
            small = ln.size <= body - 3 or ln.in_image
            new_block = True
            if prev_raw is not None and prev_line is not None:
                same_style = abs(prev_raw.size - ln.size) < 0.6 and prev_raw.bold == ln.bold
                reached = prev_raw.x1 >= right - 1.5 * ln.size
                gap = ln.top - prev_raw.bottom
                # measured on the report: 1.15 × size between the lines of a paragraph,
                # ≥ 1.6 × size before a new one
                close = gap < 1.4 * ln.size
                cont_indent = (
                    indent in ("flush", "center")
                    or (indent == "para" and block_start_indent == "hang")
                    or wrapped_heading_line(ln, block_x0, body)
                )
                # a sentence end at the margin followed by an indented line starts a new block —
                # except inside a list item, whose continuation lines sit at that indent
                item_cont = block_start_indent == "hang" and indent == "para"
                ended = (prev_raw.text.endswith(_TERMINAL) and indent in ("para", "hang") and not item_cont) or bool(
                    _LEADER_LINE.search(prev_raw.text)
                )
                if same_style and reached and close and cont_indent and not ended:
                    new_block = False
            if new_block:
                block_start_indent = indent
                block_x0 = ln.x0
                if prev_raw is None and carry_hang and indent == "para":
                    # a list item running over from the previous page: its lines here sit at
                    # the item's continuation indent, not at a paragraph's first-line indent
                    block_start_indent = "hang"
            line = Line(
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
            )
            items.append((ln.top, 0, line))
            prev_line, prev_raw = line, ln
        carry_hang = (
            prev_raw is not None
            and block_start_indent == "hang"
            and prev_raw.x1 >= right - 1.5 * prev_raw.size
            and not prev_raw.text.endswith(_TERMINAL)
        )
        for box in p.images:
            labels = tuple(ln.text for _, ln in keep if ln.in_image and box[0] <= ln.x0 and ln.x1 <= box[2] + 1 and box[1] <= ln.top <= box[3])
            items.append((box[1], 1, ImageSlot(page=p.number, bbox=tuple(round(v, 1) for v in box), text=labels)))
        for box, rows in p.tables:
            items.append((box[1], 1, TableGrid(rows=rows, page=p.number, bbox=tuple(round(v, 1) for v in box))))
        # lines inside a picture were handed to the ImageSlot as its labels
        items = [it for it in items if not (isinstance(it[2], Line) and _in_image_line(it[2], p.images))]
        items.sort(key=lambda it: (it[0], it[1]))
        records.extend(r for _, _, r in items)
        records.extend(notes)
    return records, furniture, printed


def _in_image_line(line: Line, images: tuple[tuple[float, float, float, float], ...]) -> bool:
    if line.bbox is None:
        return False
    x0, top, x1, _ = line.bbox
    return any(b[0] <= x0 and x1 <= b[2] + 1 and b[1] <= top <= b[3] for b in images)


def open_pdf_checked(path: str, password: str | None):
    """Open a PDF or raise a one-line SourceError saying what is wrong and what to do."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(path, password=password or "")
        n = len(pdf.pages)
    except PDFPasswordIncorrect:
        if password:
            raise SourceError(f"{path}: the password does not open this encrypted PDF — check --password") from None
        raise SourceError(f"{path}: the PDF is encrypted — give its password with --password") from None
    except (PDFSyntaxError, Exception) as exc:  # pdfminer raises a zoo of types on broken files
        # pdfplumber wraps every pdfminer error in PdfminerException(original)
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
        name = type(inner).__name__
        if isinstance(inner, PDFPasswordIncorrect) or "Password" in name or "Encrypt" in name:
            if password:
                raise SourceError(f"{path}: the password does not open this encrypted PDF — check --password") from None
            raise SourceError(f"{path}: the PDF is encrypted — give its password with --password") from None
        with open(path, "rb") as fh:  # a PDF ends with %%EOF; a cut-off download does not
            fh.seek(max(0, os.path.getsize(path) - 1024))
            ended = b"%%EOF" in fh.read()
        if not ended:
            raise SourceError(f"{path}: the PDF is truncated (no %%EOF at its end) — download or copy it again") from None
        raise SourceError(f"{path}: not a readable PDF ({name}) — the file is damaged; get a fresh copy") from None
    if n == 0:
        pdf.close()
        raise SourceError(f"{path}: the PDF has no pages — get a complete copy")
    return pdf


def read_pdf(path: str | Path, password: str | None = None, jobs: int | None = None) -> SourceDoc:
    """Read a PDF into a :class:`SourceDoc`, pages in parallel over ``jobs`` processes."""
    p = Path(path)
    data = p.read_bytes()
    if not data.strip():
        raise SourceError(f"{p}: the file is empty — get a complete copy of the PDF")
    if not data.lstrip().startswith(b"%PDF"):
        from .sniff import sniff

        kind, fix = sniff(data[:1024]) or ("not a PDF (no %PDF header)", "check the file, or get the PDF again")
        kind = kind if kind.startswith("not ") else f"{kind}, not a PDF"
        raise SourceError(f"{p}: {kind} — {fix}")
    # pdfminer logs what it repairs ("Data-loss while decompressing corrupted data") through
    # logging, which with no handler configured prints to stderr: the user gets our one line
    # (the PDF is damaged, or nothing when it could be read), not the library's chatter.
    import logging

    quiet = logging.getLogger("pdfminer").setLevel
    quiet(logging.CRITICAL)
    pdf = open_pdf_checked(str(p), password)
    n = len(pdf.pages)
    jobs = max(1, min(jobs or os.cpu_count() or 1, n // 8 or 1))
    try:
        if jobs == 1:
            pages = [page_to_raw(pdf.pages[i], i + 1) for i in range(n)]
        else:
            pdf.close()
            # interleaved chunks balance heavy (table) and light pages across the workers
            chunks = [list(range(k + 1, n + 1, jobs)) for k in range(jobs)]
            with ProcessPoolExecutor(max_workers=jobs, initializer=quiet, initargs=(logging.CRITICAL,)) as pool:
                parts = list(pool.map(_read_pages, [(str(p), password, c) for c in chunks]))
            pages = sorted((pg for part in parts for pg in part), key=lambda pg: pg.number)
    except SourceError:
        raise
    except Exception as exc:
        raise SourceError(f"{p}: the PDF is damaged ({type(exc).__name__}) — get a fresh copy") from None
    finally:
        try:
            pdf.close()
        except Exception:
            pass
    if not any(pg.lines or pg.tables for pg in pages):
        if any(pg.images for pg in pages):
            raise SourceError(f"{p}: the PDF has no text layer (a scanned image) — run OCR on it first (e.g. ocrmypdf)")
        raise SourceError(f"{p}: the PDF contains no text — check that it is the report")
    # glyphs that a font maps to no character come out as "(cid:123)": text in name only
    text = "".join(ln.text for pg in pages for ln in pg.lines)
    if sum(len(m) for m in re.findall(r"\(cid:\d+\)", text)) * 2 > len(text):
        raise SourceError(f"{p}: the PDF's fonts map their glyphs to no characters — run OCR on it (e.g. ocrmypdf --force-ocr)")
    records, furniture, printed = pages_to_records(pages)
    return SourceDoc(
        path=str(p),
        sha256=hashlib.sha256(data).hexdigest(),
        format="pdf",
        pages=n,
        records=tuple(records),
        furniture=tuple(furniture),
        printed_pages=printed,
    )
