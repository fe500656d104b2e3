"""`edition build`: source documents → output/ (JSON, bilingual Markdown and HTML, QA report).

Per document: extract → glossary → translate → render, all in memory; files are written only
after every stage succeeded, and one document's files are replaced all together or not at all
(temporary files first, then renames, undone if one fails).

A build is a stream: :func:`plan` takes the sources one at a time and passes over those whose
outputs are up to date (the manifest of the run before says so, or the build cache holds them);
the rest are built on this machine (:func:`run_local`: in this process, or ``-j`` worker
processes) or as tasks on a Dask cluster (:mod:`edition.cluster`); :func:`run_build` writes
each document's files as it comes back and appends its row to ``OUT/manifest.jsonl``
(:mod:`edition.manifest`). Nothing of a document is kept once it is written, so memory stays
the same however many documents there are; a document that fails is its row, not the end of
the build.

Results are cached by content: the key covers everything that shapes an output — the
source's name and bytes, the code and the libraries that read PDFs, the glossary, the
translation memory and the title (see :mod:`edition.cache` for where the cache lives and how
it is bounded).

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
from typing import Iterator, Mapping

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
    from .packages import installed_version

    files = sorted(p for p in PACKAGE_DIR.rglob("*") if p.suffix in (".py", ".c", ".json", ".yaml") and "__pycache__" not in p.parts)
    libs = []
    for name in OUTPUT_LIBRARIES:
        found = installed_version(name)
        libs.append(f"{name}=={found}" if found else f"{name}: absent")
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


def cache_key(source: Path, settings: BuildSettings) -> str:
    """A hash of everything that shapes a document's outputs: the document's name (the
    outputs are named after it, and the JSON and QA report quote it) and bytes, the code and
    its reading libraries, the glossary, the document's translation memory and its title
    from edition.toml."""
    return SourceKeys(settings)(source, source.read_bytes())[1]


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
    """What the command line and the manifest report about a built document: segments by state
    (and the keys of those that are not translated), its term-consistency findings, structure
    warnings, title, pages and QA findings by kind."""
    states = {s: doc.get("stats", {}).get(f"segments_{s}", 0) for s in STATES}
    keys: dict[str, list[str]] = {s: [] for s in STATES if s != "translated"}
    kinds = {"draft-translation": "draft", "stale-translation": "stale", "missing-translation": "missing"}
    for q in doc.get("qa", []):
        if q["kind"] in kinds:
            keys[kinds[q["kind"]]].append(q["key"])
    terms = [q["message"] for q in doc.get("qa", []) if q["kind"] == "term-inconsistent"]
    title = (doc.get("metadata") or {}).get("title") or ""
    qa: dict[str, int] = {}
    for q in doc.get("qa", []):
        qa[q["kind"]] = qa.get(q["kind"], 0) + 1
    return {"states": states, "keys": keys, "term_findings": terms, "structure": structure_warnings(doc), "title": title.strip(),
            "pages": (doc.get("source") or {}).get("pages"), "qa": dict(sorted(qa.items()))}


def structure_warnings(doc: dict) -> list[str]:
    """The document's structure findings a user must hear about on stderr (no sections, the body
    read as the cover or as a contents list …), one line each."""
    from .extract.checks import structure_warnings as warnings

    return warnings(doc)


def build_document(source: Path, settings: BuildSettings, page_jobs: int | None = None, termbase=None) -> dict[str, str]:
    """One source → its output files (name → text). Raises EditionError on bad input.

    ``termbase``: the glossary, if the caller has loaded it already (else it is loaded here).
    """
    return _build_document(source, settings, page_jobs, termbase)[0]


def _build_document(source: Path, settings: BuildSettings, page_jobs: int | None, termbase,
                    use_cache: bool = True, memory: tuple[bytes | None, str] | None = None,
                    label: str | None = None) -> tuple[dict[str, str | bytes], dict]:
    """``memory``: the bytes of the document's translation memory (None: it has none) and the
    path its errors name, when the caller has them (a cluster's worker is sent them) — else
    it is read from the translations folder; ``label``: how errors name the source, when not
    by ``source`` itself."""
    from .render.edition import html_name, render_edition
    from .render.json import document_to_json
    from .render.markdown import qa_report
    from .translate.apply import translate_document
    from .translate.memory import load_memory, memory_path, parse_memory

    name = settings_name(source, settings)
    if memory is None:
        memory = load_memory(memory_path(settings.translations_dir, name))
    else:
        memory = parse_memory(*memory)
    doc, termbase = document_for_translation(source, settings, termbase, page_jobs)
    doc = translate_document(doc, memory, termbase)
    json_name, md_name, qa_name = output_names(name)
    # the Markdown and HTML editions and the figures' pictures (cropped from the PDF, cached)
    edition = render_edition(doc, source, name, settings.password, settings.cache_dir if use_cache else None,
                             settings.cache_max_bytes)
    files: dict[str, str | bytes] = {
        json_name: document_to_json(doc, label=label or str(source)),
        md_name: edition.markdown,
        qa_name: qa_report(doc, edition.findings),
        html_name(name): edition.html,
        **edition.assets,
    }
    summary = document_summary(doc)
    summary["structure"] = summary["structure"] + edition.warnings  # a picture not rendered is said on stderr
    return files, summary


def _cache_hit(key: str, name: str, settings: BuildSettings) -> dict | None:
    """The cached entry ({files, summary}) under ``key``, or None. An entry must be the document
    ``name``'s: never serve another name's files."""
    if settings.cache_dir is None:
        return None
    try:
        hit = cache_read(settings.cache_dir, key)
    except OSError:
        return None
    if not hit or "summary" not in hit or not _own_files(name, set(hit.get("files", {})) | set(hit.get("assets", {}))):
        return None
    return {"files": _entry_files(hit), "summary": hit["summary"]}


def _own_files(stem: str, names: set[str]) -> bool:
    """Are these the files of the document ``stem``: its JSON, Markdown, QA report and HTML, and pictures of its own?"""
    from .render.edition import html_name, is_asset_of

    expected = set(output_names(stem)) | {html_name(stem)}
    return expected <= names and all(n in expected or is_asset_of(n, stem) for n in names)


def _cache_entry(files: Mapping[str, str | bytes], summary: dict) -> dict:
    """A cache entry is JSON: pictures go in as base64."""
    import base64

    return {"files": {k: v for k, v in files.items() if isinstance(v, str)},
            "assets": {k: base64.b64encode(v).decode("ascii") for k, v in files.items() if isinstance(v, bytes)}, "summary": summary}


def _entry_files(hit: dict) -> dict[str, str | bytes]:
    import base64

    return {**hit["files"], **{k: base64.b64decode(v) for k, v in hit.get("assets", {}).items()}}


# --- one document at a time: jobs and their outcomes ---------------------------------------------

BUILT, CACHED, FAILED = "built", "cached", "failed"


@dataclass(frozen=True)
class Job:
    """A document to build. ``key`` and ``sha256`` are None when the source could not be read
    (building it says why); ``data`` holds its bytes when they travel with the task (a cluster)."""

    source: Path
    name: str
    key: str | None = None
    sha256: str | None = None
    data: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Outcome:
    """What became of one document: ``built``, ``cached`` (nothing rebuilt) or ``failed``.

    ``files`` are its outputs (name relative to the output folder → text, or bytes for a
    picture); empty when it failed, and when the output folder already holds them (``row`` is
    then the manifest row that says so). ``summary`` is :func:`document_summary`'s (None when it
    failed); ``error`` the one-line reason of a failure and ``trace`` the traceback when the
    reason is a bug of ours; ``seconds`` the time spent on it where it was built.
    """

    name: str
    source: Path
    status: str
    files: Mapping[str, str | bytes] = field(default_factory=dict, repr=False)
    summary: dict | None = field(default=None, repr=False)
    error: str | None = None
    trace: str | None = field(default=None, repr=False)
    seconds: float = 0.0
    key: str | None = None
    sha256: str | None = None
    row: dict | None = field(default=None, repr=False)
    code: str | None = field(default=None, repr=False)  # code_version() where it was built


def _build_one(job: Job, settings: BuildSettings, page_jobs: int | None, use_cache: bool, termbase,
               memory: tuple[bytes | None, str] | None = None, label: str | None = None) -> Outcome:
    """Build one document (and cache it): its outcome, built or failed. Bad input is a one-line
    error; a bug of ours fails this document only, with its traceback kept for stderr: one
    report among thousands must not stop the others."""
    import time
    import traceback

    started = time.perf_counter()
    source = job.source

    def failed(error: str, trace: str | None = None) -> Outcome:
        return Outcome(job.name, source, FAILED, error=error, trace=trace, seconds=time.perf_counter() - started,
                       key=job.key, sha256=job.sha256, code=code_version())

    try:
        files, summary = _build_document(source, settings, page_jobs, termbase, use_cache, memory=memory, label=label)
        if use_cache and settings.cache_dir is not None and job.key is not None:
            cache_write(settings.cache_dir, job.key, _cache_entry(files, summary), settings.cache_max_bytes)
    except EditionError as err:
        return failed(str(err))
    except OSError as err:
        return failed(f"{label or source}: {err.strerror or err} — check the file")
    except Exception as err:  # a bug of ours: this document's row says so, its traceback goes to stderr
        return failed(f"{label or source}: edition failed on it ({type(err).__name__}: {err}) — a bug: please report it with the file",
                      traceback.format_exc())
    return Outcome(job.name, source, BUILT, files=files, summary=summary, seconds=time.perf_counter() - started,
                   key=job.key, sha256=job.sha256, code=code_version())


class SourceKeys:
    """The cache key of each source (:func:`cache_key`), with what is the same for every
    document of a build — the code's version and the termbase's files — hashed once."""

    def __init__(self, settings: BuildSettings) -> None:
        self.settings = settings
        self._glossary: str | None = None

    def glossary(self) -> str:
        if self._glossary is None:
            self._glossary = _hash_files(glossary_files(self.settings))
        return self._glossary

    def __call__(self, source: Path, data: bytes) -> tuple[str, str]:
        """(sha256 of the source's bytes, cache key)."""
        from .translate.memory import memory_path

        settings = self.settings
        name = settings_name(source, settings)
        sha = hashlib.sha256(data).hexdigest()
        mem = memory_path(settings.translations_dir, name)
        memory = _hash_files([mem] if mem.exists() else [])
        title = settings.titles.get(name, "")
        key = hashlib.sha256("|".join((name + source.suffix, sha, code_version(), self.glossary(), memory, title)).encode()).hexdigest()
        return sha, key


def plan(files: list[Path], settings: BuildSettings, use_cache: bool = True, manifest=None,
         keep_bytes: bool = False) -> Iterator[Outcome | Job]:
    """Each source in turn: a ``cached`` Outcome when nothing that shapes it changed — its
    outputs are in the output folder as the manifest's row says (``manifest``), or in the
    build cache — else a Job to build. Lazy, so a build of many documents starts building at
    once and holds one source at a time."""
    import time

    keys = SourceKeys(settings)
    for source in files:
        started = time.perf_counter()
        name = settings_name(source, settings)
        try:
            data = source.read_bytes()
            sha, key = keys(source, data)
        except OSError:
            yield Job(source, name)  # building it says what is wrong with the file
            continue
        if use_cache:
            row = manifest.unchanged(name + source.suffix, key) if manifest is not None else None
            if row is not None:
                yield Outcome(name, source, CACHED, summary=summary_of_row(row), seconds=time.perf_counter() - started,
                              key=key, sha256=sha, row=row)
                continue
            hit = _cache_hit(key, name, settings)
            if hit is not None:
                yield Outcome(name, source, CACHED, files=hit["files"], summary=hit["summary"],
                              seconds=time.perf_counter() - started, key=key, sha256=sha)
                continue
        yield Job(source, name, key, sha, data if keep_bytes else None)


def summary_of_row(row: dict) -> dict:
    """The part of a document's summary a manifest row keeps (segment states, warnings)."""
    return {"states": {s: row.get("segments", {}).get(s, 0) for s in STATES}, "keys": {}, "term_findings": [],
            "structure": list(row.get("warnings", [])), "title": "", "pages": row.get("pages"), "qa": dict(row.get("qa", {}))}


# Documents waiting in a local worker's queue, per worker: enough that none waits for work.
QUEUED_PER_WORKER = 2
# Attempts at a document whose process died (killed by the system: out of memory?), alone after the first.
PROCESS_ATTEMPTS = 2


def run_local(items: Iterator[Outcome | Job], settings: BuildSettings, use_cache: bool, jobs: int,
              page_jobs: int | None = 1) -> Iterator[Outcome]:
    """Build the jobs of ``items`` on this machine, passing its outcomes through: in this process
    when ``jobs`` is 1, else in ``jobs`` worker processes with a few documents queued each (so
    memory holds no more than those, however many documents there are). Outcomes come as the
    documents finish.

    The termbase is loaded here before the first document is built: an error in it is the whole
    build's (raised), not every document's; an up-to-date build never loads it.
    """
    termbase = None
    if jobs == 1:
        for item in items:
            if isinstance(item, Job):
                if termbase is None:
                    termbase = load_glossary(settings)  # DataFileError: the build's
                item = _build_one(item, settings, page_jobs, use_cache, termbase)
            yield item
        return
    yield from _run_in_processes(items, settings, use_cache, jobs)


def _worker_start(settings: BuildSettings) -> None:
    """In each worker process: Ctrl-C is the parent's to handle (it stops the build; a worker
    would print a traceback), and the termbase is loaded once for all its documents."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _WORKER_TERMBASE
    try:
        _WORKER_TERMBASE = load_glossary(settings)
    except EditionError:
        _WORKER_TERMBASE = None  # the parent loaded it a moment ago; each document will say why


_WORKER_TERMBASE = None


def _build_in_worker(job: Job, settings: BuildSettings, use_cache: bool) -> Outcome:
    return _build_one(job, settings, 1, use_cache, _WORKER_TERMBASE)


def pass_outcomes(source: Iterator[Outcome | Job]) -> Iterator[Outcome]:
    """The outcomes at the head of a plan's stream (cached, or failed before building), passed
    on one by one; returns the next job, or None at the stream's end:
    ``job = yield from pass_outcomes(source)``."""
    for item in source:
        if not isinstance(item, Outcome):
            return item
        yield item
    return None


def _run_in_processes(items: Iterator[Outcome | Job], settings: BuildSettings, use_cache: bool, jobs: int) -> Iterator[Outcome]:
    """``jobs`` worker processes, ``QUEUED_PER_WORKER`` documents each in flight. A worker the
    system kills (out of memory) breaks the whole pool: the documents then in flight are built
    again one at a time in a new pool, so only the one that kills its process fails."""
    from collections import deque
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=jobs, initializer=_worker_start, initargs=(settings,))

    pool = None
    pending: dict = {}
    suspects: deque[Job] = deque()  # in flight when a process died: rebuilt alone
    deaths: dict[str, int] = {}
    source = iter(items)
    exhausted = False
    try:
        while True:
            window = 1 if suspects else jobs * QUEUED_PER_WORKER
            while len(pending) < window:
                if suspects:
                    if pending:
                        break
                    job = suspects.popleft()
                else:
                    job = yield from pass_outcomes(source)
                    if job is None:
                        exhausted = True
                        break
                if pool is None:
                    load_glossary(settings)  # DataFileError: the build's, raised before any worker starts
                    pool = new_pool()
                pending[pool.submit(_build_in_worker, job, settings, use_cache)] = job
            if not pending:
                if exhausted and not suspects:
                    break
                continue
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = []
            for future in done:
                job = pending.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    broken.append(job)
            if broken:
                broken += list(pending.values())  # the pool is gone: every document in flight with it
                pending.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = None
                alone = len(broken) == 1
                for job in sorted(broken, key=lambda j: j.name):
                    deaths[job.name] = deaths.get(job.name, 0) + (1 if alone else 0)
                    if deaths[job.name] >= PROCESS_ATTEMPTS:
                        yield Outcome(job.name, job.source, FAILED, key=job.key, sha256=job.sha256,
                                      error=f"{job.source}: the process building it died {deaths[job.name]} times (killed by the system:"
                                            " out of memory?) — build it alone with -j 1 to see why")
                    else:
                        suspects.append(job)
    except BaseException:
        if pool is not None:
            _stop(pool)  # Ctrl-C, or the build stopped: the documents being built are dropped, now
        raise
    if pool is not None:
        pool.shutdown()


def _stop(pool) -> None:
    """End a process pool's workers at once: they ignore Ctrl-C, and a shutdown would wait for
    the documents they are building (the next run redoes those)."""
    if hasattr(pool, "terminate_workers"):  # Python 3.14
        pool.terminate_workers()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # building it says what is wrong


def build_stream(files: list[Path], settings: BuildSettings, use_cache: bool = True, manifest=None,
                 scheduler: str | None = None) -> Iterator[Outcome]:
    """Every source's outcome, one at a time as each finishes: on this machine (``-j``), or as
    tasks on the Dask cluster whose scheduler is at ``scheduler`` (see :mod:`edition.cluster`).

    The largest documents go first: a long one started last would keep one core busy alone
    while the others wait (the corpus at -j 2: 0.57 of -j 1 in name order, 0.52 this way).
    """
    if len(files) > 1:
        files = sorted(files, key=_size, reverse=True)
    if scheduler is not None:
        from .cluster import run_on_cluster

        return run_on_cluster(plan(files, settings, use_cache, manifest, keep_bytes=True), settings, scheduler)
    if len(files) == 1:  # one document alone reads its pages in parallel instead
        return run_local(plan(files, settings, use_cache, manifest), settings, use_cache, 1, settings.jobs or None)
    jobs = min(settings.jobs or os.cpu_count() or 1, len(files))
    return run_local(plan(files, settings, use_cache, manifest), settings, use_cache, jobs)


# --- the client's side: each outcome written (or checked) as it comes ----------------------------


def _bytes(data: str | bytes) -> bytes:
    return data if isinstance(data, bytes) else data.encode("utf-8")


def write_outcome(outcome: Outcome, out_dir: Path) -> list[Path]:
    """Write the files of one document that changed, all or nothing, and remove the pictures its
    edition no longer shows; the paths written. (A failed document's files stay as they were.)"""
    from .render.edition import stale_assets

    changed: dict[Path, str | bytes] = {}
    for name, data in sorted(outcome.files.items()):
        target = out_dir / name
        if target.is_file() and target.read_bytes() == _bytes(data):
            continue
        changed[target] = data
    if changed:
        write_files_atomic(changed)
    if outcome.files:
        for old in stale_assets(out_dir, outcome.name, set(outcome.files)):
            old.unlink()
    return list(changed)


def check_outcome(outcome: Outcome, out_dir: Path) -> list[str]:
    """What differs between out_dir and one document's fresh build: one line per file."""
    diffs = []
    for name, text in sorted(outcome.files.items()):
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
    return diffs


def orphan_files(names: set[str], failed: set[str], out_dir: Path) -> list[str]:
    """Files in out_dir that no source of this build produces (a renamed or deleted source's
    leftovers): one line each. ``names`` are the build's documents; their pictures are checked
    with each document (:func:`edition.render.edition.stale_assets`). Hidden files, the
    manifest and the outputs of ``failed`` documents are not counted."""
    from .manifest import MANIFEST_NAME
    from .render.edition import html_name, output_files
    from .render.figures import assets_dir

    if not out_dir.is_dir():
        return []
    expected = {f for name in names for f in (*output_names(name), html_name(name))} | {MANIFEST_NAME}
    folders = {assets_dir(name) for name in names}
    return [
        f"{out_dir / rel}: no source produces it — delete it (or restore its source)"
        for rel in output_files(out_dir, skip=failed)
        if rel not in expected and rel.rpartition("/")[0] not in folders
    ]


@dataclass
class Totals:
    """What a build did, counted as it went (nothing per document is kept: a build of any size
    holds the same)."""

    built: int = 0
    cached: int = 0
    failed: int = 0
    written: int = 0
    states: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))
    problems: list[str] = field(default_factory=list)  # --check: one line per problem

    @property
    def done(self) -> int:
        return self.built + self.cached + self.failed

    def add(self, outcome: Outcome) -> None:
        if outcome.status == FAILED:
            self.failed += 1
            return
        self.built += outcome.status == BUILT
        self.cached += outcome.status == CACHED
        for s in STATES:
            self.states[s] += (outcome.summary or {}).get("states", {}).get(s, 0)


