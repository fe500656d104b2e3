"""PDFs with the layouts that broke extraction on documents nobody had tuned it for.

Each ``make_*`` function writes one small PDF isolating one failure pattern found on reports
outside the development corpus (issue 14, point 5): LaTeX-style enumerated headings with no
bold and words set without space glyphs, headings over two lines, a heading right under a
paragraph, caption forms (圖(一), 圖一, 圖 1-1 and a tab), sub-figure labels, the English title
of a paper over two columns, numbers that are no headings, a contents page that cannot be read,
a seal on every page, pages printed on a page-size rectangle, a paragraph whose first line
turns bold for an emphasised phrase, and references set with a hanging indent.

Run this file to write every PDF into a folder and look at them::

    python tests/pdfs/make_unseen.py /tmp/unseen-pdfs
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportlab.lib.pagesizes import A5
from reportlab.pdfbase import pdfmetrics

try:  # imported as pdfs.make_unseen by the tests, run as a script from this folder
    from .make_layouts import GOTHIC, LayoutWriter, _picture, _register_gothic
    from .make_pdfs import BODY, LEADING, MARGIN, TRADITIONAL, wrap
except ImportError:
    from make_layouts import GOTHIC, LayoutWriter, _picture, _register_gothic
    from make_pdfs import BODY, LEADING, MARGIN, TRADITIONAL, wrap

LATIN = "Times-Roman"
WORD_GAP = 0.24  # ems: a justified LaTeX line shrinks its spaces to about this


class UnseenWriter(LayoutWriter):
    """The layout writer with what these documents need: text whose Latin words are placed one
    by one with no space glyph between them (as LaTeX and Ghostscript write PDFs), enumerate
    items with the label hanging left of the text, and pictures placed anywhere."""

    def mixed(self, text: str, x: float, size: float = BODY, font: str | None = None) -> float:
        """Draw one line at the cursor's baseline: CJK runs in the CJK face, Latin words in Times,
        a space drawn as a gap (no glyph). Returns the x after it."""
        font = font or self.font
        base = self.y - size
        for word, latin in _split(text):
            if word == " ":
                x += WORD_GAP * size
                continue
            face = LATIN if latin else font
            self.c.setFont(face, size)
            self.c.drawString(x, base, word)
            x += pdfmetrics.stringWidth(word, face, size)
        return x

    def mixed_paragraph(self, text: str, x0: float | None = None, width: float | None = None, size: float = BODY,
                        indent: float = 2.0) -> None:
        """A paragraph of mixed text wrapped by width, no space glyphs anywhere."""
        x0 = self.margin_x if x0 is None else x0
        width = self.text_width - (x0 - self.margin_x) if width is None else width
        lines = _wrap_mixed(text, self.font, size, width - indent * size, width)
        for i, line in enumerate(lines):
            self._room(size * LEADING)
            self.mixed(line, x0 + (indent * size if i == 0 else 0.0), size)
            self.y -= size * LEADING

    def enum_item(self, label: str, title: str, x: float, size: float = BODY, before: float = 4.0) -> float:
        """An enumerate label set right-aligned in a box left of the text (LaTeX's \\item), the
        title after it in the body face; returns the x where the item's text starts."""
        self.space(before)
        self._room(size * LEADING)
        text_x = x + 2.2 * size
        self.c.setFont(self.font, size)
        self.c.drawRightString(text_x - 0.5 * size, self.y - size, label)
        self.mixed(title, text_x, size)
        self.y -= size * LEADING
        return text_x

    def picture_at(self, x: float, width: float = 120.0, height: float = 70.0) -> None:
        self.c.drawImage(_picture(), x, self.y - height, width, height)


def _split(text: str) -> list[tuple[str, bool]]:
    """Text → (run, is Latin) runs, spaces as their own runs."""
    out: list[tuple[str, bool]] = []
    for ch in text:
        if ch == " ":
            out.append((" ", False))
            continue
        latin = ch.isascii()
        if out and out[-1][0] != " " and out[-1][1] == latin:
            out[-1] = (out[-1][0] + ch, latin)
        else:
            out.append((ch, latin))
    return out


def _width(text: str, font: str, size: float) -> float:
    return sum(WORD_GAP * size if w == " " else pdfmetrics.stringWidth(w, LATIN if latin else font, size)
               for w, latin in _split(text))


def _wrap_mixed(text: str, font: str, size: float, first: float, width: float) -> list[str]:
    """Greedy wrap: CJK anywhere, Latin words whole."""
    tokens: list[str] = []
    for w, latin in _split(text):
        if latin and w != " ":
            tokens.append(w)
        else:
            tokens.extend(list(w))
    lines, cur = [], ""
    for tok in tokens:
        avail = first if not lines else width
        if cur and _width(cur + tok, font, size) > avail:
            lines.append(cur.rstrip())
            cur = tok.lstrip()
        else:
            cur += tok
    if cur:
        lines.append(cur)
    return lines


# --- the documents ----------------------------------------------------------------------------

LATEX_PARA = ("近年來卷積神經網路 Convolutional Neural Network 在影像辨識上成效顯著，本研究以 Run-length encoding "
              "壓縮筆跡資料，並比較 Huffman coding 與 Rice coding 兩種方法之壓縮比與傳輸時間。")
LATEX_ENGLISH = ("This report describes a handwriting feedback system built on a resistive touch panel and a "
                 "microcontroller, and compares three lossless compression methods for the stroke bitmaps.")


def make_latex_enumerate(path: Path) -> Path:
    """A LaTeX-made report: headings are enumerate items (1. › (a)) in the body face, not bold,
    with the label hanging left of the text, paragraphs set at the item's text; every word placed
    on its own with no space glyph, including a whole English paragraph."""
    w = UnseenWriter(path, TRADITIONAL)
    w.centred("手寫回饋系統期末報告", 16, before=10)
    w.space(8)
    for n, (title, subs) in enumerate([("研究動機", ["資料蒐集", "前處理"]), ("系統架構", ["硬體設計"])], 1):
        x = w.enum_item(f"{n}.", title, w.margin_x)
        w.mixed_paragraph(LATEX_PARA, x0=x)
        for k, sub in enumerate(subs):
            xs = w.enum_item(f"({'ab'[k]})", sub, x)
            w.mixed_paragraph(LATEX_ENGLISH if n == 1 and k == 0 else LATEX_PARA, x0=xs)
    return w.save()


TWO_LINE_CHAPTER = "第一章 區域產學合作機制與中小企業創新能力提升之整合研究"
TWO_LINE_SECTION = "一、大學研究成果商品化之制度設計、運作模式與區域產業群聚之互動關係"
BODY_PARA = "本章說明研究之背景與動機，並界定研究範圍與限制，以作為後續各章分析之基礎，同時檢討相關文獻之不足。"


def make_two_line_headings(path: Path) -> Path:
    """A chapter title centred over two lines (16 pt) and a numbered heading in heading type
    (黑體) wrapping onto a second line under its title."""
    _register_gothic()
    w = UnseenWriter(path, TRADITIONAL)
    for line in wrap(TWO_LINE_CHAPTER, GOTHIC, 16, w.text_width * 0.8, w.text_width * 0.8):
        w.centred(line, 16, font=GOTHIC)
    w.paragraph(BODY_PARA)
    lines = wrap(TWO_LINE_SECTION, GOTHIC, 13, w.text_width, w.text_width - 2 * 13)
    for i, line in enumerate(lines):
        w.runs([(line, GOTHIC, 13, 0)], x=w.margin_x + (2 * 13 if i else 0), before=6 if i == 0 else 0)
    w.paragraph(BODY_PARA)
    w.runs([("二、研究方法", GOTHIC, 13, 0)], before=6)
    w.paragraph(BODY_PARA)
    return w.save()


GLUED_ABOVE_PARA = "本研究蒐集臺灣中小企業之財務資料，分析數位金融服務對信用風險之影響，結果顯示兩者呈顯著負相關。"


def make_heading_under_paragraph(path: Path) -> Path:
    """A numbered heading in the body type right under a paragraph whose last line runs to the
    margin and ends its sentence, with no extra space above it."""
    w = UnseenWriter(path, TRADITIONAL)
    w.runs([("一、研究背景", TRADITIONAL, BODY, 0)])
    text = GLUED_ABOVE_PARA
    # fill the paragraph so that its last line ends exactly at the margin with "。"
    per_line = int(w.text_width // BODY)
    text = (text * 3)[: per_line * 2 - 2 - 1] + "。"
    w.paragraph(text, indent=2)
    w.runs([("二、研究方法", TRADITIONAL, BODY, 0)])
    w.paragraph(GLUED_ABOVE_PARA, indent=2)
    return w.save()


EMPHASIS_LEAD = "模型的方向為"
EMPHASIS_BOLD = "提升模型辨識率和改善過度擬合的問題並且縮短訓練所需的時間以及降低硬體成本"
EMPHASIS_REST = "由於本系統是以繁體中文字作為主要訓練目標，而繁體中文圖片的複雜度相較於簡體文字以及英文高，在模型訓練時會隨著訓練次數的增加而更容易造成過度擬合的問題。"


def make_emphasis_in_first_line(path: Path) -> Path:
    """A paragraph whose first line opens in the body type and turns bold (fill and stroke, as
    Word bolds a CJK face) for most of its length, running on to the margin mid-sentence — an
    emphasised phrase, so most of the line is bold, yet no heading."""
    w = UnseenWriter(path, TRADITIONAL)
    w.runs([("一、研究方向", TRADITIONAL, BODY, 0)])
    fits = int((w.text_width - 2 * BODY) // BODY)  # full-width characters: the line is full
    bold = EMPHASIS_BOLD[: fits - len(EMPHASIS_LEAD)]
    w.runs([(EMPHASIS_LEAD, TRADITIONAL, BODY, 0), (bold, TRADITIONAL, BODY, 2)], x=w.margin_x + 2 * BODY)
    w.paragraph(EMPHASIS_BOLD[len(bold):] + EMPHASIS_REST, indent=0)
    w.runs([("二、研究方法", TRADITIONAL, BODY, 0)])
    w.paragraph(GLUED_ABOVE_PARA, indent=2)
    return w.save()


REFERENCES_BODY = "本文探討數位金融對中小企業信用風險之影響，相關文獻整理如下列參考文獻所示。"
REFERENCE_TITLE = "金融資產持有與企業違約風險融資約束的中介效應與調節效應之實證研究及其政策意涵與未來研究方向之探討"


def _fill(text: str, font: str, size: float, width: float) -> str:
    """The longest head of ``text`` that fits in ``width``."""
    n = len(text)
    while n and pdfmetrics.stringWidth(text[:n], font, size) > width:
        n -= 1
    return text[:n]


def reference_entries(width: float) -> list[str]:
    """Four references for a measure ``width`` wide: a short one; one whose page range the wrap
    cuts ("…39-" / "46."); one that all but fills its line, ending in a Latin full stop; a short one."""
    def full(lead: str, tail: str) -> str:
        room = width - pdfmetrics.stringWidth(lead + tail, TRADITIONAL, BODY)
        return lead + _fill(REFERENCE_TITLE, TRADITIONAL, BODY, room) + tail

    return ["陳三毛,錢曉萍.2014.金融包容性指數[J].金融論壇,19(09):3-8.",
            full("扈文秀,朱冠平.2021.", "[J].預測,40(03):39-") + "46.",
            full("李文貴,余明桂.2012.", "[J].經濟,(12):115-127."),
            "連玉君,彭方平,蘇治.2010.融資約束[J].金融研究,(10):158-171."]


def make_references_hanging(path: Path) -> Path:
    """A list of references set with a hanging indent and no markers: each entry's first line
    flush, its continuation lines two ems in (see :func:`reference_entries`)."""
    w = UnseenWriter(path, TRADITIONAL)
    w.runs([("一、研究背景", TRADITIONAL, BODY, 0)])
    w.paragraph(REFERENCES_BODY, indent=2)
    w.runs([("參考文獻", TRADITIONAL, 14, 0)], x=w.margin_x + w.text_width / 2 - 28, before=6)
    a, b, c, d = reference_entries(w.text_width)
    w.runs([(a, TRADITIONAL, BODY, 0)])
    w.runs([(b[: -len("46.")], TRADITIONAL, BODY, 0)])
    w.runs([("46.", TRADITIONAL, BODY, 0)], x=w.margin_x + 2 * BODY)
    w.runs([(c, TRADITIONAL, BODY, 0)])
    w.runs([(d, TRADITIONAL, BODY, 0)])
    return w.save()


def make_caption_forms(path: Path) -> Path:
    """Captions numbered 圖(一), 圖一 and 圖 1-1 followed by a tab (a wide gap), each under its
    picture; a ruled table under 表(一)."""
    w = UnseenWriter(path, TRADITIONAL)
    w.runs([("一、研究流程", TRADITIONAL, 13, 0)], before=6)
    w.paragraph(BODY_PARA)
    for label, title in (("圖(一)", " 研究流程"), ("圖一", " 系統架構")):
        w.picture()
        w.centred(label + title)
    w.picture()
    w._room(BODY * LEADING)
    x = (w.width - 160) / 2
    w.c.setFont(w.font, BODY)
    w.c.drawString(x, w.y - BODY, "圖 1-1")
    w.c.drawString(x + 4 * BODY, w.y - BODY, "實驗結果")  # a tab: a gap, no glyph
    w.y -= BODY * LEADING
    w.centred("表(一) 參數設定", before=6)
    w.table([["參數", "數值"], ["學習率", "0.001"], ["批次大小", "32"]], [120, 120])
    w.paragraph(BODY_PARA)
    return w.save()


def make_subfigures(path: Path) -> Path:
    """Two pictures side by side, labelled (a) and (b) under each, one caption under both."""
    w = UnseenWriter(path, TRADITIONAL)
    w.runs([("一、前言", TRADITIONAL, 13, 0)], before=6)
    w.paragraph(BODY_PARA)
    w.runs([("二、方法", TRADITIONAL, 13, 0)], before=6)
    w._room(120)
    left, right = w.margin_x + 10, w.margin_x + w.text_width / 2 + 10
    w.picture_at(left)
    w.picture_at(right)
    w.y -= 76
    w.c.setFont(w.font, 9)
    w.c.drawString(left + 30, w.y - 9, "(a) 原始影像")
    w.c.drawString(right + 30, w.y - 9, "(b) 二值化影像")
    w.y -= 9 * LEADING
    w.centred("圖 3 影像前處理")
    w.paragraph(BODY_PARA)
    return w.save()


def make_paper_two_columns(path: Path) -> Path:
    """A paper: Chinese title, its English title in large type, authors, an abstract across the
    page, then the body in two columns with numbered headings in heading type."""
    _register_gothic()
    w = UnseenWriter(path, TRADITIONAL)
    w.centred("數位金融對中小企業信用風險之影響", 16, font=GOTHIC, before=6)
    w.space(4)
    w._room(14 * LEADING)
    w.c.setFont(LATIN, 14)
    w.c.drawCentredString(w.width / 2, w.y - 14, "The Impact of Digital Finance on SME Credit Risk")
    w.y -= 14 * LEADING
    w.centred("王小明　李大華", 10)
    w.runs([("摘要", GOTHIC, BODY, 0)], before=4)
    w.paragraph(BODY_PARA)
    col = (w.text_width - 16) / 2
    top = w.y - 6
    for k, (head, para) in enumerate((("1. 前言", BODY_PARA), ("2. 研究方法", BODY_PARA))):
        y = top
        x = w.margin_x + k * (col + 16)
        w.c.setFont(GOTHIC, 11)
        w.c.drawString(x, y - 11, head)
        y -= 11 * LEADING
        for i, line in enumerate(wrap(para * 2, TRADITIONAL, 9, col - 18, col)):
            w.c.setFont(TRADITIONAL, 9)
            w.c.drawString(x + (18 if i == 0 else 0), y - 9, line)
            y -= 9 * LEADING
    return w.save()


def make_numbers_not_headings(path: Path) -> Path:
    """Financial figures on lines of their own (3.2, 12.5), columns of numbers with no rules, and
    a numbered note in the margin set small: none of them is a heading."""
    w = UnseenWriter(path, TRADITIONAL)
    w.runs([("一、營運概況", TRADITIONAL, 13, 0)], before=6)
    w.paragraph("本年度營收及毛利率如下表所示，較上年度均有成長。")
    for row in (("項目", "2021年", "2022年"), ("營收（億元）", "12.5", "13.1"), ("毛利率（%）", "3.2", "3.5")):
        w._room(BODY * LEADING)
        for k, cell in enumerate(row):
            w.c.setFont(w.font, BODY)
            w.c.drawString(w.margin_x + 20 + k * 90, w.y - BODY, cell)
        w.y -= BODY * LEADING
    w.runs([("12.5 億元為全年合併營收。", TRADITIONAL, BODY, 0)])
    for figure in ("3.2", "12.5"):  # a column of figures, each on a line of its own, in bold
        w.runs([(figure, TRADITIONAL, BODY, 2)], x=w.margin_x + 200)
    w.c.setFont(w.font, 7)
    w.c.drawString(w.width - MARGIN + 6, w.y + 20, "1. 單位")
    w.c.setFont(w.font, BODY)
    w.c.drawString(w.width - MARGIN + 4, w.y + 40, "2. 附註")  # a note in the margin, body size
    w.runs([("二、未來展望", TRADITIONAL, 13, 0)], before=6)
    w.paragraph(BODY_PARA)
    return w.save()


def make_unreadable_contents(path: Path) -> Path:
    """A 目錄 page whose lines carry neither dot leaders nor page numbers, then the chapters."""
    w = UnseenWriter(path, TRADITIONAL)
    w.centred("目錄", 16, before=10)
    for title in ("第一章 緒論", "第二章 研究方法", "第三章 結論"):
        w.runs([(title, TRADITIONAL, BODY, 0)])
    w.new_page()
    for title in ("第一章 緒論", "第二章 研究方法", "第三章 結論"):
        w.centred(title, 16, before=8)
        w.paragraph(BODY_PARA)
    return w.save()


def make_seal_on_every_page(path: Path, pages: int = 4) -> Path:
    """The same seal picture at the same place on every page, body text beside it."""
    w = UnseenWriter(path, TRADITIONAL)
    seal = _picture(60, 60)
    for p in range(pages):
        if p:
            w.new_page()
        w.c.drawImage(seal, w.width - MARGIN - 60, MARGIN + 10, 60, 60)
        w.runs([(f"{'一二三四五'[p]}、工作項目", TRADITIONAL, 13, 0)], before=6)
        w.paragraph(BODY_PARA * 2)
    return w.save()


def make_page_background(path: Path) -> Path:
    """Every page printed on a page-size white rectangle, with a ruled table on it and body text
    over it."""
    w = UnseenWriter(path, TRADITIONAL)

    def background() -> None:
        w.c.saveState()
        w.c.setFillColorRGB(1, 1, 1)
        w.c.rect(4, 4, w.width - 8, w.height - 8, fill=1, stroke=1)
        w.c.restoreState()

    background()
    w.runs([("一、年度工作", TRADITIONAL, 13, 0)], before=6)
    w.paragraph(BODY_PARA * 2)
    w.table([["項目", "進度"], ["資料整理", "80%"], ["系統建置", "60%"]], [120, 120])
    w.runs([("二、檢討", TRADITIONAL, 13, 0)], before=6)
    w.paragraph(BODY_PARA)
    w.new_page()
    background()
    w.runs([("三、展望", TRADITIONAL, 13, 0)], before=6)
    w.paragraph(BODY_PARA * 2)
    return w.save()


def make_tables_side_by_side(path: Path) -> Path:
    """Two ruled tables side by side, each with its caption above it on one shared line."""
    w = UnseenWriter(path, TRADITIONAL)
    w.runs([("一、統計結果", TRADITIONAL, 13, 0)], before=6)
    w.paragraph(BODY_PARA)
    half = w.text_width / 2
    w._room(120)
    w.c.setFont(w.font, BODY)
    w.c.drawString(w.margin_x + 10, w.y - BODY, "表1 男性樣本")
    w.c.drawString(w.margin_x + half + 10, w.y - BODY, "表2 女性樣本")
    w.y -= BODY * LEADING
    top = w.y
    for k, rows in enumerate(([["年齡", "人數"], ["20-29", "118"], ["30-39", "96"]],
                              [["年齡", "人數"], ["20-29", "131"], ["30-39", "87"]])):
        x0 = w.margin_x + k * half
        y = top
        for row in rows:
            for c, cell in enumerate(row):
                w.c.rect(x0 + c * 70, y - 16, 70, 16)
                w.c.drawString(x0 + c * 70 + 4, y - 12, cell)
            y -= 16
    w.y = top - 16 * 3 - 10
    w.paragraph(BODY_PARA)
    return w.save()


ALL = {f.__name__[len("make_"):].replace("_", "-"): f for f in (
    make_latex_enumerate, make_two_line_headings, make_heading_under_paragraph, make_caption_forms,
    make_subfigures, make_paper_two_columns, make_numbers_not_headings, make_unreadable_contents,
    make_seal_on_every_page, make_page_background, make_tables_side_by_side)}


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "unseen-pdfs")
    out.mkdir(parents=True, exist_ok=True)
    for name, make in ALL.items():
        print(make(out / f"{name}.pdf"))


KEYWORDS_ZH = "關鍵詞：數位金融、信用風險、中小企業"
KEYWORDS_EN = "Key words: digital finance, credit risk, small business"


def make_keywords_line(path: Path) -> Path:
    """An abstract whose keywords lines are set in bold (fill and stroke, as Word bolds a CJK
    face) on lines of their own, body text after them: fields of the abstract, no headings."""
    w = UnseenWriter(path, TRADITIONAL)
    w.runs([("一、研究摘要", TRADITIONAL, BODY, 0)])
    w.paragraph(REFERENCES_BODY * 2, indent=2)
    w.runs([(KEYWORDS_ZH, TRADITIONAL, BODY, 2)])
    w.paragraph(GLUED_ABOVE_PARA, indent=2)
    w.runs([(KEYWORDS_EN, TRADITIONAL, BODY, 2)])
    w.paragraph(GLUED_ABOVE_PARA, indent=2)
    w.runs([("二、研究方法", TRADITIONAL, BODY, 0)])
    w.paragraph(GLUED_ABOVE_PARA, indent=2)
    return w.save()


WRAPPED_TITLE = ("Digital Finance and the Credit Risk of", "Small Firms in Taiwan")


def make_wrapped_title(path: Path) -> Path:
    """A thesis's abstract pages: the Chinese one, then the English one under the English title in
    16 pt over two lines set wider apart than the body's leading (1.95 em against 1.7), the first
    justified from margin to margin, the second centred under it; the author, then body text."""
    w = UnseenWriter(path, TRADITIONAL)
    w.centred("摘要", 16, before=6)
    for _ in range(3):
        w.paragraph(REFERENCES_BODY * 2, indent=2)
    w.new_page()
    size = 16.0
    first, second = WRAPPED_TITLE
    natural = pdfmetrics.stringWidth(first, "Helvetica", size)
    t = w.c.beginText(w.margin_x, w.y - size)
    t.setFont("Helvetica", size)
    t.setCharSpace((w.text_width - natural) / (len(first) - 1))  # justified: it fills the measure
    t.textOut(first)
    t.setCharSpace(0)
    w.c.drawText(t)
    w.y -= 1.95 * size
    w.centred(second, size, font="Helvetica")
    w.centred("Yuchen Wang (Computer Technology)", 12, font=LATIN, before=6)
    for _ in range(3):
        w.paragraph(REFERENCES_BODY * 2, indent=2)
    return w.save()

PHOTO_CAPTIONS = (("照片1：", "參訪北海道大學產學合作本部"), ("照片 2 ", "與札幌市政府座談"), ("照片3、", "溫室實驗場"))


def make_photo_captions(path: Path) -> Path:
    """A study-trip report's photographs, each captioned 照片 N under it (three ways of
    setting the number off), prose between them."""
    w = UnseenWriter(path, TRADITIONAL)
    w.runs([("貳、參訪過程", TRADITIONAL, 13, 0)], before=6)
    w.paragraph(BODY_PARA)
    for label, title in PHOTO_CAPTIONS:
        w.picture()
        w.centred(label + title)
    w.paragraph(BODY_PARA)
    return w.save()


CHAPTER_PAGES = (("第一章 緒論", "1-1"), ("第二章 研究方法", "2-1"), ("第三章 結論與建議", "3-1"))


def make_chapter_pages(path: Path) -> Path:
    """A government report's pages numbered per chapter ("2-1": chapter 2, its first page), at
    the foot of each page and in the contents list."""
    printed = {k + 2: page for k, (_, page) in enumerate(CHAPTER_PAGES)}
    w = UnseenWriter(path, TRADITIONAL, page_number=lambda n: printed.get(n, ""))
    w.centred("目錄", 16, before=10)
    for title, page in CHAPTER_PAGES:
        w.contents_line(title, page)
    for title, _ in CHAPTER_PAGES:
        w.new_page()
        w.centred(title, 16, before=8)
        w.paragraph(BODY_PARA)
    return w.save()


TEXT_WIDTH = A5[0] - 2 * MARGIN  # the measure of these pages (A5, as every writer of these tests sets)
REFERENCES_MIXED = (("王大明.2019.", "[J].金融研究,(03):1-20."), ("李小華.2020.信用風險[J].經濟論壇,(05):9-12.", None),
                    ("陳一.2021.", "[J].經濟研究,(12):33-47."), ("林二.2022.數字經濟[J].管理世界,(02):5-8.", None),
                    ("張三.2023.", "[J].財經論叢,(01):40-52."))


def references_mixed(width: float = TEXT_WIDTH) -> list[tuple[str, str | None]]:
    """:data:`REFERENCES_MIXED` with each two-line entry's first line filled to the measure (its
    title runs on to the margin and wraps to a hanging second line)."""
    out = []
    for lead, rest in REFERENCES_MIXED:
        if rest is None:
            out.append((lead, None))
        else:
            room = width - pdfmetrics.stringWidth(lead, TRADITIONAL, BODY)
            out.append((lead + _fill(REFERENCE_TITLE, TRADITIONAL, BODY, room), rest))
    return out


def _reference_list(path: Path, entries: list[tuple[str, str | None]]) -> Path:
    """A section, then a reference list set with a hanging indent: each entry's first line at
    the margin, its second (where it has one) two ems in."""
    w = UnseenWriter(path, TRADITIONAL)
    w.runs([("一、研究背景", TRADITIONAL, BODY, 0)])
    w.paragraph(REFERENCES_BODY, indent=2)
    w.runs([("參考文獻", TRADITIONAL, 14, 0)], x=w.margin_x + w.text_width / 2 - 28, before=6)
    for first, rest in entries:
        w.runs([(first, TRADITIONAL, BODY, 0)])
        if rest:
            w.runs([(rest, TRADITIONAL, BODY, 0)], x=w.margin_x + 2 * BODY)
    return w.save()


def make_references_mixed(path: Path) -> Path:
    """A hanging-indent reference list whose entries alternate between two lines (the hang shows)
    and one (it cannot)."""
    return _reference_list(path, references_mixed())


def _fill_latin(lead: str, word: str, width: float) -> str:
    """``lead`` followed by ``word`` repeated (no spaces) as far as fits in ``width``."""
    text = lead
    while pdfmetrics.stringWidth(text + word, TRADITIONAL, BODY) <= width:
        text += word
    return text


def references_latin(width: float = TEXT_WIDTH) -> list[tuple[str, str | None]]:
    """Two references of a hanging-indent list, the second's first line filled edge to edge by
    one long run of letters with no space (its first word could never have fitted above)."""
    return [(_fill_latin("Berger,A.N.1998.The Economics of Small Business", " Finance", width), "Markets[J].Journal of Banking,613-673."),
            (_fill_latin("Besanko,D.,Thakor,A.V.1987.", "Competitive", width), "Information.Journal of Economic Theory,42(1):167-182.")]


def make_references_latin(path: Path) -> Path:
    """A Latin reference list with a hanging indent (see :func:`references_latin`)."""
    return _reference_list(path, references_latin())


COVER_TABLE = (("服務機關", "行政院農業委員會"), ("姓名職稱", "王大明技正"), ("派赴國家", "日本"),
               ("出國期間", "108年9月2日至9月6日"), ("報告日期", "108年11月20日"))


def make_cover_table(path: Path) -> Path:
    """A study-trip report whose cover sheet's fields are set as a ruled table (label | value)."""
    w = UnseenWriter(path, TRADITIONAL)
    w.centred("出國報告（出國類別：考察）", 14, before=20)
    w.centred("赴日本考察智慧農業技術報告", 18, before=20)
    w.table([list(row) for row in COVER_TABLE], [100, 200])
    w.new_page()
    w.runs([("壹、目的", TRADITIONAL, 13, 0)], before=6)
    w.paragraph(BODY_PARA)
    return w.save()


TRIP_PARA = ("本次考察重點在於了解日本智慧農業之推動現況，包括政府政策、研究機構之技術開發以及農民實際應用情形，"
             "並與相關單位進行意見交流，以作為我國推動智慧農業之參考。")
TRIP_PHOTOS = ("北海道大學校門", "座談情形")


def make_trip_report(path: Path) -> Path:
    """A study-trip report (出國報告) as such reports are laid out: a cover with its fields, 摘要,
    目次, 壹、 › 一、 and (一) headings in bold, an itinerary table under its 表 caption, two
    photographs side by side with their 照片 captions on one line, a numbered list of
    recommendations, and "- n -" at the foot of every page after the cover."""
    w = UnseenWriter(path, TRADITIONAL, page_number=lambda n: f"- {n} -" if n > 1 else "")
    w.centred("出國報告（出國類別：考察）", 14, before=30)
    w.centred("赴日本考察智慧農業技術發展報告", 18, before=30)
    for field in ("服務機關：行政院農業委員會農業試驗所", "姓名職稱：王大明技正、李小華研究員", "派赴國家：日本",
                  "出國期間：108年9月2日至9月6日", "報告日期：108年11月20日"):
        w.centred(field, 12, before=4)
    w.new_page()
    w.centred("摘要", 16, before=10)
    w.paragraph(TRIP_PARA * 2)
    w.new_page()
    w.centred("目次", 16, before=10)
    for title, page in (("壹、目的", 4), ("貳、過程", 4), ("參、心得", 5), ("肆、建議", 5)):
        w.contents_line(title, page)
    w.new_page()
    w.runs([("壹、目的", TRADITIONAL, 14, 2)], before=6)
    w.paragraph(TRIP_PARA)
    w.runs([("貳、過程", TRADITIONAL, 14, 2)], before=6)
    w.runs([("一、行程", TRADITIONAL, 12, 2)], before=4)
    w.centred("表1 考察行程表", 12, before=4)
    w.table([["日期", "行程"], ["9月2日", "台北→札幌"], ["9月3日", "參訪北海道大學"], ["9月4日", "參訪農業研究中心"]], [100, 200])
    w.paragraph(TRIP_PARA)
    w.runs([("二、參訪北海道大學", TRADITIONAL, 12, 2)], before=4)
    w.paragraph(TRIP_PARA * 2)
    w._room(130)
    y = w.y
    w.c.drawImage(_picture(), w.margin_x, y - 90, 150, 90)
    w.c.drawImage(_picture(), w.margin_x + w.text_width - 150, y - 90, 150, 90)
    w.c.setFont(TRADITIONAL, 10)
    w.c.drawString(w.margin_x + 20, y - 106, f"照片1 {TRIP_PHOTOS[0]}")
    w.c.drawString(w.margin_x + w.text_width - 130, y - 106, f"照片2 {TRIP_PHOTOS[1]}")
    w.y = y - 114
    w.paragraph(TRIP_PARA)
    w.runs([("參、心得", TRADITIONAL, 14, 2)], before=6)
    for title in ("(一)研究能量", "(二)產學合作"):
        w.runs([(title, TRADITIONAL, 12, 0)], before=4)
        w.paragraph(TRIP_PARA)
    w.runs([("肆、建議", TRADITIONAL, 14, 2)], before=6)
    for k in range(1, 4):
        w.paragraph(f"{k}. " + TRIP_PARA[: 40 + 10 * k], indent=0)
    return w.save()


def make_roman_front_pages(path: Path) -> Path:
    """A thesis's contents list whose front matter is paged in roman numerals ("摘要 …… i"),
    the pages numbered so at their foot."""
    printed = {2: "i", 3: "ii", 4: "1"}
    w = UnseenWriter(path, TRADITIONAL, page_number=lambda n: printed.get(n, ""))
    w.centred("目錄", 16, before=10)
    for title, page in (("摘要", "i"), ("誌謝", "ii"), ("第一章 緒論", "1")):
        w.contents_line(title, page)
    for title in ("摘要", "誌謝"):
        w.new_page()
        w.centred(title, 16, before=10)
        w.paragraph(BODY_PARA)
    w.new_page()
    w.centred("第一章 緒論", 16, before=8)
    w.paragraph(BODY_PARA)
    return w.save()


def make_contents_without_leaders(path: Path) -> Path:
    """A contents list with no dot leaders: each title at the left margin, its page number set
    at the right one, the white between them a column wide."""
    w = UnseenWriter(path, TRADITIONAL, page_number=lambda n: str(n - 1) if n > 1 else "")
    w.centred("目錄", 16, before=10)
    for title, page in CHAPTER_TITLES:
        w._room(BODY * LEADING)
        w.c.setFont(TRADITIONAL, BODY)
        w.c.drawString(w.margin_x, w.y - BODY, title)
        w.c.drawRightString(w.margin_x + w.text_width, w.y - BODY, str(page))
        w.y -= BODY * LEADING
    for title, _ in CHAPTER_TITLES:
        w.new_page()
        w.centred(title, 16, before=8)
        w.paragraph(BODY_PARA)
    return w.save()


CHAPTER_TITLES = (("第一章 緒論", 1), ("第二章 研究方法", 2), ("第三章 結論", 3))
