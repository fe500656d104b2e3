"""QA findings about the structure itself: the extractor says when it could not make sense of a
document, instead of handing over a quiet wrong answer.

* ``no-sections``            the body yields no section at all;
* ``text-in-cover``          most of the text landed on the cover;
* ``text-in-front-matter``   a contents / figure / table list holds much of the text, most of
                             it lines with no page number (the body read as list entries);
* ``body-outside-sections``  sections were found, but most body text stands outside them;
* ``figure-without-picture`` a figure caption with no picture or drawing to attach it to;
* ``merged-line``            a line that opens like a heading or caption, after a finished
                             sentence, was read as part of a paragraph;
* ``heading-split``          a heading printed on one line with its paragraph was split off;
* ``paragraph-guess``        line breaks the layout could not decide (joined or split by a
                             guess), how many and on which pages;
* ``furniture-removed``      what was taken out as page furniture (kept under ``furniture``);
* ``body-in-figures``        less than 80 % of the PDF's Han characters came out as body text
                             (the page layout may have been taken for a picture);
* ``contents-unread``        a contents / figure / table list with a title but no entry read;
* ``unreadable-text``        text whose glyphs the PDF's fonts map to no character, or to the
                             wrong one (a damaged file, a font without a character map);
* ``unreadable-page``        pages PDFium could not load (the file is damaged there): empty;
* ``no-body``                no text at all came out as the document's body, and where the
                             PDF's text went instead (rotated, outside the pages, in figures).

The first four kinds, ``body-in-figures``, ``contents-unread``, ``unreadable-text``, ``unreadable-page`` and ``no-body`` are also printed as warnings on stderr by the CLI
(:data:`WARN_KINDS`).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from ..model import Furniture, Node, iter_nodes
from .charclass import HAN
from .blocks import TERMINAL, Block
from .captions import parse_caption
from .numbering import parse_marker

WARN_KINDS = ("no-sections", "text-in-cover", "text-in-front-matter", "body-outside-sections", "body-in-figures",
              "contents-unread", "unreadable-text", "unreadable-page", "no-body")
BODY_SHARE_MIN = 0.8  # below this share of the PDF's Han text in the body, the body was lost
_STRONG = ("chapter", "formal", "cn", "paren-cn", "decimal")


def structure_warnings(doc: dict) -> list[str]:
    """The document's structure findings a user must hear about on stderr (no sections, the body
    read as the cover or as a contents list …), one line each."""
    return [q["message"] for q in doc.get("qa", []) if q["kind"] in WARN_KINDS]


def _chars(nodes: list[Node]) -> int:
    total = 0
    for n in iter_nodes(nodes):
        for field in ("text", "heading", "caption"):
            if isinstance(n.get(field), str):
                total += len(n[field])
        for e in n.get("entries", []):
            total += len(e.get("text", ""))
        for row in n.get("rows", []):
            total += sum(len(c.get("text", "")) for c in row)
    return total


def body_coverage(blocks: list[Node]) -> tuple[int, int]:
    """(characters of body text under a section, characters of body text) — front matter aside."""
    inside = outside = 0
    for n in blocks:
        if n.get("type") == "front_matter":
            continue
        if n.get("type") == "section":
            inside += _chars([n])
        else:
            outside += _chars([n])
    return inside, inside + outside


def structure_findings(doc: Node, blocks: list[Block]) -> list[Node]:
    """Findings about where the text went (see the module docstring)."""
    qa: list[Node] = []
    cover = sum(len(line) for line in doc["metadata"].get("cover_lines", []))
    lists = sum(len(e.get("text", "")) for n in doc["blocks"] if n.get("type") == "front_matter" for e in n.get("entries", []))
    total = cover + _chars(doc["blocks"])
    inside, body = body_coverage(doc["blocks"])
    sections = [n for n in iter_nodes(doc["blocks"], items=False) if n.get("type") == "section"]
    if body and not sections:
        qa.append({"kind": "no-sections",
                   "message": f"no section headings found: {body} characters of body text stand outside any section — "
                              "the document may number or set its headings in a way the extractor does not recognise"})
    elif body and inside < 0.5 * body:
        qa.append({"kind": "body-outside-sections",
                   "message": f"only {inside} of {body} characters of body text are under a section heading"})
    if total and cover > 0.4 * total and cover > 300:
        qa.append({"kind": "text-in-cover",
                   "message": f"{cover} of {total} characters were read as the cover — the body may have been taken for it"})
    entries = [e for n in doc["blocks"] if n.get("type") == "front_matter" for e in n.get("entries", [])]
    unpaged = sum(1 for e in entries if e.get("page") is None)
    # a list that swallowed the body: its "entries" are prose lines with no page number
    if entries and unpaged > max(3, 0.3 * len(entries)) and lists > 0.3 * total:
        qa.append({"kind": "text-in-front-matter",
                   "message": f"{lists} of {total} characters were read as contents / figure / table list entries"})
    for n in iter_nodes(doc["blocks"], items=False):
        if n.get("type") == "figure" and n.get("caption") and not n.get("content") and doc["source"]["format"] == "pdf":
            qa.append({"kind": "figure-without-picture", "id": n["id"],
                       "message": f"caption '{n.get('label')}' (page {n.get('page')}) has no picture or drawing next to it"})
    for b in blocks:
        qa.extend(merged_lines(b))
        if b.note == "heading split from its paragraph":
            qa.append({"kind": "heading-split", "message": f"heading '{b.text}' ({_where(b)}) was printed on one line with its paragraph; split"})
    qa.extend(guessed_breaks(blocks))
    qa.extend(unread_lists(doc["blocks"]))
    return qa


_LIST_NAMES = {"contents": "contents", "figures": "list of figures", "tables": "list of tables"}


def unread_lists(nodes: list[Node]) -> list[Node]:
    """A contents (figure, table) list whose title was found but none of whose lines read as an
    entry — no dot leaders, no page numbers: say so, rather than check the body against nothing."""
    out = []
    for n in nodes:
        if n.get("type") == "front_matter" and n.get("kind") in _LIST_NAMES and not n.get("entries"):
            where = f" (page {n['page']})" if n.get("page") is not None else ""
            out.append({"kind": "contents-unread", "id": n["id"],
                        "message": f"the {_LIST_NAMES[n['kind']]} '{n.get('heading')}'{where} was found, but none of its "
                                   "lines read as an entry (no dot leaders or page numbers): the body was not "
                                   "checked against it"})
    return out


def guessed_breaks(blocks: list[Block]) -> list[Node]:
    """One finding per kind of guess the line-joiner made (see ``reading/flow.py``): how many
    line breaks, and on which pages, so a reader knows where to look."""
    pages: dict[str, list[int]] = defaultdict(list)
    for b in blocks:
        for ln in b.lines:
            if ln.guess and ln.page is not None:
                pages[ln.guess].append(ln.page)
    out = []
    for why, where in sorted(pages.items()):
        listed = ", ".join(str(p) for p in sorted(set(where))[:12]) + (" …" if len(set(where)) > 12 else "")
        out.append({"kind": "paragraph-guess",
                    "message": f"{len(where)} line break(s) read by a guess — {why}: page(s) {listed}"})
    return out


_FURNITURE_NAMES = {
    "page-number": "page numbers", "running-header": "running headers", "running-footer": "running footers",
    "duplicate-char": "pages with duplicated characters", "image-placeholder": "image placeholders",
    "background": "page backgrounds (text over them kept as body text)",
    "repeated-picture": "pictures repeated on most pages (logos, seals, watermarks)",
    "rotated-text": "pages with text set rotated (not read as body text)",
    "off-page-text": "pages with text placed outside the page",
}


def furniture_findings(furniture: tuple[Furniture, ...]) -> list[Node]:
    """What was taken out of the reading text as page furniture, counted (nothing goes unsaid)."""
    if not furniture:
        return []
    count: Counter[str] = Counter(f.kind for f in furniture)
    chars: Counter[str] = Counter()
    for f in furniture:
        if f.kind in ("page-number", "running-header", "running-footer", "rotated-text", "off-page-text"):
            chars[f.kind] += len(f.text)
    parts = [f"{n} {_FURNITURE_NAMES.get(k, k)}" + (f" ({chars[k]} characters)" if chars[k] else "")
             for k, n in sorted(count.items())]
    return [{"kind": "furniture-removed", "message": "taken out as page furniture (kept under `furniture`): " + "; ".join(parts)}]


def unreadable_findings(unreadable: tuple[tuple[int, int], ...]) -> list[Node]:
    """Text that did not decode, said where it is: never published as if it were text."""
    if not unreadable:
        return []
    total = sum(n for _, n in unreadable)
    pages = [p for p, _ in unreadable]
    where = ", ".join(map(str, pages[:8])) + (f" … ({len(pages)} pages)" if len(pages) > 8 else "")
    return [{"kind": "unreadable-text",
             "message": f"{total} glyphs on page(s) {where} did not decode — the PDF's fonts map their glyphs to no "
                        "character or to the wrong one (a damaged file, or a font without a character map): check those "
                        "pages against the PDF, or run OCR on it (e.g. ocrmypdf --force-ocr)"}]


def unread_page_findings(pages: tuple[int, ...]) -> list[Node]:
    """Pages PDFium could not load, said by number: they stand empty in the edition."""
    if not pages:
        return []
    where = ", ".join(map(str, pages[:12])) + (f" … ({len(pages)} pages)" if len(pages) > 12 else "")
    return [{"kind": "unreadable-page",
             "message": f"page(s) {where} could not be read — the PDF is damaged there and the edition has nothing of them; "
                        "get a fresh copy of the PDF"}]


def empty_body_findings(doc: Node) -> list[Node]:
    """A document with no body text at all says so, and where the PDF's text went instead."""
    if _chars([n for n in doc.get("blocks", []) if n.get("type") != "front_matter"]) or doc["metadata"].get("cover_lines"):
        return []
    went: Counter[str] = Counter()
    for f in doc.get("furniture", []):
        went[f["kind"]] += len(f.get("text") or "")
    went["figures"] = sum(len(t) for n in iter_nodes(doc.get("blocks", [])) for t in n.get("figure_text", []))
    places = {"rotated-text": "set rotated on the page", "off-page-text": "placed outside the pages", "figures": "inside figures",
              "running-header": "in running headers", "running-footer": "in running footers", "page-number": "in page numbers"}
    parts = [f"{went[k]} characters {where}" for k, where in places.items() if went[k]]
    return [{"kind": "no-body",
             "message": "no text came out as the document's body" + (": " + "; ".join(parts) + " (kept under `furniture` and `figure_text`)"
                                                                    if parts else " — the PDF prints nothing but what is listed under `furniture`")}]


