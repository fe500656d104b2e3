"""`edition build`: source documents → output/ (JSON, bilingual Markdown, QA report).

Per document: extract → glossary → translate → render, all in memory; files are written only
after every stage succeeded, and one document's files are replaced all together or not at all
(temporary files first, then renames, undone if one fails), so a failed build leaves output/
as it was. Results are cached by content: the key covers everything that shapes an output —
the source's name and bytes, the code and the libraries that read PDFs, the glossary and the
translation memory (see :mod:`edition.cache` for where the cache lives and how it is bounded).

Drafting (``--backend openai``) is a step before the build: it writes machine drafts into the
memory, and the build then renders whatever the memory holds.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Mapping

from .cache import cache_read, cache_write, default_cache_dir, default_max_bytes
from .errors import EditionError, SourceError
from .fsutil import write_files_atomic

SOURCE_SUFFIXES = (".pdf", ".txt", ".md")
BACKENDS = ("memory", "openai")
PACKAGE_DIR = Path(__file__).resolve().parent
STATES = ("translated", "draft", "stale", "missing")
# Libraries whose release can change what is extracted (the build pins them; a cache must still
# not serve the output of another release).
OUTPUT_LIBRARIES = ("pdfplumber", "pdfminer.six", "opencc", "pyyaml", "pypdfium2", "pillow")
# What a build writes next to nothing else: never a source, even in a folder of sources.
_OUTPUT_NAME = re.compile(r"\.(zh-en|qa)\.md$", re.I)


@dataclass(frozen=True)
class BuildSettings:
    """Everything a build needs to know, checked when made."""

    out_dir: Path = Path("output")
    glossary_dir: Path | None = None
    translations_dir: Path = Path("translations")
    cache_dir: Path | None = field(default_factory=default_cache_dir)  # None: no cache
    cache_max_bytes: int = field(default_factory=default_max_bytes)
    jobs: int = 0  # 0: one per core
    password: str | None = None
    backend: str = "memory"  # memory: English from the memory only; openai: drafts for its gaps first
    endpoint: str | None = None  # base URL of the OpenAI-compatible server (backend openai)
    model: str = "local"  # model name sent to that server
    api_key: str | None = field(default=None, repr=False)
    timeout: float = 60  # seconds per request
    retries: int = 3  # further attempts of a failed request, waiting 1, 2, 4 … s between them
    concurrency: int = 1  # drafting requests kept in flight at once
    # stacked termbase layers (a workspace's, lowest first; see glossary.termbase.load_layers),
    # read relative to layers_base; used when no glossary_dir is given
    glossary_layers: tuple[str, ...] = ()
    layers_base: Path | None = None
    # a document's name is its path under this folder without the extension ("a/report"), so
    # two reports with one file name in two folders never write the same outputs
    sources_root: Path | None = None
    titles: Mapping[str, str] = field(default_factory=dict)  # name → title (edition.toml); a dict: settings go to worker processes
    # the options a command the user is told to run must repeat (None: worked out from the paths)
    repeat_options: str | None = None
    workspace_config: Path | None = None  # the edition.toml the settings came from, if any

    def __post_init__(self) -> None:
        if self.jobs < 0:
            raise EditionError(f"-j {self.jobs}: the number of jobs must be 0 (all cores) or more")
        if self.backend not in BACKENDS:
            raise EditionError(f"--backend {self.backend}: unknown — use one of {', '.join(BACKENDS)}")
        if self.backend == "openai" and not self.endpoint:
            raise EditionError("--backend openai: no model server given — pass --endpoint URL (or set EDITION_MT_ENDPOINT)")
        if not self.timeout > 0:
            raise EditionError(f"--timeout {self.timeout:g}: must be more than 0 seconds")
        if self.retries < 0:
            raise EditionError(f"--retries {self.retries}: must be 0 or more")
        if self.concurrency < 1:
            raise EditionError(f"--concurrency {self.concurrency}: must be 1 or more (requests in flight at once)")


@dataclass
class BuildResult:
    """What a build produced, per document stem: its files (name → text), its summary (segment
    states, term findings), the source it came from; and the failures."""

    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    summaries: dict[str, dict] = field(default_factory=dict)
    sources: dict[str, Path] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    cached: set[str] = field(default_factory=set)

    def state_counts(self) -> dict[str, int]:
        """Segments of all built documents by state (translated, draft, stale, missing)."""
        total = dict.fromkeys(STATES, 0)
        for s in self.summaries.values():
            for state in STATES:
                total[state] += s["states"].get(state, 0)
        return total


def is_output_name(name: str) -> bool:
    """Is this the name of a file a build writes (``<stem>.zh-en.md``, ``<stem>.qa.md``)?"""
    return bool(_OUTPUT_NAME.search(name))


def document_name(source: Path, root: Path | None = None) -> str:
    """A document's name: its path under ``root`` (the sources folder) without the extension,
    with forward slashes ("a/report"); the file's stem when it is not under ``root``. Outputs
    and the translation memory are named by it."""
    if root is not None:
        try:
            rel = source.resolve().relative_to(root.resolve())
        except ValueError:
            rel = None
        if rel is not None:
            return rel.with_suffix("").as_posix()
    return source.stem


def _documents_in(folder: Path) -> list[Path]:
    """The documents of a folder and its subfolders (hidden ones skipped): one per stem and
    folder, the PDF before a text export of the same name."""
    by_stem: dict[tuple[Path, str], Path] = {}
    for f in sorted(folder.rglob("*")):
        if any(part.startswith(".") for part in f.relative_to(folder).parts) or not f.is_file():
            continue
        if f.suffix.lower() not in SOURCE_SUFFIXES or is_output_name(f.name):
            continue
        cur = by_stem.get((f.parent, f.stem))
        if cur is None or (f.suffix.lower() == ".pdf" and cur.suffix.lower() != ".pdf"):
            by_stem[(f.parent, f.stem)] = f
    return [by_stem[k] for k in sorted(by_stem, key=lambda k: (k[0].relative_to(folder).parts, k[1]))]


def discover_sources(paths: list[Path], root: Path | None = None) -> list[Path]:
    """Files to build: folders are searched for documents (subfolders too); one document per name.

    A report that comes both as a PDF and as a text export is one document: the PDF is the
    primary source, the export only a fallback (build it explicitly with --source FILE). The
    tool's own Markdown (``*.zh-en.md``, ``*.qa.md``) is never a source, so building a folder
    into itself does not feed on its output. Names are paths under ``root`` (see
    :func:`document_name`); two documents of one name are refused.
    """
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(_documents_in(p))
        elif p.exists():
            if is_output_name(p.name):
                raise SourceError(f"{p}: an edition this tool wrote, not a source — give the PDF or text export it was built from")
            files.append(p)
        else:
            raise SourceError(f"{p}: no such file or directory — check --source")
    if not files:
        raise SourceError(f"{', '.join(map(str, paths))}: no PDF or .txt/.md documents found — put the report there")
    seen: dict[str, Path] = {}
    for f in files:
        name = document_name(f, root)
        other = seen.setdefault(name, f)
        if other != f:
            raise SourceError(
                f"{other} and {f}: two documents named {name!r} would write the same output files — build them separately"
            )
    return files


def _hash_files(files: list[Path]) -> str:
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the package's code and schemas and of the versions of the libraries that read
    sources: a change to any of them invalidates the cache."""
    from importlib.metadata import PackageNotFoundError, version

    files = sorted(p for p in PACKAGE_DIR.rglob("*") if p.suffix in (".py", ".json", ".yaml") and "__pycache__" not in p.parts)
    libs = []
    for name in OUTPUT_LIBRARIES:
        try:
            libs.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            libs.append(f"{name}: absent")
    return hashlib.sha256((_hash_files(files) + "|" + ",".join(libs)).encode()).hexdigest()


