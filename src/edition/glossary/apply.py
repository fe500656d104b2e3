"""The glossary stage applied to a document: normalise every Chinese field, record glossary mentions.

Every changed field keeps its printed value in the node's ``original`` and every change in
``edits`` (field, offsets, kind), so nothing of the source is lost. Mentions are found in the
normalised text and recorded as ``terms`` on the node that holds them.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterator

from ..model import Node, copy_document
from .match import find_mentions
from .charmap import Charmap, charmap_for
from .normalise import address_spans, japanese_label_indices, normalise_text
from .termbase import Termbase

# Which string fields of which node types are text a reader sees (and so are normalised).
TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "section": ("heading", "title"),
    "front_matter": ("heading",),
    "paragraph": ("text",),
    "list_item": ("text",),
    "footnote": ("text",),
    "figure": ("label", "caption", "source"),
    "table": ("label", "caption"),
    "entry": ("text", "title", "caption"),
    "cell": ("text",),
    "metadata": ("title", "title_printed", "agency", "country"),
}
# Fields in which mentions are recorded (the printed heading repeats the title, so only one).
MENTION_FIELDS: dict[str, tuple[str, ...]] = {
    "section": ("title",),
    "front_matter": (),
    "paragraph": ("text",),
    "list_item": ("text",),
    "footnote": ("text",),
    "figure": ("caption", "source"),
    "table": ("caption",),
    "entry": ("caption",),
    "cell": ("text",),
    "metadata": ("title", "agency"),
}


def iter_text_nodes(doc: Node) -> Iterator[tuple[str, Node]]:
    """(kind, node) for every node with reader-visible text: blocks, list items, entries, cells, cover."""
    yield "metadata", doc["metadata"]

    def walk(nodes: list[Node]) -> Iterator[tuple[str, Node]]:
        for n in nodes:
            t = n.get("type")
            yield t, n
            if t == "list":
                for it in n["items"]:
                    yield "list_item", it
            for e in n.get("entries", []):
                yield "entry", e
            if t == "table":
                for row in n["rows"]:
                    for cell in row:
                        if "text" in cell:
                            yield "cell", cell
            if "children" in n:
                yield from walk(n["children"])

    yield from walk(doc["blocks"])


_BASIC_CJK = re.compile("[\u4e00-\u9fff]")


def document_script(doc: Node, charmap: Charmap) -> str:
    """"zh-Hans" for a document written in Simplified Chinese, "zh-Hant" otherwise.

    Counted with the charmap's Simplified characters: a Traditional report with a leak or two
    (the Hokkaido report has 3 in 55,000 characters) stays Traditional; in Simplified prose
    these common characters (这, 们, 发, 国 …) make up several in every hundred.
    """
    han = simplified = 0
    only = charmap.simplified  # what lookup() calls "simplified" (it looks there first)
    for kind, node in iter_text_nodes(doc):
        for field in TEXT_FIELDS.get(kind, ()):
            value = node.get(field)
            if not isinstance(value, str):
                continue
            # the basic CJK block's characters picked out and looked up in C, not one by one
            basic = "".join(_BASIC_CJK.findall(value))
            han += len(basic)
            simplified += sum(map(only.__contains__, basic))
    return "zh-Hans" if han and simplified >= 0.02 * han else "zh-Hant"


def simplified_converter():
    """OpenCC's Simplified → Taiwan Traditional conversion (characters and Taiwan standard forms,
    not Taiwan vocabulary: 软件 becomes 軟件, not 軟體 — the author's words stay theirs)."""
    import opencc

    return opencc.OpenCC("s2tw").convert


def _normalise_field(node: Node, field: str, value: str, termbase: Termbase, charmap: Charmap | None, counts: Counter,
                     convert=None) -> str:
    result = normalise_text(value, termbase, charmap, convert)
    if result.text != value:
        node.setdefault("original", {})[field] = value
        node.setdefault("edits", []).extend(
            {"field": field, "start": e.start, "end": e.end, "original": e.original, "replacement": e.replacement, "kind": e.kind}
            for e in result.edits
        )
        counts.update(e.kind for e in result.edits)
    return result.text


def text_mentions(text: str, termbase: Termbase) -> list:
    """The glossary mentions of a field, less those that name a place: inside a Japanese
    address (札幌市北区北8条西5) or a city before its ward (札幌市北區北8條至北25條). The
    English keeps the place name ("Kita-ku, Sapporo"), not the City of Sapporo as a body."""
    addresses = address_spans(text)
    return [
        m for m in find_mentions(text, termbase)
        if not any(s <= m.start and m.end <= e for s, e in addresses) and not _WARD.match(text, m.end)
    ]


# A ward after a city's name makes the city a place: 北區, 豐平区, 厚別區.
_WARD = re.compile("[\u4e00-\u9fff]{1,3}[區区]")


def apply_glossary(doc: Node, termbase: Termbase, charmap: Charmap | None = None) -> Node:
    """A new document with normalised text, ``original``/``edits`` where changed, and ``terms``."""
    out = copy_document(doc)
    if charmap is None:
        charmap = charmap_for(termbase)  # read once, not per field
    counts: Counter = Counter()
    mentions = 0
    used: set[str] = set()
    script = document_script(out, charmap)
    convert = simplified_converter() if script == "zh-Hans" else None  # a Simplified report: the whole text
    if script == "zh-Hans":
        out["source"] = {**out.get("source", {}), "script": script}
    for kind, node in iter_text_nodes(out):
        for field in TEXT_FIELDS.get(kind, ()):
            value = node.get(field)
            if isinstance(value, str) and value:
                node[field] = _normalise_field(node, field, value, termbase, charmap, counts, convert)
        if kind == "figure":
            texts = node.get("figure_text", [])
            japanese = japanese_label_indices(texts)  # 施設外観 among kana labels stays Japanese
            for i, value in enumerate(texts):
                if i not in japanese:
                    texts[i] = _normalise_field(node, f"figure_text[{i}]", value, termbase, charmap, counts, convert)
        terms = []
        for field in MENTION_FIELDS.get(kind, ()):
            value = node.get(field)
            if isinstance(value, str) and value:
                for m in text_mentions(value, termbase):
                    terms.append({"id": m.entry_id, "field": field, "start": m.start, "end": m.end, "form": value[m.start : m.end]})
        if kind == "figure":
            for i, value in enumerate(node.get("figure_text", [])):
                for m in text_mentions(value, termbase):
                    terms.append({"id": m.entry_id, "field": f"figure_text[{i}]", "start": m.start, "end": m.end, "form": value[m.start : m.end]})
        if terms:
            node["terms"] = terms
            mentions += len(terms)
            used.update(t["id"] for t in terms)
    by_id = {e.id: e for e in termbase.entries}
    out["glossary"] = [
        {k: v for k, v in (("id", i), ("zh", by_id[i].zh), ("ja", by_id[i].ja), ("en", by_id[i].en), ("abbr", list(by_id[i].abbr)), ("type", by_id[i].type)) if v not in (None, "")}
        for i in sorted(used)
    ]
    stats = dict(out.get("stats", {}))
    stats["mentions"] = mentions
    stats["entries_mentioned"] = len(used)
    stats["normalisation"] = dict(sorted(counts.items()))
    out["stats"] = stats
    return out
