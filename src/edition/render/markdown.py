"""The edition view → the bilingual Markdown edition (GitHub-flavoured: CommonMark, tables,
footnotes).

One layout throughout: Chinese first, English after it — a paragraph's English as a
blockquote under it, a heading as "中文 · English", a list item or table cell as
"中文<br>English", a numbered item the report sets like a heading ("一、期間：…") as a
paragraph with a bold lead, a figure as its picture (cropped from the PDF, beside the edition)
with its caption under it. This module formats only, one function per item type of
:mod:`edition.render.view`; what an item says was decided there. Draft, stale and missing
English is marked where it would stand, never filled in. What is not reading text — the
report's footnotes, translator's notes, editorial (QA) remarks — is a Markdown footnote the
reader can follow. Text is escaped by context (:mod:`edition.render.mdtext`).
"""

from __future__ import annotations

import re
from typing import Callable
from urllib.parse import quote

from ..model import Node
from .mdtext import escape
from .view import (
    Cell, ContentsEntry, Cover, EditionView, Entries, Figure, Finding, Heading, Inline, ListBlock, Note, Paragraph, Ref,
    Table, Text, Unknown, edition_view, plain,
)
from .view import STATE_WORDS as MARK_WORDS
from .view import SUMMARY_WORDS

# The same words for the same states everywhere: JSON, QA report, build summary, memory status.
MISSING = f"⚠ *[{MARK_WORDS['missing']}]*"
DRAFT = f"⚠ *[{MARK_WORDS['draft']}]*"
STALE = f"⚠ *[{MARK_WORDS['stale']}]*"
MARKS = {"missing": MISSING, "draft": DRAFT, "stale": STALE}
# In a heading or the contents a short mark after the English.
SHORT_MARKS = {"draft": " ⚠ *(draft)*", "stale": " ⚠ *(stale)*"}
NOTE_LEADS = {"tn": "*Translator's note:*", "qa": "*Editor's note:*"}


# --- inline -----------------------------------------------------------------------------------


def inline(runs: Inline, line_start: bool = False, context: str = "inline", notes: bool = True) -> str:
    """Text with its note references: each piece escaped for ``context`` (only the first can
    start a line), each reference ``[^label]`` (dropped where ``notes`` is off: the contents)."""
    out: list[str] = []
    for r in runs:
        if isinstance(r, Ref):
            if notes:
                out.append(f"[^{r.label}]")
        else:
            out.append(escape(r, context, line_start and not out))
    return "".join(out)


def english(t: Text, line_start: bool = False, context: str = "inline", notes: bool = True) -> str:
    """A field's English as it will stand, marked when it is a draft, stale or missing (text
    that needs no English is itself)."""
    if t.en is None:
        return MISSING
    mark = MARKS.get(t.state)
    body = inline(t.en, line_start and not mark, context, notes)
    return f"{mark} {body}" if mark else body


def heading_english(h: Heading, context: str = "heading", notes: bool = True) -> str:
    """'Chapter 1 Introduction', 'I. Background ⚠ *(stale)*' — a heading's English with its number."""
    prefix = f"{h.number_en} " if h.number_en else ""
    if h.text.en is None:
        return prefix + MISSING
    return prefix + inline(h.text.en, False, context, notes) + SHORT_MARKS.get(h.text.state, "")


def refs(remarks: tuple[Ref, ...]) -> str:
    return "".join(f"[^{r.label}]" for r in remarks)


def message(text: str | None) -> str:
    """A finding's message: escaped, but a command in backticks stays a code span."""
    parts = re.split(r"(`[^`]+`)", text or "")
    return "".join(p if p.startswith("`") and p.endswith("`") and len(p) > 1 else escape(p) for p in parts)


# --- items ------------------------------------------------------------------------------------


def cover(c: Cover) -> list[str]:
    out = [f"# {escape(c.title_zh, 'heading')}", ""]
    if c.title is not None:
        out += [f"# {english(c.title, context='heading')}", ""]
    if c.rows:
        out += ["| | 中文 | English |", "|---|---|---|"]
        for row in c.rows:
            en = row.sep.join(english(t, context="cell") for t in row.en)
            if row.iso:
                en = f"{en} ({row.iso})" if en else row.iso
            out.append(f"| {row.label} | {escape(row.zh, 'cell')} | {en} |")
    return out + [""]


