"""What each block is: an ordered list of small rules, the first that recognises a block wins.

As markdown-it's block rules: every rule has the same signature — the blocks, the index of the
one to classify, the document's :class:`Context` — and returns the classified block(s) or None
to pass. Adding a case is adding a rule to :data:`BLOCK_RULES`, not editing a chain of ifs.

    continued_text        the rest of a paragraph cut by a page break or a figure (layout says so)
    front_matter_title    摘要 / 目錄 / 圖目錄 / 表次 / Abstract … on a line of its own
    contents_entry        a line with dot leaders and a page number ("緒論 ....3"): never a heading
    caption               圖/表/Figure/Table + number, short, next to a picture or a table,
                          centred, or in heading type — never by type alone
    table_title           a centred line with no label right above a table: its caption
    source_line           資料來源 / 数据来源 / Source: …
    small_print           lines set small (words in a figure, table notes)
    subfigure_label       (a) (b) right under pictures: sub-figure labels, not headings
    numbered_line         a numbering marker → heading, list item or numbered paragraph, by type,
                          by standing alone, and by the continuity of its sequence
    unnumbered_heading    a short line alone in heading type (bold, larger, another face)
    bulleted_item         a bullet ("- ", □, ●) or a hanging indent
    paragraph             everything else
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Callable

from .blocks import LEADER_LINE, Block, label_like
from .captions import parse_caption
from .charclass import BULLET_GLYPH, CJK
from .numbering import Marker, next_in_sequence, parse_marker
from .settings import DEFAULT, LayoutSettings

FRONT_TITLES = {
    "摘要": "abstract", "中文摘要": "abstract", "英文摘要": "abstract", "提要": "abstract", "abstract": "abstract",
    "目錄": "contents", "目录": "contents", "目次": "contents", "contents": "contents", "tableofcontents": "contents",
    "圖次": "figures", "图次": "figures", "圖目錄": "figures", "图目录": "figures", "圖目次": "figures",
    "附圖目錄": "figures", "插图目录": "figures", "listoffigures": "figures",
    "照片目錄": "figures", "照片目次": "figures", "相片目錄": "figures", "圖片目錄": "figures", "图片目录": "figures",
    "表次": "tables", "表目錄": "tables", "表目录": "tables", "表目次": "tables", "附表目錄": "tables",
    "listoftables": "tables",
    "誌謝": "acknowledgements", "謝誌": "acknowledgements", "致謝": "acknowledgements", "致谢": "acknowledgements",
    "謝辭": "acknowledgements", "谢辞": "acknowledgements", "acknowledgements": "acknowledgements",
    "序": "preface", "序言": "preface", "自序": "preface", "編者序": "preface", "preface": "preface",
    "版權聲明": "declaration", "版权声明": "declaration", "原創性聲明": "declaration", "原创性声明": "declaration",
    "學位論文原創性聲明": "declaration", "学位论文原创性声明": "declaration",
}
# A thesis's declaration page under its university's own title: "北京大学学位论文原创性声明和
# 使用授权说明", "國立臺灣大學學位論文授權書" — a name (letters only: no numbering marker, no
# clause) before one of the declaration phrases, and at most a short "和/及 …" after it.
_DECLARATION = re.compile(r"[\u4e00-\u9fffa-z]{0,30}?(原[創创]性[聲声]明|版[權权][聲声]明|著作[權权][聲声]明|授[權权](書|书|[說说]明))"
                          r"([和及與与][\u4e00-\u9fff]{1,12})?")
LIST_KINDS = ("contents", "figures", "tables")
_SOURCE = re.compile(r"^[（(]?\s*(資料來源|資料来源|资料来源|數據來源|数据来源|数据來源|來源|来源|出處|出处|Sources?)\s*[:：]")
# A line that opens with a bullet glyph is a list item even where the text export lost its "- "
# and the PDF gives no hanging indent to go by.
_BULLET_GLYPH = BULLET_GLYPH
_SENTENCE_PUNCT = re.compile(r"[。；！？]")
# A paper's or thesis's keywords line ("Key words: a, b, c", "關鍵詞：甲、乙", "关键词："): set in
# bold or in the abstract's heading type, but a field of the abstract, never a heading.
_KEYWORDS_LINE = re.compile(r"^\s*(key\s*-?\s*words?|index\s+terms|關\s*鍵\s*[字詞词]|关\s*键\s*[字词]|索\s*引\s*[詞词])\s*[:：—]", re.I)
# A heading's title has words: letters or Han characters (a line of figures has none).
_WORDS = re.compile(r"[A-Za-z\u3400-\u9fff]")
# Styles a text export (no typography) numbers its headings with; a line numbered otherwise
# ("a.", "1.", "1.1") is a heading there only when it is short and reads like a title.
_CLASSIC = ("chapter", "formal", "cn", "paren-cn", "paren-arabic")


@dataclass(frozen=True)
class BodyStyle:
    """The type most of the text is set in."""

    size: float
    font: str
    bold: bool


@dataclass
class Context:
    """What the rules know about the document, and the state they carry down it."""

    settings: LayoutSettings = DEFAULT
    has_typography: bool = False
    body: BodyStyle | None = None
    # numbering style key → (kind it was given, its marker, position, evidence) at its latest occurrence
    last: dict[str, tuple] = field(default_factory=dict)
    open: list[str] = field(default_factory=list)  # heading styles open, outermost first
    in_front: str | None = None  # the front-matter list the blocks are in, if any
    seq: int = 0


Rule = Callable[[list[Block], int, Context], "list[Block] | None"]


# --- document facts -------------------------------------------------------------------------


def body_style(blocks: list[Block]) -> BodyStyle | None:
    """The (size, face, weight) most characters are set in; None for a text export."""
    count: Counter[tuple[float, str, bool]] = Counter()
    for b in blocks:
        for ln in b.lines if b.kind == "text" else ():
            if ln.size is not None:
                count[(ln.size, ln.font, ln.bold)] += len(ln.text)
    if not count:
        return None
    (size, font, bold), _ = count.most_common(1)[0]
    return BodyStyle(size, font, bold)


def heading_type(b: Block, ctx: Context) -> bool:
    """Set in heading type: bold where the body is not, clearly larger, or in another face.

    Many reports have no bold for headings — the CJK font has no bold face, or the house style
    marks the levels by size alone (第一节 in 三号, 一、 in 四号 over 五号 body), or by face
    (黑體 headings over 宋體 text) — so each counts as much as bold does. Bold here includes
    synthetic bold: text drawn twice, or drawn with fill and stroke (see :class:`edition.reading.pdfium.Char`).
    """
    body = ctx.body
    if body is None:
        return False
    if b.bold and not body.bold:
        return True
    if b.size is not None and b.size >= body.size + ctx.settings.heading_size_step:
        return True
    return bool(b.font and body.font and b.font != body.font and CJK.search(b.text))


def larger_than_body(b: Block, ctx: Context) -> bool:
    return ctx.body is not None and b.size is not None and b.size >= ctx.body.size + ctx.settings.heading_size_step


def _next_text_index(blocks: list[Block], i: int) -> int | None:
    """Index of the next block of running text after ``i`` (page breaks, pictures, tables passed)."""
    for k in range(i + 1, len(blocks)):
        if blocks[k].kind not in ("pagebreak", "image", "table", "footnote"):
            return k
    return None


def _next_text(blocks: list[Block], i: int) -> Block | None:
    k = _next_text_index(blocks, i)
    return None if k is None else blocks[k]


def adjacent_visual(blocks: list[Block], i: int, ctx: Context) -> bool:
    """A picture or table stands right above or below block ``i`` (same page, close by).

    Passed over on the way: side-by-side captions, source lines and words printed in the
    picture. In a text export, "right above or below" is the neighbouring record.
    """
    b = blocks[i]
    box = b.bbox
    for step in (-1, 1):
        k = i + step
        while 0 <= k < len(blocks):
            n = blocks[k]
            if n.kind in ("image", "table"):
                if box is None or n.bbox is None:
                    return n.page == b.page
                if n.page != b.page:
                    break
                gap = (box[1] - n.bbox[3]) if step < 0 else (n.bbox[1] - box[3])
                if gap <= ctx.settings.caption_max_distance:
                    return True
                k += step  # a picture made of pieces: another piece may come closer
                continue
            small = n.kind == "text" and bool(n.lines) and all(ln.small for ln in n.lines)
            if n.kind in ("pagebreak", "figure-text") or small or (n.kind == "text" and _caption_or_source(n.text, n)):
                k += step
                continue
            break
    return False


def _caption_or_source(text: str, b: Block) -> bool:
    return bool(_SOURCE.match(text)) or (parse_caption(text) is not None and len(b.lines) <= 2)


def stands_alone(blocks: list[Block], i: int, ctx: Context, max_chars: int) -> bool:
    """A short line of its own, not a sentence: how a heading looks in the body face.

    One line that stops short of the right margin (a line that runs to the margin wraps on,
    perhaps over a page break), with no sentence punctuation and no comma in it.
    """
    b = blocks[i]
    text = b.text.strip()
    return (
        len(b.lines) <= 1
        and not (b.first is not None and b.first.full)
        and len(text) <= max_chars
        and not _SENTENCE_PUNCT.search(text)
        and not re.search(r"[，,、]$|，", text)
    )


# --- the rules --------------------------------------------------------------------------------


def continued_text(blocks: list[Block], i: int, ctx: Context) -> list[Block] | None:
    """The rest of a paragraph a page break, a column break or a picture cut off (the layout
    said so, see :mod:`.flow`): prose, whatever its first words look like ("6)。計算…")."""
    b = blocks[i]
    if b.first is None or not b.first.continued:
        return None
    return [replace(b, kind="paragraph", text=b.text.strip())]


def front_matter_title(blocks: list[Block], i: int, ctx: Context) -> list[Block] | None:
    """摘要, 目錄, 圖目錄, 表次, Abstract, 誌謝 … alone on a line (spaces inside are decoration)."""
    b = blocks[i]
    kind = front_matter_kind(b.text)
    if kind is None or len(b.lines) > 1:
        return None
    ctx.in_front = kind
    # set in heading type (bold, larger, another face): what ends it is as prominent as it
    return [replace(b, kind="front", text=b.text.strip(), evidence="type" if heading_type(b, ctx) else None)]


def front_matter_kind(text: str) -> str | None:
    """"摘 要" → "abstract", "目 錄" → "contents", "List of Figures" → "figures" …"""
    key = re.sub(r"[\s:：]+", "", text).lower()
    return FRONT_TITLES.get(key) or ("declaration" if _DECLARATION.fullmatch(key) else None)


def contents_entry(blocks: list[Block], i: int, ctx: Context) -> list[Block] | None:
    """A contents line — title, dot leaders, page number — is an entry, never a heading; in a
    figure or table list, a caption-looking line is an entry too."""
    b = blocks[i]
    text = b.text.strip()
    if LEADER_LINE.search(text) or (ctx.in_front in LIST_KINDS and re.search(r"\s\d{1,3}$", text) and len(b.lines) == 1):
        return [replace(b, kind="entry", text=text)]
    return None


def caption(blocks: list[Block], i: int, ctx: Context) -> list[Block] | None:
    """圖 3、… / 表 2.1 … / Figure 4. …: a short label next to a picture or a table.

    The label alone is not enough — "圖1顯示…" may open a paragraph — and the type is no
    evidence at all (many reports set captions in the body face): a caption is short and stands
    right above or below a picture or a table, or centred, or in heading type.
    """
    b = blocks[i]
    text = b.text.strip()
    cap = parse_caption(text)
    s = ctx.settings
    if cap is None or len(text) > s.caption_max_chars or len(b.lines) > s.caption_max_lines:
        return None
    if ctx.in_front == cap.kind + "s":
        return None  # a line of the list of figures (or tables) is an entry
    if ctx.has_typography:
        first = b.first
        placed = adjacent_visual(blocks, i, ctx) or (first is not None and first.centred) or heading_type(b, ctx)
        if not placed or (text.endswith("。") and not adjacent_visual(blocks, i, ctx)):
            return None
    elif text.endswith("。"):
        return None
    kind = "caption-" + cap.kind
    return [replace(b, kind=kind, text=text, cap=cap, number=cap.number)]


def table_title(blocks: list[Block], i: int, ctx: Context) -> list[Block] | None:
    """A short centred line right above a table grid, with no label: the table's own title
    ("合并利润表" over an income statement) — its caption, not a heading of the text."""
    b = blocks[i]
    text = b.text.strip()
    first = b.first
    if first is None or not first.centred or len(b.lines) > 1 or len(text) > ctx.settings.heading_max_chars:
        return None
    k = i + 1
    if k < len(blocks) and blocks[k].kind == "table" and blocks[k].page == b.page and b.bbox and blocks[k].bbox:
        if blocks[k].bbox[1] - b.bbox[3] <= ctx.settings.caption_max_distance and not _SENTENCE_PUNCT.search(text):
            return [replace(b, kind="caption-table", text=text)]
    return None


def source_line(blocks: list[Block], i: int, ctx: Context) -> list[Block] | None:
    """資料來源：… / 数据来源：… / Source: … — attached to its figure or table later."""
    b = blocks[i]
    return [replace(b, kind="source", text=b.text.strip())] if _SOURCE.match(b.text.strip()) else None


def small_print(blocks: list[Block], i: int, ctx: Context) -> list[Block] | None:
    """Lines set small, or inside a picture: words printed in a figure, notes under a table."""
    b = blocks[i]
    if b.lines and all(ln.small for ln in b.lines):
        return [replace(b, kind="figure-text", text=b.text.strip())]
    return None


def subfigure_label(blocks: list[Block], i: int, ctx: Context) -> list[Block] | None:
    """"(a) 原始影像    (b) 二值化影像" right under pictures: the labels of sub-figures, words of
    the figure — not a heading (a letter in brackets is a numbering style too)."""
    b = blocks[i]
    text = b.text.strip()
    marker = parse_marker(text)
    if marker is None or marker.style not in ("paren-letter", "letter") or len(b.lines) > 2:
        return None
    if len(text) > ctx.settings.caption_max_chars or not _right_under_picture(blocks, i, ctx):
        return None
    return [replace(b, kind="figure-text", text=text)]


def _right_under_picture(blocks: list[Block], i: int, ctx: Context) -> bool:
    """The nearest block above is a picture on the same page, within a caption's distance."""
    b = blocks[i]
    k = i - 1
    while k >= 0 and blocks[k].kind in ("figure-text", "pagebreak") and blocks[k].page == b.page:
        k -= 1
    if k < 0 or blocks[k].kind != "image" or blocks[k].page != b.page:
        return False
    above, box = blocks[k].bbox, b.bbox
    return above is None or box is None or 0 <= box[1] - above[3] <= ctx.settings.caption_max_distance