def settings_name(source: Path, settings: BuildSettings) -> str:
    """The document's name under the build's sources folder (see :func:`document_name`)."""
    return document_name(source, settings.sources_root)


def glossary_files(settings: BuildSettings) -> list[Path]:
    """Every file the build's termbase is read from, its charmap included (for the cache key)."""
    from .glossary.termbase import charmap_file, default_glossary_dir, resolve_layer

    if settings.glossary_dir is None and settings.glossary_layers:
        paths = [resolve_layer(spec, settings.layers_base)[1] for spec in settings.glossary_layers]
    else:
        paths = [Path(settings.glossary_dir or default_glossary_dir())]
    files: list[Path] = []
    for path in paths:
        files += sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    dirs = [p if p.is_dir() else p.parent for p in paths]
    charmap = charmap_file(*reversed(dirs))
    return [f for f in dict.fromkeys(files + ([charmap] if charmap else [])) if f.exists()]


def load_glossary(settings: BuildSettings, validate: bool = False):
    """The build's termbase: --glossary DIR, else the workspace's layers, else ./glossary."""
    from .glossary.termbase import default_glossary_dir, load_layers, load_termbase

    if settings.glossary_dir is None and settings.glossary_layers:
        return load_layers(list(settings.glossary_layers), settings.layers_base, validate=validate)
    return load_termbase(settings.glossary_dir or default_glossary_dir(), validate=validate)


