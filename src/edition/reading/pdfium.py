"""The one place a PDF is opened: every page's characters, paths, pictures and links, read with
PDFium (the library pypdfium2 ships, called through ctypes) into typed values.

A page is loaded, read and closed again before the next one: nothing of a page stays in memory
but the small tuples below, so a document larger than memory reads page by page.

What PDFium's text layer (``FPDFText_*``) gives, and where this module departs from it:

* **Glyph boxes as pdfminer draws them**, so the layout thresholds keep their meaning: from the
  glyph's origin to its advance width (``FPDFFont_GetGlyphWidth``, the width the PDF gives the
  glyph), and from the font's descent to one em above it. PDFium's own "loose" box is the union
  of that box and the glyph's ink, so an overhanging italic *f* or a bold CJK glyph would seem
  to touch its neighbour; it is used only where the width is unknown, as its upper bound.
* **Real glyphs only.** PDFium inserts a space where it sees a gap (``FPDFText_IsGenerated``)
  and line breaks; the layout stage decides word spaces from the gaps itself (it never spaces
  CJK text), so generated characters are dropped. A space glyph set on its own (Word sets the
  space between a CJK and a Latin run as a text object of its own) has no ink, and PDFium drops
  the whole object: such blank objects are read from the page's objects and put back as space
  characters — Word marks word breaks at line wraps that way, and the flow stage reads them.
* **Drawn twice.** PDFium drops a text object drawn again over itself (fake bold); the page's
  objects show the copy, so the characters it covered are marked ``overprinted`` (bold) and
  counted as duplicates, as pdfplumber's ``dedupe_chars`` would.
* **Upright text only goes on.** Characters rotated or mirrored on the page (an axis label, a
  stamp) are kept apart (``PageContent.rotated``) for the record, and so are characters outside
  the page.
* A hyphen that PDFium marks as a line-end hyphen (code 2) is a hyphen again; a glyph its font
  maps to no character comes out as ``(cid:N)``, as pdfminer writes it.

Coordinates are PDF points from the top left of the page as displayed: its crop box, with
``/Rotate`` applied.
"""

from __future__ import annotations

import ctypes
import hashlib
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from ..errors import SourceError

try:  # the reader's loops in C (built with the package where a C compiler is at hand)
    from . import _native
except ImportError:  # pragma: no cover - an install without a C compiler
    _native = None

# A font's descent (share of the em below the baseline) beyond which it is no text face's, and
# what such a face's glyph boxes get instead (a text face's usual descent).
_MAX_DESCENT = 1.0
_TYPICAL_DESCENT = -0.25

# PDF 32000-1 §9.3.6, Table 106: 2 = fill then stroke, 6 = fill, stroke and add to clip path.
FILL_STROKE_MODES = frozenset({2, 6})
# PDFium's object types and path segment types (fpdf_edit.h)
_TEXT, _PATH, _IMAGE, _FORM = 1, 2, 3, 5
_LINETO, _BEZIERTO, _MOVETO = 0, 1, 2
# a text object narrower than this has no ink: PDFium's own cut-off (kSizeEpsilon)
_NO_INK = 0.01


class Char(NamedTuple):
    """One glyph as printed. ``size`` is the font size on the page (points); ``baseline`` is
    where its glyph stands (points from the top); ``mode`` the text render mode; ``fill`` and
    ``stroke`` the colours as 0xRRGGBBAA; ``overprinted``: the same glyph was drawn again over
    it (fake bold)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    fontname: str
    baseline: float
    mode: int = 0
    fill: int = 0xFF
    stroke: int = 0xFF
    overprinted: bool = False

    @property
    def stroked(self) -> bool:
        """Drawn with fill and stroke: Word's bold for a CJK face that has no bold cut."""
        return self.mode in FILL_STROKE_MODES


class Shape(NamedTuple):
    """A painted path, as pdfminer classes it: ``line`` (one segment), ``rect`` (an axis-aligned
    rectangle) or ``curve`` (anything else); ``pts`` its points (the end points of its segments)."""

    kind: str
    x0: float
    top: float
    x1: float
    bottom: float
    pts: tuple[tuple[float, float], ...]
    stroke: bool
    fill: bool


class Picture(NamedTuple):
    """An image drawn on the page; ``ident`` says what it shows (its pixel size and a hash of its
    data), so the same logo drawn on every page is recognised as one picture."""

    x0: float
    top: float
    x1: float
    bottom: float
    ident: str


class Link(NamedTuple):
    """A link annotation: where it is and the address it opens ("" for a link inside the PDF)."""

    x0: float
    top: float
    x1: float
    bottom: float
    uri: str


@dataclass(frozen=True)
class PageContent:
    """Everything read from one page."""

    number: int
    width: float
    height: float
    rotation: int  # degrees, as /Rotate says
    chars: tuple[Char, ...]
    shapes: tuple[Shape, ...]
    pictures: tuple[Picture, ...]
    links: tuple[Link, ...] = ()
    rotated: tuple[Char, ...] = ()  # characters not set upright (kept for the record)
    off_page: tuple[Char, ...] = ()  # characters placed outside the page (kept for the record)
    duplicates: int = 0  # glyphs drawn a second time over themselves, dropped


# --- the raw bindings, with plain handles ---------------------------------------------------
# pypdfium2's raw functions wrap every handle in a typed pointer; reading 60 000 characters
# through them costs twice what the same calls cost with plain ``c_void_p`` handles. The library
# functions this module calls are declared here with untyped handles, on the PDFium library that
# pypdfium2 ships, loaded without importing pypdfium2: its 2 000 generated declarations cost
# 55 ms at every start-up, a sixth of an edition's imports.

_V, _I, _F, _D, _U = ctypes.c_void_p, ctypes.c_int, ctypes.c_float, ctypes.c_double, ctypes.c_uint
_PF, _PD, _PU, _PI = (ctypes.POINTER(t) for t in (_F, _D, _U, _I))
_BGR = 2  # FPDFBitmap_BGR: three bytes a pixel, as pypdfium2 renders by default
_MATCH_CASE = 1  # FPDF_MATCHCASE


class _Rect(ctypes.Structure):
    _fields_ = [("left", _F), ("top", _F), ("right", _F), ("bottom", _F)]


