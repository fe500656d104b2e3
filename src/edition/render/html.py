"""The edition view → the reader's HTML edition: Chinese and English side by side.

Every block is a pair — the Chinese (``lang="zh-Hant"``) on the left, the English
(``lang="en"``) on the right, in one grid row, so each pair lines up however long either side
runs; under 900 px wide (a phone) the pair stacks. Figures show their pictures (cropped from the
PDF, beside the edition) with the caption in both languages under them; tables give both
languages in every cell; the contents link every heading; footnotes, translator's notes and
editor's remarks are linked both ways. Draft, stale and missing English is marked where it
stands. One file, entirely offline: the stylesheet is inline, fonts are the system's (CJK
faces named in the CSS), there is no script, and the page's Content-Security-Policy forbids
loading anything but its own pictures.

This module formats only, one function per item type of :mod:`edition.render.view`.
"""

from __future__ import annotations

from html import escape as _html
from typing import Callable
from urllib.parse import quote

from .mdtext import split_urls, url_href
from .view import (
    STATE_WORDS, Cell, ContentsEntry, Cover, EditionView, Entries, Figure, Finding, Heading, Inline, ListBlock, Note,
    Paragraph, Ref, Table, Text, Unknown, plain,
)

CSS = """
:root {
  --zh: "Noto Serif CJK TC", "Noto Sans CJK TC", "Source Han Serif TC", "Source Han Sans TC", "PMingLiU", "MingLiU",
        "Microsoft JhengHei", "PingFang TC", "Heiti TC", "Noto Serif CJK JP", "Noto Sans CJK JP", serif;
  --ja: "Noto Serif CJK JP", "Noto Sans CJK JP", "Source Han Serif", "Hiragino Mincho ProN", "Yu Mincho", "MS Mincho", var(--zh);
  --en: "Source Serif 4", "Georgia", "Cambria", "DejaVu Serif", "Liberation Serif", "Times New Roman", serif;
  --line: #d0d7de; --muted: #57606a; --draft: #b45309; --stale: #b91c1c; --missing: #6e7781;
}
* { box-sizing: border-box; }
html { font-size: 17px; }
body { margin: 0 auto; max-width: 1400px; padding: 1rem 1.25rem 4rem; line-height: 1.65; color: #1f2328; background: #fff;
       overflow-wrap: break-word; }
.notes li, td, th, nav.contents li { overflow-wrap: anywhere; }  /* a long URL breaks rather than widen the page */
[lang|="zh"] { font-family: var(--zh); }
[lang="ja"] { font-family: var(--ja); }
[lang="en"] { font-family: var(--en); hyphens: auto; }
a { color: #0550ae; }
.pair { display: grid; grid-template-columns: minmax(0, 1fr); gap: .1rem 2.5rem; align-items: start; }
@media (min-width: 900px) { .pair { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); } }
.pair > * { margin: .35rem 0; min-width: 0; overflow-wrap: anywhere; }
.pair > .whole { grid-column: 1 / -1; }
h1, h2, h3, h4, h5, h6 { line-height: 1.35; margin: 1.6rem 0 .6rem; }
h1.pair { font-size: 1.8rem; }
.heading { scroll-margin-top: 1rem; }
.heading > span { display: block; }
.number { color: var(--muted); }
.lead { font-weight: bold; }
.state { display: inline-block; font: .78rem/1.4 system-ui, sans-serif; padding: 0 .4rem; margin-right: .4rem; border-radius: .6rem;
         color: #fff; vertical-align: .1em; }
.draft { border-left: 3px solid var(--draft); padding-left: .6rem; } .draft .state, .state.draft { background: var(--draft); }
.stale { border-left: 3px solid var(--stale); padding-left: .6rem; } .stale .state, .state.stale { background: var(--stale); }
.missing { color: var(--missing); } .missing .state, .state.missing { background: var(--missing); }
.list .li > * { position: relative; padding-left: calc(1.2rem + var(--depth, 0) * 1.4rem); }
.list .li > *::before { content: "•"; position: absolute; left: calc(var(--depth, 0) * 1.4rem + .2rem); color: var(--muted); }
figure { margin: 1.5rem 0; padding: .8rem 0; border-top: 1px solid var(--line); border-bottom: 1px solid var(--line); }
figure img { display: block; margin: .3rem auto .6rem; max-width: 100%; height: auto; border: 1px solid var(--line); background: #fff; }
figcaption { font-size: .95rem; }
figcaption .label { font-weight: bold; }
.where, .figure-problem { color: var(--muted); font-size: .85rem; text-align: center; }
.figure-problem { color: var(--stale); }
details.figure-text { font-size: .88rem; margin: .4rem 0; }
details.figure-text summary { cursor: pointer; color: var(--muted); }
.table-wrap { overflow-x: auto; margin: 1rem 0 1.5rem; }
table { border-collapse: collapse; font-size: .9rem; }
caption { text-align: left; font-weight: bold; padding: .3rem 0; }
caption span { display: block; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; vertical-align: top; }
th { background: #f6f8fa; }
td > span, th > span { display: block; }
td > [lang="en"], th > [lang="en"] { color: #24292f; font-size: .92em; }
.cover-fields th { text-align: left; }
.cover-fields td > span { display: inline; }
nav.contents { border: 1px solid var(--line); border-radius: .4rem; padding: .2rem 1.2rem .8rem; margin: 1.5rem 0; font-size: .92rem; }
nav.contents ol { list-style: none; padding-left: 1.1rem; margin: .1rem 0; }
nav.contents > ol { padding-left: 0; }
nav.contents li > a > span + span::before { content: " · "; color: var(--muted); }
sup.ref { line-height: 0; font-size: .72em; }
sup.ref a { text-decoration: none; padding: 0 .1em; }
sup.ref.tn a, sup.ref.qa a { font-style: italic; }
.notes li { margin: .5rem 0; list-style: none; }
.notes .label { font-weight: bold; margin-right: .4rem; }
.notes .back { text-decoration: none; margin-left: .3rem; }
:target { background: #fff8c5; }
.appendix { margin-top: 3rem; }
@media print {
  html { font-size: 10.5pt; }
  body { max-width: none; padding: 0; }
  nav.contents, .back { display: none; }
  .pair { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
  a { color: inherit; text-decoration: none; }
  .pair, figure, tr, .notes li { break-inside: avoid; }
  h1, h2, h3, h4, h5, h6, .heading { break-after: avoid; }
  details.figure-text > :not(summary) { display: block; }
  :target { background: none; }
  @page { size: A4; margin: 16mm 14mm; }
}
"""

