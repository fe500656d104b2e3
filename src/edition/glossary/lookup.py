"""Termbase lookup: a query in any spelling → entries, best first.

Kept import-light for ``edition lookup`` (< 0.3 s end to end): only yaml, json and the
standard library; no jsonschema, spaCy, OpenCC or pdfplumber on this path.

Queries and forms are compared through :func:`lookup_key`: whitespace (full-width too)
removed, NFKC, casefold, then charmap.yaml (Simplified and shinjitai → Traditional), so
产业技术总合研究所, 産業技術総合研究所, ' aist ' and the English name in lower case all
find the same entry.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from ..errors import EditionError
from .match import is_word_char
from .normalise import Charmap, charmap_for
from .termbase import Entry, Termbase, form_key

EXACT = 0.9
"""Scores at or above this are exact matches (possibly after normalising the query)."""

# Any exact form beats any form that only matched after charmap mapping (penalty 0.05), and
# all of them stay ≥ EXACT.
_ROLE_SCORE = {"zh": 1.0, "ja": 0.99, "en": 0.99, "abbr": 0.98}
_VARIANT_SCORE = 0.97
_NORMALISED_PENALTY = 0.05


@dataclass(frozen=True)
class Match:
    """One entry found for a query."""

    entry: Entry
    """The termbase entry."""
    score: float
    """1.0 for the canonical name or id; ≥ 0.9 exact in some form; < 0.8 partial; difflib ratio for suggestions."""
    matched_form: str
    """The entry's form that matched (or the id)."""
    how: str
    """Human-readable reason, e.g. 'exact abbr', 'exact variant (shinjitai), normalised', 'partial: query in form'."""


class NoEntryMatches(EditionError):
    """No entry matches a query; the message names the closest entries."""


def lookup_key(text: str, charmap: Charmap) -> str:
    """A query or form → comparison key: no whitespace, NFKC, casefold, charmap applied."""
    return charmap.map_text(form_key(text))


def spaced_key(text: str, charmap: Charmap) -> str:
    """Like :func:`lookup_key` but with whitespace runs kept as one space (for word boundaries)."""
    text = " ".join(unicodedata.normalize("NFKC", text).split()).casefold()
    return charmap.map_text(text)


def lookup(query: str, termbase: Termbase, charmap: Charmap | None = None) -> list[Match]:
    """Entries matching ``query``, best first (one :class:`Match` per entry).

    Exact matches on id, zh, ja, en, abbr or any variant score ≥ 0.9 (slightly less when the
    query only matched after Simplified/shinjitai mapping); containment either way scores
    below 0.8, more for closer lengths. ``charmap`` defaults to charmap.yaml beside the termbase.
    """
    if charmap is None:
        charmap = charmap_for(termbase)
    raw = form_key(query)
    if not raw:
        return []
    key = charmap.map_text(raw)
    spaced = spaced_key(query, charmap)
    best: dict[str, Match] = {}
    typed = query.strip()
    for entry in termbase.entries:
        if typed == entry.id:  # ids are lowercase: 'aist' is the id, 'AIST' the abbreviation
            best[entry.id] = Match(entry, 1.0, entry.id, "exact id")
            continue
        for match in _entry_matches(entry, raw, key, spaced, charmap):
            if entry.id not in best or match.score > best[entry.id].score:
                best[entry.id] = match
    return sorted(best.values(), key=lambda m: (-m.score, m.entry.id))


def _entry_matches(entry: Entry, raw: str, key: str, spaced: str, charmap: Charmap) -> Iterable[Match]:
    for form, role in entry.forms():
        base = _ROLE_SCORE.get(role, _VARIANT_SCORE)
        label = role if role in _ROLE_SCORE else f"variant ({role})"
        if form_key(form) == raw:
            yield Match(entry, base, form, f"exact {label}")
        elif lookup_key(form, charmap) == key:
            yield Match(entry, base - _NORMALISED_PENALTY, form, f"exact {label}, normalised")
        else:
            partial = _partial_score(spaced, spaced_key(form, charmap))
            if partial:
                yield Match(entry, partial[0], form, partial[1])


