"""Institution mentions: text → list of :class:`Mention`, longest match wins, no overlaps.

Why not spaCy's PhraseMatcher: ``spacy.blank("zh")`` segments by character *including Latin*
("AIST" → A, I, S, T) and drops spaces into ``whitespace_``, so "HUR&BP" would match the
pattern "HU R&BP", Latin word boundaries must be checked by hand anyway, and offsets need
mapping back. Measured on the full report (55 k characters, 912 non-empty lines) with the
real glossary (280 entries, 962 forms): spaCy import + ``spacy.blank("zh")`` 0.78 s, matcher
build 35 ms, ``make_doc`` + match 117 ms for the whole text (32 ms line by line), 1282 raw
hits still to be de-overlapped and boundary-checked; this trie builds in 8 ms and finds the
1133 final mentions in 18 ms, with no import cost, and keeps ``edition lookup`` free of spaCy.
The trie walks every start position and keeps all candidates, then picks longest first, so
"longest wins" holds across overlapping starts.

Matching is on a per-character fold that keeps offsets (NFKC when it yields one character,
then casefold when that yields one character): Latin is case-insensitive, full-width Latin
matches half-width, CJK is compared as written (Simplified/shinjitai spellings match only
when the termbase lists them; :mod:`normalise` unifies them first).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from .termbase import FormRef, Termbase, form_key

_END = None  # trie key marking the end of a form (not a character: text may hold "\0")


@dataclass(frozen=True)
class Mention:
    """One occurrence of an institution in a text."""

    entry_id: str
    """Id of the termbase entry."""
    start: int
    """Offset of the first character in the text."""
    end: int
    """Offset after the last character (``text[start:end]`` is the surface string)."""
    form: str
    """The termbase form that matched, as written in the termbase."""


@lru_cache(maxsize=None)
def fold_char(c: str) -> str:
    """One character → one comparison character: whitespace → ' ', NFKC and casefold if length-preserving."""
    if c.isspace():
        return " "
    if "\U0001d400" <= c <= "\U0001d7ff":
        return c  # a formula's italic 𝑢𝑖 is a variable, not the word "ui"
    n = unicodedata.normalize("NFKC", c)
    if len(n) != 1:
        n = c
    f = n.casefold()
    return f if len(f) == 1 else n


def is_word_char(c: str) -> bool:
    """Latin-script letters and digits (after folding): the characters word boundaries care about.

    CJK and kana are excluded so that 'TLO法' and '(AIST)' both give a boundary after TLO/AIST.
    """
    return c.isalnum() and ord(c) < 0x2E80


def fold_form(form: str) -> str:
    """A form → its trie key: folded, spaces kept only between two Latin characters, collapsed."""
    folded = "".join(map(fold_char, form))
    out: list[str] = []
    for i, c in enumerate(folded):
        if c == " ":
            prev = out[-1] if out else ""
            nxt = next((d for d in folded[i + 1 :] if d != " "), "")
            if prev and prev != " " and is_word_char(prev) and is_word_char(nxt):
                out.append(" ")
            continue
        out.append(c)
    return "".join(out)


class FormTrie:
    """A character trie over folded forms; each form carries a payload (a :class:`FormRef`)."""

    def __init__(self, forms: Iterable[tuple[str, FormRef]]):
        self.root: dict = {}
        self.memo: dict[str, tuple] = {}  # text → its chosen matches (see :func:`_chosen`)
        for form, ref in forms:
            key = fold_form(form)
            if not key:
                continue
            node = self.root
            for c in key:
                node = node.setdefault(c, {})
            node.setdefault(_END, ref)  # first payload wins; forms are unique per entry anyway

    def candidates(self, text: str) -> list[tuple[int, int, FormRef]]:
        """Every (start, end, ref) where a form occurs in ``text`` with valid Latin boundaries."""
        folded = "".join(map(fold_char, text))  # map: the per-char calls made from C
        n = len(folded)
        root = self.root
        found = []
        for i in range(n):
            node = root.get(folded[i])
            if node is None:
                continue
            j = i + 1
            while True:
                if _END in node and _boundary_ok(folded, i, j):
                    found.append((i, j, node[_END]))
                if j >= n:
                    break
                c = folded[j]
                if c == " ":
                    k = j
                    while k < n and folded[k] == " ":
                        k += 1
                    latin_gap = is_word_char(folded[j - 1]) and k < n and is_word_char(folded[k])
                    if latin_gap:
                        node = node.get(" ")  # spaces between Latin words: any amount, at least one
                    # spaces next to CJK are optional: "北大 Business Spring" = "北大Business Spring"
                    if node is None or k >= n:
                        break
                    j = k
                    c = folded[j]
                nxt = node.get(c)
                if nxt is None and " " in node and is_word_char(folded[j - 1]) and is_word_char(c):
                    # a space the form has but the text lost — PDF line wraps drop the space
                    # between two Latin words ("Business" / "Spring" → "BusinessSpring")
                    nxt = node[" "].get(c)
                node = nxt
                if node is None:
                    break
                j += 1
        return found


def _boundary_ok(folded: str, start: int, end: int) -> bool:
    """A form starting/ending with a Latin character must not continue a Latin word in the text."""
    if is_word_char(folded[start]) and start > 0 and is_word_char(folded[start - 1]):
        return False
    if is_word_char(folded[end - 1]) and end < len(folded) and is_word_char(folded[end]):
        return False
    return True


def longest_first(candidates: list[tuple[int, int, FormRef]]) -> list[tuple[int, int, FormRef]]:
    """Overlapping candidates → a non-overlapping set: longer first, then earlier; sorted by start."""
    taken: list[tuple[int, int, FormRef]] = []
    occupied = bytearray(max((e for _, e, _ in candidates), default=0))
    for start, end, ref in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
        if any(occupied[start:end]):
            continue
        occupied[start:end] = b"\1" * (end - start)
        taken.append((start, end, ref))
    return sorted(taken, key=lambda c: c[0])


_tries: dict[str, FormTrie] = {}


def termbase_trie(termbase: Termbase) -> FormTrie:
    """The trie of every form of every entry, built once per termbase version."""
    trie = _tries.get(termbase.version)
    if trie is None:
        trie = FormTrie(
            (form, FormRef(entry.id, form, role))
            for entry in termbase.entries
            for form, role in entry.forms()
            if form_key(form) not in termbase.shared_forms  # an English name of several bodies names none
            and (entry.id, form_key(form)) not in termbase.shadowed  # a higher layer's entry took it
        )
        _tries[termbase.version] = trie
    return trie


def _chosen(text: str, termbase: Termbase) -> tuple[tuple[int, int, FormRef], ...]:
    """The longest non-overlapping matches in ``text``, remembered per text: the normaliser and
    the mention finder walk the same field one after the other, and a field the normaliser did
    not change (nearly all) is then walked once (the glossary stage: 98 → 82 ms on the report)."""
    trie = termbase_trie(termbase)
    memo = trie.memo
    hit = memo.get(text)
    if hit is None:
        if len(memo) >= 8192:
            memo.clear()
        hit = memo[text] = tuple(longest_first(trie.candidates(text)))
    return hit


def find_mentions(text: str, termbase: Termbase) -> list[Mention]:
    """Every mention of every entry (zh, ja, en, abbr, variants), longest match wins, sorted by start."""
    return [Mention(ref.entry_id, start, end, ref.form) for start, end, ref in _chosen(text, termbase)]


def find_form_refs(text: str, termbase: Termbase) -> list[tuple[int, int, FormRef]]:
    """Like :func:`find_mentions` but with the matched form's role (for the normaliser)."""
    return list(_chosen(text, termbase))