# Nothing but the page's own pictures may load: no font, script, stylesheet or frame from anywhere.
CSP = "default-src 'none'; img-src 'self' file: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
NOTE_NAMES = {"footnote": "Footnote", "tn": "Translator's note", "qa": "Editor's note"}


def _text(s: str) -> str:
    return _html(s, quote=False)


def _attr(s: str) -> str:
    return _html(s, quote=True)


def _note_mark(r: Ref) -> str:
    """What the reader sees of a reference: "1" for the report's footnote 1, "T3", "E1"."""
    if r.kind == "footnote":
        return r.label
    return ("T" if r.kind == "tn" else "E") + r.label.split("-", 1)[1]


def inline(runs: Inline, links: bool = True, notes: bool = True) -> str:
    """Text with its URLs as links and its note references as linked superscripts."""
    out = []
    for r in runs:
        if isinstance(r, Ref):
            if notes:
                out.append(f'<sup class="ref {r.kind}"><a id="ref-{_attr(r.label)}" href="#note-{_attr(r.label)}"'
                           f' aria-label="{NOTE_NAMES[r.kind]} {_attr(_note_mark(r))}">{_text(_note_mark(r))}</a></sup>')
            continue
        for kind, s in split_urls(r) if links else [("text", r)]:
            if kind == "text":
                out.append(_text(s))
            else:
                out.append(f'<a href="{_attr(url_href(kind, s))}">{_text(s)}</a>')
    return "".join(out)


def _state(state: str) -> str:
    """The visible mark of English that is not final: a short badge, its meaning on hover."""
    if state not in STATE_WORDS:
        return ""
    return f'<span class="state {state}" title="{_attr(STATE_WORDS[state])}">⚠ {state}</span>'



def english(t: Text, tag: str = "p", cls: str = "", notes: bool = True, prefix: str = "") -> str:
    """A field's English in its own element (``lang="en"``), marked when draft, stale or missing."""
    classes = " ".join(x for x in ("en", cls, t.state if t.state in STATE_WORDS else "") if x)
    body = "" if t.en is None else inline(t.en, notes=notes)
    mark = _state(t.state) + (" " if t.state in STATE_WORDS and (prefix or body) else "")
    return f'<{tag} lang="en" class="{classes}">{mark}{prefix}{body}</{tag}>'


