"""A workspace: one folder holding a report series and everything made for it.

    my-reports/
      edition.toml      languages and script, termbase layers, drafting defaults (commented)
      sources/          the reports: PDF or .txt/.md text exports (subfolders allowed)
      translations/     one translation memory per report; TMX files to reuse
      glossary/         the workspace's own termbase layer (*.yaml)
      output/           the built edition

Every command run inside it (in the folder or below, as git finds ``.git``) reads
``edition.toml`` and needs no path flags; a flag given still wins. Paths in the file are
relative to it. The repository itself is the Hokkaido report's workspace (its sources are
``source_docs/``).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from .errors import EditionError

CONFIG_NAME = "edition.toml"
FOLDERS = ("sources", "translations", "glossary", "output")

TEMPLATE = """\
# edition workspace: the settings every `edition` command reads when it runs in this folder
# (or in a folder below it). Paths are relative to this file. A command-line flag still wins.

[languages]
# Chinese in, English out. A report printed in Simplified characters is converted whole to
# Taiwan Traditional (every change recorded in the JSON edition): `script` is the script the
# memories, the termbase and the TMX/XLIFF exports are written in.
source = "zh"
script = "zh-Hant"
target = "en"

[paths]
sources = "sources"            # the reports: PDF or .txt/.md text exports, subfolders allowed
translations = "translations"  # one translation memory per report; TMX files here are reused
output = "output"              # the built edition: JSON, bilingual Markdown, QA report

[glossary]
# Termbase layers, lowest first: an entry of a later layer overrides an earlier one with the
# same id. "edition:technical" is the engineering and computing vocabulary that ships with
# edition (OCR, TCP, 卷積神經網路 …); a path is a folder of *.yaml termbase files — put this
# workspace's own names (institutions, programmes) in glossary/.
layers = ["edition:technical", "glossary"]

[backend]
# Drafting with `edition build --backend openai`: an OpenAI-compatible server (llama.cpp,
# vLLM, Ollama, LM Studio, …). The API key is read from EDITION_MT_API_KEY, never from here.
# endpoint = "http://127.0.0.1:8080/v1"
model = "local"
timeout = 60       # seconds to wait for one answer
retries = 3        # further attempts of a failed request (waiting 1, 2, 4 … s)
concurrency = 4    # requests in flight at once: match the server's parallel slots

[titles]
# A title for a report whose cover has none the tool can read (a scanned cover), by its path
# under sources/ without the extension:
# "kunsheng-report" = "手寫字跡矯正板"
"""


@dataclass(frozen=True)
class Backend:
    """Drafting defaults from ``[backend]``."""

    endpoint: str | None = None
    model: str = "local"
    timeout: float = 60
    retries: int = 3
    concurrency: int = 1


@dataclass(frozen=True)
class Workspace:
    """A workspace read from its ``edition.toml``; paths as the user's commands should show them."""

    config: Path
    """The edition.toml."""
    root: Path
    """The folder holding it."""
    sources: Path
    translations: Path
    output: Path
    layers: tuple[str, ...]
    """Termbase layers as edition.toml names them, lowest first (see glossary.termbase.load_layers)."""
    script: str = "zh-Hant"
    """The script of the memories' Chinese and of the exports' source language."""
    backend: Backend = field(default_factory=Backend)
    titles: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Report name (path under sources/ without extension) → title, for covers without one."""

    @property
    def glossary(self) -> Path:
        """The workspace's own termbase folder: the highest layer that is a folder here."""
        for spec in reversed(self.layers):
            if not spec.startswith("edition:"):
                return _shown(self.root / spec)
        return _shown(self.root / "glossary")


def _shown(path: Path) -> Path:
    """``path`` as a command shows it: relative to the working directory when that is shorter."""
    try:
        rel = Path(os.path.relpath(path))
    except ValueError:  # another drive (Windows)
        return path
    return rel if len(str(rel)) <= len(str(path)) else path


