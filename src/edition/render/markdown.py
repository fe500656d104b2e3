"""The document → the bilingual Markdown edition (GitHub-flavoured: CommonMark, tables, footnotes).

One layout throughout: Chinese first, English after it — a paragraph's English as a
blockquote under it, a heading as "中文 · English", a list item or table cell as
"中文<br>English", a numbered item the report sets like a heading ("一、期間：…") as a
paragraph with a bold lead. The renderer formats only: each field's Chinese, English and state
come ready from :mod:`edition.render.view`. Draft, stale and missing English is marked where
it would stand, never filled in. What is not reading text — the report's footnotes, translator's
notes, editorial (QA) remarks — is a Markdown footnote the reader can follow.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from ..model import Node
from .mdtext import escape
from .view import TRANSLATION_KINDS, Bilingual, DocumentView, Note

# The same words for the same states everywhere: JSON, QA report, build summary, memory status.
MISSING = "⚠ *[missing — no English in the translation memory yet]*"
DRAFT = "⚠ *[draft — machine translation awaiting review]*"
STALE = "⚠ *[stale — the Chinese changed since this was translated]*"
MARKS = {"missing": MISSING, "draft": DRAFT, "stale": STALE}
# In a heading or the contents a short mark after the English.
SHORT_MARKS = {"draft": " ⚠ *(draft)*", "stale": " ⚠ *(stale)*"}

# A list item's own bullet glyph: the Markdown bullet already stands for it.
_GLYPH = re.compile(r"^([□■◎◇◆●○•▪※—])\s+")


def _label(footnote_id: str) -> str:
    """The Markdown footnote label of a footnote: its id less "fn-" ("1", or "1-2" for the
    second note marked 1 when the numbering restarts), so repeated marks do not collide."""
    return footnote_id.removeprefix("fn-")


def _esc(text: str | None, line_start: bool = True, context: str = "inline") -> str:
    """Markdown showing exactly ``text`` (see :mod:`edition.render.mdtext`): ``line_start`` when
    it begins a line, so that a leading ``#``, ``-`` or ``1.`` must not start a block."""
    return escape(text, context, line_start)


def _message(text: str | None) -> str:
    """A finding's message: escaped, but a command in backticks stays a code span."""
    parts = re.split(r"(`[^`]+`)", text or "")
    return "".join(p if p.startswith("`") and p.endswith("`") and len(p) > 1 else _esc(p, line_start=False) for p in parts)


def _cell(text: str | None) -> str:
    return escape(text, "cell")


def _anchor(node: Node) -> str:
    return "s-" + re.sub(r"[^a-z0-9]+", "-", node["id"].lower()).strip("-")


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
_UNITS = {"章": "Chapter", "節": "Section", "节": "Section", "條": "Article", "条": "Article", "篇": "Part", "編": "Part",
          "编": "Part", "部": "Part"}


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


def _entry_marker(title: str) -> str:
    """'第一章 前言' → 'Chapter 1 ', '壹、…' → 'I. ' (a contents entry's number in English)."""
    from ..extract.numbering import parse_marker

    m = parse_marker(title)
    return f"{english_marker(m.style, m.value, m.unit, m.marker)} " if m else ""


def _without_glyph(b: Bilingual) -> tuple[str, Bilingual]:
    """A list item's text without its leading bullet glyph (in both languages), and the glyph."""
    m = _GLYPH.match(b.zh)
    if not m:
        return "", b
    en, notes = b.en, b.notes
    if en is not None and en.startswith(m.group(1)):
        cut = len(en) - len(en[1:].lstrip()) if en[1:2].isspace() else 1
        en = en[cut:]
        notes = tuple(Note(max(n.at - cut, 0), n.text) for n in notes)
    return m.group(1), Bilingual(b.zh[m.end():], en, b.state, notes, b.key)


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


