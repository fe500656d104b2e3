"""The institution termbase: YAML files under ``glossary/`` → one frozen :class:`Termbase`.

Loading is cheap on purpose (``edition lookup`` must start in well under 0.3 s): the YAML is
parsed with libyaml and turned into dataclasses without jsonschema. The JSON Schema
(``schema/glossary.schema.json``) is applied when ``validate=True`` (``edition glossary check``,
the build), and also whenever the fast path meets a malformed entry, so a bad file always ends
in the schema's one-line message rather than a traceback. Cross-file conflicts (duplicate id,
one form in two entries, unknown parent) are checked on every load: they are plain dict work.
English names (``en`` and ``english`` variants) are the exception: two bodies may share one
("College of Law" of two universities), so they are recorded in ``shared_forms`` instead.

Line numbers are only needed for error messages, so the YAML is *composed* (node tree with
marks) only once an error has been found.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import yaml

from ..errors import DataFileError
from ..yamlfile import format_yaml_path, load_yaml, yaml_line

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "glossary.schema.json"
# Termbases that ship with the package: a workspace names them as layers ("edition:technical"),
# and the character map every termbase falls back on.
PACKAGED_DIR = Path(__file__).resolve().parent.parent / "termbases"
PACKAGED_PREFIX = "edition:"
# charmap.yaml and mine-reviewed.yaml share the glossary directory but are not termbase files
# (see charmap.py and mine.py).
CHARMAP_FILENAME = "charmap.yaml"
REVIEWED_FILENAME = "mine-reviewed.yaml"
NOT_TERMBASE_FILES = frozenset({CHARMAP_FILENAME, REVIEWED_FILENAME})

# Roles whose forms may repeat across entries: English names are translations, not identifiers
# (two universities' "College of Law"; a unit renamed in Chinese but not in English).
ENGLISH_ROLES = frozenset({"en", "english"})

# Variant kinds the normaliser rewrites to the canonical zh: true spelling variants only. The
# others stay as written; paraphrase must never join them (another wording is what the author wrote).
UNIFIED_KINDS = frozenset({"shinjitai", "simplified", "ocr", "alternative"})

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Variant:
    """A non-canonical spelling of an entry."""

    form: str
    """The spelling as it appears in the report."""
    kind: str
    """Why it differs: shinjitai, simplified, ocr, alternative, abbreviation, short, english, full, paraphrase."""


@dataclass(frozen=True)
class Entry:
    """One institution and every name the report gives it."""

    id: str
    """Stable lowercase id, unique across the glossary."""
    type: str
    """ministry, agency, council, university, unit, foundation, company, programme, law, ... (schema enum)."""
    zh: str
    """Canonical Traditional Chinese (Taiwan) name."""
    ja: str | None
    """Official Japanese name, if any."""
    en: str
    """English name."""
    abbr: tuple[str, ...] = ()
    """Abbreviations (AIST, CRIS), kept as written."""
    variants: tuple[Variant, ...] = ()
    """Other spellings with their kind."""
    parent: str | None = None
    """Id of the parent body, or None."""
    source: str | None = None
    """'official' or 'report' — where the names come from."""
    note: str | None = None
    """Free text for translators."""
    layer: str = field(default="", compare=False)
    """The termbase layer it comes from ("edition:technical", "glossary"; see :func:`load_layers`)."""

    def forms(self) -> tuple[tuple[str, str], ...]:
        """Every (form, role) pair: role is 'zh', 'ja', 'en', 'abbr' or the variant kind."""
        pairs = [(self.zh, "zh")]
        if self.ja:
            pairs.append((self.ja, "ja"))
        pairs.append((self.en, "en"))
        pairs += [(a, "abbr") for a in self.abbr]
        pairs += [(v.form, v.kind) for v in self.variants]
        return tuple(pairs)


@dataclass(frozen=True)
class FormRef:
    """Where a form belongs: entry id, the form as written and its role (see :meth:`Entry.forms`)."""

    entry_id: str
    form: str
    role: str


@dataclass(frozen=True)
class Termbase:
    """All entries of a glossary directory plus lookup indexes."""

    entries: tuple[Entry, ...]
    """Entries in file order (files sorted by name)."""
    version: str
    """sha256 of the glossary files (see :func:`termbase_version`); a cache key."""
    root: Path | None = None
    """Directory the files came from (for charmap.yaml next to them), or None."""
    files: tuple[Path, ...] = ()
    """The termbase files read, in order."""
    by_id: Mapping[str, Entry] = field(default_factory=dict, compare=False, repr=False)
    """id → entry."""
    by_form: Mapping[str, FormRef] = field(default_factory=dict, compare=False, repr=False)
    """:func:`form_key` of every form → where it belongs (the first entry, for a shared English name)."""
    shared_forms: frozenset[str] = frozenset()
    """Keys of English names that several entries share ("College of Law"); not matched in text."""
    layers: tuple["Layer", ...] = ()
    """The layers stacked, lowest first (one for a termbase read from one path)."""
    shadowed: frozenset[tuple[str, str]] = frozenset()
    """(entry id, form key) of forms a higher layer's entry took over: not matched for that entry."""
    overrides: tuple[str, ...] = ()
    """One line per entry or form a higher layer overrides ("id 'cnn' of edition:technical by glossary")."""
    charmap_path: Path | None = None
    """The charmap.yaml this termbase normalises with (see :func:`charmap_file`)."""

    def entry(self, entry_id: str) -> Entry:
        """The entry with this id (KeyError if none)."""
        return self.by_id[entry_id]


