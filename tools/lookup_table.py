"""Print the README's lookup table: every query of tests/fixtures/glossary/lookup-queries.yaml,
the top answer `edition lookup` gives with the real glossary, how it matched, and whether it is
the expected entry.

    .venv/bin/python tools/lookup_table.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from edition.glossary.lookup import find_entries  # noqa: E402
from edition.glossary.termbase import load_termbase  # noqa: E402


def main() -> int:
    termbase = load_termbase(ROOT / "glossary")
    rows = yaml.safe_load((ROOT / "tests" / "fixtures" / "glossary" / "lookup-queries.yaml").read_text(encoding="utf-8"))["queries"]
    print("| # | kind | query | top answer | how | right? |")
    print("|---|---|---|---|---|---|")
    right = 0
    for n, row in enumerate(rows, 1):
        matches = find_entries(row["query"], termbase)
        top = matches[0] if matches else None
        ok = (top.entry.id if top else None) == row["expect"]
        right += ok
        answer = f"{top.entry.zh} · {top.entry.en} (`{top.entry.id}`)" if top else "no entry (exit 1)"
        how = top.how if top else "—"
        verdict = ("yes" if ok else "**no**") + (f" — {row['why']}" if row.get("why") else "")
        print(f"| {n} | {row['kind']} | `{row['query']}` | {answer} | {how} | {verdict} |")
    print(f"\n{right} of {len(rows)} as expected.")
    return 0 if right == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
