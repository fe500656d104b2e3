"""Printed lines → where a block of text goes on and where it ends: the evidence of the layout.

A PDF has no paragraphs, only printed lines. Whether the next line goes on with the block above
is read from what the page shows, never from the words:

* **the wrap was forced** — the line above stops where the next line's first word would not
  have fitted (a justified CJK line reaches the margin; a ragged Latin line stops one word
  short); a line that stops short of that ends its block;
* **the line gap** — against the document's own leading (a double-spaced report puts the
  same gap between paragraphs as between lines, so there the gap says nothing);
* **the left edge** — a continuation line starts where the block's continuation lines start:
  left of a first-line indent, under the text of a hanging indent ("一、 RFM 指標：…" wraps
  under "RFM"), or flush; a line indented past that starts a new paragraph;
* **sentence-final punctuation** — only where the wrap was forced and the edge does not tell
  (a sentence that ends exactly at the margin);
* **the type** — a change of size or of heading type (bold, larger) ends a block, unless the
  line above ran on to the margin unfinished.

The same test joins a paragraph across a page break, a figure or table placed inside it, and
from one column to the next: positions are measured from each line's own column, so a
different margin on the next page or column does not matter. Where the evidence is thin the
verdict carries a ``guess`` that the document's QA reports.
"""

from __future__ import annotations

import statistics

from dataclasses import dataclass, replace

from ..extract.charclass import BULLET_GLYPH, CJK, LATIN, LEADER_END, REF_LABEL, TERMINAL, is_latin_char
from ..extract.numbering import Marker, next_in_sequence, parse_marker
from .raw import RawLine, RawPage
from ..extract.settings import LayoutSettings

# a line wrapped inside a URL: no space was lost there
_URLISH = ("://", "www.", "@")


@dataclass(frozen=True)
class Measure:
    """The column a line is set in: where its lines start when flush, and where they end."""

    left: float
    right: float


@dataclass(frozen=True)
class Flow:
    """What the whole document says about how it sets paragraphs.

    body:    the body font size.
    leading: baseline to baseline between two lines of one paragraph, in ems of their size.
    indents: new paragraphs are marked by a first-line indent.
    spaced:  new paragraphs are marked by extra space above them.
    spaces_at_wraps: the PDF draws a space glyph where a line breaks between two words (Word
             does; LaTeX and many converters do not) — then a wrap with none breaks a word.
    hyphenates: the typesetter hyphenates words it breaks at a wrap (LaTeX does; a CJK
             typesetter breaks Latin words anywhere, with no hyphen).
    """

    body: float
    leading: float
    indents: bool
    spaced: bool
    spaces_at_wraps: bool = False
    hyphenates: bool = False  # it hyphenates words at wraps (LaTeX): an unhyphenated wrap is a word break


# what is known of a document before its pages have been read together (a table cell's lines)
FLOW_UNKNOWN = Flow(body=0.0, leading=0.0, indents=False, spaced=False)


@dataclass(frozen=True)
class Open:
    """The block being read, as far as its lines so far show its shape.

    Positions are offsets from the left edge of the column each line stands in (``*_dx``), so
    the block can be met again in the next column or on the next page.
    """

    first: RawLine
    last: RawLine
    last_measure: Measure
    first_dx: float
    hang_dx: float | None  # where the text after a leading marker or bullet starts
    cont_dx: float | None  # where its continuation lines start, once one is seen
    marker: Marker | None
    lines: int = 1
    page: int = 0  # the page its last line is on


@dataclass(frozen=True)
class Hang:
    """A run of entries set with a hanging indent and no marker (a list of references): each
    entry's first line at ``first_dx``, its continuation lines at ``cont_dx`` (column offsets)."""

    first_dx: float
    cont_dx: float