class _Matrix(ctypes.Structure):
    _fields_ = [("a", _F), ("b", _F), ("c", _F), ("d", _F), ("e", _F), ("f", _F)]


class _Config(ctypes.Structure):
    """FPDF_LIBRARY_CONFIG, version 2 (what pypdfium2 initialises the library with)."""

    _fields_ = [("version", _I), ("user_font_paths", _V), ("isolate", _V), ("v8_embedder_slot", _U)]


class _Handle(ctypes.c_void_p):
    """A handle a call returns as it is (a c_void_p result comes back as an int), to be passed
    on to the next unchecked call."""


def _load_library() -> ctypes.CDLL:
    """The PDFium library of the installed pypdfium2: the file its raw bindings load, next to
    them in the ``pypdfium2_raw`` package (found without running that package); pypdfium2's own
    loader where it is not there (a pypdfium2 built against a system PDFium)."""
    import importlib.util
    import os
    import sys

    if sys.platform.startswith(("win32", "cygwin", "msys")):
        name = "pdfium.dll"
    elif sys.platform.startswith(("darwin", "ios")):
        name = "libpdfium.dylib"
    else:
        name = "libpdfium.so"
    spec = importlib.util.find_spec("pypdfium2_raw")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = os.path.join(folder, name)
        if os.path.exists(path):
            return ctypes.CDLL(path)
    import pypdfium2_raw.bindings as bindings

    return bindings._libs["pdfium"]


class _Lib:
    """The PDFium functions this module calls, bound once per process."""

    def __init__(self) -> None:
        lib = _load_library()
        # once per process; PDFium ignores a second initialisation (pypdfium2's, if a caller
        # imports it too), and the library lives until the process ends
        init = lib["FPDF_InitLibraryWithConfig"]
        init.restype, init.argtypes = None, (ctypes.POINTER(_Config),)
        init(ctypes.byref(_Config(2, None, None, 0)))

        def fn(name: str, res, *args):
            f = lib[name]  # a new function object: any other declarations stay as they are
            f.restype, f.argtypes = res, args
            return f

        self.load_document = fn("FPDF_LoadDocument", _V, ctypes.c_char_p, ctypes.c_char_p)
        self.close_document = fn("FPDF_CloseDocument", None, _V)
        self.page_count = fn("FPDF_GetPageCount", _I, _V)
        self.last_error = fn("FPDF_GetLastError", ctypes.c_ulong)
        self.bitmap_create = fn("FPDFBitmap_CreateEx", _V, _I, _I, _I, _V, _I)
        self.bitmap_fill = fn("FPDFBitmap_FillRect", _I, _V, _I, _I, _I, _I, ctypes.c_ulong)
        self.bitmap_destroy = fn("FPDFBitmap_Destroy", None, _V)
        self.render = fn("FPDF_RenderPageBitmap", None, _V, _V, _I, _I, _I, _I, _I, _I)
        self.find_start = fn("FPDFText_FindStart", _V, _V, ctypes.c_char_p, ctypes.c_ulong, _I)
        self.find_next = fn("FPDFText_FindNext", _I, _V)
        self.find_index = fn("FPDFText_GetSchResultIndex", _I, _V)
        self.find_count = fn("FPDFText_GetSchCount", _I, _V)
        self.find_close = fn("FPDFText_FindClose", None, _V)
        self.count_rects = fn("FPDFText_CountRects", _I, _V, _I, _I)
        self.get_rect = fn("FPDFText_GetRect", _I, _V, _I, _PD, _PD, _PD, _PD)
        self.bounded_text = fn("FPDFText_GetBoundedText", _I, _V, _D, _D, _D, _D, _V, _I)
        pr, pm = ctypes.POINTER(_Rect), ctypes.POINTER(_Matrix)
        self.load_page = fn("FPDF_LoadPage", _V, _V, _I)
        self.close_page = fn("FPDF_ClosePage", None, _V)
        self.page_width = fn("FPDF_GetPageWidthF", _F, _V)
        self.page_height = fn("FPDF_GetPageHeightF", _F, _V)
        self.page_box = fn("FPDF_GetPageBoundingBox", _I, _V, pr)
        self.rotation = fn("FPDFPage_GetRotation", _I, _V)
        self.text_load = fn("FPDFText_LoadPage", _V, _V)
        self.text_close = fn("FPDFText_ClosePage", None, _V)
        self.count_chars = fn("FPDFText_CountChars", _I, _V)
        self.unicode = fn("FPDFText_GetUnicode", _U, _V, _I)
        self.generated = fn("FPDFText_IsGenerated", _I, _V, _I)
        self.map_error = fn("FPDFText_HasUnicodeMapError", _I, _V, _I)
        self.loose_box = fn("FPDFText_GetLooseCharBox", _I, _V, _I, pr)
        self.origin = fn("FPDFText_GetCharOrigin", _I, _V, _I, _PD, _PD)
        self.char_matrix = fn("FPDFText_GetMatrix", _I, _V, _I, pm)
        self.text_object = fn("FPDFText_GetTextObject", _V, _V, _I)
        self.font_size = fn("FPDFText_GetFontSize", _D, _V, _I)
        self.obj_font = fn("FPDFTextObj_GetFont", _V, _V)
        self.obj_font_size = fn("FPDFTextObj_GetFontSize", _I, _V, _PF)
        self.render_mode = fn("FPDFTextObj_GetTextRenderMode", _I, _V)
        self.font_name = fn("FPDFFont_GetBaseFontName", ctypes.c_size_t, _V, ctypes.c_char_p, ctypes.c_size_t)
        self.font_descent = fn("FPDFFont_GetDescent", _I, _V, _F, _PF)
        self.glyph_width = fn("FPDFFont_GetGlyphWidth", _I, _V, ctypes.c_uint32, _F, _PF)
        self.count_objects = fn("FPDFPage_CountObjects", _I, _V)
        self.get_object = fn("FPDFPage_GetObject", _V, _V, _I)
        self.form_count = fn("FPDFFormObj_CountObjects", _I, _V)
        self.form_object = fn("FPDFFormObj_GetObject", _V, _V, ctypes.c_ulong)
        self.object_type = fn("FPDFPageObj_GetType", _I, _V)
        self.bounds = fn("FPDFPageObj_GetBounds", _I, _V, _PF, _PF, _PF, _PF)
        self.matrix = fn("FPDFPageObj_GetMatrix", _I, _V, pm)
        self.fill_colour = fn("FPDFPageObj_GetFillColor", _I, _V, _PU, _PU, _PU, _PU)
        self.stroke_colour = fn("FPDFPageObj_GetStrokeColor", _I, _V, _PU, _PU, _PU, _PU)
        self.draw_mode = fn("FPDFPath_GetDrawMode", _I, _V, _PI, _PI)
        self.count_segments = fn("FPDFPath_CountSegments", _I, _V)
        self.segment = fn("FPDFPath_GetPathSegment", _V, _V, _I)
        self.segment_point = fn("FPDFPathSegment_GetPoint", _I, _V, _PF, _PF)
        self.segment_type = fn("FPDFPathSegment_GetType", _I, _V)
        self.segment_close = fn("FPDFPathSegment_GetClose", _I, _V)
        self.image_raw = fn("FPDFImageObj_GetImageDataRaw", ctypes.c_ulong, _V, _V, ctypes.c_ulong)
        self.image_pixels = fn("FPDFImageObj_GetImagePixelSize", _I, _V, _PU, _PU)
        self.link_enumerate = fn("FPDFLink_Enumerate", _I, _V, _PI, ctypes.POINTER(_V))
        self.link_rect = fn("FPDFLink_GetAnnotRect", _I, _V, pr)
        self.link_action = fn("FPDFLink_GetAction", _V, _V)
        self.action_uri = fn("FPDFAction_GetURIPath", ctypes.c_ulong, _V, _V, _V, ctypes.c_ulong)

        # The calls made per character, per text object and per path segment again, declared
        # without argtypes: ctypes' checks of the arguments cost more than the calls themselves
        # (FPDFText_GetCharOrigin: 655 ns checked, 241 ns not; 100 000 calls on a report).
        # Callers pass exactly what the checked declarations above take: handles as c_void_p,
        # indexes as int, out-parameters with byref().
        def unchecked(name: str, res):
            f = lib[name]
            f.restype = res
            return f

        self.fast_unicode = unchecked("FPDFText_GetUnicode", _U)
        self.fast_generated = unchecked("FPDFText_IsGenerated", _I)
        self.fast_map_error = unchecked("FPDFText_HasUnicodeMapError", _I)
        self.fast_loose_box = unchecked("FPDFText_GetLooseCharBox", _I)
        self.fast_origin = unchecked("FPDFText_GetCharOrigin", _I)
        self.fast_char_matrix = unchecked("FPDFText_GetMatrix", _I)
        self.fast_text_object = unchecked("FPDFText_GetTextObject", _V)
        self.fast_font_size = unchecked("FPDFText_GetFontSize", _D)
        self.fast_obj_font = unchecked("FPDFTextObj_GetFont", _V)
        self.fast_render_mode = unchecked("FPDFTextObj_GetTextRenderMode", _I)
        self.fast_fill_colour = unchecked("FPDFPageObj_GetFillColor", _I)
        self.fast_stroke_colour = unchecked("FPDFPageObj_GetStrokeColor", _I)
        self.fast_segment = unchecked("FPDFPath_GetPathSegment", _Handle)
        self.fast_segment_point = unchecked("FPDFPathSegment_GetPoint", _I)
        self.fast_segment_type = unchecked("FPDFPathSegment_GetType", _I)
        self.fast_segment_close = unchecked("FPDFPathSegment_GetClose", _I)
        # the addresses of the functions the C reader calls (_native.c), in the order it takes them
        self.native_calls = tuple(ctypes.cast(lib[name], _V).value for name in _NATIVE_CALLS)
        self.native_page_calls = tuple(ctypes.cast(lib[name], _V).value for name in ("FPDFPage_GetObject", "FPDFPageObj_GetType"))