def data_versions(settings: BuildSettings, name: str) -> tuple[str, str]:
    """(glossary version, translation-memory version) by the names and bytes of their files."""
    from .translate.memory import memory_path

    mem = memory_path(settings.translations_dir, name)
    return _hash_files(glossary_files(settings)), _hash_files([mem] if mem.exists() else [])


def cache_key(source: Path, settings: BuildSettings) -> str:
    """A hash of everything that shapes a document's outputs: the document's name (the
    outputs are named after it, and the JSON and QA report quote it) and bytes, the code and
    its reading libraries, the glossary, the document's translation memory and its title
    from edition.toml."""
    src = hashlib.sha256(source.read_bytes()).hexdigest()
    name = settings_name(source, settings)
    g, m = data_versions(settings, name)
    title = settings.titles.get(name, "")
    return hashlib.sha256("|".join((name + source.suffix, src, code_version(), g, m, title)).encode()).hexdigest()


def output_names(name: str) -> tuple[str, str, str]:
    """The three files a document gives: JSON edition, bilingual Markdown, QA report (a
    document in a subfolder of the sources gets them in the same subfolder of the output)."""
    return f"{name}.json", f"{name}.zh-en.md", f"{name}.qa.md"


def document_for_translation(source: Path, settings: BuildSettings, termbase=None, page_jobs: int | None = None):
    """One source → (its document after the glossary stage, the glossary): what translation
    segments are taken from, by the build and by the `edition memory` commands alike."""
    from .glossary.apply import apply_glossary
    from .pipeline import extract

    if termbase is None:
        termbase = load_glossary(settings)
    name = settings_name(source, settings)
    doc = extract(source, password=settings.password, jobs=page_jobs)
    title = settings.titles.get(name)
    if title:
        # edition.toml names the report: its cover has no title the extractor could read
        doc["metadata"] = {**doc["metadata"], "title": title}
    doc = apply_glossary(doc, termbase)
    doc["source"]["path"] = name + source.suffix
    return doc, termbase


def document_summary(doc: dict) -> dict:
    """What the command line reports about a built document: segments by state (and the keys
    of those that are not translated), and its term-consistency findings."""
    states = {s: doc.get("stats", {}).get(f"segments_{s}", 0) for s in STATES}
    keys: dict[str, list[str]] = {s: [] for s in STATES if s != "translated"}
    kinds = {"draft-translation": "draft", "stale-translation": "stale", "missing-translation": "missing"}
    for q in doc.get("qa", []):
        if q["kind"] in kinds:
            keys[kinds[q["kind"]]].append(q["key"])
    terms = [q["message"] for q in doc.get("qa", []) if q["kind"] == "term-inconsistent"]
    title = (doc.get("metadata") or {}).get("title") or ""
    return {"states": states, "keys": keys, "term_findings": terms, "structure": structure_warnings(doc), "title": title.strip()}


def structure_warnings(doc: dict) -> list[str]:
    """The document's structure findings a user must hear about on stderr (no sections, the body
    read as the cover or as a contents list …), one line each."""
    from .extract.checks import WARN_KINDS

    return [q["message"] for q in doc.get("qa", []) if q["kind"] in WARN_KINDS]


def build_document(source: Path, settings: BuildSettings, page_jobs: int | None = None, termbase=None) -> dict[str, str]:
    """One source → its output files (name → text). Raises EditionError on bad input.

    ``termbase``: the glossary, if the caller has loaded it already (else it is loaded here).
    """
    return _build_document(source, settings, page_jobs, termbase)[0]


