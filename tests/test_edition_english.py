"""The committed edition's English (output/ is checked current by `edition build --check`)."""

from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT
from edition.model import iter_nodes

EDITION = ROOT / "output" / "hokkaido-report.json"
_NOTE = re.compile(r"\s*\[Translator's note:[^\]]*\]")


def _plain(en: str) -> str:
    """English without translator's notes (a list entry and its caption may annotate differently)."""
    return _NOTE.sub("", en).strip()


@pytest.fixture(scope="module")
def edition():
    return json.loads(EDITION.read_text(encoding="utf-8"))


def test_every_segment_translated_and_no_term_inconsistency(edition):
    stats = edition["stats"]
    assert stats["segments"] == stats["segments_translated"] > 800
    assert stats["segments_missing"] == stats["segments_stale"] == stats["term_findings"] == 0


def test_list_entries_read_like_the_captions_and_headings_they_list(edition):
    fm = {n["kind"]: n for n in edition["blocks"] if n["type"] == "front_matter"}
    figures = {n["number"]: n for n in iter_nodes(edition["blocks"]) if n["type"] == "figure" and n["caption"]}
    same = 0
    for e in fm["figures"]["entries"]:
        fig = figures.get(e.get("number"))
        if fig and re.sub(r"\s", "", fig["caption"]) == re.sub(r"\s", "", e["caption"]):
            assert _plain(e["en"]) == _plain(fig["en"]["caption"]), e["caption"]
            same += 1
    assert same > 50
    sections = {re.sub(r"\s", "", n["heading"]): n for n in iter_nodes(edition["blocks"]) if n["type"] == "section"}
    for e in fm["contents"]["entries"]:
        sec = sections.get(re.sub(r"\s", "", e["title"]))
        if sec:
            assert _plain(e["en"]) == _plain(sec["en"]), e["title"]


def test_roc_years_are_given_as_western_years(edition):
    meta = edition["metadata"]
    assert "2012" in meta["en"]["travel_period"] and "2013" in meta["en"]["report_date"]
    for n in iter_nodes(edition["blocks"]):
        text, en = n.get("text") or n.get("title") or "", n.get("en")
        if isinstance(en, str) and re.search(r"(?<!\d)10[12]年", text):
            assert re.search(r"201[23]", en), text


def test_no_placeholder_or_empty_english(edition):
    for n in iter_nodes(edition["blocks"]):
        en = n.get("en")
        values = [en] if isinstance(en, str) else list((en or {}).values()) if isinstance(en, dict) else []
        for v in values:
            if isinstance(v, str):
                assert v.strip() and not re.fullmatch(r"(TODO|TBD|XXX|\?+)", v.strip())
