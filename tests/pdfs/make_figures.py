"""A small report PDF with figures, for the tests of the pictures cropped into the edition.

One A5 page, typeset with reportlab's CID font (see make_pdfs.py): a chapter heading, a
paragraph, figure 1 (one picture, its caption and 資料來源 line under it) and figure 2 (a chart
pasted as two overlapping pictures, which the edition shows as one). The pictures are drawn
with Pillow, so the PDF is byte-for-byte the same on every run.

    python tests/pdfs/make_figures.py /tmp/figures.pdf
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A5
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_pdfs import TRADITIONAL, _register_fonts  # noqa: E402

CAPTIONS = ("考察地點示意圖", "產學合作經費")


def _picture(size: tuple[int, int], colours: tuple[tuple[int, int, int], ...]) -> Image.Image:
    im = Image.new("RGB", size, (236, 242, 250))
    d = ImageDraw.Draw(im)
    w, h = size
    for k, colour in enumerate(colours):
        x = w * k // len(colours)
        d.rectangle((x + 6, h // 4 + 6 * k, x + w // len(colours) - 6, h - 8), fill=colour)
    d.ellipse((w // 3, 4, w // 3 + h // 4, 4 + h // 4), fill=(30, 30, 30))
    return im


def make_figure_report(path: Path) -> Path:
    _register_fonts()
    c = Canvas(str(path), pagesize=A5, invariant=1)
    w, h = A5
    c.setFont(TRADITIONAL, 14)
    c.drawString(50, h - 55, "第一章 前言")
    c.setFont(TRADITIONAL, 10.5)
    c.drawString(71, h - 82, "本次考察拜會產業技術總合研究所，瞭解產學合作機制。")
    # figure 1: one picture
    c.drawImage(ImageReader(_picture((240, 150), ((200, 60, 40), (40, 120, 60)))), 100, h - 250, 220, 137.5)
    c.drawCentredString(w / 2, h - 266, f"圖 1、{CAPTIONS[0]}")
    c.setFont(TRADITIONAL, 9)
    c.drawCentredString(w / 2, h - 281, "資料來源：本研究繪製")
    c.setFont(TRADITIONAL, 10.5)
    c.drawString(71, h - 306, "以上為考察地點之示意，下圖為經費之比較。")
    # figure 2: one chart pasted in two overlapping pieces
    c.drawImage(ImageReader(_picture((120, 120), ((60, 90, 200),))), 110, h - 420, 100, 90)
    c.drawImage(ImageReader(_picture((120, 120), ((230, 160, 30),))), 200, h - 430, 110, 100)
    c.drawCentredString(w / 2, h - 446, f"圖 2、{CAPTIONS[1]}")
    c.drawString(71, h - 472, "以上為本章之圖示。")
    c.showPage()
    c.save()
    return path


if __name__ == "__main__":
    print(make_figure_report(Path(sys.argv[1] if len(sys.argv) > 1 else "figures.pdf")))
