"""Termbase lookup: a query in any spelling → entries, best first.

Kept import-light for ``edition lookup`` (< 0.3 s end to end): only yaml, json and the
standard library on the common path; no jsonschema, spaCy or pdfplumber. OpenCC is imported
only for a query that still holds characters outside Big5 after the character map — a
Simplified query — because loading its phrase dictionary costs about 90 ms.

Queries and forms are compared through :func:`lookup_key`: whitespace (full-width too)
removed, NFKC, casefold, charmap.yaml (Simplified and shinjitai → Traditional) and its
``lookup_only`` spellings (綜 → 總, センター → 中心, centre → center). The query alone goes
through OpenCC ``s2t`` as well; the document never does. So 产业技术综合研究所,
産業技術総合研究所, 產業技術綜合研究所, ' aist ' and the English name in lower case all find
the same entry.

Ranking, best first: an exact form as typed (canonical zh 1.0, ja / en .99, abbreviation .98,
variant .97); the same forms after normalising (.05 less, all ≥ 0.9); then partial matches
(< 0.8): the query inside a form (or starting a word of an English form: "Hokkaido Univ"),
closer lengths first, then a form inside the query. When nothing matches at all, forms
within a small edit distance (typos) are offered as "similar".
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from ..errors import EditionError
from .match import is_word_char
from .charmap import Charmap, charmap_for
from .termbase import Entry, Termbase, form_key

EXACT = 0.9
"""Scores at or above this are exact matches (possibly after normalising the query)."""

SHOWN = 5
"""Partial matches shown by default; the rest are counted ("+N more"), never dropped silently."""

TYPO_RATIO = 0.8
"""difflib ratio from which a form counts as the query mistyped (when nothing else matches)."""
TYPO_MIN_LENGTH = 4
"""Shorter queries are not guessed at: METX is as close to METI as to many abbreviations."""

# Any exact form beats any form that only matched after normalising (penalty 0.05), and all of
# them stay ≥ EXACT.
_ROLE_SCORE = {"zh": 1.0, "ja": 0.99, "en": 0.99, "abbr": 0.98}
_VARIANT_SCORE = 0.97
_NORMALISED_PENALTY = 0.05
# A word prefix ("Hokkaido Univ") ranks just below the same length contained as whole words.
_PREFIX_PENALTY = 0.02


@dataclass(frozen=True)
class Match:
    """One entry found for a query."""

    entry: Entry
    """The termbase entry."""
    score: float
    """1.0 for the canonical name or id; ≥ 0.9 exact in some form; < 0.8 partial; < 0.5 similar (typo)."""
    matched_form: str
    """The entry's form that matched (or the id)."""
    how: str
    """Human-readable reason, e.g. 'exact abbr', 'exact variant (shinjitai), normalised', 'partial: query in form'."""


class NoEntryMatches(EditionError):
    """No entry matches a query; the message names the closest entries."""


def lookup_key(text: str, charmap: Charmap) -> str:
    """A form → comparison key: NFKC, casefold, charmap and lookup-only spellings applied, no whitespace."""
    return spaced_key(text, charmap).replace(" ", "")


def spaced_key(text: str, charmap: Charmap) -> str:
    """Like :func:`lookup_key` but with whitespace runs kept as one space (for word boundaries)."""
    text = " ".join(unicodedata.normalize("NFKC", text).split()).casefold()
    return charmap.meet_variants(charmap.map_text(text))


def query_to_traditional(text: str, charmap: Charmap) -> str:
    """The query with the charmap applied and every character still outside Big5 (a Simplified
    one the charmap does not list: 综, 机, 构) converted by OpenCC's Simplified → Traditional
    character table. Characters valid in Taiwan are kept as typed (OpenCC would turn 干 into
    幹 and 岩 into 巖).

    Only the query is converted: for a lookup a wrong guess only costs a match, while the
    document keeps the reviewed charmap (see normalise.py).
    """
    mapped = charmap.map_text(text)
    if not any(_needs_opencc(c) for c in mapped):
        return mapped
    convert = _s2t_characters()
    return "".join(convert(c) if _needs_opencc(c) else c for c in mapped)


