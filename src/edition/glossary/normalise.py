"""Safe zh-Hant normalisation: text → :class:`Normalised` (new text + the edits that made it).

Blind OpenCC is wrong for this report: ``s2tw`` turns 干預→幹預, 岩田→巖田, 恒一→恆一 and
札幌市北区北8条→北區北8條; ``jp2t`` turns 研→硏 and 連携→聯攜; neither fixes 産/総/図. So the
normaliser only does two reviewed things, outside protected spans:

1. institution variants listed in the termbase with kind shinjitai/simplified/ocr/alternative
   are rewritten to the entry's canonical zh (longest match first, via :mod:`match`);
2. characters listed in ``glossary/charmap.yaml`` (Simplified leaks, shinjitai) are mapped one
   for one. The map holds only characters that are *not* valid Taiwan Traditional characters;
   干, 岩, 恒, 研, 台, 里, 面, 携 are valid and are not in it.

Protected spans (never changed): runs containing kana (Japanese text such as
札幌総合卸センター8号館), blocks of short kana-free Japanese figure labels between kana lines,
Japanese addresses (after 地址： or a city followed by 区/条/丁目/番), and names marked
``<u>…</u>`` in the text export. Every change is an :class:`Edit` with offsets into the
original, so a reviewer (and the QA report) can see exactly what moved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

# re-exported: the character map lived here before it got its own module
from .charmap import EMPTY_CHARMAP, Charmap, charmap_for, load_charmap  # noqa: F401  # pyflakes: ignore
from .termbase import UNIFIED_KINDS, Termbase, form_key


@dataclass(frozen=True)
class Edit:
    """One replacement; offsets are into the ORIGINAL text."""

    start: int
    """Offset of the first replaced character."""
    end: int
    """Offset after the last replaced character."""
    original: str
    """``original_text[start:end]``."""
    replacement: str
    """What it became."""
    kind: str
    """'simplified', 'shinjitai' (a charmap character) or 'variant' (a termbase variant unified to zh)."""


@dataclass(frozen=True)
class Normalised:
    """The result of :func:`normalise_text`."""

    text: str
    """The normalised text."""
    edits: tuple[Edit, ...]
    """Non-overlapping edits sorted by start; ``apply_edits(original, edits) == text``."""


# --- protected spans ----------------------------------------------------------------------

# Kana, without the middle dot ・ (U+30FB): Chinese captions use it too ("圖 30・北海道大學…").
_KANA = "\u3040-\u309f\u30a0-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff々〆〇"
_KANA_CHAR = re.compile(f"[{_KANA}]")
_HAN_CHAR = re.compile(f"[{_HAN}]")
# A "run": letters of any script, digits and the joiners used in Japanese names and numbers.
_RUN = re.compile(f"[{_HAN}{_KANA}0-9０-９A-Za-zＡ-Ｚａ-ｚ・\\-‐－]+")
_ADDRESS_LABEL = re.compile(r"地址[：:]\s*")
_ADDRESS_BODY = re.compile(f"[{_HAN}{_KANA}0-9０-９\\-‐－]+")
# After the city: a ward (北区, 豊平区) or a numbered block (北8条, 4丁目, 8番).
_ADDRESS_START = re.compile(f"[{_HAN}]{{1,3}}区|[{_HAN}]{{0,4}}[0-9０-９]+(?:条|丁目|番)")
# Where a city-anchored address stops: after its last number or address word, so that
# "札幌市北区北8条西5的研究" protects only the address.
_ADDRESS_TAIL = re.compile(r".*(?:[0-9０-９]|条|丁目|番地|番|号|区|館)", re.S)
_NAME_TAG = re.compile(r"<u>([^<>\n]{1,30})</u>")
_LABEL_PUNCT = re.compile(r"[，。、；：！？「」『』（）()\[\]0-9A-Za-z\s]")
_NOT_CITY = set("於于在的之及與和、，。；：到往赴從由向")


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Spans the normaliser must never change, merged and sorted: Japanese runs, Japanese label
    blocks, Japanese addresses and <u>-marked names."""
    spans = kana_run_spans(text) + japanese_label_spans(text) + address_spans(text) + name_tag_spans(text)
    return merge_spans(spans)


def kana_run_spans(text: str) -> list[tuple[int, int]]:
    """Runs (no spaces or punctuation inside) that contain at least one kana: Japanese text."""
    return [m.span() for m in _RUN.finditer(text) if _KANA_CHAR.search(m.group())]


