"""Termbase → exchange formats: TBX-Basic (for CAT tools), CSV (for spreadsheets), JSON.

TBX follows TBX-Basic on TBX v2 / ISO 30042:2008 (``<martif type="TBX-Basic">``): one
``termEntry`` per entry, one ``langSet`` per chosen language in the chosen order (source
first: ``zh-Hant,en`` by default), one ``tig`` per term with
``administrativeStatus`` (canonical names preferred; abbreviations, short and full forms and
paraphrases admitted; shinjitai, simplified, OCR and alternative spellings deprecated) and
``termType``.
Japanese-script variants of a Chinese name (shinjitai) are still zh-Hant terms: they are
spellings the Chinese report uses, deprecated so a CAT tool flags them.

The language pair is a choice because tools read TBX differently: Translate Toolkit's
``tbx2po`` takes the ``martif``'s ``xml:lang`` as the source and otherwise pairs the first two
``langSet`` of each entry, so a file with zh-Hant, ja, en yielded Chinese→Japanese pairs.
An entry without a term in the source or target language is left out (it has no pair);
further languages (``zh-Hant,en,ja``) are carried where the entry has them.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from typing import Any

from ..errors import EditionError
from .termbase import Entry, Termbase

FORMATS = ("tbx", "csv", "json")
LANGUAGES = ("zh-Hant", "en", "ja")
DEFAULT_LANGS = ("zh-Hant", "en")

PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"
DEPRECATED = "deprecatedTerm-admn-sts"

# variant kind → (TBX administrativeStatus, TBX termType)
_VARIANT_TBX = {
    "shinjitai": (DEPRECATED, "variant"),
    "simplified": (DEPRECATED, "variant"),
    "ocr": (DEPRECATED, "variant"),
    "alternative": (DEPRECATED, "variant"),
    "abbreviation": (ADMITTED, "abbreviation"),
    "short": (ADMITTED, "shortForm"),
    "full": (ADMITTED, "fullForm"),
    "english": (ADMITTED, "variant"),
    "paraphrase": (ADMITTED, "variant"),
    "spelling": (ADMITTED, "variant"),
}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def export_termbase(termbase: Termbase, fmt: str, *, langs: tuple[str, ...] = DEFAULT_LANGS, excel: bool = False) -> str:
    """The whole termbase as a TBX, CSV or JSON string (deterministic: entry order, no timestamps).

    ``langs`` (TBX): the languages in order, source first; ``excel`` (CSV): a UTF-8 byte-order
    mark and CRLF line ends, so that Excel opens the Chinese and Japanese correctly.
    """
    if fmt == "tbx":
        return termbase_to_tbx(termbase, langs)
    if fmt == "csv":
        return termbase_to_csv(termbase, excel=excel)
    if fmt == "json":
        return termbase_to_json(termbase)
    raise EditionError(f"unknown export format {fmt!r} — use one of {', '.join(FORMATS)}")


def parse_langs(text: str) -> tuple[str, ...]:
    """'zh-Hant,en' → ('zh-Hant', 'en'); 'zh' and 'zh-TW' mean zh-Hant. EditionError otherwise."""
    aliases = {"zh": "zh-Hant", "zh-tw": "zh-Hant", "zh-hant": "zh-Hant", "en": "en", "ja": "ja"}
    langs = tuple(aliases.get(part.strip().lower(), part.strip()) for part in text.split(",") if part.strip())
    unknown = [lang for lang in langs if lang not in LANGUAGES]
    if unknown:
        raise EditionError(f"--langs: unknown language {unknown[0]!r} — use two or three of {', '.join(LANGUAGES)}")
    if len(langs) < 2 or len(set(langs)) != len(langs):
        raise EditionError(f"--langs: {text!r} needs a source and a target language, each once — e.g. zh-Hant,en")
    return langs


def entry_to_dict(entry: Entry) -> dict[str, Any]:
    """One entry as a plain dict with every field (None for absent optional ones)."""
    return {
        "id": entry.id,
        "type": entry.type,
        "zh": entry.zh,
        "ja": entry.ja,
        "en": entry.en,
        "abbr": list(entry.abbr),
        "variants": [{"form": v.form, "kind": v.kind} for v in entry.variants],
        "parent": entry.parent,
        "source": entry.source,
        "note": entry.note,
        "layer": entry.layer,
    }


def termbase_to_json(termbase: Termbase) -> str:
    """A JSON list of entry dicts, termbase order, sorted keys, UTF-8 text (ensure_ascii=False)."""
    return json.dumps([entry_to_dict(e) for e in termbase.entries], ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def termbase_to_csv(termbase: Termbase, *, excel: bool = False) -> str:
    """One row per entry: id,type,zh,ja,en,abbr ('; '-joined),variants ('form (kind); …'),parent,note,layer.

    ``excel``: UTF-8 with a byte-order mark and CRLF line ends (Excel reads a file without the
    mark in the system code page and garbles every CJK character).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if excel else "\n")
    writer.writerow(["id", "type", "zh", "ja", "en", "abbr", "variants", "parent", "note", "layer"])
    for e in termbase.entries:
        variants = "; ".join(f"{v.form} ({v.kind})" for v in e.variants)
        writer.writerow([e.id, e.type, e.zh, e.ja or "", e.en, "; ".join(e.abbr), variants, e.parent or "", e.note or "", e.layer])
    return ("\ufeff" if excel else "") + out.getvalue()


