"""Whatever PDF a user has: `edition extract` on odd and damaged PDFs from other projects' test
suites (``tests/pdfs/odd_pdfs.py`` fetches about 220 of them from the registries; a few small
ones are committed in ``tests/pdfs/odd/``).

For every file, as a user would run it (a process of its own):

* no traceback, no hang (60 s), no crash, no process over 1 GiB;
* either an edition, or exit 1 with one line naming the file and what is wrong in it;
* a refusal never calls a file damaged or textless when PDFium reads text from it without a
  password;
* an edition with no body, or with text that did not decode, says so on stderr.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import CHINESE_LINES, ROOT, chinese_pdf

EDITION = Path(sys.executable).with_name("edition")
COMMITTED = sorted((ROOT / "tests" / "pdfs" / "odd").glob("*.pdf"))
LIMIT_S = 60
LIMIT_KB = 1 << 20  # 1 GiB
# refusals that say what is wrong without blaming the file's text: a password, no pages
PASSWORD = ("encrypted", "password")
# text that did not decode: Latin-1 letters in a row, unmapped glyphs, the replacement character
MOJIBAKE = re.compile(r"[\u00c0-\u00ff]{3,}|\(cid:\d+\)|\ufffd")


def pdfium_text(path: Path) -> int:
    """How many characters PDFium's own text layer gives (no password), over the first 50 pages."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path))
    except Exception:  # noqa: BLE001 — PDFium cannot open it: it reads no text
        return 0
    n = 0
    try:
        for i in range(min(len(doc), 50)):
            try:
                page = doc[i]
            except Exception:  # noqa: BLE001
                continue
            tp = page.get_textpage()
            n += len(re.sub(r"\s", "", tp.get_text_range()))
            tp.close()
            page.close()
    finally:
        doc.close()
    return n


def extract(path: Path, out: Path) -> dict:
    """One `edition extract` run: exit code, stderr, seconds, peak memory of its largest process."""
    proc = subprocess.Popen([str(EDITION), "extract", str(path), "-o", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _, err = proc.communicate(timeout=LIMIT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return {"path": path, "code": "hang", "stderr": "", "peak_kb": 0}
    # the largest resident set among the finished children of this test process so far is a bound
    # for this run's own; a run over the limit shows up here (it cannot be hidden by another)
    import resource

    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"path": path, "code": proc.returncode, "stderr": err.decode("utf-8", "replace"), "peak_kb": peak}


def problems(run: dict, out: Path) -> list[str]:
    """What is wrong with one run, as lines (empty: it behaved)."""
    path, code, err = run["path"], run["code"], run["stderr"]
    name = path.name
    if code == "hang":
        return [f"{name}: still running after {LIMIT_S} s"]
    bad = []
    if "Traceback" in err:
        bad.append(f"{name}: a traceback: {err[-300:]}")
    if run["peak_kb"] > LIMIT_KB:
        bad.append(f"{name}: {run['peak_kb'] // 1024} MiB")
    if code not in (0, 1):
        bad.append(f"{name}: exit {code} (a crash?): {err[-200:]}")
    elif code == 1:
        lines = err.splitlines()
        if len(lines) != 1 or not lines[0].startswith(f"Error: {path}: "):
            bad.append(f"{name}: the refusal is not one line naming the file: {err[-300:]!r}")
        elif not any(w in lines[0] for w in PASSWORD) and pdfium_text(path) > 0 and "map their glyphs to no characters" not in lines[0]:
            bad.append(f"{name}: refused although PDFium reads text from it: {lines[0]}")
    else:
        doc = json.loads(out.read_text(encoding="utf-8"))
        texts = []

        def walk(node):
            if isinstance(node, dict):
                for k, v in node.items():
                    if k in ("text", "heading", "caption", "title") and isinstance(v, str):
                        texts.append(v)
                    elif k not in ("furniture", "qa"):
                        walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)

        walk(doc.get("blocks", []))
        walk(doc.get("metadata", {}))
        body = "".join(texts)
        if not body.strip() and "warning:" not in err:
            bad.append(f"{name}: an edition with no body and nothing said on stderr")
        garbled = sum(len(m) for m in MOJIBAKE.findall(body))
        if body and garbled >= 20 and garbled > 0.05 * len(body) and "did not decode" not in err:
            bad.append(f"{name}: {garbled} garbled characters and nothing said on stderr")
    return bad


def check_all(paths: list[Path], tmp: Path) -> tuple[list[dict], list[str]]:
    def one(k_path):
        k, path = k_path
        out = tmp / f"{k}.json"
        run = extract(path, out)
        return run, problems(run, out)

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(one, enumerate(paths)))
    return [r for r, _ in results], [p for _, ps in results for p in ps]


def test_the_committed_odd_pdfs_are_read_or_refused_in_one_line(tmp_path):
    assert len(COMMITTED) >= 12
    runs, bad = check_all(COMMITTED, tmp_path)
    assert bad == []
    # the set holds what it is meant to: files read despite damage, and files refused
    assert {r["code"] for r in runs} == {0, 1}


@pytest.mark.skipif(os.environ.get("EDITION_SKIP_ODD_PDFS") == "1", reason="EDITION_SKIP_ODD_PDFS=1")
def test_odd_and_damaged_pdfs_from_other_projects_test_suites(tmp_path):
    sys.path.insert(0, str(ROOT / "tests"))
    from pdfs import odd_pdfs

    try:
        paths = odd_pdfs.fetch()
    except (OSError, subprocess.SubprocessError) as err:
        pytest.skip(f"the odd PDFs could not be fetched from the registries ({type(err).__name__}): offline?")
    assert len(paths) >= 180, len(paths)
    runs, bad = check_all(paths, tmp_path)
    assert bad == []
    read = sum(1 for r in runs if r["code"] == 0)
    print(f"odd PDFs: {len(runs)} files, {read} read, {len(runs) - read} refused in one line")