# The PDFium functions the C reader calls, in the order of its enum (_native.c).
_NATIVE_CALLS = ("FPDFText_GetUnicode", "FPDFText_IsGenerated", "FPDFText_GetTextObject", "FPDFText_GetCharOrigin",
                 "FPDFText_GetLooseCharBox", "FPDFText_GetMatrix", "FPDFText_GetFontSize", "FPDFText_HasUnicodeMapError",
                 "FPDFTextObj_GetFont", "FPDFTextObj_GetTextRenderMode", "FPDFPageObj_GetFillColor",
                 "FPDFPageObj_GetStrokeColor")

_LIB: _Lib | None = None


def _lib() -> _Lib:
    global _LIB
    if _LIB is None:
        _LIB = _Lib()
    return _LIB


# --- opening ------------------------------------------------------------------------------------


class PageUnreadable(SourceError):
    """PDFium cannot load one page of a document it opened (the file is damaged there)."""


class Document:
    """A PDF opened with PDFium; pages are read one at a time (:meth:`page`). Use as a context
    manager, or call :meth:`close`."""

    def __init__(self, path: str, password: str | None = None) -> None:
        import os
        import sys

        self.path = path
        self._lib = lib = _lib()
        self._raw = None
        try:
            found = os.path.isfile(path)
        except OSError as err:
            raise SourceError(f"{path}: {err.strerror or err} — check the file") from None
        if not found:
            raise SourceError(f"{path}: no such file — check the path")
        # as pypdfium2 passes a path: UTF-8, undecodable bytes of a POSIX name kept as they were
        name = os.path.abspath(path).encode("utf-8", "strict" if sys.platform.startswith("win32") else "surrogateescape")
        raw = lib.load_document(name, password.encode("utf-8") if password else None)
        pages = lib.page_count(raw) if raw else 0
        if pages < 1:
            code = lib.last_error()
            if raw:
                lib.close_document(raw)
            raise SourceError(_refusal(path, code, password))
        self._raw, self._pages = raw, pages
        self._fonts: dict[int, tuple[str, float]] = {}  # font handle → (name, descent per em)
        self._widths: dict[tuple[int, int, float], float] = {}  # (font, code point, size) → advance
        self._advances: dict[tuple, dict[int, float]] = {}  # (font, size, scale) → code point → width on the page

    def __len__(self) -> int:
        return self._pages

    def __enter__(self) -> "Document":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._raw:
            self._lib.close_document(self._raw)
            self._raw = None

    def view(self, index: int) -> "PageView":
        """Page ``index`` (0-based) loaded for rendering and searching (the figures' crops);
        close it, or use it as a context manager."""
        return PageView(self, index)

    def page(self, index: int) -> PageContent:
        """Page ``index`` (0-based), read whole and closed again."""
        lib = self._lib
        handle = lib.load_page(self._raw, index)
        if not handle:
            raise PageUnreadable(f"{self.path}: page {index + 1} cannot be read — the file is damaged there; get a fresh copy")
        try:
            return _read_page(self, handle, index + 1)
        finally:
            lib.close_page(handle)

    def font(self, handle: int) -> tuple[str, float]:
        """(base font name, descent as a share of the em) of a font, asked once per font."""
        known = self._fonts.get(handle)
        if known is None:
            lib = self._lib
            buf = ctypes.create_string_buffer(256)
            n = lib.font_name(handle, buf, 256)
            name = buf.value.decode("latin-1", "replace") if n else ""
            descent = ctypes.c_float(0.0)
            ratio = descent.value / 1000.0 if lib.font_descent(handle, 1000.0, ctypes.byref(descent)) else 0.0
            # as pdfminer reads it (a font's descent is below the baseline, whatever its sign) —
            # but no text face reaches an em below its baseline: a math font's descent is its
            # tallest stacked operator's (Cambria Math: 2.46 em), and a box drawn from it would
            # sit a line and a half below the glyph, inside the next printed line, its letters
            # read into that line's words. Such a face gets a text face's descent.
            known = self._fonts[handle] = (name, -abs(ratio) if abs(ratio) <= _MAX_DESCENT else _TYPICAL_DESCENT)
        return known

    def advance(self, font: int, code: int, size: float) -> float:
        """The advance width the PDF gives a glyph at ``size`` (text space), or 0 where unknown."""
        key = (font, code, size)
        width = self._widths.get(key)
        if width is None:
            out = ctypes.c_float(0.0)
            width = out.value if self._lib.glyph_width(font, code, size, ctypes.byref(out)) else 0.0
            self._widths[key] = width = width if width > 0 else 0.0
        return width


