"""The reader's per-character loops run in C (``edition/reading/_native.c``) where the package was
built with a C compiler, and in Python where it was not. Both must give the same pages, value
for value: on the report, the corpus (kunsheng's math italic lies beyond the BMP), the odd PDFs
kept in the tests (pages turned 90° and 180°, damaged files) and the generated ones, and on
made-up lines and doubled glyphs."""

from __future__ import annotations

import inspect
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CORPUS, REPORT_PDF, ROOT
from edition.extract.settings import LayoutSettings
from edition.reading import chars as chars_module
from edition.reading import pdfium
from edition.reading.pdfium import Char, Document

native = pdfium._native
needs_native = pytest.mark.skipif(native is None, reason="the package was installed without its C part")


def test_the_c_part_is_built_where_a_compiler_is():
    # an install that silently fell back to Python would read every page at 2.6 times the cost
    if not (shutil.which("cc") or shutil.which("gcc")):
        pytest.skip("no C compiler here: the package runs its Python loops")
    assert native is not None, "edition.reading._native was not built: reinstall (make test does it)"
    assert chars_module._native is native


@needs_native
def test_the_compiled_loops_are_not_older_than_their_source():
    # an edit of _native.c runs only once compiled again: `make test` does it (pytest alone does not)
    import os

    source = ROOT / "src" / "edition" / "reading" / "_native.c"
    if not native.__file__.startswith(str(ROOT / "src")):
        pytest.skip("the package is installed, not a checkout")
    assert os.path.getmtime(native.__file__) >= os.path.getmtime(source), \
        "src/edition/reading/_native.c changed since it was compiled: run `make test` (or pip install -e .)"


def _pages(path, use_native: bool, monkeypatch) -> list[str]:
    """Every page of ``path`` as read by one of the two loops, each in a Document of its own (the
    glyph widths a document caches must not pass from one reader to the other). Compared by repr:
    it tells -0.0 from 0.0 and matches NaN with NaN."""
    with monkeypatch.context() as m:
        if not use_native:
            m.setattr(pdfium, "_native", None)
        try:
            doc = Document(str(path))
        except Exception as err:  # a file PDFium refuses: both readers refuse it alike
            return [f"refused: {type(err).__name__}"]
        with doc:
            out = []
            for k in range(len(doc)):
                try:
                    out.append(repr(doc.page(k)))
                except Exception as err:  # a page PDFium cannot load: both readers say so alike
                    out.append(f"page {k + 1}: {type(err).__name__}")
            return out


def _generated(tmp_path_factory) -> list:
    from pdfs import make_unseen

    folder = tmp_path_factory.mktemp("generated")
    made = []
    for name, make in sorted(vars(make_unseen).items()):
        if name.startswith("make_") and len(inspect.signature(make).parameters) == 1:
            made.append(make(folder / f"{name[5:]}.pdf"))
    return made


def _sources(tmp_path_factory) -> list:
    paths = [REPORT_PDF]
    paths += sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []
    paths += sorted((ROOT / "tests" / "pdfs" / "odd").glob("*.pdf"))
    return paths + _generated(tmp_path_factory)


@needs_native
def test_the_c_and_python_readers_give_the_same_pages(tmp_path_factory, monkeypatch):
    sources = _sources(tmp_path_factory)
    pages = 0
    for path in sources:
        theirs, ours = _pages(path, False, monkeypatch), _pages(path, True, monkeypatch)
        assert len(ours) == len(theirs), path
        for k, (a, b) in enumerate(zip(theirs, ours)):
            assert a == b, f"{path.name}, page {k + 1}"
        pages += len(ours)
    assert pages >= 150  # the report alone has 103


def _char(text: str, x0: float, top: float, overprinted: bool = False) -> Char:
    return Char(text, x0, top, x0 + 10.0, top + 10.0, 10.0, "SimSun", top + 8.0, overprinted=overprinted)


# glyphs at a few nearby places, some twice (as fake bold draws them), some blank
_glyphs = st.lists(
    st.builds(_char, st.sampled_from(["中", "文", "a", " ", "\u3000", "中文"]),
              st.floats(0, 6).map(lambda v: round(v, 2)), st.floats(0, 6).map(lambda v: round(v, 2)), st.booleans()),
    max_size=40)


