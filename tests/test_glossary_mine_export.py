"""Mining candidate names from the report, and exporting the termbase as TBX, CSV and JSON."""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from edition.errors import EditionError
from edition.fsutil import write_text_atomic
from edition.glossary.export import export_termbase, parse_langs
from edition.glossary.mine import (
    Candidate,
    Reviewed,
    clean_english,
    load_reviewed,
    mine_candidates,
    source_to_text,
    uncovered_pairs,
)
from edition.glossary.termbase import form_key, load_termbase

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


# --- a miner precise enough to trust (issue 10) -------------------------------------------------

GLOSSARY = HERE.parent / "glossary" / "institutions.yaml"
PDF = HERE.parent / "source_docs" / "hokkaido-report.pdf"


@pytest.mark.parametrize(
    "text",
    [
        "其與傳統產業的累積(conventional industrial accumulation)。",  # English that is no name
        "該方案將群聚分為全球型(Global type)及城市地區型(City Area type)。",
        "且國立大學可以設立公司，允許大學教師兼任，用國立大學的資源。",  # verbs before a generic head
        "整合後產總研經由從事完全研究(full research)。",
    ],
)
def test_mining_lists_no_fragments_and_no_english_paired_with_the_wrong_span(text, termbase):
    assert mine_candidates(text, termbase) == []


def test_a_pair_takes_the_span_its_english_asks_for(termbase):
    text = "- 7、單牆碳奈米管之技術研究協會(Technology Research Association for Single Wall Carbon Nanotubes ; TASC)\n"
    (found,) = mine_candidates(text, termbase)
    assert (found.form, found.reason) == ("單牆碳奈米管之技術研究協會", "parenthetical")


def test_quoted_laws_and_whole_table_cells_are_candidates(termbase):
    text = "日本政府於1995年制訂「科學技術基本法」。\n淡江大學\t國際事務學院\t2001\n"
    found = by_form(mine_candidates(text, termbase))
    assert found["科學技術基本法"].reason == "quoted"
    assert found["淡江大學"].reason == "delimited" and found["國際事務學院"].reason == "delimited"


def test_reviewed_rejections_are_not_listed_again(termbase):
    text = "第五章 北海道產學合作機構\n"
    assert by_form(mine_candidates(text, termbase)).keys() == {"北海道產學合作機構"}
    rejected = [Reviewed("北海道產學合作機構", "a chapter title")]
    assert mine_candidates(text, termbase, rejected) == []


def test_mining_the_report_with_the_reviewed_termbase_lists_nothing_new():
    termbase = load_termbase(GLOSSARY)
    assert mine_candidates(REPORT.read_text(encoding="utf-8"), termbase, load_reviewed(GLOSSARY)) == []


def test_mining_the_report_pdf_with_the_reviewed_termbase_lists_nothing_new():
    termbase = load_termbase(GLOSSARY)
    assert mine_candidates(source_to_text(PDF), termbase, load_reviewed(GLOSSARY)) == []


def test_on_the_report_most_candidates_are_names_the_reviewed_termbase_holds(termbase):
    # measured with the small fixture termbase, so that most of the report's names are unknown:
    # the first miner listed 425 candidates of which 160 were termbase names (38 %)
    candidates = mine_candidates(REPORT.read_text(encoding="utf-8"), termbase)
    names = set(load_termbase(GLOSSARY).by_form)
    right = [c for c in candidates if form_key(c.form) in names]
    assert len(right) >= 175 and len(right) / len(candidates) >= 0.8


def test_every_parenthetical_pair_of_the_report_is_covered():
    termbase = load_termbase(GLOSSARY)
    reviewed = load_reviewed(GLOSSARY)
    assert uncovered_pairs(REPORT.read_text(encoding="utf-8"), termbase, reviewed) == []


def test_check_names_the_entry_a_half_covered_pair_belongs_to(termbase):
    text = "第一行\n推動產業技術總合研究所(Advanced Industrial Institute)及創新研究中心(Creative Research Center, CRC)。\n"
    gaps = uncovered_pairs(text, termbase)
    assert [(g.line, g.pair.form, g.chinese_names, g.english_names) for g in gaps] == [
        (2, "產業技術總合研究所", "aist", None),
        (2, "創新研究中心", None, None),
    ]


