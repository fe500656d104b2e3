"""The memory ↔ CAT tools (OmegaT, Trados, memoQ, Phrase, Weblate): XLIFF and TMX, written and
read by translate-toolkit's storage classes.

    export  memory + the document's segments → XLIFF 1.1 (every segment: key = unit id, current
            Chinese, English, state) or TMX 1.4 (every segment with English: srclang zh-Hant)
    import  XLIFF / TMX → each unit placed by key, else by its normalised Chinese → the memory,
            by read–merge–write; what could not be placed or would replace a person's English
            is listed, never dropped silently

States in XLIFF (``target/@state``, ``trans-unit/@approved``):

    translated  translated, approved="yes"
    draft       needs-review-translation (state-qualifier leveraged-mt for a machine's draft,
                leveraged-tm for a close match)
    stale       needs-review-translation, state-qualifier id-match, the old Chinese in a note
    missing     no target

Each unit also carries, in a context group, the fingerprint of the English as exported: on
import, English that differs from the memory's is taken only where the memory still holds
what was exported (the edit was made in the CAT tool); where both changed, the memory's is
kept and the file's listed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import EditionError
from .memory import Memory, Unit, load_memory, segment_unit, update_memory
from .reuse import chinese_key, digest
from .segments import Segment, zh_hash

SOURCE_LANG = "zh-Hant"
TARGET_LANG = "en"
_CONFIRMED = ("translated", "final", "signed-off")
_CONTEXT = "edition"


@dataclass(frozen=True)
class Item:
    """One unit read from an XLIFF or TMX file.

    key:   the segment key it was exported with (None: a file from elsewhere without one).
    zh, en: source and target text ("" when there is no target).
    state: "translated" (confirmed in the CAT tool), "draft" (not confirmed), None (not said).
    qualifier: the XLIFF state-qualifier (leveraged-mt, leveraged-tm …), if any.
    exported: fingerprint of the English the memory held at export, if the file carries it.
    """

    key: str | None
    zh: str
    en: str
    state: str | None = None
    qualifier: str | None = None
    exported: str | None = None


def _tt():
    try:
        from translate.storage import tmx, xliff
    except ImportError:  # pragma: no cover - a runtime dependency
        raise EditionError("translate-toolkit is not installed — `pip install translate-toolkit` (edition depends on it)") from None
    return xliff, tmx


# --- export -------------------------------------------------------------------------------------


def _rows(segments: list[Segment], memory: Memory):
    """(segment, unit or None, state) in reading order."""
    by_key, by_hash = memory.by_key, memory.by_hash
    for seg in segments:
        unit, state = segment_unit(memory, seg, by_key, by_hash)
        yield seg, unit, state


def memory_to_xliff(document: str, segments: list[Segment], memory: Memory) -> bytes:
    """XLIFF 1.1 as translate-toolkit writes it: one file element named after the document,
    one trans-unit per segment (see the module docstring for the states)."""
    xliff, _ = _tt()
    store = xliff.xlifffile(sourcelanguage=SOURCE_LANG, targetlanguage=TARGET_LANG)
    for seg, unit, state in _rows(segments, memory):
        tu = store.addsourceunit(seg.zh, filename=document, createifmissing=True)
        tu.setid(seg.key)
        if unit is not None and state != "missing":
            tu.settarget(unit.en)
            target = tu.getlanguageNode(lang=None, index=1)
            if state == "translated":
                tu.set_state_n(xliff.xliffunit.S_TRANSLATED)
                tu.markapproved(True)
            else:
                tu.set_state_n(xliff.xliffunit.S_NEEDS_REVIEW)
                tu.markapproved(False)
                qualifier = "id-match" if state == "stale" else {"machine": "leveraged-mt", "reuse": "leveraged-tm"}.get(unit.origin)
                if qualifier:
                    target.set("state-qualifier", qualifier)
            tu.addnote(f"origin: {unit.provenance}", origin="edition")
            if state == "stale":
                tu.addnote(f"stale: the English was written for {unit.zh}", origin="edition")
            if unit.note:
                tu.addnote(unit.note, origin="reviewer")
        contexts = [("x-edition-state", state), ("x-edition-kind", seg.kind)]
        if unit is not None and state != "missing":
            contexts.append(("x-edition-en", digest(unit.en)))
        tu.createcontextgroup(_CONTEXT, contexts, purpose="information")
    return bytes(store)


def memory_to_tmx(document: str, segments: list[Segment], memory: Memory) -> tuple[bytes, int]:
    """TMX 1.4 (srclang zh-Hant): one tu per segment with English — a stale one pairs its English
    with the Chinese it was written for — and how many segments were left out (no English)."""
    _, tmx = _tt()
    store = tmx.tmxfile(sourcelanguage=SOURCE_LANG, targetlanguage=TARGET_LANG)
    left_out = 0
    for seg, unit, state in _rows(segments, memory):
        if unit is None or state == "missing":
            left_out += 1
            continue
        zh = unit.zh if state == "stale" else seg.zh
        tu = store.addsourceunit(zh, SOURCE_LANG)
        tu.settarget(unit.en, TARGET_LANG, append=True)
        tu.xmlelement.set("tuid", seg.key)
        tu.addnote(f"origin: {unit.provenance}")
        tu.setcontext(seg.key)
        for name, value in (("x-edition-state", state), ("x-edition-en", digest(unit.en))):
            _tmx_prop(tu, name, value)
    header = store.document.getroot().find("header")
    if header is None:
        store.addheader()
        header = store.document.getroot().find("header")
    from lxml import etree

    prop = etree.SubElement(header, "prop", {"type": "x-edition-document"})
    prop.text = document
    return bytes(store), left_out


def _tmx_prop(tu, name: str, value: str) -> None:
    from lxml import etree

    prop = etree.Element("prop", {"type": name})
    prop.text = value
    tu._insert_element_before(prop, tu.namespaced(tu.languageNode))


def export_memory(source: Path, settings, fmt: str, output: Path) -> list[str]:
    """Write SOURCE's memory as XLIFF or TMX to ``output`` (atomically); the lines to print."""
    from ..build import settings_name
    from ..fsutil import write_bytes_atomic
    from .review import _command_source, _segments, source_memory

    _command_source(source)
    path = source_memory(source, settings)
    memory = load_memory(path)
    if not memory.exists:
        raise EditionError(f"{path}: no translation memory to export — start it with `edition memory init {source}`")
    segments = _segments(source, settings)
    document = settings_name(source, settings) + source.suffix
    counts: dict[str, int] = {}
    for _, _, state in _rows(segments, memory):
        counts[state] = counts.get(state, 0) + 1
    summary = ", ".join(f"{counts.get(s, 0)} {s}" for s in ("translated", "draft", "stale", "missing"))
    if fmt == "xliff":
        write_bytes_atomic(output, memory_to_xliff(document, segments, memory))
        return [f"wrote {output}: {len(segments)} segment(s) of {document} ({summary})"]
    data, left_out = memory_to_tmx(document, segments, memory)
    write_bytes_atomic(output, data)
    lines = [f"wrote {output}: {len(segments) - left_out} segment(s) of {document} with English ({summary})"]
    if left_out:
        lines.append(f"left out of {output}: {left_out} segment(s) without English (a TMX pairs a source with a translation)")
    return lines


