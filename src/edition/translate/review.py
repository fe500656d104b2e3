"""The translator's side of the memory: start it, see what awaits review, accept reviewed English.

    edition memory init SOURCE      every segment as a unit: Chinese filled, English empty
    edition memory status SOURCE    draft, stale and missing segments, old and new Chinese
    edition memory accept SOURCE [KEY…] [--all]
                                    reviewed English becomes current for its Chinese

A reviewer never edits a hash: accepting a stale segment stores the new Chinese and its hash
with the English; accepting a draft marks it ``reviewed: true`` and keeps its ``origin`` (machine,
reuse), so where the English came from is not lost. The pure functions here take
the document's segments and the memory; the ``*_memory`` functions at the end read the source
and write the file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import EditionError
from .memory import STATES, Memory, Unit, load_memory, memory_path, merge_units, segment_unit, update_memory
from .segments import Segment


@dataclass(frozen=True)
class SegmentStatus:
    """One segment as the memory has it.

    state:  translated | draft | stale | missing.
    zh:     the Chinese the document has now.
    en:     the English the memory gives it (None: missing).
    zh_old: the Chinese that English was written for, when stale.
    note:   the unit's reviewer note (a draft's failed term check, say).
    origin: where the English came from, in words (see :attr:`Unit.provenance`).
    """

    key: str
    state: str
    zh: str
    en: str | None = None
    zh_old: str | None = None
    note: str | None = None
    origin: str | None = None


def segment_statuses(segments: list[Segment], memory: Memory) -> list[SegmentStatus]:
    """Every segment's state, in reading order."""
    by_key, by_hash = memory.by_key, memory.by_hash
    out = []
    for seg in segments:
        unit, state = segment_unit(memory, seg, by_key, by_hash)
        if unit is None:
            out.append(SegmentStatus(seg.key, state, seg.zh))
        else:
            out.append(SegmentStatus(seg.key, state, seg.zh, unit.en, unit.zh if state == "stale" else None, unit.note, unit.provenance))
    return out


def starter_units(segments: list[Segment], memory: Memory) -> tuple[list[Unit], int]:
    """The memory's units plus an empty one (Chinese filled, English "") for every segment that
    has no unit and no English yet, in reading order; and how many were added. Units already
    there are kept as they are."""
    by_key = memory.by_key
    statuses = segment_statuses(segments, memory)
    new = [Unit(seg.key, seg.hash, seg.zh, "") for seg, st in zip(segments, statuses)
           if st.state == "missing" and seg.key not in by_key]
    return merge_units(list(memory.units), new, [s.key for s in segments]), len(new)


def accepted_units(segments: list[Segment], memory: Memory, keys: list[str], every: bool, source: str, options: str = "") -> tuple[list[Unit], list[SegmentStatus]]:
    """The memory's units with the given draft and stale segments accepted (``every``: all of
    them); and the statuses of those accepted. Raises EditionError, changing nothing, for a key
    that is not a segment of the document or has no English to accept."""
    statuses = {st.key: st for st in segment_statuses(segments, memory)}
    by_seg = {seg.key: seg for seg in segments}
    if every:
        chosen = [k for k, st in statuses.items() if st.state in ("draft", "stale")]
    else:
        chosen = list(dict.fromkeys(keys))
    for k in chosen:
        if k not in statuses:
            raise EditionError(f"{k}: not a segment of {source} — `edition memory status {source}{options}` lists the segments awaiting review")
        if statuses[k].state == "missing":
            raise EditionError(f"{k}: no English to accept — write it in {memory.path} first")
    units = list(memory.units)
    done = []
    by_key, by_hash = memory.by_key, memory.by_hash
    for k in chosen:
        st = statuses[k]
        if st.state == "translated":
            continue
        seg = by_seg[k]
        unit, _ = segment_unit(memory, seg, by_key, by_hash)
        assert unit is not None  # draft and stale segments have a unit
        # reviewed, origin kept: a person's unit needs no mark (human is reviewed by default)
        reviewed = None if unit.origin == "human" else True
        if st.state == "stale":
            # the English now translates the Chinese as it is: store that Chinese and its hash
            fixed = replace(unit, hash=seg.hash, zh=seg.zh, reviewed=reviewed)
        else:
            fixed = replace(unit, reviewed=reviewed)
        units = [fixed if u.key == unit.key else u for u in units]
        done.append(st)
    return units, done


def status_to_text(statuses: list[SegmentStatus], memory: Path, source: str, options: str = "") -> str:
    """What `edition memory status` prints: a count by state, then each segment that is not
    translated with its Chinese (old and new, when stale) and English, then what to do
    (``options``: the command-line options to repeat, e.g. " --translations tr")."""
    counts = {s: sum(1 for st in statuses if st.state == s) for s in STATES}
    lines = [f"{memory} — {source}: {len(statuses)} segment(s): " + ", ".join(f"{counts[s]} {s}" for s in STATES)]
    todo = [st for st in statuses if st.state != "translated"]
    if todo:
        lines.append("")
    for st in todo:
        lines.append(f"{st.state}  {st.key}")
        if st.state == "stale":
            lines += [f"  old zh  {st.zh_old}", f"  new zh  {st.zh}", f"  en      {st.en}"]
        else:
            lines.append(f"  zh  {st.zh}")
            if st.en is not None:
                lines.append(f"  en  {st.en}")
        if st.state == "draft" and st.origin:
            lines.append(f"  from  {st.origin}")
        if st.note:
            lines.append(f"  note  {st.note}")
    steps = []
    if counts["draft"] or counts["stale"]:
        steps.append(f"review the English in {memory}, then `edition memory accept {source}{options} KEY…` (or --all)")
    if counts["missing"]:
        steps.append(f"write the missing English in {memory}" if memory.exists() else f"start {memory} with `edition memory init {source}{options}`")
    if steps:
        lines += ["", "next: " + "; ".join(steps)]
    return "\n".join(lines) + "\n"


