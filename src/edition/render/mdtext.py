"""Text → Markdown that GitHub shows as the text, escaped by context.

A backslash is an escape in Markdown only before ASCII punctuation, and only where Markdown reads
escapes: not inside a URL that linkify or an autolink takes, not in a code span. So escaping
every punctuation mark everywhere both over-escapes running text and puts backslashes into
addresses (``http://…/a\\_menu/`` linked to ``a%5C_menu``). Here a character is escaped only
where CommonMark (and GitHub's extensions: tables, strikethrough, autolinks, math) would read it
as markup in that place, and a URL is written as an autolink ``<…>``, ended where the address
ends — never with the 。 or ） of the sentence around it.

Contexts:

* ``inline`` — running text in a paragraph, list item, quote or footnote;
* ``cell`` — a table cell: also ``|``, and a line break is ``<br>``;
* ``link`` — the text of a link (the contents): also ``]``, and URLs stay text (no link in a link);
* ``heading`` — also a closing ``#`` run, which CommonMark would drop.

A text may start a line (``line_start``: the first characters of a block): then what would open
a block there (``#``, ``>``, ``-``, ``1.``, a fence, an indent of four spaces) is escaped too.
References: CommonMark 0.31 (https://spec.commonmark.org/0.31.2/), GFM
(https://github.github.com/gfm/).
"""

from __future__ import annotations

import re
import unicodedata
from html.entities import html5

# Scheme URLs, www. hosts and host/path addresses (linkify links those, and would take the 。 after
# them along); ASCII only: a CJK character or punctuation ends the address.
_URL_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]"
_URL = re.compile(
    rf"(?:(?:https?|ftp)://|(?<![A-Za-z0-9.@/_-])www\.){_URL_CHARS}+"
    rf"|(?<![A-Za-z0-9.@/_-])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{{2,}}/{_URL_CHARS}*"
)
_SCHEME = re.compile(r"(?:https?|ftp)://")
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])")
# what a sentence puts after an address, not part of it
_URL_TAIL = ".,;:!?'\"*_~"
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|([A-Za-z][A-Za-z0-9]{0,31}));")
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# Characters that may open markup wherever they stand.
_ALWAYS = frozenset("`[$")
# Characters that open markup only as a delimiter run (emphasis, strikethrough).
_FLANKING = frozenset("*_~")
_BLOCK_START = re.compile(
    r"^(?:"
    r"#{1,6}(?=[ \t]|$)"  # ATX heading
    r"|[>]"  # block quote
    r"|[-+*](?=[ \t]|$)"  # bullet list item
    r"|[-*_=](?:[ \t]*[-*_=]){2,}[ \t]*$"  # thematic break or setext underline
    r"|[=-]+[ \t]*$"  # setext underline under a paragraph line
    r"|\d{1,9}[.)](?=[ \t]|$)"  # ordered list item
    r"|[`~]{3,}"  # fence
    r")"
)


def _is_space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def _is_punct(ch: str) -> bool:
    # CommonMark: ASCII punctuation and Unicode P* and S* categories
    return ch in _ASCII_PUNCT or (ch != "" and unicodedata.category(ch)[0] in "PS")


def _may_delimit(prev: str, nxt: str) -> bool:
    """Could a ``*``/``_``/``~`` between these neighbours open or close emphasis? ``""`` is an
    unknown neighbour (the edge of this piece of text): assumed to be whatever makes it a delimiter."""
    if prev == "" or nxt == "":
        return True
    left = not _is_space(nxt) and (not _is_punct(nxt) or _is_space(prev) or _is_punct(prev))
    right = not _is_space(prev) and (not _is_punct(prev) or _is_space(nxt) or _is_punct(nxt))
    return left or right


def _may_delimit_underscore(prev: str, nxt: str) -> bool:
    """``_`` inside a word (letters or CJK on both sides) can neither open nor close emphasis."""
    if prev and nxt and not _is_space(prev) and not _is_space(nxt) and not _is_punct(prev) and not _is_punct(nxt):
        return False
    return _may_delimit(prev, nxt)


# every character _escape_run may escape
_MARKUP = re.compile("[" + re.escape("\\_<&]|!" + "".join(sorted(_ALWAYS | _FLANKING))) + "]")