def termbase_to_tbx(termbase: Termbase, langs: tuple[str, ...] = DEFAULT_LANGS) -> str:
    """TBX-Basic XML (built with ElementTree, so well-formed and escaped) for the languages in
    ``langs``, source first; entries lacking the source or target language are left out."""
    martif = ET.Element("martif", {"type": "TBX-Basic", _XML_LANG: langs[0]})
    header = ET.SubElement(martif, "martifHeader")
    file_desc = ET.SubElement(header, "fileDesc")
    source_desc = ET.SubElement(file_desc, "sourceDesc")
    names = ", ".join(layer.name for layer in termbase.layers) or "the termbase"
    ET.SubElement(source_desc, "p").text = f"Termbase of the edition: {names}"
    encoding_desc = ET.SubElement(header, "encodingDesc")
    ET.SubElement(encoding_desc, "p", {"type": "XCSURI"}).text = "TBXBasicXCSV02.xcs"
    body = ET.SubElement(ET.SubElement(martif, "text"), "body")
    for entry in termbase.entries:
        term_entry = entry_to_term_entry(entry, langs)
        if term_entry is not None:
            body.append(term_entry)
    ET.indent(martif)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(martif, encoding="unicode") + "\n"


def entry_terms(entry: Entry) -> dict[str, list[tuple[str, str, str]]]:
    """language → [(term, administrativeStatus, termType)], preferred term first."""
    terms: dict[str, list[tuple[str, str, str]]] = {"zh-Hant": [], "ja": [], "en": []}
    terms["zh-Hant"].append((entry.zh, PREFERRED, "fullForm"))
    if entry.ja:
        terms["ja"].append((entry.ja, PREFERRED, "fullForm"))
    terms["en"].append((entry.en, PREFERRED, "fullForm"))
    for abbr in entry.abbr:
        terms["en" if abbr.isascii() else "zh-Hant"].append((abbr, ADMITTED, "abbreviation"))
    for v in entry.variants:
        status, term_type = _VARIANT_TBX[v.kind]
        lang = "en" if v.kind == "english" or (v.kind == "abbreviation" and v.form.isascii()) else "zh-Hant"
        terms[lang].append((v.form, status, term_type))
    return terms


def entry_to_term_entry(entry: Entry, langs: tuple[str, ...] = DEFAULT_LANGS) -> ET.Element | None:
    """One ``termEntry``: subjectField (the entry type), a note, and a langSet per language of
    ``langs`` in that order; None when the entry has no term in the source or target language."""
    terms = entry_terms(entry)
    if not (terms[langs[0]] and terms[langs[1]]):
        return None
    term_entry = ET.Element("termEntry", {"id": entry.id})
    ET.SubElement(term_entry, "descrip", {"type": "subjectField"}).text = entry.type
    if entry.note:
        ET.SubElement(term_entry, "note").text = entry.note
    if entry.layer:
        ET.SubElement(term_entry, "note").text = f"termbase layer: {entry.layer}"
    for lang in langs:
        if not terms[lang]:
            continue
        lang_set = ET.SubElement(term_entry, "langSet", {_XML_LANG: lang})
        for form, status, term_type in terms[lang]:
            tig = ET.SubElement(lang_set, "tig")
            ET.SubElement(tig, "term").text = form
            ET.SubElement(tig, "termNote", {"type": "administrativeStatus"}).text = status
            ET.SubElement(tig, "termNote", {"type": "termType"}).text = term_type
    return term_entry
