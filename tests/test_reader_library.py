"""The reader calls the PDFium library pypdfium2 ships without importing pypdfium2 (55 ms of
start-up). What it gives must be what pypdfium2 gives: the same pictures byte for byte, the same
search hits, and the versions the cache keys name must be the ones ``importlib.metadata`` reads."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version

import pytest

from conftest import ROOT

REPORT = ROOT / "source_docs" / "hokkaido-report.pdf"


def test_a_build_never_imports_pypdfium2():
    # the whole reading and figure path, in a fresh interpreter, with pypdfium2 never imported
    code = ("import sys\nfrom edition.reading.pdf import read_pdf\nfrom edition.reading.pdfium import Document\n"
            f"read_pdf({str(REPORT)!r}, jobs=1)\n"
            f"with Document({str(REPORT)!r}) as d, d.view(12) as v:\n    v.render(1.0, (0, 0, 0, 0))\n"
            "print('pypdfium2' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize("page, scale, crop", [(12, 2.0, (60.5, 300.25, 80.0, 200.0)), (0, 1.0, (0, 0, 0, 0)), (40, 3.7, (100, 100, 100, 100))])
def test_a_rendering_is_pypdfium2s_byte_for_byte(page, scale, crop):
    import pypdfium2 as pdfium

    from edition.reading.pdfium import Document

    theirs = pdfium.PdfDocument(str(REPORT))
    try:
        expected = theirs[page].render(scale=scale, crop=crop, draw_annots=False)
        with Document(str(REPORT)) as doc, doc.view(page) as view:
            ours = view.render(scale, crop)
            assert view.get_size() == theirs[page].get_size()
        assert (ours.width, ours.height, ours.stride) == (expected.width, expected.height, expected.stride)
        assert ours.buffer == bytes(expected.buffer)
        assert ours.to_pil().tobytes() == expected.to_pil().tobytes()
    finally:
        theirs.close()


def test_search_and_boxes_are_pypdfium2s():
    import pypdfium2 as pdfium

    from edition.reading.pdfium import Document

    theirs = pdfium.PdfDocument(str(REPORT))
    try:
        tp = theirs[12].get_textpage()
        searcher = tp.search("北海道", match_case=True)
        hits = []
        while (hit := searcher.get_next()) is not None:
            hits.append(hit)
        rects = [[tp.get_rect(k) for k in range(tp.count_rects(*h))] for h in hits]
        line = tp.get_text_bounded(0, 400, 600, 420)
        with Document(str(REPORT)) as doc, doc.view(12) as view:
            assert list(view.search("北海道")) == hits and hits
            assert [view.rects(*h) for h in hits] == rects
            assert view.text_in(0, 400, 600, 420) == line
            assert list(view.search("no such words anywhere")) == []
    finally:
        theirs.close()


def test_a_missing_file_or_an_encrypted_one_is_refused_in_one_line(tmp_path):
    from edition.errors import SourceError
    from edition.reading.pdfium import Document

    with pytest.raises(SourceError, match="no such file"):
        Document(str(tmp_path / "gone.pdf"))
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.4\nnothing here\n%%EOF\n")
    with pytest.raises(SourceError, match="not a readable PDF"):
        Document(str(junk))


@pytest.mark.parametrize("name", ["pdfplumber", "pdfminer.six", "opencc", "pyyaml", "PyYAML", "pypdfium2", "pillow", "click", "no-such-package-x"])
def test_installed_versions_are_importlib_metadatas(name):
    from edition.packages import installed_version

    try:
        expected = version(name)
    except PackageNotFoundError:
        expected = None
    assert installed_version(name) == expected


def test_pdfplumbers_table_finder_is_loaded_without_its_pdf_parser():
    # the report has ruled tables: the finder runs, and pdfminer's parser is never imported
    code = ("import sys\nfrom edition.reading.pdf import read_pdf\n"
            f"doc = read_pdf({str(REPORT)!r}, jobs=1)\n"
            "print(sum(1 for r in doc.records if type(r).__name__ == 'TableGrid'), 'pdfplumber' in sys.modules, 'pdfminer' in sys.modules)")
    tables, plumber, miner = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert int(tables) > 0 and (plumber, miner) == ("False", "False")


def test_the_finders_pdf_object_decoding_is_pdfplumbers_when_called():
    # utils.pdfinternals stands in without pdfminer; a call reaches pdfplumber's own function
    from edition.reading import tables

    utils = tables.plumber("utils")
    import pdfplumber.utils

    assert utils.decode_text(b"\xfe\xff\x4e\x2d") == pdfplumber.utils.decode_text(b"\xfe\xff\x4e\x2d") == "中"


def test_the_table_finder_falls_back_to_the_plain_import(monkeypatch):
    import importlib.util

    from edition.reading import tables

    monkeypatch.delitem(__import__("sys").modules, tables._ALIAS, raising=False)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: (_ for _ in ()).throw(ImportError("laid out otherwise")))
    import pdfplumber.table

    assert tables.plumber("table") is pdfplumber.table


def _pdf(path, content: bytes, fonts: dict[str, bytes], extra: tuple[bytes, ...] = ()) -> None:
    """A one-page PDF with the given content stream and fonts (name → font dictionary, objects
    5, 6 …), then ``extra`` objects numbered after the fonts."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"]
    font_refs = " ".join(f"/{name} {5 + k} 0 R" for k, name in enumerate(fonts)).encode()
    objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << " + font_refs + b" >> >> >>")
    objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    objects += list(fonts.values()) + list(extra)
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for k, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % k + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


def test_a_math_fonts_deep_descent_does_not_pull_its_glyphs_into_the_line_below(tmp_path):
    # A formula's glyphs set in a face whose descent is its tallest stacked operator's (Cambria
    # Math declares 2.46 em) on the line above a sentence: boxes drawn from that descent would
    # reach into the sentence and its letters would be read between the sentence's words.
    from edition.pipeline import extract

    math = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Oblique /FontDescriptor 7 0 R >>")
    descriptor = (b"<< /Type /FontDescriptor /FontName /Helvetica-Oblique /Flags 96 /FontBBox [-170 -2460 1116 1000] "
                  b"/ItalicAngle -12 /Ascent 1000 /Descent -2460 /CapHeight 718 /StemV 88 >>")
    sentence = b"Sentence one about the results of the study, which the formula above sums up."
    content = (b"BT /F1 11 Tf 72 700 Td (" + sentence + b") Tj ET\n"
               b"BT /F2 9 Tf 200 716 Td (xyz) Tj ET\nBT /F2 9 Tf 260 716 Td (uvw) Tj ET\n")
    pdf = tmp_path / "formula.pdf"
    _pdf(pdf, content, {"F1": b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", "F2": math}, (descriptor,))
    doc = extract(pdf)
    texts = [n["text"] for n in __import__("conftest").walk(doc["blocks"]) if n.get("type") == "paragraph"]
    assert sentence.decode() in texts, texts


def test_pages_read_by_worker_processes_are_the_pages_read_in_one():
    # a long document is read by page workers (fresh interpreters); the report is short enough
    # to be read in the process itself, so the test asks for workers at 24 pages each
    from dataclasses import replace

    from edition.extract.settings import DEFAULT
    from edition.reading.pdf import read_pages

    def seen(records) -> list[str]:
        return [repr((r.raw, r.rotated, r.off_page, r.unreadable)) for r in records]

    eager = replace(DEFAULT, pages_per_job=24)
    assert seen(read_pages(REPORT, None, 2, eager)) == seen(read_pages(REPORT, None, 1, DEFAULT))
