"""The HTML edition and the pictures cropped from the PDF, read as files (the browser tests are in
test_edition_browser.py).

A small report PDF with two figures is made in the test (tests/pdfs/make_figures.py); the report
and two corpus documents are built once per session (tests/editions.py).
"""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest
from PIL import Image

from conftest import GLOSSARY, ROOT, run
from editions import CORPUS, NO_CORPUS, built, report
from html_tree import parse
from markdown_check import github_parser

sys.path.insert(0, str(ROOT / "tests" / "pdfs"))
from make_figures import make_figure_report  # noqa: E402

ZH = "zh-Hant"


def files_of(d: Path) -> dict[str, bytes]:
    """Every file of the edition under d → its bytes (the manifest, a record of the run with its times, aside)."""
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file() and p.relative_to(d) != Path("manifest.jsonl")}


@pytest.fixture(scope="module")
def figures_pdf(tmp_path_factory) -> Path:
    return make_figure_report(tmp_path_factory.mktemp("pdf") / "figures.pdf")


def build(source: Path, out: Path, *extra):
    return run("build", "--source", source, "--out", out, "--translations", out.parent / "tr", "--glossary", GLOSSARY, *extra)


@pytest.fixture
def figures_out(figures_pdf, tmp_path) -> Path:
    """The small report built into tmp_path/out (with the build cache)."""
    result = build(figures_pdf, tmp_path / "out")
    assert result.exit_code == 0, result.output
    return tmp_path / "out"


def imgs(html: str) -> list[dict[str, str]]:
    return [e.attrs for e in parse(html).iter() if e.tag == "img"]


# --- the pictures ---------------------------------------------------------------------------


def test_build_writes_one_html_beside_one_json_and_one_picture_per_figure(figures_out):
    assert sorted(files_of(figures_out)) == ["figures.assets/fig-1.webp", "figures.assets/fig-2.webp", "figures.html",
                                             "figures.json", "figures.qa.md", "figures.zh-en.md"]


def test_every_figure_with_a_picture_has_an_img_that_exists_and_is_64_pixels_a_side_or_more(figures_out):
    doc = json.loads((figures_out / "figures.json").read_text(encoding="utf-8"))
    figures = [n for n in doc["blocks"][0]["children"] if n["type"] == "figure" and n["content"]]
    shown = imgs((figures_out / "figures.html").read_text(encoding="utf-8"))
    assert len(figures) == len(shown) == 2
    for f, img in zip(figures, shown):
        picture = Image.open(figures_out / img["src"])
        assert picture.size == (int(img["width"]), int(img["height"])) and min(picture.size) >= 64
        assert img["alt"].startswith(f["label"])  # the caption is the alternative text