def japanese_label_spans(text: str) -> list[tuple[int, int]]:
    """Short kana-free lines (figure labels like 施設外観, 共用会議室) between two kana lines.

    In the text export a Japanese figure's labels come out one per line; without kana they
    look like Chinese, but the kana lines around them say otherwise.
    """
    lines = []  # (start, end) of the non-blank lines, stripped
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            start = offset + line.index(stripped)
            lines.append((start, start + len(stripped)))
        offset += len(line)
    japanese = japanese_label_indices([text[s:e] for s, e in lines])
    return [lines[i] for i in sorted(japanese)]


def japanese_label_indices(labels: list[str]) -> set[int]:
    """Indices of the kana-free short labels that stand between two kana labels.

    ``labels`` are the lines of a figure (the text export) or its ``figure_text`` items (the
    PDF): in a figure whose words are Japanese (施設のイメージ, 施設外観, 居室, 共用会議室,
    リラクゼーションコーナー), the kanji-only words are Japanese too and keep their characters.
    """
    kinds = []
    for label in labels:
        stripped = label.strip()
        if _KANA_CHAR.search(stripped):
            kinds.append("kana")
        elif stripped and len(stripped) <= 12 and not _LABEL_PUNCT.search(stripped):
            kinds.append("label")
        else:
            kinds.append("other")
    out: set[int] = set()
    i = 0
    while i < len(kinds):
        if kinds[i] != "label":
            i += 1
            continue
        j = i
        while j < len(kinds) and kinds[j] == "label":
            j += 1
        if i > 0 and kinds[i - 1] == "kana" and j < len(kinds) and kinds[j] == "kana":
            out.update(range(i, j))
        i = j
    return out


def address_spans(text: str) -> list[tuple[int, int]]:
    """Japanese addresses: the run after 地址：, or a city (…市) followed by a ward (…区) or a block (8条, 4丁目)."""
    spans = []
    for label in _ADDRESS_LABEL.finditer(text):
        body = _ADDRESS_BODY.match(text, label.end())
        if body:
            spans.append(body.span())
    for city in re.finditer("市", text):
        body = _ADDRESS_BODY.match(text, city.end())
        if not body:
            continue
        tail = _ADDRESS_TAIL.match(body.group())
        if not tail or not _ADDRESS_START.match(body.group()):
            continue
        start = city.start()
        while start > 0 and city.start() - start < 3 and _is_han(text[start - 1]) and text[start - 1] not in _NOT_CITY:
            start -= 1
        spans.append((start, body.start() + tail.end()))
    return spans


def name_tag_spans(text: str) -> list[tuple[int, int]]:
    """Names the text export underlines (<u>大澤恒一</u>): Japanese personal names, kept as written."""
    return [m.span(1) for m in _NAME_TAG.finditer(text)]


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping union of half-open spans (touching spans are joined)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _is_han(c: str) -> bool:
    return bool(_HAN_CHAR.match(c))


# --- normalisation ------------------------------------------------------------------------


def normalise_text(text: str, termbase: Termbase, charmap: Charmap | None = None, convert=None) -> Normalised:
    """Fix Simplified/shinjitai leaks and unify institution variants, outside protected spans.

    ``charmap`` defaults to the charmap.yaml beside the termbase. ``convert``, given for a
    document written in Simplified Chinese, converts its text whole (OpenCC ``s2tw``) instead of
    mapping the charmap's leaked characters. Deterministic; the edits are sorted,
    non-overlapping and carry offsets into ``text``.
    """
    if charmap is None:
        charmap = charmap_for(termbase)
    protected = bytearray(len(text))
    for start, end in protected_spans(text):
        protected[start:end] = b"\1" * (end - start)
    edits = variant_edits(text, termbase, charmap, protected)
    for e in edits:
        protected[e.start : e.end] = b"\1" * (e.end - e.start)
    edits += converted_edits(text, convert, protected) if convert is not None else character_edits(text, charmap, protected)
    edits.sort(key=lambda e: e.start)
    return Normalised(apply_edits(text, edits), tuple(edits))