class Bitmap(NamedTuple):
    """A rendered picture: PDFium's pixel rows (``mode`` BGR, ``stride`` bytes a row)."""

    width: int
    height: int
    stride: int
    buffer: bytes
    mode: str = "BGR"

    def to_pil(self):
        """The picture as a Pillow image in RGB (what pypdfium2's ``to_pil`` makes of it)."""
        from PIL import Image

        return Image.frombuffer("RGB", (self.width, self.height), self.buffer, "raw", self.mode, self.stride, 1)


class PageView:
    """One page of a :class:`Document` loaded for rendering and text search (the figures'
    crops), as pypdfium2's page would serve them, byte for byte; close it, or use it in a
    ``with`` block."""

    def __init__(self, doc: Document, index: int) -> None:
        self._lib = lib = doc._lib
        self._handle = lib.load_page(doc._raw, index)
        if not self._handle:
            raise PageUnreadable(f"{doc.path}: page {index + 1} cannot be read — the file is damaged there; get a fresh copy")
        self._text = None

    def __enter__(self) -> "PageView":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._text:
            self._lib.text_close(self._text)
            self._text = None
        if self._handle:
            self._lib.close_page(self._handle)
            self._handle = None

    def get_size(self) -> tuple[float, float]:
        """(width, height) in points, as displayed (rotation applied)."""
        return self._lib.page_width(self._handle), self._lib.page_height(self._handle)

    def render(self, scale: float, crop: tuple[float, float, float, float]) -> Bitmap:
        """The page at ``scale`` pixels a point, ``crop`` (left, bottom, right, top, in points)
        cut off its sides, on white, without annotations — pypdfium2's ``render(scale=…,
        crop=…, draw_annots=False)``."""
        import math

        lib = self._lib
        width, height = self.get_size()
        full_w, full_h = math.ceil(width * scale), math.ceil(height * scale)
        left, bottom, right, top = (math.ceil(c * scale) for c in crop)
        w, h = full_w - left - right, full_h - bottom - top
        if w < 1 or h < 1:
            raise ValueError("the crop leaves nothing of the page")
        stride = w * 3
        buffer = (ctypes.c_ubyte * (stride * h))()
        bitmap = lib.bitmap_create(w, h, _BGR, ctypes.addressof(buffer), stride)
        if not bitmap:
            raise MemoryError(f"PDFium cannot make a {w}×{h} picture")
        try:
            lib.bitmap_fill(bitmap, 0, 0, w, h, 0xFFFFFFFF)
            lib.render(bitmap, self._handle, -left, -top, full_w, full_h, 0, 0)
        finally:
            lib.bitmap_destroy(bitmap)
        return Bitmap(w, h, stride, bytes(buffer))

    def _textpage(self):
        if self._text is None:
            self._text = self._lib.text_load(self._handle)
        return self._text

    def search(self, word: str):
        """Each (first character, count) where ``word`` occurs on the page, case as given."""
        lib = self._lib
        tp = self._textpage()
        if not tp or not word:
            return
        finder = lib.find_start(tp, (word + "\x00").encode("utf-16-le"), _MATCH_CASE, 0)
        if not finder:
            return
        try:
            while lib.find_next(finder):
                yield lib.find_index(finder), lib.find_count(finder)
        finally:
            lib.find_close(finder)

    def rects(self, index: int, count: int) -> list[tuple[float, float, float, float]]:
        """The boxes (left, bottom, right, top; PDF points from the bottom) the characters
        ``index`` … ``index + count - 1`` stand in, a box per run on one line."""
        lib = self._lib
        tp = self._textpage()
        l, t, r, b = _D(), _D(), _D(), _D()
        out = []
        for k in range(max(0, lib.count_rects(tp, index, count))):
            if lib.get_rect(tp, k, ctypes.byref(l), ctypes.byref(t), ctypes.byref(r), ctypes.byref(b)):
                out.append((l.value, b.value, r.value, t.value))
        return out

    def text_in(self, left: float, bottom: float, right: float, top: float) -> str:
        """The text within a box (PDF points from the bottom)."""
        lib = self._lib
        tp = self._textpage()
        n = lib.bounded_text(tp, left, top, right, bottom, None, 0)
        if n <= 0:
            return ""
        buffer = (ctypes.c_ushort * n)()
        lib.bounded_text(tp, left, top, right, bottom, ctypes.addressof(buffer), n)
        return bytes(buffer).decode("utf-16-le", "ignore")


