"""What a page reader hands to the layout stage: printed lines, tables, pictures and drawings of
one page, before any document-wide decision (see :mod:`.layout`).

Positions are PDF points measured from the top left of the page as it is displayed (its
``/Rotate`` applied), as pdfplumber measures them: ``x0``, ``top``, ``x1``, ``bottom``.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field

Box = tuple[float, float, float, float]  # (x0, top, x1, bottom)


@dataclass(frozen=True, slots=True, eq=True)
class RawLine:
    """A printed line as a worker sees it, before document-wide classification.

    font:  the family its Chinese characters are set in (see :func:`chars.dominant_family`).
    runs:  (offset, bold, family, size) wherever the type changes along the line.
    in_image: the line lies inside a picture or a vector drawing (words printed in a figure).
    pieces: where a wide gap parts the line, its parts (see :func:`chars.split_side_by_side`).
    """

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool
    marks: tuple[tuple[int, str], ...] = ()
    in_image: bool = False
    font: str = ""
    runs: tuple[tuple[int, bool, str, float], ...] = ()
    pieces: tuple["RawLine", ...] = ()  # the parts set side by side on this printed line, if any
    # x0 of every character of ``text`` (see :class:`chars.LineText`): an array of doubles, not a
    # tuple of floats — a long document's lines hold one per character, and a float object costs
    # four times its eight bytes
    xs: array = field(default_factory=lambda: array("d"))
    # the PDF drew a space glyph after the last character: the line broke between two words
    trailing_space: bool = False
    # where the line's glyphs stand (points from the top): unlike the glyph boxes, the same for
    # a CJK and a Latin font, so line pitch is measured baseline to baseline
    baseline: float = 0.0

    __hash__ = None  # type: ignore[assignment]  # xs is an array: lines are compared, never hashed


@dataclass(frozen=True)
class RawTable:
    """A table cut out of a page: ruled (pdfplumber's lines strategy) or borderless (three-line)."""

    bbox: Box
    rows: tuple[tuple[str | None, ...], ...]
    ruled: bool = True
    cells: tuple[Box, ...] = ()  # where the cells are: chars outside every cell stay text


@dataclass(frozen=True)
class RawPage:
    """What a worker returns for one page."""

    number: int
    width: float
    height: float
    lines: tuple[RawLine, ...]
    images: tuple[Box, ...]
    tables: tuple[RawTable, ...]
    duplicates: int = 0
    drawings: tuple[Box, ...] = ()  # vector graphics (charts drawn with rects and curves)
    stroked: int = 0  # chars drawn with fill + stroke (PDFium), for the record
    # what the page is printed on: a page-size fill, frame or picture with the text over it —
    # page furniture, not a figure (the text stays body text)
    backgrounds: tuple[Box, ...] = ()
    # what each picture of ``images`` is (the PDF object it draws): the same logo or seal on
    # every page is one object drawn again and again
    image_ids: tuple[str, ...] = ()
