"""The zh-Hant normaliser: fixes Simplified/shinjitai leaks in Chinese prose, never touches Japanese."""


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURE_TERMBASE, REPORT_TXT, ROOT
from edition.errors import DataFileError
from edition.glossary.normalise import (
    Edit,
    apply_edits,
    load_charmap,
    normalise_text,
    propose_charmap_candidates,
    protected_spans,
)
from edition.glossary.termbase import load_termbase

FIXTURE = FIXTURE_TERMBASE
REPO = ROOT
REPORT = REPORT_TXT


@pytest.fixture(scope="module")
def charmap():
    """The real, reviewed character map."""
    return load_charmap(REPO / "src" / "edition" / "termbases" / "charmap.yaml")


def normalised(text, termbase, charmap):
    return normalise_text(text, termbase, charmap).text


def test_normaliser_fixes_simplified_leak_in_prose(termbase, charmap):
    result = normalise_text("激起一連串的创新，也促使企業的技术能力提升", termbase, charmap)
    assert result.text == "激起一連串的創新，也促使企業的技術能力提升"
    assert [(e.original, e.replacement, e.kind) for e in result.edits] == [
        ("创", "創", "simplified"),
        ("术", "術", "simplified"),
    ]


def test_normaliser_fixes_shinjitai_in_chinese_prose(termbase, charmap):
    assert normalised("財團法人札幌産業振興財團，総計如図所示", termbase, charmap) == "財團法人札幌產業振興財團，總計如圖所示"


def test_normaliser_fixes_figure_label_after_japanese_figure(termbase, charmap):
    assert normalised("自販機コーナー\n\n図 48、北大Business Spring 設地", termbase, charmap) == (
        "自販機コーナー\n\n圖 48、北大Business Spring 設地"
    )


@pytest.mark.parametrize(
    "text",
    [
        "政府對國立大學的干預",  # s2tw: 干預 → 幹預
        "與岩田 敦等人合影",  # s2tw: 岩 → 巖
        "與中島 真、大澤恒一等人合影",  # s2tw: 恒 → 恆
        "產學研合作機制與平台",  # jp2t: 研 → 硏
        "北海道大學產學連携本部",  # jp2t: 連携 → 聯攜
        "位於筑波的研究中心",  # s2tw: 筑 → 築
        "約占日本全國人口的 3.18 平方公里",
    ],
)
def test_normaliser_leaves_valid_traditional_and_names_alone(text, termbase, charmap):
    assert normalise_text(text, termbase, charmap).edits == ()


@pytest.mark.parametrize(
    "address",
    [
        "札幌市北区北8条西5",
        "札幌市豊平区月寒東2条17-2-1",
        "札幌市東区北6条東4丁目8番11",
        "札幌市厚別区下野幌テクノパーク1丁目10",
    ],
)
def test_normaliser_keeps_japanese_address_untouched(address, termbase, charmap):
    labelled = f"拜會北海道大學 地址：{address}\t研究支援室"
    assert normalised(labelled, termbase, charmap) == labelled
    in_prose = f"該中心位於{address}，交通便利"
    assert normalised(in_prose, termbase, charmap) == in_prose


def test_address_protection_stops_where_the_address_ends(termbase, charmap):
    assert normalised("位於札幌市北区北8条西5的创新中心", termbase, charmap) == "位於札幌市北区北8条西5的創新中心"


def test_normaliser_keeps_kana_runs_untouched(termbase, charmap):
    text = "地址：札幌市東区北6条東4丁目8番11 札幌総合卸センター8号館\n圖 51・進駐企業の産学合作情况"
    assert normalised(text, termbase, charmap) == text


def test_japanese_figure_labels_between_kana_lines_are_protected(termbase, charmap):
    text = "施設のイメージ\n\n施設外観\n\n居室\n\n共用会議室\n\nリラクゼーションコーナー\n"
    assert normalised(text, termbase, charmap) == text


def test_underlined_names_are_protected(termbase, charmap):
    text = "本部長 <u>総一郎</u> 產業用地部長"
    assert normalised(text, termbase, charmap) == text


def test_middle_dot_alone_does_not_make_a_chinese_caption_japanese(termbase, charmap):
    assert normalised("圖 30・北海道大學創成研究機構組織図", termbase, charmap) == "圖 30・北海道大學創成研究機構組織圖"


def test_protected_spans_cover_addresses_and_kana_runs():
    text = "考察札幌科技園區 地址：札幌市厚別区下野幌テクノパーク1丁目10\t財團法人"
    spans = protected_spans(text)
    assert [text[s:e] for s, e in spans] == ["札幌市厚別区下野幌テクノパーク1丁目10"]


def test_institution_variant_is_unified_to_canonical_zh(termbase, charmap):
    result = normalise_text("拜會產業技術総合研究所，並參訪北海道產學連携本部", termbase, charmap)
    assert result.text == "拜會產業技術總合研究所，並參訪北海道大學產學連携本部"
    assert [e.kind for e in result.edits] == ["variant", "variant"]


def test_variant_inside_a_longer_name_is_unified_as_the_longer_name(termbase, charmap):
    result = normalise_text("拜會產業技術総合研究所北海道中心", termbase, charmap)
    assert result.text == "拜會產業技術總合研究所北海道中心"
    assert [(e.original, e.replacement) for e in result.edits] == [
        ("產業技術総合研究所北海道中心", "產業技術總合研究所北海道中心")
    ]