def _han(text: object) -> int:
    return len(HAN.findall(text)) if isinstance(text, str) else 0


def body_han(blocks: list[Node]) -> tuple[int, int]:
    """(Han characters in body text — paragraphs, items, headings, captions, sources, table cells,
    footnotes —, Han characters only inside figures)."""
    body = figure = 0
    for n in iter_nodes(blocks):
        for key in ("text", "heading", "caption", "source"):
            body += _han(n.get(key))
        for row in n.get("rows", []):
            body += sum(_han(c.get("text")) for c in row)
        for e in n.get("entries", []):
            body += _han(e.get("text"))
        figure += sum(_han(t) for t in n.get("figure_text", []))
        for item in n.get("notes", []) if isinstance(n.get("notes"), list) else []:
            body += _han(item.get("text") if isinstance(item, dict) else None)
    return body, figure


def body_share_findings(doc: Node, pdf_han: int | None) -> list[Node]:
    """Whether the body kept the PDF's text: at least 80 % of its Han characters must come out
    as body text rather than only as words inside a figure (a page-size rectangle under every
    page once made a whole report one figure)."""
    if not pdf_han:
        return []
    body, figure = body_han(doc["blocks"])
    cover = sum(_han(x) for x in doc["metadata"].get("cover_lines", []))
    furniture = sum(_han(f.get("text")) for f in doc.get("furniture", []))
    share = (body + cover) / pdf_han
    if share >= BODY_SHARE_MIN:
        return []
    return [{"kind": "body-in-figures",
             "message": f"only {share:.0%} of the PDF's {pdf_han} Han characters came out as body text — "
                        f"{figure} are words inside figures, {furniture} page furniture: the page layout may have been "
                        "read as a picture"}]


def _where(b: Block) -> str:
    first = b.first
    if first is not None and first.page is None and first.line is not None:
        return f"line {first.line}"
    return f"page {b.page}"


def merged_lines(b: Block) -> list[Node]:
    """Lines of a paragraph or item that open like a heading or a caption right after a finished
    sentence: the layout joined them to the text above; say so."""
    out: list[Node] = []
    if b.kind not in ("paragraph", "item") or len(b.lines) < 2:
        return out
    for prev, ln in zip(b.lines, b.lines[1:]):
        if not prev.text.rstrip().endswith(TERMINAL):
            continue
        if ln.full:
            continue  # a line of running text that wraps on: prose that opens with "表4.6呈现…"
        mk = parse_marker(ln.text)
        looks = parse_caption(ln.text) is not None or (mk is not None and mk.style in _STRONG)
        if looks:
            where = f"page {ln.page}" if ln.page is not None else f"line {ln.line}"
            out.append({"kind": "merged-line", "message": f"'{ln.text[:30]}' ({where}) opens like a heading or caption but was read as part of the paragraph above"})
    return out
