"""Whether the text reads right: `edition extract` scored against hand-read text gold.

    python benchmarks/text.py [GOLD.yaml] [PDF_DIR] [--verbose] [--edition CMD]

Defaults to the development corpus in ../shared/corpus (the `text:` part of its gold.yaml) and
the Hokkaido report (tests/fixtures/hokkaido-text-gold.yaml). For each document and in total:

  whole paragraphs   gold paragraphs (first and last characters as printed) that come out as one
                     paragraph, list item or footnote — not cut by a line, page or figure
  words spaced       Latin phrases found in the body with exactly their spaces
  tables with rows   captioned tables holding a cell only they hold (their own rows)
  Han in body        the share of the PDF's Han characters that the JSON carries as body text
                     (paragraphs, items, headings, captions, cells, footnotes) — must be ≥ 80 %
  Han gaps ‰         spaces between two Han characters in paragraphs, per 1000 Han characters —
                     at most 8 (a space at every wrapped line would give ≈ 25)

The rules are those of ../shared/hooks/text-score.py, so the two print the same figures.
`--edition CMD` scores another build of the tool (an older checkout) against the same gold.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
HOKKAIDO_GOLD = ROOT / "tests" / "fixtures" / "hokkaido-text-gold.yaml"
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
HAN_GAP = re.compile(r"[\u3400-\u9fff\uf900-\ufaff][ \t\u3000]+(?=[\u3400-\u9fff\uf900-\ufaff])")
BODY_KEYS = ("text", "title", "heading", "caption", "source")
MIN_BODY_SHARE = 0.8
MAX_HAN_GAPS = 8.0


def walk(n: object):
    if isinstance(n, dict):
        yield n
        for k, v in n.items():
            if k not in ("original", "edits", "en", "translation"):
                yield from walk(v)
    elif isinstance(n, list):
        for v in n:
            yield from walk(v)


def squash(s: object) -> str:
    return re.sub(r"\s+", "", str(s or ""))


def _texts(node: dict) -> list[str]:
    out = [node.get("text") or ""]
    orig = node.get("original")
    if isinstance(orig, dict) and orig.get("text"):
        out.append(orig["text"])
    return out


def pdf_han(pdf: Path) -> int:
    """Han characters the PDF's text layer holds (PDFium's reading, independent of ours)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return sum(len(HAN.findall(doc[i].get_textpage().get_text_range())) for i in range(len(doc)))
    finally:
        doc.close()


def body_han(doc: dict) -> int:
    n = 0
    for node in walk(doc.get("blocks", [])):
        for k in BODY_KEYS:
            v = node.get(k)
            if isinstance(v, str) and not (k == "text" and node.get("type") == "image"):
                n += len(HAN.findall(v))
    return n


def score(doc: dict, gold: dict, han_total: int) -> dict:
    """One document's figures against its `text:` gold."""
    t = gold["text"]
    blocks = [n for n in walk(doc.get("blocks", [])) if n.get("type") in ("paragraph", "list_item", "footnote")]
    whole, missed = 0, []
    for p in t.get("paragraphs") or []:
        a, b = squash(p["starts"]), squash(p["ends"])
        if any(x.startswith(a) and x.endswith(b) for n in blocks for x in map(squash, _texts(n))):
            whole += 1
        else:
            missed.append(f"p{p.get('page')} {p['starts'][:8]}…")
    body = " ".join(x for n in walk(doc.get("blocks", [])) for k in BODY_KEYS for x in [n.get(k)] if isinstance(x, str))
    body += " " + " ".join(c.get("text") or "" for n in walk(doc.get("blocks", [])) if n.get("type") == "table"
                           for row in n.get("rows") or [] for c in row if isinstance(c, dict))
    body = re.sub(r"\s+", " ", body)
    words = t.get("words") or []
    unspaced = [w for w in words if re.sub(r"\s+", " ", w) not in body]
    tables = [n for n in walk(doc.get("blocks", [])) if n.get("type") == "table"]
    tab_ok, tab_missed = 0, []
    for want in t.get("tables") or []:
        same = [n for n in tables if str(want["number"]) in (str(n.get("number")), str(n.get("printed_number")))]
        if any(squash(want["cell"]) in squash(c.get("text")) for n in same for row in n.get("rows") or []
               for c in row if isinstance(c, dict)):
            tab_ok += 1
        else:
            tab_missed.append(str(want["number"]))
    para_text = "\n".join(n.get("text") or "" for n in blocks if isinstance(n.get("text"), str))
    gaps = 1000 * len(HAN_GAP.findall(para_text)) / max(1, len(HAN.findall(para_text)))
    return {"p": len(t.get("paragraphs") or []), "p_ok": whole, "w": len(words), "w_ok": len(words) - len(unspaced),
            "t": len(t.get("tables") or []), "t_ok": tab_ok, "share": body_han(doc) / max(1, han_total), "gaps": gaps,
            "missed": missed, "unspaced": unspaced, "tables_missed": tab_missed}