def _partial_score(query: str, form: str) -> tuple[float, str] | None:
    """Containment either way, at Latin word boundaries; None if neither contains the other."""
    q, f = query.replace(" ", ""), form.replace(" ", "")
    if len(q) < 2 or len(f) < 2:
        return None
    if _contains(form, query):
        return 0.4 + 0.39 * len(q) / len(f), "partial: query in form"
    if _contains(query, form):
        return 0.3 + 0.39 * len(f) / len(q), "partial: form in query"
    return None


def _contains(big: str, small: str) -> bool:
    """``small`` occurs in ``big`` without splitting a Latin word (spaces around CJK ignored)."""
    if not any(is_word_char(c) for c in small):
        return small.replace(" ", "") in big.replace(" ", "")
    start = big.find(small)
    while start >= 0:
        end = start + len(small)
        left_ok = not (is_word_char(small[0]) and start > 0 and is_word_char(big[start - 1]))
        right_ok = not (is_word_char(small[-1]) and end < len(big) and is_word_char(big[end]))
        if left_ok and right_ok:
            return True
        start = big.find(small, start + 1)
    return False


def suggest(query: str, termbase: Termbase, n: int = 5, charmap: Charmap | None = None) -> list[Match]:
    """The ``n`` entries whose forms are closest to ``query`` by difflib ratio (ratio > 0), best first."""
    import difflib  # only when nothing matched

    if charmap is None:
        charmap = charmap_for(termbase)
    key = lookup_key(query, charmap)
    scored = []
    for entry in termbase.entries:
        options = [(difflib.SequenceMatcher(None, key, lookup_key(f, charmap)).ratio(), f) for f, _ in entry.forms()]
        options.append((difflib.SequenceMatcher(None, key, entry.id).ratio(), entry.id))
        ratio, form = max(options, key=lambda o: o[0])
        if ratio > 0:
            scored.append(Match(entry, round(ratio, 3), form, "similar"))
    return sorted(scored, key=lambda m: (-m.score, m.entry.id))[:n]


def best_matches(matches: list[Match], limit: int = 5) -> list[Match]:
    """What to show: every exact match when there is one, else the best ``limit`` partial ones."""
    exact = [m for m in matches if m.score >= EXACT]
    return exact if exact else matches[:limit]


def match_to_dict(match: Match) -> dict[str, Any]:
    """The JSON shape of a match for ``edition lookup --json``."""
    e = match.entry
    return {
        "id": e.id,
        "type": e.type,
        "zh": e.zh,
        "ja": e.ja,
        "en": e.en,
        "abbr": list(e.abbr),
        "variants": [{"form": v.form, "kind": v.kind} for v in e.variants],
        "parent": e.parent,
        "score": round(match.score, 3),
    }


def match_to_text(match: Match, mentions: list[str] = ()) -> str:
    """A readable block: zh with id/type, how it matched, then ja / en / abbr / variants / parent."""
    e = match.entry
    lines = [f"{e.zh}  [{e.id}, {e.type}]  ({match.how}: {match.matched_form})"]
    if e.ja:
        lines.append(f"  ja: {e.ja}")
    lines.append(f"  en: {e.en}")
    if e.abbr:
        lines.append(f"  abbr: {', '.join(e.abbr)}")
    if e.variants:
        lines.append("  variants: " + "; ".join(f"{v.form} ({v.kind})" for v in e.variants))
    if e.parent:
        lines.append(f"  parent: {e.parent}")
    if mentions:
        shown = mentions[:10]
        more = f" (+{len(mentions) - len(shown)} more)" if len(mentions) > len(shown) else ""
        lines.append("  in the report: " + "; ".join(shown) + more)
    return "\n".join(lines)