class Interrupted(Exception):
    """Ctrl-C stopped the build: ``done`` of ``total`` documents have their rows (and files)."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__(f"interrupted after {done} of {total} document(s)")
        self.done, self.total = done, total


class _interruptible:
    """Ctrl-C during a build → :class:`Interrupted`, saying how far it got."""

    def __init__(self, totals: Totals, total: int) -> None:
        self.totals, self.total = totals, total

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, exc, tb):
        if kind is KeyboardInterrupt:
            raise Interrupted(self.totals.done, self.total) from None
        return None


def run_build(files: list[Path], settings: BuildSettings, use_cache: bool = True, check: bool = False,
              scheduler: str | None = None, report=None) -> Totals:
    """Build every source and write each document's files as it finishes (``check``: compare
    them with the output folder instead, writing nothing), with a row in ``OUT/manifest.jsonl``
    for each (see :mod:`edition.manifest`). A document that fails — bad input, a file that
    cannot be written, a bug — is its row, never the end of the build. ``report(outcome)`` is
    called after each document. Raises EditionError for what stops the whole build (a broken
    termbase, an unreachable cluster, a manifest that cannot be written).
    """
    import time
    from dataclasses import replace

    from .manifest import Manifest, row_of

    out = settings.out_dir
    totals = Totals()
    names: set[str] = set()
    failed: set[str] = set()
    diffs: list[tuple[str, list[str]]] = []
    english: list[tuple[str, list[str]]] = []
    orphans: list[str] = []
    with (_no_manifest() if check else Manifest(out)) as manifest, _interruptible(totals, len(files)):
        for outcome in build_stream(files, settings, use_cache, manifest, scheduler):
            names.add(outcome.name)
            if outcome.status != FAILED:
                try:
                    if check:
                        diffs.append((outcome.name, check_outcome(outcome, out)))
                        orphans += _stale_lines(outcome, out)
                        english.append((outcome.name, translation_problems(outcome.name, outcome.summary, outcome.source, settings)))
                    else:
                        totals.written += len(write_outcome(outcome, out))
                except EditionError as err:  # a file of its own cannot be written: this document failed
                    outcome = replace(outcome, status=FAILED, error=str(err), files={}, summary=None)
            if manifest is not None:
                manifest.append(row_of(outcome, time.time()))
            totals.add(outcome)  # right after its row: Ctrl-C says how many are done as the manifest does
            if outcome.status == FAILED:
                failed.add(outcome.name)
            if report is not None:
                report(outcome)
            del outcome  # written: its files go now, not while the next document is built
        if manifest is not None:
            manifest.finish()
    if check:
        orphans += orphan_files(names, failed, out)
        totals.problems = [line for _, lines in sorted(diffs) for line in lines] + sorted(orphans)
        totals.problems += [line for _, lines in sorted(english) for line in lines]
    return totals


class _no_manifest:
    """--check writes nothing, not even a manifest."""

    def __enter__(self):
        return None

    def __exit__(self, *exc) -> None:
        return None


def _stale_lines(outcome: Outcome, out_dir: Path) -> list[str]:
    from .render.edition import stale_assets

    return [f"{p}: no source produces it — delete it (or restore its source)" for p in stale_assets(out_dir, outcome.name, set(outcome.files))]


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


def translation_problems(stem: str, summary: dict, source: Path, settings: BuildSettings) -> list[str]:
    """What makes --check fail about one document's English, one line per kind, each saying
    which segments, how many, and the command that fixes them: draft, stale and missing
    segments, no title, and English that does not name what the Chinese names."""
    from .translate.memory import memory_path

    out = []
    opts = command_options(settings)
    mem = memory_path(settings.translations_dir, stem)
    keys = summary["keys"]
    if keys["draft"]:
        out.append(
            f"{stem}: {len(keys['draft'])} draft segment(s) — English not reviewed yet, a machine draft or a reused close match ({_keys(keys['draft'])}):"
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

