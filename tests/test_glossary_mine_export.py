"""Mining candidate names from the report, and exporting the termbase as TBX, CSV and JSON."""

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from edition.errors import EditionError
from edition.fsutil import write_text_atomic
from edition.glossary.export import export_termbase
from edition.glossary.mine import Candidate, clean_english, mine_candidates
from edition.glossary.termbase import load_termbase

HERE = Path(__file__).parent
FIXTURE = HERE / "fixtures" / "glossary" / "termbase"
REPORT = HERE.parent / "source_docs" / "hokkaido-report.txt"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def termbase():
    return load_termbase(FIXTURE)


def by_form(candidates):
    return {c.form: c for c in candidates}


def test_mining_finds_parenthetical_pairs_with_half_and_full_width_parens(termbase):
    text = (
        "推動文部科學省(MEXT)的計畫。\n"
        "根據經濟合作暨發展組織（Organization for Economic Co-operation and Development，簡稱OECD）的報告，"
        "以及創新研究中心(Creative Research Center, CRC)。\n"
    )
    found = by_form(mine_candidates(text, termbase))
    assert found["文部科學省"] == Candidate("文部科學省", "MEXT", 1, 1, "parenthetical")
    assert found["創新研究中心"].english == "Creative Research Center, CRC"
    assert "經濟合作暨發展組織" not in found  # already in the termbase (oecd)


def test_mining_finds_names_opened_by_a_place_and_trims_function_words(termbase):
    text = "拜會札幌市產業振興財團及北海道中小企業家同友會、北海道經濟產業局與北洋銀行的研究中心"
    found = by_form(mine_candidates(text, termbase))
    assert found["札幌市產業振興財團"].reason == "anchored 札幌"
    assert found["北海道中小企業家同友會"].reason == "anchored 北海道"
    assert not any(form.startswith("拜會") or "及" in form for form in found)
    assert "研究中心" not in found  # a head after 的 in prose is no name


def test_mining_skips_names_already_in_the_termbase_and_their_parts(termbase):
    found = by_form(mine_candidates("北海道大學創成研究機構與產業技術總合研究所北海道中心合作", termbase))
    assert found == {}


def test_mining_sorts_by_count_then_form(termbase):
    text = "乙乙研究會、甲甲研究會、乙乙研究會\n"
    assert [(c.form, c.count) for c in mine_candidates(text, termbase)] == [("乙乙研究會", 2), ("甲甲研究會", 1)]


def test_mining_the_report_lists_unknown_institutions_with_first_line(termbase):
    candidates = mine_candidates(REPORT.read_text(encoding="utf-8"), termbase)
    found = by_form(candidates)
    assert found["文部科學省"].english == "MEXT"
    assert found["科學技術基本法"].reason == "quoted"
    assert [c.count for c in candidates] == sorted((c.count for c in candidates), reverse=True)


def test_clean_english_drops_full_width_commas_and_jianchen():
    assert clean_english("Organization for Economic Co-operation and Development，簡稱OECD") == (
        "Organization for Economic Co-operation and Development, OECD"
    )


def test_tbx_export_is_well_formed_and_marks_deprecated_variants(termbase):
    root = ET.fromstring(export_termbase(termbase, "tbx", langs=("zh-Hant", "en", "ja")))
    assert root.tag == "martif" and root.get("type") == "TBX-Basic" and root.get(XML_LANG) == "zh-Hant"
    entry = root.find("./text/body/termEntry[@id='aist']")
    statuses = {}
    for lang_set in entry.findall("langSet"):
        for tig in lang_set.findall("tig"):
            status = tig.find("termNote[@type='administrativeStatus']").text
            statuses[(lang_set.get(XML_LANG), tig.find("term").text)] = status
    assert statuses[("zh-Hant", "產業技術總合研究所")] == "preferredTerm-admn-sts"
    assert statuses[("ja", "産業技術総合研究所")] == "preferredTerm-admn-sts"
    assert statuses[("en", "National Institute of Advanced Industrial Science and Technology")] == "preferredTerm-admn-sts"
    assert statuses[("en", "AIST")] == "admittedTerm-admn-sts"
    assert statuses[("zh-Hant", "產總研")] == "admittedTerm-admn-sts"
    assert statuses[("zh-Hant", "產業技術総合研究所")] == "deprecatedTerm-admn-sts"
    assert statuses[("zh-Hant", "产业技术总合研究所")] == "deprecatedTerm-admn-sts"
    assert entry.find("descrip[@type='subjectField']").text == "agency"


def test_tbx_export_escapes_markup_characters(termbase):
    text = export_termbase(termbase, "tbx")
    assert "Hokkaido University Research &amp; Business Park" in text
    assert ET.fromstring(text).find(".//termEntry[@id='hu-rbp']//term").text == "北海道大學研究及企業園區"


def test_csv_export_has_one_row_per_entry_with_its_note(termbase):
    rows = list(csv.DictReader(io.StringIO(export_termbase(termbase, "csv"))))
    assert len(rows) == len(termbase.entries)
    aist = rows[0]
    assert aist["abbr"] == "AIST"
    assert aist["variants"].startswith("產業技術総合研究所 (shinjitai); 产业技术总合研究所 (simplified)")
    assert aist["parent"] == "meti"


def test_json_export_is_stable_utf8_with_sorted_keys(termbase):
    text = export_termbase(termbase, "json")
    assert text == export_termbase(termbase, "json")
    assert "產業技術總合研究所" in text
    data = json.loads(text)
    assert [d["id"] for d in data] == [e.id for e in termbase.entries]
    assert list(data[0]) == sorted(data[0])


def test_unknown_export_format_is_an_edition_error(termbase):
    with pytest.raises(EditionError, match="unknown export format 'xlsx' — use one of tbx, csv, json"):
        export_termbase(termbase, "xlsx")


def test_atomic_write_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "out.csv"
    write_text_atomic(target, "a,b\n")
    assert target.read_text(encoding="utf-8") == "a,b\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