def hang_after(hang: Hang | None, closed: Open, settings: LayoutSettings) -> Hang | None:
    """The hanging-indent run once the block ``closed`` is over: begun or carried on by an entry
    of it (one that fit on one line at the entries' edge carries it on), over otherwise."""
    if closed.marker is not None or closed.hang_dx is not None:
        return None
    tol = settings.edge_tolerance_em * closed.first.size
    if closed.cont_dx is not None:
        return Hang(closed.first_dx, closed.cont_dx) if closed.cont_dx > closed.first_dx + tol else None
    return hang if hang is not None and abs(closed.first_dx - hang.first_dx) <= tol else None


@dataclass(frozen=True)
class Verdict:
    """Whether a line goes on with the block above, and why it is a guess, if it is one."""

    joins: bool
    guess: str = ""


def heading_typed(ln: RawLine, body: float, settings: LayoutSettings) -> bool:
    """Bold, or clearly larger than the body: the type a heading is set in."""
    return ln.bold or ln.size >= body + settings.heading_size_step


def set_as_heading(ln: RawLine, body: float, settings: LayoutSettings) -> bool:
    """In heading type from its first words, or numbered: a line that opens in body type and
    turns bold halfway (a phrase emphasised in a paragraph's first line) is no heading."""
    if not heading_typed(ln, body, settings):
        return False
    if ln.size >= body + settings.heading_size_step or not ln.runs or ln.runs[0][1]:
        return True
    return parse_marker(ln.text) is not None


def lead_width(ln: RawLine) -> float:
    """How wide the line's first word is: one character of CJK text, a whole Latin word.

    It is what the line above had to leave room for: if the room left at the end of the line
    above is narrower, the break there was forced by the width of the page.
    """
    xs = ln.xs
    if not xs or len(xs) != len(ln.text):
        return ln.size
    if CJK.match(ln.text[0]) or not is_latin_char(ln.text[0]):
        return (xs[1] - xs[0]) if len(xs) > 1 else ln.x1 - ln.x0
    for i, c in enumerate(ln.text):
        if c == " " or CJK.match(c):
            return xs[i] - xs[0]
    return ln.x1 - ln.x0


_CLOSING = frozenset(")]}.,;:!?'\"’”）」』】")


def first_unit_width(ln: RawLine) -> float:
    """How wide the line's first letter is, with the closing punctuation that may not start a
    line after it ("y)"): the least a typesetter that breaks words anywhere carries over."""
    xs, text = ln.xs, ln.text
    if not xs or len(xs) != len(text):
        return 0.5 * ln.size
    k = 1
    while k < len(text) and text[k] in _CLOSING:
        k += 1
    return (xs[k] - xs[0]) if k < len(xs) else ln.x1 - xs[0]


def text_dx(ln: RawLine, left: float) -> float | None:
    """Where the text after a leading numbering marker or bullet starts, from the column's left
    (the edge a hanging indent wraps to), or None for a line with neither."""
    if not ln.xs or len(ln.xs) != len(ln.text):
        return None
    m = parse_marker(ln.text)
    start = None
    if m is not None and m.title:
        start = len(ln.text) - len(m.title)
    else:
        b = BULLET_GLYPH.match(ln.text) or REF_LABEL.match(ln.text)
        if b is not None and b.end() < len(ln.text):
            start = b.end() + (len(ln.text[b.end():]) - len(ln.text[b.end():].lstrip()))
    if start is None or start >= len(ln.xs):
        return None
    return ln.xs[start] - left


def reaches(prev: RawLine, ln: RawLine, measure: Measure, settings: LayoutSettings) -> bool:
    """The break after ``prev`` was forced: the room left at its end is narrower than the next
    line's first word (and a word space), so the text could not have gone on there. A centred
    line had the room on both its sides."""
    room = measure.right - prev.x1
    left = prev.x0 - measure.left
    if left > prev.size and abs(left - room) < settings.edge_tolerance_em * prev.size * 2:
        room += left
    return room < lead_width(ln) + settings.wrap_room_em * ln.size


def open_block(ln: RawLine, measure: Measure, page: int) -> Open:
    """A block that starts with ``ln``."""
    return Open(ln, ln, measure, ln.x0 - measure.left, text_dx(ln, measure.left), None, parse_marker(ln.text), page=page)


