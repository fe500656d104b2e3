"""Text export (.txt / .md) → source records.

The export is what a word processor saves from the report: one paragraph per line, blank lines
between, list items as ``- `` (nested with leading spaces), tables as tab-separated rows (with
``<u>`` underline tags in cells), footnotes as ``¹ …`` lines with superscript marks in the prose,
and a line holding a single space where a picture was.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from pathlib import Path

from ..errors import SourceError
from ..model import FootnoteText, ImageSlot, Line, Record, SourceDoc, TableGrid

SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_FOOTNOTE_LINE = re.compile(rf"^([{SUPERSCRIPTS}]+)\s*(.*)$")
_BULLET = re.compile(r"^( *)- (.*)$")
_TAG = re.compile(r"</?u>")


def decode_text(data: bytes, path: str) -> str:
    """Bytes → str. UTF-8 (with or without BOM), UTF-16 (by BOM, or by where its NUL bytes
    fall), then Big5/CP950.

    Government exports from Taiwan still arrive in CP950 or UTF-16; a wrong guess would
    silently corrupt every character, so each candidate must decode the whole file.
    """
    if not data.strip():
        raise SourceError(f"{path}: the file is empty — export the report's text again")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _non_empty(data.decode("utf-16"), path)
        except UnicodeDecodeError as exc:
            raise SourceError(
                f"{path}: broken UTF-16 text (bad bytes at offset {exc.start}; a cut-off copy?) — export the text again"
            ) from None
    if b"\x00" in data:
        # UTF-8 and Big5 text never holds a NUL byte; UTF-16 holds one in every ASCII character
        # (newlines, digits), on the odd offsets when little-endian, on the even ones when big.
        odd = data[1::2].count(0)
        even = data[0::2].count(0)
        enc = "utf-16-le" if odd >= even else "utf-16-be"
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            text = None
        if text is not None and _looks_like_chinese(text):
            return _non_empty(text, path)
        raise SourceError(f"{path}: binary data, not a text export — give the report's text export (.txt) or its PDF")
    for enc in ("utf-8-sig", "cp950", "big5hkscs"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc != "utf-8-sig" and not _looks_like_chinese(text):
            continue
        return _non_empty(text, path)
    raise SourceError(
        f"{path}: not readable as UTF-8, UTF-16 or Big5/CP950 text — save the export as UTF-8"
    )


def _non_empty(text: str, path: str) -> str:
    if not text.strip():
        raise SourceError(f"{path}: the file is empty — export the report's text again")
    return text


def _looks_like_chinese(text: str) -> bool:
    """A legacy-codepage decode that yields mostly control or private-use chars is a wrong guess."""
    sample = text[:4000]
    bad = sum(1 for ch in sample if unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\r\n\t")
    return bad <= len(sample) // 50


def split_markup(cell: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Remove ``<u>…</u>`` tags from a cell; return the clean text and (start, end, tag) spans."""
    out: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0
    start = None
    length = 0
    for m in _TAG.finditer(cell):
        chunk = cell[pos : m.start()]
        out.append(chunk)
        length += len(chunk)
        if m.group(0) == "<u>":
            start = length
        elif start is not None:
            spans.append((start, length, "u"))
            start = None
        pos = m.end()
    out.append(cell[pos:])
    return "".join(out), spans


def extract_marks(text: str) -> tuple[str, tuple[tuple[int, str], ...]]:
    """Take superscript footnote marks out of prose: ("國家¹已", ) → ("國家已", ((2, "1"),))."""
    out: list[str] = []
    marks: list[tuple[int, str]] = []
    for ch in text:
        if ch in SUPERSCRIPTS:
            marks.append((len("".join(out)), unicodedata.normalize("NFKC", ch)))
        else:
            out.append(ch)
    return "".join(out), tuple(marks)


def text_to_records(text: str) -> list[Record]:
    """Lines of the export → records in reading order (line numbers are 1-based)."""
    records: list[Record] = []
    table_rows: list[tuple[str, ...]] = []
    table_markup: list[tuple[int, int, int, int, str]] = []
    table_line = 0

    def flush_table() -> None:
        nonlocal table_rows, table_markup
        if table_rows:
            width = max(len(r) for r in table_rows)
            rows = tuple(r + ("",) * (width - len(r)) for r in table_rows)
            records.append(TableGrid(rows=rows, line=table_line, markup=tuple(table_markup)))
        table_rows, table_markup = [], []

    for no, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        if "\t" in line:
            if not table_rows:
                table_line = no
            cells = []
            for col, cell in enumerate(line.split("\t")):
                clean, spans = split_markup(cell.strip())
                cells.append(clean)
                table_markup.extend((len(table_rows), col, s, e, tag) for s, e, tag in spans)
            table_rows.append(tuple(cells))
            continue
        if line == "":
            continue  # blank separator; a table may run on over it (a page break inside the table)
        flush_table()
        if not line.strip():
            records.append(ImageSlot(line=no))  # the export's placeholder for a picture
            continue
        m = _FOOTNOTE_LINE.match(line)
        if m:
            records.append(
                FootnoteText(mark=unicodedata.normalize("NFKC", m.group(1)), text=m.group(2).strip(), line=no)
            )
            continue
        bullet = _BULLET.match(line)
        depth = 0
        if bullet:
            depth = len(bullet.group(1))
            body = bullet.group(2)
        else:
            body = line
        body, marks = extract_marks(body.strip())
        body, _ = split_markup(body)
        records.append(Line(text=body, line=no, bullet=bool(bullet), depth=depth, marks=marks, indent="para"))
    flush_table()
    return records


def read_text_export(path: str | Path) -> SourceDoc:
    """Read a text export from disk into a :class:`SourceDoc`."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise SourceError(f"{p}: cannot read the file ({exc.strerror}) — check the path") from None
    text = decode_text(data, str(p))
    return SourceDoc(
        path=str(p),
        sha256=hashlib.sha256(data).hexdigest(),
        format="text",
        pages=None,
        records=tuple(text_to_records(text)),
    )