def numbered_line(blocks: list[Block], i: int, ctx: Context) -> list[Block] | None:
    """A line opening with a numbering marker: a heading, a list item or a numbered paragraph.

    A heading when set in heading type, or when it continues a sequence of headings ("3、"
    between the headings "2、" and "4、" even where the PDF set it in the body face), or when it
    stands alone — a short line followed by text, not by its next sibling. A list item when it
    continues a sequence of items or hangs like one. A heading glued to its first paragraph on
    one printed line ("(九) 參考文獻：參考文獻之寫法…") is split where its type, or its colon, ends.
    Numbered rows inside tables never get here: tables are separate records.
    """
    b = blocks[i]
    text = b.text.strip()
    marker = parse_marker(text)
    if marker is None:
        return None
    if marker.style in ("decimal", "arabic") and not _WORDS.search(text):
        return [replace(b, kind="paragraph", text=text)]  # "3.2", "12.5  13.1": figures, not headings
    first = b.first
    s = ctx.settings
    prev = ctx.last.get(marker.key)
    continues = prev is not None and next_in_sequence(prev[1], marker)
    follows_heading = continues and prev is not None and prev[0] == "heading"
    follows_item = continues and prev is not None and prev[0] == "item"
    follows_text = continues and prev is not None and prev[0] == "paragraph"
    out: list[Block] | None = None
    evidence = None
    if first is not None and first.bullet:
        kind = "item"
    elif ctx.has_typography:
        glued = split_glued_heading(b, marker, ctx)
        if glued is not None:
            kind, out = "heading", glued
        elif heading_type(b, ctx):
            kind, evidence = "heading", "type"
        elif follows_heading:
            # the next of a run of headings; where it runs on into prose ("(六)成果：2001年…。"),
            # the heading is its run-in title and the rest is a paragraph. It is as much a
            # heading as the run it continues ("type" where that run was set in heading type).
            kind, evidence = "heading", (prev[3] if prev is not None and len(prev) > 3 else "sequence")
            if is_prose(text):
                out = split_run_in(b, marker)
                kind = "heading" if out is not None else "paragraph"
            elif runs_on_after_colon(text, s.numbered_heading_max_chars):
                out = split_run_in(b, marker)  # a heading all the same, split or not
        elif follows_item or follows_text:
            kind = prev[0] if prev is not None else "paragraph"  # the next of a run of items or numbered paragraphs
        elif marker.title and stands_alone(blocks, i, ctx, s.numbered_heading_max_chars) and _opens_text(blocks, i, marker, ctx):
            kind, evidence = "heading", "alone"
        elif (first is not None and first.indent == "hang") or _next_is_sibling(blocks, i, marker):
            kind = "item"  # hanging like an item, or straight on to the next number: a list
        else:
            kind = "paragraph"
    elif follows_item:
        kind = "item"
    elif marker.style in _CLASSIC or (marker.style == "arabic" and marker.punct == "、"):
        kind, evidence = "heading", "sequence"
        if is_prose(text):
            out = split_run_in(b, marker)  # the run-in title of a numbered paragraph, as in a PDF
            kind = "heading" if out is not None else "paragraph"
        elif runs_on_after_colon(text, s.numbered_heading_max_chars):
            out = split_run_in(b, marker)
    elif stands_alone(blocks, i, ctx, s.numbered_heading_max_chars) and CJK.search(marker.title) and not re.search(r"[:：]", marker.title):
        kind, evidence = "heading", "alone"  # "1.1 研究背景" alone on its line; not "15 projects: As of March"
    else:
        kind = "paragraph"
    _remember(ctx, marker, kind, (out[0].evidence if out else evidence) or "")
    if out is not None:
        return out
    style = marker.key if kind == "heading" else None
    return [replace(b, kind=kind, text=text, marker=marker, style=style, evidence=evidence)]


