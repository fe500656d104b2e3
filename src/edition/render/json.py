"""The document → canonical JSON text (UTF-8, trailing newline): byte-identical on rebuild.

Keys are sorted so that a rebuild gives the same bytes, with two exceptions for the reader:
the document opens with ``schema_version``, ``source`` and ``metadata`` (not after a megabyte of
blocks), and keys that are numbers (``printed_pages``: physical page → printed page) sort as
numbers, 9 before 10.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import ValidationFailed
from ..model import Node
from ..schema import document_errors

HEAD = ("schema_version", "source", "metadata")


def _key_order(key: str) -> tuple:
    # numbers first, by value; then every other key alphabetically
    return (0, int(key), "") if key.isdigit() else (1, 0, key)


def canonical(value: Any) -> Any:
    """The same value with every mapping's keys in canonical order (see the module's docstring)."""
    if isinstance(value, dict):
        return {k: canonical(value[k]) for k in sorted(value, key=_key_order)}
    if isinstance(value, list):
        return [canonical(v) for v in value]
    return value


def document_order(doc: Node) -> Node:
    """The document's top-level keys: schema_version, source, metadata, then the rest sorted."""
    body = canonical(doc)
    head = {k: body[k] for k in HEAD if k in body}
    return {**head, **{k: v for k, v in body.items() if k not in head}}


def document_to_json(doc: Node, label: str = "document") -> str:
    """Validate against the schema, then serialise. An invalid document is never written."""
    errors = document_errors(doc, label)
    if errors:
        raise ValidationFailed(errors)
    return json.dumps(document_order(doc), ensure_ascii=False, indent=1) + "\n"