def chinese(t: Text, tag: str = "p", cls: str = "", prefix: str = "", suffix: str = "") -> str:
    classes = " ".join(x for x in ("zh", cls) if x)
    return f'<{tag} lang="{t.zh_lang}" class="{classes}">{prefix}{inline(t.zh)}{suffix}</{tag}>'


def pair(t: Text, tag: str = "p", cls: str = "", attrs: str = "", zh_prefix: str = "", en_prefix: str = "", suffix: str = "") -> str:
    """A block as a pair: the Chinese, then its English — or the text alone where it is its own English."""
    if not t.needs_english:
        return f'<div class="pair {cls}"{attrs}><{tag} class="whole" lang="">{zh_prefix}{inline(t.zh)}{suffix}</{tag}></div>'
    return f'<div class="pair {cls}"{attrs}>{chinese(t, tag, prefix=zh_prefix, suffix=suffix)}{english(t, tag, prefix=en_prefix)}</div>'


def _refs(remarks: tuple[Ref, ...]) -> str:
    return inline(remarks)


# --- items ------------------------------------------------------------------------------------


def cover(c: Cover, zh_lang: str) -> str:
    out = ['<header class="cover" id="top">']
    if c.title is not None:
        out.append(f'<h1 class="pair"><span lang="{zh_lang}">{_text(c.title_zh)}</span>{english(c.title, "span")}</h1>')
    else:
        out.append(f'<h1 class="pair"><span class="whole">{_text(c.title_zh)}</span></h1>')
    if c.rows:
        out.append('<table class="cover-fields"><tbody>')
        for row in c.rows:
            parts = [english(t, "span") if t.needs_english else f'<span lang="">{inline(t.zh)}</span>' for t in row.en]
            sep = _text(row.sep)
            en = sep.join(parts)
            if row.iso:
                en = f"{en} <span class=\"iso\">({_text(row.iso)})</span>" if en else f'<span class="iso">{_text(row.iso)}</span>'
            out.append(f'<tr><th>{_text(row.label)}</th><td lang="{zh_lang}">{_text(row.zh)}</td><td>{en}</td></tr>')
        out.append("</tbody></table>")
    out.append("</header>")
    return "\n".join(out)


def contents(entries: tuple[ContentsEntry, ...], zh_lang: str) -> str:
    """Every heading, nested, linked to its anchor."""
    out = ['<nav class="contents" aria-label="Contents"><h2><span lang="' + zh_lang + '">目錄</span> · <span lang="en">Contents</span></h2>']
    depth = -1
    for e in entries:
        while depth < e.depth:
            out.append("<ol>")
            depth += 1
        while depth > e.depth:
            out.append("</li></ol>")
            depth -= 1
        if out[-1] not in ("<ol>",):
            out.append("</li>")
        h = e.heading
        number = f"{_text(h.number_en)} " if h.number_en else ""
        en = "" if h.text.en is None else inline(h.text.en, links=False, notes=False)
        out.append(f'<li><a href="#{_attr(h.anchor)}"><span lang="{zh_lang}">{_text(h.zh)}</span>'
                   f'<span lang="en">{number}{en}</span></a>')
    while depth >= 0:
        out.append("</li></ol>")
        depth -= 1
    out.append("</nav>")
    return "\n".join(out)


def heading(h: Heading) -> str:
    level = min(6, h.depth + 1)
    number = f'<span class="number">{_text(h.number_en)}</span> ' if h.number_en else ""
    zh = f'<span lang="{h.text.zh_lang}" class="zh">{_text(h.zh)}{_refs(h.remarks)}</span>'
    return f'<h{level} class="pair heading" id="{_attr(h.anchor)}">{zh}{english(h.text, "span", prefix=number)}</h{level}>'


def entries(e: Entries, zh_lang: str) -> str:
    out = ['<div class="table-wrap"><table class="entries"><thead><tr><th>原文 · As printed</th><th>English</th>'
           '<th>頁 · Page</th></tr></thead><tbody>']
    for row in e.rows:
        prefix = _text(row.prefix_en)
        en = english(row.text, "span", prefix=prefix) if row.text.needs_english else f'<span lang="">{prefix}{inline(row.text.zh)}</span>'
        out.append(f'<tr><td lang="{zh_lang}">{_text(row.zh)}</td><td>{en}</td><td>{_text(row.page)}</td></tr>')
    out.append("</tbody></table></div>")
    return "\n".join(out)


