"""Reuse: English a person already reviewed for the same (or nearly the same) Chinese.

    reviewed memories in the translations folder (*.zh-en.yaml, the document's own left out)
    + TMX files there (an imported CAT-tool memory)
      → an index by normalised Chinese
      → for each segment without English: an exact match → translated (origin reuse, reviewed);
        a close match (≥ 85 % similar) → a draft with its similarity, for a reviewer

"Normalised" is what a reader would not count as a difference: full-width and half-width
forms (NFKC), white space, and the character map's Simplified and shinjitai characters. A
revised edition of a report, or a second report repeating the first one's sentences, starts
from what was reviewed instead of from nothing.
"""

from __future__ import annotations

import difflib
import hashlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .memory import Memory, Unit, load_memory
from .segments import Segment

CLOSE = 0.85
"""The least similarity (difflib ratio of the normalised Chinese) a close match must have."""
_CANDIDATES = 25
"""Close-match candidates compared in full per segment (the ones sharing most character pairs)."""


def chinese_key(text: str, charmap=None) -> str:
    """Chinese → the form two texts are compared in: NFKC, no white space, charmap applied."""
    folded = "".join(unicodedata.normalize("NFKC", text).split())
    return charmap.map_text(folded) if charmap is not None else folded


@dataclass(frozen=True)
class Known:
    """A reviewed translation found in a memory or a TMX: its Chinese, English and where from."""

    zh: str
    en: str
    source: str  # the file's name, relative to the translations folder


@dataclass
class ReuseIndex:
    """Reviewed translations by normalised Chinese, with a character-pair index for close matches."""

    charmap: object = None
    exact: dict[str, Known] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)
    by_pair: dict[str, list[int]] = field(default_factory=dict)

    def add(self, known: Known) -> None:
        key = chinese_key(known.zh, self.charmap)
        if not key or key in self.exact:
            return  # the first file (in name order) that translates a text gives its English
        self.exact[key] = known
        n = len(self.keys)
        self.keys.append(key)
        for pair in _pairs(key):
            self.by_pair.setdefault(pair, []).append(n)

    def __len__(self) -> int:
        return len(self.exact)

    def match(self, zh: str) -> tuple[Known, float] | None:
        """The known translation of ``zh``: exact (1.0), else the closest at ≥ CLOSE, else None."""
        key = chinese_key(zh, self.charmap)
        hit = self.exact.get(key)
        if hit is not None:
            return hit, 1.0
        pairs = _pairs(key)
        if not pairs:
            return None
        shared: dict[int, int] = {}
        for pair in pairs:
            for n in self.by_pair.get(pair, ()):
                shared[n] = shared.get(n, 0) + 1
        best: tuple[float, int] | None = None
        for n, _ in sorted(shared.items(), key=lambda kv: -kv[1])[:_CANDIDATES]:
            other = self.keys[n]
            # a ratio can reach CLOSE only if the lengths allow it: 2·min / (a + b)
            if 2 * min(len(key), len(other)) / (len(key) + len(other)) < CLOSE:
                continue
            m = difflib.SequenceMatcher(None, key, other, autojunk=False)
            if m.real_quick_ratio() < CLOSE or m.quick_ratio() < CLOSE:
                continue
            ratio = m.ratio()
            if ratio >= CLOSE and (best is None or ratio > best[0]):
                best = (ratio, n)
        if best is None:
            return None
        return self.exact[self.keys[best[1]]], best[0]


def _pairs(key: str) -> set[str]:
    return {key[i : i + 2] for i in range(len(key) - 1)} or ({key} if key else set())


def reuse_files(translations_dir: Path, own: Path | None = None) -> list[Path]:
    """The memories (*.zh-en.yaml) and TMX files of the translations folder, subfolders too,
    in name order; ``own`` (the document's own memory) left out."""
    if not translations_dir.is_dir():
        return []
    own_resolved = own.resolve() if own is not None and own.exists() else None
    files = [p for p in sorted(translations_dir.rglob("*")) if p.is_file() and not any(part.startswith(".") for part in p.relative_to(translations_dir).parts)
             and (p.name.endswith(".zh-en.yaml") or p.suffix.lower() == ".tmx")]
    return [p for p in files if own_resolved is None or p.resolve() != own_resolved]


def reviewed_in_memory(memory: Memory, name: str) -> Iterable[Known]:
    """A memory's reviewed units with English (a draft is no one's reviewed translation)."""
    for u in memory.units:
        if u.en.strip() and u.is_reviewed:
            yield Known(u.zh, u.en, name)


def build_index(translations_dir: Path, own: Path | None = None, charmap=None) -> tuple[ReuseIndex, list[str]]:
    """The reuse index of a translations folder, and the files it was built from."""
    from .exchange import read_tmx

    index = ReuseIndex(charmap=charmap)
    used = []
    for path in reuse_files(translations_dir, own):
        name = path.relative_to(translations_dir).as_posix()
        if path.suffix.lower() == ".tmx":
            items = [Known(i.zh, i.en, name) for i in read_tmx(path) if i.en.strip() and i.state in (None, "translated")]
        else:
            items = list(reviewed_in_memory(load_memory(path), name))
        for known in items:
            index.add(known)
        if items:
            used.append(name)
    return index, used


@dataclass(frozen=True)
class Prefill:
    """What reuse put into a memory: units by segment key, and how many of each kind."""

    units: dict[str, Unit]
    exact: int
    close: int


def prefill(segments: list[Segment], index: ReuseIndex, wanted: set[str]) -> Prefill:
    """Units for the segments in ``wanted`` (keys without English) that the index translates:
    an exact match reviewed (translated), a close one a draft carrying its similarity and, in a
    note, the Chinese its English was written for."""
    units: dict[str, Unit] = {}
    exact = close = 0
    for seg in segments:
        if seg.key not in wanted:
            continue
        hit = index.match(seg.zh)
        if hit is None:
            continue
        known, ratio = hit
        if ratio >= 1.0:
            units[seg.key] = Unit(seg.key, seg.hash, seg.zh, known.en, "reuse", None, None, known.source, None, True)
            exact += 1
        else:
            note = f"close match ({ratio:.0%}): the English translates {known.zh}"
            units[seg.key] = Unit(seg.key, seg.hash, seg.zh, known.en, "reuse", note, None, known.source, round(ratio, 2), None)
            close += 1
    return Prefill(units, exact, close)


def digest(text: str) -> str:
    """A short fingerprint of an English text (an export records it; an import compares)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
