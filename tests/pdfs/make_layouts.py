"""Report PDFs laid out the many ways Chinese reports are, for the generality tests.

Where ``make_pdfs`` imitates one annual-report house style, these isolate the layouts the
extractor must read without having been tuned to them: a thesis (cover, contents with dot
leaders, 第X章 › 1.1 › 1.1.1, a heading face other than the body's, bold drawn with fill and
stroke, captions in the body type, a three-line table, chapter names in the running header),
a regulation numbered 一、 › (一) › 1. › (1) with no chapters, a heading printed on one line
with its paragraph, a two-column page, letters / Roman / circled numbers, and the Hokkaido
report re-typeset from its text export in another font and page size, without bold.

Run this file to write every PDF into a folder and look at them::

    python tests/pdfs/make_layouts.py /tmp/layout-pdfs
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from reportlab.lib.pagesizes import B5
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics

try:  # imported as pdfs.make_layouts by the tests, run as a script from this folder
    from .make_pdfs import BODY, LEADING, TRADITIONAL, Writer, _register_fonts, wrap
except ImportError:
    from make_pdfs import BODY, LEADING, TRADITIONAL, Writer, _register_fonts, wrap

GOTHIC = "HeiseiKakuGo-W5"  # a second face: headings set in 黑體 over a 明體 body


def _register_gothic() -> None:
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    _register_fonts()
    if GOTHIC not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(GOTHIC))


def _picture(width: int = 120, height: int = 60) -> ImageReader:
    """A small grey picture (an image XObject, as a photo or a chart pasted into a report is)."""
    from PIL import Image

    img = Image.new("RGB", (width, height), (200, 200, 200))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    buf.seek(0)
    return ImageReader(buf)


class LayoutWriter(Writer):
    """The tests' typesetter, with runs of other faces and render modes, pictures, three-line
    tables, contents lines with dot leaders and two-column text."""

    def runs(self, runs: list[tuple[str, str, float, int]], x: float | None = None, before: float = 0.0) -> None:
        """One line of (text, font, size, render mode) runs; mode 2 = fill and stroke (Word's bold
        for a face without a bold cut)."""
        self.space(before)
        size = max(r[2] for r in runs)
        self._room(size * LEADING)
        t = self.c.beginText(x if x is not None else self.margin_x, self.y - size)
        for text, font, run_size, mode in runs:
            t.setFont(font, run_size)
            t.setTextRenderMode(mode)
            t.textOut(text)
        t.setTextRenderMode(0)
        self.c.drawText(t)
        self.y -= size * LEADING

    @property
    def margin_x(self) -> float:
        return (self.width - self.text_width) / 2

    def centred(self, text: str, size: float = BODY, font: str | None = None, before: float = 0.0) -> None:
        """One centred line (a caption, a title)."""
        self.space(before)
        font = font or self.font
        self._room(size * LEADING)
        self.c.setFont(font, size)
        self.c.drawCentredString(self.width / 2, self.y - size, text)
        self.y -= size * LEADING

    def picture(self, height: float = 80.0, width: float = 160.0) -> None:
        """A picture centred at the cursor."""
        self._room(height + 8)
        self.c.drawImage(_picture(), (self.width - width) / 2, self.y - height, width, height)
        self.y -= height + 6

    def three_line_table(self, rows: list[list[str]], widths: list[float], size: float = 9.0) -> None:
        """A borderless table: a rule above, one under the header row, one at the foot; no
        vertical rules (the academic "three-line table")."""
        pitch = size * 1.8
        self._room(pitch * len(rows) + 12)
        x0 = self.margin_x
        x1 = x0 + sum(widths)
        self.c.setLineWidth(0.8)
        self.c.line(x0, self.y, x1, self.y)
        y = self.y
        for r, row in enumerate(rows):
            self.c.setFont(self.font, size)
            x = x0
            for text, w in zip(row, widths):
                self.c.drawString(x + 4, y - size * 1.3, text)
                x += w
            y -= pitch
            if r == 0:
                self.c.line(x0, y, x1, y)
        self.c.line(x0, y, x1, y)
        self.y = y - 10

    def contents_line(self, title: str, page: int, indent: int = 0, size: float = BODY) -> None:
        """"第一章 緒論 ........ 1": a title, dot leaders, the page number at the right margin."""
        self._room(size * LEADING)
        x = self.margin_x + indent * size
        right = self.margin_x + self.text_width
        num = str(page)
        self.c.setFont(self.font, size)
        self.c.drawString(x, self.y - size, title)
        start = x + pdfmetrics.stringWidth(title, self.font, size) + 4
        end = right - pdfmetrics.stringWidth(num, self.font, size) - 4
        dots = "." * max(4, int((end - start) / pdfmetrics.stringWidth(".", self.font, size)))
        self.c.drawString(start, self.y - size, dots)
        self.c.drawRightString(right, self.y - size, num)
        self.y -= size * LEADING

    def two_columns(self, left: list[str], right: list[str], size: float = BODY, gutter: float = 16.0) -> None:
        """Paragraphs in two columns side by side, each column filled top to bottom."""
        col = (self.text_width - gutter) / 2
        top = self.y
        bottoms = []
        for k, paras in enumerate((left, right)):
            y = top
            x = self.margin_x + k * (col + gutter)
            for para in paras:
                lines = wrap(para, self.font, size, col - 2 * size, col)
                for i, line in enumerate(lines):
                    self.c.setFont(self.font, size)
                    self.c.drawString(x + (2 * size if i == 0 else 0), y - size, line)
                    y -= size * LEADING
                y -= size * 0.6
            bottoms.append(y)
        self.y = min(bottoms)


# --- the documents --------------------------------------------------------------------------

THESIS_SCHOOL = "某某大學碩士學位論文"
THESIS_CONTENTS = [("第一章 緒論", 3, 0), ("1.1 研究背景", 3, 1), ("1.2 研究方法", 3, 1), ("1.2.1 資料來源", 3, 2),
                   ("第二章 系統設計", 5, 0), ("2.1 系統架構", 5, 1)]
THESIS_TABLE = [["變數", "定義", "來源"], ["規模", "總資產取對數", "年報"], ["年齡", "成立年數", "登記資料"], ["槓桿", "負債比率", "年報"]]
THESIS_PARA = "本研究以臺灣中小企業為對象，蒐集二〇一五年至二〇二二年之財務資料，分析數位金融服務對企業信用風險之影響，並提出政策建議。"


def make_thesis(path: Path) -> Path:
    """A Traditional thesis: cover page, 目錄 with dot leaders (ending at its last entry), then
    第一章 › 1.1 › 1.2.1 headings — chapters large and centred, 1.1 set in the body size but
    in another face (黑體), 1.2.1 in the body face drawn with fill + stroke —, a figure caption in
    the body type under its picture with a 資料來源 line, a table caption over a three-line table,
    and the chapter's name in the running header of its pages."""
    _register_gothic()
    w = LayoutWriter(path, TRADITIONAL, page_number=lambda n: f"- {n} -")
    w.centred("某某大學資訊管理研究所", 18, before=80)
    w.centred("碩士論文", 16, before=10)
    w.centred("數位金融對中小企業信用風險之影響", 20, before=30)
    w.centred("研究生：王小明", 12, before=40)
    w.new_page()
    w.centred("目 錄", 16, before=10)
    for title, page, indent in THESIS_CONTENTS:
        w.contents_line(title, page, indent)
    w.header = "第一章 緒論"
    w.new_page()
    w.centred("第一章 緒論", 16, font=GOTHIC, before=10)
    w.runs([("1.1 研究背景", GOTHIC, BODY, 0)], before=8)
    w.paragraph(THESIS_PARA)
    w.paragraph("近年金融科技快速發展，中小企業取得融資之管道日益多元，惟其信用風險之評估仍多仰賴傳統財務指標。")
    w.picture()
    w.centred("圖1-1 研究架構")
    w.centred("資料來源：本研究整理", 9)
    w.runs([("1.2 研究方法", GOTHIC, BODY, 0)], before=8)
    w.paragraph("本研究採用迴歸分析，並以工具變數法檢驗內生性問題，變數定義如表1-1所示。")
    w.runs([("1.2.1 資料來源", TRADITIONAL, BODY, 2)], before=6)
    w.paragraph("資料取自公開資訊觀測站及台灣經濟新報資料庫，樣本共計五千五百八十筆觀察值。")
    w.centred("表1-1 變數定義", before=6)
    w.three_line_table(THESIS_TABLE, [70, 120, 80])
    w.paragraph("上表變數皆經縮尾處理，以降低極端值之影響。")
    w.header = "第二章 系統設計"
    w.new_page()
    w.centred("第二章 系統設計", 16, font=GOTHIC, before=10)
    w.runs([("2.1 系統架構", GOTHIC, BODY, 0)], before=8)
    w.paragraph("系統分為資料蒐集、模型訓練及結果呈現三個模組，各模組之間以標準介面相互溝通。")
    w.paragraph("資料蒐集模組定期自外部資料庫下載最新資料，並進行清理與轉換。")
    return w.save()


