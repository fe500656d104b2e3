"""The translation stage: English from the memory onto every text-bearing node, gaps and
term-consistency violations as QA findings.

Missing and stale segments are never filled with placeholder text: the node's ``en`` is null
(missing) or the old English (stale), its ``translation`` status says which, and the renderer
marks both visibly.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

from ..model import Node
from .memory import Memory, lookup_segment
from .segments import Segment, document_to_segments


def _names(entry) -> list[str]:
    """What in English counts as naming an entry: its English name and its abbreviations."""
    return [n for n in [entry.en, *entry.abbr] if n]


# An English name written with its abbreviation, 'Creative Research Initiative "Sousei" (CRIS)':
# the name without it counts too. The bracketed part alone does not: unless the glossary lists it
# under abbr, it may be shared (CRIS is also the Creative Research Institution).
_NAME_WITH_ABBR = re.compile(r"^(.*\S)\s*\(([A-Za-z0-9&.\- ]{2,12})\)$")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‐": "-", "‑": "-", "–": "-", "—": "-"})


def _fold(text: str) -> str:
    """Lower case, straight quotes and hyphens, single spaces: typography is not a naming error."""
    return " ".join(text.translate(_QUOTES).lower().split())


def names_entry(en: str, entry) -> bool:
    """Does English text name the entry? Case-insensitive; an abbreviation only as a whole word
    (a plural or possessive 's' allowed: "TLOs", "AIST's")."""
    low = _fold(en)
    names = []
    for name in _names(entry):
        names.append(name)
        m = _NAME_WITH_ABBR.match(name)
        if m:
            names.append(m.group(1))
    for name in names:
        n = _fold(name)
        if len(name) <= 12 and re.fullmatch(r"[A-Za-z0-9&.\-]+", name):
            if re.search(rf"(?<![A-Za-z0-9]){re.escape(n)}s?(?![A-Za-z0-9])", low):
                return True
        elif n in low:
            return True
    return False


def _either(names: list[str]) -> str:
    quoted = [repr(n) for n in names]
    return quoted[0] if len(quoted) == 1 else "either " + " or ".join(quoted)


def consistency_findings(seg: Segment, en: str | None, termbase) -> list[Node]:
    """One finding per glossary entry the Chinese names but the English does not."""
    if en is None or termbase is None:
        return []
    out = []
    for entry_id in seg.terms:
        entry = termbase.by_id.get(entry_id)
        if entry is None or not entry.en:
            continue
        if not names_entry(en, entry):
            out.append({
                "kind": "term-inconsistent",
                "key": seg.key,
                "term": entry_id,
                "message": f"{seg.key}: the Chinese names {entry.zh} but the English does not use {_either(_names(entry))}",
            })
    return out


def translate_document(doc: Node, memory: Memory, termbase=None) -> Node:
    """A new document with ``en`` on every text-bearing node and translation QA findings."""
    out = copy.deepcopy(doc)
    segments = document_to_segments(out)
    by_key, by_hash = memory.by_key, memory.by_hash
    qa = list(out.get("qa", []))
    counts = {"translated": 0, "stale": 0, "missing": 0}
    # the file's name, not the path it was given by: the edition must not depend on the cwd
    memory_name = Path(memory.path).name
    for seg in segments:
        en, status = lookup_segment(memory, seg, by_key, by_hash)
        counts[status] += 1
        if seg.setter is not None:
            seg.setter(en, status)
        if status == "missing":
            qa.append({"kind": "untranslated", "key": seg.key, "message": f"{seg.key}: no English in {memory_name} — translate it"})
        elif status == "stale":
            qa.append({"kind": "stale-translation", "key": seg.key, "message": f"{seg.key}: the Chinese changed since it was translated — review the English"})
        qa.extend(consistency_findings(seg, en, termbase))
    stats = dict(out.get("stats", {}))
    stats["segments"] = len(segments)
    stats.update({f"segments_{k}": v for k, v in counts.items()})
    stats["term_findings"] = sum(1 for q in qa if q["kind"] == "term-inconsistent")
    out["stats"] = stats
    out["qa"] = qa
    return out