# --- reading ------------------------------------------------------------------------------------


def read_xliff(path: Path) -> tuple[list[str], list[Item]]:
    """The documents an XLIFF file names and its units."""
    xliff, _ = _tt()
    try:
        store = xliff.xlifffile.parsefile(str(path))
    except Exception as exc:  # lxml and translate-toolkit raise many kinds on a broken file
        raise EditionError(f"{path}: not an XLIFF file translate-toolkit can read ({type(exc).__name__}: {' '.join(str(exc).split())[:120]}) — export it again") from None
    items = []
    for tu in store.unit_iter():
        target = tu.target or ""
        node = tu.getlanguageNode(lang=None, index=1)
        xml_state = node.get("state") if node is not None else None
        if not target.strip():
            state = None
        elif tu.isapproved() or xml_state in _CONFIRMED:
            state = "translated"
        else:
            state = "draft"
        exported = None
        for group in tu.getcontextgroups(_CONTEXT):
            exported = dict(group).get("x-edition-en", exported)
        items.append(Item(tu.xmlelement.get("id") or None, str(tu.source or ""), str(target), state,
                          node.get("state-qualifier") if node is not None else None, exported))
    return store.getfilenames(), items


def read_tmx(path: Path) -> list[Item]:
    """A TMX file's units (source in Chinese, target in English, whatever the variants' case)."""
    _, tmx = _tt()
    try:
        store = tmx.tmxfile.parsefile(str(path))
    except Exception as exc:
        raise EditionError(f"{path}: not a TMX file translate-toolkit can read ({type(exc).__name__}: {' '.join(str(exc).split())[:120]}) — export it again") from None
    items = []
    for tu in store.unit_iter():
        zh = en = ""
        for node in tu.getlanguageNodes():
            lang = (node.get("{http://www.w3.org/XML/1998/namespace}lang") or node.get("lang") or "").lower()
            text = tu.getNodeText(node, "preserve") or ""
            if lang.startswith("zh"):
                zh = text
            elif lang.startswith("en"):
                en = text
        if not zh:
            continue
        props = {p.get("type"): p.text for p in tu.xmlelement.iter("prop")}
        state = props.get("x-edition-state")
        items.append(Item(tu.xmlelement.get("tuid") or props.get("x-context") or None, zh, en,
                          {"translated": "translated", None: None}.get(state, "draft"), None, props.get("x-edition-en")))
    return items


