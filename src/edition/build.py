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
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
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
    return files


def _hash_files(files: list[Path]) -> str:
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()


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


def build_document(source: Path, settings: BuildSettings, page_jobs: int | None = None) -> dict[str, str]:
    """One source → its output files (name → text). Raises EditionError on bad input."""
    from .glossary.apply import apply_glossary
    from .glossary.termbase import default_glossary_dir, load_termbase
    from .pipeline import extract
    from .render.json import document_to_json
    from .render.markdown import document_to_markdown, qa_report
    from .translate.apply import translate_document
    from .translate.memory import load_memory, memory_path

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
    except OSError:
        pass  # a cache that cannot be written only costs time


def _build_one(args: tuple[Path, BuildSettings, int | None, bool]) -> tuple[str, dict[str, str] | None, str | None, bool]:
    source, settings, page_jobs, use_cache = args
    try:
        if settings.backend != "memory":
            # the backend fills the memory first, so the key (which covers the memory) is known
            # only afterwards, and a cached build must not hide the gaps it is asked to fill
            files = build_document(source, settings, page_jobs)
            if use_cache:
                _cache_write(settings, cache_key(source, settings), files)
            return source.stem, files, None, False
        key = cache_key(source, settings) if use_cache else ""
        if use_cache:
            hit = _cache_read(settings, key)
            if hit is not None:
                return source.stem, hit, None, True
        files = build_document(source, settings, page_jobs)
        if use_cache:
            _cache_write(settings, key, files)
        return source.stem, files, None, False
    except EditionError as err:
        return source.stem, None, str(err), False
    except OSError as err:
        return source.stem, None, f"{source}: {err.strerror or err} — check the file", False


def build(sources: list[Path], settings: BuildSettings, use_cache: bool = True, progress=None) -> BuildResult:
    """Build every source; failures are isolated per document. Nothing is written here."""
    files = discover_sources(sources)
    jobs = settings.jobs or os.cpu_count() or 1
    result = BuildResult()
    if len(files) == 1 or jobs == 1:
        tasks = [(f, settings, None if len(files) == 1 else 1, use_cache) for f in files]
        outcomes = []
        for t in tasks:
            outcomes.append(_build_one(t))
            if progress:
                progress(1)
    else:
        # documents in parallel; each reads its pages in one process then
        tasks = [(f, settings, 1, use_cache) for f in files]
        with ProcessPoolExecutor(max_workers=min(jobs, len(files))) as pool:
            outcomes = []
            for o in pool.map(_build_one, tasks):
                outcomes.append(o)
                if progress:
                    progress(1)
    for stem, out, err, cached in outcomes:
        if err is not None:
            result.failures[stem] = err
        else:
            result.outputs[stem] = out or {}
            if cached:
                result.cached.add(stem)
    return result


def write_outputs(result: BuildResult, out_dir: Path) -> list[Path]:
    """Write every produced file atomically; files of failed documents are left as they were."""
    written = []
    for stem in sorted(result.outputs):
        for name, text in sorted(result.outputs[stem].items()):
            target = out_dir / name
            if target.exists() and target.read_text(encoding="utf-8") == text:
                continue
            write_text_atomic(target, text)
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
