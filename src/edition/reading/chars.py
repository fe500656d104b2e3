"""Characters → printed lines, with the typography of each line.

Plain functions on the reader's :class:`~.pdfium.Char` values (``text``, ``fontname``,
``size``, ``x0`` …, ``stroked`` from the render mode and ``overprinted`` for a glyph drawn
twice). Nothing here knows about pages, margins or the document: that is :mod:`.layout`'s job.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from itertools import compress
from operator import attrgetter
from typing import NamedTuple

from ..extract.charclass import CJK, LATIN, LEADERS, is_latin_char
from ..extract.settings import DEFAULT, LayoutSettings
from .pdfium import FILL_STROKE_MODES, Char, _native
_SUBSET = re.compile(r"^[A-Z]{6}\+")
# Style words a font name carries after its family ("TimesNewRomanPS-BoldMT", "SimSun,Bold",
# "NotoSerifCJKjp-Regular-VKana"); the family is what comes before them.
_STYLE_SUFFIX = re.compile(r"[-,].*$")
_MT_SUFFIX = re.compile(r"(PSMT|PS|MT)$")
# Weight words in a font name that mean a bold cut.
_BOLD_NAME = re.compile(r"bold|heavy|black|semibold|demi", re.I)

Run = tuple[int, bool, str, float]  # (offset in the line's text, bold, font family, size)


@lru_cache(maxsize=None)
def font_family(fontname: str) -> str:
    """The family of a PDF font name: subset tag and style words removed.

    "BCDEEE+SimHei" → "SimHei", "NotoSansCJKjp-Bold-VKana" → "NotoSansCJKjp",
    "TimesNewRomanPS-BoldMT" and "TimesNewRomanPSMT" → "TimesNewRoman".
    """
    name = _SUBSET.sub("", fontname or "")
    return _MT_SUFFIX.sub("", _STYLE_SUFFIX.sub("", name)) or name


@lru_cache(maxsize=None)
def bold_face(fontname: str) -> bool:
    """The font's name says it is a bold cut."""
    return bool(_BOLD_NAME.search(fontname))


def is_bold(ch: Char) -> bool:
    """A char set in a bold face, made bold by drawing it twice (see :func:`dedupe_chars`), or
    drawn with fill and stroke (its render mode, see :class:`.pdfium.Char`)."""
    return bold_face(ch.fontname) or ch.overprinted or ch.stroked


_TYPE = attrgetter("fontname", "overprinted", "mode")


def count_bold(chars: list[Char]) -> int:
    """How many of the chars are bold (:func:`is_bold`): counted by their few kinds of type, the
    counting done in C (a line has one or two fonts, not one per char)."""
    return sum(n for (name, over, mode), n in Counter(map(_TYPE, chars)).items()
               if bold_face(name) or over or mode in FILL_STROKE_MODES)


def dedupe_chars(chars: list[Char], settings: LayoutSettings = DEFAULT) -> tuple[list[Char], int]:
    """:func:`dedupe_chars_py`, in C where the package was built with its C part (the same
    answer, a fifth of the time; tests/test_reader_native.py)."""
    if _native is not None:
        done = _native.dedupe_chars(chars, settings.duplicate_tolerance, settings.duplicate_layer_ratio)
        if done is not None:  # None: a char of another kind or at no finite place, judged in Python
            return done
    return dedupe_chars_py(chars, settings)