def paragraph(p: Paragraph) -> str:
    if not p.anchor:
        return pair(p.text)
    # a numbered item: the marker and label in bold in each language
    zh_lead = f'<span class="lead">{_text(p.lead_zh)}</span>{_text(p.colon_zh)}'
    en_lead = f'<span class="lead">{inline(p.lead_en)}</span> ' if plain(p.lead_en) else ""
    return pair(p.text, cls="item", attrs=f' id="{_attr(p.anchor)}"', zh_prefix=zh_lead, en_prefix=en_lead, suffix=_refs(p.remarks))


def list_block(b: ListBlock) -> str:
    items = [pair(it.text, cls="li", attrs=f' role="listitem" style="--depth: {it.depth}"') for it in b.items]
    return '<div class="list" role="list">\n' + "\n".join(items) + "\n</div>"


def figure(f: Figure, zh_lang: str) -> str:
    out = [f'<figure id="{_attr(f.anchor)}">']
    for img in f.images:
        out.append(f'<img src="{_attr(quote(img.src))}" width="{img.width}" height="{img.height}" alt="{_attr(f.alt)}">')
    if f.caption is not None:
        label = f'<span class="label">{_text(f.label_zh)}</span>'
        number = f'<span class="label">{_text(f.number_en)}.</span> '
        cap = (f'<figcaption class="pair"><span lang="{zh_lang}" class="zh">{label}{_refs(f.remarks)}</span>'
               f'{english(f.caption, "span", prefix=number)}</figcaption>')
    else:
        cap = (f'<figcaption class="pair"><span lang="{zh_lang}" class="zh">（無圖說）{_refs(f.remarks)}</span>'
               '<span lang="en" class="en">(picture without a caption)</span></figcaption>')
    out.append(cap)
    if f.source is not None:
        out.append(pair(f.source, cls="source"))
    if f.texts:
        words = "".join(f'<li>{chinese(t, "span")}' + (f" {english(t, 'span')}" if t.needs_english else "") + "</li>" for t in f.texts)
        out.append(f'<details class="figure-text"><summary>圖中文字 · Text in the figure</summary><ul>{words}</ul></details>')
    if f.problem:
        out.append(f'<p class="figure-problem">⚠ The picture could not be rendered: {_text(f.problem)}{_text(f.where)}</p>')
    elif not f.images:
        out.append(f'<p class="where">(picture not reproduced in this edition{_text(f.where)})</p>')
    out.append("</figure>")
    return "\n".join(out)


def cell(c: Cell, tag: str) -> str:
    if c.merged:
        return ""  # covered by the cell that spans it
    span = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (f' colspan="{c.colspan}"' if c.colspan > 1 else "")
    if c.text is None:
        return f"<{tag}{span}></{tag}>"
    t = c.text
    if not t.needs_english:
        return f'<{tag}{span}><span lang="">{inline(t.zh)}</span></{tag}>'
    return f"<{tag}{span}>{chinese(t, 'span')}{english(t, 'span')}</{tag}>"


def table(t: Table, zh_lang: str) -> str:
    out = [f'<div class="table-wrap" id="{_attr(t.anchor)}"><table>']
    if t.caption is not None:
        out.append(f'<caption><span lang="{zh_lang}">{_text(t.label_zh)}</span>'
                   f'{english(t.caption, "span", prefix=f"{_text(t.number_en)}. ")}</caption>')
    if not t.rows:
        out.append('<tbody><tr><td>(the table\'s rows are lost in the source)</td></tr></tbody>')
    else:
        out.append("<thead><tr>" + "".join(cell(c, "th") for c in t.rows[0]) + "</tr></thead><tbody>")
        for row in t.rows[1:]:
            out.append("<tr>" + "".join(cell(c, "td") for c in row) + "</tr>")
        out.append("</tbody>")
    out.append("</table>")
    if len(t.pages) > 1:
        out.append(f'<p class="where">(the table runs over pages {t.pages[0]}–{t.pages[-1]} of the PDF)</p>')
    out.append("</div>")
    return "\n".join(out)


def unknown(u: Unknown) -> str:
    return f'<p class="unknown">(unrendered node type {_text(u.type)})</p>'