# --- odd files made here, one per oddity --------------------------------------------------------


def _body(out: Path) -> str:
    doc = json.loads(out.read_text(encoding="utf-8"))
    return json.dumps(doc["blocks"], ensure_ascii=False)


def test_junk_before_the_header_is_read_as_a_viewer_reads_it(tmp_path):
    pdf = chinese_pdf(tmp_path / "plain.pdf")
    odd = tmp_path / "mail.pdf"
    odd.write_bytes(b"From: scanner@example.org\r\nContent-Type: application/pdf\r\n\r\n" + pdf.read_bytes())
    run = extract(odd, tmp_path / "out.json")
    assert run["code"] == 0, run["stderr"]
    assert CHINESE_LINES[1] in _body(tmp_path / "out.json")


@pytest.mark.parametrize("box", [(0, 0, 0, 0), (0, 0, 14400, 14400), (-30000, -30000, 30000, 30000)], ids=["empty", "huge", "absurd"])
def test_an_empty_or_absurd_mediabox_still_gives_the_text(tmp_path, box):
    import pypdf
    from pypdf.generic import ArrayObject, FloatObject, NameObject

    reader = pypdf.PdfReader(str(chinese_pdf(tmp_path / "plain.pdf")))
    writer = pypdf.PdfWriter(clone_from=reader)
    writer.pages[0][NameObject("/MediaBox")] = ArrayObject([FloatObject(v) for v in box])
    odd = tmp_path / "box.pdf"
    writer.write(str(odd))
    run = extract(odd, tmp_path / "out.json")
    assert problems(run, tmp_path / "out.json") == []
    assert run["code"] == 0, run["stderr"]
    assert CHINESE_LINES[1] in _body(tmp_path / "out.json")


def test_text_placed_outside_the_page_is_kept_on_record_not_in_the_body(tmp_path):
    odd = chinese_pdf(tmp_path / "off.pdf", lambda c: c.drawString(-400, 500, "頁面之外的文字"))
    run = extract(odd, tmp_path / "out.json")
    assert run["code"] == 0, run["stderr"]
    doc = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert "頁面之外" not in _body(tmp_path / "out.json")
    assert [(f["kind"], f["text"]) for f in doc["furniture"] if f["kind"] == "off-page-text"] == [("off-page-text", "頁面之外的文字")]


def test_a_page_of_rotated_text_only_says_where_its_text_went(tmp_path):
    def rotated(c):
        c.showPage()
        c.setFont("STSong-Light", 12)
        c.saveState()
        c.translate(300, 400)
        c.rotate(90)
        c.drawString(0, 0, "旋轉的表格文字")
        c.restoreState()

    pdf = chinese_pdf(tmp_path / "rot.pdf", rotated)
    import pypdf

    reader = pypdf.PdfReader(str(pdf))
    writer = pypdf.PdfWriter()
    writer.add_page(reader.pages[1])  # only the rotated page
    odd = tmp_path / "rotated-only.pdf"
    writer.write(str(odd))
    run = extract(odd, tmp_path / "out.json")
    assert run["code"] == 0, run["stderr"]
    assert "no text came out as the document's body: 7 characters set rotated on the page" in run["stderr"]
    doc = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert [f["text"] for f in doc["furniture"] if f["kind"] == "rotated-text"] == ["旋轉的表格文字"]
    assert any(q["kind"] == "no-body" for q in doc["qa"])


def test_chinese_in_a_font_without_a_character_map_is_decoded_from_its_bytes(tmp_path):
    # GBK codes drawn one byte at a time in a font with no character map: a reader sees Latin-1
    # letters ("±±º£µÀ"); decoded pair by pair they are the Chinese again
    gbk = "北海道產學合作".encode("gbk").decode("latin-1")
    big5 = "北海道產學合作".encode("cp950").decode("latin-1")

    def latin1(c):
        c.setFont("Helvetica", 12)
        c.drawString(72, 600, gbk)
        c.setFont("Times-Roman", 12)
        c.drawString(72, 570, "Ökonomie " + "Ö" * 2)  # a German word and two letters: left as they are

    odd = chinese_pdf(tmp_path / "gbk.pdf", latin1)
    run = extract(odd, tmp_path / "out.json")
    assert run["code"] == 0, run["stderr"]
    body = _body(tmp_path / "out.json")
    assert "北海道產學合作" in body or "北海道产学合作" in body
    assert gbk not in body and "Ökonomie" in body
    assert big5 != gbk  # the two encodings differ: the decoder had to choose


def test_latin1_letters_that_decode_as_no_chinese_are_named_on_stderr(tmp_path):
    # 0xFF opens no GBK or Big5 character: these bytes are no Chinese in either
    garbage = "ÿÀÿÁÿÂÿÃÿÄÿÅÿÆÿÇÿÈÿÉÿÊÿËÿÌÿÍÿÎÿÏ" * 2

    def latin1(c):
        c.setFont("Helvetica", 12)
        for k in range(4):
            c.drawString(72, 600 - 20 * k, garbage)

    odd = chinese_pdf(tmp_path / "garbage.pdf", latin1)
    run = extract(odd, tmp_path / "out.json")
    assert run["code"] == 0, run["stderr"]
    assert "did not decode" in run["stderr"]
