"""PDF → source records, with pdfplumber (and PDFium for the one thing pdfminer cannot see).

Each page is parsed once, in a worker process: its chars, pictures, ruling lines and vector
drawings are read, ruled and borderless tables are cut out, and the remaining chars are grouped
into printed lines carrying their geometry and typography (size, weight, font family, where the
type changes along the line). The worker decides nothing about the document; the decisions
that need every page (margins, body type, running headers, footnote areas, where a block
starts) are made afterwards in the parent by :mod:`.layout`.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

from ..errors import SourceError
from ..model import SourceDoc
from . import pdfium
from .captions import parse_caption
from .charclass import HAN
from .chars import chars_to_lines, column_gutter_x, dedupe_chars, split_at, dominant_family, is_bold, line_text, split_side_by_side
from .settings import DEFAULT, LayoutSettings

from ..reading.raw import Box, RawLine, RawPage, RawTable


# --- per page (runs in workers) ------------------------------------------------------------


def _inside(ch: dict, box: Box, pad: float = 1.0) -> bool:
    cx = (ch["x0"] + ch["x1"]) / 2
    cy = (ch["top"] + ch["bottom"]) / 2
    return box[0] - pad <= cx <= box[2] + pad and box[1] - pad <= cy <= box[3] + pad


def horizontal_rules(page, settings: LayoutSettings) -> list[Box]:
    """Thin horizontal lines and rects, touching segments at one height merged into one rule.

    Word draws one table rule as several abutting rects (one per column), so a rule is the
    union of segments at the same height that touch.
    """
    segs: list[Box] = []
    for obj in list(page.lines) + list(page.rects):
        h = obj["bottom"] - obj["top"]
        if h <= settings.rule_max_thickness and obj["x1"] - obj["x0"] > 2 * settings.rule_max_thickness:
            segs.append((obj["x0"], obj["top"], obj["x1"], obj["bottom"]))
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


def has_vertical_rules(page, box: Box, settings: LayoutSettings) -> bool:
    """Whether a vertical line or thin rect stands inside ``box`` (then it is no three-line table)."""
    for obj in list(page.lines) + list(page.rects):
        w = obj["x1"] - obj["x0"]
        h = obj["bottom"] - obj["top"]
        if w <= settings.rule_max_thickness and h > 2 * settings.rule_max_thickness:
            if box[0] <= obj["x0"] <= box[2] and obj["top"] < box[3] and obj["bottom"] > box[1]:
                return True
    return False


def three_line_tables(page, chars: list[dict], taken: list[Box], settings: LayoutSettings) -> list[RawTable]:
    """Borderless tables: runs of ≥ 3 horizontal rules of the same width with text between them,
    no vertical rules, read column by column from where the words line up.

    Academic and Mainland-style reports print tables with a top rule, a rule under the header
    and a bottom rule only; pdfplumber's lines strategy needs vertical edges and finds nothing.
    Rules in the page's edge bands are page decoration (a line under the running header).
    """
    band = settings.edge_band * page.height
    rules = [r for r in horizontal_rules(page, settings)
             if band < r[1] < page.height - band and not any(t[1] - 2 <= r[1] <= t[3] + 2 for t in taken)]
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
            inside = [c for c in chars if _inside(c, box, 0) and c["text"].strip()]
            # a table's rules span the table: text level with it but beside the rules (a form's
            # label left of the line its value is written on) says these are underlines
            beside = any(box[1] < (c["top"] + c["bottom"]) / 2 < box[3] and not _inside(c, box, 2) and c["text"].strip() for c in chars)
            if inside and not beside and not has_vertical_rules(page, box, settings):
                rows = text_grid([c for c in chars if _inside(c, box, 0)], settings)
                if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
                    out.append(RawTable(box, rows, ruled=False))
        i = j
    return out


def _split_at_captions(rules: list[Box], chars: list[dict]) -> list[list[Box]]:
    """Rules of the same width stacked down a page → one group per table: two tables in a row
    are parted by the caption printed between them."""
    groups: list[list[Box]] = [[rules[0]]]
    for a, b in zip(rules, rules[1:]):
        between = sorted((c for c in chars if a[3] < (c["top"] + c["bottom"]) / 2 < b[1] and c["text"].strip()),
                         key=lambda c: (round(c["top"]), c["x0"]))
        lines = chars_to_lines(between) if between else []
        if any(parse_caption("".join(c["text"] for c in ln)) for ln in lines):
            groups.append([])
        groups[-1].append(b)
    return groups


def text_grid(chars: list[dict], settings: LayoutSettings) -> tuple[tuple[str | None, ...], ...]:
    """The cells of a borderless table, from its characters alone: every printed line is a row,
    a gap of an em or more parts two cells, and each cell goes to the column it lies under (the
    columns of the row with the most cells). Every character lands in some cell — nothing is
    dropped, as a column finder that needs words to line up would drop a header or a note.
    """
    lines = []
    for group in chars_to_lines(chars, settings):
        visible = [c for c in group if c["text"].strip()]
        if not visible:
            continue
        size = Counter(round(c["size"], 1) for c in visible).most_common(1)[0][0]
        cells: list[list[dict]] = [[]]
        prev = None
        for ch in visible:
            if prev is not None and ch["x0"] - prev["x1"] > settings.cell_gap_em * size:
                cells.append([])
            cells[-1].append(ch)
            prev = ch
        lines.append([(c[0]["x0"], c[-1]["x1"], line_text(c, size, settings)[0]) for c in cells])
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


def covers_page(box: Box, width: float, height: float, settings: LayoutSettings) -> bool:
    """A box that covers most of the page: what the page is printed on, if text stands on it."""
    return (box[2] - box[0]) * (box[3] - box[1]) >= settings.background_share * width * height


def text_density(chars: list[dict], box: Box) -> float:
    """How much of a box its characters cover: running text covers a third of a page, the
    labels of a chart a few hundredths."""
    area = max(1.0, (box[2] - box[0]) * (box[3] - box[1]))
    return sum((c["x1"] - c["x0"]) * (c["bottom"] - c["top"]) for c in chars if c["text"].strip() and _inside(c, box)) / area


def drawing_boxes(page, taken: list[Box], settings: LayoutSettings) -> list[Box]:
    """Vector drawings (charts, diagrams drawn with rects and curves) as boxes.

    Shapes that touch or nearly touch are one drawing; a drawing smaller than
    ``min_drawing_side`` on either side is a rule, a frame corner or a bullet. A frame — shapes
    that all lie on the edge of their own box, like a border drawn round a text box or a sample
    page — is no picture: the text inside it stays text. Table rulings are not drawings.
    """
    width, height = float(page.width), float(page.height)
    shapes = [
        (o["x0"], o["top"], o["x1"], o["bottom"])
        for o in list(page.rects) + list(page.curves) + list(page.lines)
        if not any(t[0] - 2 <= o["x0"] and o["x1"] <= t[2] + 2 and t[1] - 2 <= o["top"] and o["bottom"] <= t[3] + 2 for t in taken)
        # a page-size fill or frame is what the page is printed on: clustered with the
        # rules and boxes on it, it would make the whole page one drawing
        and not covers_page((o["x0"], o["top"], o["x1"], o["bottom"]), width, height, settings)
    ]
    clusters: list[tuple[list[float], list[Box]]] = []
    for s in sorted(shapes, key=lambda b: (b[1], b[0])):
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


def page_to_raw(page, number: int, settings: LayoutSettings = DEFAULT, stroked: list | None = None) -> RawPage:
    """One pdfplumber page → its lines, pictures, drawings and tables (nothing document-wide yet)."""
    chars, dups = dedupe_chars([c for c in page.chars if c.get("upright", True)], settings)
    chars = pdfium.mark_stroked(chars, stroked or [])
    tables: list[RawTable] = []
    edges = len(page.lines) + len(page.rects)
    if edges >= settings.min_table_edges:
        for t in page.find_tables():
            rows = tuple(tuple(None if box is None else cell_text(chars, box, settings) for box in row.cells) for row in t.rows)
            # one column of ruled boxes is a page's layout grid (a framed note, a form's boxes
            # of text), not a data table: its text stays text
            if rows and max(len(r) for r in rows) >= 2:
                tables.append(RawTable(tuple(t.bbox), rows, cells=tuple(tuple(c) for c in t.cells)))
    if edges >= settings.three_line_min_rules:
        tables.extend(three_line_tables(page, chars, [t.bbox for t in tables], settings))
    side = settings.min_image_side
    width, height = float(page.width), float(page.height)
    shown = [im for im in page.images if (im["x1"] - im["x0"]) > side and (im["bottom"] - im["top"]) > side]
    images: tuple[Box, ...] = tuple((im["x0"], im["top"], im["x1"], im["bottom"]) for im in shown)
    ids = {(im["x0"], im["top"], im["x1"], im["bottom"]): _image_id(im) for im in shown}
    # a page-size picture with running text over it (a letterhead, a scanned page under its
    # text layer, a paper texture) is the page's background; with a few labels, a figure
    behind = tuple(b for b in images if covers_page(b, width, height, settings) and text_density(chars, b) >= settings.background_text_density)
    backgrounds = behind + tuple(
        (o["x0"], o["top"], o["x1"], o["bottom"]) for o in page.rects
        if covers_page((o["x0"], o["top"], o["x1"], o["bottom"]), width, height, settings)
    )
    images = tuple(b for b in images if b not in behind)
    drawings = tuple(drawing_boxes(page, [t.bbox for t in tables], settings)) if edges else ()
    # a char the table finder left out of every cell (a note printed inside the frame) stays text
    free = [c for c in chars if not any(_inside(c, t.bbox) and (not t.cells or any(_inside(c, cell) for cell in t.cells)) for t in tables)]
    lines: list[RawLine] = []
    groups = chars_to_lines(free, settings)
    gutter = column_gutter_x(groups, float(page.width))
    for group in groups:
        visible = [c for c in group if c["text"].strip()]
        if not visible:
            continue
        size = Counter(round(c["size"], 1) for c in visible).most_common(1)[0][0]
        line = _raw_line(group, images + drawings, settings)
        pieces = split_side_by_side(group, size, settings)
        if gutter is not None and len(pieces) < 2 and gutter[1] - 1 <= min(c["top"] for c in visible) <= gutter[2] + 1:
            pieces = split_at(group, gutter[0])  # a line of the two columns (not one above or below them)
        if line is not None and len(pieces) > 1:
            # things set side by side on one printed line: the parent reads them apart where
            # they are captions or columns, and as the one line otherwise (a form's label and value)
            parts = tuple(x for x in (_raw_line(pc, images + drawings, settings) for pc in pieces) if x is not None)
            line = replace(line, pieces=tuple(replace(x, top=line.top) for x in parts))
        if line is not None:
            lines.append(line)
    return RawPage(
        number, float(page.width), float(page.height), tuple(lines), images, tuple(tables), dups,
        drawings=drawings, stroked=sum(1 for c in chars if c.get("stroked")), backgrounds=backgrounds,
        image_ids=tuple(ids[b] for b in images),
    )


def _image_id(im: dict) -> str:
    """The PDF object a picture draws (its stream's object number), or its pixel size."""
    stream = im.get("stream")
    objid = getattr(stream, "objid", None)
    return f"obj{objid}" if objid is not None else f"px{im.get('srcsize')}"


def _raw_line(group: list[dict], pictures: tuple[Box, ...], settings: LayoutSettings) -> RawLine | None:
    visible = [c for c in group if c["text"].strip()]
    if not visible:
        return None
    size = Counter(round(c["size"], 1) for c in visible).most_common(1)[0][0]
    bold = sum(1 for c in visible if is_bold(c)) * 2 > len(visible)
    text, marks, runs, xs = line_text(group, size, settings)
    if not text:
        return None
    last = max(group, key=lambda c: c["x1"])
    in_image = any(_inside(visible[0], im) and _inside(visible[-1], im) for im in pictures)
    return RawLine(
        text=text,
        x0=min(c["x0"] for c in visible),
        top=min(c["top"] for c in visible if c["size"] >= settings.footnote_mark_ratio * size),
        x1=max(c["x1"] for c in visible),
        bottom=max(c["bottom"] for c in visible),
        size=size,
        bold=bold,
        marks=marks,
        in_image=in_image,
        font=dominant_family(visible),
        runs=runs,
        xs=xs,
        trailing_space=not last["text"].strip() and last["x0"] >= visible[-1]["x1"] - 1,
        baseline=_baseline(visible, size, settings),
    )


def _baseline(chars: list[dict], size: float, settings: LayoutSettings) -> float:
    """The median baseline of a line's full-size glyphs (the text matrix's origin; the glyph
    box's bottom where a char carries no matrix)."""
    ys = sorted(
        c["top"] + (c["y1"] - c["matrix"][5]) if c.get("matrix") and "y1" in c else c["bottom"]
        for c in chars if c["size"] >= settings.footnote_mark_ratio * size
    )
    return ys[len(ys) // 2] if ys else max(c["bottom"] for c in chars)


def cell_text(chars: list[dict], box: Box, settings: LayoutSettings) -> str:
    """The text of a table cell, read from the page's characters as body text is: word spaces
    from glyph gaps, and the cell's wrapped lines joined as a paragraph's are (no space between
    Han characters, one between Latin words where the PDF shows a word break there)."""
    from ..reading.flow import FLOW_UNKNOWN, wrap_space

    inside = [c for c in chars if _inside(c, box, 0)]
    lines = [x for x in (_raw_line(g, (), settings) for g in chars_to_lines(inside, settings)) if x is not None]
    out = ""
    # the width the cell's text wraps at: its widest line (its padding is unknown)
    right = max((x.x1 for x in lines), default=box[2])
    for prev, ln in zip([None, *lines], lines):
        out += (wrap_space(prev, ln, FLOW_UNKNOWN, right) if prev is not None else "") + ln.text
    return out


def _read_pages(args: tuple[str, str | None, list[int], LayoutSettings]) -> list[RawPage]:
    path, password, numbers, settings = args
    import pdfplumber

    doc = pdfium.open_document(path, password)
    try:
        with pdfplumber.open(path, password=password or "") as pdf:
            return [page_to_raw(pdf.pages[n - 1], n, settings, pdfium.stroked_glyphs(doc, n - 1)) for n in numbers]
    finally:
        if doc is not None:
            doc.close()


# --- opening and reading -------------------------------------------------------------------


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


def read_pages(path: Path, password: str | None, jobs: int | None, settings: LayoutSettings) -> list[RawPage]:
    """Every page of the PDF as a :class:`RawPage`, read in parallel over ``jobs`` processes."""
    # pdfminer logs what it repairs ("Data-loss while decompressing corrupted data") through
    # logging, which with no handler configured prints to stderr: the user gets our one line
    # (the PDF is damaged, or nothing when it could be read), not the library's chatter.
    import logging

    quiet = logging.getLogger("pdfminer").setLevel
    quiet(logging.CRITICAL)
    pdf = open_pdf_checked(str(path), password)
    n = len(pdf.pages)
    jobs = max(1, min(jobs or os.cpu_count() or 1, n // settings.pages_per_job or 1))
    try:
        if jobs == 1:
            doc = pdfium.open_document(str(path), password)
            try:
                return [page_to_raw(pdf.pages[i], i + 1, settings, pdfium.stroked_glyphs(doc, i)) for i in range(n)]
            finally:
                if doc is not None:
                    doc.close()
        pdf.close()
        # interleaved chunks balance heavy (table) and light pages across the workers
        chunks = [list(range(k + 1, n + 1, jobs)) for k in range(jobs)]
        with ProcessPoolExecutor(max_workers=jobs, initializer=quiet, initargs=(logging.CRITICAL,)) as pool:
            parts = list(pool.map(_read_pages, [(str(path), password, c, settings) for c in chunks]))
        return sorted((pg for part in parts for pg in part), key=lambda pg: pg.number)
    except SourceError:
        raise
    except Exception as exc:
        raise SourceError(f"{path}: the PDF is damaged ({type(exc).__name__}) — get a fresh copy") from None
    finally:
        try:
            pdf.close()
        except Exception:
            pass


def read_pdf(path: str | Path, password: str | None = None, jobs: int | None = None,
             settings: LayoutSettings = DEFAULT) -> SourceDoc:
    """Read a PDF into a :class:`SourceDoc`."""
    from ..reading.layout import pages_to_records

    p = Path(path)
    data = p.read_bytes()
    if not data.strip():
        raise SourceError(f"{p}: the file is empty — get a complete copy of the PDF")
    if not data.lstrip().startswith(b"%PDF"):
        from ..reading.sniff import sniff

        kind, fix = sniff(data[:1024]) or ("not a PDF (no %PDF header)", "check the file, or get the PDF again")
        kind = kind if kind.startswith("not ") else f"{kind}, not a PDF"
        raise SourceError(f"{p}: {kind} — {fix}")
    pages = read_pages(p, password, jobs, settings)
    if not any(pg.lines or pg.tables for pg in pages):
        if any(pg.images for pg in pages):
            raise SourceError(f"{p}: the PDF has no text layer (a scanned image) — run OCR on it first (e.g. ocrmypdf)")
        raise SourceError(f"{p}: the PDF contains no text — check that it is the report")
    # glyphs that a font maps to no character come out as "(cid:123)": text in name only
    text = "".join(ln.text for pg in pages for ln in pg.lines)
    if sum(len(m) for m in re.findall(r"\(cid:\d+\)", text)) * 2 > len(text):
        raise SourceError(f"{p}: the PDF's fonts map their glyphs to no characters — run OCR on it (e.g. ocrmypdf --force-ocr)")
    records, furniture, printed = pages_to_records(pages, settings)
    han = sum(len(HAN.findall(ln.text)) for pg in pages for ln in pg.lines) + sum(
        len(HAN.findall(c or "")) for pg in pages for t in pg.tables for row in t.rows for c in row)
    return SourceDoc(
        path=str(p),
        sha256=hashlib.sha256(data).hexdigest(),
        format="pdf",
        pages=len(pages),
        records=tuple(records),
        furniture=tuple(furniture),
        printed_pages=printed,
        han_chars=han,
    )
