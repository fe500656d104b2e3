"""The document → the bilingual Markdown edition (GitHub-flavoured).

One layout throughout: Chinese first, English after it — a paragraph's English as a
blockquote under it, a heading as "中文 · English", a list item or table cell as
"中文<br>English". The renderer dispatches on node type; a missing or stale English is marked
where it would stand, never filled in.
"""

from __future__ import annotations

import re
from typing import Callable

from ..model import Node

UNTRANSLATED = "⚠ *[untranslated — not yet in the translation memory]*"
STALE = "⚠ *[stale — the Chinese changed since this was translated]*"


def _label(footnote_id: str) -> str:
    """The Markdown footnote label of a footnote: its id less "fn-" ("1", or "1-2" for the
    second note marked 1 when the numbering restarts), so repeated marks do not collide."""
    return footnote_id.removeprefix("fn-")


def _esc(text: str | None, line_start: bool = True) -> str:
    """Escape what Markdown would take as markup in running text (``line_start``: the text
    begins a line, so a leading ``#``, ``-`` or ``1.`` must not start a block)."""
    if not text:
        return ""
    text = text.replace("\\", "\\\\")
    text = re.sub(r"([*_`<>\[\]|])", r"\\\1", text)
    return re.sub(r"^([#>+\-]|\d+\.)(\s)", r"\\\1\2", text) if line_start else text


def _cell(text: str | None) -> str:
    return _esc(text).replace("\n", " ")


def _status(node: Node, key: str) -> str:
    return node.get("translation", {}).get(key, "")


def _en(node: Node, key: str, en: str | None) -> str:
    """English as it will stand, or a visible mark where the memory has none (or a stale one)."""
    status = _status(node, key)
    if status == "missing" or (en is None and status != ""):
        return UNTRANSLATED
    if status == "stale":
        return f"{STALE} {_esc(en)}"
    return _esc(en)


def _anchor(node: Node) -> str:
    return "s-" + re.sub(r"[^a-z0-9]+", "-", node["id"].lower()).strip("-")


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def english_number(node: Node) -> str:
    """The marker of a section in English form: 第四章 → Chapter 4, 參、 → III., (二) → (2)."""
    style, v = node["style"], node["value"]
    if style == "chapter":
        # the top division's unit: 第X章 chapter, 第X節/节 section, 第X條/条 article, 第X篇 part
        unit = {"章": "Chapter", "節": "Section", "节": "Section", "條": "Article", "条": "Article", "篇": "Part"}
        return f"{unit.get(node['number'][-1:], 'Chapter')} {v}"
    if style == "formal":
        return f"{ROMAN[v - 1] if v <= len(ROMAN) else v}."
    if style in ("cn", "arabic"):
        return f"{v}."
    if style == "paren-cn":
        return f"({v})"
    return f"({chr(ord('a') + v - 1)})" if v <= 26 else f"({v})"


