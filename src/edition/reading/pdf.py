"""A PDF → source records: its pages read (:mod:`.pdfium`), each turned into printed lines and
tables (:mod:`.pages`) — in worker processes where the machine has cores to spare — and the pages
together laid out (:mod:`.layout`).

Memory stays flat however long the document: a page is read, turned into its lines and released
before the next; the workers hand back a few pages at a time, so no process holds the
characters of more than a handful of pages at once.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from ..errors import SourceError
from ..extract.charclass import HAN
from ..extract.settings import DEFAULT, LayoutSettings
from ..model import Furniture, SourceDoc
from .raw import RawPage

# text that did not decode: a glyph its font maps to no character, the replacement character,
# or three Latin-1 letters or more in a row (a CJK code read one byte at a time that did not
# decode as GBK or Big5 either; a name like "Müller" has one)
_UNREADABLE = re.compile(r"\(cid:\d+\)|\ufffd|[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2020\u2021\u2030\u2039\u203a\u2122]{3,}")
# a worker is sent this many consecutive pages at a time: enough to pay for the round trip,
# few enough that every core stays busy to the end and no worker holds much
_BATCH = 4
# where a PDF's header may stand: viewers accept junk (a mail header, a BOM) before it
_HEADER_WINDOW = 1024
# PDFium keeps what it parsed of a document (its fonts, above all) until the document is closed:
# a reader (a worker or this process) opens it again after this many pages, so its memory stays
# flat however long the PDF
REOPEN_EVERY = 48


def usable_cores() -> int:
    """The cores this process may run on (``taskset`` and container limits respected)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class PageRecord:
    """What a worker gives back for one page: its raw page and what was set aside for the record
    (text rotated on the page, text placed outside it); ``unreadable``: PDFium could not load
    the page (the file is damaged there) and it stands empty."""

    __slots__ = ("raw", "rotated", "off_page", "unreadable")

    def __init__(self, raw: RawPage, rotated: str, off_page: str, unreadable: bool = False) -> None:
        self.raw, self.rotated, self.off_page, self.unreadable = raw, rotated, off_page, unreadable


def read_page(doc, index: int, settings: LayoutSettings) -> PageRecord:
    """Page ``index`` (0-based) of an open :class:`.pdfium.Document` → its :class:`PageRecord`.
    A page PDFium cannot load is an empty page on record, as a viewer shows it blank: the
    pages around it are still read."""
    from .pages import page_to_raw
    from .pdfium import PageUnreadable

    try:
        content = doc.page(index)
    except PageUnreadable:
        return PageRecord(RawPage(index + 1, 595.0, 842.0, (), (), ()), "", "", unreadable=True)
    return PageRecord(page_to_raw(content, settings), "".join(c.text for c in content.rotated).strip(),
                      "".join(c.text for c in content.off_page).strip())


# --- in the parent ------------------------------------------------------------------------------


class ReadingBug(RuntimeError):
    """A page worker failed in our own code (its traceback is the message): a bug, never a
    verdict on the PDF."""