def _remember(ctx: Context, marker: Marker, kind: str, evidence: str = "") -> None:
    """Record the latest occurrence of a numbering style. A heading closes the styles opened
    under its previous sibling (their next occurrence starts a new sequence) and opens its own."""
    ctx.seq += 1
    if kind == "heading":
        if marker.key in ctx.open:
            del ctx.open[ctx.open.index(marker.key) + 1 :]
        else:
            ctx.open.append(marker.key)
        for key in [k for k in ctx.last if k not in ctx.open]:
            del ctx.last[key]
    ctx.last[marker.key] = (kind, marker, ctx.seq, evidence)


def _opens_text(blocks: list[Block], i: int, marker: Marker, ctx: Context) -> bool:
    """What follows a stand-alone numbered line is text under it, not the next item of a list."""
    nxt = _next_text(blocks, i)
    if nxt is None or nxt.kind != "text":
        return False
    following = parse_marker(nxt.text)
    return following is None or not next_in_sequence(marker, following)


def runs_on_after_colon(text: str, max_chars: int) -> bool:
    """A numbered line longer than any title whose words after its colon run on in clauses
    ("(九) 參考文獻：參考文獻之寫法依…（例如：APA…），整本論文…" before a URL, no full stop):
    prose after a run-in title — not a title with a subtitle after its colon, which has no
    clause comma ("產業群聚示範計畫：日本技術先進首都圈地區(…)計畫")."""
    colon = re.search(r"[：:]", text)
    return colon is not None and len(text.strip()) > max_chars and "，" in text[colon.end():]


