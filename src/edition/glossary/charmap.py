"""The reviewed character map (charmap.yaml; the package's in src/edition/termbases/) → :class:`Charmap`.

Split from :mod:`normalise` so that ``edition lookup`` can fold queries without compiling the
normaliser's protected-span patterns (about 11 ms of import). See normalise.py for why the map
holds only characters that are not valid Taiwan Traditional ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from ..errors import DataFileError
from ..yamlfile import compose_yaml, load_yaml
from .termbase import CHARMAP_FILENAME, Termbase, yaml_line


@dataclass(frozen=True)
class Charmap:
    """The reviewed character map of charmap.yaml: one character → one character."""

    simplified: Mapping[str, str]
    """Simplified-only character → Traditional (创 → 創)."""
    shinjitai: Mapping[str, str]
    """Japanese shinjitai-only character → Traditional (総 → 總)."""
    lookup_only: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Spellings that meet in ``edition lookup`` only, never applied to a document: variant
    characters and words of one name (綜 → 總, 機關 → 機構, センター → 中心), longest first."""
    _table: dict = field(init=False, repr=False, compare=False)
    _meet: Any = field(init=False, repr=False, compare=False)
    characters: frozenset = field(init=False, repr=False, compare=False)
    """Every character in the map (Simplified and shinjitai): what :meth:`lookup` finds."""

    def __post_init__(self) -> None:
        # str.translate with one table: lookups fold ~1000 forms per query
        table = {ord(k): v for k, v in self.shinjitai.items()}
        table.update({ord(k): v for k, v in self.simplified.items()})
        object.__setattr__(self, "_table", table)
        object.__setattr__(self, "characters", frozenset(self.simplified) | frozenset(self.shinjitai))
        keys = sorted(self.lookup_only, key=lambda k: (-len(k), k))
        # a Latin spelling meets only as a whole word: 'law' in 'College of Law', not in 'lawyer'
        patterns = [rf"\b{re.escape(k)}\b" if k.isascii() else re.escape(k) for k in keys]
        object.__setattr__(self, "_meet", re.compile("|".join(patterns)) if keys else None)

    def lookup(self, c: str) -> tuple[str, str] | None:
        """(replacement, kind) for a character in the map, else None."""
        if c in self.simplified:
            return self.simplified[c], "simplified"
        if c in self.shinjitai:
            return self.shinjitai[c], "shinjitai"
        return None

    def map_text(self, text: str) -> str:
        """Every mapped character replaced, with no protection (for queries and forms)."""
        return text.translate(self._table)

    def meet_variants(self, text: str) -> str:
        """``lookup_only`` spellings replaced, longest first (for lookup keys, never for documents)."""
        if self._meet is None:
            return text
        return self._meet.sub(lambda m: self.lookup_only[m.group()], text)


EMPTY_CHARMAP = Charmap(MappingProxyType({}), MappingProxyType({}))


# --- the charmap file ------------------------------------------------------------------------


def load_charmap(path_or_dir: str | Path) -> Charmap:
    """Read charmap.yaml (a file, or a glossary directory holding one) into a :class:`Charmap`.

    Checked: two sections of single character → single character, no character in both, no
    replacement that is itself a key (the map must be idempotent); an optional ``lookup_only``
    section of spelling → spelling (any length) for lookups. One-line DataFileError.
    """
    path = Path(path_or_dir)
    if path.is_dir():
        path = path / CHARMAP_FILENAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(f"{path}: charmap not found — create it (see src/edition/termbases/charmap.yaml)") from None
    data = load_yaml(text, path)  # syntax errors and a character given twice, with line and path

    def fail(yaml_path: list[Any], problem: str, fix: str) -> DataFileError:
        dotted = ".".join(str(p) for p in yaml_path) or "(top level)"
        return DataFileError(f"{path}:{yaml_line(compose_yaml(text), yaml_path)}: {dotted}: {problem} — {fix}")

    if not isinstance(data, dict) or set(data) - {"schema_version", "simplified", "shinjitai", "lookup_only"}:
        raise fail([], "expected keys schema_version, simplified, shinjitai, lookup_only", "fix the top level")
    sections: dict[str, dict[str, str]] = {}
    for section in ("simplified", "shinjitai"):
        table = data.get(section) or {}
        if not isinstance(table, dict):
            raise fail([section], "expected a mapping of character: character", "fix the section")
        for key, value in table.items():
            if not (isinstance(key, str) and len(key) == 1 and isinstance(value, str) and len(value) == 1):
                raise fail([section, key], f"{key!r}: {value!r} is not one character to one character", "fix the pair")
            if key == value:
                raise fail([section, key], f"{key!r} maps to itself", "remove the pair")
        sections[section] = table
    both = sorted(set(sections["simplified"]) & set(sections["shinjitai"]))
    if both:
        raise fail(["shinjitai", both[0]], f"{both[0]!r} is also in simplified", "keep it in one section")
    for section, table in sections.items():
        for key, value in table.items():
            if value in sections["simplified"] or value in sections["shinjitai"]:
                raise fail([section, key], f"replacement {value!r} is itself a key", "map to the final character")
    meet = data.get("lookup_only") or {}
    if not isinstance(meet, dict):
        raise fail(["lookup_only"], "expected a mapping of spelling: spelling", "fix the section")
    for key, value in meet.items():
        if not (isinstance(key, str) and key.strip() and isinstance(value, str) and value.strip()) or key == value:
            raise fail(["lookup_only", key], f"{key!r}: {value!r} is not one spelling to another", "fix the pair")
        if any(k in value for k in meet):
            raise fail(["lookup_only", key], f"replacement {value!r} contains a spelling that is itself a key", "map to the final spelling")
    return Charmap(
        MappingProxyType(sections["simplified"]), MappingProxyType(sections["shinjitai"]), MappingProxyType(dict(meet))
    )


def charmap_for(termbase: Termbase) -> Charmap:
    """The termbase's charmap: a charmap.yaml beside its (top-most) files, else the one that
    ships with the package (src/edition/termbases/charmap.yaml); empty when there is none."""
    path = termbase.charmap_path
    if path is None and termbase.root is not None and (termbase.root / CHARMAP_FILENAME).is_file():
        path = termbase.root / CHARMAP_FILENAME
    return _load_cached(path) if path is not None else EMPTY_CHARMAP


_charmaps: dict[tuple[str, int, int], Charmap] = {}


def _load_cached(path: Path) -> Charmap:
    """load_charmap, once per file version: every build stage and lookup asks for it."""
    st = path.stat()
    key = (str(path), st.st_mtime_ns, st.st_size)
    if key not in _charmaps:
        _charmaps[key] = load_charmap(path)
    return _charmaps[key]


