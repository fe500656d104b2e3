"""How GitHub reads a Markdown edition: parsed with markdown-it-py as GitHub parses it
(``gfm-like``: CommonMark, tables, strikethrough, linkify; plus footnotes), then counted for
what a reader would see go wrong.

- **code blocks** — a stretch shown as code (a line starting with 4 spaces or a tab, or a
  fence): the edition never means one;
- **broken links** — a link whose address holds a backslash (an escape linkify took for part
  of the URL) or ends in CJK punctuation (。，）… swallowed from the sentence around it);
- **visible escapes** — a backslash the reader sees before ASCII punctuation (``\\_``, ``\\>``):
  markup that was escaped where escapes are not read (a URL, a code span, an attribute);
- **footnotes** — a reference with no definition (shown as literal ``[^x]``), a definition no
  reference points to (GitHub drops it: the note is lost), a label defined or referenced twice;
- **empty headings** — a heading with no text, or one side of its "中文 · English" empty.

Used by the tests (``tests/test_markdown_github.py``) and by ``tools/markdown_figures.py``,
which prints the figures for any edition.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

# Punctuation a CJK sentence puts right after a URL; an address never ends in it.
CJK_TRAILING = "。，、；：！？）」』】》〉"
_VISIBLE_ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")


def github_parser() -> MarkdownIt:
    """markdown-it-py set up as GitHub reads Markdown (linkify needs linkify-it-py)."""
    return MarkdownIt("gfm-like").use(footnote_plugin)


@dataclass
class MarkdownFigures:
    """What a reader would see go wrong in one Markdown file; ``problems`` says where."""

    code_blocks: int = 0
    broken_links: int = 0
    visible_escapes: int = 0
    footnotes_undefined: int = 0
    footnotes_unreferenced: int = 0
    footnotes_defined_twice: int = 0
    footnotes_referenced_twice: int = 0
    empty_headings: int = 0
    links: int = 0
    footnotes: int = 0
    images: int = 0
    problems: list[str] = field(default_factory=list)

    FAULTS = ("code_blocks", "broken_links", "visible_escapes", "footnotes_undefined", "footnotes_unreferenced",
              "footnotes_defined_twice", "footnotes_referenced_twice", "empty_headings")

    @property
    def faults(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in self.FAULTS}

    @property
    def total(self) -> int:
        return sum(self.faults.values())


def _walk(tokens):
    for t in tokens:
        yield t
        if t.children:
            yield from _walk(t.children)


def _line(t) -> str:
    return f"line {t.map[0] + 1}" if t.map else "inline"


def _visible_text(inline) -> str:
    """The text of an inline token as a reader sees it (text, code spans, link text)."""
    return "".join(c.content for c in _walk(inline.children or []) if c.type in ("text", "code_inline"))


def broken_href(href: str) -> bool:
    """A link address that cannot be what the author meant."""
    from urllib.parse import unquote

    raw = unquote(href)
    return "\\" in raw or raw[-1:] in CJK_TRAILING or raw[-1:] in ".,;:!?"


def _footnote_definitions(markdown: str) -> Counter:
    """Definition labels as written at line starts (markdown-it keeps only the first of two)."""
    return Counter(m.group(1) for m in re.finditer(r"(?m)^ {0,3}\[\^([^\]\s]+)\]:", markdown))


def check_markdown(markdown: str) -> MarkdownFigures:
    """Parse ``markdown`` as GitHub does and count what a reader would see go wrong."""
    md = github_parser()
    env: dict = {}
    tokens = md.parse(markdown, env)
    fig = MarkdownFigures()
    refs: Counter = Counter()
    in_notes = False
    for i, t in enumerate(tokens):
        if t.type in ("code_block", "fence"):
            fig.code_blocks += 1
            fig.problems.append(f"{_line(t)}: shown as code: {t.content.strip()[:60]!r}")
        elif t.type == "footnote_block_open":
            in_notes = True
        elif t.type == "heading_open":
            text = _visible_text(tokens[i + 1]).strip()
            parts = [p.strip() for p in text.split(" · ")] if " · " in text else [text]
            if not text or not all(parts):
                fig.empty_headings += 1
                fig.problems.append(f"{_line(t)}: empty heading {text!r}")
        if t.type != "inline":
            continue
        for c in _walk(t.children or []):
            if c.type == "link_open":
                fig.links += 1
                href = c.attrs.get("href", "")
                if broken_href(str(href)):
                    fig.broken_links += 1
                    fig.problems.append(f"{_line(t)}: link to a wrong address {href!r}")
            elif c.type == "image":
                fig.images += 1
            elif c.type == "footnote_ref":
                refs[c.meta["label"]] += 1
            elif c.type in ("text", "code_inline", "link_open") or c.type == "image":
                pass
        shown = _visible_text(t)
        for m in _VISIBLE_ESCAPE.finditer(shown):
            fig.visible_escapes += 1
            fig.problems.append(f"{_line(t)}: a visible backslash {shown[max(0, m.start() - 20):m.end() + 20]!r}")
        if not in_notes and re.search(r"\[\^[^\]\s]+\]", shown):
            for m in re.finditer(r"\[\^([^\]\s]+)\]", shown):
                fig.footnotes_undefined += 1
                fig.problems.append(f"{_line(t)}: footnote reference [^{m.group(1)}] has no definition (shown as text)")
    defined = _footnote_definitions(markdown)
    fig.footnotes = len(defined)
    for label, n in sorted(defined.items()):
        if n > 1:
            fig.footnotes_defined_twice += 1
            fig.problems.append(f"footnote [^{label}] defined {n} times (only the first is shown)")
        if refs[label] == 0:
            fig.footnotes_unreferenced += 1
            fig.problems.append(f"footnote [^{label}] is never referenced (GitHub does not show it)")
        elif refs[label] > 1:
            fig.footnotes_referenced_twice += 1
            fig.problems.append(f"footnote [^{label}] referenced {refs[label]} times")
    return fig
