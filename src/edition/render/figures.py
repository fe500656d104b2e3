"""Figures cropped from the PDF: each figure's drawn content rendered through PDFium into a
picture beside the edition (``<stem>.assets/fig-N.webp``).

A figure's ``content`` lists what it is made of — pictures, and tables or text boxes drawn as
part of it — each with its page and box; the caption is not part of it. The boxes of one page
are joined into one crop (a chart pasted in five pieces is one picture), so a figure gives one
picture per page it covers. The words the extractor found printed in the figure
(``figure_text``: labels set as text over or under a picture) are looked up on the page and
their boxes joined to the crop, so the picture shows them where the report printed them; the
edition also gives them as text, so they stay searchable.

Resolution: twice the PDF's 72 points per inch (print resolution, 144 dpi), more for a tiny
picture so that no side is under :data:`MIN_SIDE_PX`, less for a page-sized one so that no side
is over :data:`MAX_SIDE_PX`. Format: WebP, lossless where that is within a quarter of the lossy
size (drawings, charts, text, flat colour — the report's placeholders), else lossy at quality
:data:`WEBP_QUALITY` (photographs). The same PDF, pypdfium2 and Pillow give the same bytes, so a
rebuild is byte-identical; each picture is cached by a hash of exactly that.
"""

from __future__ import annotations

import base64
import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..model import Node, iter_nodes

SCALE = 2.0  # 144 dpi
MIN_SIDE_PX = 64
MAX_SIDE_PX = 2000
WEBP_QUALITY = 80
LOSSLESS_COLOURS = 256  # a picture of at most this many colours is drawn, not photographed: lossless
SUFFIX = ".webp"

WORDS_REACH = 0.25  # a figure's word is looked for within this share of the page's height of its box
WORDS_PAD = 3.0  # points of white kept around words joined to a crop (their glyphs reach past their boxes)

BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class Crop:
    """What one picture shows: a box (x0, top, x1, bottom, PDF points from the top left) on a
    page, and the words printed in the figure that the crop should take in."""

    figure: str
    page: int
    bbox: BBox
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Asset:
    """A rendered picture: ``name`` relative to the output folder, its bytes and pixel size."""

    name: str
    data: bytes
    width: int
    height: int
    page: int


def assets_dir(stem: str) -> str:
    """The folder beside the edition that holds its pictures."""
    return f"{stem}.assets"


def _union(boxes: list[BBox]) -> BBox:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def figure_crops(doc: Node) -> dict[str, tuple[Crop, ...]]:
    """Every figure with drawn content → one crop per page it covers, in page order."""
    out: dict[str, tuple[Crop, ...]] = {}
    for n in iter_nodes(doc.get("blocks", [])):
        if n.get("type") != "figure":
            continue
        by_page: dict[int, list[BBox]] = {}
        for c in n.get("content", []):
            if c.get("page") is not None and c.get("bbox") and len(c["bbox"]) == 4:
                by_page.setdefault(int(c["page"]), []).append(tuple(float(v) for v in c["bbox"]))
        words = tuple(sorted({w.strip() for w in n.get("figure_text", []) if w.strip()}))
        if by_page:
            out[n["id"]] = tuple(Crop(n["id"], p, _union(by_page[p]), words) for p in sorted(by_page))
    return out


def asset_name(stem: str, crop: Crop, k: int, count: int) -> str:
    """'report.assets/fig-3.webp'; the second page of a figure over two: 'fig-3-2.webp'."""
    base = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in crop.figure)
    return f"{assets_dir(stem)}/{base}{'' if count == 1 or k == 0 else f'-{k + 1}'}{SUFFIX}"


def _scale(w_pt: float, h_pt: float) -> float:
    scale = SCALE
    least = (MIN_SIDE_PX + 1) / min(w_pt, h_pt)  # + 1: PDFium rounds the bitmap's size down
    if min(w_pt, h_pt) * scale < MIN_SIDE_PX:
        scale = least
    if max(w_pt, h_pt) * scale > MAX_SIDE_PX:
        scale = max(MAX_SIDE_PX / max(w_pt, h_pt), least)
    return scale


class CropError(Exception):
    """A crop that cannot be rendered: the message says why, in a few words."""