@needs_native
@settings(max_examples=300, deadline=None)
@given(_glyphs, st.sampled_from([0.0, 0.5, 1.0, 2.5]), st.sampled_from([0.1, 0.5, 1.0]))
def test_the_c_and_python_dedupe_agree(glyphs, tolerance, ratio):
    layout = LayoutSettings(duplicate_tolerance=tolerance, duplicate_layer_ratio=ratio)
    theirs = chars_module.dedupe_chars_py(list(glyphs), layout)
    ours = chars_module.dedupe_chars(list(glyphs), layout)
    assert repr(ours) == repr(theirs)


@needs_native
def test_the_c_dedupe_agrees_on_every_page_of_the_report():
    with Document(str(REPORT_PDF)) as doc:
        for k in range(len(doc)):
            glyphs = list(doc.page(k).chars)
            assert repr(chars_module.dedupe_chars(glyphs)) == repr(chars_module.dedupe_chars_py(glyphs)), k + 1


@needs_native
def test_a_glyph_at_no_place_fails_as_in_python():
    # a NaN coordinate has no grid square: the C loop refuses it as math.floor does
    glyphs = [_char("中", 1.0, 1.0), _char("中", float("nan"), 1.0)]
    with pytest.raises(ValueError):
        chars_module.dedupe_chars_py(list(glyphs))
    with pytest.raises(ValueError):
        chars_module.dedupe_chars(list(glyphs))


@needs_native
def test_the_c_and_python_lines_are_the_same_on_every_page(tmp_path_factory, monkeypatch):
    # the printed lines, their text, marks, runs and positions, the tables: page_to_raw with the
    # C loops (dedupe, line clustering, line text) and with the Python ones
    from edition.reading.pages import page_to_raw

    for path in [REPORT_PDF, *(sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []), *_generated(tmp_path_factory)]:
        with Document(str(path)) as doc:
            for k in range(len(doc)):
                page = doc.page(k)
                ours = repr(page_to_raw(page))
                with monkeypatch.context() as m:
                    m.setattr(chars_module, "_native", None)
                    theirs = repr(page_to_raw(page))
                assert ours == theirs, f"{path.name}, page {k + 1}"


def _glyph(text: str, x0: float, width: float, top: float, size: float, font: str, mode: int) -> Char:
    return Char(text, x0, top, x0 + width, top + size, size, font, top + 0.8 * size, mode=mode)


# a line's glyphs: CJK, Latin, digits (some small and raised: footnote marks), spaces, ligatures,
# in two fonts and render modes, at gaps from touching to a column apart
_line = st.lists(
    st.builds(_glyph, st.sampled_from(["中", "文", "a", "b", "1", "2", " ", "", "fi", "。", "\u3000", "E", "."]),
              st.floats(0, 300).map(lambda v: round(v, 1)), st.sampled_from([0.0, 3.0, 5.5, 10.0]),
              st.sampled_from([0.0, 2.0, 4.5, 30.0]), st.sampled_from([5.0, 10.0, 10.04, 12.0]),
              st.sampled_from(["SimSun", "ABCDEF+TimesNewRomanPS-BoldMT"]), st.sampled_from([0, 2])),
    min_size=1, max_size=30)


@needs_native
@settings(max_examples=400, deadline=None)
@given(_line, st.sampled_from([10.0, 12.0]))
def test_the_c_and_python_line_text_agree(glyphs, size):
    ordered = sorted(glyphs, key=lambda c: c.x0)
    assert repr(chars_module.line_text(ordered, size)) == repr(chars_module.line_text_py(ordered, size))


@needs_native
@settings(max_examples=300, deadline=None)
@given(_line, st.sampled_from([0.3, 0.5, 1.0]))
def test_the_c_and_python_line_clustering_agree(glyphs, overlap):
    layout = LayoutSettings(line_overlap=overlap)
    assert repr(chars_module.chars_to_lines(glyphs, layout)) == repr(chars_module.chars_to_lines_py(glyphs, layout))