def golds(gold_path: Path | None, pdf_dir: Path) -> list[tuple[str, Path, dict]]:
    """(name, pdf, gold) for every document with text gold: the corpus, then the report."""
    out = []
    if gold_path is not None and gold_path.exists():
        for name, g in (yaml.safe_load(gold_path.read_text(encoding="utf-8")) or {}).items():
            if isinstance(g, dict) and "text" in g:
                out.append((name, pdf_dir / f"{name}.pdf", g))
    for name, g in yaml.safe_load(HOKKAIDO_GOLD.read_text(encoding="utf-8")).items():
        out.append((name, ROOT / "source_docs" / f"{name}.pdf", g))
    return out


def _extract(pdf: Path, edition: list[str] | None) -> dict:
    if edition is None:
        from edition.pipeline import extract

        return extract(pdf)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "doc.json"
        subprocess.run([*edition, "extract", str(pdf), "-o", str(out)], check=True, capture_output=True)
        return json.loads(out.read_text(encoding="utf-8"))


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    verbose = "--verbose" in argv
    edition = argv[argv.index("--edition") + 1].split() if "--edition" in argv else None
    if edition:
        args = [a for a in args if a != " ".join(edition)]
    gold_path = Path(args[0]) if args else DEFAULT_CORPUS / "gold.yaml"
    pdf_dir = Path(args[1]) if len(args) > 1 else gold_path.parent
    tot = dict(p=0, p_ok=0, w=0, w_ok=0, t=0, t_ok=0)
    lost, gappy = [], []
    print(f"{'document':22} {'paragraphs':>11} {'words':>7} {'tables':>7} {'Han in body':>12} {'Han gaps ‰':>11}")
    for name, pdf, g in golds(gold_path, pdf_dir):
        s = score(_extract(pdf, edition), g, pdf_han(pdf))
        for k in tot:
            tot[k] += s[k]
        lost += [name] if s["share"] < MIN_BODY_SHARE else []
        gappy += [name] if s["gaps"] > MAX_HAN_GAPS else []
        print(f"{name:22} {s['p_ok']:>5}/{s['p']:<5} {s['w_ok']:>3}/{s['w']:<3} {s['t_ok']:>3}/{s['t']:<3} "
              f"{s['share']:>11.0%} {s['gaps']:>11.1f}")
        if verbose:
            for what, items in (("cut", s["missed"]), ("unspaced", s["unspaced"]), ("tables without their rows", s["tables_missed"])):
                if items:
                    print(f"    {what}: {', '.join(items)}")
    rate = lambda a, b: tot[a] / tot[b] if tot[b] else 1.0  # noqa: E731
    print(f"TOTAL: whole paragraphs {rate('p_ok', 'p'):.0%} ({tot['p_ok']}/{tot['p']}), words spaced "
          f"{rate('w_ok', 'w'):.0%} ({tot['w_ok']}/{tot['w']}), tables with their rows {rate('t_ok', 't'):.0%} "
          f"({tot['t_ok']}/{tot['t']}), bodies lost {len(lost)}, Han text spaced apart {len(gappy)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