def _build_document(source: Path, settings: BuildSettings, page_jobs: int | None, termbase,
                    use_cache: bool = True) -> tuple[dict[str, str | bytes], dict]:
    from .render.edition import html_name, render_edition
    from .render.json import document_to_json
    from .render.markdown import qa_report
    from .translate.apply import translate_document
    from .translate.memory import load_memory, memory_path

    name = settings_name(source, settings)
    memory = load_memory(memory_path(settings.translations_dir, name))
    doc, termbase = document_for_translation(source, settings, termbase, page_jobs)
    doc = translate_document(doc, memory, termbase)
    json_name, md_name, qa_name = output_names(name)
    # the Markdown and HTML editions and the figures' pictures (cropped from the PDF, cached)
    edition = render_edition(doc, source, name, settings.password, settings.cache_dir if use_cache else None,
                             settings.cache_max_bytes)
    files: dict[str, str | bytes] = {
        json_name: document_to_json(doc, label=str(source)),
        md_name: edition.markdown,
        qa_name: qa_report(doc, edition.findings),
        html_name(name): edition.html,
        **edition.assets,
    }
    summary = document_summary(doc)
    summary["structure"] = summary["structure"] + edition.warnings  # a picture not rendered is said on stderr
    return files, summary


def _cached(source: Path, settings: BuildSettings) -> dict | None:
    """The cached entry ({files, summary}) of an unchanged source, or None (a source that cannot
    be read is a miss: building it reports why)."""
    if settings.cache_dir is None:
        return None
    try:
        hit = cache_read(settings.cache_dir, cache_key(source, settings))
    except OSError:
        return None
    # an entry must be this document's: never serve another name's files
    if not hit or "summary" not in hit or not _own_files(settings_name(source, settings), set(hit.get("files", {})) | set(hit.get("assets", {}))):
        return None
    return {"files": _entry_files(hit), "summary": hit["summary"]}


def _own_files(stem: str, names: set[str]) -> bool:
    """Are these the files of the document ``stem``: its JSON, Markdown, QA report and HTML, and pictures of its own?"""
    from .render.edition import html_name, is_asset_of

    expected = set(output_names(stem)) | {html_name(stem)}
    return expected <= names and all(n in expected or is_asset_of(n, stem) for n in names)


def _cache_entry(files: dict[str, str | bytes], summary: dict) -> dict:
    """A cache entry is JSON: pictures go in as base64."""
    import base64

    return {"files": {k: v for k, v in files.items() if isinstance(v, str)},
            "assets": {k: base64.b64encode(v).decode("ascii") for k, v in files.items() if isinstance(v, bytes)}, "summary": summary}


def _entry_files(hit: dict) -> dict[str, str | bytes]:
    import base64

    return {**hit["files"], **{k: base64.b64decode(v) for k, v in hit.get("assets", {}).items()}}


def _build_one(args: tuple) -> tuple[str, tuple[dict[str, str], dict] | None, str | None]:
    """Build one document and cache it: (name, (files, summary), None) or (name, None, one-line error)."""
    source, settings, page_jobs, use_cache, termbase = args
    name = settings_name(source, settings)
    try:
        files, summary = _build_document(source, settings, page_jobs, termbase, use_cache)
        if use_cache and settings.cache_dir is not None:
            cache_write(settings.cache_dir, cache_key(source, settings), _cache_entry(files, summary), settings.cache_max_bytes)
        return name, (files, summary), None
    except EditionError as err:
        return name, None, str(err)
    except OSError as err:
        return name, None, f"{source}: {err.strerror or err} — check the file"


