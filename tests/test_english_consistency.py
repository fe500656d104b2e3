"""One English spelling per name across the glossary and the translation memory: the
glossary's spelling of OECD, one hyphenation of industry–academia–government, "… Act" for
every Japanese statute, and addresses that keep their place names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from edition.glossary.termbase import load_termbase

ROOT = Path(__file__).resolve().parents[1]
MEMORY = ROOT / "translations" / "hokkaido-report.zh-en.yaml"


@pytest.fixture(scope="module")
def english():
    units = yaml.safe_load(MEMORY.read_text(encoding="utf-8"))["segments"]
    return [u["en"] for u in units if u.get("en")]


@pytest.fixture(scope="module")
def termbase():
    return load_termbase(ROOT / "glossary" / "institutions.yaml")


def test_oecd_is_spelled_as_the_glossary_spells_it(english, termbase):
    official = termbase.entry("oecd").en
    assert official == "Organisation for Economic Co-operation and Development"
    spelled = {m for en in english for m in re.findall(r"Organi[sz]ation for Economic Co-operation and Development", en)}
    assert spelled == {official}


def test_industry_academia_government_has_one_hyphenation(english, termbase):
    texts = english + [e.en for e in termbase.entries] + [e.note or "" for e in termbase.entries]
    hyphenated = [m for t in texts for m in re.findall(r"(?i)industry[-‐‑]academia", t)]
    assert hyphenated == []  # en dashes throughout: industry–academia–government


def test_every_statute_is_an_act_in_the_glossary_and_the_memory(english, termbase):
    laws = [e for e in termbase.entries if e.type == "law"]
    assert len(laws) >= 15 and all(e.en.endswith("Act") or e.en.startswith("Act ") for e in laws)
    for law in laws:
        as_law = law.en[: -len("Act")] + "Law" if law.en.endswith("Act") else None
        if as_law:
            assert not any(as_law in en for en in english), as_law


def test_addresses_keep_the_place_name(english):
    wards = [m for en in english for m in re.findall(r"[A-Z][a-z]+-ku, City of Sapporo", en)]
    assert wards == []
    assert any("Kita-ku, Sapporo" in en for en in english)
