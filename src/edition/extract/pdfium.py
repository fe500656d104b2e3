"""What pdfminer cannot see, read with pypdfium2: glyphs drawn with fill *and* stroke.

Word sets 標楷體 (DFKai) and other CJK faces without a bold cut "bold" by stroking the glyph
outline as well as filling it (PDF text render mode 2). pdfminer, under pdfplumber, does not
record a glyph's render mode, so such a heading has the same font name, size and colour as the
body text. PDFium reports the mode per text object (``FPDFText_GetTextObject`` →
``FPDFTextObj_GetTextRenderMode``). pypdfium2 is already installed as pdfplumber's own
dependency; it is used here for this one fact, and pdfplumber stays the reference reading of
the page: a stroked glyph counts only where pdfplumber has the same character at that place.
"""

from __future__ import annotations

import ctypes

# PDF 32000-1 §9.3.6, Table 106: 2 = fill then stroke, 6 = fill, stroke and add to clip path.
FILL_STROKE_MODES = frozenset({2, 6})

StrokedGlyph = tuple[str, float, float]  # (character, x centre, y centre measured from the top)


def open_document(path: str, password: str | None):
    """The PDF opened with PDFium, or None where PDFium cannot read it (bold then goes by names)."""
    try:
        import pypdfium2 as pdfium

        return pdfium.PdfDocument(path, password=password or None)
    except Exception:  # a file pdfminer opens and PDFium refuses still gets read, minus this fact
        return None


def stroked_glyphs(document, index: int) -> list[StrokedGlyph]:
    """Every glyph on page ``index`` (0-based) drawn in a fill-and-stroke render mode.

    The render mode is a property of the text object, so it is asked once per object, not per
    glyph; only the glyphs of a stroked object are measured.
    """
    if document is None:
        return []
    try:
        import pypdfium2.raw as raw

        page = document[index]
        if not _has_stroked_text(page, raw):
            return []  # most pages: no need to lay out the page's text in PDFium at all
        top = page.get_mediabox()[3]
        textpage = page.get_textpage()
        modes: dict[int | None, int] = {}
        out: list[StrokedGlyph] = []
        left, right, bottom, upper = (ctypes.c_double() for _ in range(4))
        for k in range(raw.FPDFText_CountChars(textpage.raw)):
            obj = raw.FPDFText_GetTextObject(textpage.raw, k)
            address = ctypes.cast(obj, ctypes.c_void_p).value
            mode = modes.get(address)
            if mode is None:
                mode = modes[address] = raw.FPDFTextObj_GetTextRenderMode(obj) if address else -1
            if mode not in FILL_STROKE_MODES:
                continue
            code = raw.FPDFText_GetUnicode(textpage.raw, k)
            if not code or not raw.FPDFText_GetCharBox(textpage.raw, k, left, right, bottom, upper):
                continue
            out.append((chr(code), (left.value + right.value) / 2, top - (bottom.value + upper.value) / 2))
        return out
    except Exception:
        return []


def _has_stroked_text(page, raw) -> bool:
    """Whether any text object on the page is drawn fill-and-stroke (a form XObject, whose
    contents are not listed here, counts as maybe)."""
    for k in range(raw.FPDFPage_CountObjects(page.raw)):
        obj = raw.FPDFPage_GetObject(page.raw, k)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            return True
        if kind == raw.FPDF_PAGEOBJ_TEXT and raw.FPDFTextObj_GetTextRenderMode(obj) in FILL_STROKE_MODES:
            return True
    return False


def mark_stroked(chars: list[dict], glyphs: list[StrokedGlyph]) -> list[dict]:
    """pdfplumber chars with ``stroked=True`` where PDFium drew the same character there stroked.

    PDFium's glyph box is the tight outline, pdfplumber's the font's em box: the outline's
    centre lies inside the em box of the char it belongs to.
    """
    if not glyphs:
        return chars
    by_text: dict[str, list[int]] = {}
    for i, ch in enumerate(chars):
        by_text.setdefault(ch["text"], []).append(i)
    hit: set[int] = set()
    for text, cx, cy in glyphs:
        for i in by_text.get(text, ()):
            ch = chars[i]
            if ch["x0"] - 0.5 <= cx <= ch["x1"] + 0.5 and ch["top"] - 0.5 <= cy <= ch["bottom"] + 0.5:
                hit.add(i)
                break
    return [dict(ch, stroked=True) if i in hit else ch for i, ch in enumerate(chars)]