def tmx_document(path: Path) -> str | None:
    """The document an edition TMX was exported from (its header's x-edition-document), or None."""
    from lxml import etree

    try:
        root = etree.parse(str(path)).getroot()
    except Exception:
        return None
    prop = root.find("header/prop[@type='x-edition-document']")
    return prop.text if prop is not None and prop.text else None


# --- import -------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did, unit by unit."""

    filled: int = 0
    updated: int = 0
    confirmed: int = 0
    unchanged: int = 0
    empty: int = 0
    conflicts: list[str] = None  # type: ignore[assignment]
    unplaced: list[str] = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        self.conflicts = self.conflicts or []
        self.unplaced = self.unplaced or []


def _origin_for(item: Item, file_name: str) -> dict:
    """Provenance of English a file brings: a CAT tool's MT or TM match keeps that origin; an
    edition TMX or XLIFF confirmed by a person is theirs; a foreign TMX is reuse from it."""
    if item.qualifier in ("leveraged-mt", "mt-suggestion"):
        return {"origin": "machine", "reviewed": True if item.state == "translated" else None}
    if item.qualifier in ("leveraged-tm", "tm-suggestion", "fuzzy-match", "exact-match", "leveraged-repository"):
        return {"origin": "reuse", "reused_from": file_name, "reviewed": True if item.state == "translated" else None}
    if item.state is None:  # a TMX from elsewhere: a memory of approved translations
        return {"origin": "reuse", "reused_from": file_name, "reviewed": True}
    return {"origin": "human", "reviewed": None if item.state == "translated" else False}


def merge_import(units: list[Unit], items: list[Item], segments: list[Segment], file_name: str, charmap=None) -> tuple[list[Unit], ImportReport]:
    """The memory's units with a file's English merged in (see the module docstring); pure."""
    from .memory import _insert_in_order

    report = ImportReport()
    by_key_seg = {s.key: s for s in segments}
    by_text: dict[str, list[Segment]] = {}
    for s in segments:
        by_text.setdefault(chinese_key(s.zh, charmap), []).append(s)
    order = {s.key: i for i, s in enumerate(segments)}
    merged = list(units)
    index = {u.key: i for i, u in enumerate(merged)}

    for item in items:
        if not item.en.strip():
            report.empty += 1
            continue
        seg = by_key_seg.get(item.key) if item.key else None
        if seg is not None and chinese_key(seg.zh, charmap) == chinese_key(item.zh, charmap):
            targets = [seg]
        else:
            targets = by_text.get(chinese_key(item.zh, charmap), [])
        if not targets:
            why = "its Chinese changed since the export" if seg is not None else "no segment has its key or its Chinese"
            report.unplaced.append(f"{item.key or '(no key)'}: {why} — {item.zh[:40]}")
            continue
        for seg in targets:
            i = index.get(seg.key)
            unit = merged[i] if i is not None else None
            new = _merged_unit(unit, seg, item, file_name, report)
            if new is None:
                continue
            if i is None:
                _insert_in_order(merged, new, order)
                index = {u.key: j for j, u in enumerate(merged)}
            else:
                merged[i] = new
    return merged, report


