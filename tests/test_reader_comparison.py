"""The PDFium reader against the pdfplumber path it replaces, on the report and the corpus.

Both readers' records go through the same layout and structure stages; the documents must be
the same but for the differences listed here, each explained:

* **boxes** — a glyph box runs from the font's descent to one em above it. The report's fonts
  declare an ascent and descent of 0 in their descriptors, which pdfminer takes at its word
  (the box sits on the baseline); PDFium reads the font program's own metrics (0.08–0.11 em
  below the baseline). The report's boxes therefore sit lower by that share of their size (1 pt
  in the 12 pt body, 2.4 pt in the cover's title); no left edge moves. On the corpus, whose
  fonts declare their metrics, tops and bottoms are the same (within a rounding step).
* **right edges** — a line's last glyph ends where its advance ends: the width the PDF's width
  table gives it. PDFium is asked for it by character (``FPDFFont_GetGlyphWidth``), and where a
  font maps several glyphs to one character (Cambria Math's digits and letters in their math
  styles) it answers for another of them; the reader then keeps to PDFium's own glyph box.
  Those right edges differ by up to 1.2 pt (kunsheng-report's formulas, ntust-rules' page 6).
* **runs of spaces** — PDFium's text layer reads a run of space glyphs as one space (the
  cover's "姓    名" is "姓 名"); and a few space glyphs set between formula glyphs are not
  kept ("{𝑥,𝑥,… , 𝑥𝑚}      (6)" reads "{𝑥,𝑥,… ,𝑥𝑚}(6)").
* **compatibility ideographs** — a font that maps a glyph to a CJK compatibility ideograph
  (論 U+F941) gives the unified character (論 U+8AD6), as Unicode normalisation does.
* **rotated text** — creditcard-report prints two tables turned 90° on its pages 25 and 26, and
  ntust-rules the labels of its spine sample (page 5); pdfplumber's path dropped their 2 535 and
  22 characters without a word, the reader keeps them as furniture on record (``rotated-text``)
  and the QA counts them.
* **order within a line** — the thesis' "ln（DIF）" came out "l（n DIF）" from pdfminer.
* **vertical writing** — ntust-rules' page 5 is a sample thesis spine set vertically: pdfminer
  boxes vertical glyphs from their vertical origin, the reader as horizontal ones, 0.12 em
  lower; the spine's one-glyph lines group differently there.

Skipped where the corpus is absent (the report is compared anyway).
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from conftest import REPORT_PDF, ROOT

CORPUS = ROOT.parent / "shared" / "corpus"
DOCS = [REPORT_PDF] + [CORPUS / f"{n}.pdf" for n in ("creditcard-report", "kunsheng-report", "ntust-rules", "mineru-wang-thesis",
                                                      "crawler-report")]
# (document, text before, text after) where a text changed beyond the runs of spaces and the
# compatibility ideographs: the rest of the text around it is the same
CHANGED = {
    ("kunsheng-report", "X ={𝑥,𝑥,… , 𝑥𝑚} (6)", "X ={𝑥,𝑥,… ,𝑥𝑚}(6)"),
    ("kunsheng-report", "Y ={𝑦,𝑦,… , 𝑦𝑚} (10)", "Y ={𝑦,𝑦,… ,𝑦𝑚}(10)"),
    ("mineru-wang-thesis", "核心解释变量l（n DIF）", "核心解释变量ln（DIF）"),
}
VERTICAL_PAGES = {"ntust-rules": {5}}


def _text(s: str) -> str:
    s = re.sub(r"[\uf900-\ufaff]", lambda m: unicodedata.normalize("NFC", m.group()), s)
    return re.sub(r" {2,}", " ", s)


def _norm(node, skip_pages: set[int]):
    """The document without boxes, ids and the reader's new furniture, texts normalised."""
    if isinstance(node, dict):
        if node.get("kind") in ("rotated-text", "off-page-text", "furniture-removed") or node.get("page") in skip_pages:
            return None
        return {k: _norm(v, skip_pages) for k, v in node.items() if k not in ("bbox", "id")}
    if isinstance(node, list):
        return [x for x in (_norm(v, skip_pages) for v in node) if x is not None]
    return _text(node) if isinstance(node, str) else node


def _texts(node, out: list):
    if isinstance(node, dict):
        for v in node.values():
            _texts(v, out)
    elif isinstance(node, list):
        for v in node:
            _texts(v, out)
    elif isinstance(node, str):
        out.append(node)
    return out


def _boxes(node, out: list):
    if isinstance(node, dict):
        if isinstance(node.get("bbox"), list) and isinstance(node.get("page"), int):
            out.append((node["page"], tuple(node["bbox"])))
        for v in node.values():
            _boxes(v, out)
    elif isinstance(node, list):
        for v in node:
            _boxes(v, out)
    return out


@pytest.fixture(scope="module", params=DOCS, ids=lambda p: p.stem)
def both(request):
    path = request.param
    if not path.exists():
        pytest.skip(f"{path} is not here")
    from edition.extract.pdf import read_pdf as plumber_read
    from edition.pipeline import source_to_document
    from edition.reading.pdf import read_pdf

    return path.stem, source_to_document(plumber_read(path, jobs=1)), source_to_document(read_pdf(path, jobs=1))


def test_the_reader_reads_the_same_document_but_for_the_listed_differences(both):
    name, old, new = both
    skip = VERTICAL_PAGES.get(name, set())
    a, b = _norm(old, skip), _norm(new, skip)
    if a == b:
        return
    ta, tb = _texts(a, []), _texts(b, [])
    assert len(ta) == len(tb), "the documents differ somewhere other than in their texts"
    unexplained = [(x, y) for x, y in zip(ta, tb)
                   if x != y and not any(doc == name and old in x and x.replace(old, new) == y for doc, old, new in CHANGED)]
    assert unexplained == []
    assert ta != tb, "the documents differ somewhere other than in their texts"


def test_boxes_stay_in_place_or_move_down_by_the_fonts_descent(both):
    name, old, new = both
    skip = VERTICAL_PAGES.get(name, set())
    a = [(p, x) for p, x in _boxes(old, []) if p not in skip]
    b = [(p, x) for p, x in _boxes(new, []) if p not in skip]
    assert len(a) == len(b)
    pairs = [(p, x, y) for (p, x), (q, y) in zip(a, b)]
    assert len(pairs) > 50
    for page, x, y in pairs:
        assert abs(x[0] - y[0]) <= 0.2 and abs(x[2] - y[2]) <= 1.25, (page, x, y)
        if name == "hokkaido-report":
            assert -0.1 <= y[1] - x[1] <= 0.12 * (x[3] - x[1]) and -0.1 <= y[3] - x[3] <= 0.12 * (x[3] - x[1]), (page, x, y)
        else:
            assert abs(y[1] - x[1]) <= 0.2 and abs(y[3] - x[3]) <= 0.2, (page, x, y)


def test_rotated_tables_once_dropped_are_on_record(both):
    name, old, new = both
    rotated = [f for f in new["furniture"] if f["kind"] == "rotated-text"]
    assert not [f for f in old["furniture"] if f["kind"] == "rotated-text"]
    if name == "creditcard-report":
        assert [f["page"] for f in rotated] == [25, 26]
        assert sum(len(f["text"]) for f in rotated) == 2535
        assert "2 pages with text set rotated" in next(q["message"] for q in new["qa"] if q["kind"] == "furniture-removed")
    elif name == "ntust-rules":
        assert [(f["page"], len(f["text"])) for f in rotated] == [(5, 22)]
    else:
        assert rotated == []