def contents(entries: tuple[ContentsEntry, ...]) -> list[str]:
    """The short contents: front matter, chapters and their first-level sections, linked."""
    out = ["## 目錄 · Contents", ""]
    for e in entries:
        if e.major:
            h = e.heading
            out.append(f"{'  ' * e.depth}- [{escape(h.zh, 'link')} · {heading_english(h, 'link', notes=False)}](#{h.anchor})")
    return out + [""]


def heading(h: Heading) -> list[str]:
    hashes = "#" * min(6, h.depth + 1)
    return [f'<a id="{h.anchor}"></a>', "", f"{hashes} {escape(h.zh, 'heading')} · {heading_english(h)}{refs(h.remarks)}", ""]


def entries(e: Entries) -> list[str]:
    out = ["| 原文 · As printed | English | 頁 · Page |", "|---|---|---|"]
    for row in e.rows:
        out.append(f"| {escape(row.zh, 'cell')} | {row.prefix_en}{english(row.text, context='cell')} | {row.page} |")
    return out + [""]


def paragraph(p: Paragraph) -> list[str]:
    if p.anchor:
        return numbered_item(p)
    zh = inline(p.text.zh, line_start=True)
    if not p.text.needs_english:
        return [zh, ""]  # Latin-only text needs no English
    return [zh, "", f"> {english(p.text, line_start=True)}", ""]


def numbered_item(p: Paragraph) -> list[str]:
    """'一、期間：101年…' as a paragraph: the number and label in bold, then the content."""
    zh = f"**{escape(p.lead_zh, line_start=True)}**{p.colon_zh}{inline(p.text.zh)}{refs(p.remarks)}"
    out = [f'<a id="{p.anchor}"></a>', "", zh, ""]
    if not p.text.needs_english:
        return out
    lead = f"**{inline(p.lead_en)}**" if plain(p.lead_en) else ""
    if p.text.en is None:
        en = f"{lead} {MISSING}" if lead else MISSING
    else:
        rest = inline(p.text.en).lstrip()
        en = " ".join(x for x in (MARKS.get(p.text.state), lead, rest) if x)
    return out + [f"> {en}", ""]


def list_block(b: ListBlock) -> list[str]:
    out = []
    for it in b.items:
        en = english(it.text) if it.text.needs_english else ""
        out.append(f"{'  ' * it.depth}- {inline(it.text.zh, line_start=True)}" + (f"<br>{en}" if en else ""))
    return out + [""]


def figure(f: Figure) -> list[str]:
    """The picture(s), then the caption in both languages, the source line, the words printed
    in the figure; without a picture, the caption and where the picture is in the source."""
    if f.caption is not None:
        cap_en = english(f.caption)
        head = f"**{escape(f.label_zh)}** · **{f.number_en}. {cap_en}**{refs(f.remarks)}"
    else:
        head = f"**（無圖說）** · **(picture without a caption)**{refs(f.remarks)}"
    out = []
    for img in f.images:
        out += [f"> ![{escape(f.alt, 'link')}](<{quote(img.src)}>)", ">"]
    out.append(f"> {head}" if f.images else f"> 🖼 {head}")
    if f.source is not None:
        out += [">", f"> {inline(f.source.zh, line_start=True)} · {english(f.source)}"]
    if f.texts:
        shown = [inline(t.zh) + (f" ({english(t)})" if t.needs_english else "") for t in f.texts]
        out += [">", "> *Text in the figure:* " + "; ".join(shown)]
    if f.problem:
        out += [">", f"> ⚠ *(the picture could not be rendered: {escape(f.problem)}{escape(f.where)})*"]
    elif not f.images:
        out += [">", f"> *(picture not reproduced in this edition{escape(f.where)})*"]
    return out + [""]


def cell(c: Cell) -> str:
    if c.merged:
        return "↑" if c.merged == "up" else "←"
    if c.text is None:
        return ""
    en = english(c.text, context="cell") if c.text.needs_english else ""
    return inline(c.text.zh, context="cell") + (f"<br>{en}" if en else "")


def table(t: Table) -> list[str]:
    out = []
    if t.caption is not None:
        out += [f"**{escape(t.label_zh)}** · **{t.number_en}. {english(t.caption)}**", ""]
    if not t.rows:
        return out + ["*(the table's rows are lost in the source)*", ""]
    for r_i, row in enumerate(t.rows):
        out.append("| " + " | ".join(cell(c) for c in row) + " |")
        if r_i == 0:
            out.append("|" + "---|" * t.width)
    if len(t.pages) > 1:
        out += ["", f"*(the table runs over pages {t.pages[0]}–{t.pages[-1]} of the PDF)*"]
    return out + [""]