def _merged_unit(unit: Unit | None, seg: Segment, item: Item, file_name: str, report: ImportReport) -> Unit | None:
    """The unit a file's English makes of a memory unit (None: leave it as it is)."""
    en = item.en
    current = unit is not None and unit.en.strip() and unit.hash == seg.hash
    if unit is None or not unit.en.strip():
        report.filled += 1
        return Unit(seg.key, seg.hash, seg.zh, en, **_origin_for(item, file_name))
    if unit.en == en:
        confirm = item.state == "translated" and (not unit.is_reviewed or not current)
        if not confirm:
            report.unchanged += 1
            return None
        report.confirmed += 1  # confirmed in the CAT tool: reviewed, for the Chinese as it is
        return replace(unit, hash=seg.hash, zh=seg.zh, reviewed=None if unit.origin == "human" else True)
    # the English differs from the memory's
    untouched_since_export = item.exported is not None and item.exported == digest(unit.en)
    persons = unit.is_reviewed or unit.origin == "human"
    if untouched_since_export or not persons:
        report.updated += 1
        fields = _origin_for(item, file_name)
        if untouched_since_export:
            # the English was rewritten in the CAT tool after the export: a person's (a
            # state-qualifier left from the export, leveraged-mt, no longer describes it)
            fields = {"origin": "human", "reviewed": None if item.state == "translated" else False}
        return Unit(seg.key, seg.hash, seg.zh, en, note=unit.note, **fields)
    report.conflicts.append(f"{seg.key}: kept the memory's English ({unit.en[:60]!r}); the file has {en[:60]!r}")
    return None


def import_file(file: Path, source: Path | None, settings, ws=None) -> tuple[str, list[str]]:
    """Import an XLIFF or TMX file; (the line to print on stdout, the lines for stderr)."""
    from ..build import load_glossary
    from ..glossary.charmap import charmap_for
    from .review import _command_source, _segments, source_memory

    if not file.is_file():
        raise EditionError(f"{file}: no such file — check the path")
    kind = _sniff(file)
    if kind == "xliff":
        documents, items = read_xliff(file)
        named = documents[0] if documents and documents[0] != "NoName" else None
    else:
        items = read_tmx(file)
        named = tmx_document(file)
    if source is None:
        source = _named_source(named, settings)
        if source is None:
            if kind == "tmx":
                return _keep_for_reuse(file, settings), []
            raise EditionError(f"{file}: names no document of this workspace{f' ({named})' if named else ''} — give the SOURCE it translates: `edition memory import {file} SOURCE`")
    _command_source(source)
    segments = _segments(source, settings)
    charmap = charmap_for(load_glossary(settings))
    path = source_memory(source, settings)

    def change(memory: Memory):
        units, report = merge_import(list(memory.units), items, segments, file.name, charmap)
        return (units if report.filled or report.updated or report.confirmed else None), report

    report = update_memory(path, change)
    lines = [f"  conflict {c}" for c in report.conflicts[:20]]
    if len(report.conflicts) > 20:
        lines.append(f"  … and {len(report.conflicts) - 20} more conflicts")
    lines += [f"  not placed {u}" for u in report.unplaced[:20]]
    if len(report.unplaced) > 20:
        lines.append(f"  … and {len(report.unplaced) - 20} more not placed")
    summary = (f"imported {file} into {path}: {report.filled} filled, {report.updated} updated, {report.confirmed} confirmed,"
               f" {report.unchanged} unchanged")
    if report.conflicts:
        summary += f"; {len(report.conflicts)} conflict(s) — the memory's English kept, the file's listed above: edit {path} to choose"
    if report.unplaced:
        summary += f"; {len(report.unplaced)} unit(s) not placed (listed above)"
    if report.empty:
        summary += f"; {report.empty} unit(s) without English"
    return summary, lines


def _sniff(file: Path) -> str:
    head = file.read_bytes()[:2048].decode("utf-8", "replace").lower()
    if "<xliff" in head:
        return "xliff"
    if "<tmx" in head:
        return "tmx"
    raise EditionError(f"{file}: neither XLIFF nor TMX — give a file `edition memory export` or a CAT tool wrote")


def _named_source(named: str | None, settings) -> Path | None:
    """The document a file names, under the sources folder (or from here), if it exists."""
    if not named:
        return None
    for base in ([settings.sources_root] if settings.sources_root else []) + [Path(".")]:
        candidate = base / named
        if candidate.is_file():
            return candidate
    return None


def _keep_for_reuse(file: Path, settings) -> str:
    """A TMX that is not a document's: copied into the translations folder for reuse."""
    from ..fsutil import write_bytes_atomic

    target = Path(settings.translations_dir) / file.name
    data = file.read_bytes()
    if target.exists() and target.read_bytes() != data:
        raise EditionError(f"{target}: another file of that name is already there — rename {file} and import it again")
    count = sum(1 for i in read_tmx(file) if i.en.strip())
    write_bytes_atomic(target, data)
    return (f"{file} names no document: kept as {target} ({count} translation unit(s)) — `edition memory init` reuses its"
            " translations for segments with the same or similar Chinese")
