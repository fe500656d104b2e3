"""The edition as a reader sees it: typed items built once from the translated document.

The translation stage leaves its results spread over the document dict: ``en`` (a string, or a
dict for figures, tables and the cover), ``translation`` (segment key → state) and
``translator_notes`` (segment key → notes), on the node or on its entries, cells and authors.
Only this module reads that layout, and only this module decides content: which heading is
really a numbered item, where a footnote mark stands, how list items nest, which English
marker a number gets, what a figure's alternative text says, which cells a merged cell covers,
which notes exist and what they are called. The renderers (:mod:`.markdown`, :mod:`.html`)
are serialisers: one function per item type, formatting only.

Reading order: :attr:`EditionView.cover`, :attr:`EditionView.contents`, :attr:`EditionView.blocks`
(headings, paragraphs, lists, figures, tables, in the order of the report), then the report's
footnotes, the translator's and editor's notes, and the appendices.

Text is held as :data:`Inline` — strings with note references (:class:`Ref`) where the notes
stand — in both languages, so that no renderer needs an offset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping, Union

from ..extract.charclass import BULLETS
from ..model import Node

# Findings about the translation, not the source: the QA report lists them; they are no remarks on the text.
TRANSLATION_KINDS = frozenset({"missing-translation", "draft-translation", "stale-translation", "memory-missing", "term-inconsistent"})
# The edition's Chinese is normalised to Traditional (Taiwan) script whatever the source's script
# was (a Simplified report is converted whole, see glossary/apply.py), so it is tagged zh-Hant.
ZH_LANG = "zh-Hant"
# The words for a segment's state, the same in every output (JSON, QA report, build summary,
# memory status use the state names themselves).
STATE_WORDS = {
    "missing": "missing — no English in the translation memory yet",
    # a draft is English nobody has reviewed: a machine's, or a close match reused from another
    # memory (the QA report says which, with the model or the similarity)
    "draft": "draft — English not reviewed yet (a machine draft or a reused close match)",
    "stale": "stale — the Chinese changed since this was translated",
}
# The same states as a summary table's rows (the build summary in the QA report).
SUMMARY_WORDS = {
    "translated": "translated — reviewed English",
    "draft": "draft — English not reviewed yet",
    "stale": "stale — the Chinese changed since the English was written",
    "missing": "missing — no English yet",
}
_KANA = re.compile(r"[\u3040-\u30ff]")
# A list item's own bullet glyph: the list's bullet already stands for it.
_GLYPH = re.compile(rf"^([{BULLETS}])\s+")
_COLON = re.compile(r"^(.*?[^\s：:])\s*([：:])\s*(\S.*)$", re.S)

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
_UNITS = {"章": "Chapter", "節": "Section", "节": "Section", "條": "Article", "条": "Article", "篇": "Part", "編": "Part",
          "编": "Part", "部": "Part"}


# --- inline text ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """A reference to a note, standing where the note's mark stands.

    kind:  "footnote" (the report's own), "tn" (translator's note) or "qa" (editor's remark).
    label: the note's label, unique in the edition: "1" (footnote fn-1), "1-2" (the second
           footnote marked 1 where the numbering restarts), "tn-3", "qa-1".
    """

    kind: str
    label: str


Inline = tuple[Union[str, Ref], ...]


def plain(inline: Inline | None) -> str:
    """The characters of an inline, without its note references."""
    return "".join(r for r in inline or () if isinstance(r, str))


@dataclass(frozen=True)
class Text:
    """One translatable field as a reader sees it.

    zh:    the Chinese (normalised) as the edition prints it, with references to the report's
           footnotes where their marks stood.
    en:    the English, with references to translator's notes where they stood; None when
           there is none (state missing).
    state: translated | draft | stale | missing — or "original" for text that needs no English
           (Latin script only): ``en`` is then the text itself.
    key:   the segment key (node id + field).
    """

    zh: Inline
    en: Inline | None
    state: str
    key: str = ""
    zh_lang: str = ZH_LANG  # "ja" for Japanese words (kana) printed in a figure

    @property
    def needs_english(self) -> bool:
        return self.state != "original"


@dataclass(frozen=True)
class Note:
    """A note at the end of the edition: the report's footnote (``en`` its English), a
    translator's note or an editor's remark (``zh`` empty, ``en`` the note)."""

    kind: str  # "footnote" | "tn" | "qa"
    label: str
    text: Text


# --- items ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverRow:
    """A row of the cover's table: the field's name in both languages, the Chinese as printed,
    and its English — one or more fields joined by ``sep``, then an ISO date if there is one."""

    label: str
    zh: str
    en: tuple[Text, ...]
    sep: str = ""
    iso: str = ""


@dataclass(frozen=True)
class Cover:
    """The title (the file's name where the cover gives none) and the cover's fields."""

    title_zh: str
    title: Text | None  # None: no title segment (no English to show)
    rows: tuple[CoverRow, ...]


@dataclass(frozen=True)
class Heading:
    """A section's or front matter's heading.

    anchor:    the id links point to ("s-ch1-formal2").
    depth:     nesting, 1 for a top-level heading.
    level:     the numbering level the extractor gave (sections), 1 for front matter.
    zh:        the heading as printed, number included.
    number_en: its number in English form ("Chapter 1", "III.", "(2)"; "" if unnumbered).
    text:      the title without its number, in both languages.
    remarks:   editor's remarks on the section.
    """

    anchor: str
    depth: int
    level: int
    zh: str
    number_en: str
    text: Text
    remarks: tuple[Ref, ...] = ()
    kind: str = "section"


@dataclass(frozen=True)
class EntryRow:
    """An entry of the report's contents, list of figures or list of tables."""

    zh: str
    prefix_en: str  # "Figure 3. ", "Chapter 1 ", "II. " …
    text: Text
    page: str


@dataclass(frozen=True)
class Entries:
    """The entries a front matter list holds (under its heading)."""

    kind: str  # contents | figures | tables
    rows: tuple[EntryRow, ...]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph. A numbered item the report sets like a heading ('一、期間：101年…') is a
    paragraph with a bold ``lead`` in each language (the marker and label with its colon) and an
    ``anchor``; ``text`` is then what follows the lead."""

    text: Text
    anchor: str = ""
    lead_zh: str = ""
    colon_zh: str = ""
    lead_en: Inline = ()
    remarks: tuple[Ref, ...] = ()


@dataclass(frozen=True)
class ListItem:
    """A list item: its nesting depth as a list can show it (first item 0, one step at a time)
    and its text without the bullet glyph the bullet stands for."""

    depth: int
    text: Text


@dataclass(frozen=True)
class ListBlock:
    """A run of list items."""

    items: tuple[ListItem, ...]


@dataclass(frozen=True)
class Image:
    """A picture cropped from the PDF, beside the edition: ``src`` relative to the edition."""

    src: str
    width: int
    height: int
    page: int


@dataclass(frozen=True)
class Figure:
    """A figure: its pictures, caption and source line in both languages, the words printed
    inside it (kept searchable), editor's remarks, and ``where`` it is in the source."""

    anchor: str
    label_zh: str  # "圖 3、" + caption as printed; "" without a caption
    number_en: str  # "Figure 3"
    caption: Text | None
    source: Text | None
    texts: tuple[Text, ...]
    images: tuple[Image, ...]
    alt: str  # what the picture is, for a reader who cannot see it: caption in both languages
    where: str  # "; on page 8 of the report"
    remarks: tuple[Ref, ...] = ()
    problem: str = ""  # why the picture could not be rendered, where it could not


@dataclass(frozen=True)
class Cell:
    """A table cell. A cell covered by a merged neighbour has ``merged`` "up" or "left" and no
    text; the cell that covers others has ``rowspan`` / ``colspan``. ``absent``: the row is
    shorter than the table."""

    text: Text | None
    merged: str = ""
    rowspan: int = 1
    colspan: int = 1
    absent: bool = False


@dataclass(frozen=True)
class Table:
    """A table: caption in both languages, rows of cells (the first row is the header), and
    the pages it runs over."""

    anchor: str
    label_zh: str
    number_en: str  # "Table 2"
    caption: Text | None
    rows: tuple[tuple[Cell, ...], ...]
    width: int
    pages: tuple[int, ...] = ()


@dataclass(frozen=True)
class Unknown:
    """A node type no renderer knows: shown as such, never dropped silently."""

    type: str


Block = Union[Heading, Entries, Paragraph, ListBlock, Figure, Table, Unknown]


@dataclass(frozen=True)
class ContentsEntry:
    """A heading in the contents: its nesting among the entries, and whether the short
    contents (chapters and their first-level sections) lists it."""

    depth: int
    heading: Heading
    major: bool


@dataclass(frozen=True)
class GlossaryRow:
    zh: str
    ja: str
    en: str
    abbr: str


@dataclass(frozen=True)
class Finding:
    kind: str
    message: str
    zh_old: str | None = None
    zh_new: str | None = None


@dataclass(frozen=True)
class EditionView:
    """Everything a renderer shows, in reading order."""

    name: str  # the document's name (the source's stem)
    source_path: str
    zh_lang: str
    cover: Cover
    contents: tuple[ContentsEntry, ...]
    blocks: tuple[Block, ...]
    footnotes: tuple[Note, ...]
    notes: tuple[Note, ...]
    glossary: tuple[GlossaryRow, ...]
    source_findings: tuple[Finding, ...]
    translation_findings: tuple[Finding, ...]


# --- numbers in English -----------------------------------------------------------------------


def english_marker(style: str, value: int | None, unit: str = "章", printed: str = "") -> str:
    """A numbering marker in English form: 第四章 → Chapter 4, 參、 → III., (二) → (2), 2.1.3 → 2.1.3,
    b. → b., iv. → iv.; "" for an unnumbered heading."""
    if value is None or style == "unnumbered":
        return ""
    mark = printed.strip().strip("、．.:：()（）")
    if style == "chapter":
        # the division's unit: 第X章 chapter, 第X節/节 section, 第X條/条 article, 第X篇/部分 part
        return f"{_UNITS.get(unit[:1], 'Chapter')} {value}"
    if style == "formal":
        return f"{ROMAN[value - 1] if value <= len(ROMAN) else value}."
    if style in ("cn", "arabic"):
        return f"{value}."
    if style in ("paren-cn", "paren-arabic", "circled"):
        return f"({value})"
    if style == "decimal":
        return mark.replace("．", ".")
    if style in ("letter", "roman"):
        return f"{mark}." if mark else f"{value}."
    if style == "paren-letter":
        return f"({mark})" if mark else f"({value})"
    return f"({chr(ord('a') + value - 1)})" if value <= 26 else f"({value})"


def english_number(node: Node) -> str:
    """The marker of a section in English form: 第四章 → Chapter 4, 參、 → III., (二) → (2)."""
    from ..extract.numbering import parse_marker

    marker = parse_marker(node["number"]) if node["number"] else None
    unit = marker.unit if marker is not None and marker.unit else node["number"][-1:]
    return english_marker(node["style"], node["value"], unit, node["number"])


def entry_marker(title: str) -> str:
    """'第一章 前言' → 'Chapter 1 ', '壹、…' → 'I. ' (a contents entry's number in English)."""
    from ..extract.numbering import parse_marker

    m = parse_marker(title)
    return f"{english_marker(m.style, m.value, m.unit, m.marker)} " if m else ""


def nesting(depths: list[int]) -> list[int]:
    """List items' depths as a list can nest them: the first item at 0, each at most one deeper
    than the item before ([3, 3, 2] → [0, 0, 0]; [0, 2, 1] → [0, 1, 1]). An item indented
    deeper than any parent would otherwise be a code block (four spaces) on GitHub."""
    open_levels: list[int] = []
    out = []
    for d in depths:
        while open_levels and open_levels[-1] > d:
            open_levels.pop()
        if not open_levels or open_levels[-1] < d:
            open_levels.append(d)
        out.append(len(open_levels) - 1)
    return out


def anchor(node: Node) -> str:
    """The id a link points to: the node's id in lower case, runs of anything else as '-'."""
    return "s-" + re.sub(r"[^a-z0-9]+", "-", node["id"].lower()).strip("-")


def lead_and_rest(text: str) -> tuple[str, str, str] | None:
    """'期間：101年…' → ('期間', '：', '101年…'): a label, its colon and what follows; None without."""
    m = _COLON.match(text)
    return (m.group(1), m.group(2), m.group(3)) if m else None


def is_item(n: Node) -> bool:
    """A numbered item the report sets like a heading — a label, a colon and content after
    it ('一、期間：101年11月26日…'), below the contents' depth — reads as an item with a bold
    lead, not as a heading. One with sub-headings of its own stays a heading."""
    if n["type"] != "section" or n.get("level", 1) <= 2 or lead_and_rest(n.get("title") or "") is None:
        return False
    return all(is_item(c) for c in n.get("children", []) if c["type"] == "section")


# --- building the view ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Field:
    """A translatable field before its notes are numbered: raw strings and offsets."""

    zh: str
    en: str | None
    state: str
    notes: tuple[tuple[int, str], ...]  # (offset into en, note text)
    key: str


def _field(holder: Node, key: str, zh: str | None, en: str | None) -> _Field:
    """The field ``key`` of a node (or entry, cell, author) that holds its state and notes."""
    state = (holder.get("translation") or {}).get(key)
    zh = zh or ""
    if state is None:  # not a segment: Latin-only text is its own English
        return _Field(zh, zh, "original", (), key)
    notes = tuple((n["at"], n["text"]) for n in (holder.get("translator_notes") or {}).get(key, []))
    return _Field(zh, None if state == "missing" else en, state, notes, key)


@dataclass
class _Builder:
    """Walks the document once, in reading order, numbering notes as they are referenced."""

    doc: Node
    assets: Mapping[str, tuple[Image, ...]]
    problems: Mapping[str, str]
    notes: list[Note] = field(default_factory=list)
    footnotes: list[Note] = field(default_factory=list)
    remarks: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for q in self.doc.get("qa", []):
            if q.get("id") and q["kind"] not in TRANSLATION_KINDS:
                self.remarks.setdefault(q["id"], []).append(q["message"])

    # -- notes --

    def note(self, kind: str, text: str) -> Ref:
        """A translator's note ("tn") or editor's remark ("qa"), numbered in reading order."""
        label = f"{kind}-{sum(1 for n in self.notes if n.kind == kind) + 1}"
        self.notes.append(Note(kind, label, Text((), (text,), "original")))
        return Ref(kind, label)

    def english(self, f: _Field, lo: int = 0, hi: int | None = None, notes: bool = True) -> Inline:
        """``en[lo:hi]`` with a reference where each translator's note stood (notes at the very
        end belong to the last piece)."""
        en = f.en or ""
        hi = len(en) if hi is None else hi
        at = sorted((n for n in f.notes if lo <= n[0] < hi or (n[0] == hi == len(en))), key=lambda n: n[0]) if notes else []
        out: list[str | Ref] = []
        pos = lo
        for offset, text in at:
            out.append(en[pos:offset])
            out.append(self.note("tn", text))
            pos = offset
        out.append(en[pos:hi])
        return tuple(out)

    def text(self, f: _Field, notes: bool = True) -> Text:
        return Text((f.zh,), None if f.en is None else self.english(f, notes=notes), f.state, f.key)

    def node_remarks(self, n: Node) -> tuple[Ref, ...]:
        """Editorial (QA) remarks on a node, as notes the reader can follow."""
        if n["type"] == "figure":
            printed, number = n.get("printed_number"), n.get("number")
            if printed is not None and printed != number:
                return (self.note("qa", f"Printed under the picture as 圖 {printed}; the report's list of figures numbers it {number}."),)
            return ()
        return tuple(self.note("qa", m[:1].upper() + m[1:]) for m in self.remarks.get(n["id"], []))

    # -- cover --

    def cover(self) -> Cover:
        m = self.doc["metadata"]
        meta = lambda fld: _field(m, f"meta#{fld}", m.get(fld), (m.get("en") or {}).get(fld))  # noqa: E731
        dated = lambda fld: _field(m, f"meta#{fld}", (m.get(fld) or {}).get("printed"), (m.get("en") or {}).get(fld))  # noqa: E731
        title = meta("title")
        title_text = self.text(title) if title.state != "original" else None
        authors = m.get("authors", [])
        period = m.get("travel_period") or {}
        report = m.get("report_date") or {}
        kind = m.get("report_kind", "") + (f"（{m['trip_category']}）" if m.get("trip_category") else "")
        # a cover that is not a trip report's has no such fields: rows without Chinese are left
        # out before any note of theirs is numbered
        rows = []
        if kind:
            parts: list[_Field] = []
            for f in (meta("report_kind"), meta("trip_category")):
                # an absent part shows nothing; one missing in both parts is marked once
                if (f.state == "original" and not f.zh) or any(f.en == q.en and f.state == q.state for q in parts):
                    continue
                parts.append(f)
            rows.append(CoverRow("報告類別 · Report type", kind, tuple(self.text(f) for f in parts), " — "))
        if m.get("agency"):
            rows.append(CoverRow("服務機關 · Agency", m["agency"], (self.text(meta("agency")),)))
        if authors:
            fields = [_field(a, f"meta#author{i + 1}", a.get("printed"), a.get("en")) for i, a in enumerate(authors)]
            rows.append(CoverRow("姓名職稱 · Authors", "、".join(a["printed"] for a in authors), tuple(self.text(f) for f in fields), "; "))
        if m.get("country"):
            rows.append(CoverRow("派赴國家 · Country visited", m["country"], (self.text(meta("country")),)))
        if period.get("printed"):
            iso = " – ".join(x for x in (period.get("start"), period.get("end")) if x)
            rows.append(self._dated_row("出國期間 · Travel period", period["printed"], dated("travel_period"), iso))
        if report.get("printed"):
            rows.append(self._dated_row("報告日期 · Report date", report["printed"], dated("report_date"), report.get("date", "")))
        title_zh = m.get("title") or Path(self.doc["source"]["path"]).stem
        return Cover(title_zh, title_text, tuple(rows))

    def _dated_row(self, label: str, printed: str, f: _Field, iso: str) -> CoverRow:
        """A cover date: its English from the memory with the ISO date beside it (民國 → Western);
        the ISO date alone where there is no English."""
        if f.en and f.state != "original":
            return CoverRow(label, printed, (self.text(f),), "", iso)
        return CoverRow(label, printed, (), "", iso)

    # -- headings and front matter --

    def heading(self, n: Node, depth: int) -> Heading:
        zh = n.get("title") if n["type"] == "section" else n.get("heading")
        f = _field(n, f"{n['id']}#heading", zh, n.get("en"))
        number = "" if n["type"] == "front_matter" else english_number(n)
        text = self.text(f)
        rem = self.node_remarks(n) if n["type"] == "section" else ()
        return Heading(anchor(n), depth, n.get("level", 1), n["heading"], number, text, rem, n["type"])

    def entries(self, n: Node) -> Entries:
        rows = []
        for k, e in enumerate(n["entries"]):
            f = _field(e, f"{n['id']}#e{k + 1}", e.get("caption") or e.get("title"), e.get("en"))
            num = e.get("number")
            prefix = ""
            if n["kind"] == "figures" and isinstance(num, int):
                prefix = f"Figure {num}. "
            elif n["kind"] == "tables" and isinstance(num, int):
                prefix = f"Table {num}. "
            elif n["kind"] == "contents":
                prefix = entry_marker(e["title"])
            rows.append(EntryRow(e["title"], prefix, self.text(f), "" if e.get("page") is None else str(e["page"])))
        return Entries(n["kind"], tuple(rows))

    # -- blocks --

    def blocks(self, nodes: list[Node], depth: int) -> list[Block]:
        out: list[Block] = []
        for n in nodes:
            out += self.block(n, depth)
        return out

    def block(self, n: Node, depth: int) -> list[Block]:
        t = n["type"]
        if t == "front_matter":
            out: list[Block] = [self.heading(n, 1)]
            if n.get("entries"):
                out.append(self.entries(n))
            return out + self.blocks(n["children"], depth + 1)
        if t == "section":
            if is_item(n):
                return [self.item(n)] + self.blocks(n["children"], depth)
            return [self.heading(n, depth + 1)] + self.blocks(n["children"], depth + 1)
        if t == "paragraph":
            return [self.paragraph(n)]
        if t == "list":
            return [self.list_block(n)]
        if t == "figure":
            return [self.figure(n)]
        if t == "table":
            return [self.table(n)]
        if t == "footnote":
            f = _field(n, f"{n['id']}#text", n.get("text"), n.get("en"))
            self.footnotes.append(Note("footnote", n["id"].removeprefix("fn-"), self.text(f)))
            return []
        return [Unknown(t)]

    def item(self, n: Node) -> Paragraph:
        """'一、期間：101年…' as a paragraph: the number and label in bold, then the content."""
        zh_lead, colon, zh_rest = lead_and_rest(n["heading"]) or (n["heading"], "", "")
        remarks = self.node_remarks(n)
        f = _field(n, f"{n['id']}#heading", n.get("title"), n.get("en"))
        number = english_number(n)
        lead_en: Inline = ()
        rest: Inline | None = None
        if f.en is not None:
            split = lead_and_rest(f.en)
            cut = f.en.index(split[1], len(split[0])) + 1 if split else 0
            if cut:
                lead_en = ((number + " ") if number else "",) + self.english(f, 0, cut)
            elif number:
                lead_en = (number,)
            rest = self.english(f, cut)
        elif number:
            lead_en = (number,)
        return Paragraph(Text((zh_rest,), rest, f.state, f.key), anchor(n), zh_lead, colon, lead_en, remarks)

    def paragraph(self, n: Node) -> Paragraph:
        """The Chinese with the report's footnotes referenced where their marks stood."""
        text = n["text"]
        zh: list[str | Ref] = []
        pos = 0
        for r in sorted(n.get("footnote_refs", []), key=lambda r: r["offset"]):
            if r.get("footnote"):
                zh += [text[pos : r["offset"]], Ref("footnote", r["footnote"].removeprefix("fn-"))]
                pos = r["offset"]
        zh.append(text[pos:])
        f = _field(n, f"{n['id']}#text", text, n.get("en"))
        en = None if f.en is None else self.english(f)
        return Paragraph(Text(tuple(zh), en, f.state, f.key))

    def list_block(self, n: Node) -> ListBlock:
        items = []
        for it, depth in zip(n["items"], nesting([it.get("depth", 0) for it in n["items"]])):
            f = _without_glyph(_field(it, f"{it['id']}#text", it.get("text"), it.get("en")))
            items.append(ListItem(depth, self.text(f)))
        return ListBlock(tuple(items))

    def where(self, n: Node) -> str:
        """'; on page 8 of the report' (the printed page of a PDF) or '; line 412 of the text export'."""
        printed = (self.doc["source"].get("printed_pages") or {}).get(str(n.get("page")))
        if printed:
            return f"; on page {printed} of the report"
        if n.get("page") is not None:
            return f"; on page {n['page']} of the PDF"
        if n.get("line") is not None:
            return f"; line {n['line']} of the text export"
        return ""

    def figure(self, n: Node) -> Figure:
        en = n.get("en") or {}
        caption = source = None
        remarks: tuple[Ref, ...] = ()
        if n.get("caption"):
            caption = self.text(_field(n, f"{n['id']}#caption", n.get("caption"), en.get("caption")))
        remarks = self.node_remarks(n)
        if n.get("source"):
            source = self.text(_field(n, f"{n['id']}#source", n.get("source"), en.get("source")))
        words = n.get("figure_text", [])
        words_en = en.get("figure_text") or []
        texts = tuple(replace(self.text(_field(n, f"{n['id']}#t{k + 1}", t, words_en[k] if k < len(words_en) else None)),
                              zh_lang="ja" if _KANA.search(t) else ZH_LANG) for k, t in enumerate(words))
        number_en = f"Figure {n.get('number')}"
        if caption is not None:
            cap_en = plain(caption.en) if caption.en is not None else ""
            alt = f"{n.get('label') or ''}" + (f" · {number_en}. {cap_en}" if cap_en else "")
        else:
            alt = f"無圖說 · picture without a caption{self.where(n)}"
        return Figure(anchor(n), n.get("label") or "", number_en, caption, source, texts, tuple(self.assets.get(n["id"], ())),
                      alt, self.where(n), remarks, self.problems.get(n["id"], ""))

    def table(self, n: Node) -> Table:
        caption = None
        if n.get("caption"):
            caption = self.text(_field(n, f"{n['id']}#caption", n.get("caption"), (n.get("en") or {}).get("caption")))
        rows = n.get("rows", [])
        width = max((len(r) for r in rows), default=0)
        spans = _spans(rows, width)
        out = []
        for r_i, row in enumerate(rows):
            cells = []
            for c_i in range(width):
                if c_i >= len(row):
                    cells.append(Cell(None, absent=True))
                    continue
                cell = row[c_i]
                if "merged" in cell:
                    cells.append(Cell(None, merged="up" if cell["merged"] == "up" else "left"))
                    continue
                f = _field(cell, f"{n['id']}#r{r_i + 1}c{c_i + 1}", cell.get("text"), cell.get("en"))
                rowspan, colspan = spans.get((r_i, c_i), (1, 1))
                cells.append(Cell(self.text(f), rowspan=rowspan, colspan=colspan))
            out.append(tuple(cells))
        pages = tuple(n.get("pages") or ())
        return Table(anchor(n), n.get("label") or "", f"Table {n.get('number')}", caption, tuple(out), width, pages)

    # -- contents and appendices --

    def contents(self, blocks: list[Block]) -> tuple[ContentsEntry, ...]:
        """Every heading, nested as the sections are; ``major``: what the short contents lists —
        the front matter and the sections of the first two levels outside it."""
        out = []
        stack: list[int] = []  # depths of the headings open around the next one
        in_front = False
        for b in blocks:
            if not isinstance(b, Heading):
                continue
            if b.kind == "front_matter":
                in_front = True
                stack = []
            elif b.depth == 1:
                in_front = False
                stack = []
            while stack and stack[-1] >= b.depth:
                stack.pop()
            major = b.kind == "front_matter" or (not in_front and b.level <= 2)
            out.append(ContentsEntry(len(stack), b, major))
            stack.append(b.depth)
        return tuple(out)

    def glossary(self) -> tuple[GlossaryRow, ...]:
        entries = sorted(self.doc.get("glossary", []), key=lambda e: (e.get("en") or "").lower())
        return tuple(GlossaryRow(e.get("zh") or "", e.get("ja") or "", e.get("en") or "", ", ".join(e.get("abbr", []))) for e in entries)

    def findings(self, translation: bool) -> tuple[Finding, ...]:
        return tuple(Finding(q["kind"], q["message"], q.get("zh_old"), q.get("zh")) for q in self.doc.get("qa", [])
                     if (q["kind"] in TRANSLATION_KINDS) == translation)


def _without_glyph(f: _Field) -> _Field:
    """A list item's text without its leading bullet glyph (in both languages)."""
    m = _GLYPH.match(f.zh)
    if not m:
        return f
    en, notes = f.en, f.notes
    if en is not None and en.startswith(m.group(1)):
        cut = len(en) - len(en[1:].lstrip()) if en[1:2].isspace() else 1
        en = en[cut:]
        notes = tuple((max(at - cut, 0), text) for at, text in notes)
    return _Field(f.zh[m.end():], en, f.state, notes, f.key)


def _spans(rows: list[list[Node]], width: int) -> dict[tuple[int, int], tuple[int, int]]:
    """(row, column) of each cell that covers merged neighbours → (rowspan, colspan). A cell
    marked merged "left" belongs to the cell before it, "up" to the cell above."""
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(rows):
        for c in range(min(width, len(row))):
            merged = row[c].get("merged")
            if merged == "left" and (r, c - 1) in owner:
                owner[(r, c)] = owner[(r, c - 1)]
            elif merged and merged != "left" and (r - 1, c) in owner:
                owner[(r, c)] = owner[(r - 1, c)]
            else:
                owner[(r, c)] = (r, c)
    extent: dict[tuple[int, int], tuple[int, int]] = {}
    for (r, c), (r0, c0) in owner.items():
        rs, cs = extent.get((r0, c0), (1, 1))
        extent[(r0, c0)] = (max(rs, r - r0 + 1), max(cs, c - c0 + 1))
    return {k: v for k, v in extent.items() if v != (1, 1)}


def edition_view(doc: Node, assets: Mapping[str, tuple[Image, ...]] | None = None,
                 problems: Mapping[str, str] | None = None) -> EditionView:
    """The edition of a translated document as typed items, in reading order.

    ``assets``: the pictures cropped for each figure (figure id → images), where there are any;
    ``problems``: figure id → why its picture could not be rendered.
    """
    b = _Builder(doc, assets or {}, problems or {})
    cover = b.cover()
    blocks = b.blocks(doc["blocks"], 0)
    return EditionView(
        name=Path(doc["source"]["path"]).stem,
        source_path=doc["source"]["path"],
        zh_lang=ZH_LANG,
        cover=cover,
        contents=b.contents(blocks),
        blocks=tuple(blocks),
        footnotes=tuple(b.footnotes),
        notes=tuple(b.notes),
        glossary=b.glossary(),
        source_findings=b.findings(False),
        translation_findings=b.findings(True),
    )
