"""The bilingual view a renderer formats: every translatable field as (zh, en, state, notes).

The translation stage leaves its results spread over the document: ``en`` (a string, or a dict
for figures, tables and the cover), ``translation`` (segment key → state) and
``translator_notes`` (segment key → notes), on the node or on its entries, cells and authors.
Only this module knows that layout; a renderer asks for a node's heading, text, caption or
cell and gets a :class:`Bilingual`, so a second renderer (HTML) formats only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Node

# Findings about the translation, not the source: the QA report lists them; they are no remarks on the text.
TRANSLATION_KINDS = frozenset({"missing-translation", "draft-translation", "stale-translation", "memory-missing", "term-inconsistent"})


@dataclass(frozen=True)
class Note:
    """A translator's note: its text, and where it stood in the English (an offset)."""

    at: int
    text: str


@dataclass(frozen=True)
class Bilingual:
    """One translatable field as a reader sees it.

    zh:    the Chinese (normalised) as the edition prints it.
    en:    the English to show; None when there is none (state missing).
    state: translated | draft | stale | missing — or "original" for text that needs no
           English (Latin script only): ``en`` is then the text itself.
    notes: translator's notes on the English, with offsets into ``en``.
    key:   the segment key (node id + field).
    """

    zh: str
    en: str | None
    state: str
    notes: tuple[Note, ...] = ()
    key: str = ""

    @property
    def needs_english(self) -> bool:
        return self.state != "original"


def bilingual(holder: Node, key: str, zh: str | None, en: str | None) -> Bilingual:
    """The field ``key`` of a node (or entry, cell, author) that holds its state and notes."""
    state = (holder.get("translation") or {}).get(key)
    zh = zh or ""
    if state is None:  # not a segment: Latin-only text is its own English
        return Bilingual(zh, zh, "original", (), key)
    notes = tuple(Note(n["at"], n["text"]) for n in (holder.get("translator_notes") or {}).get(key, []))
    return Bilingual(zh, None if state == "missing" else en, state, notes, key)


_COLON = re.compile(r"^(.*?[^\s：:])\s*([：:])\s*(\S.*)$", re.S)


class DocumentView:
    """Bilingual fields of a built document, looked up by node."""

    def __init__(self, doc: Node):
        self.doc = doc
        self._remarks: dict[str, list[str]] = {}
        for q in doc.get("qa", []):
            if q.get("id") and q["kind"] not in TRANSLATION_KINDS:
                self._remarks.setdefault(q["id"], []).append(q["message"])

    # -- cover --------------------------------------------------------------------------------

    def meta(self, fld: str) -> Bilingual:
        m = self.doc["metadata"]
        return bilingual(m, f"meta#{fld}", m.get(fld), (m.get("en") or {}).get(fld))

    def author(self, i: int) -> Bilingual:
        a = self.doc["metadata"]["authors"][i]
        return bilingual(a, f"meta#author{i + 1}", a.get("printed"), a.get("en"))

    def date(self, fld: str) -> Bilingual:
        m = self.doc["metadata"]
        return bilingual(m, f"meta#{fld}", (m.get(fld) or {}).get("printed"), (m.get("en") or {}).get(fld))

    # -- blocks -------------------------------------------------------------------------------

    def heading(self, n: Node) -> Bilingual:
        """A section's title (without its marker) or a front matter's heading."""
        zh = n.get("title") if n["type"] == "section" else n.get("heading")
        return bilingual(n, f"{n['id']}#heading", zh, n.get("en"))

    def text(self, n: Node) -> Bilingual:
        """A paragraph's, list item's or footnote's text."""
        return bilingual(n, f"{n['id']}#text", n.get("text"), n.get("en"))

    def entry(self, front_matter: Node, k: int) -> Bilingual:
        e = front_matter["entries"][k]
        return bilingual(e, f"{front_matter['id']}#e{k + 1}", e.get("caption") or e.get("title"), e.get("en"))

    def caption(self, n: Node) -> Bilingual:
        return bilingual(n, f"{n['id']}#caption", n.get("caption"), (n.get("en") or {}).get("caption"))

    def source(self, n: Node) -> Bilingual:
        return bilingual(n, f"{n['id']}#source", n.get("source"), (n.get("en") or {}).get("source"))

    def figure_texts(self, n: Node) -> list[Bilingual]:
        texts = n.get("figure_text", [])
        en = (n.get("en") or {}).get("figure_text") or []
        return [bilingual(n, f"{n['id']}#t{k + 1}", t, en[k] if k < len(en) else None) for k, t in enumerate(texts)]

    def cell(self, table: Node, r: int, c: int) -> Bilingual:
        cell = table["rows"][r][c]
        return bilingual(cell, f"{table['id']}#r{r + 1}c{c + 1}", cell.get("text"), cell.get("en"))

    # -- remarks and shape ------------------------------------------------------------------

    def remarks(self, n: Node) -> list[str]:
        """Editorial (QA) remarks on a node, for notes the reader can follow."""
        if n["type"] == "figure":
            printed, number = n.get("printed_number"), n.get("number")
            if printed is not None and printed != number:
                return [f"Printed under the picture as 圖 {printed}; the report's list of figures numbers it {number}."]
            return []
        return [m[:1].upper() + m[1:] for m in self._remarks.get(n["id"], [])]

    @staticmethod
    def lead_and_rest(text: str) -> tuple[str, str, str] | None:
        """'期間：101年…' → ('期間', '：', '101年…'): a label, its colon and what follows; None without."""
        m = _COLON.match(text)
        return (m.group(1), m.group(2), m.group(3)) if m else None

    def is_item(self, n: Node) -> bool:
        """A numbered item the report sets like a heading — a label, a colon and content after
        it ('一、期間：101年11月26日…'), below the contents' depth — reads as an item with a bold
        lead, not as a heading. One with sub-headings of its own stays a heading."""
        if n["type"] != "section" or n.get("level", 1) <= 2 or self.lead_and_rest(n.get("title") or "") is None:
            return False
        return all(self.is_item(c) for c in n.get("children", []) if c["type"] == "section")