def extend(blk: Open, ln: RawLine, measure: Measure, page: int) -> Open:
    """The block with ``ln`` read on to it."""
    cont = blk.cont_dx if blk.cont_dx is not None else ln.x0 - measure.left
    return replace(blk, last=ln, last_measure=measure, cont_dx=cont, lines=blk.lines + 1, page=page)


def centred_under(blk: Open, ln: RawLine, measure: Measure, settings: LayoutSettings) -> bool:
    """A centred line under a first line that fills the whole measure: the second line of a
    centred block (a long source line under a figure, a two-line title). It stands in from the
    left edge: a line from edge to edge is centred too, but says nothing (it is flush, and
    whether it goes on is the edges' question — a reference list's next entry fills its line)."""
    first = blk.first
    tol = settings.edge_tolerance_em * first.size
    width = measure.right - measure.left
    full = first.x0 - measure.left <= tol and first.x1 >= measure.right - settings.reach_em * first.size
    centre = (measure.left + measure.right) / 2
    inset = ln.x0 - measure.left > tol
    return full and inset and abs((ln.x0 + ln.x1) / 2 - centre) < settings.centre_tolerance * width


def first_line_indent(blk: Open, settings: LayoutSettings) -> bool:
    """The block's first line starts right of its continuation lines: a paragraph indent."""
    return blk.cont_dx is not None and blk.first_dx > blk.cont_dx + settings.edge_tolerance_em * blk.first.size


def hanging(blk: Open, settings: LayoutSettings) -> bool:
    """The block's continuation lines start right of its first line (under the text after its
    marker, or at a tab stop): a hanging indent, a list item."""
    tol = settings.edge_tolerance_em * blk.first.size
    return blk.cont_dx is not None and blk.cont_dx > blk.first_dx + tol


def cut_range(before: str, after: str) -> bool:
    """A number range the wrap cut: a line ending "39-" over one opening "46"."""
    return len(before) > 1 and before[-1] == "-" and before[-2].isdigit() and after[:1].isdigit()


def opens_item(text: str) -> bool:
    """The line opens with a numbering marker, a bullet or a reference label."""
    return parse_marker(text) is not None or bool(BULLET_GLYPH.match(text)) or bool(REF_LABEL.match(text))