def render_crop(pdf, crop: Crop) -> tuple[bytes, int, int]:
    """The crop rendered by PDFium and encoded (WebP bytes, width, height)."""
    if not 1 <= crop.page <= len(pdf):
        raise CropError(f"page {crop.page} is not in the PDF")
    from ..reading.pdfium import PageUnreadable

    try:
        view = pdf.view(crop.page - 1)
    except PageUnreadable:
        raise CropError(f"PDFium cannot load page {crop.page}") from None
    with view as page:
        width, height = page.get_size()
        x0, top, x1, bottom = with_words(page, crop.bbox, crop.words) if crop.words else crop.bbox
        x0, x1 = max(0.0, x0), min(width, x1)
        top, bottom = max(0.0, top), min(height, bottom)
        if x1 - x0 < 1 or bottom - top < 1:
            raise CropError(f"its box {list(crop.bbox)} is empty on page {crop.page}")
        try:
            bitmap = page.render(_scale(x1 - x0, bottom - top), (x0, height - bottom, width - x1, top))
        except ValueError as err:
            raise CropError(f"its box {list(crop.bbox)} on page {crop.page}: {err}") from None
    colour = flat_colour(bitmap)
    if colour is not None:  # what encode() makes of it, without a picture of it made first
        return _flat(bitmap.width, bitmap.height, colour), bitmap.width, bitmap.height
    return encode(bitmap.to_pil().convert("RGB"))


def flat_colour(bitmap) -> tuple[int, int, int] | None:
    """The (red, green, blue) of a rendered crop that is all one colour (a placeholder), read
    from PDFium's buffer in one comparison (the reader's bitmaps are packed BGR rows); None for
    any other picture, or another pixel layout (:func:`encode` then finds a flat one itself).
    Costs a tenth of making the picture, converting it and taking its extrema."""
    if bitmap.mode != "BGR" or bitmap.width < 1 or bitmap.height < 1 or bitmap.stride != 3 * bitmap.width:
        return None
    pixel = bitmap.buffer[:3]
    if bitmap.buffer != pixel * (bitmap.width * bitmap.height):
        return None
    blue, green, red = pixel
    return red, green, blue


def with_words(page, bbox: BBox, words: tuple[str, ...]) -> BBox:
    """``bbox`` grown to take in each word's nearest occurrence on the page that is within reach
    and stands on a line of the figure's words only — a label printed under the picture, not
    the same word (a number, a name) in the prose around it."""
    width, height = page.get_size()
    reach = WORDS_REACH * height
    own = sorted({"".join(w.split()) for w in words}, key=len, reverse=True)
    boxes = [bbox]
    for word in words:
        best: tuple[float, BBox] | None = None
        for index, count in page.search(word):
            rects = page.rects(index, count)
            if not rects:
                continue
            # PDFium measures from the bottom; the crops from the top
            box = (min(r[0] for r in rects), height - max(r[3] for r in rects), max(r[2] for r in rects), height - min(r[1] for r in rects))
            gap = max(bbox[1] - box[3], box[1] - bbox[3], bbox[0] - box[2], box[0] - bbox[2], 0.0)
            if gap > reach or (best is not None and gap >= best[0]):
                continue
            middle = (box[1] + box[3]) / 2
            line = "".join(page.text_in(0, height - middle - 0.5, width, height - middle + 0.5).split())
            for w in own:
                line = line.replace(w, "")
            if not line:
                best = (gap, box)
        if best is not None:
            x0, top, x1, bottom = best[1]
            boxes.append((x0 - WORDS_PAD, top - WORDS_PAD, x1 + WORDS_PAD, bottom + WORDS_PAD))
    return _union(boxes)


def encode(image) -> tuple[bytes, int, int]:
    """WebP: lossless for a picture of few colours (a chart, a diagram, a screenshot: at most
    LOSSLESS_COLOURS of them), lossy for a photograph.

    A picture of one flat colour (the report's placeholders: 69 of its 79 pictures) is encoded
    once per size and colour. The choice is made from the picture, not by encoding it both ways
    and keeping the smaller: on the report's and two corpus documents' 65 pictures that took
    1.9 s of CPU; this takes 0.4 s, for files 18 % larger in all (0.92 → 1.08 MB).
    """
    extrema = image.getextrema()
    if all(low == high for low, high in extrema):
        return _flat(image.width, image.height, tuple(low for low, _ in extrema)), image.width, image.height
    if image.getcolors(LOSSLESS_COLOURS) is not None:
        # for lossless WebP "quality" is effort: 20 with method 1 is within 10 % of the smallest
        # file at a tenth of the time (measured on the corpus's pictures)
        data = _webp(image, lossless=True, quality=20, method=1)
    else:
        data = _webp(image, quality=WEBP_QUALITY, method=2)  # method 2: half the time of 4, a few % larger
    return data, image.width, image.height


