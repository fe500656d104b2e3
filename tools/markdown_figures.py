"""Print how GitHub reads Markdown editions: code blocks, broken links, visible escapes,
footnotes without a reference or definition, empty headings (tests/markdown_check.py counts them).

    .venv/bin/python tools/markdown_figures.py output/*.zh-en.md [--verbose]

Exit status 1 when any figure is not 0.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from markdown_check import MarkdownFigures, check_markdown  # noqa: E402

COLUMNS = {"code_blocks": "code blocks", "broken_links": "broken links", "visible_escapes": "visible \\",
           "footnotes_undefined": "notes undefined", "footnotes_unreferenced": "notes unreferenced",
           "footnotes_defined_twice": "notes defined twice", "footnotes_referenced_twice": "notes referenced twice",
           "empty_headings": "empty headings"}


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv
    paths = [Path(a) for a in argv if a != "--verbose"]
    if not paths:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    print("| document | " + " | ".join(COLUMNS.values()) + " | links | footnotes | images |")
    print("|---|" + "---|" * (len(COLUMNS) + 3))
    bad = 0
    for p in paths:
        fig: MarkdownFigures = check_markdown(p.read_text(encoding="utf-8"))
        bad += fig.total
        name = p.name.removesuffix(".zh-en.md")
        print(f"| {name} | " + " | ".join(str(getattr(fig, k)) for k in COLUMNS) + f" | {fig.links} | {fig.footnotes} | {fig.images} |")
        if verbose:
            for line in fig.problems:
                print(f"    {name}: {line}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
