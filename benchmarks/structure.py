"""How well structure extraction generalises: `edition extract` scored against hand-read gold.

    python benchmarks/structure.py [GOLD.yaml] [PDF_DIR] [--verbose] [--json] [--edition CMD]

Defaults to the development corpus in ../shared/corpus (its gold.yaml: every heading with level,
number, title and page; every figure and table caption). For each document and in total it
prints:

  heading recall     gold headings found as a section on the same page with the same number
                     (or, unnumbered, the same title)
  precision          of the sections the extractor made, the share that are gold headings
  level right        of the headings found, the share whose level ranks where the gold's does
  figure / table     caption recall: figures (tables) with the gold number and caption text
  body coverage      share of body text (front matter aside) that sits under a section
  qa                 structure findings the extractor raised (no-sections, text-in-cover …)
  seconds            wall time of the extraction

The matching rules are the same as ../shared/hooks/corpus-score.py, so the two agree.
`--verbose` lists the gold headings missed and the sections made that are not in the gold, the
levels that differ and the captions missed. `--edition CMD` scores another build of the tool
(an older checkout, say) with the same gold.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
STRUCTURE_QA = ("no-sections", "text-in-cover", "text-in-front-matter", "body-outside-sections", "figure-without-picture", "merged-line")


def norm(s: object) -> str:
    s = re.sub(r"[\.．…‧·]{3,}.*$", "", str(s or ""))
    return re.sub(r"[\s:：、.．「」\"“”（）()\-－—▲■]", "", s).lower()


def walk(n: object):
    if isinstance(n, dict):
        yield n
        for k, v in n.items():
            if k not in ("original", "edits"):
                yield from walk(v)
    elif isinstance(n, list):
        for v in n:
            yield from walk(v)


def match_headings(doc: dict, gold: dict) -> tuple[list[tuple[dict, dict | None]], list[dict], dict]:
    """(gold heading, section or None) pairs, the sections left unmatched, and level ranks."""
    secs = [s for s in walk(doc.get("blocks", [])) if s.get("type") == "section"]
    levels = sorted({s.get("level") for s in secs if isinstance(s.get("level"), int)})
    rank = {lv: i + 1 for i, lv in enumerate(levels)}
    used: set[int] = set()
    pairs: list[tuple[dict, dict | None]] = []
    for h in gold["headings"]:
        want_n, want_t = norm(h["number"]), norm(h["title"])
        hit = None
        for i, s in enumerate(secs):
            if i in used or s.get("page") != h["page"]:
                continue
            sn, st = norm(s.get("number")), norm(s.get("title") or s.get("heading"))
            full = norm(s.get("heading")) or (sn + st)
            if (want_n and sn == want_n and st.startswith(want_t[:4])) or (not want_n and st.startswith(want_t[:6])) \
                    or full.startswith((want_n + want_t)[:8]):
                used.add(i)
                hit = s
                break
        pairs.append((h, hit))
    extra = [s for i, s in enumerate(secs) if i not in used]
    return pairs, extra, rank


def caption_hits(doc: dict, kind: str, items: list[dict]) -> list[bool]:
    nodes = [x for x in walk(doc.get("blocks", [])) if x.get("type") == kind and (x.get("caption") or x.get("number") is not None)]
    taken: set[int] = set()
    out = []
    for it in items:
        ok = False
        for j, x in enumerate(nodes):
            if j in taken:
                continue
            nums = {str(x.get("number")), str(x.get("printed_number")), str(x.get("label") or "")}
            num_ok = any(str(it["number"]) == n or re.search(r"(?<![\d.])%s(?![\d])" % re.escape(str(it["number"])), n) for n in nums if n)
            if num_ok and (not it["caption"] or norm(it["caption"])[:4] in norm(x.get("caption"))):
                taken.add(j)
                ok = True
                break
        out.append(ok)
    return out


def coverage(doc: dict) -> float:
    def chars(n: dict) -> int:
        return sum(len(x.get(f) or "") for x in walk(n) for f in ("text", "heading", "caption") if isinstance(x.get(f), str))

    inside = sum(chars(n) for n in doc["blocks"] if n.get("type") == "section")
    body = sum(chars(n) for n in doc["blocks"] if n.get("type") != "front_matter")
    return inside / body if body else 0.0


def score(doc: dict, gold: dict) -> dict:
    pairs, extra, rank = match_headings(doc, gold)
    grank = {lv: i + 1 for i, lv in enumerate(sorted({h["level"] for h in gold["headings"]}))}
    found = [(h, s) for h, s in pairs if s is not None]
    figs = caption_hits(doc, "figure", gold["figures"])
    tabs = caption_hits(doc, "table", gold["tables"])
    return {
        "gold_h": len(pairs), "found": len(found), "made": len(found) + len(extra),
        "level_ok": sum(rank.get(s.get("level")) == grank[h["level"]] for h, s in found),
        "gold_f": len(figs), "f_ok": sum(figs), "gold_t": len(tabs), "t_ok": sum(tabs),
        "coverage": coverage(doc),
        "qa": sorted({q["kind"] for q in doc.get("qa", []) if q["kind"] in STRUCTURE_QA}),
        "missed": [f"p{h['page']} L{h['level']} {h['number']} {h['title']}" for h, s in pairs if s is None],
        "extra": [f"p{s.get('page')} L{s.get('level')} {s.get('heading', '')[:40]}" for s in extra],
        "missed_captions": [f"figure {it['number']} {it['caption']}" for it, ok in zip(gold["figures"], figs) if not ok]
                           + [f"table {it['number']} {it['caption']}" for it, ok in zip(gold["tables"], tabs) if not ok],
        "wrong_level": [f"p{h['page']} {h['number']}{h['title']}: gold L{h['level']}, made L{s.get('level')}"
                        for h, s in found if rank.get(s.get("level")) != grank[h["level"]]],
    }


def ratio(a: int, b: int) -> str:
    return f"{a / b:6.1%}" if b else "     –"


def main(argv: list[str]) -> int:
    edition_cmd = argv[argv.index("--edition") + 1] if "--edition" in argv else None
    args = [a for i, a in enumerate(argv) if not a.startswith("--") and (i == 0 or argv[i - 1] != "--edition")]
    gold_path = Path(args[0]) if args else DEFAULT_CORPUS / "gold.yaml"
    pdf_dir = Path(args[1]) if len(args) > 1 else gold_path.parent
    if not gold_path.exists():
        print(f"{gold_path}: no gold file — give GOLD.yaml and PDF_DIR (the corpus lives in ../shared/corpus)", file=sys.stderr)
        return 1
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    edition = ROOT / ".venv" / "bin" / "edition"
    cmd = [edition_cmd] if edition_cmd else [str(edition)] if edition.exists() else [sys.executable, "-c", "from edition.cli import main; main()"]
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, g in gold.items():
            pdf = pdf_dir / f"{name}.pdf"
            if not pdf.exists():
                print(f"{pdf}: missing", file=sys.stderr)
                continue
            out = Path(tmp) / f"{name}.json"
            t0 = time.perf_counter()
            r = subprocess.run([*cmd, "extract", str(pdf), "-o", str(out)], capture_output=True, text=True)
            secs = time.perf_counter() - t0
            if r.returncode != 0:
                print(f"{name}: extract failed: {r.stderr.strip()[-200:]}", file=sys.stderr)
                continue
            s = score(json.loads(out.read_text(encoding="utf-8")), g)
            s["seconds"] = secs
            results[name] = s
    if "--json" in argv:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    head = f"{'document':22} {'recall':>7} {'precis.':>7} {'level':>7} {'figures':>8} {'tables':>8} {'body':>7} {'secs':>5}  qa"
    print(head)
    print("-" * len(head))
    tot = {k: 0 for k in ("gold_h", "found", "made", "level_ok", "gold_f", "f_ok", "gold_t", "t_ok")}
    for name, s in results.items():
        for k in tot:
            tot[k] += s[k]
        print(f"{name:22} {ratio(s['found'], s['gold_h']):>7} {ratio(s['found'], s['made']):>7} {ratio(s['level_ok'], s['found']):>7} "
              f"{ratio(s['f_ok'], s['gold_f']):>8} {ratio(s['t_ok'], s['gold_t']):>8} {s['coverage']:7.1%} {s['seconds']:5.1f}  {','.join(s['qa']) or '-'}")
    print("-" * len(head))
    caps = ratio(tot["f_ok"] + tot["t_ok"], tot["gold_f"] + tot["gold_t"])
    print(f"{'TOTAL':22} {ratio(tot['found'], tot['gold_h']):>7} {ratio(tot['found'], tot['made']):>7} {ratio(tot['level_ok'], tot['found']):>7} "
          f"{ratio(tot['f_ok'], tot['gold_f']):>8} {ratio(tot['t_ok'], tot['gold_t']):>8}")
    print(f"headings {tot['found']}/{tot['gold_h']} found, {tot['made']} sections made; captions {tot['f_ok'] + tot['t_ok']}/{tot['gold_f'] + tot['gold_t']} ({caps.strip()})")
    if "--verbose" in argv:
        for name, s in results.items():
            for label in ("missed", "extra", "wrong_level", "missed_captions"):
                for line in s[label]:
                    print(f"  {name} {label}: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