def form_key(form: str) -> str:
    """The comparison key for conflicts: NFKC, all whitespace removed, casefolded."""
    text = unicodedata.normalize("NFKC", form)
    return "".join(text.split()).casefold()


def default_glossary_dir() -> Path:
    """./glossary when the current directory has one, else the repository's glossary/ next to src/."""
    here = Path("glossary")  # relative, so messages read glossary/institutions.yaml:412
    if here.is_dir():
        return here
    # src/edition/glossary/termbase.py → parents[3] is the repository root in a src layout.
    return Path(__file__).resolve().parents[3] / "glossary"


def termbase_files(path_or_dir: str | Path) -> list[Path]:
    """The termbase YAML files: the file itself, or every *.yaml in the directory except charmap.yaml
    and mine-reviewed.yaml, sorted."""
    path = Path(path_or_dir)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise DataFileError(f"{path}: glossary not found — pass --glossary DIR or create glossary/")
    files = sorted(p for p in path.glob("*.yaml") if p.name not in NOT_TERMBASE_FILES)
    if not files:
        raise DataFileError(f"{path}: no *.yaml termbase files — add one (see glossary.schema.json)")
    return files


@dataclass(frozen=True)
class Layer:
    """One termbase layer: its name as edition.toml gives it, where it is, what it holds."""

    name: str
    path: Path
    files: tuple[Path, ...]
    entries: int
    packaged: bool = False


def charmap_file(*dirs: Path | None) -> Path | None:
    """The charmap.yaml to use: the first of ``dirs`` that holds one, else the packaged one."""
    for d in dirs:
        if d is not None and (d / CHARMAP_FILENAME).is_file():
            return d / CHARMAP_FILENAME
    packaged = PACKAGED_DIR / CHARMAP_FILENAME
    return packaged if packaged.is_file() else None


def termbase_version(path_or_dir: str | Path) -> str:
    """sha256 over the names and bytes of every *.yaml in the glossary (charmap.yaml included).

    Anything that changes how the text is normalised or matched changes the version, so it is a
    safe cache key for the matcher and for normalised output.
    """
    path = Path(path_or_dir)
    files = [path] if path.is_file() else sorted(path.glob("*.yaml"))
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.name.encode("utf-8") + b"\0")
        digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()


def load_termbase(path_or_dir: str | Path, *, validate: bool = False) -> Termbase:
    """Read a glossary file or directory into a :class:`Termbase`.

    ``validate=True`` checks every file against the JSON Schema first (imports jsonschema);
    without it the schema is applied only if an entry turns out malformed. Conflicts are always
    checked. Raises :class:`DataFileError` with one line ``file:line: yaml.path: problem — fix``.
    """
    return load_layers([path_or_dir], validate=validate)


def resolve_layer(spec: str | Path, base: Path | None = None) -> tuple[str, Path, bool]:
    """A layer as edition.toml names it → (name, path, packaged). ``edition:NAME`` is a termbase
    that ships with the package; anything else a folder (or file) relative to ``base``."""
    text = str(spec)
    if text.startswith(PACKAGED_PREFIX):
        name = text[len(PACKAGED_PREFIX):]
        path = PACKAGED_DIR / f"{name}.yaml"
        if not name or not path.is_file():
            known = ", ".join(PACKAGED_PREFIX + p.stem for p in sorted(PACKAGED_DIR.glob("*.yaml")) if p.name not in NOT_TERMBASE_FILES)
            raise DataFileError(f"{text}: no such packaged termbase — use one of {known}, or a folder of *.yaml")
        return text, path, True
    path = Path(spec)
    if base is not None and not path.is_absolute():
        path = base / path
    return text, path, False


