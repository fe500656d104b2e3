"""`edition build`: source documents → output/ (JSON, bilingual Markdown, QA report).

Per document: extract → glossary → translate → render, all in memory; files are written only
after every stage succeeded, each through a temporary file and an atomic rename, so a failed
build leaves output/ as it was. Results are cached by content: the key covers the source's
bytes and the versions of the code, the glossary and the translation memory.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import EditionError, SourceError
from .fsutil import write_text_atomic

SOURCE_SUFFIXES = (".pdf", ".txt", ".md")
BACKENDS = ("memory", "openai")
PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class BuildSettings:
    """Everything a build needs to know, checked when made."""

    out_dir: Path = Path("output")
    glossary_dir: Path | None = None
    translations_dir: Path = Path("translations")
    cache_dir: Path | None = Path(".cache/edition")
    jobs: int = 0  # 0: one per core
    password: str | None = None
    backend: str = "memory"  # memory: English from the memory only; openai: drafts for its gaps first
    endpoint: str | None = None  # base URL of the OpenAI-compatible server (backend openai)
    model: str = "local"  # model name sent to that server
    api_key: str | None = field(default=None, repr=False)
    timeout: float = 60  # seconds per request

    def __post_init__(self) -> None:
        if self.jobs < 0:
            raise EditionError(f"-j {self.jobs}: the number of jobs must be 0 (all cores) or more")
        if self.backend not in BACKENDS:
            raise EditionError(f"--backend {self.backend}: unknown — use one of {', '.join(BACKENDS)}")
        if self.backend == "openai" and not self.endpoint:
            raise EditionError("--backend openai: no model server given — pass --endpoint URL (or set EDITION_MT_ENDPOINT)")


@dataclass
class BuildResult:
    """What a build produced: per document stem, its files (name → text), and the failures."""

    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    cached: set[str] = field(default_factory=set)


def discover_sources(paths: list[Path]) -> list[Path]:
    """Files to build: directories are searched for documents; one document per stem.

    A report that comes both as a PDF and as a text export is one document: the PDF is the
    primary source, the export only a fallback (build it explicitly with --source FILE).
    """
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            by_stem: dict[str, Path] = {}
            for f in sorted(p.iterdir()):
                if f.is_file() and f.suffix.lower() in SOURCE_SUFFIXES and not f.name.startswith("."):
                    cur = by_stem.get(f.stem)
                    if cur is None or (f.suffix.lower() == ".pdf" and cur.suffix.lower() != ".pdf"):
                        by_stem[f.stem] = f
            files.extend(by_stem[s] for s in sorted(by_stem))
        elif p.exists():
            files.append(p)
        else:
            raise SourceError(f"{p}: no such file or directory — check --source")
    if not files:
        raise SourceError(f"{', '.join(map(str, paths))}: no PDF or .txt/.md documents found — put the report in source_docs/")
    seen: dict[str, Path] = {}
    for f in files:
        other = seen.setdefault(f.stem, f)
        if other != f:
            raise SourceError(
                f"{other} and {f}: two documents named {f.stem!r} would write the same output files — build them separately"
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
    """Hash of the package's code and schemas: a change to either invalidates the cache."""
    files = sorted(p for p in PACKAGE_DIR.rglob("*") if p.suffix in (".py", ".json") and "__pycache__" not in p.parts)
    return _hash_files(files)


def data_versions(settings: BuildSettings, stem: str) -> tuple[str, str]:
    """(glossary version, translation-memory version) by the bytes of their files."""
    from .glossary.termbase import default_glossary_dir

    gdir = settings.glossary_dir or default_glossary_dir()
    gfiles = sorted(Path(gdir).glob("*.yaml")) if Path(gdir).is_dir() else [Path(gdir)]
    mem = settings.translations_dir / f"{stem}.zh-en.yaml"
    return _hash_files([f for f in gfiles if f.exists()]), _hash_files([mem] if mem.exists() else [])


def cache_key(source: Path, settings: BuildSettings) -> str:
    src = hashlib.sha256(source.read_bytes()).hexdigest()
    g, m = data_versions(settings, source.stem)
    return hashlib.sha256("|".join((src, source.suffix.lower(), code_version(), g, m)).encode()).hexdigest()


def output_names(stem: str) -> tuple[str, str, str]:
    """The three files a document gives: JSON edition, bilingual Markdown, QA report."""
    return f"{stem}.json", f"{stem}.zh-en.md", f"{stem}.qa.md"


def build_document(source: Path, settings: BuildSettings, page_jobs: int | None = None, termbase=None) -> dict[str, str]:
    """One source → its output files (name → text). Raises EditionError on bad input.

    ``termbase``: the glossary, if the caller has loaded it already (else it is loaded here).
    """
    from .glossary.apply import apply_glossary
    from .glossary.termbase import default_glossary_dir, load_termbase
    from .pipeline import extract
    from .render.json import document_to_json
    from .render.markdown import document_to_markdown, qa_report
    from .translate.apply import translate_document
    from .translate.memory import load_memory, memory_path

    if termbase is None:
        termbase = load_termbase(settings.glossary_dir or default_glossary_dir())
    memory = load_memory(memory_path(settings.translations_dir, source.stem))
    doc = extract(source, password=settings.password, jobs=page_jobs)
    doc = apply_glossary(doc, termbase)
    if settings.backend == "openai":
        from .translate.backends import translate_missing

        # drafts go into the memory file (origin: machine) and are rendered from there
        memory = translate_missing(doc, memory, termbase, settings.endpoint or "", settings.model, settings.api_key, settings.timeout)
    doc = translate_document(doc, memory, termbase)
    doc["source"]["path"] = source.name
    json_name, md_name, qa_name = output_names(source.stem)
    return {
        json_name: document_to_json(doc, label=str(source)),
        md_name: document_to_markdown(doc),
        qa_name: qa_report(doc),
    }


