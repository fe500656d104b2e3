"""Termbase candidates: report text → names that look like institutions but are not in the termbase.

Two sources of candidates, both in text not already covered by a termbase mention (known
names are masked first, so 北海道大學創成研究機構 with 北海道大學 known yields 創成研究機構):

* parenthetical pairs: 產業技術總合研究所(AIST), 創成研究機構(Creative Research Institution, CRIS),
  經濟合作暨發展組織（Organization for Economic Co-operation and Development，簡稱OECD）;
* names by their heads (…省, …廳, …機構, …研究所, …中心, …大學, …財團, …協會, …會議, …本部,
  …公司, …園區, …委員會, …研究會): the CJK run ending in the head, cut at function words.

The output is for a human to review and add to glossary/*.yaml, so it errs towards recall.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceError
from .match import find_mentions
from .termbase import Termbase, form_key

HEADS = ("省", "廳", "機構", "研究所", "中心", "大學", "財團", "協會", "會議", "本部", "公司", "園區", "委員會", "研究會")
# Where a name cannot continue: particles, conjunctions and list punctuation. 及 is in the
# list although it occurs in a few names (研究及企業園區); those are caught as pairs or known.
_STOP = "的及與和、，。；：「」『』（）()並或在由為於將對從把被向等是有以給讓使"
# Verbs and demonstratives that often precede a name and are not part of it.
_LEADING = (
    "成立", "設立", "推動", "實施", "拜會", "考察", "參訪", "透過", "包括", "位於", "隸屬", "委託", "協助",
    "提供", "整合", "加入", "參加", "成為", "賦予", "促進", "導致", "根據", "營造", "利用", "充分利用", "使用",
    "免費使用", "強化", "創造", "分別", "相關", "其他", "其", "如", "該", "本", "此", "各", "這", "這些", "每",
    "即", "而", "則", "又", "也", "亦", "另", "一個", "個", "家", "座",
)
# A head followed by one of these is part of a longer word (本部長, 大學生, 中心化), not a name's end.
_HEAD_CONTINUES = set("長生員化點")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々"
_RUN = re.compile(f"[{_HAN}]+")
_PAIR = re.compile(
    f"([{_HAN}]{{2,}})\\s*[（(]\\s*([A-Za-z][^()（）\\n]{{0,150}}?)\\s*[)）]"
)
_MIN_NAME = 2  # characters before the head


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
    """'parenthetical' or 'head …' (which head made it a candidate)."""


def mine_candidates(text: str, termbase: Termbase) -> list[Candidate]:
    """Institution-like names in ``text`` not in the termbase, by count (desc) then form."""
    masked = mask_known(text, termbase)
    known = set(termbase.by_form)
    found: dict[str, dict] = {}
    seen: set[tuple[str, int]] = set()  # one occurrence found as a pair and by its head counts once

    def add(form: str, start: int, english: str, reason: str) -> None:
        if form_key(form) in known or len(form) < 2:
            return
        if (form, start) in seen:
            return
        seen.add((form, start))
        slot = found.setdefault(form, {"english": "", "count": 0, "start": start, "reason": reason})
        slot["count"] += 1
        slot["start"] = min(slot["start"], start)
        if english and not slot["english"]:
            slot["english"] = english
            slot["reason"] = reason

    for m in _PAIR.finditer(masked):
        name_start, name = trim_name(m.start(1), m.group(1))
        if name:
            add(name, name_start, clean_english(m.group(2)), "parenthetical")
    for run in _RUN.finditer(masked):
        for start, name, head in names_by_head(run.start(), run.group()):
            add(name, start, "", f"head {head}")
    return sorted(
        (Candidate(form, v["english"], v["count"], text.count("\n", 0, v["start"]) + 1, v["reason"])
         for form, v in found.items()),
        key=lambda c: (-c.count, c.form),
    )


def mask_known(text: str, termbase: Termbase) -> str:
    """The text with every termbase mention replaced by '|' (same length, so offsets hold)."""
    chars = list(text)
    for mention in find_mentions(text, termbase):
        chars[mention.start : mention.end] = "|" * (mention.end - mention.start)
    return "".join(chars)


def trim_name(start: int, run: str) -> tuple[int, str]:
    """A CJK run before a parenthesis → (start, name): cut after the last function word and
    drop leading verbs/demonstratives."""
    cut = max(run.rfind(c) for c in _STOP)
    if cut >= 0:
        start, run = start + cut + 1, run[cut + 1 :]
    changed = True
    while changed:
        changed = False
        for lead in sorted(_LEADING, key=len, reverse=True):
            if run.startswith(lead) and len(run) > len(lead) + 1:
                start, run = start + len(lead), run[len(lead) :]
                changed = True
                break
    return start, run


def names_by_head(offset: int, run: str) -> list[tuple[int, str, str]]:
    """(start, name, head) for each head ending a name in a CJK run (longest head at each end)."""
    out = []
    segments = re.split(f"([{re.escape(_STOP)}])", run)
    pos = offset
    for seg in segments:
        if len(seg) == 1 and seg in _STOP:
            pos += 1
            continue
        seen_ends = set()
        for head in sorted(HEADS, key=len, reverse=True):
            for m in re.finditer(re.escape(head), seg):
                if m.end() in seen_ends or seg[m.end() : m.end() + 1] in _HEAD_CONTINUES - {""}:
                    continue
                start, name = trim_name(pos, seg[: m.end()])
                if len(name) - len(head) >= _MIN_NAME:
                    seen_ends.add(m.end())
                    out.append((start, name, head))
        pos += len(seg)
    return out


def clean_english(inner: str) -> str:
    """'Organization …，簡稱OECD' → 'Organization …, OECD'; full-width commas and 簡稱 ('called for short') dropped."""
    inner = inner.replace("，", ", ").replace("；", "; ").replace("簡稱", "")
    return " ".join(inner.split()).strip(" ,;")


def source_to_text(path: str | Path) -> str:
    """A text export (.txt/.md, UTF-8) or a PDF (pdfplumber's page text, pages joined by blank lines)."""
    path = Path(path)
    if path.suffix.lower() == ".pdf":
        import pdfplumber  # heavy: only for PDF sources

        try:
            with pdfplumber.open(path) as pdf:
                return "\n\n".join(page.extract_text() or "" for page in pdf.pages)
        except Exception as exc:  # pdfminer raises many unrelated types for a broken file
            raise SourceError(f"{path}: cannot read PDF ({type(exc).__name__}) — check the file") from None
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: not UTF-8 (byte {exc.start}) — export the text as UTF-8") from None
    except OSError as exc:
        raise SourceError(f"{path}: {exc.strerror} — check the path") from None


def candidates_to_table(candidates: list[Candidate]) -> str:
    """A plain table: count, form, english, first line (tab-separated columns, header first)."""
    rows = ["count\tform\tenglish\tfirst line"]
    rows += [f"{c.count}\t{c.form}\t{c.english}\t{c.first_line}" for c in candidates]
    return "\n".join(rows)