def continues(blk: Open, ln: RawLine, measure: Measure, flow: Flow, settings: LayoutSettings,
              pitch: float | None, hang: Hang | None = None) -> Verdict:
    """Whether ``ln`` goes on with the block ``blk`` (see the module docstring).

    ``pitch`` is the distance from the baseline above to ``ln``'s, in points, or None where it
    says nothing: at the top of a page or column, or with a picture or table between the lines.
    ``hang``: the entries before ``blk`` were set with a hanging indent (:func:`hang_after`).
    """
    prev = blk.last
    size = ln.size
    tol = settings.edge_tolerance_em * size
    if LEADER_END.search(prev.text):
        return Verdict(False)  # a contents line: dot leaders run to its page number
    dx = ln.x0 - measure.left
    in_hang = hang is not None and blk.marker is None and blk.hang_dx is None and abs(blk.first_dx - hang.first_dx) <= tol
    if in_hang and blk.cont_dx is None and abs(dx - blk.first_dx) <= tol:
        # an entry's continuation lines are indented: a line back at the entries' edge opens
        # the next one, however full the line above (a reference that nearly fills its line)
        return Verdict(False)
    # a line at the entries' hang goes on with the entry, even where it looks numbered; and a
    # number range cut at the wrap ("40(03):39-" over "46.") is never a numbered item
    at_hang_run = in_hang and abs(dx - hang.cont_dx) <= tol
    numbered = opens_item(ln.text) and not cut_range(prev.text, ln.text)
    if blk.cont_dx is not None:
        at_edge = abs(dx - blk.cont_dx) <= tol
    else:
        # under the text after the marker, or anywhere between the marker and its text (a
        # hanging indent set by a tab stop, not by the marker's width)
        at_hang = blk.hang_dx is not None and blk.hang_dx > blk.first_dx + tol and blk.first_dx + tol < dx <= blk.hang_dx + tol
        under_indent = blk.first_dx - settings.max_first_indent_em * size <= dx < blk.first_dx - tol
        # a hanging indent with no marker to show it (the bullet drawn as a picture), under
        # a first line that ran on unfinished
        # (after a sentence end too, where the document parts its paragraphs by space and the
        # line follows at the paragraph's own pitch)
        hangs = ((not prev.text.endswith(TERMINAL) or (flow.spaced and pitch is not None)) and not numbered
                 and blk.first_dx + tol < dx <= blk.first_dx + settings.max_first_indent_em * size)
        at_edge = at_hang or under_indent or hangs or abs(dx - blk.first_dx) <= tol or at_hang_run
    centred = not prev.text.endswith(TERMINAL) and centred_under(blk, ln, measure, settings)
    forced = reaches(prev, ln, blk.last_measure, settings)
    ended = prev.text.endswith(TERMINAL)
    body = flow.body
    same_size = abs(prev.size - size) < settings.body_size_tolerance
    same_type = heading_typed(prev, body, settings) == heading_typed(ln, body, settings)
    guess = ""
    if not same_type and set_as_heading(blk.first, body, settings):
        return Verdict(False)  # a heading is never glued to the text below it
    if not (same_size and same_type):
        # a line set in another type goes on only where the line above ran on to the margin
        # unfinished and this one starts where the block's lines start (a URL set smaller)
        if not (forced and not ended and at_edge and parse_marker(ln.text) is None):
            return Verdict(False)
        if not same_size:
            guess = "joined across a change of type size"
    # the pitch is the paragraph's, set by its larger type (a URL set smaller keeps the spacing);
    # a title in display type may be set wider than the body's leading: its second line, centred
    # in the same type under a first line that filled the measure, goes on
    if pitch is not None and pitch > (flow.leading + settings.gap_margin_em) * max(size, prev.size, blk.first.size):
        title = (centred and same_size and blk.lines == 1 and body > 0 and size >= body + settings.heading_size_step
                 and pitch <= settings.title_pitch_em * size)
        if not title:
            return Verdict(False)
    if not forced:
        if pitch is not None and wrapped_heading(blk, ln, measure, flow, settings):  # never across a picture
            return Verdict(True)
        if stops_short_midsentence(blk, ln, measure, flow, settings, at_edge, ended):
            return Verdict(True, "joined a line that stops short of the margin mid-sentence")
        return Verdict(False)
    mk = parse_marker(ln.text)
    if numbered and not at_hang_run:
        item = blk.marker is not None or blk.hang_dx is not None
        if ended or (item and abs(dx - blk.first_dx) <= tol) or (blk.marker is not None and mk is not None and next_in_sequence(blk.marker, mk)):
            return Verdict(False)  # the next item of a list set flush
    if not (at_edge or centred):
        return Verdict(False)  # indented past the block's edge (a new paragraph), or out of it
    if ended:
        # a sentence that ends at the margin: a new paragraph would show an indent or a gap
        if first_line_indent(blk, settings) or hanging(blk, settings) or flow.indents or flow.spaced:
            return Verdict(True, guess)
        return Verdict(False, "split after a sentence that ends at the margin")
    return Verdict(True, guess)


def stops_short_midsentence(blk: Open, ln: RawLine, measure: Measure, flow: Flow, settings: LayoutSettings,
                            at_edge: bool, ended: bool) -> bool:
    """A line that stops short of the margin without ending its sentence, in a document that
    marks its paragraphs with a first-line indent, followed by a line at the block's own edge —
    not indented, so no new paragraph: the text goes on (a line cut short by an object the
    text layer does not show). Most of the line is filled; label lines are not joined."""
    prev = blk.last
    if ended or not at_edge or not flow.indents or opens_item(ln.text):
        return False
    if blk.lines < 2 and not first_line_indent_of(blk, ln, settings):
        return False
    return prev.x1 - measure.left >= settings.short_line_share * (measure.right - measure.left)


