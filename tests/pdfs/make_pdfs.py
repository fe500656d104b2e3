"""Small Chinese report PDFs for the extraction tests, typeset with reportlab's built-in CID fonts.

Each ``make_*`` function writes one PDF (1–3 A5 pages) to the path it is given and returns that
path. The layout imitates what real reports do — headings set larger than the body (the CID
fonts have no bold face), first-line indents, justified CJK lines, running headers, printed page
numbers, ruled tables, raised footnote marks — so the tests show the extractor generalises
beyond the one report it was built on. Output is byte-for-byte deterministic: reportlab's
invariant mode leaves out the timestamp and the random document id.

Run this file to write every PDF into a folder and look at them::

    python tests/pdfs/make_pdfs.py /tmp/generated-pdfs
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A5
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Table, TableStyle

SIMPLIFIED = "STSong-Light"
TRADITIONAL = "MSung-Light"
BODY = 10.5  # 五号, the usual body size of a Chinese report
LEADING = 1.7  # line pitch as a multiple of the size (Word's "1.5 lines" with a CJK font)
MARGIN = 50.0

# A Latin word or number is never broken across lines; closing punctuation never starts a line.
_TOKEN = re.compile(r"[A-Za-z0-9.,%]+|.")
_NO_LINE_START = set("，。、；：？！）》」』”’%")


def _register_fonts() -> None:
    for name in (SIMPLIFIED, TRADITIONAL):
        if name in pdfmetrics.getRegisteredFontNames():
            continue
        font = UnicodeCIDFont(name)
        if name == TRADITIONAL:
            # reportlab declares MSung-Light (Adobe-CNS1 glyphs) with the Simplified CMap
            # UniGB-UCS2-H, so a reader maps its codes to the wrong CIDs and gets garbage
            # (烯烯急芝… for 某某股份…). Name the CMap that matches the font's character collection.
            font.encodingName = "UniCNS-UCS2-H"
        pdfmetrics.registerFont(font)


def _tokens(text: str) -> list[str]:
    """Unbreakable pieces of text, closing punctuation glued to what it follows."""
    out: list[str] = []
    for tok in _TOKEN.findall(text):
        if out and tok[0] in _NO_LINE_START:
            out[-1] += tok
        else:
            out.append(tok)
    return out


def wrap(text: str, font: str, size: float, first_width: float, width: float, char_space: float = 0.0) -> list[str]:
    """Greedy line breaking by measured width (first line narrower by its indent)."""

    def measure(s: str) -> float:
        return pdfmetrics.stringWidth(s, font, size) + char_space * (len(s) - 1)

    lines: list[str] = []
    current = ""
    for tok in _tokens(text):
        limit = first_width if not lines else width
        if current and measure(current + tok) > limit:
            lines.append(current)
            current = tok
        else:
            current += tok
    if current:
        lines.append(current)
    return lines


class Writer:
    """A tiny typesetter: a cursor moving down A5 pages, with furniture drawn on every page.

    header:      running header text printed at the top of every page (None: none).
    page_number: page number → the text printed at the foot of the page (None: none).
    """

    def __init__(self, path: Path, font: str = SIMPLIFIED, header: str | None = None, page_number=None):
        _register_fonts()
        self.path = Path(path)
        self.font = font
        self.header = header
        self.page_number = page_number
        self.width, self.height = A5
        self.c = Canvas(str(path), pagesize=A5, invariant=1)
        self.page = 1
        self.top = self.height - MARGIN
        self.bottom = MARGIN
        self.y = self.top  # top of the next line box
        self._furnish()

    @property
    def text_width(self) -> float:
        return self.width - 2 * MARGIN

    def _furnish(self) -> None:
        """Running header (with a rule under it, as reports do) and the page number."""
        if self.header:
            self.c.setFont(self.font, 8)
            self.c.drawCentredString(self.width / 2, self.height - 32, self.header)
            self.c.setLineWidth(0.5)
            self.c.line(MARGIN, self.height - 36, self.width - MARGIN, self.height - 36)
        if self.page_number:
            self.c.setFont(self.font, 9)
            self.c.drawCentredString(self.width / 2, 24, self.page_number(self.page))

    def new_page(self) -> None:
        self.c.showPage()
        self.page += 1
        self.y = self.top
        self._furnish()

    def _room(self, height: float) -> None:
        if self.y - height < self.bottom:
            self.new_page()

    def space(self, height: float) -> None:
        self.y -= height

    def _draw_line(self, x: float, size: float, runs: list[tuple[str, float, float]], char_space: float,
                   repeat: tuple[float, ...] = (0.0,)) -> None:
        """One line of runs (text, size, rise) at the cursor; ``repeat`` x-offsets overprint it."""
        self._room(size * LEADING)
        baseline = self.y - size
        for dx in repeat:
            t = self.c.beginText(x + dx, baseline)
            t.setCharSpace(char_space)
            for text, run_size, rise in runs:
                t.setFont(self.font, run_size)
                t.setRise(rise)
                t.textOut(text)
            t.setRise(0)
            self.c.drawText(t)
        self.y -= size * LEADING

    def heading(self, text: str, size: float, center: bool = False, before: float = 6.0,
                overprint: tuple[float, ...] = (0.0,), hang: int = 0) -> None:
        """A heading; ``overprint`` draws it again at those x-offsets (fake bold). A heading too
        long for the line wraps, its next lines hanging ``hang`` characters in (under the title)."""
        self.space(before)
        self._room(size * LEADING * 2)
        lines = wrap(text, self.font, size, self.text_width, self.text_width - hang * size)
        for i, line in enumerate(lines):
            w = pdfmetrics.stringWidth(line, self.font, size)
            x = (self.width - w) / 2 if center else MARGIN + (hang * size if i else 0.0)
            self._draw_line(x, size, [(line, size, 0.0)], 0.0, overprint)

    def paragraph(self, text: str, size: float = BODY, indent: int = 2, justify: bool = True,
                  char_space: float = 0.0) -> None:
        """A paragraph: first-line indent of ``indent`` chars, wrapped, justified except its last line.

        ``[1]`` in the text prints a raised footnote mark "1" in a small size.
        ``char_space`` letter-spaces every line (tracking), as some typesetters do.
        """
        marks = {}
        plain = ""
        for piece in re.split(r"(\[\d+\])", text):
            if re.fullmatch(r"\[\d+\]", piece):
                marks[len(plain)] = piece[1:-1]
            else:
                plain += piece
        first = self.text_width - indent * size
        lines = wrap(plain, self.font, size, first, self.text_width, char_space)
        pos = 0
        for i, line in enumerate(lines):
            runs = self._runs(line, pos, marks, size)
            pos += len(line)
            x = MARGIN + (indent * size if i == 0 else 0.0)
            avail = first if i == 0 else self.text_width
            cs = char_space
            if justify and i < len(lines) - 1:
                natural = sum(pdfmetrics.stringWidth(t, self.font, s) for t, s, _ in runs)
                n = sum(len(t) for t, _, _ in runs)
                cs = (avail - natural) / max(1, n - 1)
            self._draw_line(x, size, runs, cs)

    def _runs(self, line: str, pos: int, marks: dict[int, str], size: float) -> list[tuple[str, float, float]]:
        runs: list[tuple[str, float, float]] = []
        start = 0
        for off in sorted(o for o in marks if pos < o <= pos + len(line)):
            runs.append((line[start : off - pos], size, 0.0))
            runs.append((marks[off], size * 0.55, size * 0.4))
            start = off - pos
        runs.append((line[start:], size, 0.0))
        return [r for r in runs if r[0]]

    def table(self, rows: list[list[str]], widths: list[float], size: float = 9.0, repeat_header: bool = False) -> None:
        """A ruled table (GRID on every cell), split over pages where it does not fit."""
        style = TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("FONT", (0, 0), (-1, -1), self.font, size),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ])
        table = Table(rows, colWidths=widths, style=style, repeatRows=1 if repeat_header else 0)
        self.space(4)
        while table is not None:
            avail = self.y - self.bottom
            _, h = table.wrapOn(self.c, self.text_width, avail)
            if h <= avail:
                table.drawOn(self.c, MARGIN, self.y - h)
                self.y -= h + 6
                return
            parts = table.split(self.text_width, avail)
            if len(parts) < 2:
                self.new_page()
                continue
            head, table = parts[0], parts[1]
            _, h = head.wrapOn(self.c, self.text_width, avail)
            head.drawOn(self.c, MARGIN, self.y - h)
            self.new_page()

    def footnote(self, mark: str, text: str, size: float = 8.0) -> None:
        """A footnote at the foot of the current page, under a short rule, above the page number."""
        y = self.bottom - 4
        self.c.setLineWidth(0.5)
        self.c.line(MARGIN, y + size + 6, MARGIN + 80, y + size + 6)
        t = self.c.beginText(MARGIN, y)
        t.setFont(self.font, size * 0.7)
        t.setRise(size * 0.35)
        t.textOut(mark)
        t.setRise(0)
        t.setFont(self.font, size)
        t.textOut(" " + text)
        self.c.drawText(t)

    def save(self) -> Path:
        self.c.showPage()
        self.c.save()
        return self.path


# --- the documents --------------------------------------------------------------------------

LONG_SPLIT = (
    "报告期内，公司坚持以客户为中心，持续推进数字化转型和精细化管理，主营业务保持稳健增长，"
    "全年实现营业收入125.6亿元，较上年同期增长8.3%，归属于上市公司股东的净利润10.2亿元，"
    "较上年同期增长6.1%，经营活动产生的现金流量净额保持充裕，资产负债结构进一步优化，"
    "研发投入占营业收入的比例达到4.5%，新产品销售收入占比持续提升，海外市场拓展取得积极进展，"
    "在东南亚和中东地区新设三家子公司，为公司长期可持续发展奠定了坚实基础，"
    "同时公司不断完善内部控制体系，强化风险管理，确保各项业务合规有序开展。"
)


WRAPPED_HEADING = "三、报告期内公司从事的主要业务、经营模式及行业情况说明和核心竞争力分析"


def make_simplified_annual_report(path: Path) -> Path:
    """第一节 / 第二节 divisions, 一、 and （一） headings set in falling sizes, wrapped and justified
    paragraphs, one ragged (unjustified) paragraph, and a paragraph cut by the page break."""
    w = Writer(path, SIMPLIFIED, header="某某股份有限公司2023年年度报告", page_number=lambda n: str(n))
    w.heading("第一节 重要提示", 16)
    w.paragraph("公司董事会、监事会及董事、监事、高级管理人员保证年度报告内容的真实性、准确性、完整性，"
                "不存在虚假记载、误导性陈述或重大遗漏，并承担个别和连带的法律责任。")
    w.paragraph("本报告中涉及的未来计划、发展战略等前瞻性描述不构成公司对投资者的实质承诺，"
                "敬请投资者注意投资风险。", justify=False)
    w.heading("第二节 公司简介和主要财务指标", 16)
    w.heading("一、公司信息", 14)
    w.paragraph("公司的中文名称为某某股份有限公司，中文简称为某某股份，股票代码为600000，"
                "公司的法定代表人为张三，注册地址和办公地址均位于上海市浦东新区世纪大道100号。")
    w.paragraph("公司信息披露媒体为《中国证券报》《上海证券报》，登载年度报告的网站地址为上海证券交易所网站，"
                "公司年度报告备置地点为公司董事会办公室，投资者可在工作日内查阅，"
                "公司聘请的会计师事务所为某某会计师事务所（特殊普通合伙），签字会计师为李四、王五。")
    w.heading("（一）经营情况讨论与分析", 12)
    w.paragraph(LONG_SPLIT)
    w.paragraph("公司将继续围绕年度经营目标，聚焦主业，提升核心竞争力。")
    w.heading("（二）主要会计数据", 12)
    w.paragraph("本年度公司不存在需要追溯调整或重述以前年度会计数据的情况。")
    w.heading("二、境内外会计准则下会计数据差异", 14)
    w.paragraph("报告期内，公司不存在按照国际会计准则与按照中国会计准则披露的财务报告中净利润和净资产差异情况。")
    w.heading(WRAPPED_HEADING, 14, hang=2)
    w.paragraph("公司主要从事高端装备的研发、生产和销售，产品广泛应用于能源、交通和电子信息等领域。")
    return w.save()


INCOME_STATEMENT = [
    ["项目", "2023年度", "2022年度"],
    ["一、营业总收入", "12,560,000,000.00", "11,597,000,000.00"],
    ["其中：营业收入", "12,560,000,000.00", "11,597,000,000.00"],
    ["二、营业总成本", "11,020,000,000.00", "10,230,000,000.00"],
    ["其中：营业成本", "9,870,000,000.00", "9,150,000,000.00"],
    ["税金及附加", "86,000,000.00", "79,000,000.00"],
    ["三、营业利润", "1,540,000,000.00", "1,367,000,000.00"],
    ["加：营业外收入", "12,000,000.00", "9,000,000.00"],
    ["四、利润总额", "1,552,000,000.00", "1,376,000,000.00"],
    ["五、净利润", "1,020,000,000.00", "961,000,000.00"],
]


def make_financial_statement(path: Path) -> Path:
    """A ruled income statement whose first column numbers its rows 一、 二、 三、 like headings."""
    w = Writer(path, SIMPLIFIED)
    w.heading("第十节 财务报告", 16)
    w.paragraph("以下为公司2023年度合并利润表，金额单位为人民币元。")
    w.heading("合并利润表", 12, center=True)
    w.table(INCOME_STATEMENT, [120, 100, 100])
    w.paragraph("公司负责人、主管会计工作负责人及会计机构负责人保证财务报告的真实、准确、完整。")
    return w.save()


PAGE_NUMBER_FORMS = {
    "plain": lambda n: str(n),
    "dashes": lambda n: f"— {n} —",
    "di-ye": lambda n: f"第 {n} 页",
    "of-total": lambda n: f"{n} / 3",
}


def make_running_header_report(path: Path, form: str = "plain") -> Path:
    """Three pages, each with the same running header and a page number printed as ``form``."""
    w = Writer(path, SIMPLIFIED, header="某某股份有限公司 2023 年年度报告", page_number=PAGE_NUMBER_FORMS[form])
    for n, title in enumerate(("第三节 管理层讨论与分析", "第四节 公司治理", "第五节 环境和社会责任"), start=1):
        if n > 1:
            w.new_page()
        w.heading(title, 16)
        w.paragraph("报告期内，公司严格按照《公司法》《证券法》等法律法规的要求，不断完善公司治理结构，"
                    "建立健全内部控制制度，规范公司运作，提高公司治理水平。")
        w.paragraph("公司股东大会、董事会、监事会和经营管理层权责明确，各司其职，有效制衡，科学决策。")
    return w.save()


SUBSIDIARIES = [["序号", "子公司名称", "持股比例"]] + [[str(i), f"某某子公司{i}号有限公司", f"{50 + i}%"] for i in range(1, 24)]


def make_table_over_page_break(path: Path, repeat_header: bool = False) -> Path:
    """A ruled table of 24 rows that does not fit on its page and runs on to the next, under a
    running header; with ``repeat_header`` the next page reprints the column heads (续表)."""
    w = Writer(path, SIMPLIFIED, header="某某股份有限公司2023年年度报告", page_number=lambda n: str(n))
    w.heading("第六节 重要事项", 16)
    w.heading("一、主要控股参股公司", 14)
    for _ in range(3):
        w.paragraph("公司主要控股参股公司的情况如下表所示，持股比例为报告期末公司直接和间接合计持有的比例。")
    w.table(SUBSIDIARIES, [50, 170, 80], repeat_header=repeat_header)
    w.paragraph("上述子公司均已纳入公司合并财务报表范围。")
    return w.save()


def make_footnote_report(path: Path) -> Path:
    """A paragraph with a raised footnote mark and the footnote at the foot of the page."""
    w = Writer(path, SIMPLIFIED, page_number=lambda n: str(n))
    w.heading("第七节 股份变动及股东情况", 16)
    w.paragraph("截至报告期末，公司普通股股东总数为35,682户[1]，较上一月末减少1.2%。")
    w.paragraph("公司控股股东及实际控制人在报告期内均未发生变化。")
    w.footnote("1", "股东总数以中国证券登记结算有限责任公司提供的名册为准。")
    return w.save()


ARTICLE_ITEMS = ("一、公司之營運計畫。", "二、年度財務報告及半年度財務報告。", "三、依證券交易法規定訂定或修正內部控制制度。")


def make_traditional_regulation(path: Path) -> Path:
    """Traditional Chinese: 第一章 chapters (centred) holding 第X條 articles numbered on
    continuously from one chapter to the next, as regulations number them."""
    w = Writer(path, TRADITIONAL, page_number=lambda n: f"- {n} -")
    w.heading("某某股份有限公司董事會議事規則", 18, center=True)
    w.heading("第一章 總則", 14, center=True)
    w.heading("第一條 訂定依據", 12)
    w.paragraph("為建立本公司良好董事會治理制度、健全監督功能及強化管理機能，爰依公開發行公司董事會議事辦法"
                "第二條規定訂定本規則，以資遵循。")
    w.heading("第二條 適用範圍", 12)
    w.paragraph("本公司董事會之議事規範，其主要議事內容、作業程序、議事錄應載明事項、公告及其他應遵行事項，"
                "應依本規則之規定辦理。")
    w.heading("第二章 會議之召集", 14, center=True)
    w.heading("第三條 召集期限", 12)
    w.paragraph("本公司董事會每季至少召開一次，召集時應載明事由，於七日前通知各董事及監察人。"
                "但有緊急情事時，得隨時召集之。")
    w.heading("第四條 開會地點", 12)
    w.paragraph("本公司董事會召開之地點與時間，應於本公司所在地及辦公時間或便於董事出席且適合董事會召開之地點及時間為之。")
    w.heading("第五條 應議事項", 12)
    w.paragraph("下列事項應提董事會討論：")
    # 款 of an article: numbered 一、 like headings but set in the body face, indented one character
    for item in ARTICLE_ITEMS:
        w.paragraph(item, indent=1, justify=False)
    return w.save()


def make_letter_spaced_text(path: Path) -> Path:
    """Paragraphs set with tracking (extra space after every character, digits and Latin too)."""
    w = Writer(path, SIMPLIFIED)
    w.heading("第八节 优先股相关情况", 16)
    w.paragraph("本公司2023年实现营业收入12.5亿元，同比增长8.6%，净资产收益率为10.2%。", char_space=2.5, justify=False)
    w.paragraph("公司在Hong Kong设立的子公司运营正常，报告期内未发行优先股。", char_space=3.0, justify=False)
    w.paragraph("报告期内公司不存在优先股相关情况，也不存在其他需要披露的事项，特此说明并提请投资者予以关注。",
                char_space=1.5)
    return w.save()


def make_fake_bold(path: Path) -> Path:
    """Headings in the body size "made bold" by drawing them twice — once exactly on top of
    itself, once shifted by a fraction of a point — as word processors do for fonts with no bold."""
    w = Writer(path, SIMPLIFIED)
    w.heading("第九节 债券相关情况", 16)
    w.heading("一、企业债券", BODY, overprint=(0.0, 0.0))
    w.paragraph("报告期内公司不存在企业债券。")
    w.heading("二、公司债券", BODY, overprint=(0.0, 0.4))
    w.paragraph("报告期内公司不存在公司债券。")
    return w.save()


ALL = {
    "simplified-annual-report.pdf": make_simplified_annual_report,
    "financial-statement.pdf": make_financial_statement,
    "running-header-report.pdf": make_running_header_report,
    "table-over-page-break.pdf": make_table_over_page_break,
    "footnote-report.pdf": make_footnote_report,
    "traditional-regulation.pdf": make_traditional_regulation,
    "letter-spaced-text.pdf": make_letter_spaced_text,
    "fake-bold.pdf": make_fake_bold,
}


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    for name, make in ALL.items():
        print(make(out / name))