def build(sources: list[Path], settings: BuildSettings, use_cache: bool = True, progress=None) -> BuildResult:
    """Build every source; failures are isolated per document. Nothing is written here.

    The cache is asked first, so an up-to-date build loads no glossary and imports no extraction
    code. The glossary is loaded once, before any document: an error in it is the whole build's
    (raised), not every document's. ``-j``: documents in parallel, one process each (each reads
    its pages alone); a single document reads its pages in parallel instead.
    """
    files = discover_sources(sources, settings.sources_root)
    result = BuildResult()
    todo = []
    for f in files:
        name = settings_name(f, settings)
        result.sources[name] = f
        hit = _cached(f, settings) if use_cache else None
        if hit is None:
            todo.append(f)
            continue
        result.outputs[name] = hit["files"]
        result.summaries[name] = hit["summary"]
        result.cached.add(name)
        if progress:
            progress(1)
    if not todo:
        return result
    termbase = load_glossary(settings)  # DataFileError: the build's
    jobs = min(settings.jobs or os.cpu_count() or 1, len(todo))
    if jobs == 1:
        page_jobs = (settings.jobs or None) if len(todo) == 1 else 1
        outcomes = []
        for f in todo:
            outcomes.append(_build_one((f, settings, page_jobs, use_cache, termbase)))
            if progress:
                progress(1)
    else:
        outcomes = _build_in_parallel(todo, settings, use_cache, jobs, progress)
    for stem, out, err in outcomes:
        if err is not None or out is None:
            result.failures[stem] = err or f"{stem}: no output"
        else:
            result.outputs[stem], result.summaries[stem] = out
    return result


def _build_in_parallel(files: list[Path], settings: BuildSettings, use_cache: bool, jobs: int, progress) -> list[tuple]:
    """One process per document (each loads the glossary itself: a Termbase holds mapping
    proxies, which do not pickle, and loading it takes milliseconds)."""
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    outcomes: dict[Path, tuple] = {}
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        # the largest documents first: a long one started last would keep one core busy alone
        # while the others wait (the corpus at -j 2: 0.57 of -j 1 in name order, 0.52 this way)
        largest_first = sorted(files, key=lambda f: -f.stat().st_size)
        futures = {pool.submit(_build_one, (f, settings, 1, use_cache, None)): f for f in largest_first}
        for future in as_completed(futures):
            f = futures[future]
            try:
                outcomes[f] = future.result()
            except BrokenProcessPool:
                # the OS killed a worker (out of memory?): that document failed, not the build
                outcomes[f] = (settings_name(f, settings), None, f"{f}: the process building it died (out of memory?) — build it alone with -j 1")
            if progress:
                progress(1)
    return [outcomes[f] for f in files]


def _bytes(data: str | bytes) -> bytes:
    return data if isinstance(data, bytes) else data.encode("utf-8")


def write_outputs(result: BuildResult, out_dir: Path) -> list[Path]:
    """Write the files that changed, one document at a time, each document's all or nothing;
    files of failed documents are left as they were. Pictures no figure of a document shows any
    more are removed from its assets folder."""
    from .render.edition import stale_assets

    written = []
    for stem in sorted(result.outputs):
        changed: dict[Path, str | bytes] = {}
        for name, data in sorted(result.outputs[stem].items()):
            target = out_dir / name
            if target.is_file() and target.read_bytes() == _bytes(data):
                continue
            changed[target] = data
        if changed:
            write_files_atomic(changed)
            written.extend(changed)
        for old in stale_assets(out_dir, stem, set(result.outputs[stem])):
            old.unlink()
    return written


def check_outputs(result: BuildResult, out_dir: Path) -> list[str]:
    """What differs between out_dir and a fresh build: one line per file, files no source
    produces included."""
    diffs = []
    for stem in sorted(result.outputs):
        for name, text in sorted(result.outputs[stem].items()):
            target = out_dir / name
            if not target.exists():
                diffs.append(f"{target}: missing — run `edition build`")
                continue
            if isinstance(text, bytes):  # a picture
                if target.read_bytes() != text:
                    diffs.append(f"{target}: differs from a fresh build — run `edition build` and commit output/")
                continue
            old = target.read_text(encoding="utf-8")
            if old != text:
                a, b = old.splitlines(), text.splitlines()
                line = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
                diffs.append(f"{target}: differs from a fresh build from line {line + 1} — run `edition build` and commit output/")
    return diffs + orphan_files(result, out_dir)


def orphan_files(result: BuildResult, out_dir: Path) -> list[str]:
    """Files in out_dir that no source of this build produces (a renamed or deleted source's
    leftovers): one line each. Hidden files and the outputs of failed documents are not counted."""
    from .render.edition import html_name, output_files

    if not out_dir.is_dir():
        return []
    produced = {name for files in result.outputs.values() for name in files}
    produced |= {name for stem in result.failures for name in (*output_names(stem), html_name(stem))}
    return [
        f"{out_dir / name}: no source produces it — delete it (or restore its source)"
        for name in output_files(out_dir, skip=set(result.failures))
        if name not in produced
    ]


