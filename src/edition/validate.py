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
    """A translation memory (``*.zh-en.yaml``, or a file with ``segments:``), the character map
    (``charmap.yaml``) or a glossary termbase — each through its own loader, so ``validate``
    reports exactly what the build would: file, line, YAML path, what to do."""
    from .glossary.termbase import CHARMAP_FILENAME
    from .yamlfile import load_yaml

    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return [f"{p}: not UTF-8 ({exc.reason} at byte {exc.start}) — save it as UTF-8"]
    try:
        data = load_yaml(text, p)
        if p.name.endswith(".zh-en.yaml") or (isinstance(data, dict) and "segments" in data):
            from .translate.memory import load_memory

            load_memory(p)
        elif p.name == CHARMAP_FILENAME:
            from .glossary.normalise import load_charmap

            load_charmap(p)
        else:
            from .glossary.termbase import load_termbase

            load_termbase(p, validate=True)
    except EditionError as err:
        return [str(err)]
    return []
