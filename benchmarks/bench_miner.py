"""Does spaCy earn a place in the miner? The candidate patterns as a spaCy Matcher, measured
against the miner's own regular expressions on the report.

    .venv/bin/python benchmarks/bench_miner.py

Both find the same two pattern kinds — a CJK run before Latin text in parentheses, and a
「quotation」 — on spaCy's blank Chinese pipeline with a tokenizer that keeps Latin words whole
(spaCy's own splits "AIST" into A, I, S, T); both hand their spans to the same filters
(pair_is_name, chinese_head, span alignment). Printed: candidates, how many the reviewed
termbase holds (precision), and the time of each step. Needs spaCy (the `spacy` extra).
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from edition.glossary import mine  # noqa: E402
from edition.glossary.termbase import form_key, load_termbase  # noqa: E402

TEXT = (ROOT / "source_docs" / "hokkaido-report.txt").read_text(encoding="utf-8")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9&.\-]*|\s+|.", re.S)


def regex_candidates(masked: str) -> set[tuple[str, str]]:
    """(form, reason) from the miner's own patterns, before counting."""
    out = {(p.form, "pair") for p in mine.parenthetical_pairs(masked) if mine.pair_is_name(p)}
    out |= {(name, "quoted") for _, name in mine.quoted_names(masked)}
    return out


def spacy_candidates(nlp, matcher, masked: str) -> set[tuple[str, str]]:
    """The same two patterns as spaCy Matcher rules over the masked text."""
    out = set()
    for line in masked.split("\n"):
        doc = nlp(line)
        for match_id, start, end in matcher(doc):
            label = nlp.vocab.strings[match_id]
            span = doc[start:end]
            if label == "PAIR":
                # the CJK run before the parenthesis, walked back token by token (a Matcher
                # pattern spanning it, {2,} Han tokens, exhausts memory on a long line)
                i = start
                if i > 0 and mine._HAN_RUN.fullmatch(doc[i - 1].text):
                    i -= 1  # the last character may stand a space before the parenthesis
                    while i > 0 and mine._HAN_RUN.fullmatch(doc[i - 1].text) and not doc[i - 1].whitespace_:
                        i -= 1
                cjk = doc[i:start].text.replace(" ", "")
                english = mine.clean_english(doc[start + 1 : end - 1].text)
                if len(cjk) < 2:
                    continue
                at, form = mine.trim_pair_name(doc[i].idx, cjk, english)
                if form and mine.pair_is_name(mine.Pair(form, english, at)):
                    out.add((form, "pair"))
            else:
                name = span.text[1:-1].strip()
                if "|" not in name and mine.chinese_head(name):
                    out.add((name, "quoted"))
    return out


def build_spacy():
    import spacy
    from spacy.matcher import Matcher
    from spacy.tokens import Doc

    nlp = spacy.blank("zh")

    def tokenizer(text: str) -> Doc:
        words, spaces = [], []
        for m in _TOKEN.finditer(text):
            if m.group().isspace():
                if spaces:
                    spaces[-1] = True
                continue
            words.append(m.group())
            spaces.append(False)
        return Doc(nlp.vocab, words=words, spaces=spaces)

    nlp.tokenizer = tokenizer
    matcher = Matcher(nlp.vocab)
    matcher.add("PAIR", [[{"TEXT": {"IN": ["(", "（"]}}, {"TEXT": {"REGEX": "^[A-Za-z]"}},
                         {"TEXT": {"NOT_IN": [")", "）", "(", "（", "\n"]}, "OP": "*"}, {"TEXT": {"IN": [")", "）"]}}]])
    matcher.add("QUOTED", [[{"TEXT": "「"}, {"TEXT": {"REGEX": f"^[{mine._HAN}A-Za-z0-9・]"}, "OP": "+"}, {"TEXT": "」"}]])
    return nlp, matcher


def main() -> int:
    fixture = load_termbase(ROOT / "tests" / "fixtures" / "glossary" / "termbase")
    names = set(load_termbase(ROOT / "glossary").by_form)
    masked = mine.mask_known(TEXT, fixture)

    t = time.perf_counter()
    ours = regex_candidates(masked)
    t_regex = time.perf_counter() - t

    t = time.perf_counter()
    import spacy  # noqa: F401

    t_import = time.perf_counter() - t
    t = time.perf_counter()
    nlp, matcher = build_spacy()
    t_build = time.perf_counter() - t
    t = time.perf_counter()
    theirs = spacy_candidates(nlp, matcher, masked)
    t_match = time.perf_counter() - t

    def precision(found: set[tuple[str, str]]) -> str:
        right = sum(1 for form, _ in found if form_key(form) in names)
        return f"{len(found):>4} candidates, {right:>4} termbase names ({right / max(len(found), 1):.0%})"

    print(f"miner candidate patterns (pairs + quotations) on {len(TEXT):,} characters, fixture termbase masked")
    print()
    print(f"regex (edition.glossary.mine)   {precision(ours)}   {t_regex * 1000:7.1f} ms")
    print(f"spaCy Matcher, blank zh         {precision(theirs)}   {t_match * 1000:7.1f} ms"
          f"  + import {t_import * 1000:.0f} ms + pipeline {t_build * 1000:.0f} ms")
    print(f"same candidates: {ours == theirs} (only regex: {len(ours - theirs)}, only spaCy: {len(theirs - ours)})")
    for form, kind in sorted(ours ^ theirs)[:10]:
        print(f"  {'regex' if (form, kind) in ours else 'spaCy'} only: {form} ({kind})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