def _refusal(path: str, code: int, password: str | None) -> str:
    """PDFium's refusal to open a file (``FPDF_GetLastError``) → one line saying what is wrong
    in the file."""
    if code in (4, 5):  # FPDF_ERR_PASSWORD, FPDF_ERR_SECURITY
        if password:
            return f"{path}: the password does not open this encrypted PDF — check --password"
        return f"{path}: the PDF is encrypted — give its password with --password"
    try:
        import os

        with open(path, "rb") as fh:  # a PDF ends with %%EOF; a cut-off download does not
            fh.seek(max(0, os.path.getsize(path) - 1024))
            ended = b"%%EOF" in fh.read()
    except OSError as exc:
        return f"{path}: {exc.strerror or exc} — check the file"
    if not ended:
        return f"{path}: the PDF is truncated (no %%EOF at its end) — download or copy it again"
    if code == 2:  # FPDF_ERR_FILE
        return f"{path}: the file cannot be read — check that it exists and is readable"
    return f"{path}: not a readable PDF (PDFium finds no document structure in it) — the file is damaged; get a fresh copy"


# --- one page -----------------------------------------------------------------------------------


class _Frame(NamedTuple):
    """Where a page's user space lands on the displayed page: the crop box and /Rotate."""

    x0: float
    y0: float
    x1: float
    y1: float
    rotation: int  # quarter turns clockwise

    def point(self, x: float, y: float) -> tuple[float, float]:
        """User space (y up) → displayed page (from the top left, y down)."""
        r = self.rotation
        if r == 0:
            return x - self.x0, self.y1 - y
        if r == 1:
            return y - self.y0, x - self.x0
        if r == 2:
            return self.x1 - x, y - self.y0
        return self.y1 - y, self.x1 - x

    def box(self, xa: float, ya: float, xb: float, yb: float) -> tuple[float, float, float, float]:
        """A user-space box → (x0, top, x1, bottom) on the displayed page."""
        (p, q), (s, t) = self.point(xa, ya), self.point(xb, yb)
        return min(p, s), min(q, t), max(p, s), max(q, t)

    def linear(self, a: float, b: float, c: float, d: float) -> tuple[float, float, float, float]:
        """A matrix's linear part as it acts on the displayed page, in pdfminer's terms (y up):
        the page rotation applied, as pdfminer's CTM applies it."""
        ra, rb, rc, rd = ((1, 0, 0, 1), (0, -1, 1, 0), (-1, 0, 0, -1), (0, 1, -1, 0))[self.rotation]
        return a * ra + b * rc, a * rb + b * rd, c * ra + d * rc, c * rb + d * rd


def _frame(lib: _Lib, handle: int) -> _Frame:
    box = _Rect()
    if lib.page_box(handle, ctypes.byref(box)) and box.right > box.left and box.top > box.bottom:
        x0, y0, x1, y1 = box.left, box.bottom, box.right, box.top
    else:  # no usable box: PDFium's own page size, from the origin
        x0, y0, x1, y1 = 0.0, 0.0, float(lib.page_width(handle)) or 612.0, float(lib.page_height(handle)) or 792.0
    return _Frame(x0, y0, x1, y1, (lib.rotation(handle) or 0) % 4)


class _TextObject(NamedTuple):
    """What every character of one text object shares."""

    font: int
    fontname: str
    descent: float  # share of the em below the baseline (≤ 0)
    size: float  # the object's font size (text space)
    a: float  # the character matrix's linear part, in pdfminer's terms on the displayed page
    b: float
    c: float
    d: float
    plain: bool  # no rotation or shear: the fast path
    upright: bool
    mode: int
    fill: int
    stroke: int
    unmapped: bool  # its font maps (some) glyphs to no character
    above: float  # the glyph box's top above the baseline, on the page (the fast path)
    below: float  # its bottom below the baseline
    points: float  # the font size on the page


def _object_record(lib: _Lib):
    """A function ``(text page, index, obj) → (font, mode, fill, stroke, size, a, b, c, d,
    unmapped)``: what PDFium says of text object ``obj`` at its first character ``index`` (the
    text page as a c_void_p, for the unchecked calls). A closure over the functions it calls and
    its ctypes out-parameters, made once per page: a report has tens of thousands of text objects,
    and looking these up (or making the out-parameters) per object costs as much as the calls."""
    char_matrix, obj_font, render_mode = lib.fast_char_matrix, lib.fast_obj_font, lib.fast_render_mode
    fill_colour, stroke_colour, font_size, map_error = lib.fast_fill_colour, lib.fast_stroke_colour, lib.fast_font_size, lib.fast_map_error
    m = _Matrix()
    p_matrix = ctypes.byref(m)
    r, g, b_, a_ = _U(), _U(), _U(), _U()
    pr, pg, pb, pa = ctypes.byref(r), ctypes.byref(g), ctypes.byref(b_), ctypes.byref(a_)

    def record(tp, index: int, obj: int) -> tuple:
        char_matrix(tp, index, p_matrix)
        if obj:
            handle = _V(obj)
            font = obj_font(handle) or 0
            mode = render_mode(handle)
            # colours as 0xRRGGBBAA; 0xFF (opaque black) where PDFium gives none
            fill = ((r.value << 24) | (g.value << 16) | (b_.value << 8) | a_.value) if fill_colour(handle, pr, pg, pb, pa) else 0xFF
            if mode in (1, 2, 5, 6):
                stroke = ((r.value << 24) | (g.value << 16) | (b_.value << 8) | a_.value) if stroke_colour(handle, pr, pg, pb, pa) else 0xFF
            else:
                stroke = 0xFF
        else:
            font, mode, fill, stroke = 0, 0, 0xFF, 0xFF
        return font, mode, fill, stroke, float(font_size(tp, index)), m.a, m.b, m.c, m.d, map_error(tp, index)

    return record