def states_line(counts: dict[str, int]) -> str:
    """'5 translated, 2 draft, 0 stale, 3 missing' — the same words everywhere."""
    return ", ".join(f"{counts.get(s, 0)} {s}" for s in STATES)


def _keys(keys: list[str], n: int = 3) -> str:
    return ", ".join(keys[:n]) + (f", … ({len(keys) - n} more)" if len(keys) > n else "")


def command_options(settings: BuildSettings) -> str:
    """The data options a command must repeat to see the same memory and glossary."""
    if settings.repeat_options is not None:
        return settings.repeat_options
    out = ""
    if settings.translations_dir != Path("translations"):
        out += f" --translations {settings.translations_dir}"
    if settings.glossary_dir is not None:
        out += f" --glossary {settings.glossary_dir}"
    return out


def translation_failures(result: BuildResult, settings: BuildSettings) -> list[str]:
    """What makes --check fail about the English, one line per document and kind, each saying
    which segments, how many, and the command that fixes them: draft, stale and missing
    segments, and English that does not name what the Chinese names."""
    from .translate.memory import memory_path

    out = []
    for stem in sorted(result.summaries):
        summary = result.summaries[stem]
        source = result.sources.get(stem, Path(stem))
        opts = command_options(settings)
        mem = memory_path(settings.translations_dir, stem)
        keys = summary["keys"]
        if keys["draft"]:
            out.append(
                f"{stem}: {len(keys['draft'])} draft segment(s) — machine English awaiting review ({_keys(keys['draft'])}):"
                f" review them in {mem}, then run `edition memory accept {source}{opts} --all`"
            )
        if keys["stale"]:
            out.append(
                f"{stem}: {len(keys['stale'])} stale segment(s) — the Chinese changed since the English was written"
                f" ({_keys(keys['stale'])}): `edition memory status {source}{opts}` shows old and new Chinese;"
                f" fix the English, then run `edition memory accept {source}{opts} KEY…`"
            )
        if keys["missing"]:
            start = "write it" if mem.exists() else f"start the memory with `edition memory init {source}{opts}` and write it"
            out.append(
                f"{stem}: {len(keys['missing'])} missing segment(s) — no English yet ({_keys(keys['missing'])}):"
                f" {start} in {mem}, or draft it with `edition build --source {source}{opts} --backend openai --endpoint URL`"
            )
        if not summary.get("title"):
            where = (f"under [titles] in {settings.workspace_config}" if settings.workspace_config
                     else "in the [titles] of a workspace's edition.toml (`edition init DIR` makes one)")
            out.append(f'{stem}: the edition has no title — the cover has none the tool could read; give it one {where}: "{stem}" = "…"')
        terms = summary["term_findings"]
        if terms:
            more = f" (and {len(terms) - 1} more: `edition build` lists them in {settings.out_dir / output_names(stem)[2]})" if len(terms) > 1 else ""
            out.append(f"{stem}: {len(terms)} term-consistency finding(s) — {terms[0]}{more}; fix the English in {mem}")
    return out


# --- drafting (--backend openai) --------------------------------------------------------------


def draft_sources(sources: list[Path], settings: BuildSettings, progress_for=None) -> list:
    """Machine drafts for what each source's memory lacks, ``settings.concurrency`` requests in
    flight, saved into the memory as they arrive. ``progress_for(label, total)`` may return a
    callback called after each answer with (segments drafted, segments failed).
    Returns one DraftReport per source; raises DraftingStopped when the server stops answering
    (what was drafted until then is saved)."""
    from .translate.backends import DraftClient, draft_missing
    from .translate.memory import load_memory, memory_path

    termbase = load_glossary(settings)
    client = DraftClient(settings.endpoint or "", settings.model, settings.api_key, settings.timeout, settings.retries)
    reports = []
    for source in discover_sources(sources, settings.sources_root):
        path = memory_path(settings.translations_dir, settings_name(source, settings))
        memory = load_memory(path)
        doc, _ = document_for_translation(source, settings, termbase)
        reports.append(draft_missing(doc, memory, termbase, client, progress_for=progress_for, label=str(source),
                                     concurrency=settings.concurrency))
    return reports