def find_config(start: Path | None = None) -> Path | None:
    """The edition.toml of the folder ``start`` (default: the working directory) or of the
    nearest folder above it, as git finds ``.git``; None outside a workspace."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def find_workspace(start: Path | None = None) -> Workspace | None:
    """The workspace the working directory is in (see :func:`find_config`), or None."""
    config = find_config(start)
    return load_workspace(config) if config is not None else None


def load_workspace(config: Path) -> Workspace:
    """Read and check an edition.toml. Raises EditionError with one line: file, line, key,
    what is wrong and what to do."""
    shown = _shown(config)
    try:
        text = config.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise EditionError(f"{shown}: not UTF-8 (byte {exc.start}) — save it as UTF-8") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise EditionError(f"{shown}: {exc} — fix the TOML syntax") from None

    def fail(section: str, key: str | None, problem: str, fix: str) -> EditionError:
        where = f"{section}.{key}" if key else section
        return EditionError(f"{shown}:{_line_of(text, section, key)}: {where}: {problem} — {fix}")

    known = {"languages", "paths", "glossary", "backend", "titles"}
    for section, value in data.items():
        if section not in known:
            return_error = fail(section, None, "unknown section", f"use {', '.join(sorted(known))}")
            raise return_error
        if not isinstance(value, dict):
            raise fail(section, None, "expected a table", f"write it as [{section}]")

    def table(section: str, keys: set[str]) -> dict[str, Any]:
        t = data.get(section, {})
        for key in t:
            if key not in keys:
                raise fail(section, key, "unknown key", f"use {', '.join(sorted(keys))}")
        return t

    languages = table("languages", {"source", "script", "target"})
    for key, allowed in (("source", ("zh",)), ("script", ("zh-Hant",)), ("target", ("en",))):
        value = languages.get(key, allowed[0])
        if value not in allowed:
            raise fail("languages", key, f"{value!r} is not supported", f"use {' or '.join(repr(a) for a in allowed)} (Chinese → English, Traditional script)")

    paths = table("paths", {"sources", "translations", "output"})
    root = config.parent
    resolved = {}
    for key in ("sources", "translations", "output"):
        value = paths.get(key, key)
        if not isinstance(value, str) or not value.strip():
            raise fail("paths", key, f"{value!r} is not a folder name", f'write e.g. {key} = "{key}"')
        resolved[key] = _shown(root / value)

    glossary = table("glossary", {"layers"})
    layers = glossary.get("layers", ["edition:technical", "glossary"])
    if not isinstance(layers, list) or not layers or not all(isinstance(x, str) and x.strip() for x in layers):
        raise fail("glossary", "layers", "expected a list of layer names", 'write e.g. layers = ["edition:technical", "glossary"]')

    b = table("backend", {"endpoint", "model", "timeout", "retries", "concurrency"})
    checks = {
        "endpoint": (lambda v: isinstance(v, str) and re.match(r"^https?://[^/\s]+", v), 'an http(s) URL, e.g. "http://127.0.0.1:8080/v1"'),
        "model": (lambda v: isinstance(v, str) and v.strip(), 'a model name, e.g. "local"'),
        "timeout": (lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0, "a number of seconds above 0"),
        "retries": (lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0, "a whole number, 0 or more"),
        "concurrency": (lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1, "a whole number, 1 or more"),
    }
    for key, (ok, what) in checks.items():
        if key in b and not ok(b[key]):
            raise fail("backend", key, f"{b[key]!r} is not {what}", "fix the value")
    backend = Backend(b.get("endpoint"), b.get("model", "local"), float(b.get("timeout", 60)), b.get("retries", 3), b.get("concurrency", 1))

    titles = data.get("titles", {})
    for key, value in titles.items():
        if not isinstance(value, str) or not value.strip():
            raise fail("titles", key, f"{value!r} is not a title", "write the title as a string, or remove the line")

    return Workspace(config=_shown(config), root=_shown(root), sources=resolved["sources"], translations=resolved["translations"],
                     output=resolved["output"], layers=tuple(layers), script=languages.get("script", "zh-Hant"), backend=backend,
                     titles=MappingProxyType({k: v.strip() for k, v in titles.items()}))


def _line_of(text: str, section: str, key: str | None) -> int:
    """The line of ``key`` in ``[section]`` (or of the section header), 1 if not found: tomllib
    gives no positions for values."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == f"[{section}]"), None)
    if start is None:
        return 1
    if key is None:
        return start + 1
    pattern = re.compile(rf'^\s*"?{re.escape(key)}"?\s*=')
    for i in range(start + 1, len(lines)):
        if lines[i].lstrip().startswith("["):
            break
        if pattern.match(lines[i]):
            return i + 1
    return start + 1


def init_workspace(folder: Path) -> list[Path]:
    """Make ``folder`` a workspace: edition.toml (commented) and the four folders. Refuses a
    folder that already has an edition.toml (it is someone's settings); existing folders and
    their files are kept. Returns what was created."""
    config = folder / CONFIG_NAME
    if config.exists():
        raise EditionError(f"{config}: already a workspace — edit its edition.toml, or choose another folder")
    if folder.exists() and not folder.is_dir():
        raise EditionError(f"{folder}: is a file — give a folder for the workspace")
    from .fsutil import write_text_atomic

    created = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name in FOLDERS:
            sub = folder / name
            if not sub.is_dir():
                sub.mkdir()
                created.append(sub)
    except OSError as exc:
        raise EditionError(f"{folder}: cannot create it ({exc.strerror or exc}) — check the path and its permissions") from None
    write_text_atomic(config, TEMPLATE)
    return [config, *created]