class Renderer:
    """Turns nodes into Markdown lines; one method per node type (swap or extend by subclassing)."""

    def __init__(self, doc: Node):
        self.doc = doc
        self.view = DocumentView(doc)
        self.footnotes: list[str] = []  # the report's own footnotes
        self.notes: list[str] = []  # translator's and editorial notes, in order of reference
        self.depth = 0  # sections and front matter open around the node being rendered

    # -- document --------------------------------------------------------------------------

    def render(self) -> str:
        out: list[str] = []
        out += self.cover()
        out += self.contents()
        for n in self.doc["blocks"]:
            out += self.node(n)
        out += self.glossary_appendix()
        out += self.qa_appendix()
        out += self.about()
        out += self.notes_section()
        text = "\n".join(out)
        text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
        return text

    def node(self, n: Node) -> list[str]:
        handler: Callable[[Node], list[str]] = getattr(self, "r_" + n["type"], self.r_unknown)
        return handler(n)

    def r_unknown(self, n: Node) -> list[str]:
        return [f"<!-- unrendered node type {n['type']} -->", ""]

    # -- English and notes -----------------------------------------------------------------

    def note(self, kind: str, text: str) -> str:
        """A footnote the reader can follow: its reference; the definition goes to the notes."""
        label = f"{kind}-{sum(1 for x in self.notes if x.startswith(f'[^{kind}-')) + 1}"
        lead = "*Translator's note:*" if kind == "tn" else "*Editor's note:*"
        self.notes.append(f"[^{label}]: {lead} {_esc(text, line_start=False)}")
        return f"[^{label}]"

    def inline(self, text: str, notes: tuple[Note, ...] = (), lo: int = 0, hi: int | None = None, line_start: bool = False,
               context: str = "inline") -> str:
        """``text[lo:hi]`` escaped for ``context``, with a note reference where each translator's note stood."""
        hi = len(text) if hi is None else hi
        at = [n for n in notes if lo <= n.at < hi or (n.at == hi == len(text))]
        out, pos = [], lo
        for n in sorted(at, key=lambda n: n.at):
            out.append(_esc(text[pos : n.at], line_start and not out, context))
            out.append(self.note("tn", n.text))
            pos = n.at
        out.append(_esc(text[pos:hi], line_start and not out, context))
        return "".join(out)

    def english(self, b: Bilingual, line_start: bool = False, notes: bool = True, context: str = "inline") -> str:
        """A field's English as it will stand, marked when it is a draft, stale or missing."""
        if b.en is None:
            return MISSING
        mark = MARKS.get(b.state)
        body = self.inline(b.en, b.notes if notes else (), line_start=line_start and not mark, context=context)
        return f"{mark} {body}" if mark else body

    def heading_en(self, n: Node, notes: bool = True, context: str = "heading") -> str:
        """'Chapter 1 Introduction', 'I. Background ⚠ *(stale)*' — a heading's English with its number
        (``context``: in a heading, or in the contents' link text)."""
        b = self.view.heading(n)
        number = "" if n["type"] == "front_matter" else english_number(n)
        prefix = f"{number} " if number else ""
        if b.en is None:
            return prefix + MISSING
        return prefix + self.inline(b.en, b.notes if notes else (), context=context) + SHORT_MARKS.get(b.state, "")

    def remarks(self, n: Node) -> str:
        return "".join(self.note("qa", r) for r in self.view.remarks(n))

    # -- cover and contents ----------------------------------------------------------------

    def _field(self, b: Bilingual) -> str:
        """A cover field's English in a table cell; Latin-only text as it is."""
        return self.english(b, context="cell") if b.needs_english else _cell(b.zh)

    def _dated(self, b: Bilingual, iso: str) -> str:
        """A cover date: its English from the memory with the ISO date beside it (民國 → Western)."""
        if b.en and b.needs_english:
            en = self.english(b, context="cell")
            return f"{en} ({iso})" if iso else en
        return iso

    def cover(self) -> list[str]:
        m = self.doc["metadata"]
        title = self.view.meta("title")
        # a document whose cover gives no title is still named: by its file, not an empty heading
        zh_title = m.get("title") or Path(self.doc["source"]["path"]).stem
        out = [f"# {_esc(zh_title, False, 'heading')}", ""]
        if title.needs_english:
            out += [f"# {self.english(title, context='heading')}", ""]
        authors = m.get("authors", [])
        # a field missing in both parts would be marked twice
        kind_en = " — ".join(dict.fromkeys(x for x in (self._field(self.view.meta("report_kind")), self._field(self.view.meta("trip_category"))) if x))
        period = m.get("travel_period") or {}
        report = m.get("report_date") or {}
        kind = m.get("report_kind", "") + (f"（{m['trip_category']}）" if m.get("trip_category") else "")
        rows = [
            ("報告類別 · Report type", _cell(kind), kind_en),
            ("服務機關 · Agency", _cell(m.get("agency", "")), self._field(self.view.meta("agency"))),
            ("姓名職稱 · Authors", _cell("、".join(a["printed"] for a in authors)),
             "; ".join(self._field(self.view.author(i)) for i in range(len(authors)))),
            ("派赴國家 · Country visited", _cell(m.get("country", "")), self._field(self.view.meta("country"))),
            ("出國期間 · Travel period", _cell(period.get("printed", "")),
             self._dated(self.view.date("travel_period"), " – ".join(x for x in (period.get("start"), period.get("end")) if x))),
            ("報告日期 · Report date", _cell(report.get("printed", "")), self._dated(self.view.date("report_date"), report.get("date", ""))),
        ]
        rows = [row for row in rows if row[1]]  # a cover that is not a trip report's has no such fields
        if rows:
            out += ["| | 中文 | English |", "|---|---|---|"]
            out += [f"| {a} | {b} | {c} |" for a, b, c in rows]
        return out + [""]

    def contents(self) -> list[str]:
        out = ["## 目錄 · Contents", ""]
        for n in self.doc["blocks"]:
            if n["type"] == "section":
                out += self._toc_lines(n, 0)
            elif n["type"] == "front_matter":
                out.append(f"- [{_esc(n['heading'], False, 'link')} · {self.heading_en(n, False, 'link')}](#{_anchor(n)})")
        return out + [""]

    def _toc_lines(self, n: Node, depth: int) -> list[str]:
        if n["level"] > 2 or self.view.is_item(n):
            return []
        out = [f"{'  ' * depth}- [{_esc(n['heading'], False, 'link')} · {self.heading_en(n, False, 'link')}](#{_anchor(n)})"]
        for c in n["children"]:
            if c["type"] == "section":
                out += self._toc_lines(c, depth + 1)
        return out

    # -- blocks ----------------------------------------------------------------------------

    def _where(self, n: Node) -> str:
        """'; on page 8 of the report' (the printed page of a PDF) or '; line 412 of the text export'."""
        printed = (self.doc["source"].get("printed_pages") or {}).get(str(n.get("page")))
        if printed:
            return f"; on page {printed} of the report"
        if n.get("page") is not None:
            return f"; on page {n['page']} of the PDF"
        if n.get("line") is not None:
            return f"; line {n['line']} of the text export"
        return ""

    def r_front_matter(self, n: Node) -> list[str]:
        out = [f'<a id="{_anchor(n)}"></a>', "", f"## {_esc(n['heading'], False, 'heading')} · {self.heading_en(n)}", ""]
        if n.get("entries"):
            out += ["| 原文 · As printed | English | 頁 · Page |", "|---|---|---|"]
            for k, e in enumerate(n["entries"]):
                b = self.view.entry(n, k)
                en = self.english(b, context="cell") if b.needs_english else _cell(b.zh)
                num = e.get("number")
                prefix = ""
                if n["kind"] == "figures" and isinstance(num, int):
                    prefix = f"Figure {num}. "
                elif n["kind"] == "tables" and isinstance(num, int):
                    prefix = f"Table {num}. "
                elif n["kind"] == "contents":
                    prefix = _entry_marker(e["title"])
                out.append(f"| {_cell(e['title'])} | {prefix}{en} | {e.get('page') if e.get('page') is not None else ''} |")
            out.append("")
        self.depth += 1
        for c in n["children"]:
            out += self.node(c)
        self.depth -= 1
        return out

    def r_section(self, n: Node) -> list[str]:
        if self.view.is_item(n):
            return self.item_section(n)
        # Markdown depth follows nesting, not the numbering level: a section inside the
        # front matter (摘要 › 一、心得) sits one step under its ## heading, never two
        self.depth += 1
        hashes = "#" * min(6, self.depth + 1)
        out = [f'<a id="{_anchor(n)}"></a>', "", f"{hashes} {_esc(n['heading'], False, 'heading')} · {self.heading_en(n)}{self.remarks(n)}", ""]
        for c in n["children"]:
            out += self.node(c)
        self.depth -= 1
        return out

    def item_section(self, n: Node) -> list[str]:
        """'一、期間：101年…' as a numbered item: the number and label in bold, then the content."""
        zh_lead, colon, zh_rest = self.view.lead_and_rest(n["heading"]) or (n["heading"], "", "")
        zh = f"**{_esc(zh_lead)}**{colon}{_esc(zh_rest, line_start=False)}{self.remarks(n)}"
        b = self.view.heading(n)
        number = english_number(n)
        if b.en is None:
            en = f"**{number}** {MISSING}"
        else:
            split = self.view.lead_and_rest(b.en)
            cut = b.en.index(split[1], len(split[0])) + 1 if split else 0
            lead = f"**{(number + ' ') if number else ''}{self.inline(b.en, b.notes, 0, cut)}**" if cut else (f"**{number}**" if number else "")
            rest = self.inline(b.en, b.notes, cut).lstrip()
            mark = MARKS.get(b.state)
            en = " ".join(x for x in (mark, lead, rest) if x)
        out = [f'<a id="{_anchor(n)}"></a>', "", zh, ""]
        if b.needs_english:
            out += [f"> {en}", ""]
        for c in n["children"]:
            out += self.node(c)
        return out

    def _refs(self, n: Node) -> str:
        """The escaped text with footnote references put back where the marks stood: ``[^1]``.

        The offsets count characters of the raw text, so the text is escaped piece by piece
        around them (escaping first would shift every offset after a ``*`` or ``_``).
        """
        text = n["text"]
        out, pos = [], 0
        for r in sorted(n.get("footnote_refs", []), key=lambda r: r["offset"]):
            if r.get("footnote"):
                out += [_esc(text[pos : r["offset"]], line_start=not out), f"[^{_label(r['footnote'])}]"]
                pos = r["offset"]
        out.append(_esc(text[pos:], line_start=not out))
        return "".join(out)

    def r_paragraph(self, n: Node) -> list[str]:
        zh = self._refs(n)
        b = self.view.text(n)
        if not b.needs_english:
            return [zh, ""]  # Latin-only text needs no English
        # a note is referenced once, where its mark stands in the Chinese (a second reference
        # from the English would give it two back-links, and the English has no mark position)
        return [zh, "", f"> {self.english(b, line_start=True)}", ""]

    def r_list(self, n: Node) -> list[str]:
        out = []
        for it, depth in zip(n["items"], nesting([it.get("depth", 0) for it in n["items"]])):
            _, b = _without_glyph(self.view.text(it))
            en = self.english(b) if b.needs_english else ""
            indent = "  " * depth
            out.append(f"{indent}- {_esc(b.zh)}" + (f"<br>{en}" if en else ""))
        return out + [""]

    def r_figure(self, n: Node) -> list[str]:
        num = n.get("number")
        if n.get("caption"):
            cap = self.view.caption(n)
            cap_en = self.english(cap) if cap.needs_english else _esc(cap.zh, line_start=False)
            head = f"**{_esc(n.get('label'), line_start=False)}** · **Figure {num}. {cap_en}**{self.remarks(n)}"
        else:
            head = f"**（無圖說）** · **(picture without a caption)**{self.remarks(n)}"
        out = [f"> 🖼 {head}"]
        if n.get("source"):
            src = self.view.source(n)
            src_en = self.english(src) if src.needs_english else _esc(src.zh, line_start=False)
            out += [">", f"> {_esc(src.zh)} · {src_en}"]
        texts = self.view.figure_texts(n)
        if texts:
            shown = [_esc(t.zh, line_start=False) + (f" ({self.english(t)})" if t.needs_english else "") for t in texts]
            out += [">", "> *Text in the figure:* " + "; ".join(shown)]
        out += [">", f"> *(picture not reproduced in this edition{self._where(n)})*", ""]
        return out

    def r_table(self, n: Node) -> list[str]:
        out = []
        if n.get("caption"):
            cap = self.view.caption(n)
            cap_en = self.english(cap) if cap.needs_english else _esc(cap.zh, line_start=False)
            out += [f"**{_esc(n.get('label'), line_start=False)}** · **Table {n.get('number')}. {cap_en}**", ""]
        rows = n.get("rows", [])
        if not rows:
            return out + ["*(the table's rows are lost in the source)*", ""]
        width = max(len(r) for r in rows)
        for r_i, row in enumerate(rows):
            cells = []
            for c_i in range(width):
                cell = row[c_i] if c_i < len(row) else {"text": ""}
                if "merged" in cell:
                    cells.append("↑" if cell["merged"] == "up" else "←")
                    continue
                if c_i >= len(row):
                    cells.append("")
                    continue
                b = self.view.cell(n, r_i, c_i)
                en = self.english(b, context="cell") if b.needs_english else ""
                cells.append(_cell(b.zh) + (f"<br>{en}" if en else ""))
            out.append("| " + " | ".join(cells) + " |")
            if r_i == 0:
                out.append("|" + "---|" * width)
        pages = n.get("pages")
        if pages and len(pages) > 1:
            out += ["", f"*(the table runs over pages {pages[0]}–{pages[-1]} of the PDF)*"]
        return out + [""]

    def r_footnote(self, n: Node) -> list[str]:
        b = self.view.text(n)
        en = self.english(b) if b.needs_english else ""
        self.footnotes.append(f"[^{_label(n['id'])}]: {_esc(b.zh)}" + (f"<br>{en}" if en else ""))
        return []

    # -- appendices ------------------------------------------------------------------------

    def glossary_appendix(self) -> list[str]:
        entries = self.doc.get("glossary", [])
        if not entries:
            return []
        out = ["## 附錄：名詞對照 · Appendix: Institutions named in the report", "",
               "| 中文 | 日本語 | English | Abbr. |", "|---|---|---|---|"]
        for e in sorted(entries, key=lambda e: (e.get("en") or "").lower()):
            out.append(f"| {_cell(e.get('zh'))} | {_cell(e.get('ja'))} | {_cell(e.get('en'))} | {_cell(', '.join(e.get('abbr', [])))} |")
        return out + [""]

    def qa_appendix(self) -> list[str]:
        source_qa = [q for q in self.doc.get("qa", []) if q["kind"] not in TRANSLATION_KINDS]
        tr = [q for q in self.doc.get("qa", []) if q["kind"] in TRANSLATION_KINDS]
        out = ["## 附錄：原文缺陷 · Appendix: Defects of the source", ""]
        out += [f"- **{q['kind']}** — {_message(q['message'])}" for q in source_qa] or ["- none"]
        if tr:
            out += ["", "### Translation gaps", ""] + [f"- **{q['kind']}** — {_message(q['message'])}" for q in tr]
        return out + [""]

    def about(self) -> list[str]:
        src = self.doc["source"]
        return ["## 關於本版 · About this edition", "",
                f"Built from `{src['path']}`. The Chinese is normalised to Traditional (Taiwan) script where the source leaked "
                "Simplified or Japanese forms; every change is recorded in the JSON edition. English marked ⚠ is a machine draft "
                "awaiting review, stale (written for Chinese that has changed since) or missing.", ""]

    def notes_section(self) -> list[str]:
        """The report's footnotes, then translator's and editor's notes (GitHub gathers all
        footnotes at the end of the page, so this section comes last)."""
        if not self.footnotes and not self.notes:
            return []
        return ["## 註釋 · Notes", ""] + [x for f in self.footnotes + self.notes for x in (f, "")]