# --- the commands: read the source, write the memory ------------------------------------------


def _options(settings) -> str:
    from ..build import command_options

    return command_options(settings)


def _segments(source: Path, settings) -> list[Segment]:
    from ..build import document_for_translation
    from .segments import document_to_segments

    doc, _ = document_for_translation(source, settings)
    return document_to_segments(doc)


def _command_source(source: Path) -> None:
    from ..build import discover_sources

    if source.is_dir():
        raise EditionError(f"{source}: is a directory — give one document (a PDF or a .txt/.md text export)")
    if not source.exists():
        raise EditionError(f"{source}: no such file — check the path")
    discover_sources([source])  # one-line errors for a missing file or an edition given as source


def source_memory(source: Path, settings) -> Path:
    """Where SOURCE's translation memory is: by the document's name under the sources folder."""
    from ..build import settings_name

    return memory_path(settings.translations_dir, settings_name(source, settings))


def init_memory(source: Path, settings, reuse: bool = True) -> str:
    """Write (or complete) the starter memory of SOURCE; the line to print.

    With ``reuse``, a segment without English whose Chinese a reviewed memory of the
    translations folder (or a TMX file there) already translates gets that English — exact
    matches as translated, close ones as drafts (see :mod:`edition.translate.reuse`). The
    source is read first (seconds, for a PDF), then the memory file as it is at that moment:
    units a person added meanwhile are kept (see :func:`update_memory`)."""
    from ..build import load_glossary
    from ..glossary.charmap import charmap_for
    from .reuse import Prefill, build_index, prefill

    _command_source(source)
    path = source_memory(source, settings)
    segments = _segments(source, settings)
    index, used = (None, [])
    if reuse:
        index, used = build_index(Path(settings.translations_dir), own=path, charmap=charmap_for(load_glossary(settings)))

    def change(memory: Memory):
        units, added = starter_units(segments, memory)
        pre = Prefill({}, 0, 0)
        if index is not None and len(index):
            statuses = segment_statuses(segments, Memory(str(path), tuple(units), "new"))
            wanted = {st.key for st in statuses if st.state == "missing"}
            pre = prefill(segments, index, wanted)
            units = [pre.units[u.key] if u.key in pre.units and not u.en.strip() else u for u in units]
        todo = sum(1 for st in segment_statuses(segments, Memory(str(path), tuple(units), "new")) if st.state == "missing")
        write = not memory.exists or added or pre.units
        return (units if write else None), (memory.exists, added, todo, pre)

    existed, added, todo, pre = update_memory(path, change)
    then = f"{todo} to translate — write their English there, then run `edition build`" if todo else "nothing to translate"
    reused = ""
    if index is not None and len(index):
        reused = (f"; from {len(used)} reviewed memory/TMX file(s): {pre.exact} exact match(es) filled as translated,"
                  f" {pre.close} close match(es) (≥ 85 % similar) as drafts to review")
    if not existed:
        what = "English empty" if not pre.units else "English empty where nothing matched"
        return f"wrote {path}: {len(segments)} segment(s), Chinese filled, {what}{reused}; {then}"
    if added or pre.units:
        return f"added {added} segment(s) with empty English to {path}{reused}; {then}"
    return f"{path} already has a unit for every segment{reused}; {then}"


def memory_status(source: Path, settings) -> str:
    """The report `edition memory status` prints."""
    _command_source(source)
    path = source_memory(source, settings)
    memory = load_memory(path)
    return status_to_text(segment_statuses(_segments(source, settings), memory), path, str(source), _options(settings))


def accept_memory(source: Path, settings, keys: list[str], every: bool) -> str:
    """Accept reviewed English in SOURCE's memory; the line to print. The file is read when the
    source has been (so English a reviewer saved meanwhile is what gets accepted)."""
    _command_source(source)
    if not keys and not every:
        raise EditionError(f"nothing to accept — give the KEY of each reviewed segment (`edition memory status {source}{_options(settings)}` lists them) or --all")
    if keys and every:
        raise EditionError("give KEY… or --all, not both")
    path = source_memory(source, settings)
    if not load_memory(path).exists:
        raise EditionError(f"{path}: no translation memory — start it with `edition memory init {source}{_options(settings)}`")
    segments = _segments(source, settings)

    def change(memory: Memory):
        if not memory.exists:
            raise EditionError(f"{path}: no translation memory — start it with `edition memory init {source}{_options(settings)}`")
        units, done = accepted_units(segments, memory, keys, every, str(source), _options(settings))
        return (units if done else None), done

    done = update_memory(path, change)
    if not done:
        return f"nothing to accept in {path}: " + ("no draft or stale segments" if every else "already translated")
    kinds = ", ".join(f"{n} {s}" for s in ("draft", "stale") if (n := sum(1 for st in done if st.state == s)))
    return f"accepted {len(done)} segment(s) in {path} ({kinds})"