def is_prose(text: str) -> bool:
    """Sentences, not a title: a full stop or semicolon with more text after it."""
    return bool(re.search(r"[。；][^。；]", text.strip()))


def _split_at(b: Block, marker: Marker, cut: int, why: str) -> list[Block] | None:
    text = b.text
    head_text, body_text = text[:cut].strip(), text[cut:].strip()
    if cut <= len(marker.marker) or not body_text:
        return None
    head = replace(b, kind="heading", text=head_text, marker=parse_marker(head_text) or marker, style=marker.key,
                   marks=[(o, m) for o, m in b.marks if o <= cut], note=why, evidence="split")
    body = replace(b, kind="paragraph", text=body_text, marker=None,
                   marks=[(o - cut, m) for o, m in b.marks if o > cut], note=None)
    return [head, body]


def _next_is_sibling(blocks: list[Block], i: int, marker: Marker) -> bool:
    nxt = _next_text(blocks, i)
    following = parse_marker(nxt.text) if nxt is not None and nxt.kind == "text" else None
    return following is not None and next_in_sequence(marker, following)


def split_glued_heading(b: Block, marker: Marker, ctx: Context) -> list[Block] | None:
    """A numbered heading printed on the same line as its first paragraph → heading, paragraph.

    The heading ends where the line's type changes from heading type to the body's, as the
    reader recorded it (runs); None where the line has no such change.
    """
    first = b.first
    if first is None or ctx.body is None or len(first.runs) < 2:
        return None
    start = len(marker.marker) + 1
    heads = [r for r in first.runs if r[0] <= start]
    tail = next((r for r in first.runs if r[0] > start and not _run_heading(r, ctx)), None)
    if not heads or tail is None or not all(_run_heading(r, ctx) for r in first.runs if r[0] < tail[0]):
        return None
    if tail[0] > ctx.settings.numbered_heading_max_chars:
        return None
    return _split_at(b, marker, tail[0], "heading split from its paragraph")


