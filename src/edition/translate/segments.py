"""The document → translation segments: every piece of Chinese a reader sees, with a stable key.

A segment's key is the id of the node that holds it plus the field (``ch4.formal1/p3#text``,
``fig-6#caption``, ``tab-1#r2c1``); its hash is taken over the normalised Chinese with all
white space removed, so a changed source segment shows up as stale in the memory while a
re-flowed line break does not.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from ..model import Node, iter_nodes

_HAN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Segment:
    """One translatable string.

    key:   node id + '#' + field — stable for the same source.
    zh:    the normalised Chinese.
    kind:  heading, paragraph, list_item, caption, source, figure-text, cell, footnote,
           list-entry, metadata.
    terms: glossary entry ids mentioned in this segment (for the consistency check).
    """

    key: str
    zh: str
    kind: str
    terms: tuple[str, ...] = ()
    setter: Callable[..., None] | None = field(default=None, compare=False, repr=False)

    @property
    def hash(self) -> str:
        return zh_hash(self.zh)


def zh_hash(zh: str) -> str:
    """Short content hash of Chinese text, blind to white space."""
    return hashlib.sha256(_WS.sub("", zh).encode("utf-8")).hexdigest()[:12]


def needs_translation(text: str | None) -> bool:
    """Only text with Han or kana characters needs English; Latin-only text is already English."""
    return bool(text) and bool(_HAN.search(text or ""))


def _terms(node: Node, fld: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t["id"] for t in node.get("terms", []) if t["field"] == fld))


def _record(node: Node, key: str, status: str, notes: list[Node] | None) -> None:
    """The segment's state (and its translator's notes, if any) on the node, by segment key."""
    node.setdefault("translation", {})[key] = status
    if notes:
        node.setdefault("translator_notes", {})[key] = notes


def _set(node: Node, key: str) -> Callable[..., None]:
    def setter(en: str | None, status: str, notes: list[Node] | None = None) -> None:
        node["en"] = en
        _record(node, key, status, notes)

    return setter


def _set_in(node: Node, sub: str, key: str, index: int | None = None) -> Callable[..., None]:
    """Store English in ``node["en"][sub]`` (or ``[sub][index]`` for a list field)."""

    def setter(en: str | None, status: str, notes: list[Node] | None = None) -> None:
        target: dict[str, Any] = node.setdefault("en", {})
        if index is None:
            target[sub] = en
        else:
            lst = target.setdefault(sub, [None] * len(node.get(sub, [])))
            lst[index] = en
        _record(node, key, status, notes)

    return setter


def document_to_segments(doc: Node) -> list[Segment]:
    """Every translatable string of the document, in reading order, each key unique.

    Each segment carries a setter that stores its English (with its state and translator's
    notes) on the node it came from, so the translation stage never has to find the node again.
    """
    out: list[Segment] = []
    seen: set[str] = set()

    def add(key: str, text: Any, kind: str, terms: tuple[str, ...], setter) -> None:
        if isinstance(text, str) and needs_translation(text) and key not in seen:
            seen.add(key)
            out.append(Segment(key, text, kind, terms, setter))

    meta = doc.get("metadata", {})
    for fld in ("title", "report_kind", "trip_category", "agency", "country"):
        add(f"meta#{fld}", meta.get(fld), "metadata", _terms(meta, fld), _set_in(meta, fld, f"meta#{fld}"))
    for i, a in enumerate(meta.get("authors", [])):
        key = f"meta#author{i + 1}"
        add(key, a.get("printed"), "metadata", (), _set(a, key))
    for fld in ("travel_period", "report_date"):
        add(f"meta#{fld}", (meta.get(fld) or {}).get("printed"), "metadata", (), _set_in(meta, fld, f"meta#{fld}"))

    for n in iter_nodes(doc.get("blocks", [])):
        t = n.get("type")
        nid = n.get("id", "")
        if t in ("section", "front_matter"):
            key = f"{nid}#heading"
            add(key, n.get("title") or n.get("heading"), "heading", _terms(n, "title"), _set(n, key))
            for k, e in enumerate(n.get("entries", [])):
                key = f"{nid}#e{k + 1}"
                add(key, e.get("caption") or e.get("title"), "list-entry", _terms(e, "caption"), _set(e, key))
        elif t in ("paragraph", "list_item", "footnote"):
            key = f"{nid}#text"
            add(key, n.get("text"), "footnote" if t == "footnote" else t, _terms(n, "text"), _set(n, key))
        elif t == "figure":
            add(f"{nid}#caption", n.get("caption"), "caption", _terms(n, "caption"), _set_in(n, "caption", f"{nid}#caption"))
            add(f"{nid}#source", n.get("source"), "source", _terms(n, "source"), _set_in(n, "source", f"{nid}#source"))
            for k, s in enumerate(n.get("figure_text", [])):
                key = f"{nid}#t{k + 1}"
                add(key, s, "figure-text", _terms(n, f"figure_text[{k}]"), _set_in(n, "figure_text", key, k))
        elif t == "table":
            add(f"{nid}#caption", n.get("caption"), "caption", _terms(n, "caption"), _set_in(n, "caption", f"{nid}#caption"))
            for r, row in enumerate(n.get("rows", [])):
                for c, cell in enumerate(row):
                    key = f"{nid}#r{r + 1}c{c + 1}"
                    add(key, cell.get("text"), "cell", _terms(cell, "text"), _set(cell, key))
    return out
