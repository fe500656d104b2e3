"""The cover page → metadata: title, 服務機關, authors and titles, country, travel period, report date.

Dates are kept as printed and also given in ISO form; the Republic of China calendar counts
years from 1912, so 民國 101 年 = 2012.
"""

from __future__ import annotations

import re

from ..model import Node
from ..reading.flow import wrap_joiner

_FIELD = re.compile(r"^\s*([^：:]{2,9})\s*[：:]\s*(.+?)\s*$")
_ROC_DATE = re.compile(r"(?:民國)?\s*(\d{2,3})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_REPORT_KIND = re.compile(r"^(.*?報告)\s*[（(]\s*出國類別\s*[：:]\s*(.+?)\s*[)）]\s*$")
# Civil-service job titles that follow a name on a Taiwanese cover page ("廖弘凱組長").
# The longest title that ends the part wins ("副研究員" over "研究員").
_JOB_TITLES = (
    "副主任委員", "主任委員", "副處長", "處長", "副組長", "組長", "副主任", "主任", "副局長", "局長",
    "科長", "科員", "專員", "技正", "技士", "研究員", "副研究員", "秘書", "參事", "簡任技正", "視察", "主任秘書",
    "專門委員", "簡任秘書", "副司長", "司長", "副署長", "署長", "副院長", "院長", "副所長", "所長", "副校長", "校長",
    "副館長", "館長", "副主任秘書", "分析師", "管理師", "工程師", "副工程師", "助理工程師", "技術員", "技佐", "課長", "股長",
    "隊長", "督導", "稽核", "助理研究員", "研究助理", "教授", "副教授", "助理教授", "講師", "醫師", "護理師", "檢察官",
    "法官", "經理", "副理", "襄理", "總經理", "副總經理", "董事長", "執行長", "委員", "組員", "辦事員", "書記",
)
# The cover sheet's labels, as the standard 出國報告 cover prints them and as later covers word
# them ("派赴國家/地區", "出國人員姓名/職稱", "出國日期").
_FIELD_KEYS = {
    "服務機關": "agency", "服務單位": "agency", "機關名稱": "agency",
    "姓名職稱": "authors", "出國人員": "authors", "出國人員姓名": "authors", "姓名/職稱": "authors",
    "出國人員姓名/職稱": "authors", "出國人姓名": "authors", "報告人": "authors",
    "派赴國家": "country", "派赴國家/地區": "country", "派赴國家(地區)": "country", "派赴國家（地區）": "country",
    "出國地區": "country", "前往國家": "country",
    "出國期間": "travel_period", "出國日期": "travel_period", "出國時間": "travel_period",
    "報告日期": "report_date", "報告完成日期": "report_date",
}


# A label set apart from its value by space alone ("服務機關　行政院…", a tab on the cover).
_BARE_FIELD = re.compile(r"^\s*(" + "|".join(sorted(map(re.escape, _FIELD_KEYS), key=len, reverse=True)) + r")[\s\u3000]+(\S.*?)\s*$")


def roc_to_iso(year: str, month: str, day: str) -> str:
    """ROC (民國) year, month, day → ISO date string: 101, 11, 26 → "2012-11-26"."""
    return f"{int(year) + 1911:04d}-{int(month):02d}-{int(day):02d}"


def parse_authors(value: str) -> list[Node]:
    """"廖弘凱組長、張鎮修科員" → [{name: 廖弘凱, title: 組長}, {name: 張鎮修, title: 科員}]."""
    out: list[Node] = []
    for part in re.split(r"[、，,；;]", value):
        part = part.strip()
        if not part:
            continue
        title = next((t for t in sorted(_JOB_TITLES, key=len, reverse=True) if part.endswith(t)), "")
        name = part[: len(part) - len(title)].strip() if title else part
        out.append({"name": name, "title": title, "printed": part})
    return out


def parse_period(value: str) -> Node:
    """"101年11月26日至11月30日" → printed, start, end (the end may omit the year)."""
    out: Node = {"printed": value}
    m = _ROC_DATE.search(value)
    if not m:
        return out
    out["start"] = roc_to_iso(*m.groups())
    rest = value[m.end() :]
    m2 = _ROC_DATE.search(rest)
    if m2:
        out["end"] = roc_to_iso(*m2.groups())
    else:
        m3 = _MONTH_DAY.search(rest)
        if m3:
            out["end"] = roc_to_iso(m.group(1), *m3.groups())
    return out


def parse_date(value: str) -> Node:
    """"102年2月25日" → {printed, date: "2013-02-25"}."""
    out: Node = {"printed": value}
    m = _ROC_DATE.search(value)
    if m:
        out["date"] = roc_to_iso(*m.groups())
    return out


def _joined(lines: list[str]) -> str:
    """A title's lines as one: no space between CJK lines, one between two Latin words. A title
    is set centred with its breaks made by hand, never inside a word, so any two Latin letters
    or digits either side of a break are two words ("…Risk of" + "Small Firms", "the Credit" +
    "risk"); other breaks as :func:`wrap_joiner` tells them ("Research &" + "Business")."""
    from ..reading.flow import wrap_joiner

    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and line[0].isascii() and line[0].isalnum():
            out += " " + line
        else:
            out += (wrap_joiner(out, line) if out else "") + line
    return out


def cover_to_metadata(lines: list[str], title_lines: list[str], fields: list[str] = ()) -> Node:
    """Cover lines (as printed, in order) → the metadata node.

    ``title_lines`` are the lines set as the title (the PDF's large bold face, or the first
    line after the report-kind line in a text export); they are joined, since a long title
    wraps over two lines. ``fields``: more "label：value" lines to read fields from (a cover
    sheet's table), not cover lines themselves (the table is kept as a table).
    """
    meta: Node = {"cover_lines": list(lines)}
    printed_title = _joined(title_lines)
    if printed_title:
        meta["title_printed"] = printed_title
        # A space inside a CJK title is a layout artefact (a manual line break), not a word gap.
        meta["title"] = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", printed_title)
    for ln in [*lines, *fields]:
        kind = _REPORT_KIND.match(ln.strip())
        if kind:
            meta["report_kind"] = kind.group(1)
            meta["trip_category"] = kind.group(2)
            continue
        m = _FIELD.match(ln) or _BARE_FIELD.match(ln)
        if not m:
            continue
        label = re.sub(r"\s+", "", m.group(1))
        key = _FIELD_KEYS.get(label)
        value = m.group(2)
        if key == "authors":
            meta["authors"] = parse_authors(value)
        elif key == "travel_period":
            meta["travel_period"] = parse_period(value)
        elif key == "report_date":
            meta["report_date"] = parse_date(value)
        elif key:
            meta[key] = value
    return meta