class Renderer:
    """Turns nodes into Markdown lines; one method per node type (swap or extend by subclassing)."""

    def __init__(self, doc: Node):
        self.doc = doc
        self.footnotes: list[str] = []
        self.depth = 0  # sections and front matter open around the node being rendered
        self.qa_by_id: dict[str, list[Node]] = {}
        for q in doc.get("qa", []):
            if q.get("id") and q["kind"] not in ("untranslated", "stale-translation", "term-inconsistent"):
                self.qa_by_id.setdefault(q["id"], []).append(q)

    # -- document --------------------------------------------------------------------------

    def render(self) -> str:
        out: list[str] = []
        out += self.cover()
        out += self.contents()
        for n in self.doc["blocks"]:
            out += self.node(n)
        out += self.footnote_section()
        out += self.glossary_appendix()
        out += self.qa_appendix()
        text = "\n".join(out)
        text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
        return text

    def node(self, n: Node) -> list[str]:
        handler: Callable[[Node], list[str]] = getattr(self, "r_" + n["type"], self.r_unknown)
        return handler(n)

    def r_unknown(self, n: Node) -> list[str]:
        return [f"<!-- unrendered node type {n['type']} -->", ""]

    # -- cover and contents ----------------------------------------------------------------

    def _meta_en(self, node: Node, key: str, en: str | None, zh: str | None) -> str:
        """A cover field's English (escaped), marked when missing or stale; Latin-only text as is."""
        if _status(node, key):
            return _en(node, key, en).replace("\n", " ")
        return _cell(zh if en is None else en)

    def _dated(self, m: Node, fld: str, en: dict, iso: str) -> str:
        """A cover date: its English from the memory with the ISO date beside it (民國 → Western)."""
        if _status(m, f"meta#{fld}") == "translated" and en.get(fld):
            return f"{_cell(en[fld])} ({iso})" if iso else _cell(en[fld])
        return iso

    def cover(self) -> list[str]:
        m = self.doc["metadata"]
        en = m.get("en", {})
        out = [f"# {_esc(m.get('title', ''))}", ""]
        out += [f"# {self._meta_en(m, 'meta#title', en.get('title'), m.get('title')) or UNTRANSLATED}", ""]

        def field_en(fld: str) -> str:
            return self._meta_en(m, f"meta#{fld}", en.get(fld), m.get(fld))

        authors = m.get("authors", [])
        # a field missing in both parts would say "untranslated" twice
        kind_en = " — ".join(dict.fromkeys(x for x in (field_en("report_kind"), field_en("trip_category")) if x))
        period = m.get("travel_period") or {}
        report = m.get("report_date") or {}
        rows = [
            ("報告類別 · Report type", _cell(f"{m.get('report_kind', '')}（{m.get('trip_category', '')}）"), kind_en),
            ("服務機關 · Agency", _cell(m.get("agency", "")), field_en("agency")),
            ("姓名職稱 · Authors", _cell("、".join(a["printed"] for a in authors)),
             "; ".join(self._meta_en(a, f"meta#author{i + 1}", a.get("en"), a.get("printed")) for i, a in enumerate(authors))),
            ("派赴國家 · Country visited", _cell(m.get("country", "")), field_en("country")),
            ("出國期間 · Travel period", _cell(period.get("printed", "")),
             self._dated(m, "travel_period", en, " – ".join(x for x in (period.get("start"), period.get("end")) if x))),
            ("報告日期 · Report date", _cell(report.get("printed", "")), self._dated(m, "report_date", en, report.get("date", ""))),
        ]
        out += ["| | 中文 | English |", "|---|---|---|"]
        out += [f"| {a} | {b} | {c} |" for a, b, c in rows]
        src = self.doc["source"]
        out += ["", f"*Source: `{src['path']}` ({src['format']}, sha256 {src['sha256'][:12]}…). "
                    "Chinese normalised to Traditional (Taiwan) where the source leaked Simplified or Japanese forms; "
                    "every change is recorded in the JSON edition.*", ""]
        return out

    def contents(self) -> list[str]:
        out = ["## 目錄 · Contents", ""]
        for n in self.doc["blocks"]:
            if n["type"] == "section":
                out += self._toc_lines(n, 0)
            elif n["type"] == "front_matter":
                out.append(f"- [{_esc(n['heading'])} · {self._heading_en(n)}](#{_anchor(n)})")
        return out + [""]

    def _toc_lines(self, n: Node, depth: int) -> list[str]:
        if n["level"] > 2:
            return []
        out = [f"{'  ' * depth}- [{_esc(n['heading'])} · {self._heading_en(n)}](#{_anchor(n)})"]
        for c in n["children"]:
            if c["type"] == "section":
                out += self._toc_lines(c, depth + 1)
        return out

    def _heading_en(self, n: Node) -> str:
        key = f"{n['id']}#heading"
        status = _status(n, key)
        if n["type"] == "front_matter":
            title = n.get("en") if status in ("translated", "stale") else None
            return _esc(title) + (" ⚠" if status == "stale" else "") if title else UNTRANSLATED
        title = n.get("en") if status in ("translated", "stale") else None
        if title is None and status == "":
            title = n["title"]  # a Latin-only title is already English
        if title is None:
            return f"{english_number(n)} {UNTRANSLATED}"
        return f"{english_number(n)} {_esc(title)}" + (" ⚠" if status == "stale" else "")

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

    def _qa_notes(self, n: Node) -> list[str]:
        return [f"> **QA:** {_esc(q['message'])}" for q in self.qa_by_id.get(n["id"], [])] + (
            [""] if self.qa_by_id.get(n["id"]) else []
        )

    def r_front_matter(self, n: Node) -> list[str]:
        out = [f'<a id="{_anchor(n)}"></a>', "", f"## {_esc(n['heading'])} · {self._heading_en(n)}", ""]
        if n.get("entries"):
            out += ["| 原文 · As printed | English | 頁 · Page |", "|---|---|---|"]
            for k, e in enumerate(n["entries"]):
                en = _en(e, f"{n['id']}#e{k + 1}", e.get("en")) if e.get("translation") else _esc(e.get("caption") or e.get("title"))
                num = e.get("number")
                prefix = ""
                if n["kind"] == "figures" and isinstance(num, int):
                    prefix = f"Figure {num}. "
                elif n["kind"] == "tables" and isinstance(num, int):
                    prefix = f"Table {num}. "
                out.append(f"| {_cell(e['title'])} | {prefix}{en} | {e.get('page') if e.get('page') is not None else ''} |")
            out.append("")
        self.depth += 1
        for c in n["children"]:
            out += self.node(c)
        self.depth -= 1
        return out

    def r_section(self, n: Node) -> list[str]:
        # Markdown depth follows nesting, not the numbering level: a section inside the
        # front matter (摘要 › 一、心得) sits one step under its ## heading, never two
        self.depth += 1
        hashes = "#" * min(6, self.depth + 1)
        out = [f'<a id="{_anchor(n)}"></a>', "", f"{hashes} {_esc(n['heading'])} · {self._heading_en(n)}", ""]
        out += self._qa_notes(n)
        for c in n["children"]:
            out += self.node(c)
        self.depth -= 1
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
        key = f"{n['id']}#text"
        if not _status(n, key):
            return [zh, ""]  # Latin-only text needs no English
        en = _en(n, key, n.get("en"))
        marks = "".join(f"[^{_label(r['footnote'])}]" for r in n.get("footnote_refs", []) if r.get("footnote"))
        return [zh, "", f"> {en}{marks}", ""]

    def r_list(self, n: Node) -> list[str]:
        out = []
        for it in n["items"]:
            zh = _esc(it["text"])
            key = f"{it['id']}#text"
            en = _en(it, key, it.get("en")) if _status(it, key) else ""
            indent = "  " * it.get("depth", 0)
            out.append(f"{indent}- {zh}" + (f"<br>{en}" if en else ""))
        return out + [""]

    def r_figure(self, n: Node) -> list[str]:
        en = n.get("en") or {}
        num = n.get("number")
        if n.get("caption"):
            cap_en = _en(n, f"{n['id']}#caption", en.get("caption")) if _status(n, f"{n['id']}#caption") else _esc(n["caption"])
            head = f"**{_esc(n.get('label'))}** · **Figure {num}. {cap_en}**"
        else:
            head = "**（無圖說）** · **(picture without a caption)**"
        out = [f"> 🖼 {head}"]
        if n.get("source"):
            src_en = _en(n, f"{n['id']}#source", en.get("source")) if _status(n, f"{n['id']}#source") else _esc(n["source"])
            out += [">", f"> {_esc(n['source'])} · {src_en}"]
        texts = n.get("figure_text", [])
        if texts:
            en_texts = en.get("figure_text") or [None] * len(texts)
            shown = []
            for k, t in enumerate(texts):
                key = f"{n['id']}#t{k + 1}"
                e = _en(n, key, en_texts[k] if k < len(en_texts) else None) if _status(n, key) else ""
                shown.append(_esc(t) + (f" ({e})" if e else ""))
            out += [">", "> *Text in the figure:* " + "; ".join(shown)]
        if n.get("printed_number") is not None and n.get("printed_number") != num:
            out += [">", f"> **QA:** printed under the picture as 圖 {n['printed_number']}; the report's list of figures numbers it {num}."]
        out += [">", f"> *(picture not reproduced in this edition{self._where(n)})*", ""]
        return out

    def r_table(self, n: Node) -> list[str]:
        out = []
        if n.get("caption"):
            en = n.get("en") or {}
            cap_en = _en(n, f"{n['id']}#caption", en.get("caption")) if _status(n, f"{n['id']}#caption") else _esc(n["caption"])
            out += [f"**{_esc(n.get('label'))}** · **Table {n.get('number')}. {cap_en}**", ""]
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
                zh = _cell(cell.get("text"))
                key = f"{n['id']}#r{r_i + 1}c{c_i + 1}"
                en = _en(cell, key, cell.get("en")) if _status(cell, key) else ""
                cells.append(zh + (f"<br>{en}" if en else ""))
            out.append("| " + " | ".join(cells) + " |")
            if r_i == 0:
                out.append("|" + "---|" * width)
        pages = n.get("pages")
        if pages and len(pages) > 1:
            out += ["", f"*(the table runs over pages {pages[0]}–{pages[-1]} of the PDF)*"]
        return out + [""]

    def r_footnote(self, n: Node) -> list[str]:
        key = f"{n['id']}#text"
        en = _en(n, key, n.get("en")) if _status(n, key) else ""
        self.footnotes.append(f"[^{_label(n['id'])}]: {_esc(n['text'])}" + (f"<br>{en}" if en else ""))
        return []

    # -- appendices ------------------------------------------------------------------------

    def footnote_section(self) -> list[str]:
        if not self.footnotes:
            return []
        return ["## 註釋 · Notes", ""] + [x for f in self.footnotes for x in (f, "")]

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
        source_qa = [q for q in self.doc.get("qa", []) if q["kind"] not in ("untranslated", "stale-translation", "term-inconsistent")]
        tr = [q for q in self.doc.get("qa", []) if q["kind"] in ("untranslated", "stale-translation", "term-inconsistent")]
        out = ["## 附錄：原文缺陷 · Appendix: Defects of the source", ""]
        out += [f"- **{q['kind']}** — {_esc(q['message'])}" for q in source_qa] or ["- none"]
        if tr:
            out += ["", "### Translation gaps", ""] + [f"- **{q['kind']}** — {_esc(q['message'])}" for q in tr]
        return out + [""]


def document_to_markdown(doc: Node) -> str:
    """The bilingual Markdown edition of a built document."""
    return Renderer(doc).render()


def qa_report(doc: Node) -> str:
    """The QA findings as a readable Markdown report."""
    lines = [f"# QA report — {doc['source']['path']}", ""]
    stats = doc.get("stats", {})
    if stats:
        lines += ["| measure | value |", "|---|---|"] + [f"| {k} | {v} |" for k, v in sorted(stats.items())] + [""]
    by_kind: dict[str, list[Node]] = {}
    for q in doc.get("qa", []):
        by_kind.setdefault(q["kind"], []).append(q)
    for kind in sorted(by_kind):
        lines += [f"## {kind} ({len(by_kind[kind])})", ""] + [f"- {_esc(q['message'])}" for q in by_kind[kind]] + [""]
    if not by_kind:
        lines.append("No findings.")
    return "\n".join(lines).rstrip() + "\n"