def _needs_opencc(c: str) -> bool:
    """A Han character outside Big5's frequently used level (A440–C67E): a Simplified form.

    Level 2 holds rare characters that double as Simplified ones (机 for 機, 构 for 構); the
    common level holds every character Taiwan writes (干, 岩, 台, 里 stay as typed).
    """
    if not ("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"):
        return False  # kana, Latin, digits, punctuation: nothing for s2t to do
    try:
        return c.encode("cp950") >= _BIG5_LEVEL_2
    except UnicodeEncodeError:
        return True


_BIG5_LEVEL_2 = b"\xc9\x40"


def _s2t_characters():
    """OpenCC's STCharacters table alone, as a ``str → str`` function.

    The stock ``s2t`` config also loads the phrase dictionaries: 67 ms of a lookup that must
    stay under 0.3 s, for phrases a one-character conversion does not need. OpenCC reads a
    config only from a file, and resolves dictionaries beside it, so a two-line config naming
    the package's own STCharacters.ocd2 is written to a temporary file (1.5 ms to load). An
    OpenCC build laid out differently falls back to the stock config.
    """
    import opencc  # ~20 ms: only for a query with Simplified characters

    table = Path(opencc.__file__).parent / "clib" / "share" / "opencc" / "STCharacters.ocd2"
    if not table.is_file():
        return opencc.OpenCC("s2t").convert
    import os
    import tempfile

    dictionary = {"type": "ocd2", "file": str(table)}
    config = {"name": "s2t characters", "segmentation": {"type": "mmseg", "dict": dictionary},
              "conversion_chain": [{"dict": dictionary}]}
    fd, path = tempfile.mkstemp(prefix="edition-s2t-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(config, fh)
        return opencc.OpenCC(path).convert
    except Exception:  # an OpenCC that reads configs differently: correct, only slower
        return opencc.OpenCC("s2t").convert
    finally:
        os.unlink(path)


def lookup(query: str, termbase: Termbase, charmap: Charmap | None = None) -> list[Match]:
    """Entries matching ``query``, best first (one :class:`Match` per entry, the best of its forms).

    Exact matches on id, zh, ja, en, abbr or any variant score ≥ 0.9 (slightly less when the
    query only matched after normalising); containment either way scores below 0.8, more for
    closer lengths. ``charmap`` defaults to charmap.yaml beside the termbase.
    """
    if charmap is None:
        charmap = charmap_for(termbase)
    raw = form_key(query)
    if not raw:
        return []
    # lookup-only spellings are met before spaces go: 'law' → 'act' only as a whole word
    spaced = charmap.meet_variants(query_to_traditional(" ".join(unicodedata.normalize("NFKC", query).split()).casefold(), charmap))
    key = spaced.replace(" ", "")
    best: dict[str, Match] = {}
    typed = query.strip()
    for entry in termbase.entries:
        if typed == entry.id:  # ids are lowercase: 'aist' is the id, 'AIST' the abbreviation
            best[entry.id] = Match(entry, 1.0, entry.id, "exact id")
            continue
        for match in _entry_matches(entry, raw, key, spaced, charmap):
            if entry.id not in best or match.score > best[entry.id].score:
                best[entry.id] = match
    return sorted(best.values(), key=_rank)


def _rank(m: Match) -> tuple:
    return (-m.score, m.entry.id)  # equal scores: by id, so the order never depends on file order


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
                # a paraphrase is another wording: rank it just below the same hit on a name
                penalty = 0.01 if role == "paraphrase" else 0.0
                yield Match(entry, round(partial[0] - penalty, 4), form, partial[1])


def _partial_score(query: str, form: str) -> tuple[float, str] | None:
    """Containment either way at Latin word boundaries, or the query as a word prefix of the form."""
    q, f = query.replace(" ", ""), form.replace(" ", "")
    if len(q) < 2 or len(f) < 2:
        return None
    if _contains(form, query):
        return 0.4 + 0.39 * len(q) / len(f), "partial: query in form"
    if _contains(form, query, prefix=True):
        return 0.4 + 0.39 * len(q) / len(f) - _PREFIX_PENALTY, "partial: query begins words of form"
    if _contains(query, form):
        return 0.3 + 0.39 * len(f) / len(q), "partial: form in query"
    return None


def _contains(big: str, small: str, prefix: bool = False) -> bool:
    """``small`` occurs in ``big`` without splitting a Latin word (spaces around CJK ignored).

    With ``prefix``, the last word of ``small`` may stop inside a word of ``big`` ("hokkaido
    univ" in "hokkaido university"): at least three letters of it after another word, or a
    single word of four letters or more ("AIS" is not taken for the start of AIST).
    """
    if not any(is_word_char(c) for c in small):
        return small.replace(" ", "") in big.replace(" ", "")
    start = big.find(small)
    while start >= 0:
        end = start + len(small)
        left_ok = not (is_word_char(small[0]) and start > 0 and is_word_char(big[start - 1]))
        right_ok = not (is_word_char(small[-1]) and end < len(big) and is_word_char(big[end]))
        if prefix and not right_ok:
            words = small.split(" ")
            right_ok = words[-1].isalpha() and len(words[-1]) >= (3 if len(words) > 1 else 4)
        if left_ok and right_ok:
            return True
        start = big.find(small, start + 1)
    return False


def suggest(query: str, termbase: Termbase, n: int = 5, charmap: Charmap | None = None) -> list[Match]:
    """The ``n`` entries whose forms are closest to ``query`` by difflib ratio (ratio > 0), best first."""
    import difflib  # only when nothing matched

    if charmap is None:
        charmap = charmap_for(termbase)
    key = charmap.meet_variants(query_to_traditional(" ".join(unicodedata.normalize("NFKC", query).split()).casefold(), charmap)).replace(" ", "")
    scored = []
    for entry in termbase.entries:
        options = [(difflib.SequenceMatcher(None, key, lookup_key(f, charmap)).ratio(), f) for f, _ in entry.forms()]
        options.append((difflib.SequenceMatcher(None, key, entry.id).ratio(), entry.id))
        ratio, form = max(options, key=lambda o: o[0])
        if ratio > 0:
            scored.append(Match(entry, round(ratio, 3), form, "similar"))
    return sorted(scored, key=lambda m: (-m.score, m.entry.id))[:n]


def typo_matches(query: str, termbase: Termbase, charmap: Charmap | None = None) -> list[Match]:
    """Entries whose closest form is the query mistyped (difflib ratio ≥ TYPO_RATIO), best first.

    For a query that matched nothing: "Hokaido Univercity", 北海到大學. Scored below every
    partial match (ratio × 0.5) and marked 'similar (typo?)'.
    """
    if len(form_key(query)) < TYPO_MIN_LENGTH:
        return []
    return [
        Match(m.entry, round(m.score * 0.5, 3), m.matched_form, "similar (typo?)")
        for m in suggest(query, termbase, n=SHOWN, charmap=charmap)
        if m.score >= TYPO_RATIO
    ]


def find_entries(query: str, termbase: Termbase, charmap: Charmap | None = None) -> list[Match]:
    """Every match of ``query`` best first: exact, partial, else typo guesses (possibly none)."""
    if charmap is None:
        charmap = charmap_for(termbase)
    return lookup(query, termbase, charmap) or typo_matches(query, termbase, charmap)


def shown_matches(matches: list[Match], limit: int | None = SHOWN) -> tuple[list[Match], int]:
    """(what to show, how many more): every exact match when there is one, else the best
    ``limit`` (None: all). The count of the others is printed, never dropped silently."""
    if limit is None:
        return matches, 0
    exact = [m for m in matches if m.score >= EXACT]
    shown = exact if exact else matches[:limit]
    return shown, len(matches) - len(shown)


def match_to_dict(match: Match, mentions: list[str] | None = None) -> dict[str, Any]:
    """The JSON shape of a match for ``edition lookup --json``: the entry, score, how it
    matched and where the built documents mention it."""
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
        "note": e.note,
        "layer": e.layer,
        "score": round(match.score, 3),
        "how": match.how,
        "matched_form": match.matched_form,
        "in_report": list(mentions or []),
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
    if e.layer:
        lines.append(f"  termbase: {e.layer}")
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

    See :func:`mentions_by_entry`; missing or unreadable files give an empty list.
    """
    return mentions_by_entry(output_dir).get(entry_id, [])


def mentions_by_entry(output_dir: str | Path) -> dict[str, list[str]]:
    """entry id → where built documents (output/*.json) mention it, read in one pass.

    Reads the ``terms`` lists the build writes and the nearest enclosing section heading; pages
    are the report's printed page numbers where the PDF has them. Mentions in the body come
    before those in the front matter (the lists of contents and figures repeat the body).
    Missing or unreadable files give nothing: this is a convenience, never an error.
    """
    body: dict[str, list[str]] = {}
    front: dict[str, list[str]] = {}
    for path in sorted(Path(output_dir).glob("*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(doc, dict):
            continue
        printed = (doc.get("source") or {}).get("printed_pages") or {}
        for block in doc.get("blocks", []):
            target = front if isinstance(block, dict) and block.get("type") == "front_matter" else body
            _walk_terms(block, None, None, target, printed)
    out = {}
    for entry_id in sorted(set(body) | set(front)):
        out[entry_id] = list(dict.fromkeys(body.get(entry_id, []) + front.get(entry_id, [])))
    return out


def _walk_terms(node: Any, heading: str | None, where: str | None, found: dict[str, list[str]], printed: dict) -> None:
    if isinstance(node, list):
        for item in node:
            _walk_terms(item, heading, where, found, printed)
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
    if isinstance(terms, list):
        place = f"{heading or '(no heading)'}" + (f" ({where})" if where else "")
        for entry_id in dict.fromkeys(_term_id(t) for t in terms):
            if entry_id:
                found.setdefault(entry_id, []).append(place)
    for key, value in node.items():
        if key != "terms" and isinstance(value, (dict, list)):
            _walk_terms(value, heading, where, found, printed)


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
    query: str,
    termbase: Termbase,
    *,
    as_json: bool = False,
    output_dir: str | Path | None = "output",
    show_all: bool = False,
) -> str:
    """What ``edition lookup`` prints: text blocks (with report mentions) or a JSON array.

    Text shows every exact match (else the best five) and says how many more there are;
    ``show_all`` shows them all. JSON always lists every match, best first, each with its
    score, how it matched and where the report mentions it. Raises :class:`NoEntryMatches`
    with the closest entries when nothing matches (the CLI still prints ``[]`` for --json).
    """
    charmap = charmap_for(termbase)
    matches = find_entries(query, termbase, charmap)
    if not matches:
        raise NoEntryMatches(no_match_message(query, termbase, charmap))
    shown, more = shown_matches(matches, None if (show_all or as_json) else SHOWN)
    places = mentions_by_entry(output_dir) if output_dir else {}
    if as_json:
        return json.dumps([match_to_dict(m, places.get(m.entry.id)) for m in shown], ensure_ascii=False, indent=2)
    blocks = [match_to_text(m, places.get(m.entry.id, [])) for m in shown]
    if more:
        kind = "partial " if shown[0].score >= EXACT else ""
        blocks.append(f"+{more} more {kind}match{'es' if more > 1 else ''} (--all shows every one)")
    return "\n\n".join(blocks)
