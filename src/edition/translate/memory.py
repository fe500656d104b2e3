"""The translation memory: YAML a translator reviews in a diff.

One file per document (``translations/<stem>.zh-en.yaml``)::

    schema_version: 1
    segments:
      - key: ch1.formal1/p1#text     # node id + field
        hash: 3f1c0a9b2d4e           # of the normalised Chinese, white space ignored
        zh: 因應全球化劇烈競爭，……
        en: In response to fierce global competition, …
        origin: machine              # where the English came from: human | machine | reuse
        model: llama-3.1-8b          # machine: the model that drafted it, when known
        reviewed: true               # a person reviewed it (`edition memory accept`)

Where the English came from (``origin``) is kept apart from whether a person reviewed it
(``reviewed``): accepting a machine draft marks it reviewed and keeps ``origin: machine``.
``origin: reuse`` is English taken from another memory or a TMX (``reused_from``; a close
match carries its ``similarity``). A unit without ``reviewed`` is reviewed when its origin is
human (or absent — every unit a person wrote) and a draft otherwise, so memories written
before these fields existed read as they always did.

Every segment of a document is in one of four states, the same everywhere (JSON, Markdown, QA
report, build summary, ``edition memory status``):

- *translated*: a reviewed unit whose hash is the segment's;
- *draft*: the same, not reviewed — a backend's or a close match's English awaiting review;
- *stale*: the key is there with English for another hash (the source changed since);
- *missing*: no English at all (no unit, or a unit whose ``en`` is still empty, as
  ``edition memory init`` writes them).

The same Chinese under another key (a paragraph that moved) reuses its English. A reviewer never
edits a hash: ``edition memory accept`` marks reviewed English as current for its Chinese.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Iterable
from functools import lru_cache
from pathlib import Path

import yaml

from ..errors import DataFileError
from ..yamlfile import compose_yaml, format_yaml_path, load_yaml, yaml_line
from .segments import Segment, zh_hash


@dataclass(frozen=True)
class Unit:
    """One stored translation unit.

    key:    node id + '#' + field.
    hash:   zh_hash of ``zh``.
    zh:     the normalised Chinese the English translates.
    en:     the English; "" while nobody has written it (a starter memory's units).
    origin: where the English came from: "human" (a translator wrote it), "machine" (a
            backend drafted it) or "reuse" (taken from another memory or a TMX).
    note:   a reviewer's note, not shown in the edition.
    model:  for a machine unit, the model that drafted it (None: not known).
    reused_from: for a reused unit, the memory or TMX file it came from.
    similarity:  for a reused unit taken from a close (not exact) match, how close (0.85–1).
    reviewed:    True once a person reviewed it; None: as its origin implies (human: reviewed).
    """

    key: str
    hash: str
    zh: str
    en: str
    origin: str = "human"
    note: str | None = None
    model: str | None = None
    reused_from: str | None = None
    similarity: float | None = None
    reviewed: bool | None = None

    @property
    def is_reviewed(self) -> bool:
        """Did a person review this English? An explicit ``reviewed`` decides; without one, a
        unit a person wrote (origin human) is reviewed and a machine's or a reuse's is not."""
        return self.reviewed if self.reviewed is not None else self.origin == "human"

    @property
    def provenance(self) -> str:
        """Where the English came from, in words: 'human', 'machine (llama-3)', 'reuse from X (91 %)'."""
        if self.origin == "machine":
            return f"machine ({self.model})" if self.model else "machine"
        if self.origin == "reuse":
            close = f", {self.similarity:.0%} match" if self.similarity is not None else ""
            return f"reuse from {self.reused_from or 'another memory'}{close}"
        return self.origin


@dataclass(frozen=True)
class Memory:
    """All units of one memory file, indexed by key and by Chinese hash."""

    path: str
    units: tuple[Unit, ...]
    version: str

    @property
    def by_key(self) -> dict[str, Unit]:
        return {u.key: u for u in self.units}

    @property
    def by_hash(self) -> dict[str, Unit]:
        """Units with English by the hash of their Chinese; a reviewed unit before a draft."""
        out: dict[str, Unit] = {}
        for u in self.units:
            if u.en.strip() and (u.hash not in out or (not out[u.hash].is_reviewed and u.is_reviewed)):
                out[u.hash] = u
        return out

    @property
    def exists(self) -> bool:
        """False when the memory file is not there (a new document)."""
        return self.version != "empty"


def memory_path(translations_dir: str | Path, stem: str) -> Path:
    """Where the memory of document ``stem`` lives."""
    return Path(translations_dir) / f"{stem}.zh-en.yaml"


# matched whole (fullmatch): the schema's patterns are ECMA-262, where "$" is the end of the text
_HASH = re.compile(r"[0-9a-f]{12}")
_PLACEHOLDER = re.compile(r"(TODO|TBD|XXX|\?+|\[untranslated\])")  # as in memory.schema.json
_SEGMENT_KEYS = frozenset({"key", "hash", "zh", "en", "origin", "note", "model", "reused_from", "similarity", "reviewed"})
ORIGINS = ("human", "machine", "reuse")
_REQUIRED = frozenset({"key", "hash", "zh", "en"})


def _plainly_valid(data: object) -> bool:
    """True only if memory.schema.json surely accepts ``data``; anything in doubt goes to
    jsonschema, which decides and says where. So the schema stays the one judge, and a valid
    memory (every build reads one) skips ~60 ms of jsonschema on the report's 950 units."""
    if not isinstance(data, dict) or set(data) != {"schema_version", "segments"}:
        return False
    if type(data["schema_version"]) is not int or data["schema_version"] != 1:
        return False
    segments = data["segments"]
    if segments is None:
        return True
    if not isinstance(segments, list):
        return False
    for s in segments:
        if not isinstance(s, dict) or not (_REQUIRED <= s.keys() <= _SEGMENT_KEYS):
            return False
        key, hash_, zh, en = s["key"], s["hash"], s["zh"], s["en"]
        if not (isinstance(key, str) and len(key) >= 3 and "#" in key):
            return False
        if not (isinstance(hash_, str) and _HASH.fullmatch(hash_) and isinstance(zh, str) and zh):
            return False
        if not isinstance(en, str) or _PLACEHOLDER.fullmatch(en):
            return False
        if s.get("origin", "human") not in ORIGINS or not all(isinstance(s.get(k, ""), str) for k in ("note", "model", "reused_from")):
            return False
        if "reviewed" in s and type(s["reviewed"]) is not bool:
            return False
        if "similarity" in s and not (type(s["similarity"]) in (int, float) and 0 <= s["similarity"] <= 1):
            return False
    return True


def load_memory(path: str | Path) -> Memory:
    """Read and check a memory file; a missing file is an empty memory.

    Errors are one line: ``file:line: yaml.path: problem — fix``. The YAML is composed (node
    tree with line marks) only once an error has been found: the build reads this file every
    time, and the line numbers are for messages only.
    """
    p = Path(path)
    if not p.exists():
        return Memory(str(p), (), "empty")
    return parse_memory(p.read_bytes(), p)


def parse_memory(raw: bytes | None, path: str | Path) -> Memory:
    """A memory file's bytes (None: no file) → :class:`Memory`; the checks of :func:`load_memory`."""
    p = Path(path)
    if raw is None:
        return Memory(str(p), (), "empty")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{p}: not UTF-8 ({exc.reason} at byte {exc.start}) — save the translation memory as UTF-8") from None
    data = load_yaml(text, p)  # syntax errors and duplicate keys, with line and YAML path
    if data is None:
        raise DataFileError(f"{p}:1: file is empty — add schema_version: 1 and segments:, or delete it")
    from ..schema import schema_errors_at

    errors = [] if _plainly_valid(data) else schema_errors_at(data, "memory")
    if errors:
        where, message = errors[0]
        line = yaml_line(compose_yaml(text), where)
        raise DataFileError(f"{p}:{line}: {format_yaml_path(where) or '(top level)'}: {message} — fix the value")
    units = []
    seen: dict[str, int] = {}
    for i, s in enumerate(data.get("segments") or []):
        if s["key"] in seen:
            line = yaml_line(compose_yaml(text), ["segments", i, "key"])
            raise DataFileError(
                f"{p}:{line}: segments[{i}].key: '{s['key']}' also at segments[{seen[s['key']]}] — keep one"
            )
        seen[s["key"]] = i
        if s["hash"] != zh_hash(s["zh"]):
            # a hand-edited zh with the old hash would pass as translated (or stay stale) unseen
            line = yaml_line(compose_yaml(text), ["segments", i, "hash"])
            raise DataFileError(
                f"{p}:{line}: segments[{i}].hash: '{s['hash']}' is not the hash of its zh"
                f" — restore the zh, or (once the English translates the new zh) set hash: {zh_hash(s['zh'])}"
            )
        units.append(Unit(s["key"], s["hash"], s["zh"], s["en"], s.get("origin", "human"), s.get("note"),
                          s.get("model"), s.get("reused_from"), s.get("similarity"), s.get("reviewed")))
    return Memory(str(p), tuple(units), hashlib.sha256(raw).hexdigest())


STATES = ("translated", "draft", "stale", "missing")


def _current(u: Unit) -> str:
    return "translated" if u.is_reviewed else "draft"


def segment_unit(memory: Memory, seg: Segment, by_key: dict[str, Unit] | None = None, by_hash: dict[str, Unit] | None = None) -> tuple[Unit | None, str]:
    """(the unit whose English the segment shows, state): translated | draft | stale | missing."""
    by_key = memory.by_key if by_key is None else by_key
    by_hash = memory.by_hash if by_hash is None else by_hash
    h = seg.hash
    u = by_key.get(seg.key)
    if u is not None and u.en.strip() and u.hash == h:
        return u, _current(u)
    moved = by_hash.get(h)
    if moved is not None:
        return moved, _current(moved)
    if u is not None and u.en.strip():
        return u, "stale"
    return None, "missing"


def lookup_segment(memory: Memory, seg: Segment, by_key: dict[str, Unit] | None = None, by_hash: dict[str, Unit] | None = None) -> tuple[str | None, str]:
    """(English, state) for a segment: translated | draft | stale | missing."""
    u, state = segment_unit(memory, seg, by_key, by_hash)
    return (u.en if u is not None else None), state


@lru_cache(maxsize=None)
def _quoted(s: str) -> str:
    # cached: drafting rewrites the whole file after every answer, and yaml.dump is slow
    return yaml.dump(s, allow_unicode=True, width=10**9, default_style='"').rstrip("\n").removesuffix("\n...")


def memory_to_yaml(units: list[Unit]) -> str:
    """Serialise units in the reviewed layout: one block per segment, stable order, no wrapping."""
    q = _quoted
    lines = [
        "# Translation memory: zh-Hant → en. Reviewed by hand; `edition build` reads it.",
        "# key = node id + field; hash = sha256 of the normalised Chinese (white space ignored), first 12 hex.",
        "# A source change makes the old English stale (shown, marked) until it is reviewed;",
        "# `edition memory status` lists what awaits review, `edition memory accept` marks it current.",
        "schema_version: 1",
        "segments:",
    ]
    for u in units:
        lines.append(f"  - key: {q(u.key)}")
        lines.append(f"    hash: {q(u.hash)}")
        lines.append(f"    zh: {q(u.zh)}")
        lines.append(f"    en: {q(u.en)}")
        if u.origin != "human":
            lines.append(f"    origin: {u.origin}")
        if u.model:
            lines.append(f"    model: {q(u.model)}")
        if u.reused_from:
            lines.append(f"    reused_from: {q(u.reused_from)}")
        if u.similarity is not None:
            lines.append(f"    similarity: {u.similarity:.2f}")
        if u.reviewed is not None:
            lines.append(f"    reviewed: {'true' if u.reviewed else 'false'}")
        if u.note:
            lines.append(f"    note: {q(u.note)}")
    return "\n".join(lines) + "\n"


def segment_to_unit(seg: Segment, en: str, origin: str = "human", note: str | None = None, model: str | None = None) -> Unit:
    return Unit(seg.key, zh_hash(seg.zh), seg.zh, en, origin, note, model)


def _insert_in_order(units: list[Unit], new: Unit, pos: dict[str, int]) -> None:
    """Put ``new`` before the first unit that comes after it in the document, else at the end;
    the units already there keep their order (a reviewed file is not reshuffled)."""
    mine = pos.get(new.key.partition("@")[0])
    if mine is not None:
        for i, u in enumerate(units):
            other = pos.get(u.key.partition("@")[0])
            if other is not None and other > mine:
                units.insert(i, new)
                return
    units.append(new)


def merge_units(units: list[Unit], new_units: Iterable[Unit], order: list[str] | None = None) -> list[Unit]:
    """Units with new ones merged in. A new unit replaces one with the same key only when that
    one has no reviewed English (a draft, or an empty unit of a starter memory): reviewed
    (human) English is never overwritten. New keys go where ``order`` (the document's segment
    keys in reading order) puts them."""
    merged = list(units)
    index = {u.key: i for i, u in enumerate(merged)}
    pos = {k: i for i, k in enumerate(order or [])}
    for u in new_units:
        i = index.get(u.key)
        if i is None:
            _insert_in_order(merged, u, pos)
            index = {x.key: j for j, x in enumerate(merged)}
        elif not merged[i].is_reviewed or not merged[i].en.strip():
            merged[i] = u
    return merged


def merge_drafts(units: list[Unit], drafts: Iterable[Unit], order: list[str] | None = None) -> tuple[list[Unit], list[Unit]]:
    """Units with machine drafts merged in, and the drafts left out.

    A draft fills a segment only where the memory has no English for it: no unit, or a unit whose
    English is still empty. A filled English — a person's, typed while drafting ran, or an
    earlier draft — is never replaced by a draft."""
    merged = list(units)
    index = {u.key: i for i, u in enumerate(merged)}
    pos = {k: i for i, k in enumerate(order or [])}
    dropped = []
    for d in drafts:
        i = index.get(d.key)
        if i is None:
            _insert_in_order(merged, d, pos)
            index = {x.key: j for j, x in enumerate(merged)}
        elif not merged[i].en.strip():
            merged[i] = d
        else:
            dropped.append(d)
    return merged, dropped


class MemoryBusy(DataFileError):
    """The memory file kept changing while the tool tried to save into it."""


def update_memory(path: str | Path, change, attempts: int = 8):
    """Read–merge–write of a memory file; returns what ``change`` returns as its second value.

    ``change(memory) -> (units or None, result)`` computes the new units from the file as it is
    *now* (None: nothing to write). Other `edition` commands wait on a lock; an editor takes no
    lock, so the file is compared with what was read just before it is replaced, and if a
    person saved it in between, it is read again and ``change`` applied to their version — a
    person's work is never overwritten by what the tool read before it.
    """
    from ..fsutil import file_lock, read_bytes_or_none, replace_if_unchanged

    p = Path(path)
    with file_lock(p):
        for _ in range(attempts):
            raw = read_bytes_or_none(p)
            units, result = change(parse_memory(raw, p))
            if units is None or replace_if_unchanged(p, raw, memory_to_yaml(units)):
                return result
    raise MemoryBusy(f"{p}: it changed {attempts} times while being saved — close the editor's auto-save (or wait), then run the same command again")