def make_regulation_without_chapters(path: Path) -> Path:
    """A university regulation numbered 一、 › (一) › 1. with no 第X章, all in the body face:
    a 一、 line standing alone is a heading; (一)… lines running straight into each other are a
    list; a (一) line alone over its text is a heading; long numbered clauses are paragraphs."""
    w = LayoutWriter(path, TRADITIONAL, page_number=lambda n: f"- {n} -")
    w.centred("某某大學學位論文撰寫規則", 16, before=10)
    w.paragraph("一、 論文格式", indent=0, justify=False)
    w.paragraph("(一) 紙張規格：寬二十一公分，長二十九點七公分，內頁限用白色紙張，論文封面樣式及顏色由各系所自訂，"
                "並應於封面載明學校名稱、系所名稱、論文題目、研究生姓名及指導教授姓名。", indent=0)
    w.paragraph("(二) 字體規格：字體顏色為黑色，中文字型採標楷體或新細明體，英文字型以 Times New Roman 為原則，"
                "論文內頁之題目使用較大字體，摘要等標題亦同。", indent=0)
    w.paragraph("二、 論文編排順序", indent=0, justify=False)
    for item in ("(一) 封面", "(二) 書名頁", "(三) 指導教授推薦書", "(四) 目錄"):
        w.paragraph(item, indent=0, justify=False)
    w.paragraph("三、 論文編輯說明", indent=0, justify=False)
    w.paragraph("(一) 封面與書名頁", indent=0, justify=False)
    w.paragraph("論文封面及書名頁內容須包含題目、研究生姓名、指導教授姓名、學校與系所名稱及畢業年月等資料。")
    w.paragraph("(二) 正文", indent=0, justify=False)
    w.paragraph("1. 正文必須劃分為適當的章節，同時給予適當的標題，文章各層次須內縮，以示區別。", indent=1)
    w.paragraph("2. 章節標題字型大小二十點，小節標題十八點，內文以十二點為原則。", indent=1)
    return w.save()