def _cache_read(settings: BuildSettings, key: str) -> dict[str, str] | None:
    if settings.cache_dir is None:
        return None
    f = settings.cache_dir / f"{key}.json"
    try:
        return json.loads(f.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _cache_write(settings: BuildSettings, key: str, files: dict[str, str]) -> None:
    if settings.cache_dir is None:
        return
    try:
        write_text_atomic(settings.cache_dir / f"{key}.json", json.dumps(files, ensure_ascii=False, sort_keys=True))
    except (OSError, EditionError):
        pass  # a cache that cannot be written only costs time (the writer reports OSError as EditionError)


def _cached(source: Path, settings: BuildSettings) -> dict[str, str] | None:
    """The cached files of an unchanged source, or None (a source that cannot be read is a miss:
    building it reports why)."""
    if settings.backend != "memory":
        return None  # the backend fills the memory first: the key is known only after the build
    try:
        return _cache_read(settings, cache_key(source, settings))
    except OSError:
        return None


def _build_one(args: tuple) -> tuple[str, dict[str, str] | None, str | None]:
    """Build one document and cache it: (stem, files, None) or (stem, None, one-line error)."""
    source, settings, page_jobs, use_cache, termbase = args
    try:
        files = build_document(source, settings, page_jobs, termbase)
        if use_cache:
            _cache_write(settings, cache_key(source, settings), files)
        return source.stem, files, None
    except EditionError as err:
        return source.stem, None, str(err)
    except OSError as err:
        return source.stem, None, f"{source}: {err.strerror or err} — check the file"


def build(sources: list[Path], settings: BuildSettings, use_cache: bool = True, progress=None) -> BuildResult:
    """Build every source; failures are isolated per document. Nothing is written here.

    The cache is asked first, so an up-to-date build loads no glossary and imports no extraction
    code. The glossary is loaded once, before any document: an error in it is the whole build's
    (raised), not every document's. ``-j``: documents in parallel, one process each (each reads
    its pages alone); a single document reads its pages in parallel instead.
    """
    files = discover_sources(sources)
    result = BuildResult()
    todo = []
    for f in files:
        hit = _cached(f, settings) if use_cache else None
        if hit is None:
            todo.append(f)
            continue
        result.outputs[f.stem] = hit
        result.cached.add(f.stem)
        if progress:
            progress(1)
    if not todo:
        return result
    from .glossary.termbase import default_glossary_dir, load_termbase

    termbase = load_termbase(settings.glossary_dir or default_glossary_dir())  # DataFileError: the build's
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
        if err is not None:
            result.failures[stem] = err
        else:
            result.outputs[stem] = out or {}
    return result


def _build_in_parallel(files: list[Path], settings: BuildSettings, use_cache: bool, jobs: int, progress) -> list[tuple]:
    """One process per document (each loads the glossary itself: a Termbase holds mapping
    proxies, which do not pickle, and loading it takes milliseconds)."""
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    outcomes: dict[Path, tuple] = {}
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(_build_one, (f, settings, 1, use_cache, None)): f for f in files}
        for future in as_completed(futures):
            f = futures[future]
            try:
                outcomes[f] = future.result()
            except BrokenProcessPool:
                # the OS killed a worker (out of memory?): that document failed, not the build
                outcomes[f] = (f.stem, None, f"{f}: the process building it died (out of memory?) — build it alone with -j 1")
            if progress:
                progress(1)
    return [outcomes[f] for f in files]


def write_outputs(result: BuildResult, out_dir: Path) -> list[Path]:
    """Write every produced file atomically; files of failed documents are left as they were."""
    written = []
    for stem in sorted(result.outputs):
        for name, text in sorted(result.outputs[stem].items()):
            target = out_dir / name
            if target.is_file() and target.read_bytes() == text.encode("utf-8"):
                continue
            try:
                write_text_atomic(target, text)
            except OSError as exc:
                raise EditionError(f"{target}: cannot write ({exc.strerror or exc}) — check that --out is a writable directory") from None
            written.append(target)
    return written


def check_outputs(result: BuildResult, out_dir: Path) -> list[str]:
    """What differs between out_dir and a fresh build: one line per file."""
    diffs = []
    for stem in sorted(result.outputs):
        for name, text in sorted(result.outputs[stem].items()):
            target = out_dir / name
            if not target.exists():
                diffs.append(f"{target}: missing — run `edition build`")
                continue
            old = target.read_text(encoding="utf-8")
            if old != text:
                a, b = old.splitlines(), text.splitlines()
                line = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
                diffs.append(f"{target}: differs from a fresh build from line {line + 1} — run `edition build` and commit output/")
    return diffs


def qa_failures(result: BuildResult, out_dir: Path = Path("output")) -> list[str]:
    """Term-consistency violations make --check fail: the English must name what the Chinese names."""
    out = []
    for stem, files in sorted(result.outputs.items()):
        json_name = output_names(stem)[0]
        doc = json.loads(files[json_name])
        n = sum(1 for q in doc.get("qa", []) if q["kind"] == "term-inconsistent")
        if n:
            out.append(f"{stem}: {n} term-consistency finding(s) — see {out_dir / output_names(stem)[2]}")
    return out