def dedupe_chars_py(chars: list[Char], settings: LayoutSettings = DEFAULT) -> tuple[list[Char], int]:
    """Drop chars drawn twice at (nearly) the same place; count them.

    Word processors fake a bold face the font lacks by drawing the text again on top of itself,
    often shifted by a fraction of a point, so "the same place" is within a tolerance, not equal
    rounded coordinates (72.4 and 72.6 round apart). A kept char that had a twin is flagged
    ``overprinted``: the line was set bold (see :func:`is_bold`) — unless most of the page is
    doubled, which is a duplicated text layer, not emphasis. PDFium drops a copy drawn
    as a text object of its own (the reader marks what it covered); this catches the copies
    drawn inside one object, or offset beyond PDFium's tolerance.
    """
    tol = settings.duplicate_tolerance
    cell = 2 * tol if tol > 0 else 1.0
    floor = math.floor
    # a grid of squares twice the tolerance wide: a twin lies in the char's own square or in the
    # neighbour on the side of the square the char is nearer to — four squares to look in; the
    # squares are kept per text, so a char whose text is new to the page looks nowhere
    kept: dict[str, dict[tuple[int, int], list[int]]] = {}  # text -> (x square, top square) -> indexes into out
    out: list[Char] = []
    for ch in chars:
        text, x0, top = ch.text, ch.x0, ch.top
        fx, fy = x0 / cell, top / cell
        cx, cy = floor(fx), floor(fy)
        squares = kept.get(text)
        if squares is None:
            kept[text] = {(cx, cy): [len(out)]}
            out.append(ch)
            continue
        nx = cx - 1 if fx - cx < 0.5 else cx + 1
        ny = cy - 1 if fy - cy < 0.5 else cy + 1
        twin = None
        for key in ((cx, cy), (nx, cy), (cx, ny), (nx, ny)):
            hits = squares.get(key)
            if hits:
                for i in hits:
                    other = out[i]
                    if abs(other.x0 - x0) <= tol and abs(other.top - top) <= tol:
                        twin = i
                        break
                if twin is not None:
                    break
        if twin is not None:
            if text.strip():
                out[twin] = out[twin]._replace(overprinted=True)
            continue
        squares.setdefault((cx, cy), []).append(len(out))
        out.append(ch)
    dups = len(chars) - len(out)
    if dups > settings.duplicate_layer_ratio * len(out):
        out = [ch._replace(overprinted=False) if ch.overprinted else ch for ch in out]
    return out, dups


def visible_chars(chars: list[Char]) -> list[Char]:
    """The chars that print something (not spaces), picked out in C."""
    return list(compress(chars, map(str.strip, map(_TEXT, chars))))


def chars_to_lines(chars: list[Char], settings: LayoutSettings = DEFAULT) -> list[list[Char]]:
    """Cluster chars into lines by vertical overlap, then order each line left to right.

    Overlap rather than equal ``top`` keeps a raised footnote mark (smaller size, higher top)
    on the line it belongs to. The clustering runs in C where the package has its C part
    (:func:`chars_to_lines_py` is the reference; tests/test_reader_native.py).
    """
    if _native is not None:
        lines = _native.group_lines(sorted(chars, key=_TOP_X0), settings.line_overlap)
        if lines is not None:  # None: chars of another kind, which the Python function reads
            return [sorted(ln, key=_X0) for ln in lines]
    return chars_to_lines_py(chars, settings)


def chars_to_lines_py(chars: list[Char], settings: LayoutSettings = DEFAULT) -> list[list[Char]]:
    """:func:`chars_to_lines` in Python."""
    ratio = settings.line_overlap
    lines: list[list[Char]] = []
    tops: list[float] = []  # per line: its top and (growing) bottom
    bottoms: list[float] = []
    for ch in sorted(chars, key=_TOP_X0):
        top, bottom = ch.top, ch.bottom
        h = bottom - top
        if h < 0.1:
            h = 0.1
        n = len(lines)
        i, stop = n - 1, (n - 4 if n > 3 else -1)
        while i > stop:  # the last three lines: a char belongs to one of them or starts a new one
            lt, lb = tops[i], bottoms[i]
            overlap = (bottom if bottom < lb else lb) - (top if top > lt else lt)
            lh = lb - lt
            if overlap >= ratio * (h if h < lh else lh):
                lines[i].append(ch)
                if bottom > lb:
                    bottoms[i] = bottom
                break
            i -= 1
        else:
            lines.append([ch])
            tops.append(top)
            bottoms.append(bottom)
    return [sorted(ln, key=_X0) for ln in lines]