# --- notes and appendices ---------------------------------------------------------------------


def note(n: Note, zh_lang: str) -> str:
    """A note with its mark, a link back to where it is referenced, and its text."""
    mark = _text(_note_mark(Ref(n.kind, n.label)))
    back = f'<a class="back" href="#ref-{_attr(n.label)}" aria-label="back to the text">↩</a>'
    if n.kind == "footnote":
        t = n.text
        body = f'<span lang="{zh_lang}">{inline(t.zh)}</span>' + (f" {english(t, 'span')}" if t.needs_english else "")
    else:
        body = f'<span lang="en"><em>{NOTE_NAMES[n.kind]}:</em> {inline(n.text.en or ())}</span>'
    return f'<li id="note-{_attr(n.label)}"><span class="label">{mark}</span>{body}{back}</li>'


def notes_section(v: EditionView) -> str:
    if not v.footnotes and not v.notes:
        return ""
    items = "\n".join(note(n, v.zh_lang) for n in v.footnotes + v.notes)
    return (f'<section class="notes" id="notes"><h2 class="pair"><span lang="{v.zh_lang}">註釋</span><span lang="en">Notes</span></h2>'
            f'<ul class="notes">\n{items}\n</ul></section>')


def _finding(q: Finding) -> str:
    return f"<li><strong>{_text(q.kind)}</strong> — {_text(q.message)}</li>"


def appendices(v: EditionView) -> str:
    out = ['<section class="appendix">']
    if v.glossary:
        rows = "".join(f'<tr><td lang="{v.zh_lang}">{_text(g.zh)}</td><td lang="ja">{_text(g.ja)}</td><td lang="en">{_text(g.en)}</td>'
                       f"<td>{_text(g.abbr)}</td></tr>" for g in v.glossary)
        out.append(f'<h2 class="pair" id="glossary"><span lang="{v.zh_lang}">附錄：名詞對照</span>'
                   '<span lang="en">Appendix: Institutions named in the report</span></h2>'
                   '<div class="table-wrap"><table><thead><tr><th>中文</th><th>日本語</th><th>English</th><th>Abbr.</th></tr></thead>'
                   f"<tbody>{rows}</tbody></table></div>")
    out.append(f'<h2 class="pair" id="defects"><span lang="{v.zh_lang}">附錄：原文缺陷</span><span lang="en">Appendix: Defects of the source</span></h2>')
    out.append("<ul>" + ("".join(_finding(q) for q in v.source_findings) or "<li>none</li>") + "</ul>")
    if v.translation_findings:
        out.append('<h3 lang="en">Translation gaps</h3><ul>' + "".join(_finding(q) for q in v.translation_findings) + "</ul>")
    out.append(f'<h2 class="pair" id="about"><span lang="{v.zh_lang}">關於本版</span><span lang="en">About this edition</span></h2>'
               f'<p lang="en">Built from <code>{_text(v.source_path)}</code>. The Chinese is normalised to Traditional (Taiwan) '
               "script where the source leaked Simplified or Japanese forms; every change is recorded in the JSON edition. "
               "English marked ⚠ is a draft nobody has reviewed yet (a machine's, or a close match reused from another memory), stale (written for Chinese that has changed since) or "
               "missing. The pictures are cropped from the PDF.</p>")
    out.append("</section>")
    return "\n".join(out)


def view_to_html(v: EditionView) -> str:
    """The reader's HTML edition of an edition view (one self-contained file)."""
    blocks: dict[type, Callable] = {
        Heading: heading, Paragraph: paragraph, ListBlock: list_block, Unknown: unknown,
        Entries: lambda e: entries(e, v.zh_lang), Figure: lambda f: figure(f, v.zh_lang), Table: lambda t: table(t, v.zh_lang),
    }
    title = v.cover.title_zh + (f" · {plain(v.cover.title.en)}" if v.cover.title is not None and v.cover.title.en else "")
    body = [cover(v.cover, v.zh_lang), contents(v.contents, v.zh_lang), "<main>"]
    body += [blocks[type(b)](b) for b in v.blocks]
    body += ["</main>", notes_section(v), appendices(v)]
    head = (f'<!DOCTYPE html>\n<html lang="{v.zh_lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            f'<meta name="referrer" content="no-referrer">\n'
            f"<title>{_text(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n")
    return head + "\n".join(x for x in body if x) + "\n</body>\n</html>\n"
