"""The document → translation segments: every piece of Chinese a reader sees, with a stable key.

A segment's key is the id of the node that holds it plus the field (``ch4.formal1/p3#text``,
``fig-6#caption``, ``tab-1#r2c1``); its hash is taken over the normalised Chinese with all
white space removed, so a changed source segment shows up as stale in the memory while a
re-flowed line break does not.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Iterator

from ..model import Node

_HAN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Segment:
    """One translatable string: ``key`` (node id + '#' + field), ``zh`` (normalised), ``kind``."""

    key: str
    zh: str
    kind: str

    @property
    def hash(self) -> str:
        return zh_hash(self.zh)


def zh_hash(zh: str) -> str:
    """Short content hash of Chinese text, blind to white space."""
    return hashlib.sha256(_WS.sub("", zh).encode("utf-8")).hexdigest()[:12]


def needs_translation(text: str | None) -> bool:
    """Only text with Han or kana characters needs English; Latin-only text is already English."""
    return bool(text) and bool(_HAN.search(text or ""))


def _walk(nodes: list[Node]) -> Iterator[Node]:
    for n in nodes:
        yield n
        if "children" in n:
            yield from _walk(n["children"])
        if n.get("type") == "list":
            yield from n["items"]


def document_to_segments(doc: Node) -> list[Segment]:
    """Every translatable string of the document, in reading order, each key unique."""
    out: list[Segment] = []
    seen: set[str] = set()

    def add(key: str, text: str | None, kind: str) -> None:
        if needs_translation(text) and key not in seen:
            seen.add(key)
            out.append(Segment(key, text or "", kind))

    meta = doc.get("metadata", {})
    for field in ("title", "report_kind", "trip_category", "agency", "country"):
        add(f"meta#{field}", meta.get(field), "metadata")
    for i, a in enumerate(meta.get("authors", [])):
        add(f"meta#author{i + 1}", a.get("printed"), "metadata")
    for field in ("travel_period", "report_date"):
        add(f"meta#{field}", (meta.get(field) or {}).get("printed"), "metadata")

    for n in _walk(doc.get("blocks", [])):
        t = n.get("type")
        nid = n.get("id", "")
        if t in ("section", "front_matter"):
            add(f"{nid}#heading", n.get("title") or n.get("heading"), "heading")
            for k, e in enumerate(n.get("entries", [])):
                add(f"{nid}#e{k + 1}", e.get("caption") or e.get("title"), "list-entry")
        elif t in ("paragraph", "list_item"):
            add(f"{nid}#text", n.get("text"), t)
        elif t == "footnote":
            add(f"{nid}#text", n.get("text"), "footnote")
        elif t == "figure":
            add(f"{nid}#caption", n.get("caption"), "caption")
            add(f"{nid}#source", n.get("source"), "source")
            for k, s in enumerate(n.get("figure_text", [])):
                add(f"{nid}#t{k + 1}", s, "figure-text")
        elif t == "table":
            add(f"{nid}#caption", n.get("caption"), "caption")
            for r, row in enumerate(n.get("rows", [])):
                for c, cell in enumerate(row):
                    add(f"{nid}#r{r + 1}c{c + 1}", cell.get("text"), "cell")
    return out