def _escape_run(text: str, context: str, multiline: bool = False) -> str:
    """Escape the characters of a stretch of plain text (no URL in it) that would be markup here
    (``multiline``: the text has more lines, so a ``|`` could make a table with the next)."""
    if _MARKUP.search(text) is None:
        return text  # most of a Chinese report: nothing that could be markup
    out = []
    n = len(text)
    for i, ch in enumerate(text):
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < n else ""
        esc = False
        if ch == "\\":
            # a backslash is printed as is unless punctuation follows (or may follow: the edge)
            esc = nxt == "" or nxt in _ASCII_PUNCT
        elif ch in _ALWAYS:
            esc = True
        elif ch == "_":
            esc = _may_delimit_underscore(prev, nxt)
        elif ch in _FLANKING:
            esc = _may_delimit(prev, nxt)
        elif ch == "<":
            esc = nxt == "" or nxt.isascii() and (nxt.isalpha() or nxt in "/!?")  # a tag, an autolink
        elif ch == "&":
            # only a reference Markdown would decode: a number, or a name HTML knows (not R&D;)
            m = _ENTITY.match(text, i)
            esc = bool(m) and (m.group(1) is None or f"{m.group(1)};" in html5)
        elif ch == "]":
            esc = context == "link"
        elif ch == "|":
            esc = context == "cell" or multiline
        elif ch == "!":
            esc = nxt == ""  # an image if a link follows (a note reference put after this text)
        out.append("\\" + ch if esc else ch)
    return "".join(out)


def _end_of_url(url: str) -> str:
    """The address without what the sentence put after it: a full stop, a comma, a closing
    bracket that opens nowhere in the address."""
    while url:
        last = url[-1]
        if last in _URL_TAIL:
            url = url[:-1]
        elif last == ")" and url.count("(") < url.count(")"):
            url = url[:-1]
        elif last == "]" and url.count("[") < url.count("]"):
            url = url[:-1]
        else:
            break
    return url


def split_urls(text: str) -> list[tuple[str, str]]:
    """``text`` cut into ("text", …), ("url", …) and ("email", …) pieces, in order."""
    out: list[tuple[str, str]] = []
    if "/" not in text and "www." not in text:  # every address has one: most paragraphs are read past at once
        return _emails(text)
    pos = 0
    for m in _URL.finditer(text):
        url = _end_of_url(m.group())
        if "." not in url.split("//", 1)[-1]:
            continue
        out += _emails(text[pos : m.start()])
        out.append(("url", url))
        pos = m.start() + len(url)
    return out + _emails(text[pos:])


def _emails(text: str) -> list[tuple[str, str]]:
    if "@" not in text:
        return [("text", text)] if text else []
    out: list[tuple[str, str]] = []
    pos = 0
    for m in _EMAIL.finditer(text):
        if m.start() > pos:
            out.append(("text", text[pos : m.start()]))
        out.append(("email", m.group()))
        pos = m.end()
    if pos < len(text):
        out.append(("text", text[pos:]))
    return out


def url_href(kind: str, s: str) -> str:
    """Where an address from :func:`split_urls` leads: itself, ``http://`` before a host
    without a scheme, ``mailto:`` before an e-mail address."""
    if kind == "email":
        return f"mailto:{s}"
    return s if _SCHEME.match(s) else f"http://{s}"


def _link(kind: str, s: str) -> str:
    """A URL or e-mail address as GitHub should link it, its text as printed."""
    if kind == "url" and not _SCHEME.match(s):
        # an autolink needs a scheme; written as a link the printed text stays as it was
        return f"[{_escape_run(s, 'link')}](<http://{s}>)"
    return f"<{s}>"


def escape(text: str | None, context: str = "inline", line_start: bool = False) -> str:
    """``text`` as Markdown that shows exactly it in ``context`` (see the module docstring).

    A line break inside the text stays a line break (every line then starts a line, so is
    escaped as such) except in a cell or link, where it is ``<br>``, and in a heading (one line),
    where it is a space; blank lines, which would end the
    block, close up. Leading white space of a line is dropped: Markdown does not show it, and
    four spaces would make the line code.
    """
    if not text:
        return ""
    lines = [ln for ln in text.split("\n") if ln.strip()] or [""]
    out = []
    for k, line in enumerate(lines):
        starts = line_start or k > 0
        body = line.lstrip() if starts else line
        if k > 0 or line_start:
            body = body.rstrip() if k < len(lines) - 1 else body
        if context == "link":  # no link inside a link: an address is text there
            piece = _escape_run(body, context, len(lines) > 1)
        else:
            piece = "".join(_escape_run(s, context, len(lines) > 1) if kind == "text" else _link(kind, s)
                            for kind, s in split_urls(body))
        if starts and piece and not piece.startswith("\\"):
            if _BLOCK_START.match(piece):
                # the escape goes before the character that opens the block (a digit is no
                # punctuation: "1." is kept from a list by escaping its dot)
                at = len(piece) - len(piece.lstrip("0123456789"))
                piece = piece[:at] + "\\" + piece[at:]
        out.append(piece)
    if context == "heading" and out:
        out[-1] = re.sub(r"(\s)(#+)\s*$", lambda m: m.group(1) + "\\" + m.group(2), out[-1])
    sep = {"cell": "<br>", "link": "<br>", "heading": " "}.get(context, "\n")  # a heading is one line
    return sep.join(out)
