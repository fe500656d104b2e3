"""What a file is, by its first bytes: for messages about a source that is not what its name says.

A "PDF" that will not open is most often something else under a .pdf name: the HTML error
page a failed download saved, a scan saved as PNG or JPEG, a Word file, the text export.
Naming what it is tells the user what to do.
"""

from __future__ import annotations

# (magic bytes at offset 0, what the file is, what to do)
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF", "a PDF", "open it as a PDF"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", "run OCR on it (e.g. ocrmypdf) or get the report's PDF"),
    (b"\xff\xd8\xff", "a JPEG image", "run OCR on it (e.g. ocrmypdf) or get the report's PDF"),
    (b"GIF8", "a GIF image", "get the report's PDF"),
    (b"II*\x00", "a TIFF image", "run OCR on it (e.g. ocrmypdf) or get the report's PDF"),
    (b"MM\x00*", "a TIFF image", "run OCR on it (e.g. ocrmypdf) or get the report's PDF"),
    (b"PK\x03\x04", "a ZIP archive (a .docx / .odt document?)", "save the report as PDF, or export its text as .txt"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.doc?)", "save the report as PDF, or export its text as .txt"),
    (b"{\\rtf", "an RTF document", "save the report as PDF, or export its text as .txt"),
)


def sniff(head: bytes) -> tuple[str, str] | None:
    """(what the file is, what to do) from its first bytes (1 KB is plenty), or None if unknown."""
    for magic, kind, fix in _MAGIC:
        if head.startswith(magic):
            return kind, fix
    start = head.lstrip()[:256].lower()
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<?xml")) or b"<html" in start:
        return "an HTML page (a failed download?)", "download the PDF again"
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 3:  # a multi-byte char cut at the end of head is fine
                return None
        return "a text file", "if it is the report's text export, rename it to .txt"
    return None