@lru_cache(maxsize=64)
def _flat(width: int, height: int, colour: tuple[int, ...]) -> bytes:
    """The lossless WebP of a picture of one colour (the same placeholder drawn again and again
    is encoded once)."""
    from PIL import Image

    return _webp(Image.new("RGB", (width, height), colour), lossless=True, quality=20, method=1)


def _webp(image, **options) -> bytes:
    """A picture saved as WebP. Pillow's WebP plugin is imported by name: a save in a format
    not yet registered makes Pillow import every one of its format plugins first (20 ms)."""
    from PIL import WebPImagePlugin  # noqa: F401  (registers the WebP writer)

    out = io.BytesIO()
    image.save(out, "WEBP", **options)
    return out.getvalue()


@lru_cache(maxsize=1)
def _versions() -> str:
    """What the bytes of a picture depend on besides the PDF and the box: this module's code and
    the libraries that render and encode."""
    from ..packages import installed_version

    parts = [hashlib.sha256(Path(__file__).read_bytes()).hexdigest()]
    for name in ("pypdfium2", "pillow"):
        found = installed_version(name)
        parts.append(f"{name}=={found}" if found else f"{name}: absent")
    return "|".join(parts)


def crop_key(pdf_sha: str, crop: Crop) -> str:
    return hashlib.sha256(f"figure|{pdf_sha}|{crop.page}|{crop.bbox}|{crop.words}|{_versions()}".encode()).hexdigest()


def figure_assets(doc: Node, source: Path, stem: str, password: str | None = None, cache_dir: Path | None = None,
                  cache_max_bytes: int = 0) -> tuple[dict[str, tuple[Asset, ...]], dict[str, str]]:
    """The pictures of every figure of a PDF source: (figure id → assets, figure id → why its
    picture could not be rendered). A text export has no pictures (and no problem).

    Pictures come from the cache where the same crop of the same PDF was rendered before.
    """
    crops = figure_crops(doc)
    if not crops or source.suffix.lower() != ".pdf":
        return {}, {}
    from ..cache import cache_read, cache_write

    pdf_sha = ""
    if cache_dir is not None:  # the pictures' cache keys: the document knows its PDF's hash already
        pdf_sha = (doc.get("source") or {}).get("sha256") or hashlib.sha256(source.read_bytes()).hexdigest()
    pdf = None
    assets: dict[str, tuple[Asset, ...]] = {}
    problems: dict[str, str] = {}
    try:
        for fig, fig_crops in crops.items():
            out = []
            for k, crop in enumerate(fig_crops):
                key = crop_key(pdf_sha, crop) if cache_dir is not None else ""
                hit = cache_read(cache_dir, key) if cache_dir is not None else None
                if hit and {"webp", "width", "height"} <= set(hit):
                    data, width, height = base64.b64decode(hit["webp"]), hit["width"], hit["height"]
                else:
                    try:
                        if pdf is None:
                            pdf = _LastPage(_open(source, password))
                        data, width, height = render_crop(pdf, crop)
                    except CropError as err:
                        problems[fig] = str(err)
                        continue
                    if cache_dir is not None:
                        cache_write(cache_dir, key, {"webp": base64.b64encode(data).decode("ascii"), "width": width, "height": height},
                                    cache_max_bytes)
                out.append(Asset(asset_name(stem, crop, k, len(fig_crops)), data, width, height, crop.page))
            if out:
                assets[fig] = tuple(out)
    finally:
        if pdf is not None:
            pdf.close()
    return assets, problems


class _LastPage:
    """The PDF, with the page last rendered kept loaded: the next crop is often on the same page
    (a figure in pieces, two figures on one page), and loading a page costs more than most
    renderings of a placeholder."""

    def __init__(self, pdf) -> None:
        self.pdf, self.index, self.page = pdf, -1, None

    def __len__(self) -> int:
        return len(self.pdf)

    def view(self, index: int):
        from contextlib import nullcontext

        if index != self.index:
            self._release()
            self.page, self.index = self.pdf.view(index), index
        return nullcontext(self.page)

    def _release(self) -> None:
        if self.page is not None:
            self.page.close()
            self.page, self.index = None, -1

    def close(self) -> None:
        self._release()
        self.pdf.close()


def _open(source: Path, password: str | None):
    from ..errors import SourceError
    from ..reading.pdfium import Document

    try:
        return Document(str(source), password)
    except SourceError as err:
        raise CropError(f"PDFium cannot open it: {err}") from None