def _object_reader(doc: Document, frame: _Frame):
    """A function ``(font, mode, fill, stroke, size, a, b, c, d, unmapped) → _TextObject``: what
    the characters of one text object share, made from what PDFium says of it (its font handle,
    render mode, colours, font size, the character matrix's linear part, whether its font maps
    glyphs to no character). Made once per page, for the Python and the C reader alike."""
    fonts, font_of = doc._fonts, doc.font
    rotation, linear = frame.rotation, frame.linear
    new = tuple.__new__

    def read(font: int, mode: int, fill: int, stroke: int, size: float, a: float, b: float, c: float, d: float,
             unmapped: int) -> _TextObject:
        if rotation:
            a, b, c, d = linear(a, b, c, d)
        name, descent = (fonts.get(font) or font_of(font)) if font else ("", 0.0)
        d0 = descent * size
        # made straight from its values (NamedTuple's own __new__ is a Python call)
        return new(_TextObject, (font, name, descent, size, a, b, c, d, b == 0 and c == 0 and rotation == 0,
                                 a * d > 0 and b * c <= 0, mode, fill, stroke, bool(unmapped),
                                 d * (d0 + size), -d * d0, size * abs(d)))

    return read


def _read_chars(doc: Document, handle: int, frame: _Frame, width: float, height: float):
    """The page's text layer → (upright chars, rotated chars, off-page chars, the text object of
    each upright char): read in C where the package was built with its C part, else in Python
    (the two give the same values; tests/test_reader_native.py)."""
    lib = doc._lib
    tp = lib.text_load(handle)
    if not tp:
        return [], [], [], []
    try:
        if _native is not None:
            return _native.read_chars(tp, lib.count_chars(tp), lib.native_calls, frame, width, height,
                                      _object_reader(doc, frame), {}, doc._advances, doc.advance, _nfc, Char)
        return _read_chars_py(doc, tp, frame, width, height)
    finally:
        lib.text_close(tp)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _read_chars_py(doc: Document, tp: int, frame: _Frame, width: float, height: float):
    """:func:`_read_chars` in Python: the reference the C reader follows step by step."""
    lib = doc._lib
    n = lib.count_chars(tp)
    box, ox, oy = _Rect(), _D(), _D()
    pbox, pox, poy = ctypes.byref(box), ctypes.byref(ox), ctypes.byref(oy)
    unicode, generated, loose, origin = lib.fast_unicode, lib.fast_generated, lib.fast_loose_box, lib.fast_origin
    object_of, map_error, advance, advances = lib.fast_text_object, lib.fast_map_error, doc.advance, doc._advances
    page = _V(tp)  # the text page as the unchecked calls take it
    # a Char made straight from its values: NamedTuple's own __new__ is a Python call per char
    new = tuple.__new__
    record, text_object = _object_record(lib), _object_reader(doc, frame)
    objects: dict[int, _TextObject] = {}
    owners: list[int] = []  # the text object of each char
    chars: list[Char] = []
    rotated: list[Char] = []
    off: list[Char] = []
    fx0, fy1 = frame.x0, frame.y1
    last: Char | None = None
    high = 0  # a pending high surrogate
    current = None  # the text object of the char before: what its chars share is in locals below
    for i in range(n):
        code = unicode(page, i)
        if code in (0x20, 0x0D, 0x0A, 0x02) and generated(page, i):
            continue  # PDFium's guess of a space or a line break, not a glyph
        obj = object_of(page, i) or 0
        if obj != current:
            info = objects.get(obj)
            if info is None:
                info = objects[obj] = text_object(*record(page, i, obj))
            current = obj
            (font, fontname, descent, fs, a, b, c, d, plain, upright, mode, fill, stroke, unmapped, above, below,
             points) = info
            spans = advances.get((font, fs, a))  # the widths of the glyphs of this font, size and scale
            if spans is None:
                spans = advances[(font, fs, a)] = {}
        origin(page, i, pox, poy)
        if 0x20 <= code < 0xD800 and not unmapped:
            text = chr(code)
        elif code == 0x02:
            text = "-"  # the hyphen PDFium marks as breaking a word at a line end
        elif code < 0x20 or (unmapped and map_error(page, i)):
            # the font maps the glyph to no character (PDFium then gives its code, a control
            # character for a low one), written as pdfminer writes it
            text = f"(cid:{code})"
        elif 0xD800 <= code < 0xDC00:
            high = code  # the first half of a character beyond the BMP: the next one completes it
            continue
        elif 0xDC00 <= code < 0xE000:
            text = chr(0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00)) if high else "\ufffd"
            code = 0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00) if high else 0xFFFD
        elif 0xF900 <= code < 0xFB00:
            # a CJK compatibility ideograph (論 U+F941) is the same character as its unified
            # one (論 U+8AD6): the font's map chose the duplicate, search and glossary want the one
            text = unicodedata.normalize("NFC", chr(code))
        else:
            text = chr(code) if code < 0x110000 else "\ufffd"
        high = 0
        x, y = ox.value, oy.value
        if plain:
            # the advance from the glyph's origin: the same for every copy of a glyph in one
            # font, size and scale, so PDFium's box is asked once per glyph
            span = spans.get(code)
            if span is None:
                loose(page, i, pbox)
                adv = advance(font, code, fs) if font and code > 2 else 0.0
                right = x + a * adv if adv else box.right
                if right > box.right + 0.01 or right <= x:
                    right = box.right  # the loose box holds the advance; a width beyond it is wrong
                span = spans[code] = right - x
            base = fy1 - y
            x0, top, x1, bottom, size = x - fx0, base - above, x + span - fx0, base + below, points
        else:
            d0 = descent * fs
            loose(page, i, pbox)
            adv = advance(font, code, fs) if font and code > 2 else 0.0
            w = adv if adv else max(0.0, box.right - box.left)
            px, base = frame.point(x, y)
            # the glyph's box in text space, through the matrix (y up), onto the page (y down)
            xs = [a * u + c * v for u in (0.0, w) for v in (d0, d0 + fs)]
            ys = [b * u + d * v for u in (0.0, w) for v in (d0, d0 + fs)]
            x0, top, x1, bottom, size = px + min(xs), base - max(ys), px + max(xs), base - min(ys), max(ys) - min(ys)
        ch = new(Char, (text, x0, top, x1, bottom, size, fontname, base, mode, fill, stroke, False))
        if not upright:
            rotated.append(ch)
            continue
        if x1 < 0 or x0 > width or bottom < 0 or top > height:
            off.append(ch)
            continue
        if last is not None and last.x0 == x0 and last.x1 == x1 and last.baseline == base and _pieces(last.text, text):
            chars[-1] = last = last._replace(text=last.text + text)  # one glyph PDFium gave letter by letter ("ﬁ")
            continue
        owners.append(obj)
        chars.append(ch)
        last = ch
    return chars, rotated, off, owners