def variant_edits(text: str, termbase: Termbase, charmap: Charmap, protected: bytearray) -> list[Edit]:
    """Edits rewriting unifiable variants (shinjitai/simplified/ocr/alternative) to canonical zh.

    All forms take part in the longest-match so that a variant inside a longer name (or a short
    form) is not rewritten on its own.
    """
    from .match import find_form_refs

    edits = []
    for start, end, ref in find_form_refs(text, termbase):
        if ref.role not in UNIFIED_KINDS or any(protected[start:end]):
            continue
        entry = termbase.entry(ref.entry_id)
        if entry.type == "term":
            # a technical term is the author's word: 分词 is not rewritten to 斷詞 (the
            # characters themselves are still fixed by the charmap); only a name is unified
            continue
        target = unified_form(entry, ref.form, ref.role, charmap)
        if target != text[start:end]:
            edits.append(Edit(start, end, text[start:end], target, "variant"))
    return edits


def unified_form(entry: Any, form: str, kind: str, charmap: Charmap) -> str:
    """What a variant becomes.

    * its character-mapped spelling when that is another form of the same entry
      (産総研 → 產總研, the short form, not the full name);
    * for a variant without Chinese characters (an OCR'd abbreviation such as 'IU R&BP'), the
      most similar Latin form of the entry (abbreviation or English name), so that an
      abbreviation does not turn into a full Chinese name in the middle of a sentence;
    * otherwise the canonical zh.
    """
    if kind in ("shinjitai", "simplified"):
        mapped = form_key(charmap.map_text(form))
        for other, role in entry.forms():
            if role not in UNIFIED_KINDS and form_key(other) == mapped:
                return other
    if not _HAN_CHAR.search(form):
        latin = [other for other, role in entry.forms() if role not in UNIFIED_KINDS and not _HAN_CHAR.search(other)]
        if latin:
            import difflib

            return max(latin, key=lambda other: (difflib.SequenceMatcher(None, form, other).ratio(), -len(other)))
    return entry.zh


def character_edits(text: str, charmap: Charmap, protected: bytearray) -> list[Edit]:
    """One edit per charmap character outside the protected positions."""
    edits = []
    mapped = charmap.characters.intersection(text)  # nearly always none: then nothing to look up
    if mapped:
        for i, c in enumerate(text):
            if c in mapped and not protected[i]:
                hit = charmap.lookup(c)
                edits.append(Edit(i, i + 1, c, hit[0], hit[1]))
    return edits


def converted_edits(text: str, convert, protected: bytearray) -> list[Edit]:
    """A Simplified document's text converted to Taiwan Traditional outside the protected spans:
    one edit per run of changed characters (a conversion that changes a run's length — a phrase
    table's doing — is one edit for the run)."""
    edits: list[Edit] = []
    i, n = 0, len(text)
    while i < n:
        if protected[i]:
            i += 1
            continue
        j = i
        while j < n and not protected[j]:
            j += 1
        run = text[i:j]
        out = convert(run)
        if len(out) != len(run):
            if out != run:
                edits.append(Edit(i, j, run, out, "simplified"))
        else:
            k = 0
            while k < len(run):
                if out[k] == run[k]:
                    k += 1
                    continue
                m = k
                while m < len(run) and out[m] != run[m]:
                    m += 1
                edits.append(Edit(i + k, i + m, run[k:m], out[k:m], "simplified"))
                k = m
        i = j
    return edits


def apply_edits(original: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (offsets into ``original``) and return the new text."""
    out = []
    pos = 0
    for e in sorted(edits, key=lambda e: e.start):
        if e.start < pos or original[e.start : e.end] != e.original:
            raise ValueError(f"edit {e} overlaps another or does not match the original text")
        out.append(original[pos : e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(original[pos:])
    return "".join(out)


def propose_charmap_candidates(text: str) -> dict[str, tuple[str, int]]:
    """Characters OpenCC would convert (s2tw changes it, t2s leaves it) that are not in Big5
    (cp950): {char: (OpenCC's suggestion, count)}. A *proposal* for a reviewer, never applied
    directly — s2tw also "fixes" valid characters (岩→巖), which the Big5 test filters out.
    """
    import opencc  # seeding tool only

    s2tw, t2s, jp2t = opencc.OpenCC("s2tw"), opencc.OpenCC("t2s"), opencc.OpenCC("jp2t")
    counts: dict[str, int] = {}
    for c in text:
        if _is_han(c):
            counts[c] = counts.get(c, 0) + 1
    out = {}
    for c, n in sorted(counts.items()):
        try:
            c.encode("cp950")
            continue  # a valid Big5 (Taiwan) character: leave it
        except UnicodeEncodeError:
            pass
        simp = s2tw.convert(c)
        suggestion = simp if simp != c and t2s.convert(c) == c else jp2t.convert(c)
        if suggestion != c:
            out[c] = (suggestion, n)
    return out