_TEXT = attrgetter("text")
_TOP_X0 = attrgetter("top", "x0")
_X0 = attrgetter("x0")
_TOP = attrgetter("top")
_BOTTOM = attrgetter("bottom")


def split_side_by_side(line: list[Char], size: float, settings: LayoutSettings = DEFAULT) -> list[list[Char]]:
    """One printed line → the pieces set side by side in it, cut where the gap is a column gap.

    Two captions under two pictures share a baseline ("圖1、年齡分布     圖2、地區分布"); so do the
    lines of two text columns. Justified CJK text never leaves a gap of three ems.
    """
    gap = settings.side_by_side_gap_em * size
    caption_gap = settings.caption_gap_em * size
    pieces: list[list[Char]] = [[]]
    prev: Char | None = None
    for ch in line:
        if not ch.text.strip():
            pieces[-1].append(ch)
            continue
        # a tab before the dot leaders of a contents line is no column gap; a narrower gap
        # before another caption label is one ("圖26：HTTP連接   圖27：字跡圈選")
        if prev is not None and ch.text not in LEADERS:
            space = ch.x0 - prev.x1
            if space > gap or (space > caption_gap and _opens_caption(line, ch)):
                pieces.append([])
        pieces[-1].append(ch)
        prev = ch
    return [p for p in pieces if any(c.text.strip() for c in p)]


def column_gutter_x(lines: list[list[Char]], width: float) -> tuple[float, float, float] | None:
    """The white strip between two text columns on a page — (x, top, bottom): where it is and
    the stretch of the page the columns fill — or None.

    Measured on the printed lines before they are cut. Each line is reduced to the stretches its
    glyphs cover (gaps under half an em closed): justified CJK columns leave no gap inside a
    line wider than a fraction of an em, so a strip near the middle of the page where many
    lines have a gap is a gutter — if, between the first and the last of those lines, (almost)
    no line crosses it. Lines above and below the columns (a paper's title and abstract, a
    table across the page, the page number) may cross it freely.
    """
    rows: list[tuple[float, list[tuple[float, float]]]] = []  # (top, covered stretches)
    for ln in lines:
        chars = visible_chars(ln)
        if len(chars) < 4:
            continue
        spans: list[tuple[float, float]] = []
        start, end = chars[0].x0, chars[0].x1  # the stretch being closed up
        for c in chars[1:]:
            if c.x0 - end < 0.5 * c.size:
                if c.x1 > end:
                    end = c.x1
            else:
                spans.append((start, end))
                start, end = c.x0, c.x1
        spans.append((start, end))
        rows.append((min(map(_TOP, chars)), spans))
    if len(rows) < 6:
        return None
    lo_x, hi_x = int(width * 0.35), int(width * 0.65)
    # where each line leaves a gap: between two of its stretches, a point clear of both (the
    # only places a line can be gapped); counted per x, the full test runs only where four
    # lines or more are gapped at once — on a one-column page, nowhere
    count = [0] * (hi_x - lo_x + 2)
    for _, spans in rows:
        first, last = spans[0][0], spans[-1][1]
        for (_, b), (a, _) in zip(spans, spans[1:]):
            start = max(lo_x, math.floor(max(b + 1, first + 2)) + 1)
            end = min(hi_x, math.ceil(min(a - 1, last - 2)) - 1)
            if start <= end:
                count[start - lo_x] += 1
                count[end - lo_x + 1] -= 1
    candidates = []
    running = 0
    for k in range(hi_x - lo_x + 1):
        running += count[k]
        if running >= 4:
            candidates.append(lo_x + k)
    best: tuple[int, float, float, float, float] | None = None  # (crossings, distance to centre, x, top, bottom)
    for x in candidates:
        gapped = [top for top, spans in rows
                  if spans[0][0] < x - 2 and spans[-1][1] > x + 2 and not any(a - 1 <= x <= b + 1 for a, b in spans)]
        if len(gapped) < 4:
            continue
        lo, hi = min(gapped), max(gapped)
        cross = sum(1 for top, spans in rows if lo <= top <= hi and any(a - 1 <= x <= b + 1 for a, b in spans))
        if cross > 0.15 * len(gapped):
            continue
        key = (cross, abs(x - width / 2), float(x), lo, hi)
        if best is None or key < best:
            best = key
    return None if best is None else (best[2], best[3], best[4])