GLUED_BODY = "自一九七八年實施改革開放政策後，中小型經濟實體在國民經濟格局中的戰略地位發生了質的飛躍。"


def make_glued_heading(path: Path) -> Path:
    """A numbered heading printed on the same line as its first paragraph, told apart only by its
    type: "1.1 研究背景" drawn bold (fill + stroke), the paragraph's text in the plain body face."""
    _register_gothic()
    w = LayoutWriter(path, TRADITIONAL)
    w.centred("第一章 緒論", 16, font=GOTHIC, before=10)
    w.runs([("1.1 研究背景", TRADITIONAL, BODY, 2), (GLUED_BODY[:14], TRADITIONAL, BODY, 0)], before=6)
    w.paragraph(GLUED_BODY[14:], indent=0)
    w.runs([("1.2 研究目的", TRADITIONAL, BODY, 2)], before=6)
    w.paragraph("本研究旨在探討數位金融服務之普及程度與中小企業信用風險之關係，並據以提出政策建議。")
    return w.save()


LEFT_COLUMN = ["左欄第一段：本報告說明年度工作重點，包括資料整理、系統建置及人員訓練等三個面向，並檢討執行成效。",
               "左欄第二段：資料整理工作已完成百分之八十，預計於下半年全部完成，屆時將提供各單位查詢使用。"]
RIGHT_COLUMN = ["右欄第一段：系統建置方面，已完成需求訪談及雛型設計，並於第三季進行測試，測試結果大致符合預期。",
                "右欄第二段：人員訓練方面，全年共辦理六場次講習，參與人數逾三百人次，學員滿意度達九成以上。"]


def make_two_columns(path: Path) -> Path:
    """A page set in two columns under a heading that spans both: the left column is read to its
    end before the right one begins."""
    _register_gothic()
    w = LayoutWriter(path, TRADITIONAL)
    w.runs([("壹、年度工作報告", GOTHIC, 14, 0)], before=10)
    w.two_columns(LEFT_COLUMN, RIGHT_COLUMN, size=9)
    return w.save()


def make_enumerated_headings(path: Path) -> Path:
    """Headings numbered with letters, Roman numerals and circled numbers, each set larger than
    the body (A. › I. › ①), with text under each."""
    w = LayoutWriter(path, TRADITIONAL)
    w.heading("A. 計畫概述", 15)
    w.paragraph("本計畫旨在建立區域產業合作平台，促進大學研究成果之商品化。")
    w.heading("I. 執行方式", 13)
    w.paragraph("由大學、研究機構及企業共同組成工作小組，定期召開會議。")
    w.heading("① 第一階段", 12)
    w.paragraph("完成需求調查及合作對象之遴選。")
    w.heading("② 第二階段", 12)
    w.paragraph("進行共同研究並辦理成果發表。")
    w.heading("II. 預期效益", 13)
    w.paragraph("預期三年內完成十項技術移轉。")
    w.heading("B. 經費需求", 15)
    w.paragraph("本計畫所需經費由參與單位共同分擔。")
    return w.save()


