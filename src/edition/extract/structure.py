"""Classified blocks → the document: cover, front matter, nested sections, figures, tables,
footnotes, and QA findings about the structure.

    fold marks       footnote marks outside running text go back into the text
    figures.py       pictures, captions, sources and grids → figure and table blocks
    hierarchy.py     heading levels, inferred from the order the styles appear in
    frontmatter.py   where the cover ends (metadata)
    sections.py      the node tree with stable ids; footnotes placed after their paragraphs
    checks.py        what the extractor could not make sense of, said out loud
"""

from __future__ import annotations

from ..model import Node, SourceDoc
from .blocks import Block
from .checks import structure_findings
from .figures import assemble_figures_and_tables
from .frontmatter import contents_entries, cover_extent, cover_metadata, split_title_line
from .hierarchy import assign_levels, demote_unlisted
from .sections import blocks_to_tree, fold_marks
from .settings import DEFAULT, LayoutSettings


def blocks_to_document(blocks: list[Block], source: SourceDoc, settings: LayoutSettings = DEFAULT) -> Node:
    """Place blocks in the tree: cover → front matter → sections, with stable ids and QA."""
    blocks = [b if b.kind in ("paragraph", "item") else fold_marks(b) for b in blocks]
    blocks = split_title_line(assemble_figures_and_tables(blocks))
    start = cover_extent(blocks, source.format == "pdf")
    cover = [b for b in blocks[:start] if b.lines and b.kind not in ("figure", "table-node")]
    # a cover sheet set as a table (服務機關 | 行政院…): its fields are read from the rows; the
    # table itself stays in the document
    cover_tables = [b for b in blocks[:start] if b.kind == "table-node"]
    body = assign_levels(blocks[start:], settings)
    blocks = blocks[:start] + demote_unlisted(body, contents_entries(blocks))
    doc: Node = {"metadata": cover_metadata(cover, cover_tables), "blocks": blocks_to_tree(blocks, start)}
    doc["qa"] = structure_findings({**doc, "source": {"format": source.format}}, blocks)
    return doc