def load_layers(specs: list[str | Path], base: Path | None = None, *, validate: bool = False) -> Termbase:
    """Termbase layers stacked into one :class:`Termbase`, lowest first.

    Each layer is checked on its own (ids and forms unique within it, as in one glossary). An
    entry of a higher layer overrides the entry with the same id below it; a form that a
    higher layer gives another entry is that entry's from then on (the lower one keeps its other
    forms). Both are listed in ``overrides`` for ``edition glossary check``. Parents may point
    into a lower layer. Errors are one line naming the file, line and YAML path.
    """
    if not specs:
        raise DataFileError("no termbase layers — give --glossary DIR or list layers in edition.toml")
    layers: list[Layer] = []
    merged: dict[str, Entry] = {}
    origins: dict[str, tuple[Path, int]] = {}
    overrides: list[str] = []
    digest = hashlib.sha256()
    dirs: list[Path] = []
    for spec in specs:
        name, path, packaged = resolve_layer(spec, base)
        if len(specs) > 1 and path.is_dir() and not any(p.name not in NOT_TERMBASE_FILES for p in path.glob("*.yaml")):
            files = []  # a workspace's own glossary/ before anyone has put a name in it
        else:
            files = termbase_files(path)
        entries: list[Entry] = []
        layer_origins: list[tuple[Path, int]] = []
        for file in files:
            data = _read_yaml(file)
            if validate:
                validate_data(data, file)
            try:
                file_entries = _data_to_entries(data)
            except (KeyError, TypeError, AttributeError, ValueError):
                validate_data(data, file)  # raises with the precise location
                raise  # the schema accepted it: our bug, keep the traceback
            entries += [_with_layer(e, name) for e in file_entries]
            layer_origins += [(file, i) for i in range(len(file_entries))]
            digest.update(file.name.encode("utf-8") + b"\0" + file.read_bytes() + b"\0")
        _index_entries(entries, layer_origins, check_parents=False)  # conflicts inside the layer
        for entry, origin in zip(entries, layer_origins):
            if entry.id in merged:
                overrides.append(f"{entry.layer}: entry {entry.id!r} overrides the one in {merged[entry.id].layer}")
                del merged[entry.id]  # the higher layer's entry takes its place in the order
            merged[entry.id] = entry
            origins[entry.id] = origin
        layers.append(Layer(name, path, tuple(files), len(entries), packaged))
        dirs.append(path if path.is_dir() else path.parent)
    all_entries = list(merged.values())
    by_id, by_form, shared, shadowed, taken = _index_layers(all_entries, [origins[e.id] for e in all_entries])
    overrides += taken
    charmap = charmap_file(*reversed(dirs))  # the top-most layer's own, else the package's
    if charmap is not None:
        digest.update(charmap.read_bytes())
    first = layers[-1].path
    return Termbase(
        entries=tuple(all_entries),
        version=digest.hexdigest(),
        root=first if first.is_dir() else first.parent,
        files=tuple(f for layer in layers for f in layer.files),
        by_id=MappingProxyType(by_id),
        by_form=MappingProxyType(by_form),
        shared_forms=shared,
        layers=tuple(layers),
        shadowed=frozenset(shadowed),
        overrides=tuple(overrides),
        charmap_path=charmap,
    )


def _with_layer(entry: Entry, layer: str) -> Entry:
    from dataclasses import replace

    return replace(entry, layer=layer)


