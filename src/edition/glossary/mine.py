"""Termbase candidates: report text → names that look like institutions, programmes or laws
but are not in the termbase.

Known names are masked first (every termbase mention, so 北海道大學創成研究機構 with
北海道大學 known yields 創成研究機構), then three kinds of evidence make a candidate:

* **parenthetical pairs** — 創成研究機構(Creative Research Institution, CRIS): the English must
  read as a name (Title Case with a head word such as Institution, Agency, Program, Act, or an
  abbreviation alone) and its head must agree with the Chinese one (Act ↔ 法, Center ↔ 中心,
  Program ↔ 方案/計畫): "conventional industrial accumulation" is not a name, and 累積 is
  not the span it translates;
* **quoted names** — 「科學技術基本法」: a quotation that is one name ending in a head;
* **anchored heads** — a legal form (財團法人, 獨立行政法人, 株式會社 …) or a place
  (北海道, 札幌, 日本 …) opening a run that ends in a head, with at least two characters
  between them: 札幌市產業振興財團, not 日本大學 ("Japanese universities").

A head alone is not evidence: the verbs and particles before 大學/公司/機構 in running
prose (且國立大學, 用國立大學, 允許大學) are what made the first miner's list mostly noise.
Candidates reviewed and rejected are listed in glossary/mine-reviewed.yaml, so that the
list holds only what a reviewer has not seen yet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..errors import DataFileError, SourceError
from .match import find_mentions
from .termbase import REVIEWED_FILENAME, Termbase, form_key

# Chinese heads: how an institution, programme or law name ends, longest first where they nest.
HEADS = (
    "委員會", "協議會", "研究會", "同友會", "聯合會", "研究所", "辦公室", "實驗室",
    "機構", "組織", "中心", "大學", "學院", "財團", "協會", "會議", "本部", "總部", "部門",
    "公司", "銀行", "園區", "計畫", "方案", "倡議", "專案", "團隊", "平臺", "平台", "基地",
    "聯盟", "單位", "金庫", "省", "廳", "法",
)
# English head word → the Chinese heads that translate it. A pair whose heads disagree pairs
# the English with the wrong span.
ENGLISH_HEADS: dict[str, tuple[str, ...]] = {
    "act": ("法",), "law": ("法",),
    "agency": ("機構", "廳", "組織"), "organization": ("組織", "機構", "團體"), "organisation": ("組織", "機構"),
    "institute": ("研究所", "機構", "學院"), "institution": ("機構", "研究所"),
    "center": ("中心", "機構", "園區"), "centre": ("中心", "機構"),
    "association": ("協會", "研究會", "同友會", "組織", "組合"), "council": ("會議", "協議會", "委員會"),
    "committee": ("委員會",), "federation": ("聯合會",), "ministry": ("省", "部"),
    "university": ("大學",), "college": ("學院", "大學"), "school": ("學院", "研究院"),
    "program": ("方案", "計畫", "倡議"), "programme": ("方案", "計畫"), "project": ("計畫", "專案", "方案"),
    "initiative": ("倡議", "方案", "計畫"), "plan": ("計畫", "方案"), "cluster": ("計畫", "群聚"),
    "office": ("辦公室", "室", "部門"), "team": ("團隊",), "division": ("部門", "部", "室"),
    "department": ("部門", "部", "學系"), "unit": ("單位", "部門"), "headquarters": ("本部", "總部"),
    "park": ("園區",), "bank": ("銀行", "金庫"), "foundation": ("財團",), "laboratory": ("實驗室", "研究室"),
    "partnership": ("伙伴", "夥伴"), "platform": ("平臺", "平台"), "base": ("基地",),
    "corporation": ("公司",), "company": ("公司",), "bureau": ("局",),
}
# Legal forms and places that open a name (the anchor of a head-ended run).
LEGAL_FORMS = (
    "地方獨立行政法人", "獨立行政法人", "國立大學法人", "公益財團法人", "一般財團法人", "財團法人",
    "公益社團法人", "一般社團法人", "社團法人", "株式會社", "特定非營利活動法人",
)
PLACES = (
    "北海道", "札幌", "函館", "旭川", "十勝", "帶廣", "小樽", "室蘭", "北見", "釧路", "苫小牧",
    "日本", "東京", "大阪", "京都", "名古屋", "筑波", "關東", "關西", "九州", "東北", "中部", "四國", "沖繩",
    "臺灣", "美國",
)
# Where a name cannot continue: particles, conjunctions and list punctuation. The weak ones also
# occur inside names (未來醫藥發現及醫療看護之創新配合方案, 綜合性的協力團隊): a parenthetical
# pair may keep them when its English asks for a longer name (see trim_pair_name).
_WEAK_STOP = "的之及與和"
_STRONG_STOP = "、，。；：「」『』（）()並或在由為於將對從把被向等是有以給讓使"
_STOP = _WEAK_STOP + _STRONG_STOP
# Verbs, adverbs and demonstratives that often precede a name and are not part of it.
_LEADING = (
    "又稱為", "又稱", "亦稱", "或稱", "簡稱", "稱為", "稱", "成立", "設立", "推動", "實施", "拜會", "考察",
    "參訪", "透過", "包括", "位於", "隸屬", "委託", "協助", "提供", "整合", "加入", "參加", "成為", "賦予",
    "促進", "導致", "根據", "依據", "營造", "利用", "充分利用", "使用", "免費使用", "強化", "創造", "分別",
    "相關", "其他", "其", "如", "該", "本", "此", "各", "這", "這些", "每", "即", "而", "則", "又", "也",
    "亦", "另", "且", "並", "一個", "個", "家", "座", "所", "目前", "日本政府", "合併", "加盟", "組成",
    "改組為", "併入", "資助成立", "所資助成立", "年", "月", "制定", "例如", "加上", "提出", "進行", "已進行",
)
# A head followed by one of these is part of a longer word (本部長, 大學生, 中心化), not a name's end.
_HEAD_CONTINUES = set("長生員化點")
# Words that end in a one-character head without being a name: 方法, 做法 … (法); 全部 … (部).
_NOT_HEAD_WORDS = (
    "方法", "做法", "作法", "辦法", "看法", "想法", "說法", "手法", "用法", "立法", "合法", "非法", "司法", "文法", "效法",
)
# Characters of running prose that no name of this kind holds (pronouns, aspect and degree words).
_PROSE = set("了我你他它們要很更都就還但可則已許某也")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々"
_HAN_RUN = re.compile(f"[{_HAN}]+")
_PAIR = re.compile(f"([{_HAN}]{{2,}})\\s*[（(]\\s*([A-Za-z][^()（）\\n]{{0,150}}?)\\s*[)）]")
_QUOTED = re.compile(f"「([{_HAN}A-Za-z0-9 ・]{{3,40}})」")
_ABBR = re.compile(r"^[A-Z][A-Za-z0-9&.\-]{1,11}$")
_SMALL_WORDS = {"of", "for", "and", "the", "on", "in", "to", "with", "at", "by", "&", "a", "an", "de"}
# A whole item: after a line start, bullet, number, tab, enumeration comma, known name or
# parenthesis, and up to the same (a particle such as 的 on either side means prose).
_DELIMITED = re.compile(
    f"(?:^|(?<=[\\n\\t、，。；：|「（(\\-－—●◎□◇]))([{_HAN}]{{4,12}})(?=$|[\\n\\t、，。；：|」（(])", re.M
)
# Modifiers that with a head make a kind of body, not a name (國立大學, 研究中心, 相關機構).
_GENERIC = {
    "國立", "公立", "私立", "國公私立", "研究", "相關", "區域", "地方", "主要", "其他", "國內", "國外", "海外",
    "政府", "民間", "公部門", "學術", "教育", "金融", "育成", "合作", "國家", "地區", "日本", "美國", "臺灣",
    "各國", "國際", "大型", "中小", "創投", "風險", "新創", "股份", "非營利", "產官學", "產學", "產學官",
}
_MIN_NAME = 2  # characters before the head (after an anchor: characters between anchor and head)


@dataclass(frozen=True)
class Candidate:
    """A name worth reviewing for the termbase."""

    form: str
    """The Chinese name as found."""
    english: str
    """English from a parenthetical pair ('' if none), abbreviation included as written."""
    count: int
    """How many times it was found."""
    first_line: int
    """1-based line of the first occurrence."""
    reason: str
    """'parenthetical', 'defined term', 'quoted' or 'anchored …' (which anchor made it a candidate)."""


@dataclass(frozen=True)
class Pair:
    """A Chinese name with its English in parentheses, as the report prints it."""

    form: str
    """The Chinese span the English belongs to (trimmed to the name)."""
    english: str
    """The English, cleaned (full-width commas, 簡稱 dropped)."""
    start: int
    """Offset of ``form`` in the text."""


@dataclass(frozen=True)
class Reviewed:
    """A candidate a reviewer has rejected: what it is instead (glossary/mine-reviewed.yaml)."""

    form: str
    """The Chinese as the miner lists it (for a pair: the end of the Chinese before the parenthesis)."""
    why: str
    """Why it is not an institution, programme or law name (or why the pair is not one name)."""
    english: str | None = None
    """For a parenthetical pair only: the English it is printed with. Such a line accepts that
    one pair as printed (the report pairs two entries, or describes one): the miner and the
    check skip it, and nothing else."""


def mine_candidates(text: str, termbase: Termbase, reviewed: Iterable[Reviewed] = ()) -> list[Candidate]:
    """Institution-, programme- and law-like names in ``text`` not in the termbase nor already
    reviewed, by count (desc) then form."""
    masked = mask_known(text, termbase)
    skip = set(termbase.by_form) | {form_key(r.form) for r in reviewed if r.english is None}
    found: dict[str, dict] = {}
    seen: set[tuple[str, int]] = set()  # one occurrence found two ways counts once

    def add(form: str, start: int, english: str, reason: str) -> None:
        if form_key(form) in skip or (form, start) in seen:
            return
        seen.add((form, start))
        slot = found.setdefault(form, {"english": "", "count": 0, "start": start, "reason": reason})
        slot["count"] += 1
        slot["start"] = min(slot["start"], start)
        if english and not slot["english"]:
            slot["english"] = english
            slot["reason"] = reason

    # the parentheses unmasked: a known abbreviation (OCR) must not hide the unknown Chinese
    # name it defines (光學字元辨識（Optical Character Recognition，OCR）)
    accepted = [r for r in reviewed if r.english is not None]
    rejected_pairs = [r for r in reviewed if r.english is None]
    for pair in parenthetical_pairs(_unmask_parentheses(masked, text)):
        if any(_same_tail(pair.form, r.form) and r.english == pair.english for r in accepted):
            continue  # a pair a reviewer accepted as printed
        if any(_same_tail(pair.form, r.form) for r in rejected_pairs):
            continue
        if pair_is_name(pair):
            add(pair.form, pair.start, pair.english, "parenthetical")
        elif pair_defines_term(pair):
            add(pair.form, pair.start, pair.english, "defined term")
    for start, name in quoted_names(masked):
        add(name, start, "", "quoted")
    for run in _HAN_RUN.finditer(masked):
        for start, name, anchor in anchored_names(run.start(), run.group()):
            add(name, start, "", f"anchored {anchor}")
    for start, name in delimited_names(masked):
        add(name, start, "", "delimited")
    return sorted(
        (Candidate(form, v["english"], v["count"], text.count("\n", 0, v["start"]) + 1, v["reason"])
         for form, v in found.items()),
        key=lambda c: (-c.count, c.form),
    )


def _same_tail(a: str, b: str) -> bool:
    """One Chinese span ends the other: the miner may trim a name a character shorter (有形…)."""
    return a.endswith(b) or b.endswith(a)


_PARENTHESES = re.compile(r"[（(][^()（）\n]{1,150}[)）]")


def _unmask_parentheses(masked: str, text: str) -> str:
    """``masked`` with the text inside every parenthesis as printed."""
    chars = list(masked)
    for m in _PARENTHESES.finditer(text):
        chars[m.start() : m.end()] = text[m.start() : m.end()]
    return "".join(chars)


_ACRONYM_SMALL = _SMALL_WORDS | {"to"}


def pair_defines_term(pair: Pair) -> bool:
    """Does the report define a term here: the English name with an abbreviation made of its
    words' initials (光學字元辨識（Optical Character Recognition，OCR）, 類比數位轉換器
    (Analog-to-Digital Converter, ADC))? The Chinese must be a run of 3–12 characters."""
    name, abbrs = split_english(pair.english)
    if not name or not abbrs or not 3 <= len(pair.form) <= 12:
        return False
    words = [w for w in re.split(r"[\s\-/]+", name) if w and w.lower() not in _ACRONYM_SMALL]
    initials = "".join(w[0] for w in words).upper()
    return any("".join(c for c in a if c.isupper() or c.isdigit()) == initials for a in abbrs) and len(initials) >= 2


def mask_known(text: str, termbase: Termbase) -> str:
    """The text with every termbase mention replaced by '|' (same length, so offsets hold)."""
    chars = list(text)
    for mention in find_mentions(text, termbase):
        chars[mention.start : mention.end] = "|" * (mention.end - mention.start)
    return "".join(chars)


def parenthetical_pairs(text: str) -> list[Pair]:
    """Every CJK name followed by Latin text in parentheses, the name trimmed at function words."""
    pairs = []
    for m in _PAIR.finditer(text):
        english = clean_english(m.group(2))
        start, name = trim_pair_name(m.start(1), m.group(1), english)
        if name:
            pairs.append(Pair(name, english, start))
    return pairs


def trim_pair_name(start: int, run: str, english: str) -> tuple[int, str]:
    """The span of ``run`` (the CJK before a parenthesis) that ``english`` translates.

    Every cut :func:`trim_name` could make — after a strong stop, then after any weak stop
    (之, 及, 的 …) or any leading verb inside the run (…所資助成立|國際策略單位) — is a choice; the one whose length is closest to what the
    English asks for wins (about two characters per content word of a name, or per capital of
    an abbreviation: 'Technology Research Association for Single Wall Carbon Nanotubes' wants
    單牆碳奈米管之技術研究協會, not 技術研究協會), the longer one on a tie.
    """
    strong = max(run.rfind(c) for c in _STRONG_STOP)
    if strong >= 0:
        start, run = start + strong + 1, run[strong + 1 :]
    want = english_length(english)
    options = {}
    cuts = {0} | {k + 1 for k, c in enumerate(run) if c in _WEAK_STOP}
    cuts |= {m.end() for lead in _LEADING if len(lead) > 1 for m in re.finditer(lead, run)}
    for i in sorted(cuts):
        s0, name = trim_name(start + i, run[i:], _STRONG_STOP)
        if name and not any(c in _WEAK_STOP for c in name[:1]):
            options[name] = s0
    if not options:
        return start, ""
    best = min(options, key=lambda n: (abs(len(n) - want), -len(n)))
    return options[best], best


def english_length(english: str) -> int:
    """Characters a Chinese name translating ``english`` should have, roughly: two per content
    word of the name, else two per capital of the abbreviation."""
    name, abbrs = split_english(english)
    words = [w for w in re.findall(r"[A-Za-z]+", name) if w.lower() not in _SMALL_WORDS]
    if words:
        return 2 * len(words)
    capitals = sum(c.isupper() for c in (abbrs[0] if abbrs else english))
    return 2 * max(capitals, 1)


def pair_is_name(pair: Pair) -> bool:
    """Does the English read as the name of the Chinese span (see the module docstring)?"""
    head = chinese_head(pair.form)
    if head is None:
        return False
    name, abbrs = split_english(pair.english)
    if not name:
        return bool(abbrs)  # 產業技術總合研究所(AIST): an abbreviation after a head-ended name
    if not is_title_case(name):
        return False
    heads = [ENGLISH_HEADS[w] for w in re.findall(r"[a-z]+", name.lower()) if w in ENGLISH_HEADS]
    return any(head in allowed for allowed in heads)


def split_english(english: str) -> tuple[str, list[str]]:
    """'Creative Research Institution, CRIS' → ('Creative Research Institution', ['CRIS'])."""
    parts = [p.strip() for p in re.split(r"[;,]", english) if p.strip()]
    abbrs = [p for p in parts if _ABBR.match(p) and (p.isupper() or sum(c.isupper() for c in p) >= 2)]
    name = ", ".join(p for p in parts if p not in abbrs)
    return name, abbrs


def is_title_case(name: str) -> bool:
    """Every word but the small ones (of, for, and …) starts with a capital or a digit."""
    words = [w for w in re.split(r"[\s\-/]+", name) if w]
    return bool(words) and all(w.lower() in _SMALL_WORDS or w[0].isupper() or w[0].isdigit() for w in words)


def chinese_head(name: str) -> str | None:
    """The head a name ends in, or None (方法 and 全部 do not end in 法 and 部 as heads)."""
    if name.endswith(_NOT_HEAD_WORDS):
        return None
    for head in HEADS:
        if name.endswith(head) and len(name) - len(head) >= _MIN_NAME:
            return head
    return None


def quoted_names(text: str) -> list[tuple[int, str]]:
    """(start, name) for each 「quotation」 that is one name ending in a head (「科學技術基本法」)."""
    out = []
    for m in _QUOTED.finditer(text):
        name = m.group(1).strip()
        if "|" not in name and chinese_head(name):
            out.append((m.start(1), name))
    return out


def anchored_names(offset: int, run: str) -> list[tuple[int, str, str]]:
    """(start, name, anchor) in a CJK run: a legal form or place, at least two characters, a head.

    The anchor must open its segment (after punctuation, a function word or a known name) or
    follow one of the verbs names follow (拜會, 成立 …); the name runs from it to the nearest
    head, within one segment between function words.
    """
    out = []
    pos = offset
    for seg in re.split(f"([{re.escape(_STOP)}])", run):
        if len(seg) == 1 and seg in _STOP:
            pos += 1
            continue
        taken_until = 0
        for m in re.finditer("|".join(LEGAL_FORMS + PLACES), seg):
            if m.start() < taken_until or seg[m.end() : m.end() + 1] == "化":
                continue  # 國立大學法人化: the incorporation, not a body
            if m.start() and not seg[: m.start()].endswith(_LEADING):
                continue  # 來自日本海內外…, 全日本首座…: the place is inside prose, not opening a name
            end = _first_head_end(seg, m.end() + _MIN_NAME)
            if end is None:
                continue
            name = seg[m.start() : end]
            if _PROSE & set(name):
                continue
            out.append((pos + m.start(), name, m.group()))
            taken_until = end
        pos += len(seg)
    return out


def delimited_names(text: str) -> list[tuple[int, str]]:
    """(start, name) for runs that are a whole item between delimiters — a table cell, a list
    item, one member of an enumeration (、特許廳、) — and end in a head.

    Nothing is trimmed: a run opening with a verb or adverb (且國立大學, 用國立大學) or holding
    a particle is prose, not a name; a bare generic (國立大學, 研究中心) is not a name either.
    """
    out = []
    for m in _DELIMITED.finditer(text):
        name = m.group(1)
        head = chinese_head(name)
        if head is None or name[: -len(head)] in _GENERIC or name[: -len(head)] in LEGAL_FORMS or _PROSE & set(name):
            continue
        if name.startswith(_LEADING) or any(c in _STOP for c in name):
            continue
        out.append((m.start(1), name))
    return out


def _first_head_end(seg: str, from_index: int) -> int | None:
    """End of the first head starting at or after ``from_index`` (not one running into a longer word)."""
    best = None
    for head in HEADS:
        i = seg.find(head, from_index)
        while i >= 0:
            end = i + len(head)
            if seg[end : end + 1] not in _HEAD_CONTINUES and not seg[:end].endswith(_NOT_HEAD_WORDS):
                if best is None or end < best:
                    best = end
                break
            i = seg.find(head, i + 1)
    return best


def trim_name(start: int, run: str, stops: str = _STOP) -> tuple[int, str]:
    """A CJK run → (start, name): cut after the last function word (of ``stops``), start at a
    legal form or place where the run has one, else drop leading verbs (成立, 拜會 …)."""
    cut = max(run.rfind(c) for c in stops)
    if cut >= 0:
        start, run = start + cut + 1, run[cut + 1 :]
    anchor = re.search("|".join(LEGAL_FORMS + PLACES), run)
    if anchor and len(run) - anchor.start() > len(anchor.group()) + 1:
        return start + anchor.start(), run[anchor.start() :]
    changed = True
    while changed:
        changed = False
        for lead in _LEADING_LONGEST_FIRST:
            if run.startswith(lead) and len(run) > len(lead) + 1:
                start, run = start + len(lead), run[len(lead) :]
                changed = True
                break
    return start, run


_LEADING_LONGEST_FIRST = sorted(_LEADING, key=len, reverse=True)


def clean_english(inner: str) -> str:
    """'Organization …，簡稱OECD' → 'Organization …, OECD'; full-width commas and 簡稱 ('called for short') dropped."""
    inner = inner.replace("，", ", ").replace("；", "; ").replace("簡稱", "")
    return " ".join(inner.split()).strip(" ,;")


@dataclass(frozen=True)
class UncoveredPair:
    """A parenthetical pair of the source that no termbase entry holds both halves of."""

    line: int
    """1-based line in the source text."""
    pair: Pair
    """The Chinese and English as printed."""
    chinese_names: str | None
    """Id of the entry the Chinese ends in, if any (then the English is missing from it)."""
    english_names: str | None
    """Id of the entry the English is a form of, if any (then the Chinese is missing from it)."""


def uncovered_pairs(text: str, termbase: Termbase, reviewed: Iterable[Reviewed] = ()) -> list[UncoveredPair]:
    """Parenthetical pairs that no entry covers, in text order.

    An entry covers a pair when it is mentioned right before the parenthesis (or its name
    holds the parenthesis: 技術移轉(TLO)部門) and the English is one of its Latin forms, an
    abbreviation of it, or a shorter wording of one ('Intellectual Property' for the
    Intellectual Property Division). Pairs that name nothing known are reported only when they
    read as a name (:func:`pair_is_name`). A pair a reviewer has accepted or rejected in
    mine-reviewed.yaml is skipped.
    """
    mentions = find_mentions(text, termbase)
    out = []
    for m in _PAIR.finditer(text):
        run_start, run_end, close = m.start(1), m.end(1), m.end()
        if any(x.start < run_end and x.end >= close for x in mentions):
            continue  # the parenthesis is inside a known name
        # the name right before the parenthesis: ending there, or two characters before (…機構成立(…))
        before = [x for x in mentions if run_start < x.end <= run_end and run_end - x.end <= 2]
        chinese_id = max(before, key=lambda x: x.end).entry_id if before else None
        english = clean_english(m.group(2))
        name, abbrs = split_english(english)
        english_ids = [termbase.by_form[k].entry_id for k in (form_key(p) for p in [name, *abbrs, english] if p)
                       if k in termbase.by_form]
        if chinese_id and (chinese_id in english_ids or _names_in(termbase, chinese_id, english)):
            continue
        start, form = trim_pair_name(run_start, m.group(1), english)
        pair = Pair(form or m.group(1), english, start if form else run_start)
        if not chinese_id and not english_ids and not pair_is_name(pair):
            continue
        if any(m.group(1).endswith(r.form) and r.english in (None, english) for r in reviewed):
            continue
        out.append(UncoveredPair(text.count("\n", 0, pair.start) + 1, pair, chinese_id, english_ids[0] if english_ids else None))
    return out


def _names_in(termbase: Termbase, entry_id: str, english: str) -> bool:
    """Does the English hold one of the entry's Latin forms as whole words, or is it a whole-word
    part of one ('Bayh-Dole Act' of 'Japanese Bayh-Dole Act')? Case and punctuation ignored."""
    def words(text: str) -> str:
        return " " + " ".join(w for w in re.split(r"[^0-9a-z&]+", text.lower()) if w) + " "

    said = words(english)
    for form, _ in termbase.entry(entry_id).forms():
        if form.isascii():
            known = words(form)
            if known.strip() and (known in said or said in known):
                return True
    return False


def load_reviewed(path_or_dir: str | Path) -> list[Reviewed]:
    """glossary/mine-reviewed.yaml (a file, or the glossary directory holding it); [] if absent."""
    from ..yamlfile import load_yaml

    path = Path(path_or_dir)
    if path.is_dir():
        path = path / REVIEWED_FILENAME
    elif path.name != REVIEWED_FILENAME:
        path = path.parent / REVIEWED_FILENAME
    if not path.is_file():
        return []
    data = load_yaml(path.read_text(encoding="utf-8"), path)
    items = data.get("rejected") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise DataFileError(f"{path}:1: rejected: expected a list of {{form, why}} — fix the top level")
    out = []
    for i, item in enumerate(items):
        if not (isinstance(item, dict) and isinstance(item.get("form"), str) and isinstance(item.get("why"), str)
                and set(item) <= {"form", "why", "english"} and isinstance(item.get("english", ""), str)):
            raise DataFileError(f"{path}: rejected[{i}]: expected {{form: ..., why: ...}} (english: optional) — fix the item")
        out.append(Reviewed(item["form"], item["why"], item.get("english")))
    return out


def source_to_text(path: str | Path) -> str:
    """A text export (.txt/.md, UTF-8) or a PDF (each page's printed lines, a table's rows as
    tab-separated lines, pages joined by blank lines)."""
    path = Path(path)
    if not path.is_file():
        raise SourceError(f"{path}: no such file — check the path")
    if path.suffix.lower() == ".pdf":
        from ..extract.settings import DEFAULT
        from ..reading.pdf import read_pages

        pages = []
        for rec in read_pages(path, None, None, DEFAULT):
            lines = [ln.text for ln in rec.raw.lines]
            lines += ["\t".join(c or "" for c in row) for t in rec.raw.tables for row in t.rows]
            pages.append("\n".join(lines))
        return unwrap_lines("\n".join(_PAGE_NUMBER.sub("", page) for page in pages))
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: not UTF-8 (byte {exc.start}) — export the text as UTF-8") from None
    except OSError as exc:
        raise SourceError(f"{path}: {exc.strerror} — check the path") from None


# A page's last line holding only its printed number ("41"): dropped so that a paragraph runs
# on over the page break.
_PAGE_NUMBER = re.compile(r"\n\s*[0-9]{1,3}\s*$")


def unwrap_lines(text: str) -> str:
    """PDF text with paragraph line wraps undone: a line of 30 characters or more that ends in a
    Han character runs on into the next (a name cut by a wrap, 區域創新|群聚方案, would
    otherwise start a line and look like a whole item). Shorter lines — list items, table rows,
    labels — keep their breaks."""
    lines = text.split("\n")
    out = [lines[0]] if lines else []
    for line in lines[1:]:
        prev = out[-1]
        if len(prev.strip()) >= 30 and _HAN_RUN.match(prev.rstrip()[-1:]) and _HAN_RUN.match(line.lstrip()[:1]):
            out[-1] = prev.rstrip() + line.lstrip()
        else:
            out.append(line)
    return "\n".join(out)


def candidates_to_table(candidates: list[Candidate]) -> str:
    """A plain table: count, form, english, first line (tab-separated columns, header first)."""
    rows = ["count\tform\tenglish\tfirst line"]
    rows += [f"{c.count}\t{c.form}\t{c.english}\t{c.first_line}" for c in candidates]
    return "\n".join(rows)