def split_at(line: list[Char], x: float) -> list[list[Char]]:
    """A printed line cut at ``x`` (a column gutter): the parts left and right of it — or the
    line whole where its text runs across the gutter (a title or an abstract over both
    columns): the white around ``x`` must be at least half an em wide."""
    left = [c for c in line if (c.x0 + c.x1) / 2 < x]
    right = [c for c in line if (c.x0 + c.x1) / 2 >= x]
    lv = visible_chars(left)
    rv = visible_chars(right)
    if lv and rv:
        size = max(c.size for c in lv + rv)
        if min(c.x0 for c in rv) - max(c.x1 for c in lv) < 0.5 * size:
            return [line]
    return [p for p in (left, right) if any(c.text.strip() for c in p)]


def _opens_caption(line: list[Char], ch: Char) -> bool:
    from ..extract.captions import parse_caption

    rest = "".join(c.text for c in line[line.index(ch) : line.index(ch) + 12])
    return parse_caption(rest) is not None


def tracking(chars: list[Char]) -> float:
    """The letter spacing a line is set with: the median gap between neighbouring glyphs.

    Most lines have none (glyphs abut, word spaces are space glyphs). A line set with extra
    character spacing (PDF ``Tc``; typesetters use it to justify CJK text or to space a title
    out) has the same gap after every glyph, Latin ones included; only a gap wider than that is
    a word break.
    """
    gaps = []
    before = None  # the glyph before, if it is a visible one
    for c in chars:
        if c.text.strip():
            if before is not None:
                gap = c.x0 - before.x1
                gaps.append(gap if gap > 0.0 else 0.0)
            before = c
        else:
            before = None
    gaps.sort()
    return gaps[len(gaps) // 2] if gaps else 0.0


class LineText(NamedTuple):
    """What one printed line reads as.

    text:  the characters, word spaces restored, stripped.
    marks: (offset, mark) of footnote reference marks taken out of the text.
    runs:  (offset, bold, family, size) wherever the type changes along the line.
    xs:    the x0 of every character of ``text`` (a restored space: where its gap begins), so
           later stages can find where a hanging indent's text starts or how wide a word is.
    """

    text: str
    marks: tuple[tuple[int, str], ...]
    runs: tuple[Run, ...]
    xs: tuple[float, ...]


def word_break(prev: str, cur: str, gap: float, word_gap: float) -> bool:
    """Whether a visible gap between two glyphs of a line is a word space the PDF did not draw.

    Only in Latin script — a letter or digit on one side, a letter, digit or Latin punctuation
    on the other ("E. Stiglitz", "import *", "Frequency, Monetary"); CJK text is never spaced,
    since justified CJK lines have wide gaps that are not word breaks.
    """
    if gap <= word_gap:
        return False
    return (bool(LATIN.match(prev)) and is_latin_char(cur)) or (is_latin_char(prev) and bool(LATIN.match(cur)))


def line_text(chars: list[Char], size: float, settings: LayoutSettings = DEFAULT) -> LineText:
    """:func:`line_text_py`, its loop run in C where the package has its C part (the same
    answer; tests/test_reader_native.py)."""
    if _native is not None:
        done = _native.line_text(chars, size, settings.word_gap_em, settings.side_by_side_gap_em,
                                 settings.footnote_mark_ratio, word_break, _style)
        if done is not None:  # None: a line of another kind (empty, other types), read in Python
            return _stripped(*done)
    return line_text_py(chars, size, settings)


def line_text_py(chars: list[Char], size: float, settings: LayoutSettings = DEFAULT) -> LineText:
    """Chars of one line → its text, footnote marks, runs of type, and character positions.

    No space is inserted between CJK characters (justified CJK text has wide gaps that are not
    word breaks) unless the gap is a column wide (a title and its page number apart on a
    contents line); in Latin script a visible gap without a space glyph becomes one space
    (:func:`word_break`) — a gap measured beyond the line's own letter spacing
    (:func:`tracking`), so the digits of "2023" in a letter-spaced line stay together. LaTeX
    and Ghostscript draw no space glyphs at all: the gap is all there is.
    Digits set clearly smaller than the line are footnote reference marks, taken out of the text.
    A run starts wherever the type (bold, family, size) changes: a heading printed on the same
    line as the paragraph it opens ends where its type ends.
    """
    out: list[str] = []
    xs: list[float] = []
    marks: list[tuple[int, str]] = []
    runs: list[Run] = []
    length = 0
    prev: Char | None = None
    prev_mark = False  # the char before was a footnote mark
    word_gap = tracking(chars) + settings.word_gap_em * size
    # a gap a column wide: whatever the script, what stands either side of it is apart (a
    # contents line's title and its page number set at the margin with no leaders, a form's
    # label and value); justified CJK text never leaves one inside a line
    column_gap = settings.side_by_side_gap_em * size
    lowest = max(map(_BOTTOM, chars)) - 1
    small = settings.footnote_mark_ratio * size
    style = None  # the type of the run the line's text has reached
    before = ""  # the text of prev
    for ch in chars:
        t = ch.text
        size = ch.size
        if size < small and ch.bottom < lowest and t.isdigit():
            if marks and marks[-1][0] == length and prev is not None and prev_mark:
                marks[-1] = (marks[-1][0], marks[-1][1] + t)
            else:
                marks.append((length, t))
            prev, prev_mark, before = ch, True, t
            continue
        x0 = ch.x0
        if prev is not None and not prev_mark and t != " " and before != " " and before and t:
            gap = x0 - prev.x1
            if gap > word_gap and (gap > column_gap or word_break(before[-1], t[0], gap, word_gap)):
                out.append(" ")
                xs.append(prev.x1)
                length += 1
        if t.strip():
            now = _style(ch.fontname, ch.overprinted, ch.mode, size)
            if now != style:
                runs.append((length, *now))
                style = now
        out.append(t)
        if len(t) == 1:
            xs.append(x0)
            length += 1
        else:
            xs.extend([x0] * len(t))
            length += len(t)
        prev, prev_mark, before = ch, False, t
    return _stripped("".join(out), marks, runs, xs)


def _stripped(text: str, marks: list[tuple[int, str]], runs: list[Run], xs: list[float]) -> LineText:
    """A line's text, marks, runs and positions with the spaces at its ends taken off."""
    lead = len(text) - len(text.lstrip())
    stripped = text.strip()
    marks = [(max(0, o - lead), m) for o, m in marks]
    runs = [(max(0, o - lead), b, f, s) for o, b, f, s in runs]
    return LineText(stripped, tuple(marks), tuple(runs), tuple(xs[lead:lead + len(stripped)]))


@lru_cache(maxsize=4096)
def _style(fontname: str, overprinted: bool, mode: int, size: float) -> tuple[bool, str, float]:
    """(bold, family, size) of a char, as a run of type records it (see :func:`is_bold`)."""
    return (bold_face(fontname) or overprinted or mode in FILL_STROKE_MODES), font_family(fontname), round(size, 1)


def dominant_family(chars: list[Char]) -> str:
    """The font family most of a line's CJK characters are set in (all its chars if it has none).

    Latin words and digits in a Chinese line are usually set in a Latin face (Times New Roman);
    the face that says "heading" (黑體 against 宋體) is the one of the Chinese characters.
    """
    cjk = list(compress(chars, map(CJK.match, map(_TEXT, chars))))
    pool = cjk or visible_chars(chars)
    if not pool:
        return ""
    # counted by font name, then by family: a line has one or two fonts, not one per char
    names = Counter(c.fontname for c in pool)
    if len(names) == 1:
        return font_family(pool[0].fontname)
    families: Counter[str] = Counter()
    for name, n in names.items():  # in the order first met, so of families as common the first met wins
        families[font_family(name)] += n
    return families.most_common(1)[0][0]


# --- text in a font without a character map ---------------------------------------------------

# fonts whose names say Big5 (Taiwan) rather than GB (Mainland) when both decodings read as Han
# a char whose text starts in this range may be a byte of a CJK code (see _byte)
_HIGH_LATIN = re.compile("[\x80-\u2122]")
_BIG5_FONT = re.compile(r"ming|kai|big5|dfk|dfp|hei-?b5", re.I)


def _byte(ch: Char) -> int | None:
    """The single byte a Latin-1 / Windows-1252 character stands for, if it is a high one."""
    t = ch.text
    if len(t) != 1 or t < "\x80" or t > "\u2122":
        return None  # not one character, ASCII, or beyond Windows-1252 (™ is its last): no encoding tried
    try:
        b = ch.text.encode("cp1252")
    except UnicodeEncodeError:
        return None
    return b[0] if len(b) == 1 and b[0] >= 0x81 else None


def _han_text(text: str) -> bool:
    return bool(text) and all(CJK.match(c) or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef" for c in text)


def decode_legacy_cjk(chars: list[Char]) -> list[Char]:
    """Chinese set in a font that maps its glyphs to no Unicode: each GBK or Big5 code read one
    byte at a time comes out as two Latin-1 letters ("ÖÐÎÄ" for 中文). A run of such letters in
    one font on one baseline that decodes, pair by pair, to Han text only (GBK, or Big5 where
    the font's name says so or only Big5 decodes) is that text again, each character spanning
    its two bytes' boxes. A run that decodes to nothing readable is left as it is (and counted
    as unreadable by the reader)."""
    if not _HIGH_LATIN.search("".join(map(_TEXT, chars))):
        return chars  # no Latin-1 or Windows-1252 letter on the page: nothing to decode
    out: list[Char] = []
    i, n = 0, len(chars)
    while i < n:
        first = chars[i]
        j = i
        while j < n and chars[j].fontname == first.fontname and abs(chars[j].baseline - first.baseline) < 0.5 and _byte(chars[j]) is not None:
            j += 1
        run = chars[i:j]
        # mojibake is mostly accented letters ("ÖÐÎÄ"); a row of "…" or "“”" is punctuation
        letters = sum(1 for c in run if "\u00c0" <= c.text <= "\u00ff")
        if len(run) >= 4 and len(run) % 2 == 0 and letters * 2 >= len(run) and len({c.text for c in run}) > 1:
            data = bytes(_byte(c) for c in run)  # type: ignore[misc]
            tried = []
            for codec in ("cp950", "gbk") if _BIG5_FONT.search(first.fontname) else ("gbk", "cp950"):
                try:
                    text = data.decode(codec)
                except UnicodeDecodeError:
                    continue
                if len(text) * 2 == len(data) and _han_text(text):
                    tried.append(text)
                    break
            if tried:
                for k, c in enumerate(tried[0]):
                    a, b = run[2 * k], run[2 * k + 1]
                    out.append(a._replace(text=c, x1=b.x1, top=min(a.top, b.top), bottom=max(a.bottom, b.bottom)))
                i = j
                continue
        if j == i:
            out.append(first)
            i += 1
        else:
            out.extend(run)
            i = j
    return out