def split_run_in(b: Block, marker: Marker) -> list[Block] | None:
    """A run-in heading, "(六)成果：2001年…": the title up to its colon, then the paragraph."""
    m = re.match(r"^(.{2,40}?[：:])(?=\S)", b.text)
    if not m:
        return None
    title = m.group(1)[len(marker.marker):].strip(" ：:")
    if not 1 <= len(title) <= 20 or _SENTENCE_PUNCT.search(title) or "，" in title:
        return None
    return _split_at(b, marker, m.end(), "heading split from its paragraph")


def _run_heading(run: tuple[int, bool, str, float], ctx: Context) -> bool:
    _, bold, family, size = run
    body = ctx.body
    if body is None:
        return False
    return (bold and not body.bold) or size >= body.size + ctx.settings.heading_size_step


def unnumbered_heading(blocks: list[Block], i: int, ctx: Context) -> list[Block] | None:
    """A short line alone in heading type: a heading known only by its type.

    Bold, a larger size or another face (黑體 over 宋體) on one short line that is not a
    sentence. A line in the body's size that ends with a colon introduces what follows
    ("字跡美醜相關文獻：") and stays text; set larger, it is a heading all the same.
    """
    b = blocks[i]
    text = b.text.strip()
    s = ctx.settings
    if not ctx.has_typography or not heading_type(b, ctx):
        return None
    if len(b.lines) > 2 or len(text) > s.heading_max_chars or _SENTENCE_PUNCT.search(text) or _KEYWORDS_LINE.match(text):
        return None
    if len(b.lines) == 2 and not all(ln.bold == b.lines[0].bold for ln in b.lines):
        return None
    if text.endswith(("：", ":")) and not larger_than_body(b, ctx):
        return None
    if re.search(r"[，,、]$|，", text) or _BULLET_GLYPH.match(text) or (b.first is not None and b.first.full):
        return None  # a comma, or a line that runs to the margin: a line of prose set in bold
    if len(CJK.findall(text)) < 2 and not re.search(r"[A-Za-z]{3}", text):
        return None  # a lone character of vertical text, a number or a symbol in large type
    if not _followed_by_content(blocks, i, ctx):
        return None
    return [replace(b, kind="heading", text=text, style=typographic_style(b), evidence="type")]