def test_shinjitai_short_form_becomes_the_traditional_short_form(termbase, charmap):
    assert normalised("図 59、産総研組織架構", termbase, charmap) == "圖 59、產總研組織架構"


def test_ocr_abbreviation_is_unified_to_the_abbreviation_not_the_chinese_name(termbase, charmap):
    assert normalised("在IU R&BP的新生技", termbase, charmap) == "在HU R&BP的新生技"


def test_short_forms_abbreviations_and_english_stay_as_written(termbase, charmap):
    text = "產總研(AIST)與北大、創成研究機構及 Creative Research Institution 合作"
    assert normalise_text(text, termbase, charmap).edits == ()


def test_normalising_the_whole_report_is_deterministic_and_keeps_japanese(termbase, charmap):
    text = REPORT.read_text(encoding="utf-8")
    first = normalise_text(text, termbase, charmap)
    assert first == normalise_text(text, termbase, charmap)
    assert apply_edits(text, first.edits) == first.text
    for kept in ("札幌市北区北8条西5", "札幌総合卸センター8号館", "テクノパーク1丁目10", "干預", "大澤恒一", "岩田 敦", "連携"):
        assert kept in first.text
    for leak in ("创", "术", "図 59", "総合研究所北海道中心"):
        assert leak not in first.text
    assert "研" in first.text and "硏" not in first.text


def test_charmap_holds_no_valid_traditional_characters(charmap):
    mapped = set(charmap.simplified) | set(charmap.shinjitai)
    assert not mapped & set("干岩恒研台里面携筑並為予即概")


def test_charmap_proposals_from_the_report_exclude_valid_traditional_characters():
    proposals = propose_charmap_candidates(REPORT.read_text(encoding="utf-8"))
    assert {"创", "総", "図"} <= set(proposals)
    assert not set(proposals) & set("干岩恒研台里面並")


def test_charmap_with_a_character_in_both_sections_is_an_error(tmp_path):
    path = tmp_path / "charmap.yaml"
    path.write_text("schema_version: 1\nsimplified:\n  学: 學\nshinjitai:\n  学: 學\n", encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_charmap(path)
    assert str(info.value) == f"{path}:5: shinjitai.学: '学' is also in simplified — keep it in one section"


def test_charmap_pair_must_be_one_character_each(tmp_path):
    path = tmp_path / "charmap.yaml"
    path.write_text("schema_version: 1\nsimplified:\n  创新: 創新\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"charmap\.yaml:3: simplified\.创新: '创新': '創新' is not one character"):
        load_charmap(path)


def test_apply_edits_rejects_edits_that_do_not_match_the_text():
    with pytest.raises(ValueError):
        apply_edits("abc", [Edit(0, 1, "x", "y", "simplified")])


# Text drawn from the characters that matter: leaks, valid look-alikes, kana, address words, markup.
_ALPHABET = list("创术総産図学会干岩恒研連携北区条丁目番市地址：札幌テクノパーク中心機構所大學產業技術總合究海道 \n\t、，()<u>/AIST0123")
_ALPHABET += ["產業技術総合研究所", "産総研", "<u>", "</u>", "地址：札幌市北区北8条西5", "北海道產學連携本部"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ALPHABET) | st.characters(), max_size=40).map("".join))
def test_normaliser_edits_reproduce_the_output_and_account_for_every_change(text):
    termbase = load_termbase(FIXTURE)
    charmap = load_charmap(REPO / "src" / "edition" / "termbases" / "charmap.yaml")
    result = normalise_text(text, termbase, charmap)
    assert apply_edits(text, result.edits) == result.text
    # Nothing changes outside an edit, and every edit is a real change at its offsets.
    covered = set()
    for edit in result.edits:
        assert text[edit.start : edit.end] == edit.original != edit.replacement
        covered.update(range(edit.start, edit.end))
    kept = "".join(c for i, c in enumerate(text) if i not in covered)
    rebuilt_kept = apply_edits(text, [Edit(e.start, e.end, e.original, "", e.kind) for e in result.edits])
    assert kept == rebuilt_kept
    assert len(result.text) - len(text) == sum(len(e.replacement) - len(e.original) for e in result.edits)
    # Idempotent: normalising again changes nothing more.
    assert normalise_text(result.text, termbase, charmap).text == result.text


REAL_GLOSSARY = REPO / "glossary"
needs_real_glossary = pytest.mark.skipif(
    not (REAL_GLOSSARY / "institutions.yaml").exists(), reason="glossary/institutions.yaml not written yet"
)


@needs_real_glossary
def test_real_glossary_normalises_the_report_without_touching_japanese():
    termbase = load_termbase(REAL_GLOSSARY / "institutions.yaml")
    text = REPORT.read_text(encoding="utf-8")
    result = normalise_text(text, termbase)
    assert apply_edits(text, result.edits) == result.text
    protected = protected_spans(text)
    for edit in result.edits:
        assert not any(s < edit.end and edit.start < e for s, e in protected), edit
    for kept in ("札幌市北区北8条西5", "札幌市豊平区月寒東2条17-2-1", "札幌総合卸センター8号館", "干預", "大澤恒一"):
        assert kept in result.text
    assert "创" not in result.text and "図 59" not in result.text
