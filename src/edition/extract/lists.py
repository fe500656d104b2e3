"""The report's own contents / figure / table lists, reconciled against what the body contains.

A report's list of figures is written by hand and drifts from the body: captions get
renumbered, pictures are lost with a page. The list is taken as the authority for numbers (it
is what readers cite), a body caption is matched to its entry by *title*, and every
disagreement becomes a QA finding.
"""

from __future__ import annotations

import difflib
import re

from ..model import Node, iter_nodes
from .numbering import UNITS, parse_marker, unit_rank

_WS = re.compile(r"\s+")


def _key(title: str) -> str:
    """Compare titles blind to spacing, punctuation variants and shinjitai/Simplified leaks."""
    t = _WS.sub("", title or "")
    for a, b in (("産", "產"), ("総", "總"), ("図", "圖"), ("携", "攜"), ("・", "、"), ("·", "、"), ("．", "、"), (".", "、")):
        t = t.replace(a, b)
    return t


def match_titles(captions: list[str], entries: list[str], cutoff: float = 0.6) -> dict[int, int]:
    """Caption index → entry index, best title similarity first, one to one."""
    pairs: list[tuple[float, int, int]] = []
    keys = [_key(c) for c in captions]
    letters = [set(k) for k in keys]
    for j, e in enumerate(entries):
        ke = _key(e)
        own = set(ke)
        matcher = difflib.SequenceMatcher(None, "", ke)  # the entry's index is built once
        for i, kc in enumerate(keys):
            if kc == ke:
                pairs.append((1.0, i, j))
                continue
            # a bound of quick_ratio from set operations (quick_ratio counts letter by letter in
            # Python): the letters a caption can match are at most those the entry has, each
            # once, plus the caption's repeated letters
            if 2.0 * (len(letters[i] & own) + len(kc) - len(letters[i])) / (len(kc) + len(ke)) < cutoff:
                continue
            matcher.set_seq1(kc)
            # the quick ratios are upper bounds of the ratio: most pairs are ruled out by them
            if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff:
                r = matcher.ratio()
                if r >= cutoff:
                    pairs.append((r, i, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_c: set[int] = set()
    used_e: set[int] = set()
    out: dict[int, int] = {}
    for r, i, j in pairs:
        if i in used_c or j in used_e:
            continue
        out[i] = j
        used_c.add(i)
        used_e.add(j)
    return out


def _front(doc: Node, kind: str) -> Node | None:
    return next((n for n in doc["blocks"] if n.get("type") == "front_matter" and n.get("kind") == kind), None)


def reconcile_captions(doc: Node, kind: str, node_type: str, qa: list[Node]) -> None:
    """Resolve figure (or table) numbers against the list; record renumbered and missing ones."""
    front = _front(doc, kind)
    nodes = [n for n in iter_nodes(doc["blocks"], items=False) if n.get("type") == node_type and n.get("caption")]
    entries = [e for e in front.get("entries", []) if e.get("number") is not None] if front else []
    mapping = match_titles([n["caption"] for n in nodes], [e.get("caption", "") for e in entries]) if entries else {}
    for i, n in enumerate(nodes):
        j = mapping.get(i)
        if front is not None:
            n["list_entry"] = None if j is None else {"number": entries[j]["number"], "caption": entries[j].get("caption"), "page": entries[j].get("page")}
        if j is not None:
            n["number"] = entries[j]["number"]
    _assign_ids(nodes, "fig" if node_type == "figure" else "tab")
    if front is None:
        return
    label = "figure" if node_type == "figure" else "table"
    for i, n in enumerate(nodes):
        printed = n.get("printed_number", n.get("number"))
        if mapping.get(i) is None:
            qa.append({"kind": f"{label}-unlisted", "id": n["id"], "printed_number": printed,
                       "message": f"{label} caption '{n.get('label')}' has no entry in the list"})
        elif printed != n["number"]:
            qa.append({"kind": f"{label}-renumbered", "id": n["id"], "number": n["number"], "printed_number": printed,
                       "message": f"caption printed as {label} {printed} is {label} {n['number']} in the list ('{n['list_entry']['caption']}')"})
    printed_pages = doc["source"].get("printed_pages") or {}
    for n in nodes:
        listed = (n.get("list_entry") or {}).get("page")
        printed = printed_pages.get(str(n.get("page")))
        if listed is not None and printed is not None and str(listed) != printed:
            qa.append({"kind": f"{label}-page-mismatch", "id": n["id"], "number": n["number"],
                       "message": f"the list of {label}s gives {label} {n['number']} on page {listed}, it is printed on page {printed}"})
    matched = set(mapping.values())
    for j, e in enumerate(entries):
        if j not in matched:
            qa.append({"kind": f"{label}-missing", "number": e["number"], "caption": e.get("caption"), "listed_page": e.get("page"),
                       "message": f"{label} {e['number']} '{e.get('caption')}' is listed but has no caption in the body"})


def _assign_ids(nodes: list[Node], prefix: str) -> None:
    """Stable ids by (resolved) number, unique even where the body printed a number twice."""
    seen: dict[str, int] = {}
    for n in nodes:
        base = f"{prefix}-{n['number']}" if n.get("number") is not None else n["id"]
        seen[base] = seen.get(base, 0) + 1
        n["id"] = base if seen[base] == 1 else f"{base}-{seen[base]}"


def _numbered_through(section: Node) -> bool:
    """Articles (第X條) are numbered on through the whole text, not afresh in each chapter."""
    mk = parse_marker(section["heading"])
    return mk is not None and mk.style == "chapter" and unit_rank(mk.unit) == len(UNITS) - 1


def section_gaps(doc: Node, qa: list[Node]) -> None:
    """Numbering that skips: a chapter whose first section is 參、, a (五) after (三), a 第五條
    after 第三條 (articles count on across chapters, so 第三條 may open 第二章)."""
    articles = 0  # the last article number seen, document-wide

    def check(children: list[Node], parent: Node | None) -> None:
        nonlocal articles
        by_style: dict[str, int] = {}
        for n in children:
            if n.get("type") != "section" or n.get("value") is None:
                continue
            style, value = n["style"], n["value"]
            expected = by_style.get(style, 0) + 1
            if _numbered_through(n):
                expected, articles = articles + 1, value
            if value != expected and value > expected:
                qa.append({"kind": "section-gap", "id": n["id"], "expected": expected, "found": value,
                           "heading": n["heading"],
                           "message": f"'{n['heading']}' follows {'nothing' if expected == 1 else 'number ' + str(expected - 1)} — sections {expected}–{value - 1} are missing (a lost page?)"})
            by_style[style] = value
            check(n["children"], n)

    for n in doc["blocks"]:
        if n.get("type") == "section":
            pass
    check([n for n in doc["blocks"] if n.get("type") == "section"], None)
    for n in doc["blocks"]:
        if n.get("type") == "front_matter":
            check(n["children"], n)


def match_entries(titles: list[str], headings: list[str]) -> dict[int, int]:
    """Contents entry index → heading index. The same title comes back in chapter after chapter
    ("(一) 概述", "小結"), and the list meets those headings in reading order: each entry takes
    the next heading after the one the entry before took — with its title, else one its title
    begins (a heading the list cuts short). An entry that matches nothing ahead (the list out of
    order) takes a heading no other entry took, if one has its title; else it stays unmatched
    (a wrong page finding is worse than none)."""
    keys = [_heading_key(h) for h in headings]
    out: dict[int, int] = {}
    used: set[int] = set()
    pos = 0
    for i, title in enumerate(titles):
        k = _heading_key(title)
        if not k:
            continue
        exact = [j for j, h in enumerate(keys) if h == k]
        begins = [j for j, h in enumerate(keys) if h.startswith(k[:8])]
        ahead = next((j for j in exact if j >= pos), None)
        if ahead is None:
            ahead = next((j for j in begins if j >= pos), None)
        if ahead is not None:
            out[i], pos = ahead, ahead + 1
        else:
            free = next((j for j in exact + begins if j not in used), None)
            if free is None:
                continue
            out[i] = free
        used.add(out[i])
    return out


def _heading_key(title: str) -> str:
    """A heading's title as the contents list prints it: the colon some headings end with goes,
    and the mark after a decimal number ("3-1、資料來源" is listed "3-1資料來源")."""
    return _NUMBER_MARK.sub(r"\1", _key(title)).rstrip(":：")


_NUMBER_MARK = re.compile(r"^(\d+(?:[-.．]\d+)+)[、.．]")


def toc_pages(doc: Node, qa: list[Node]) -> None:
    """Contents entries no heading of the body answers to, and (PDF) those whose page differs
    from the printed page where the heading really is."""
    printed = doc["source"].get("printed_pages") or {}
    front = _front(doc, "contents")
    if front is None:
        return
    sections = [n for n in iter_nodes(doc["blocks"], items=False) if n.get("type") == "section"]
    entries = front.get("entries", [])
    matched = match_entries([e["title"] for e in entries], [n["heading"] for n in sections])
    # the contents list names the front matter too ("圖目錄", "摘要"): those are no headings
    fronts = {_heading_key(n.get("heading") or "") for n in doc["blocks"] if n.get("type") == "front_matter"}
    for i, e in enumerate(entries):
        n = sections[matched[i]] if i in matched else None
        if n is None and _heading_key(e["title"]) not in fronts:
            # renamed in the body, or a heading the extractor did not find: either way a reader
            # of the contents list looks for it in vain
            qa.append({"kind": "toc-entry-unmatched",
                       "message": f"contents lists '{e['title']}' (page {e.get('page')}), but no heading of the body has that title"})
        if n is None or n.get("page") is None or not printed:
            continue
        actual = printed.get(str(n["page"]))
        e["resolved_page"] = actual
        if actual is not None and e.get("page") is not None and str(e["page"]) != actual:
            qa.append({"kind": "toc-page-mismatch", "id": n["id"], "listed_page": e["page"], "printed_page": actual,
                       "message": f"contents lists '{e['title']}' on page {e['page']}, the heading is printed on page {actual}"})


def reconcile_lists(doc: Node) -> Node:
    """Return the document with figure/table numbers resolved and QA findings added."""
    qa: list[Node] = list(doc.get("qa", []))
    reconcile_captions(doc, "figures", "figure", qa)
    reconcile_captions(doc, "tables", "table", qa)
    section_gaps(doc, qa)
    toc_pages(doc, qa)
    uncaptioned = [n for n in iter_nodes(doc["blocks"], items=False) if n.get("type") == "figure" and not n.get("caption")]
    for n in uncaptioned:
        # where it is, so a reader can find the picture the message is about
        where = f"page {n['page']}" if n.get("page") else "no page"
        qa.append({"kind": "figure-uncaptioned", "id": n["id"],
                   "message": f"{n['id']} ({where}): a picture with no caption in the body"})
    return {**doc, "qa": qa}