def _pieces(before: str, text: str) -> bool:
    """Letters PDFium gives one by one for one glyph (a ligature ﬁ, ﬀ, ﬃ), each with the glyph's
    whole box: Latin letters one after the other at exactly one place (PDFium itself drops a
    glyph drawn twice there)."""
    return before[-1:].isascii() and before[-1:].isalpha() and text.isascii() and text.isalpha()


def _walk(lib: _Lib, objects: list[tuple[int, int]], parent: tuple[float, ...] | None, out: list) -> None:
    """Every object of the page (``objects``: its (type, object) pairs) or of a form XObject drawn
    on it, with the matrix that takes it onto the page: (type, object, matrix)."""
    m = _Matrix()
    for kind, obj in objects:
        if kind == _FORM:
            lib.matrix(obj, ctypes.byref(m))
            own = (m.a, m.b, m.c, m.d, m.e, m.f)
            chain = own if parent is None else _compose(own, parent)
            if len(out) < 200_000:  # a form drawn inside itself (a loop) stops here
                inside = [(lib.object_type(o), o) for k in range(lib.form_count(obj)) if (o := lib.form_object(obj, k))]
                _walk(lib, inside, chain, out)
        else:
            out.append((kind, obj, parent))


def _page_objects(lib: _Lib, handle: int, seen: set[int]) -> list[tuple[int, int]]:
    """The page's own objects as (type, object), but the text objects in ``seen`` (read by the
    text layer already: a report has 25 000 of them, and nothing more is asked of them)."""
    count = lib.count_objects(handle)
    if _native is not None:
        return _native.page_objects(handle, count, *lib.native_page_calls, seen)
    out = []
    for k in range(count):
        obj = lib.get_object(handle, k)
        if obj:
            kind = lib.object_type(obj)
            if kind != _TEXT or obj not in seen:
                out.append((kind, obj))
    return out