def _followed_by_content(blocks: list[Block], i: int, ctx: Context) -> bool:
    """What follows a heading known by its type: body text, a numbered line, a picture or a
    table — not more display type (a title page, a sample form) and not the end."""
    k = _next_text_index(blocks, i)
    if k is None:
        return any(x.kind in ("image", "table") for x in blocks[i + 1 : i + 3])
    nxt = blocks[k]
    if any(x.kind in ("image", "table") for x in blocks[i + 1 : k]):
        return True
    if nxt.kind != "text" or parse_marker(nxt.text) is not None or parse_caption(nxt.text) is not None:
        return nxt.kind in ("text", "caption-figure", "caption-table", "heading", "paragraph", "item")
    body = ctx.body
    return body is not None and nxt.size is not None and abs(nxt.size - body.size) < ctx.settings.body_size_tolerance


def typographic_style(b: Block) -> str:
    """The style key of an unnumbered heading: its type (size to the half point, face, weight)."""
    size = round((b.size or 0) * 2) / 2
    return f"plain:{size:g}:{b.font}:{int(b.bold)}"


def bulleted_item(blocks: list[Block], i: int, ctx: Context) -> list[Block] | None:
    """A bullet ("- " in the export, □ ● ◎ glyphs) or a hanging indent: a list item."""
    b = blocks[i]
    first = b.first
    text = b.text.strip()
    if (first is not None and (first.bullet or first.indent == "hang")) or _BULLET_GLYPH.match(text):
        return [replace(b, kind="item", text=text)]
    return None