def first_line_indent_of(blk: Open, ln: RawLine, settings: LayoutSettings) -> bool:
    """The block's first line is indented against ``ln`` (its would-be second line)."""
    return blk.first_dx > ln.x0 - blk.last_measure.left + settings.edge_tolerance_em * ln.size


def wrapped_heading(blk: Open, ln: RawLine, measure: Measure, flow: Flow, settings: LayoutSettings) -> bool:
    """A heading set over two lines: both in heading type, the second not numbered, at the
    heading's own edge or under its title (past "三、" / "（二）"), or both centred — and the
    first long enough that its last word may not have fitted."""
    first = blk.first
    if not (heading_typed(first, flow.body, settings) and heading_typed(ln, flow.body, settings)):
        return False
    if parse_marker(ln.text) is not None or blk.lines > 2 or len(blk.first.text) + len(ln.text) > settings.heading_max_chars * 2:
        return False
    width = measure.right - measure.left
    dx = ln.x0 - measure.left
    hangs = -2 < dx - blk.first_dx < settings.heading_wrap_em * ln.size
    if hangs and blk.last.x1 - measure.left >= 0.6 * width:
        return True
    centre = (measure.left + measure.right) / 2
    both_centred = all(abs((x.x0 + x.x1) / 2 - centre) < settings.centre_tolerance * width * 2
                       and x.x0 - measure.left > settings.centre_min_offset_em * x.size for x in (blk.last, ln))
    return both_centred and blk.marker is not None and blk.last.x1 - blk.last.x0 >= 0.4 * width


def wrap_space(prev: RawLine, ln: RawLine, flow: Flow, right: float | None = None) -> str:
    """What stood at a line wrap the PDF does not show: nothing, or one space.

    A space where the PDF drew one after the last word, between Latin-script text only (a break
    between Han characters joins with no space, and CJK–Latin spacing is what the line shows).
    Where no space glyph is drawn (LaTeX, Ghostscript, converters): a line that stops short of
    its right edge (``right``) by more than a letter broke at a word's end — a typesetter that
    breaks words anywhere fills the line —, and so does a wrap without a hyphen in a document
    that hyphenates the words it breaks. A break inside one long token (a URL) is no word
    break. A hyphen at the end is kept and the halves rejoined.
    """
    if not prev.text or not ln.text:
        return ""
    a, b = prev.text[-1], ln.text[0]
    if CJK.match(a) or CJK.match(b) or not (is_latin_char(a) and is_latin_char(b)):
        return ""
    if a in "-‐":
        return ""
    if prev.trailing_space:
        return " "
    if flow.spaces_at_wraps:
        return ""  # this PDF marks its word breaks at wraps, and marks none here
    token = prev.text.rsplit(" ", 1)[-1]
    if any(u in token for u in _URLISH):
        return ""
    if LATIN.match(a) and LATIN.match(b):
        if right is not None and right - prev.x1 > first_unit_width(ln) + 0.1 * ln.size:
            return " "  # the line stopped short of the room its next letter needed: a word wrap
        if flow.hyphenates and not CJK.search(prev.text):
            return " "
    return wrap_joiner(prev.text, ln.text)


_FUNCTION_WORDS = frozenset({"and", "of", "the", "for", "to", "in", "on", "at", "by", "or", "with", "from"})


def wrap_joiner(before: str, after: str) -> str:
    """The space at a wrap between two Latin words, told from the words alone — for text with no
    geometry (a text export) and for a PDF line whose layout says nothing.

    A justified CJK page breaks Latin words anywhere ("Resear|ch", "Co-o|peration", "HR|O"),
    and the space at a wrap between two words is not drawn. A word gap is taken only where it
    is unmistakable: a lower-case letter followed by a capital ("Hokudai|Business"), or a line
    that opens with a whole function word ("Discovery|and Medical", "Ministry|of"). A word
    ending at the wrap before another lower-case word ("be|ambitious") cannot be told from a
    split word and stays joined.
    """
    if before and after and before[-1] in "&,;:" and after[0].isascii() and after[0].isalpha():
        return " "  # "Research &|Business": English sets a space after these
    if not (before and after and before[-1].isascii() and before[-1].isalpha() and after[0].isascii() and after[0].isalpha()):
        return ""
    if before[-1].islower() and after[0].isupper():
        return " "
    first = _first_word(after)
    if first in _FUNCTION_WORDS and len(first) < len(after) and not after[len(first)].isalpha():
        return " "
    return ""