def document_to_markdown(doc: Node) -> str:
    """The bilingual Markdown edition of a built document."""
    return Renderer(doc).render()


STATE_WORDS = {
    "translated": "translated — reviewed English",
    "draft": "draft — machine English awaiting review",
    "stale": "stale — the Chinese changed since the English was written",
    "missing": "missing — no English yet",
}


def _measure(v) -> str:
    if isinstance(v, dict):
        return ", ".join(f"{k} {v[k]}" for k in sorted(v))
    return str(v)


def qa_report(doc: Node) -> str:
    """The QA findings as a readable Markdown report: segments by state first, then every finding by kind."""
    from ..translate.memory import STATES

    lines = [f"# QA report — {doc['source']['path']}", ""]
    stats = doc.get("stats", {})
    if "segments" in stats:
        lines += ["## Translation", "", "| state | segments |", "|---|---|"]
        lines += [f"| {STATE_WORDS[s]} | {stats.get(f'segments_{s}', 0)} |" for s in STATES]
        lines += [f"| all | {stats['segments']} |", ""]
    if stats:
        lines += ["## Measures", "", "| measure | value |", "|---|---|"]
        lines += [f"| {k} | {_measure(v)} |" for k, v in sorted(stats.items()) if not k.startswith("segments")] + [""]
    by_kind: dict[str, list[Node]] = {}
    for q in doc.get("qa", []):
        by_kind.setdefault(q["kind"], []).append(q)
    for kind in sorted(by_kind):
        lines += [f"## {kind} ({len(by_kind[kind])})", ""]
        for q in by_kind[kind]:
            lines.append(f"- {_message(q['message'])}")
            if q.get("zh_old") is not None:
                lines += [f"  - old: {_esc(q['zh_old'], line_start=False)}", f"  - new: {_esc(q.get('zh'), line_start=False)}"]
        lines.append("")
    if not by_kind:
        lines.append("No findings.")
    return "\n".join(lines).rstrip() + "\n"
