"""The stage order, in one place.

    read_source        PDF or text export → SourceDoc (records with geometry and typography)
                         reading/pdfium.py    every page's characters, paths, pictures (PDFium)
                         reading/pages.py     one page → printed lines, tables (reading/tables.py)
                         reading/layout.py    furniture, footnotes, columns, indents, block starts
                         reading/text.py      the text export's lines, tables and footnotes
    lines_to_blocks    records → blocks (lines grouped)                      extract/blocks.py
    classify_blocks    an ordered list of rules → headings, items, captions … extract/rules.py
    join_split_paragraphs   paragraphs cut by a page break or a figure joined again
    blocks_to_document blocks → cover, front matter, sections, figures, tables, footnotes, qa
                                                                             extract/structure.py
    reconcile_lists    the report's own lists vs the body → resolved figure numbers, qa
                                                                             extract/lists.py

Every layout threshold is a field of ``extract.settings.LayoutSettings``.
"""

from __future__ import annotations

from pathlib import Path

from .errors import SourceError
from .extract.blocks import join_split_paragraphs, lines_to_blocks
from .extract.checks import (body_share_findings, empty_body_findings, furniture_findings, unread_page_findings,
                             unreadable_findings)
from .extract.lists import reconcile_lists
from .extract.rules import classify_blocks
from .extract.settings import DEFAULT, LayoutSettings
from .extract.structure import blocks_to_document
from .model import SCHEMA_VERSION, Node, SourceDoc

TEXT_SUFFIXES = (".txt", ".md", ".text")


def read_source(path: str | Path, password: str | None = None, jobs: int | None = None,
                settings: LayoutSettings = DEFAULT) -> SourceDoc:
    """Pick the reader by the file's content and name: %PDF → the PDF reader, else a text export."""
    p = Path(path)
    if not p.exists():
        raise SourceError(f"{p}: no such file — check the path")
    if p.is_dir():
        raise SourceError(f"{p}: is a directory — give a PDF or a .txt/.md text export")
    with p.open("rb") as fh:
        head = fh.read(1032)
    from .reading.pdf import pdf_header_offset

    if p.suffix.lower() == ".pdf" or pdf_header_offset(head) is not None:
        from .reading.pdf import read_pdf

        return read_pdf(p, password=password, jobs=jobs, settings=settings)
    if p.suffix.lower() in TEXT_SUFFIXES or not p.suffix:
        from .reading.text import read_text_export

        return read_text_export(p)
    from .reading.sniff import sniff

    kind, fix = sniff(head) or ("an unknown kind of file", "give a PDF or a .txt/.md text export")
    if kind == "a text file":
        fix = "if it is the report's text export, rename it to .txt"
    raise SourceError(f"{p}: {kind}, not a source this tool reads — {fix}")


def source_to_document(src: SourceDoc, settings: LayoutSettings = DEFAULT) -> Node:
    """Records → the extracted document (before glossary and translation)."""
    blocks = join_split_paragraphs(classify_blocks(lines_to_blocks(list(src.records)), settings))
    body = blocks_to_document(blocks, src, settings)
    doc: Node = {
        "schema_version": SCHEMA_VERSION,
        "source": {"path": Path(src.path).name, "sha256": src.sha256, "format": src.format, "pages": src.pages},
        "metadata": body["metadata"],
        "blocks": body["blocks"],
        "furniture": [
            {k: v for k, v in (("kind", f.kind), ("text", f.text), ("page", f.page), ("line", f.line)) if v is not None}
            for f in src.furniture
        ],
        "qa": body["qa"],
    }
    if src.printed_pages:
        doc["source"]["printed_pages"] = {str(k): v for k, v in sorted(src.printed_pages.items())}
    doc["qa"] = (doc["qa"] + furniture_findings(src.furniture) + body_share_findings(doc, src.han_chars)
                 + unreadable_findings(src.unreadable) + unread_page_findings(src.unread_pages) + empty_body_findings(doc))
    return reconcile_lists(doc)


def extract(path: str | Path, password: str | None = None, jobs: int | None = None,
            settings: LayoutSettings = DEFAULT) -> Node:
    """Read and structure one source document."""
    return source_to_document(read_source(path, password=password, jobs=jobs, settings=settings), settings)
