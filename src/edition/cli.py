"""The `edition` command: one click group, every command thin over the library.

Each command parses options, calls one library function and turns an :class:`EditionError`
into a one-line ``click.ClickException`` (exit 1). Heavy imports (pdfplumber, spaCy) happen
inside the commands that need them so that `edition lookup` starts fast.
"""

from __future__ import annotations

import json
import sys

import click

from .errors import EditionError


def fail(err: EditionError) -> click.ClickException:
    """One line for the user; tracebacks are for our bugs, not for bad input."""
    return click.ClickException(str(err))


@click.group()
@click.version_option(package_name="edition")
def main() -> None:
    """Build a clean bilingual (zh-Hant / English) edition of a Chinese government report.

    \b
    Example:
      edition build                 # source_docs/ -> output/
      edition lookup 產總研          # look up an institution
    """


# --- glossary commands (lookup, glossary mine/export) -------------------------------------

# --- end glossary commands ----------------------------------------------------------------


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
