"""Bad input: exit 1 with ONE line naming the file and what to do, and --out left as it was.

Each case is a file a user could really hand the tool: an empty or cut-off download, something
else saved under a .pdf name, an encrypted or scanned PDF, a text export in a legacy encoding,
a glossary or translation memory with a typo. Where the input is in fact readable (UTF-16 or
Big5 text, an encrypted PDF with its password) the build succeeds instead.
"""

from __future__ import annotations

import hashlib
import io
import random
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import CHINESE_LINES, chinese_pdf, manifest_rows
from edition.cli import main
from edition.translate.segments import zh_hash

ROOT = Path(__file__).resolve().parents[1]
REPORT_PDF = ROOT / "source_docs" / "hokkaido-report.pdf"
REPORT_TXT = ROOT / "source_docs" / "hokkaido-report.txt"
GLOSSARY = ROOT / "glossary" / "institutions.yaml"
EDITION = Path(sys.executable).with_name("edition")

TINY_EXPORT = "\n".join([
    "出國報告（出國類別：考察）", "",
    "北海道產學合作考察報告", "",
    "第一章 前言", "",
    "壹、考察緣起", "",
    "本次考察拜會產業技術總合研究所，瞭解產學合作機制。", "",
])
PARA_KEY, PARA_ZH = "ch1.formal1/p1#text", "本次考察拜會產業技術總合研究所，瞭解產學合作機制。"
PDF_LINES = CHINESE_LINES


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def hashes(d: Path) -> dict[str, str]:
    """Every file under d, hidden and temporary ones included → sha256 of its bytes; the
    manifest aside (a failure is its row)."""
    return {str(p.relative_to(d)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(d.rglob("*"))
            if p.is_file() and p.relative_to(d) != Path("manifest.jsonl")}


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A working directory (the cache lives in ./.cache) with an earlier edition in out/."""
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    for stem in ("doc", "tiny", "hokkaido-report"):
        for name in (f"{stem}.json", f"{stem}.zh-en.md", f"{stem}.qa.md"):
            (out / name).write_text(f"the previous {name}\n", encoding="utf-8")
    (tmp_path / "tr").mkdir()
    return tmp_path


def build(source, *extra):
    return run("build", "--source", source, "--out", "out", "--translations", "tr", "--glossary", GLOSSARY, "--no-cache", *extra)


def assert_one_line_error(result, expected: str) -> None:
    """Exit 1, no traceback, and stderr is exactly one line: the expected message."""
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    assert result.stderr == f"Error: {expected}\n"


# -- files made in the tests -----------------------------------------------------------------


def png_bytes(width: int = 16, height: int = 16) -> bytes:
    """A small grey PNG, written by hand (no imaging library needed)."""
    raw = b"".join(b"\x00" + bytes([0x80]) * width for _ in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def make_chinese_pdf(path: Path) -> Path:
    """One A4 page of Chinese text in reportlab's built-in CID font."""
    return chinese_pdf(path)


def make_encrypted_pdf(path: Path, password: str) -> Path:
    pypdf = pytest.importorskip("pypdf")
    plain = make_chinese_pdf(path.with_name("plain-" + path.name))
    writer = pypdf.PdfWriter(clone_from=str(plain))
    writer.encrypt(password, "owner-" + password, algorithm="AES-128")
    writer.write(str(path))
    return path


def make_scan_pdf(path: Path) -> Path:
    """A page that is one picture, as a scanner makes it: no text layer."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path), invariant=1)
    c.drawImage(ImageReader(io.BytesIO(png_bytes(200, 280))), 0, 0, 595, 842)
    c.showPage()
    c.save()
    return path


# -- source documents ------------------------------------------------------------------------

CUT_UTF16 = TINY_EXPORT.encode("utf-16")[:-1]  # an odd number of bytes: the last char is cut

BAD_SOURCES = {
    # name: (bytes, expected message after "<path>: ")
    "empty.pdf": (lambda: b"", "the file is empty — get a complete copy of the PDF"),
    "empty.txt": (lambda: b"", "the file is empty — export the report's text again"),
    "blank.txt": (lambda: b"\n \n\t\n", "the file is empty — export the report's text again"),
    "truncated.pdf": (
        lambda: REPORT_PDF.read_bytes()[: REPORT_PDF.stat().st_size // 2],
        "the PDF is truncated (no %%EOF at its end) — download or copy it again",
    ),
    "random.pdf": (
        lambda: random.Random(7).randbytes(8192),
        "not a PDF (no %PDF header) — check the file, or get the PDF again",
    ),
    "picture.pdf": (lambda: png_bytes(), "a PNG image, not a PDF — run OCR on it (e.g. ocrmypdf) or get the report's PDF"),
    "export.pdf": (
        lambda: REPORT_TXT.read_bytes(),
        "a text file, not a PDF — if it is the report's text export, rename it to .txt",
    ),
    "download.pdf": (
        lambda: b"<!DOCTYPE html>\n<html><body>404 Not Found</body></html>\n",
        "an HTML page (a failed download?), not a PDF — download the PDF again",
    ),
    "binary.txt": (
        lambda: bytes(range(256)) * 8,
        "binary data, not a text export — give the report's text export (.txt) or its PDF",
    ),
    "latin1.txt": (
        lambda: "Ärger über Öl - naïve café\n".encode("latin-1") * 3,
        "not readable as UTF-8, UTF-16 or Big5/CP950 text — save the export as UTF-8",
    ),
    "cut-utf16.txt": (
        lambda: CUT_UTF16,
        f"broken UTF-16 text (bad bytes at offset {len(CUT_UTF16) - 1}; a cut-off copy?) — export the text again",
    ),
    "report.docx": (
        lambda: b"PK\x03\x04" + bytes(60),
        "a ZIP archive (a .docx / .odt document?), not a source this tool reads — save the report as PDF, or export its text as .txt",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_SOURCES))
def test_bad_source_is_one_line_naming_the_file_and_out_is_untouched(project, name):
    make, message = BAD_SOURCES[name]
    (project / name).write_bytes(make())
    before = hashes(project / "out")
    assert_one_line_error(build(name), f"{name}: {message}")
    assert hashes(project / "out") == before
    assert manifest_rows(project / "out")[name]["error"] == f"{name}: {message}"


def test_encrypted_pdf_asks_for_the_password(project):
    make_encrypted_pdf(project / "doc.pdf", "secret")
    before = hashes(project / "out")
    assert_one_line_error(build("doc.pdf"), "doc.pdf: the PDF is encrypted — give its password with --password")
    assert_one_line_error(
        build("doc.pdf", "--password", "wrong"), "doc.pdf: the password does not open this encrypted PDF — check --password"
    )
    assert hashes(project / "out") == before


def test_encrypted_pdf_builds_with_its_password(project):
    make_encrypted_pdf(project / "doc.pdf", "secret")
    result = build("doc.pdf", "--password", "secret")
    assert result.exit_code == 0, result.output
    edition = (project / "out" / "doc.json").read_text(encoding="utf-8")
    assert all(line in edition for line in PDF_LINES[1:])


def test_scanned_pdf_says_it_needs_ocr(project):
    make_scan_pdf(project / "doc.pdf")
    before = hashes(project / "out")
    assert_one_line_error(
        build("doc.pdf"), "doc.pdf: the PDF has no text layer (a scanned image) — run OCR on it first (e.g. ocrmypdf)"
    )
    assert hashes(project / "out") == before


def damaged(data: bytes) -> bytes:
    """The PDF with a byte changed every KB through its middle: broken compressed streams."""
    out = bytearray(data)
    for k in range(len(out) // 5, len(out) // 2, 997):
        out[k] = (out[k] + 1) % 256
    return bytes(out)


@pytest.mark.parametrize("name", ["truncated.pdf", "encrypted.pdf"])
def test_a_real_process_prints_one_line_and_no_library_warnings(project, name):
    if name == "encrypted.pdf":
        make_encrypted_pdf(project / name, "secret")
    else:
        (project / name).write_bytes(REPORT_PDF.read_bytes()[: REPORT_PDF.stat().st_size // 2])
    before = hashes(project / "out")
    proc = subprocess.run(
        [EDITION, "build", "--source", name, "--out", "out", "--translations", "tr", "--glossary", GLOSSARY, "--no-cache"],
        cwd=project, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 1
    assert len(proc.stderr.splitlines()) == 1 and proc.stderr.startswith(f"Error: {name}: "), proc.stderr
    assert hashes(project / "out") == before


def test_a_damaged_pdf_is_read_as_far_as_it_goes_and_its_garbled_pages_are_named(project):
    # a byte changed every KB: fonts and streams broken. A viewer shows what it can, and so does
    # the build — saying on stderr (and in the QA) which pages came out garbled, not a traceback
    # and not the library's chatter
    (project / "damaged.pdf").write_bytes(damaged(REPORT_PDF.read_bytes()))
    proc = subprocess.run(
        [EDITION, "build", "--source", "damaged.pdf", "--out", "out", "--translations", "tr", "--glossary", GLOSSARY, "--no-cache"],
        cwd=project, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    garbled = [ln for ln in lines if "did not decode" in ln]
    assert len(garbled) == 1 and garbled[0].startswith("warning: damaged: ") and "page(s) 1, " in garbled[0], proc.stderr
    assert all(ln.startswith(("warning: damaged: ", "built 1 document(s)")) for ln in lines), proc.stderr
    assert "unreadable-text" in (project / "out" / "damaged.qa.md").read_text(encoding="utf-8")


# -- text exports in legacy encodings are read -------------------------------------------------


def built_edition(project: Path, source: Path) -> tuple[dict, str]:
    """Build source into out/; (JSON without the source hash, Markdown)."""
    import json

    result = build(source)
    assert result.exit_code == 0, result.output
    doc = json.loads((project / "out" / f"{source.stem}.json").read_text(encoding="utf-8"))
    del doc["source"]["sha256"]  # the bytes differ, the document must not
    markdown = (project / "out" / f"{source.stem}.zh-en.md").read_text(encoding="utf-8")
    return doc, re.sub(r"sha256 [0-9a-f]+", "sha256 …", markdown)


def test_utf16_export_builds_the_same_edition_as_utf8(project):
    text = REPORT_TXT.read_text(encoding="utf-8")
    (project / "utf8").mkdir()
    (project / "utf16").mkdir()
    (project / "utf8" / "report.txt").write_text(text, encoding="utf-8")
    (project / "utf16" / "report.txt").write_bytes(text.encode("utf-16"))  # with a BOM, as Windows saves it
    assert built_edition(project, project / "utf16" / "report.txt") == built_edition(project, project / "utf8" / "report.txt")


def test_big5_export_builds_the_same_edition_as_utf8(project):
    # cp950 lacks a few characters of the report (Simplified and Japanese leaks): keep the lines it encodes
    lines = REPORT_TXT.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = []
    for line in lines:
        try:
            line.encode("cp950", errors="strict")
        except UnicodeEncodeError:
            continue
        kept.append(line)
    assert len(kept) > 0.9 * len(lines)
    text = "".join(kept)
    (project / "utf8").mkdir()
    (project / "big5").mkdir()
    (project / "utf8" / "report.txt").write_text(text, encoding="utf-8")
    (project / "big5" / "report.txt").write_bytes(text.encode("cp950", errors="strict"))
    assert built_edition(project, project / "big5" / "report.txt") == built_edition(project, project / "utf8" / "report.txt")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-8-sig"])
def test_text_export_without_a_bom_or_with_one_is_read_the_same(tmp_path, encoding):
    from edition.reading.text import read_text_export

    text = REPORT_TXT.read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_bytes(text.encode(encoding))
    assert read_text_export(tmp_path / "a.txt").records == read_text_export(REPORT_TXT).records


# -- glossary --------------------------------------------------------------------------------

GOOD_GLOSSARY = """\
schema_version: 1
entries:
  - id: aist
    type: agency
    zh: 產業技術總合研究所
    ja: 産業技術総合研究所
    en: National Institute of Advanced Industrial Science and Technology
    abbr: [AIST]
    variants:
      - {form: 産総研, kind: shinjitai}
  - id: hokkaido-university
    type: university
    zh: 北海道大學
    en: Hokkaido University
"""

BAD_GLOSSARIES = {
    "syntax": (
        GOOD_GLOSSARY.replace("    en: Hokkaido University", '    en: "Hokkaido University'),
        "institutions.yaml:15: YAML syntax error: found unexpected end of stream"
        " (while scanning a quoted scalar at line 14) near entries[1].en — fix the syntax",
    ),
    "schema": (
        GOOD_GLOSSARY.replace("type: university", "type: univercity"),
        "institutions.yaml:12: entries[1].type: 'univercity' is not one of ['ministry', 'agency', 'council',"
        " 'university', 'unit', 'foundation', 'company', 'programme', 'law', 'association', 'international',"
        " 'government', 'park', 'term', 'other'] — fix the value",
    ),
    "conflict": (
        GOOD_GLOSSARY + "    variants:\n      - {form: 産総研, kind: alternative}\n",
        "institutions.yaml:16: entries[1].variants[0].form: '産総研' is already a form of 'aist' at"
        " {dir}/institutions.yaml:10: entries[0].variants[0].form — keep it in one entry",
    ),
    "duplicate-key": (
        GOOD_GLOSSARY + "    zh: 北大\n",
        "institutions.yaml:15: entries[1].zh: key 'zh' given twice (first at line 13) — keep one",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_GLOSSARIES))
def test_bad_glossary_fails_the_build_in_one_line_with_file_line_and_yaml_path(project, case):
    text, message = BAD_GLOSSARIES[case]
    gdir = project / "gl"
    gdir.mkdir()
    (gdir / "institutions.yaml").write_text(text, encoding="utf-8")
    (project / "tiny.txt").write_text(TINY_EXPORT, encoding="utf-8")
    before = hashes(project / "out")
    result = run("build", "--source", "tiny.txt", "--out", "out", "--translations", "tr", "--glossary", "gl", "--no-cache")
    assert_one_line_error(result, f"{Path('gl')}/" + message.format(dir=Path("gl")))
    assert hashes(project / "out") == before


@pytest.mark.parametrize("case", sorted(BAD_GLOSSARIES))
def test_validate_names_the_glossary_file_line_and_yaml_path(project, case):
    text, message = BAD_GLOSSARIES[case]
    (project / "institutions.yaml").write_text(text, encoding="utf-8")
    result = run("validate", "institutions.yaml")
    assert_one_line_error(result, message.format(dir=".").replace("./", ""))


def test_good_glossary_validates(project):
    (project / "institutions.yaml").write_text(GOOD_GLOSSARY, encoding="utf-8")
    result = run("validate", "institutions.yaml")
    assert result.exit_code == 0 and result.output == "institutions.yaml: valid\n"


# -- translation memory ----------------------------------------------------------------------


def unit(key: str, zh: str, en: str) -> str:
    return f'  - key: "{key}"\n    hash: "{zh_hash(zh)}"\n    zh: "{zh}"\n    en: "{en}"\n'


GOOD_MEMORY = "schema_version: 1\nsegments:\n" + unit(PARA_KEY, PARA_ZH, "The delegation visited AIST.") + unit(
    "ch1.formal1#heading", "考察緣起", "Background of the visit"
)

BAD_MEMORIES = {
    "syntax": (
        GOOD_MEMORY.replace('en: "Background of the visit"', 'en: "Background of the visit'),
        "tiny.zh-en.yaml:11: YAML syntax error: found unexpected end of stream"
        " (while scanning a quoted scalar at line 10) near segments[1].en — fix the syntax",
    ),
    "schema": (
        GOOD_MEMORY.replace('en: "Background of the visit"', "en: TODO"),
        "tiny.zh-en.yaml:10: segments[1].en: 'TODO' should not be valid under"
        " {'pattern': '^(TODO|TBD|XXX|\\\\?+|\\\\[untranslated\\\\])$'} — fix the value",
    ),
    "duplicate-segment": (
        GOOD_MEMORY + unit(PARA_KEY, PARA_ZH, "Again."),
        "tiny.zh-en.yaml:11: segments[2].key: 'ch1.formal1/p1#text' also at segments[0] — keep one",
    ),
    "duplicate-key": (
        GOOD_MEMORY + '    en: "Background"\n',
        "tiny.zh-en.yaml:11: segments[1].en: key 'en' given twice (first at line 10) — keep one",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_MEMORIES))
def test_bad_memory_fails_the_build_in_one_line_with_file_line_and_yaml_path(project, case):
    text, message = BAD_MEMORIES[case]
    (project / "tr" / "tiny.zh-en.yaml").write_text(text, encoding="utf-8")
    (project / "tiny.txt").write_text(TINY_EXPORT, encoding="utf-8")
    before = hashes(project / "out")
    assert_one_line_error(build("tiny.txt"), f"{Path('tr')}/{message}")
    assert hashes(project / "out") == before


@pytest.mark.parametrize("case", sorted(BAD_MEMORIES))
def test_validate_names_the_memory_file_line_and_yaml_path(project, case):
    text, message = BAD_MEMORIES[case]
    (project / "tiny.zh-en.yaml").write_text(text, encoding="utf-8")
    assert_one_line_error(run("validate", "tiny.zh-en.yaml"), message)


def test_good_memory_builds(project):
    (project / "tr" / "tiny.zh-en.yaml").write_text(GOOD_MEMORY, encoding="utf-8")
    (project / "tiny.txt").write_text(TINY_EXPORT, encoding="utf-8")
    result = build("tiny.txt")
    assert result.exit_code == 0, result.output
    assert "The delegation visited AIST." in (project / "out" / "tiny.zh-en.md").read_text(encoding="utf-8")


def test_a_bug_of_ours_while_reading_is_a_traceback_never_the_pdf_is_damaged(project, monkeypatch):
    # an IndexError in the column-gutter code was once reported as "the PDF is damaged — get a
    # fresh copy": the advice was wrong, and the bug was hidden
    import edition.reading.pages as pages

    def broken(*args, **kwargs):
        raise IndexError("list index out of range")

    monkeypatch.setattr(pages, "column_gutter_x", broken)
    make_chinese_pdf(project / "doc.pdf")
    result = run("extract", "doc.pdf", "-o", "doc.json")
    assert isinstance(result.exception, IndexError)
    assert "damaged" not in result.output and not (project / "doc.json").exists()


def test_a_bug_of_ours_in_a_page_worker_comes_back_as_its_traceback(tmp_path):
    # the workers are processes of their own: a file problem comes back as a refusal, our own
    # failure as its traceback (raised in the parent as a bug, never as a verdict on the file)
    import pickle

    from edition.reading import worker

    def serve(job) -> tuple[str, str]:
        out = io.BytesIO()
        worker.serve(io.BytesIO(pickle.dumps(job)), out)
        out.seek(0)
        return pickle.load(out)

    kind, payload = serve((str(tmp_path / "missing.pdf"), None, None, [[0]]))
    assert kind == "refused" and payload.startswith(f"{tmp_path / 'missing.pdf'}: ")
    make_chinese_pdf(tmp_path / "doc.pdf")
    kind, payload = serve((str(tmp_path / "doc.pdf"), None, "not the settings", [[0]]))
    assert kind == "bug" and payload.startswith("Traceback") and "AttributeError" in payload


def test_the_yaml_loader_makes_what_pyyaml_makes():
    """yamlfile's own construction of plain documents gives what PyYAML's constructor gives —
    shared anchors, merge keys, tags, and the same duplicate key refused first."""
    import pickle

    import yaml

    from edition.yamlfile import StrictLoader, _load

    docs = ["a: &x {p: 1, q: [1, 2.5, null, true, 2024-01-02]}\nb: *x\nc: [*x, *x]\n", "base: &b {x: 1}\nd:\n  <<: *b\n  y: 2\n",
            "x:\n  y:\n    z: 1\n    z: 2\nw:\n  v: 1\n  v: 2\n", "s: !!set {a, b}\nm: !!map foo\n", "? [a, b]\n: 1\n", "a: &r\n  self: *r\n",
            "", "- 1\n- [2, {a: b, 1: c, ~: d}]\n", "a: !!str 12\nb: !!binary aGVsbG8=\n"]

    def outcome(load, text):
        try:
            return pickle.dumps(load(text))
        except Exception as exc:  # noqa: BLE001  (the same error is the point)
            return (type(exc).__name__, str(exc))

    for text in docs:
        assert outcome(_load, text) == outcome(lambda t: yaml.load(t, Loader=StrictLoader), text), text
    shared = _load(docs[0])
    assert shared["a"] is shared["b"] is shared["c"][0]