def _first_word(text: str) -> str:
    n = 0
    while n < len(text) and text[n].isascii() and text[n].isalpha():
        n += 1
    return text[:n]


# --- document facts ---------------------------------------------------------------------------


def pitch(a: RawLine, b: RawLine) -> float:
    """Baseline to baseline, in points."""
    return (b.baseline or b.bottom) - (a.baseline or a.bottom)


def leading_em(lines: list[RawLine], measure: Measure, settings: LayoutSettings) -> list[float]:
    """The line pitch (in ems) within paragraphs: below a line whose wrap was forced, above a
    line of the same size that starts at most a first-line indent away."""
    out = []
    for a, b in zip(lines, lines[1:]):
        if abs(a.size - b.size) >= settings.body_size_tolerance or a.in_image or b.in_image:
            continue
        step = pitch(a, b)
        if a.text.endswith(TERMINAL):
            continue  # a sentence that ends at the margin may end its block
        if b.size <= step < 3 * b.size and reaches(a, b, measure, settings) and abs(a.x0 - b.x0) < settings.max_first_indent_em * b.size:
            out.append(step / b.size)
    return out


def page_leading(flow: Flow, lines: list[RawLine], measure: Measure, settings: LayoutSettings) -> Flow:
    """The document's flow with the leading of this page where it sets its lines wider apart
    (an acknowledgement or an abstract set one-and-a-half spaced in a single-spaced thesis)."""
    gaps = leading_em(lines, measure, settings)
    if len(gaps) < settings.page_leading_min_lines:
        return flow
    here = statistics.median(gaps)
    return replace(flow, leading=here) if here > flow.leading else flow


def document_flow(pages: list[RawPage], body: float, left: float, right: float, settings: LayoutSettings) -> Flow:
    """How the document sets its paragraphs, read off its body lines: the leading within a
    paragraph; and, after a line that ends a sentence short of the margin (a paragraph's last
    line), whether the next line is indented against the line after it, and whether the gap
    above it is wider than the leading."""
    indented = flush = 0
    steps: list[float] = []
    measure = Measure(left, right)
    tol = settings.edge_tolerance_em * body
    inner: list[float] = []
    for p in pages:
        lines = [ln for ln in p.lines if abs(ln.size - body) < settings.body_size_tolerance and not ln.in_image]
        inner.extend(leading_em(lines, measure, settings))
        for a, b, c in zip(lines, lines[1:], lines[2:]):
            if not a.text.endswith(TERMINAL) or reaches(a, b, measure, settings) or not reaches(b, c, measure, settings):
                continue
            if not (body <= pitch(a, b) < 4 * body and body <= pitch(b, c) < 3 * body):
                continue
            steps.append(pitch(a, b) / body)
            if b.x0 > c.x0 + tol:
                indented += 1
            elif abs(b.x0 - c.x0) <= tol:
                flush += 1
    leading = statistics.median(inner) if inner else settings.default_pitch_em
    spaced = bool(steps) and statistics.median(steps) > leading + settings.gap_margin_em
    # of the lines that end in a Latin letter, how many carry a space glyph after it
    latin_ends = [ln.trailing_space for p in pages for ln in p.lines if ln.text and LATIN.match(ln.text[-1])]
    at_wraps = bool(latin_ends) and sum(latin_ends) >= settings.wrap_space_share * len(latin_ends)
    hyphenated = sum(1 for p in pages for a, b in zip(p.lines, p.lines[1:])
                     if len(a.text) > 1 and a.text[-1] == "-" and a.text[-2].islower() and b.text[:1].islower())
    return Flow(body, leading, indents=indented > flush, spaced=spaced, spaces_at_wraps=at_wraps,
                hyphenates=hyphenated >= settings.hyphenated_wraps_min)