def read_pages(path: Path, password: str | None, jobs: int | None, settings: LayoutSettings) -> list[PageRecord]:
    """Every page of the PDF, read over ``jobs`` processes (None: one per usable core)."""
    from .pdfium import Document

    with Document(str(path), password) as doc:
        n = len(doc)
        if n == 0:
            raise SourceError(f"{path}: the PDF has no pages — get a complete copy")
        jobs = max(1, min(jobs or usable_cores(), n // settings.pages_per_job or 1))
        if jobs == 1 and n <= REOPEN_EVERY:
            return [read_page(doc, i, settings) for i in range(n)]
    if jobs == 1:
        out: list[PageRecord] = []
        for start in range(0, n, REOPEN_EVERY):  # opened again now and then: PDFium's caches go
            with Document(str(path), password) as doc:
                out.extend(read_page(doc, i, settings) for i in range(start, min(n, start + REOPEN_EVERY)))
        return out
    return _read_in_workers(path, password, n, jobs, settings)


def _read_in_workers(path: Path, password: str | None, n: int, jobs: int, settings: LayoutSettings) -> list[PageRecord]:
    """The pages read by ``jobs`` worker processes (:mod:`.worker`), each sent every ``jobs``-th
    batch of a few pages (heavy and light pages spread evenly), its batches read back as they
    come."""
    import pickle
    import subprocess
    import sys
    import threading

    batches = [list(range(k, min(n, k + _BATCH))) for k in range(0, n, _BATCH)]
    here = str(Path(__file__).resolve().parents[2])  # the folder the edition package is in
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH", "")) if p))
    procs = [subprocess.Popen([sys.executable, "-m", "edition.reading.worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=env) for _ in range(jobs)]
    results: list[PageRecord | None] = [None] * n
    outcome: list[tuple[str, str] | None] = [None] * jobs

    def collect(k: int, proc) -> None:
        try:
            while True:
                kind, payload = pickle.load(proc.stdout)
                if kind == "pages":
                    for rec in payload:
                        results[rec.raw.number - 1] = rec
                else:
                    outcome[k] = (kind, payload)
                    return
        except (EOFError, pickle.UnpicklingError):
            outcome[k] = ("died", "")

    threads = []
    for k, proc in enumerate(procs):
        pickle.dump((str(path), password, settings, batches[k::jobs]), proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        proc.stdin.close()
        t = threading.Thread(target=collect, args=(k, proc), daemon=True)
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
    for proc in procs:
        proc.stderr.read()
        proc.wait()
    for k, result in enumerate(outcome):
        kind, payload = result or ("died", "")
        if kind == "refused":
            raise SourceError(payload)
        if kind == "bug":
            raise ReadingBug(f"reading {path} failed in a page worker:\n{payload}")
        if kind == "died":
            missing = next((i + 1 for batch in batches[k::jobs] for i in batch if results[i] is None), None)
            raise SourceError(f"{path}: the PDF reader (PDFium) stopped on page {missing} — the file is damaged or unusual "
                              "there; get a fresh copy, or print it to a new PDF")
    return [r for r in results if r is not None]


def unreadable(pages: list[RawPage], settings: LayoutSettings = DEFAULT) -> tuple[tuple[int, int], ...]:
    """(page, glyphs) of the text that did not decode (see ``_UNREADABLE``), on the pages where it
    is more than a stray glyph: at least ``unreadable_min_glyphs`` and ``unreadable_min_share`` of
    the page's characters (a cover with two unmapped spaces reads fine)."""
    out = []
    for pg in pages:
        texts = [ln.text for ln in pg.lines] + [c or "" for t in pg.tables for row in t.rows for c in row]
        total = sum(len(t) for t in texts)
        bad = [m for text in texts for m in _UNREADABLE.findall(text)]
        glyphs = sum(1 if m.startswith("(cid:") else len(m) for m in bad)
        total -= sum(len(m) - 1 for m in bad if m.startswith("(cid:"))
        if glyphs >= settings.unreadable_min_glyphs and glyphs >= settings.unreadable_min_share * max(1, total):
            out.append((pg.number, glyphs))
    return tuple(out)


def pdf_header_offset(head: bytes) -> int | None:
    """Where ``%PDF`` starts in the file's first KB (junk before it is allowed, as viewers allow
    it), or None."""
    k = head.find(b"%PDF")
    return k if 0 <= k < _HEADER_WINDOW else None


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_pdf(path: str | Path, password: str | None = None, jobs: int | None = None,
             settings: LayoutSettings = DEFAULT) -> SourceDoc:
    """Read a PDF into a :class:`SourceDoc`."""
    from .layout import pages_to_records

    p = Path(path)
    with p.open("rb") as fh:
        head = fh.read(_HEADER_WINDOW + 8)
    if not head.strip():
        raise SourceError(f"{p}: the file is empty — get a complete copy of the PDF")
    if pdf_header_offset(head) is None:
        from .sniff import sniff

        kind, fix = sniff(head[:1024]) or ("not a PDF (no %PDF header)", "check the file, or get the PDF again")
        kind = kind if kind.startswith("not ") else f"{kind}, not a PDF"
        raise SourceError(f"{p}: {kind} — {fix}")
    records = read_pages(p, password, jobs, settings)
    pages = [r.raw for r in records]
    unread = tuple(r.raw.number for r in records if r.unreadable)
    if len(unread) == len(records):
        raise SourceError(f"{p}: no page of the PDF can be read (PDFium opens the file but none of its {len(unread)} page(s)) — "
                          "the file is damaged; get a fresh copy")
    set_aside = any(r.rotated or r.off_page for r in records)
    if not any(pg.lines or pg.tables for pg in pages) and not set_aside:
        if any(pg.images for pg in pages):
            raise SourceError(f"{p}: the PDF has no text layer (a scanned image) — run OCR on it first (e.g. ocrmypdf)")
        raise SourceError(f"{p}: the PDF contains no text — check that it is the report")
    # glyphs that a font maps to no character come out as "(cid:123)": text in name only
    text = "".join(ln.text for pg in pages for ln in pg.lines)
    if text and sum(len(m) for m in re.findall(r"\(cid:\d+\)", text)) * 2 > len(text):
        raise SourceError(f"{p}: the PDF's fonts map their glyphs to no characters — run OCR on it (e.g. ocrmypdf --force-ocr)")
    recs, furniture, printed = pages_to_records(pages, settings)
    for r in records:  # nothing lost: what the reading text leaves out is on record
        if r.rotated:
            furniture.append(Furniture("rotated-text", r.rotated, r.raw.number))
        if r.off_page:
            furniture.append(Furniture("off-page-text", r.off_page, r.raw.number))
    han = sum(len(HAN.findall(ln.text)) for pg in pages for ln in pg.lines) + sum(
        len(HAN.findall(c or "")) for pg in pages for t in pg.tables for row in t.rows for c in row)
    return SourceDoc(
        path=str(p),
        sha256=file_sha256(p),
        format="pdf",
        pages=len(pages),
        records=tuple(recs),
        furniture=tuple(furniture),
        printed_pages=printed,
        han_chars=han,
        unreadable=unreadable(pages, settings),
        unread_pages=unread,
    )