def unknown(u: Unknown) -> list[str]:
    return [f"<!-- unrendered node type {u.type} -->", ""]


BLOCKS: dict[type, Callable] = {Heading: heading, Entries: entries, Paragraph: paragraph, ListBlock: list_block,
                                Figure: figure, Table: table, Unknown: unknown}


# --- appendices -------------------------------------------------------------------------------


def glossary_appendix(v: EditionView) -> list[str]:
    if not v.glossary:
        return []
    out = ["## 附錄：名詞對照 · Appendix: Institutions named in the report", "",
           "| 中文 | 日本語 | English | Abbr. |", "|---|---|---|---|"]
    out += [f"| {escape(g.zh, 'cell')} | {escape(g.ja, 'cell')} | {escape(g.en, 'cell')} | {escape(g.abbr, 'cell')} |" for g in v.glossary]
    return out + [""]


def finding(q: Finding) -> str:
    return f"- **{q.kind}** — {message(q.message)}"


def qa_appendix(v: EditionView) -> list[str]:
    out = ["## 附錄：原文缺陷 · Appendix: Defects of the source", ""]
    out += [finding(q) for q in v.source_findings] or ["- none"]
    if v.translation_findings:
        out += ["", "### Translation gaps", ""] + [finding(q) for q in v.translation_findings]
    return out + [""]


def about(v: EditionView) -> list[str]:
    return ["## 關於本版 · About this edition", "",
            f"Built from `{v.source_path}`. The Chinese is normalised to Traditional (Taiwan) script where the source leaked "
            "Simplified or Japanese forms; every change is recorded in the JSON edition. English marked ⚠ is a draft nobody has "
            "reviewed yet (a machine's, or a close match reused from another memory: the QA report says which), stale "
            "(written for Chinese that has changed since) or missing.", ""]


def note(n: Note) -> str:
    """A note's definition: a footnote in both languages, a translator's or editor's note."""
    if n.kind == "footnote":
        en = english(n.text) if n.text.needs_english else ""
        return f"[^{n.label}]: {inline(n.text.zh, line_start=True)}" + (f"<br>{en}" if en else "")
    return f"[^{n.label}]: {NOTE_LEADS[n.kind]} {escape(plain(n.text.en))}"


def notes_section(v: EditionView) -> list[str]:
    """The report's footnotes, then translator's and editor's notes (GitHub gathers all
    footnotes at the end of the page, so this section comes last)."""
    if not v.footnotes and not v.notes:
        return []
    return ["## 註釋 · Notes", ""] + [x for n in v.footnotes + v.notes for x in (note(n), "")]


def view_to_markdown(v: EditionView) -> str:
    """The bilingual Markdown edition of an edition view."""
    out: list[str] = cover(v.cover) + contents(v.contents)
    for b in v.blocks:
        out += BLOCKS[type(b)](b)
    out += glossary_appendix(v) + qa_appendix(v) + about(v) + notes_section(v)
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def document_to_markdown(doc: Node) -> str:
    """The bilingual Markdown edition of a built document (without pictures: see
    :func:`edition.render.edition.edition_files` for the edition with its figures)."""
    return view_to_markdown(edition_view(doc))


STATE_WORDS = SUMMARY_WORDS


def _measure(v) -> str:
    if isinstance(v, dict):
        return ", ".join(f"{k} {v[k]}" for k in sorted(v))
    return str(v)


def qa_report(doc: Node, rendering: tuple[Finding, ...] = ()) -> str:
    """The QA findings as a readable Markdown report: segments by state first, then every finding
    by kind — the document's, and ``rendering``: what the renderers could not show (a figure's
    picture that could not be rendered)."""
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
    for q in doc.get("qa", []) + [{"kind": f.kind, "message": f.message} for f in rendering]:
        by_kind.setdefault(q["kind"], []).append(q)
    for kind in sorted(by_kind):
        lines += [f"## {kind} ({len(by_kind[kind])})", ""]
        for q in by_kind[kind]:
            lines.append(f"- {message(q['message'])}")
            if q.get("zh_old") is not None:
                lines += [f"  - old: {escape(q['zh_old'])}", f"  - new: {escape(q.get('zh'))}"]
        lines.append("")
    if not by_kind:
        lines.append("No findings.")
    return "\n".join(lines).rstrip() + "\n"
