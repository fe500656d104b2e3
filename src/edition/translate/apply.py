"""The translation stage: English from the memory onto every text-bearing node, its state
(translated, draft, stale, missing), translator's notes lifted out of the reading text, and gaps
and term-consistency violations as QA findings.

Missing segments are never filled with placeholder text: the node's ``en`` is null (missing),
a machine draft or the old English (stale), its ``translation`` state says which, and the
renderer marks draft, stale and missing text visibly.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from ..model import Node, copy_document
from .memory import STATES, Memory, segment_unit
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
            # with stacked termbases, say which one the entry comes from (a workspace's own
            # glossary, or the technical vocabulary that ships with edition)
            layer = f" (termbase {entry.layer})" if len(getattr(termbase, "layers", ())) > 1 and entry.layer else ""
            out.append({
                "kind": "term-inconsistent",
                "key": seg.key,
                "term": entry_id,
                "message": f"{seg.key}: the Chinese names {entry.zh} but the English does not use {_either(_names(entry))}{layer}",
            })
    return out


# A translator's note for the reader, written inline in the memory's English where it applies:
# "… 2010–2015 [Translator's note: the plan covers fiscal 2011–2015.]". One level of brackets
# may nest inside it ("[yen]").
_TRANSLATOR_NOTE = re.compile(r"\s*\[Translator's note:\s*((?:[^\[\]]|\[[^\[\]]*\])*?)\s*\]")


def lift_translator_notes(en: str) -> tuple[str, list[Node]]:
    """English → (the reading text, its translator's notes as ``{"at": offset, "text": …}``).

    ``at`` is where the note stood in the reading text, so a renderer can put a note mark
    there; nothing of the note is lost (the memory keeps it inline, where the translator wrote it).
    """
    notes: list[Node] = []
    parts: list[str] = []
    pos = length = 0
    for m in _TRANSLATOR_NOTE.finditer(en):
        parts.append(en[pos : m.start()])
        length += m.start() - pos
        notes.append({"at": length, "text": m.group(1)})
        pos = m.end()
    if not notes:
        return en, []
    parts.append(en[pos:])
    return "".join(parts), notes


# The QA finding of each state that needs work, and what the reader of the QA report should do.
STATE_FINDINGS = {"draft": "draft-translation", "stale": "stale-translation", "missing": "missing-translation"}


def _state_finding(seg: Segment, state: str, unit, memory: Memory, source_name: str) -> Node:
    # file names, not paths: the edition must not depend on how the paths were spelled
    memory_name = Path(memory.path).name
    if state == "missing":
        message = f"{seg.key}: no English in {memory_name} yet — translate it" if memory.exists else f"{seg.key}: no English yet"
        return {"kind": "missing-translation", "key": seg.key, "message": message}
    accept = f"`edition memory accept {source_name} {seg.key}`"
    if state == "draft":
        what = {"machine": "machine draft", "reuse": f"English {unit.provenance}"}.get(unit.origin, "English not reviewed yet")
        return {"kind": "draft-translation", "key": seg.key,
                "message": f"{seg.key}: {what} awaiting review — review it, then {accept}"}
    return {"kind": "stale-translation", "key": seg.key, "zh_old": unit.zh, "zh": seg.zh,
            "message": f"{seg.key}: the Chinese changed since it was translated — review the English, then {accept}"}


def _memory_name(source_name: str, memory: Memory) -> str:
    """The memory's name as the reader should look for it: its path under the translations
    folder, as the document's is under the sources folder ("2013/report.zh-en.yaml": a bare
    "report.zh-en.yaml" would not say which of two reports of that name), never an absolute path
    (the QA report is the same wherever it is built)."""
    name = Path(memory.path).name
    folder = PurePosixPath(source_name).parent
    return name if str(folder) == "." else f"{folder}/{name}"


def translate_document(doc: Node, memory: Memory, termbase=None) -> Node:
    """A new document with ``en`` on every text-bearing node, each segment's state, and
    translation QA findings (one per segment that is not translated, term violations)."""
    out = copy_document(doc)
    segments = document_to_segments(out)
    by_key, by_hash = memory.by_key, memory.by_hash
    source_name = (out.get("source") or {}).get("path", "SOURCE")
    qa = list(out.get("qa", []))
    if not memory.exists and segments:
        qa.append({"kind": "memory-missing", "message": (
            f"{_memory_name(source_name, memory)} does not exist yet — `edition memory init {source_name}` starts it"
            " with every segment's Chinese and empty English")})
    counts = dict.fromkeys(STATES, 0)
    for seg in segments:
        unit, state = segment_unit(memory, seg, by_key, by_hash)
        counts[state] += 1
        en, notes = lift_translator_notes(unit.en) if unit is not None else (None, [])
        if seg.setter is not None:
            seg.setter(en, state, notes)
        if state != "translated":
            qa.append(_state_finding(seg, state, unit, memory, source_name))
        # checked with its notes: a citation kept as printed ("… Industrial Cluster Program") may
        # name the institution only in the translator's note that explains it
        qa.extend(consistency_findings(seg, unit.en if unit is not None else None, termbase))
    stats = dict(out.get("stats", {}))
    stats["segments"] = len(segments)
    stats.update({f"segments_{k}": v for k, v in counts.items()})
    stats["term_findings"] = sum(1 for q in qa if q["kind"] == "term-inconsistent")
    out["stats"] = stats
    out["qa"] = qa
    return out
