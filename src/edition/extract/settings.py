"""Every layout threshold of the extractor, named, with the reason for its value.

One frozen dataclass, as pdfplumber's ``TableSettings``: defaults are named here, checked when
an instance is made, and passed explicitly down the stages, so a test can vary one number and a
document with an unusual layout can be read with other values
(``LayoutSettings(heading_max_chars=60)``). Sizes are in PDF points; a factor named ``*_em``
multiplies the font size of the line it is applied to, so the same setting holds for a 10.5 pt
and a 14 pt body.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from ..errors import EditionError


@dataclass(frozen=True)
class LayoutSettings:
    # --- characters -----------------------------------------------------------------------
    # Word fakes bold by drawing text twice, shifted by a fraction of a point; pdfplumber's
    # Page.dedupe_chars uses the same 1 pt.
    duplicate_tolerance: float = 1.0
    # More doubled chars than kept ones is a duplicated text layer, not emphasis.
    duplicate_layer_ratio: float = 0.5
    # A char belongs to a line when it overlaps the line's band by half its height (a raised
    # footnote mark overlaps less than a neighbouring line does).
    line_overlap: float = 0.5
    # Digits set below this share of the line's size, and raised, are footnote marks.
    footnote_mark_ratio: float = 0.8
    # A gap wider than the line's own tracking plus this share of an em is a word space
    # between Latin letters (CJK text never gets one).
    word_gap_em: float = 0.15
    # A gap this many ems wide inside one printed line separates two things set side by side
    # (two captions under two pictures, "圖1、…     圖2、…"), which are split apart.
    side_by_side_gap_em: float = 3.0
    # Before another caption label, a gap of one em already parts two captions.
    caption_gap_em: float = 1.0

    # --- page objects ---------------------------------------------------------------------
    # Pictures smaller than this (points, both sides) are bullets, rules or logos.
    min_image_side: float = 20.0
    # pdfplumber's table finder is only asked where a page has this many ruling lines/rects.
    min_table_edges: int = 4
    # A horizontal rule is at most this thick; three or more rules spanning the same columns
    # with no vertical rules between them make a borderless ("three-line") table.
    rule_max_thickness: float = 2.0
    three_line_min_rules: int = 3
    # In a borderless table, a gap of this many ems between words parts two cells.
    cell_gap_em: float = 1.0
    # Vector drawings (charts drawn with rects and curves) count as a picture when their
    # shapes cover an area at least this wide and high.
    min_drawing_side: float = 40.0
    # A fill, frame or picture covering this share of the page is what the page is printed on
    # (a picture only where text covers at least this share of it: running text covers about a
    # third of a page, a chart's labels a few hundredths); text over it is body text.
    background_share: float = 0.5
    background_text_density: float = 0.15
    # A picture at the same place on this many pages (and running_min_share of them) is page
    # furniture — a logo, a seal, a watermark — not a figure.
    repeated_image_min_pages: int = 3

    # --- page furniture -------------------------------------------------------------------
    # Headers and footers sit in the top and bottom 10 % of the page.
    edge_band: float = 0.10
    # A page number stands in the last 15 % of the page (or the first 10 %).
    page_number_band: float = 0.15
    # A running line repeats on ≥ 3 pages and ≥ 30 % of them (chapters change the header).
    running_min_pages: int = 3
    running_min_share: float = 0.30
    # Lines printed at the same height as a running header (± this) on other pages are the same
    # header with other words (a chapter name that changes per chapter).
    running_band_tolerance: float = 2.0

    # --- margins, indents and blocks -------------------------------------------------------
    # A body line is within this many points of the body size.
    body_size_tolerance: float = 0.6
    # The left margin is the leftmost start shared by at least this share of body lines.
    margin_min_share: float = 0.10
    # Indent classes, in ems from the left margin: < flush_em is flush, < hang_em a hanging
    # (list) indent, < para_em a first-line paragraph indent (two CJK characters); beyond it a
    # deeper hanging indent, one level per em.
    flush_em: float = 0.5
    hang_em: float = 1.5
    para_em: float = 2.5
    # A line whose centre is within this share of the page width from the page centre, and
    # that starts this many ems right of the margin, is centred.
    centre_tolerance: float = 0.04
    centre_min_offset_em: float = 3.0
    # A line "reaches the margin" when it ends within this many ems of the right margin
    # (justified text stops a little short where a word would not fit).
    reach_em: float = 1.5
    # Lines of one paragraph are 1.15 × size apart in the report; ≥ 1.6 × size before a new one.
    close_gap_em: float = 1.4
    # ... and in any document, a line pitch (baseline to baseline) this many ems wider than its
    # own parts blocks: the report sets 1.15 em of white between lines, 1.4 between list items.
    gap_margin_em: float = 0.2
    # The line pitch of a document too short to measure one (single spacing and a little).
    default_pitch_em: float = 1.3
    # A wrap was forced when the room left at the end of a line is narrower than the next
    # line's first word plus this many ems (a word space); a line that stops shorter than that
    # ends its paragraph.
    wrap_room_em: float = 0.3
    # Two lines start at the same edge when their starts are within this many ems.
    edge_tolerance_em: float = 0.6
    # In a document that indents its paragraphs, a line that stops short of the margin without
    # ending its sentence, filled to at least this share of the column, goes on in the next
    # (unindented) line: something the text layer does not show cut it short.
    short_line_share: float = 0.75
    # A page sets its lines wider apart than the document where at least this many of its
    # paragraph lines say so (a one-and-a-half-spaced abstract in a single-spaced thesis).
    page_leading_min_lines: int = 2
    # A PDF marks its word breaks at line wraps with a space glyph (Word does) when at least this
    # share of its lines that end in a Latin letter carry one.
    wrap_space_share: float = 0.5
    # A typesetter hyphenates the words it breaks at wraps when at least this many wraps show it.
    hyphenated_wraps_min: int = 2
    # A first-line indent is at most this many ems (four CJK characters).
    max_first_indent_em: float = 4.0
    # A wrapped heading's next line hangs at most this many ems right of the heading's start.
    heading_wrap_em: float = 4.0
    # Text this many points smaller than the body is small print (figure labels, table text).
    small_print_step: float = 3.0

    # --- footnotes --------------------------------------------------------------------------
    # Footnotes: at least this many points smaller than the body, below this share of the page.
    footnote_size_step: float = 1.5
    footnote_min_top: float = 0.55

    # --- headings -------------------------------------------------------------------------
    # A line this many points larger than the body is set in heading type. Chinese reports step
    # sizes by whole 号 (五号 10.5 › 小四 12 › 四号 14 › 三号 16), so a heading is ≥ 1.5 pt larger;
    # within 1 pt it is the body face (rounding, a 10 vs 10.5).
    heading_size_step: float = 1.0
    # An unnumbered heading is one short line (a title, not a sentence).
    heading_max_chars: int = 40
    # A numbered heading's title is short too; a longer numbered line is a numbered paragraph.
    numbered_heading_max_chars: int = 60

    # --- captions ---------------------------------------------------------------------------
    # A caption is a short label: at most this many characters and two lines.
    caption_max_chars: int = 80
    caption_max_lines: int = 2
    # A caption belongs to a picture or table within this many points above or below it.
    caption_max_distance: float = 60.0

    # --- text that did not decode ---------------------------------------------------------
    # A page's undecodable glyphs (no character, or Latin-1 letters that decode as no Chinese)
    # are reported where there are at least this many and this share of its characters: a
    # thesis cover with two unmapped spaces reads fine; a damaged font turns a page to garbage.
    unreadable_min_glyphs: int = 10
    unreadable_min_share: float = 0.02

    # --- parallel reading -----------------------------------------------------------------
    # Pages per worker before a second process pays for its start-up: a worker is a fresh
    # interpreter (0.15–0.2 s to start and import the reader), the time the reader's C loops take
    # for about eighty pages. Measured on the report and copies of it, one process against two
    # page workers: 103 pages 1.50 / 1.60 s (so it is read in the process itself), 206 pages
    # 2.24 / 2.04 s, 824 pages 8.0 / 6.9 s.
    pages_per_job: int = 80
    # The widest pitch (in ems) at which a centred display line still goes on the wrapped title
    # above it (mineru's English title: 1.95 em in 16 pt over a body set at 1.67).
    title_pitch_em: float = 2.2

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise EditionError(f"layout setting {f.name}={value!r}: must be a number")
            if value < 0:
                raise EditionError(f"layout setting {f.name}={value!r}: must not be negative")
        if not self.flush_em < self.hang_em < self.para_em:
            raise EditionError("layout settings: indents must grow (flush_em < hang_em < para_em)")
        for name in ("duplicate_layer_ratio", "line_overlap", "footnote_mark_ratio", "edge_band",
                     "page_number_band", "running_min_share", "margin_min_share", "centre_tolerance",
                     "footnote_min_top"):
            if not 0 < getattr(self, name) <= 1:
                raise EditionError(f"layout setting {name}={getattr(self, name)!r}: must be a share in (0, 1]")


DEFAULT = LayoutSettings()
