"""Merge translators' part files into the translation memory of a document.

Translators work on segment lists exported from the text export (key, kind, zh as printed,
en). This script normalises each part's Chinese the way the build does, matches it to the
document's segments (by key when the Chinese agrees, else by the Chinese itself), and writes
translations/<stem>.zh-en.yaml in the reviewed layout. Segments of the PDF and of the text
export are both covered, so either source builds with full coverage.

    python tools/merge_translations.py translations/parts/*.yaml
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from edition.glossary.apply import apply_glossary  # noqa: E402
from edition.glossary.normalise import normalise_text  # noqa: E402
from edition.glossary.termbase import load_termbase  # noqa: E402
from edition.pipeline import extract  # noqa: E402
from edition.translate.memory import Unit, load_memory, memory_path, memory_to_yaml  # noqa: E402
from edition.translate.segments import document_to_segments, zh_hash  # noqa: E402


_SPLIT_NOTE = re.compile(r"\s*\[Translator's note: [^\]]*(page break|cut off|broken off|split|interrupted|continues in the next)[^\]]*\]")


def compose(target: str, units: list[dict], norm) -> str | None:
    """English for a segment the extractor now joins from pieces translated separately.

    Consecutive part units whose Chinese, concatenated, is the segment's Chinese; passed-over
    figure labels and captions between them are skipped. The pieces' notes that said "continues
    in the next segment" no longer apply and are dropped.
    """
    t = norm(target)
    for i, u in enumerate(units):
        z = norm(u["zh"])
        if not z or not t.startswith(z):
            continue
        got, pieces, j = z, [u], i + 1
        while got != t and j < len(units):
            nz = norm(units[j]["zh"])
            if t.startswith(got + nz):
                got += nz
                pieces.append(units[j])
            elif units[j].get("kind") not in ("figure-text", "caption", "source", "heading"):
                break
            j += 1
        if got == t and len(pieces) > 1:
            return " ".join(_SPLIT_NOTE.sub("", p["en"]).strip() for p in pieces)
    return None


def main(parts: list[str], stem: str = "hokkaido-report") -> None:
    tb = load_termbase(ROOT / "glossary")
    docs = [apply_glossary(extract(ROOT / "source_docs" / f"{stem}{ext}"), tb) for ext in (".pdf", ".txt")]
    segs = [document_to_segments(d) for d in docs]
    # part units: key -> (normalised zh hash, en)
    given: dict[str, tuple[str, str]] = {}
    by_hash: dict[str, str] = {}
    stream: list[dict] = []
    for part in parts:
        for u in yaml.safe_load(Path(part).read_text(encoding="utf-8")) or []:
            stream.append(u)
            if not u.get("en"):
                continue
            h = zh_hash(normalise_text(u["zh"], tb).text)
            given[u["key"]] = (h, u["en"].strip())
            by_hash.setdefault(h, u["en"].strip())
    existing = load_memory(memory_path(ROOT / "translations", stem))
    units: dict[str, Unit] = {u.key: u for u in existing.units}
    missing = []
    for seglist in segs:
        for s in seglist:
            if s.key in units and units[s.key].hash == s.hash:
                continue
            g = given.get(s.key)
            en = g[1] if g and g[0] == s.hash else by_hash.get(s.hash)
            if en is None and any(u.hash == s.hash for u in units.values()):
                continue
            if en is None:
                en = compose(s.zh, stream, lambda z: re.sub(r"\s+", "", normalise_text(z, tb).text))
            if en is None:
                missing.append(s)
                continue
            key = s.key if s.key not in units else f"{s.key}@{s.hash}"
            units[key] = Unit(key, s.hash, s.zh, en)
    order = {s.key: i for i, s in enumerate(segs[0])}
    ordered = sorted(units.values(), key=lambda u: (order.get(u.key.split("@")[0], 10**6), u.key))
    out = memory_path(ROOT / "translations", stem)
    out.write_text(memory_to_yaml(ordered), encoding="utf-8")
    print(f"{out}: {len(ordered)} units; {len(missing)} segments without English")
    for s in missing:
        print(f"  missing {s.key}: {s.zh[:60]}")


if __name__ == "__main__":
    main(sys.argv[1:])
