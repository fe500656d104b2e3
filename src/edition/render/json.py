"""The document → canonical JSON text (sorted keys, UTF-8, trailing newline): byte-identical on rebuild."""

from __future__ import annotations

import json

from ..errors import ValidationFailed
from ..model import Node
from ..schema import document_errors


def document_to_json(doc: Node, label: str = "document") -> str:
    """Validate against the schema, then serialise. An invalid document is never written."""
    errors = document_errors(doc, label)
    if errors:
        raise ValidationFailed(errors)
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