def test_a_chart_pasted_in_two_pieces_is_one_picture_covering_both(figures_out):
    picture = Image.open(figures_out / "figures.assets" / "fig-2.webp").convert("RGB")
    # the pieces span 200 points across (110–310) at 144 dpi, and both colours show
    assert picture.width == 400
    left, right = picture.getpixel((60, picture.height // 2)), picture.getpixel((340, picture.height // 2))
    assert left[2] > 150 > left[0] and right[0] > 200 > 80 > right[2]  # the blue piece and the orange one


def test_a_tiny_crop_is_rendered_at_64_pixels_a_side(figures_pdf):
    from edition.reading.pdfium import Document
    from edition.render.figures import Crop, render_crop

    pdf = Document(str(figures_pdf))
    try:
        data, width, height = render_crop(pdf, Crop("fig-x", 1, (100.0, 112.5, 120.0, 122.5)))  # 20 × 10 points
    finally:
        pdf.close()
    assert min(width, height) >= 64 and Image.open(io.BytesIO(data)).size == (width, height)


@pytest.mark.parametrize("size", [(64, 65), (800, 500), (130, 2000)])
@pytest.mark.parametrize("colour", [(128, 128, 128), (255, 255, 255), (12, 200, 77)])
def test_a_flat_picture_is_stored_lossless(size, colour):
    from edition.render.figures import encode

    data, width, height = encode(Image.new("RGB", size, colour))
    back = Image.open(io.BytesIO(data)).convert("RGB")
    assert (width, height) == size and back.getcolors(1) == [(size[0] * size[1], colour)]


def test_a_drawing_of_few_colours_is_lossless_and_a_photograph_lossy():
    from PIL import ImageDraw

    from edition.render.figures import LOSSLESS_COLOURS, encode

    chart = Image.new("RGB", (400, 300), (255, 255, 255))
    draw = ImageDraw.Draw(chart)
    draw.rectangle((40, 100, 120, 280), fill=(30, 90, 200))
    draw.line((0, 150, 400, 20), fill=(200, 30, 30), width=3)
    data, _, _ = encode(chart)
    assert Image.open(io.BytesIO(data)).convert("RGB").tobytes() == chart.tobytes()  # every pixel kept
    photo = Image.effect_noise((400, 300), 60).convert("RGB")
    photo = Image.merge("RGB", (photo.getchannel(0), photo.getchannel(0).rotate(90, expand=False), photo.getchannel(0).transpose(Image.FLIP_LEFT_RIGHT)))
    assert photo.getcolors(LOSSLESS_COLOURS) is None
    lossless = io.BytesIO()
    photo.save(lossless, "WEBP", lossless=True, quality=20, method=1)
    data, _, _ = encode(photo)
    assert len(data) < lossless.tell()  # lossy: a photograph's lossless file is several times larger


def test_pictures_and_editions_are_byte_identical_on_rebuild(figures_pdf, tmp_path):
    for out in ("a", "b"):
        assert build(figures_pdf, tmp_path / out, "--no-cache").exit_code == 0
    a, b = files_of(tmp_path / "a"), files_of(tmp_path / "b")
    assert a == b and len(a) == 6


def test_a_picture_already_rendered_is_taken_from_the_cache(figures_pdf, figures_out, monkeypatch):
    # the memory changes, so the document is built again — but its pictures are not
    (figures_out.parent / "tr").mkdir(exist_ok=True)
    (figures_out.parent / "tr" / "figures.zh-en.yaml").write_text("schema_version: 1\nsegments: []\n", encoding="utf-8")
    before = files_of(figures_out / "figures.assets")

    def no_rendering(*args):
        raise AssertionError("a picture was rendered again")

    monkeypatch.setattr("edition.render.figures.render_crop", no_rendering)
    result = build(figures_pdf, figures_out)
    assert result.exit_code == 0, result.output
    assert "(0 from cache)" in result.stderr and files_of(figures_out / "figures.assets") == before


def test_check_notices_a_missing_html_and_missing_changed_or_stray_pictures(figures_pdf, figures_out):
    (figures_out / "figures.html").unlink()
    (figures_out / "figures.assets" / "fig-1.webp").write_bytes(b"not the picture")
    (figures_out / "figures.assets" / "fig-2.webp").unlink()
    (figures_out / "figures.assets" / "fig-9.webp").write_bytes(b"a picture no figure shows")
    result = build(figures_pdf, figures_out, "--check")
    assert result.exit_code == 1
    assets = Path("out") / "figures.assets"
    lines = [line.replace(str(figures_out.parent) + "/", "") for line in result.stderr.splitlines()]
    assert f"{assets / 'fig-1.webp'}: differs from a fresh build — run `edition build` and commit output/" in lines
    assert f"{assets / 'fig-2.webp'}: missing — run `edition build`" in lines
    assert f"{Path('out') / 'figures.html'}: missing — run `edition build`" in lines
    assert f"{assets / 'fig-9.webp'}: no source produces it — delete it (or restore its source)" in lines


def test_a_rebuild_puts_pictures_back_and_removes_those_no_figure_shows(figures_pdf, figures_out):
    before = files_of(figures_out)
    (figures_out / "figures.assets" / "fig-1.webp").unlink()
    (figures_out / "figures.assets" / "fig-9.webp").write_bytes(b"a picture no figure shows")
    assert build(figures_pdf, figures_out).exit_code == 0
    assert files_of(figures_out) == before
    assert build(figures_pdf, figures_out, "--check").stderr.count("no source produces it") == 0


def test_a_picture_that_cannot_be_rendered_is_said_in_the_editions_the_qa_report_and_on_stderr(figures_pdf, tmp_path, monkeypatch):
    from edition.render.figures import CropError

    def broken(pdf, crop):
        raise CropError(f"its box is empty on page {crop.page}")

    monkeypatch.setattr("edition.render.figures.render_crop", broken)
    out = tmp_path / "out"
    result = build(figures_pdf, out, "--no-cache")
    assert result.exit_code == 0, result.output
    assert "warning: figures: fig-1: the picture could not be rendered — its box is empty on page 1" in result.stderr.splitlines()
    assert "## figure-not-rendered (2)" in (out / "figures.qa.md").read_text(encoding="utf-8")
    html = (out / "figures.html").read_text(encoding="utf-8")
    assert imgs(html) == [] and html.count("The picture could not be rendered: its box is empty on page 1") == 2
    assert "(the picture could not be rendered: its box is empty on page 1" in (out / "figures.zh-en.md").read_text(encoding="utf-8")
    assert not (out / "figures.assets").exists()


def test_the_markdown_shows_the_same_pictures_as_the_html(figures_out):
    tokens = github_parser().parse((figures_out / "figures.zh-en.md").read_text(encoding="utf-8"))
    images = [c.attrs["src"] for t in tokens for c in (t.children or []) if c.type == "image"]
    assert images == [i["src"] for i in imgs((figures_out / "figures.html").read_text(encoding="utf-8"))]
    assert all((figures_out / src).is_file() for src in images)


# --- the HTML edition of real documents -----------------------------------------------------

DOCUMENTS = ["hokkaido-report", "kunsheng-report", "creditcard-report"]


def edition_dir(name: str) -> Path:
    if name == "hokkaido-report":
        return report()
    if not (CORPUS / f"{name}.pdf").exists():
        pytest.skip(NO_CORPUS)
    return built(CORPUS / f"{name}.pdf")


@pytest.mark.parametrize("name", DOCUMENTS)
def test_one_html_beside_one_json_and_every_figure_with_a_picture_shows_it(name):
    out = edition_dir(name)
    assert len(list(out.glob("*.html"))) == 1 and len(list(out.glob("*.json"))) == 1
    doc = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
    tree = parse((out / f"{name}.html").read_text(encoding="utf-8"))
    from edition.model import iter_nodes

    with_picture = [n for n in iter_nodes(doc["blocks"]) if n["type"] == "figure" and n.get("content")]
    assert with_picture
    figures = {e.attrs.get("id"): e for e in tree.iter() if e.tag == "figure"}
    for n in with_picture:
        fig = figures["s-" + re.sub(r"[^a-z0-9]+", "-", n["id"].lower()).strip("-")]
        shown = [e.attrs for e in fig.iter() if e.tag == "img"]
        assert shown, n["id"]
        for img in shown:
            assert min(Image.open(out / img["src"]).size) >= 64, img["src"]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_paragraph_and_list_item_sets_its_chinese_and_english_side_by_side_by_language(name):
    tree = parse((edition_dir(name) / f"{name}.html").read_text(encoding="utf-8"))
    main = next(e for e in tree.iter() if e.tag == "main")
    pairs = [e for e in main.iter() if "pair" in e.classes() and e.tag == "div" and not ({"source"} & e.classes())]
    assert len(pairs) > 50
    for p in pairs:
        kids = [c for c in p.children if not isinstance(c, str)]
        if "whole" in kids[0].classes():
            continue  # Latin-only text: its own English
        assert [c.attrs.get("lang") for c in kids] == [ZH, "en"], p.text()[:60]


def test_the_reports_english_stands_in_english_elements_beside_its_chinese():
    out = report()
    doc = json.loads((out / "hokkaido-report.json").read_text(encoding="utf-8"))
    tree = parse((out / "hokkaido-report.html").read_text(encoding="utf-8"))
    texts: dict[str, set[str]] = {ZH: set(), "en": set()}
    for e in tree.iter():
        if e.attrs.get("lang") in texts:
            texts[e.attrs["lang"]].add(" ".join(e.text().split()))
    from edition.model import iter_nodes

    nodes = [n for n in iter_nodes(doc["blocks"]) if n["type"] in ("paragraph", "list_item") and n.get("en")]
    assert len(nodes) > 300
    glyph = re.compile(r"^[□■◎◇◆●○•▪※—]\s*")  # a list item's bullet glyph: the list's bullet stands for it
    for n in nodes:
        en = " ".join(n["en"].split())
        assert en in texts["en"] or glyph.sub("", en) in texts["en"], n["id"]
        assert any(glyph.sub("", " ".join(n["text"].split()))[-12:] in t for t in texts[ZH]), n["id"]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_nothing_is_loaded_from_the_network(name):
    out = edition_dir(name)
    html = (out / f"{name}.html").read_text(encoding="utf-8")
    tree = parse(html)
    tags = {e.tag for e in tree.iter()}
    assert not tags & {"script", "link", "iframe", "object", "embed", "video", "audio", "source"}
    for e in tree.iter():
        for attr in ("src", "srcset", "poster", "data"):
            value = e.attrs.get(attr)
            if value is not None:
                assert "://" not in value and not value.startswith("//") and (out / value).is_file(), value
    style = "".join(e.text() for e in tree.iter() if e.tag == "style")
    assert "url(" not in style and "@import" not in style and "@font-face" not in style
    csp = next(e.attrs["content"] for e in tree.iter() if e.tag == "meta" and e.attrs.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp


def test_every_heading_has_an_anchor_and_the_contents_link_to_each():
    tree = parse((report() / "hokkaido-report.html").read_text(encoding="utf-8"))
    headings = [e for e in tree.iter() if re.fullmatch(r"h[2-6]", e.tag) and "heading" in e.classes()]
    nav = next(e for e in tree.iter() if e.tag == "nav")
    links = {e.attrs["href"] for e in nav.iter() if e.tag == "a"}
    assert len(headings) > 100
    assert {f"#{h.attrs['id']}" for h in headings} == links


def test_notes_are_linked_both_ways():
    tree = parse((report() / "hokkaido-report.html").read_text(encoding="utf-8"))
    ids = [e.attrs["id"] for e in tree.iter() if "id" in e.attrs]
    assert len(ids) == len(set(ids))
    refs = [e for e in tree.iter() if e.tag == "a" and e.parent is not None and "ref" in e.parent.classes()]
    backs = [e for e in tree.iter() if e.tag == "a" and "back" in e.classes()]
    assert len(refs) == len(backs) > 100
    for a in refs:
        assert a.attrs["href"][1:] in ids
    for a in backs:
        assert a.attrs["href"][1:] in ids


def test_draft_stale_and_missing_english_are_marked_where_they_stand():
    from edition.render.edition import render_edition
    from edition.translate.apply import translate_document
    from edition.translate.memory import Memory, Unit
    from edition.translate.segments import zh_hash

    doc = {
        "source": {"path": "x.txt"}, "metadata": {}, "qa": [],
        "blocks": [{"type": "paragraph", "id": "p1", "text": "甲乙丙。"}, {"type": "paragraph", "id": "p2", "text": "丁戊己。"},
                   {"type": "paragraph", "id": "p3", "text": "庚辛壬。"}],
    }
    memory = Memory("x.zh-en.yaml", (Unit("p1#text", zh_hash("甲乙丙。"), "甲乙丙。", "Draft English.", "machine"),
                                     Unit("p2#text", zh_hash("丁戊"), "丁戊", "Old English.")), "v")
    html = render_edition(translate_document(doc, memory), Path("x.txt"), "x").html
    english = [e for e in parse(html).iter() if e.tag == "p" and "en" in e.classes()]
    assert [(sorted(e.classes()), " ".join(e.text().split())) for e in english] == [
        (["draft", "en"], "⚠ draft Draft English."),
        (["en", "stale"], "⚠ stale Old English."),
        (["en", "missing"], "⚠ missing"),
    ]


def test_a_table_gives_both_languages_in_its_cells_and_spans_merged_cells():
    from edition.render.html import view_to_html
    from edition.render.view import edition_view

    cell = lambda zh, en, key: {"text": zh, "en": en}  # noqa: E731
    rows = [[cell("日期", "Date", "r1c1"), cell("行程", "Itinerary", "r1c2"), {"text": "", "merged": "left"}],
            [cell("11/26", "26 Nov", "r2c1"), cell("拜會", "Visit", "r2c2"), cell("札幌", "Sapporo", "r2c3")]]
    for r, row in enumerate(rows):
        for c, x in enumerate(row):
            if "merged" not in x:
                x["translation"] = {f"t1#r{r + 1}c{c + 1}": "translated"}
    doc = {"source": {"path": "x.txt"}, "metadata": {}, "qa": [],
           "blocks": [{"type": "table", "id": "t1", "number": 1, "label": "表 1、行程", "caption": "行程", "rows": rows,
                       "en": {"caption": "Itinerary"}, "translation": {"t1#caption": "translated"}}]}
    tree = parse(view_to_html(edition_view(doc)))
    head = [e for e in tree.iter() if e.tag == "th"]
    assert [(e.attrs.get("colspan"), [(s.attrs["lang"], s.text()) for s in e.children if not isinstance(s, str)]) for e in head] == [
        (None, [(ZH, "日期"), ("en", "Date")]), ("2", [(ZH, "行程"), ("en", "Itinerary")])]
    caption = next(e for e in tree.iter() if e.tag == "caption")
    assert [(s.attrs["lang"], " ".join(s.text().split())) for s in caption.children if not isinstance(s, str)] == [
        (ZH, "表 1、行程"), ("en", "Table 1. Itinerary")]


def test_a_word_of_the_figure_is_taken_into_its_picture_only_where_it_stands_alone_on_its_line(figures_pdf):
    from edition.reading.pdfium import Document
    from edition.render.figures import with_words

    box = (100.0, 112.5, 320.0, 250.0)  # figure 1's picture; under it its caption and source line
    with Document(str(figures_pdf)) as pdf, pdf.view(0) as page:
        grown = with_words(page, box, ("資料來源：本研究繪製",))  # a line of its own, under the picture
        kept = with_words(page, box, ("經費",))  # only inside longer lines: the prose, figure 2's caption
    assert grown[:3] == box[:3] and 280 < grown[3] < 290
    assert kept == box