def _index_layers(entries: list[Entry], origins: list[tuple[Path, int]]):
    """The indexes of stacked layers: like :func:`_index_entries`, but a form two layers give to
    two entries belongs to the higher layer's entry (later in ``entries``'s layer order)."""
    order = {}
    for e in entries:
        order.setdefault(e.layer, len(order))
    by_form: dict[str, FormRef] = {}
    shared: set[str] = set()
    shadowed: set[tuple[str, str]] = set()
    taken: list[str] = []
    # the highest layer first: its forms are taken before a lower layer's
    for entry in sorted(entries, key=lambda e: -order[e.layer]):
        for form, path in _form_paths(entry):
            key = form_key(form)
            owner = by_form.get(key)
            if owner is None:
                by_form[key] = FormRef(entry.id, form, _role(entry, path))
            elif owner.entry_id != entry.id:
                if {owner.role, _role(entry, path)} <= ENGLISH_ROLES:
                    shared.add(key)
                    continue
                shadowed.add((entry.id, key))
                taken.append(f"{entry.layer}: {form!r} of {entry.id!r} is a form of {owner.entry_id!r} in a higher layer, which takes it")
    by_id = {e.id: e for e in entries}
    for n, entry in enumerate(entries):
        if entry.parent is not None and entry.parent not in by_id:
            raise DataFileError(f"{_location(origins[n], ['parent'])}: unknown parent {entry.parent!r} — use an existing id or null")
        if entry.parent == entry.id:
            raise DataFileError(f"{_location(origins[n], ['parent'])}: entry is its own parent — fix the parent")
    return by_id, by_form, frozenset(shared), shadowed, taken


def termbase_summary(termbase: Termbase) -> str:
    """'N entries, M variants, K abbreviations in F files' for ``edition glossary check``; for
    stacked layers, each layer with its entry count, lowest first."""
    variants = sum(len(e.variants) for e in termbase.entries)
    abbrs = sum(len(e.abbr) for e in termbase.entries)
    if len(termbase.layers) <= 1:
        names = ", ".join(str(f) for f in termbase.files)
        return f"{len(termbase.entries)} entries, {variants} variants, {abbrs} abbreviations in {names}"
    parts = [f"{layer.name} ({layer.entries} in {', '.join(str(f) for f in layer.files)})" if layer.files
             else f"{layer.name} (empty: no *.yaml in {layer.path} yet)" for layer in termbase.layers]
    return f"{len(termbase.entries)} entries, {variants} variants, {abbrs} abbreviations in {len(termbase.layers)} layers: " + "; ".join(parts)


def validate_data(data: Any, file: Path) -> None:
    """Check one parsed file against glossary.schema.json; raise the first problem in file order."""
    from ..schema import validator_class  # only on the validate / error path: ~80 ms to import

    validator = validator_class()(_schema())
    errors = list(validator.iter_errors(data))
    if not errors:
        return
    root = _compose(file)

    def order(err: Any) -> tuple[int, str]:
        return (yaml_line(root, list(err.absolute_path)), format_yaml_path(err.absolute_path))

    err = min(errors, key=order)
    where = format_yaml_path(err.absolute_path) or "(top level)"
    raise DataFileError(f"{file}:{order(err)[0]}: {where}: {_schema_message(err)} — {_schema_fix(err)}")


# --- internals ---------------------------------------------------------------------------


def _schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _read_yaml(file: Path) -> Any:
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{file}: not UTF-8 ({exc.reason} at byte {exc.start}) — save it as UTF-8") from None
    data = load_yaml(text, file)  # one-line errors with line and YAML path; duplicate keys refused
    if data is None:
        raise DataFileError(f"{file}:1: file is empty — add schema_version: 1 and entries:")
    return data


def _compose(file: Path) -> yaml.Node | None:
    return yaml.compose(file.read_text(encoding="utf-8"), Loader=_Loader)


def _data_to_entries(data: dict) -> list[Entry]:
    """Parsed YAML → entries; raises KeyError/TypeError on shapes the schema would reject."""
    if data.get("schema_version") != 1 or set(data) - {"schema_version", "entries"}:
        raise ValueError("off-schema top level")
    entries = []
    for raw in data["entries"]:
        if set(raw) - _ENTRY_KEYS:
            raise ValueError("unknown key")
        strings = [raw["id"], raw["type"], raw["zh"], raw["en"]]
        abbr = tuple(raw.get("abbr") or ())
        variants = tuple(Variant(v["form"], v["kind"]) for v in raw.get("variants") or ())
        optional = [raw.get(k) for k in ("ja", "parent", "source", "note")]
        if not all(isinstance(s, str) and s for s in strings + list(abbr) + [v.form for v in variants]):
            raise TypeError("empty or non-string form")
        if not all(o is None or isinstance(o, str) for o in optional):
            raise TypeError("non-string optional field")
        if not _ID.fullmatch(raw["id"]) or any(v.kind not in _KINDS for v in variants):
            raise ValueError("bad id or kind")
        if raw["type"] not in _TYPES or raw.get("source") not in (None, "official", "report"):
            raise ValueError("bad type or source")
        entries.append(
            Entry(
                id=raw["id"], type=raw["type"], zh=raw["zh"], ja=raw.get("ja"), en=raw["en"],
                abbr=abbr, variants=variants, parent=raw.get("parent"),
                source=raw.get("source"), note=raw.get("note"),
            )
        )
    return entries