def paragraph(blocks: list[Block], i: int, ctx: Context) -> list[Block] | None:
    b = blocks[i]
    return [replace(b, kind="paragraph", text=b.text.strip())]


BLOCK_RULES: tuple[Rule, ...] = (
    continued_text,
    front_matter_title,
    contents_entry,
    caption,
    table_title,
    source_line,
    small_print,
    subfigure_label,
    numbered_line,
    unnumbered_heading,
    bulleted_item,
    paragraph,
)


def classify_blocks(blocks: list[Block], settings: LayoutSettings = DEFAULT, rules: tuple[Rule, ...] = BLOCK_RULES) -> list[Block]:
    """Give every text block its kind by the first rule that recognises it."""
    ctx = Context(
        settings=settings,
        has_typography=any(b.size is not None for b in blocks if b.kind == "text"),
        body=body_style(blocks),
    )
    out: list[Block] = []
    work = list(blocks)
    for i, b in enumerate(work):
        if b.kind != "text":
            out.append(b)
            continue
        if ctx.in_front in LIST_KINDS and not contents_entry(work, i, ctx) and not front_matter_title(work, i, Context()):
            ctx.in_front = None  # a list ends with its last entry
        for rule in rules:
            result = rule(work, i, ctx)
            if result is not None:
                out.extend(result)
                break
        if out and out[-1].kind == "heading" and out[-1].style and out[-1].style.startswith("chapter"):
            ctx.in_front = None
    return mark_figure_text(one_line_entries(out), ctx.has_typography)


def _hang_item(b: Block | None) -> bool:
    return b is not None and b.kind == "item" and b.first is not None and b.first.indent == "hang" and b.first.bbox is not None


def one_line_entries(blocks: list[Block]) -> list[Block]:
    """A one-line paragraph between two items of a hanging-indent list (a reference list, whose
    entries carry no marker), starting where their first lines start, is an entry of the list
    too: only its wrap would have shown the hang, and a short entry has none."""
    out = list(blocks)
    text = [i for i, b in enumerate(out) if b.kind not in ("pagebreak",)]
    for k in range(1, len(text) - 1):
        b = out[text[k]]
        if b.kind != "paragraph" or len(b.lines) != 1 or b.first is None or b.first.bbox is None:
            continue
        before, after = out[text[k - 1]], out[text[k + 1]]
        if not (_hang_item(before) and _hang_item(after)):
            continue
        x0 = b.first.bbox[0]
        if all(abs(x0 - n.first.bbox[0]) <= 2.0 and (b.size is None or n.size is None or abs(b.size - n.size) < 0.5)
               for n in (before, after)):
            out[text[k]] = replace(b, kind="item")
    return out


def mark_figure_text(blocks: list[Block], has_typography: bool) -> list[Block]:
    """Short unpunctuated label lines standing right before a picture belong to the picture.

    The text export keeps words printed inside a figure (a Japanese heading in a screenshot,
    "15 projects: As of March 31st 2010") as ordinary lines just before the placeholder; the
    PDF sets them small. Either way they are figure text, not prose.
    """
    if has_typography:
        return blocks
    out = list(blocks)
    for i, b in enumerate(out):
        if b.kind not in ("image", "caption-figure"):
            continue
        # the run of picture slots and label lines right before a picture or its caption
        j = i - 1
        while j >= 0 and (out[j].kind == "image" or (out[j].kind == "paragraph" and label_like(out[j].text))):
            j -= 1
        run = range(j + 1, i)
        if b.kind == "image" or any(out[k].kind == "image" for k in run):
            for k in run:
                if out[k].kind == "paragraph":
                    out[k] = replace(out[k], kind="figure-text")
    return out
