"""Reading the hand-edited YAML files (glossary, character map, translation memory).

One loader for all of them, so each gets the same treatment:

- libyaml (``CSafeLoader``) when it is installed: the termbase loads in milliseconds, which
  ``edition lookup`` needs;
- a key given twice in one mapping is an error. PyYAML keeps the last one without a word, which
  in a reviewed file silently drops a translator's line (two ``en:`` in one segment);
- a syntax error is one line naming the file, the line and the YAML path the parser had reached:
  ``glossary/institutions.yaml:21: YAML syntax error: … near entries[1].en — fix the syntax``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import yaml

from .errors import DataFileError

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A mapping holds the same key twice."""

    def __init__(self, key: str, first_line: int, mapping_mark: yaml.Mark, key_mark: yaml.Mark):
        super().__init__("while constructing a mapping", mapping_mark, f"found duplicate key {key!r}", key_mark)
        self.key = key
        self.first_line = first_line


def _refuse_duplicates(node: yaml.MappingNode) -> None:
    """Raise :class:`DuplicateKeyError` at the second of two equal keys of a mapping."""
    seen: dict[tuple[str, str], int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            continue
        ident = (key_node.tag, key_node.value)
        if ident in seen:
            raise DuplicateKeyError(key_node.value, seen[ident], node.start_mark, key_node.start_mark)
        seen[ident] = key_node.start_mark.line + 1


class StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, refusing duplicate keys."""

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict:
        if isinstance(node, yaml.MappingNode):
            _refuse_duplicates(node)
        return super().construct_mapping(node, deep=deep)


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
# scalars the safe constructor makes at once (no generator, nothing left for later)
_SCALARS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("null", "bool", "int", "float", "binary", "timestamp"))
_SPECIAL_KEYS = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")


class _Unusual(Exception):
    """A node :func:`_construct` leaves to PyYAML's constructor for the whole document."""


def _construct(loader: StrictLoader, root: yaml.Node) -> Any:
    """What ``loader.construct_document(root)`` makes of a plain document — strings, lists and
    mappings, other scalars made by the loader itself — in a third of the time: PyYAML makes
    each node through a generator and a round of bookkeeping. Containers are filled in the order
    PyYAML fills them (breadth first), so a file with two duplicate keys is refused at the same
    one; a node of any other kind (a merge key, a set, a complex key) raises :class:`_Unusual`."""
    pending: list[tuple[yaml.Node, Any]] = []
    made: dict[yaml.Node, Any] = {}  # an anchored node used again is one object, as PyYAML makes it

    def make(node: yaml.Node) -> Any:
        tag = node.tag
        if tag == _STR and isinstance(node, yaml.ScalarNode):
            return node.value
        if node in made:
            return made[node]
        if tag in _SCALARS and isinstance(node, yaml.ScalarNode):
            value = made[node] = loader.construct_object(node)
        elif tag == _SEQ and isinstance(node, yaml.SequenceNode):
            value = made[node] = []
            pending.append((node, value))
        elif tag == _MAP and isinstance(node, yaml.MappingNode):
            value = made[node] = {}
            pending.append((node, value))
        else:
            raise _Unusual
        return value

    data = make(root)
    k = 0
    while k < len(pending):
        node, value = pending[k]
        k += 1
        if isinstance(value, list):
            value.extend([make(child) for child in node.value])
            continue
        _refuse_duplicates(node)
        if any(key.tag in _SPECIAL_KEYS or not isinstance(key, yaml.ScalarNode) for key, _ in node.value):
            raise _Unusual  # merge keys, value keys, complex keys: PyYAML's rules
        for key_node, value_node in node.value:
            value[make(key_node)] = make(value_node)
    return data


def _load(text: str) -> Any:
    """``yaml.load(text, Loader=StrictLoader)``, a plain document made by :func:`_construct`."""
    loader = StrictLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        try:
            return _construct(loader, root)
        except _Unusual:
            return loader.construct_document(root)
    finally:
        loader.dispose()


def load_yaml(text: str, file: str | Path) -> Any:
    """Parse YAML text read from ``file``; raise :class:`DataFileError` with one line on any error."""
    try:
        return _load(text)
    except DuplicateKeyError as exc:
        line = exc.problem_mark.line + 1
        where = format_yaml_path(yaml_path_at(text, exc.problem_mark)[:-1] + [exc.key])
        raise DataFileError(
            f"{file}:{line}: {where}: key {exc.key!r} given twice (first at line {exc.first_line}) — keep one"
        ) from None
    except yaml.MarkedYAMLError as exc:
        raise DataFileError(describe_syntax_error(exc, text, file)) from None
    except yaml.YAMLError as exc:  # e.g. a reader error on a control character, without a mark
        raise DataFileError(f"{file}:1: YAML error: {' '.join(str(exc).split())} — fix the file") from None


def describe_syntax_error(exc: yaml.MarkedYAMLError, text: str, file: str | Path) -> str:
    """``file:line: YAML syntax error: problem (context at line n) near a.b[2] — fix the syntax``."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    problem = " ".join(str(exc.problem or exc.context or "syntax error").split())
    context = ""
    # libyaml names what it was reading and where that began ("while scanning a quoted scalar"):
    # for an unclosed quote that start, not the end of the file, is where the fix goes.
    if exc.context and exc.context_mark and mark and exc.context_mark.line != mark.line:
        context = f" ({' '.join(exc.context.split())} at line {exc.context_mark.line + 1})"
    path = format_yaml_path(yaml_path_at(text, mark)) if mark else ""
    near = f" near {path}" if path else ""
    return f"{file}:{line}: YAML syntax error: {problem}{context}{near} — fix the syntax"


def yaml_path_at(text: str, mark: yaml.Mark) -> list[Any]:
    """The YAML path (keys and indexes) the parser had reached at ``mark``: the last key read in
    each open mapping, the current item of each open sequence. Works on a broken file: the event
    stream is read up to the mark or the error, whichever comes first."""
    stack: list[list[Any]] = []  # [kind, key or index, expecting a key?]
    end = (mark.line, mark.column)
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if (event.start_mark.line, event.start_mark.column) >= end:
                break
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
                continue
            if not isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                continue
            if stack:
                top = stack[-1]
                if top[0] == "seq":
                    top[1] += 1
                elif top[2]:
                    top[1] = event.value if isinstance(event, yaml.ScalarEvent) else "?"
                    top[2] = False
                else:
                    top[2] = True
            if isinstance(event, yaml.MappingStartEvent):
                stack.append(["map", None, True])
            elif isinstance(event, yaml.SequenceStartEvent):
                stack.append(["seq", -1, False])
    except yaml.YAMLError:
        pass
    return [pos for kind, pos, _ in stack if pos is not None and pos != -1]


def format_yaml_path(path: Sequence[Any]) -> str:
    """['entries', 37, 'variants', 2, 'kind'] → 'entries[37].variants[2].kind'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def yaml_line(node: yaml.Node | None, path: Sequence[Any]) -> int:
    """1-based line of the node at ``path`` in a composed YAML tree (the deepest one that exists)."""
    if node is None:
        return 1
    line = node.start_mark.line + 1
    for part in path:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == part:
                    child = value
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        if child is None:
            break
        node = child
        line = node.start_mark.line + 1
    return line


def compose_yaml(text: str) -> yaml.Node | None:
    """The node tree with line marks, for error messages only (the loaders don't need it)."""
    try:
        return yaml.compose(text, Loader=_BaseLoader)
    except yaml.YAMLError:
        return None