def test_glossary_check_with_a_source_lists_uncovered_pairs_and_exits_1(tmp_path):
    from click.testing import CliRunner

    from edition.cli import main

    source = tmp_path / "r.txt"
    source.write_text("第一行\n拜會創新研究中心(Creative Research Center, CRC)。\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["glossary", "check", str(source), "--glossary", str(FIXTURE)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{source}:2: 創新研究中心 (Creative Research Center, CRC): no entry covers this pair — add an entry, or reject it in mine-reviewed.yaml",
        "Error: 1 parenthetical pair(s) no entry covers",
    ]


def test_a_bad_reviewed_file_is_one_line(tmp_path):
    (tmp_path / "mine-reviewed.yaml").write_text("schema_version: 1\nrejected:\n  - {form: X}\n", encoding="utf-8")
    with pytest.raises(EditionError, match=r"mine-reviewed.yaml: rejected\[0\]: expected \{form: ..., why: ...\}"):
        load_reviewed(tmp_path)


# --- exports CAT tools read right -----------------------------------------------------------------


def test_tbx_declares_the_source_language_and_carries_the_chosen_pair_in_order(termbase):
    root = ET.fromstring(export_termbase(termbase, "tbx"))
    assert root.get(XML_LANG) == "zh-Hant"
    for entry in root.iter("termEntry"):
        assert [ls.get(XML_LANG) for ls in entry.findall("langSet")] == ["zh-Hant", "en"]


def test_tbx_for_a_pair_leaves_out_entries_without_the_target_language(termbase):
    root = ET.fromstring(export_termbase(termbase, "tbx", langs=("zh-Hant", "ja")))
    ids = [e.get("id") for e in root.iter("termEntry")]
    assert ids == [e.id for e in termbase.entries if e.ja]


def test_translate_toolkit_reads_the_tbx_back_as_chinese_to_english(termbase):
    tbx = pytest.importorskip("translate.storage.tbx")
    from translate.convert.tbx2po import tbx2po

    store = tbx.tbxfile.parsestring(export_termbase(termbase, "tbx").encode("utf-8"))
    assert [(u.source, u.target) for u in store.units][:2] == [
        ("產業技術總合研究所", "National Institute of Advanced Industrial Science and Technology"),
        ("產業技術總合研究所北海道中心", "AIST Hokkaido"),
    ]
    po = tbx2po().convertfile(store)
    pairs = {(u.source, u.target) for u in po.units if u.source}
    assert ("經濟產業省", "Ministry of Economy, Trade and Industry") in pairs
    assert all(not any("\u3040" <= c <= "\u30ff" for c in target) for _, target in pairs)  # no Japanese targets


def test_translate_toolkit_reads_a_chinese_to_japanese_tbx(termbase):
    tbx = pytest.importorskip("translate.storage.tbx")
    store = tbx.tbxfile.parsestring(export_termbase(termbase, "tbx", langs=("zh-Hant", "ja")).encode("utf-8"))
    assert (store.units[0].source, store.units[0].target) == ("產業技術總合研究所", "産業技術総合研究所")


@pytest.mark.parametrize(("text", "message"), [
    ("zh-Hant", "--langs: 'zh-Hant' needs a source and a target language, each once — e.g. zh-Hant,en"),
    ("zh-Hant,fr", "--langs: unknown language 'fr' — use two or three of zh-Hant, en, ja"),
])
def test_langs_must_name_two_known_languages(text, message):
    with pytest.raises(EditionError, match=re.escape(message)):
        parse_langs(text)


def test_csv_for_excel_has_a_byte_order_mark_crlf_and_reads_back(termbase):
    text = export_termbase(termbase, "csv", excel=True)
    assert text.startswith("\ufeffid,type,zh,ja,en,abbr,variants,parent,note,layer\r\n")
    rows = list(csv.DictReader(io.StringIO(text.encode("utf-8").decode("utf-8-sig"), newline="")))
    assert rows[0]["zh"] == "產業技術總合研究所" and len(rows) == len(termbase.entries)


def test_glossary_export_excel_only_for_csv():
    from click.testing import CliRunner

    from edition.cli import main

    result = CliRunner().invoke(main, ["glossary", "export", "--format", "tbx", "--excel", "-o", "-", "--glossary", str(FIXTURE)])
    assert result.exit_code == 2 and "--excel applies to --format csv" in result.output