_ENTRY_KEYS = {"id", "type", "zh", "ja", "en", "abbr", "variants", "parent", "source", "note"}
_KINDS = {"shinjitai", "simplified", "ocr", "alternative", "abbreviation", "short", "english", "full", "paraphrase", "spelling"}
_TYPES = {
    "ministry", "agency", "council", "university", "unit", "foundation", "company",
    "programme", "law", "association", "international", "government", "park", "term", "other",
}
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _form_paths(entry: Entry) -> list[tuple[str, list[Any]]]:
    """(form, YAML path inside the entry) for every form, to name where a conflict sits."""
    out: list[tuple[str, list[Any]]] = [(entry.zh, ["zh"])]
    if entry.ja:
        out.append((entry.ja, ["ja"]))
    out.append((entry.en, ["en"]))
    out += [(a, ["abbr", i]) for i, a in enumerate(entry.abbr)]
    out += [(v.form, ["variants", i, "form"]) for i, v in enumerate(entry.variants)]
    return out


def _index_entries(
    entries: list[Entry], origins: list[tuple[Path, int]], check_parents: bool = True
) -> tuple[dict[str, Entry], dict[str, FormRef], frozenset[str]]:
    """id and form indexes; raises on duplicate ids, forms shared by two entries (except
    English names, returned as the third value) and unknown parents."""
    by_id: dict[str, Entry] = {}
    first_id: dict[str, int] = {}
    by_form: dict[str, FormRef] = {}
    shared: set[str] = set()
    first_form: dict[str, tuple[int, list[Any]]] = {}
    for n, entry in enumerate(entries):
        if entry.id in by_id:
            here = _location(origins[n], ["id"])
            there = _location(origins[first_id[entry.id]], ["id"])
            raise DataFileError(f"{here}: duplicate id {entry.id!r} (first at {there}) — rename one of them")
        by_id[entry.id] = entry
        first_id[entry.id] = n
        for form, path in _form_paths(entry):
            key = form_key(form)
            if key in by_form and by_form[key].entry_id != entry.id:
                if {by_form[key].role, _role(entry, path)} <= ENGLISH_ROLES:
                    shared.add(key)  # English names are translations: two bodies may share one
                    continue
                other_n, other_path = first_form[key]
                here = _location(origins[n], path)
                there = _location(origins[other_n], other_path)
                raise DataFileError(
                    f"{here}: {form!r} is already a form of {by_form[key].entry_id!r} at {there}"
                    " — keep it in one entry"
                )
            if key not in by_form:
                by_form[key] = FormRef(entry.id, form, _role(entry, path))
                first_form[key] = (n, path)
    for n, entry in enumerate(entries):
        if not check_parents:
            break
        if entry.parent is not None and entry.parent not in by_id:
            here = _location(origins[n], ["parent"])
            raise DataFileError(f"{here}: unknown parent {entry.parent!r} — use an existing id or null")
        if entry.parent == entry.id:
            raise DataFileError(f"{_location(origins[n], ['parent'])}: entry is its own parent — fix the parent")
    return by_id, by_form, frozenset(shared)


def _role(entry: Entry, path: list[Any]) -> str:
    if path[0] == "variants":
        return entry.variants[path[1]].kind
    return str(path[0])


def _location(origin: tuple[Path, int], inner: list[Any]) -> str:
    """'file:line: entries[i].inner' for an error message (composes the file: errors only)."""
    file, index = origin
    path = ["entries", index, *inner]
    return f"{file}:{yaml_line(_compose(file), path)}: {format_yaml_path(path)}"


def _schema_message(err: Any) -> str:
    """jsonschema's message, shortened to one line (enum lists and long instances included)."""
    message = " ".join(err.message.split())
    return message if len(message) <= 200 else message[:197] + "..."


_FIXES = {
    "enum": "fix the value",
    "const": "fix the value",
    "required": "add the key",
    "additionalProperties": "remove or rename the key",
    "type": "fix the value's type",
    "pattern": "fix the value",
    "minLength": "fill in the value",
}


def _schema_fix(err: Any) -> str:
    return _FIXES.get(err.validator, "fix it (see src/edition/schema/glossary.schema.json)")
