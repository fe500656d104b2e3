"""Merge translators' part files into the translation memory of a document.

Translators work on segment lists exported from the text export (key, kind, zh as printed,
en). This script normalises each part's Chinese the way the build does, matches it to the
document's segments (by key when the Chinese agrees, else by the Chinese itself), and writes
translations/<stem>.zh-en.yaml in the reviewed layout. Segments of the PDF and of the text
export are both covered, so either source builds with full coverage.

    python tools/merge_translations.py translations/parts/*.yaml
"""

from __future__ import annotations

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


def main(parts: list[str], stem: str = "hokkaido-report") -> None:
    tb = load_termbase(ROOT / "glossary")
    docs = [apply_glossary(extract(ROOT / "source_docs" / f"{stem}{ext}"), tb) for ext in (".pdf", ".txt")]
    segs = [document_to_segments(d) for d in docs]
    # part units: key -> (normalised zh hash, en)
    given: dict[str, tuple[str, str]] = {}
    by_hash: dict[str, str] = {}
    for part in parts:
        for u in yaml.safe_load(Path(part).read_text(encoding="utf-8")) or []:
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
            if en is None:
                if any(u.hash == s.hash for u in units.values()):
                    continue
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
