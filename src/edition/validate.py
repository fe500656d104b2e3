"""Validate a file of any of the project's kinds, by its name: document JSON, glossary or memory YAML."""

from __future__ import annotations

import json
from pathlib import Path

from .errors import EditionError
from .schema import document_errors


def validate_file(path: str) -> list[str]:
    """One line per problem (empty: valid). Never raises for bad input."""
    p = Path(path)
    if not p.is_file():
        return [f"{p}: no such file — check the path"]
    if p.suffix.lower() in (".yaml", ".yml"):
        return _validate_yaml(p)
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return [f"{p}: not UTF-8 text — is this a document JSON?"]
    except json.JSONDecodeError as exc:
        return [f"{p}:{exc.lineno}: not valid JSON ({exc.msg}) — regenerate it with `edition extract`"]
    return document_errors(doc, str(p))


def _validate_yaml(p: Path) -> list[str]:
    """Glossary termbases and translation memories, told apart by their top-level key."""
    import yaml

    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        return [f"{p}{where}: YAML syntax error ({getattr(exc, 'problem', exc)}) — fix the file"]
    try:
        if isinstance(data, dict) and "segments" in data:
            from .translate.memory import load_memory

            load_memory(p)
        else:
            from .glossary.termbase import load_termbase

            load_termbase(p)
    except EditionError as err:
        return [str(err)]
    return []