def _compose(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    """m then n (PDF row-vector convention: p' = p × m × n)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: tuple[float, ...] | None, x: float, y: float) -> tuple[float, float]:
    if m is None:
        return x, y
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _bounds(lib: _Lib, obj: int, parent, frame: _Frame) -> tuple[float, float, float, float] | None:
    l, b, r, t = _F(), _F(), _F(), _F()
    if not lib.bounds(obj, ctypes.byref(l), ctypes.byref(b), ctypes.byref(r), ctypes.byref(t)):
        return None
    if parent is None:
        return frame.box(l.value, b.value, r.value, t.value)
    pts = [frame.point(*_apply(parent, x, y)) for x in (l.value, r.value) for y in (b.value, t.value)]
    return min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts)


def _path_shapes(lib: _Lib, obj: int, parent, frame: _Frame) -> list[Shape]:
    """A path object → its painted subpaths, each classed as pdfminer classes them (a line, an
    axis-aligned rectangle, or a curve), so the table finder sees the edges it always saw."""
    fillmode, stroke = _I(), _I()
    if not lib.draw_mode(obj, ctypes.byref(fillmode), ctypes.byref(stroke)):
        return []
    fill, stroked = fillmode.value != 0, bool(stroke.value)
    if not (fill or stroked):
        return []  # a clipping path: nothing is painted
    m = _Matrix()
    lib.matrix(obj, ctypes.byref(m))
    own = (m.a, m.b, m.c, m.d, m.e, m.f)
    chain = own if parent is None else _compose(own, parent)
    a, b, c, d, e, f = chain
    x, y = _F(), _F()
    px, py = ctypes.byref(x), ctypes.byref(y)
    segment, segment_point, segment_type, point = lib.fast_segment, lib.fast_segment_point, lib.fast_segment_type, frame.point
    segment_close, path = lib.fast_segment_close, _V(obj)
    subpaths: list[tuple[str, list[tuple[float, float]]]] = []
    ops: list[str] = []
    pts: list[tuple[float, float]] = []
    bezier = 0
    for j in range(lib.count_segments(obj)):
        seg = segment(path, j)
        if not seg or not segment_point(seg, px, py):
            continue
        kind = segment_type(seg)
        u, v = x.value, y.value
        p = point(a * u + c * v + e, b * u + d * v + f)  # _apply(chain, u, v), written out: it runs per segment
        if kind == _MOVETO or not ops:
            if ops:
                subpaths.append(("".join(ops), pts))
            ops, pts, bezier = ["m"], [p], 0
        elif kind == _BEZIERTO:
            bezier += 1
            if bezier == 3:  # PDFium keeps a curve's two control points; pdfminer its end point
                ops.append("c")
                pts.append(p)
                bezier = 0
        else:
            ops.append("l")
            pts.append(p)
            bezier = 0
        if segment_close(seg):
            ops.append("h")
            pts.append(pts[0])
    if ops:
        subpaths.append(("".join(ops), pts))
    out = []
    for shape, points in subpaths:
        out.extend(_classify(shape, points, stroked, fill))
    return out


def _classify(shape: str, pts: list[tuple[float, float]], stroke: bool, fill: bool) -> list[Shape]:
    """pdfminer's ``paint_path`` rules (converter.py): "ml"/"mlh" a line, "mlllh"/"mllll" an
    axis-aligned closed rectangle, anything else a curve through its points."""
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape, pts = shape[:-2] + "h", pts[:-2] + pts[-1:]
    if len(pts) < 2:
        return []
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    box = (min(xs), min(ys), max(xs), max(ys))
    if shape in ("ml", "mlh"):
        kind = "line"
        box = (min(pts[0][0], pts[1][0]), min(pts[0][1], pts[1][1]), max(pts[0][0], pts[1][0]), max(pts[0][1], pts[1][1]))
    elif shape in ("mlllh", "mllll") and len(pts) == 5:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), last = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        kind = "rect" if last == pts[0] and square else "curve"
        if kind == "rect":
            box = (min(x0, x2), min(y0, y2), max(x0, x2), max(y0, y2))
    else:
        kind = "curve"
    return [Shape(kind, *box, tuple(pts), stroke, fill)]


def _picture(lib: _Lib, obj: int, parent, frame: _Frame) -> Picture | None:
    box = _bounds(lib, obj, parent, frame)
    if box is None:
        return None
    w, h = _U(), _U()
    lib.image_pixels(obj, ctypes.byref(w), ctypes.byref(h))
    size = lib.image_raw(obj, None, 0)
    digest = ""
    if size:
        # what the picture shows: the same logo stored once and drawn on every page, or stored
        # again on each page, is one picture; its first 64 kB tell pictures apart
        buf = ctypes.create_string_buffer(size)
        got = lib.image_raw(obj, buf, size)
        digest = hashlib.blake2b(buf.raw[: min(65536, got)], digest_size=8).hexdigest()
    return Picture(*box, f"px{w.value}x{h.value}:{size}:{digest}")


def _links(doc: Document, handle: int, frame: _Frame) -> list[Link]:
    lib = doc._lib
    out: list[Link] = []
    pos, link = _I(0), _V()
    rect = _Rect()
    while len(out) < 10_000 and lib.link_enumerate(handle, ctypes.byref(pos), ctypes.byref(link)):
        if not link.value or not lib.link_rect(link, ctypes.byref(rect)):
            continue
        uri = ""
        action = lib.link_action(link)
        if action:
            n = lib.action_uri(doc._raw, action, None, 0)
            if 0 < n < 65536:
                buf = ctypes.create_string_buffer(n)
                lib.action_uri(doc._raw, action, buf, n)
                uri = buf.value.decode("utf-8", "replace")
        out.append(Link(*frame.box(rect.left, rect.bottom, rect.right, rect.top), uri))
    return out


def _read_page(doc: Document, handle: int, number: int) -> PageContent:
    lib = doc._lib
    frame = _frame(lib, handle)
    width, height = (frame.x1 - frame.x0, frame.y1 - frame.y0) if frame.rotation % 2 == 0 else (frame.y1 - frame.y0, frame.x1 - frame.x0)
    chars, rotated, off, owners = _read_chars(doc, handle, frame, width, height)
    seen = set(owners)
    objects: list = []
    _walk(lib, _page_objects(lib, handle, seen), None, objects)
    shapes: list[Shape] = []
    pictures: list[Picture] = []
    unread: list[tuple[int, object]] = []  # text objects PDFium's text layer left out
    for kind, obj, parent in objects:
        if kind == _PATH:
            shapes.extend(_path_shapes(lib, obj, parent, frame))
        elif kind == _IMAGE:
            pic = _picture(lib, obj, parent, frame)
            if pic is not None:
                pictures.append(pic)
        elif kind == _TEXT and obj not in seen:
            unread.append((obj, parent))
    duplicates = 0
    if unread:
        members: dict[int, list[int]] = {}
        for k, obj in enumerate(owners):
            members.setdefault(obj, []).append(k)
        chars, duplicates = _put_back(doc, chars, members, unread, frame, width, height)
    return PageContent(number, width, height, frame.rotation * 90, tuple(chars), tuple(shapes), tuple(pictures),
                       tuple(_links(doc, handle, frame)), tuple(rotated), tuple(off), duplicates)


def _put_back(doc: Document, chars: list[Char], members: dict[int, list[int]], unread, frame: _Frame,
              width: float, height: float) -> tuple[list[Char], int]:
    """The text objects PDFium's text layer dropped, accounted for: a blank one (a space glyph
    set on its own) becomes a space character; one drawn again over an object that was read
    (fake bold) marks that object's characters overprinted and counts as duplicates."""
    lib = doc._lib
    m = _Matrix()
    size = _F()
    spaces: list[Char] = []
    duplicates = 0
    overprinted: set[int] = set()
    boxes: dict[int, tuple[float, float, float, float] | None] = {}
    for obj, parent in unread:
        box = _bounds(lib, obj, parent, frame)
        if box is None:
            continue
        if box[2] - box[0] < _NO_INK:
            font = lib.obj_font(obj)
            if not font or not lib.obj_font_size(obj, ctypes.byref(size)) or not lib.matrix(obj, ctypes.byref(m)):
                continue
            own = (m.a, m.b, m.c, m.d, m.e, m.f)
            chain = own if parent is None else _compose(own, parent)
            a, b, c, d = frame.linear(*chain[:4])
            if not (a * d > 0 and b * c <= 0) or b or c:
                continue  # a blank rotated run: nothing to put back
            fs = size.value
            name, descent = doc.font(font)
            adv = doc.advance(font, 0x20, fs) * a
            x, y = frame.point(chain[4], chain[5])
            if adv <= 0 or not (0 <= x <= width and 0 <= y <= height):
                continue
            d0 = descent * fs * d
            spaces.append(Char(" ", x, y - d0 - fs * d, x + adv, y - d0, fs * d, name, y))
            continue
        # drawn again over a text object that was read (PDFium skips such a copy)
        for seen, idx in members.items():
            if seen not in boxes:
                boxes[seen] = _bounds(lib, seen, None, frame)
            other = boxes[seen]
            if other is None or not idx:
                continue
            if abs(other[0] - box[0]) <= 1.0 and abs(other[1] - box[1]) <= 1.0 and abs(other[2] - box[2]) <= 1.0:
                duplicates += len(idx)
                overprinted.update(idx)
                break
    if overprinted:
        chars = [ch._replace(overprinted=True) if i in overprinted and ch.text.strip() else ch for i, ch in enumerate(chars)]
    return chars + spaces, duplicates
