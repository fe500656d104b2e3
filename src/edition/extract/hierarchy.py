"""Heading levels, inferred per document from the order its styles appear in and how they nest.

No fixed table says that 一、 is level 3: one report opens its chapters with 壹、, another with
1.1, a regulation has no chapters at all, and unnumbered headings are known only by their type.
A reader infers the hierarchy the way this does, with a stack of the styles currently open:

* a heading in a style already open closes everything opened after it and is its sibling;
* a heading in a new style opens under the current one — unless convention (第X章 › 壹、 › 一、
  › (一) › 1、 › (1); 1.1 › 1.1.1) or a clearly larger type says it belongs further out, as
  when a chapter skips a level the others have;
* front matter (摘要, 目錄 …) starts afresh.

The level of a heading is the depth of its stack when it opens.

Where the report has a contents list, it says how deep the author's outline goes: numbered
divisions nested below every style the contents lists, in a style it never lists ("a." and
"i." inside a thesis's 1.1 sections), are the numbered paragraphs of the text, not sections
(:func:`demote_unlisted`).
"""

from __future__ import annotations

from dataclasses import replace

from .blocks import Block
from .numbering import conventionally_outer, parse_marker
from .settings import DEFAULT, LayoutSettings


def outer(a: Block, b: Block, settings: LayoutSettings = DEFAULT) -> bool:
    """Whether heading ``a`` belongs further out than the open heading ``b``.

    Numbering convention decides where both are numbered in styles it knows; otherwise the
    type decides: a heading set clearly larger than an open one is not nested inside it.
    """
    conv = conventionally_outer(a.marker, b.marker)
    if conv is not None:
        return conv
    if a.size is not None and b.size is not None:
        return a.size >= b.size + settings.heading_size_step
    return False


def assign_levels(blocks: list[Block], settings: LayoutSettings = DEFAULT) -> list[Block]:
    """Every heading with its ``level`` (1 = the document's top division)."""
    out: list[Block] = []
    stack: list[Block] = []
    for b in blocks:
        if b.kind == "front":
            stack = []
        if b.kind != "heading":
            out.append(b)
            continue
        open_styles = [h.style for h in stack]
        if b.style in open_styles:
            del stack[open_styles.index(b.style):]
        else:
            while stack and outer(b, stack[-1], settings):
                stack.pop()
        stack.append(b)
        out.append(replace(b, level=len(stack)))
    return out


def listed_styles(entries: list[str]) -> set[str]:
    """Style keys of the contents entries' titles; "plain" for an unnumbered entry."""
    out: set[str] = set()
    for title in entries:
        mk = parse_marker(title)
        out.add(mk.key if mk is not None else "plain")
    return out


# Numbering styles that enumerate rather than divide: Chinese reports outline with 第X章, 壹、,
# 一、, (一), 1、 and decimals, and count points inside a division with letters, Roman numerals,
# circled numbers and bracketed or dotted Arabic numbers.
_ENUMERATORS = ("letter", "paren-letter", "roman", "circled", "paren-arabic")


def _enumerator(style: str) -> bool:
    kind, _, rest = style.partition(":")
    return kind in _ENUMERATORS or (kind == "arabic" and not rest.startswith("、"))


def demote_unlisted(blocks: list[Block], entries: list[str]) -> list[Block]:
    """Numbered divisions the report's outline does not know → numbered paragraphs.

    Only where the contents list is an outline — it names divisions at two levels or more (a
    list of chapters alone says nothing about what lies inside them). A numbering style the
    list never names is then a run-in enumeration of the text, not a division, when it is an
    enumerating style ("a.", "i.", "(1)" inside a thesis's 1.1 sections; "（1）GUI界面：" in a list
    of features) or when its headings are mostly set in the body's type (headings only because
    each stood on a line of its own). Demoted lines stay in the text, marked as subheadings.
    No contents list: no change.
    """
    if len(entries) < 3:
        return blocks
    listed = listed_styles(entries)

    def is_listed(b: Block) -> bool:
        return ((b.style or "").startswith("plain:") and "plain" in listed) or b.style in listed

    headings = [b for b in blocks if b.kind == "heading"]
    if len({b.level for b in headings if is_listed(b)}) < 2:
        return blocks
    typography = any(b.evidence == "type" for b in headings)  # none in a text export
    votes: dict[str, list[bool]] = {}
    for b in headings:
        if not is_listed(b) and b.style and not b.style.startswith("plain:"):
            votes.setdefault(b.style, []).append(b.evidence == "type")
    demoted = {style for style, typed in votes.items()
               if _enumerator(style) or (typography and sum(typed) * 2 <= len(typed))}
    return [
        replace(b, kind="paragraph", note="subheading", level=None, style=None)
        if b.kind == "heading" and b.style in demoted
        else b
        for b in blocks
    ]
