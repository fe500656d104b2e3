"""Cross-check of the mention matcher against spaCy's PhraseMatcher on a blank zh pipeline.

The project matches with a character trie (see edition.glossary.match for why: speed, Latin
word boundaries, no import cost for `edition lookup`). spaCy's PhraseMatcher, with the longest
of overlapping spans kept, is the reference for what "every mention, longest wins" means on
Chinese text; both must find the same mentions of the CJK forms in the real report.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from edition.glossary.match import find_mentions
from edition.glossary.termbase import load_termbase

ROOT = Path(__file__).resolve().parents[1]
_CJK_ONLY = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]+$")


def test_trie_finds_the_same_cjk_mentions_as_spacy_phrasematcher():
    spacy = pytest.importorskip("spacy")
    from spacy.matcher import PhraseMatcher
    from spacy.util import filter_spans

    tb = load_termbase(ROOT / "glossary" / "institutions.yaml")
    forms: dict[str, str] = {}
    for e in tb.entries:
        for f in [e.zh, e.ja, *(v.form for v in e.variants)]:
            if f and _CJK_ONLY.match(f) and f not in tb.shared_forms:
                forms.setdefault(f, e.id)
    nlp = spacy.blank("zh")  # character segmentation: one token per CJK character
    matcher = PhraseMatcher(nlp.vocab)
    for f, eid in forms.items():
        matcher.add(eid, [nlp.make_doc(f)])
    text = (ROOT / "source_docs" / "hokkaido-report.txt").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip()][:400]
    checked = 0
    for line in lines:
        doc = nlp.make_doc(line)
        spans = filter_spans([doc[s:e] for _, s, e in matcher(doc)])
        expected = {(sp.start_char, sp.end_char) for sp in spans}
        ours = [(m.start, m.end) for m in find_mentions(line, tb)]
        # every spaCy span lies inside one of ours (ours may be longer: a form with Latin in it,
        # 北大 R&BP 協議會, beats the CJK-only 北大) …
        for s, e in expected:
            assert any(a <= s and e <= b for a, b in ours), (line, line[s:e])
        # … and every CJK-only mention of ours is one spaCy finds too
        assert {(a, b) for a, b in ours if _CJK_ONLY.match(line[a:b])} <= expected, line
        checked += len(expected)
    assert checked > 150  # the comparison really ran over the report's mentions