FRAMED_NOTE = ["本表所列金額均為新臺幣千元，未經會計師查核。", "各項數據以報告期末之帳載數為準，如有差異以正式財務報表為準。"]


def make_layout_grid(path: Path) -> Path:
    """A note framed in ruled boxes, one column of them (a layout grid, as Word users draw boxes
    round text with a one-column table): its lines are text, not a data table."""
    w = LayoutWriter(path, TRADITIONAL)
    w.heading("壹、說明事項", 14)
    w.table([[line] for line in FRAMED_NOTE], [w.text_width], size=BODY)
    w.paragraph("以上說明請各單位查照辦理。")
    return w.save()


def make_retypeset_report(path: Path, export: Path) -> Path:
    """The Hokkaido report re-typeset from its text export: B5 pages, one face (MSung), no bold
    anywhere — 第X章 16 pt, 壹、 13 pt, 一、 (一) 1、 12 pt, the rest in the 10.5 pt body,
    captions included (centred in the body type under a placeholder picture), tables ruled,
    footnotes at the foot. The original sets its captions bold; here only their label and their
    place under a picture say what they are."""
    from edition.extract.captions import parse_caption
    from edition.extract.numbering import parse_marker
    from edition.reading.text import decode_text, text_to_records
    from edition.model import FootnoteText, ImageSlot, Line, TableGrid

    records = text_to_records(decode_text(export.read_bytes(), str(export)))
    w = LayoutWriter(path, TRADITIONAL, page_number=lambda n: str(n))
    w.width, w.height = B5
    w.c.setPageSize(B5)
    w.top = w.y = w.height - 50
    notes: list[FootnoteText] = []
    for rec in records:
        if isinstance(rec, ImageSlot):
            w.picture(height=50, width=120)
        elif isinstance(rec, TableGrid):
            rows = [[c or "" for c in row] for row in rec.rows]
            width = w.text_width / max(1, max(len(r) for r in rows))
            w.table([[_fit(c, width) for c in row] for row in rows], [width] * max(len(r) for r in rows), size=7)
        elif isinstance(rec, FootnoteText):
            notes.append(rec)
        elif isinstance(rec, Line):
            marker = None if rec.bullet else parse_marker(rec.text)
            if marker is not None and marker.style == "chapter":
                w.new_page()
                w.centred(rec.text, 16, before=6)
            elif marker is not None and marker.style in _SIZES and len(rec.text) <= 60:
                w.heading(rec.text, _SIZES[marker.style])
            elif parse_caption(rec.text) and len(rec.text) <= 60:
                w.centred(_printable(rec.text))
            else:
                w.paragraph(("□ " if rec.bullet else "") + rec.text, indent=0 if rec.bullet or marker else 2)
            for note in notes:
                w.footnote(note.mark, note.text[:40])
            notes = []
    return w.save()


# Heading sizes of the re-typeset report: larger than the 10.5 pt body, none of them bold.
_SIZES = {"formal": 13.0, "cn": 12.0, "paren-cn": 12.0, "arabic": 12.0}


def _printable(text: str) -> str:
    """MSung (Adobe-CNS1) has no Japanese shinjitai: 図 and 総 in a caption would print as nothing."""
    return text.replace("図", "圖").replace("総", "總")


def _fit(text: str, width: float, size: float = 7) -> str:
    """A cell's text cut to one line of the column (the re-typeset tables only need their rows)."""
    while text and pdfmetrics.stringWidth(text, TRADITIONAL, size) > width - 4:
        text = text[:-1]
    return text


ALL = {
    "thesis.pdf": make_thesis,
    "regulation-without-chapters.pdf": make_regulation_without_chapters,
    "glued-heading.pdf": make_glued_heading,
    "two-columns.pdf": make_two_columns,
    "enumerated-headings.pdf": make_enumerated_headings,
    "layout-grid.pdf": make_layout_grid,
}


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    for name, make in ALL.items():
        print(make(out / name))
    root = Path(__file__).resolve().parents[2]
    print(make_retypeset_report(out / "hokkaido-retypeset.pdf", root / "source_docs" / "hokkaido-report.txt"))