def no_match_message(query: str, termbase: Termbase, charmap: Charmap | None = None) -> str:
    """"no entry matches 'XYZ'; closest: A (id), B (id)" — the id is itself a valid query."""
    closest = suggest(query, termbase, n=3, charmap=charmap)
    message = f"no entry matches {query!r}"
    if closest:
        message += "; closest: " + ", ".join(f"{m.entry.zh} ({m.entry.id})" for m in closest)
    return message


def document_mentions(entry_id: str, output_dir: str | Path) -> list[str]:
    """Where built documents (output/*.json) mention an entry: 'heading (p. N)' / 'heading (line N)'.

    Reads the ``terms`` lists the build writes and the nearest enclosing section heading; pages
    are the report's printed page numbers where the PDF has them. Mentions in the body come
    before those in the front matter (the lists of contents and figures repeat the body).
    Missing or unreadable files give an empty list: this is a convenience, never an error.
    """
    body: list[str] = []
    front: list[str] = []
    for path in sorted(Path(output_dir).glob("*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        printed = (doc.get("source") or {}).get("printed_pages") or {}
        for block in doc.get("blocks", []):
            target = front if isinstance(block, dict) and block.get("type") == "front_matter" else body
            _walk_terms(block, entry_id, None, None, target, printed)
    return list(dict.fromkeys(body + front))


def _walk_terms(node: Any, entry_id: str, heading: str | None, where: str | None, found: list[str], printed: dict) -> None:
    if isinstance(node, list):
        for item in node:
            _walk_terms(item, entry_id, heading, where, found, printed)
        return
    if not isinstance(node, dict):
        return
    # A section's printed heading names the place; a block's own title only when no section does.
    if isinstance(node.get("heading"), str):
        heading = node["heading"]
    elif heading is None and isinstance(node.get("title"), str):
        heading = node["title"]
    where = _where(node, printed) or where
    terms = node.get("terms")
    if isinstance(terms, list) and any(_term_id(t) == entry_id for t in terms):
        found.append(f"{heading or '(no heading)'}" + (f" ({where})" if where else ""))
    for key, value in node.items():
        if key != "terms" and isinstance(value, (dict, list)):
            _walk_terms(value, entry_id, heading, where, found, printed)


def _where(node: dict, printed: dict | None = None) -> str | None:
    """'p. 8' (the printed page, when the PDF prints one) or 'line 412' (text export)."""
    if node.get("type") is None and "title" in node and "page" in node:
        return None  # a list entry's page is the page it points to, not where it stands
    for holder in (node, node.get("provenance")):
        if isinstance(holder, dict):
            if isinstance(holder.get("page"), int):
                number = (printed or {}).get(str(holder["page"]))
                return f"p. {number}" if number else f"PDF p. {holder['page']}"
            if isinstance(holder.get("line"), int):
                return f"line {holder['line']}"
    return None


def _term_id(term: Any) -> str | None:
    if isinstance(term, str):
        return term
    if isinstance(term, dict):
        return term.get("id") or term.get("entry_id")
    return None


def lookup_output(
    query: str, termbase: Termbase, *, as_json: bool = False, output_dir: str | Path | None = "output"
) -> str:
    """What ``edition lookup`` prints: text blocks (with report mentions) or a JSON array.

    Raises :class:`NoEntryMatches` with the closest entries when nothing matches.
    """
    charmap = charmap_for(termbase)
    matches = best_matches(lookup(query, termbase, charmap))
    if not matches:
        raise NoEntryMatches(no_match_message(query, termbase, charmap))
    if as_json:
        return json.dumps([match_to_dict(m) for m in matches], ensure_ascii=False, indent=2)
    blocks = []
    for m in matches:
        mentions = document_mentions(m.entry.id, output_dir) if output_dir else []
        blocks.append(match_to_text(m, mentions))
    return "\n\n".join(blocks)
