"""The document → canonical JSON text (UTF-8, trailing newline): byte-identical on rebuild.

Keys are sorted so that a rebuild gives the same bytes, with two exceptions for the reader:
the document opens with ``schema_version``, ``source`` and ``metadata`` (not after a megabyte of
blocks), and keys that are numbers (``printed_pages``: physical page → printed page) sort as
numbers, 9 before 10.
"""

from __future__ import annotations

from json.encoder import encode_basestring
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
    return dumps(document_order(doc)) + "\n"


_INFINITY = float("inf")


def dumps(value: Any) -> str:
    """What ``json.dumps(value, ensure_ascii=False, indent=1)`` writes, character for character,
    in half the time: the standard library indents with a generator per container in Python (its
    C encoder cannot indent); this appends the pieces to one list, as the generators yield them."""
    out: list[str] = []
    _write(value, "\n", out)
    return "".join(out)


def _write(value: Any, newline: str, out: list[str]) -> None:
    """``value``'s JSON appended to ``out``; ``newline`` is the line break and indent its items
    are written after, less one space."""
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float(value))
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = newline + " "
        separator = "," + inner
        out.append("[" + inner)
        for k, item in enumerate(value):
            if k:
                out.append(separator)
            if type(item) is str:  # most items: written here rather than through a call
                out.append(encode_basestring(item))
            else:
                _write(item, inner, out)
        out.append(newline + "]")
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + " "
        separator = "," + inner
        out.append("{" + inner)
        for k, (key, item) in enumerate(value.items()):
            if k:
                out.append(separator)
            out.append(encode_basestring(_key(key)) + ": ")
            if type(item) is str:
                out.append(encode_basestring(item))
            else:
                _write(item, inner, out)
        out.append(newline + "}")
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def _key(key: Any) -> str:
    """A mapping's key as JSON writes it: a string, or a number, true, false or null as text."""
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _float(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
