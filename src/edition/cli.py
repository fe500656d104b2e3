"""The `edition` command: one click group, every command thin over the library.

Each command parses options, calls one library function and turns an :class:`EditionError`
into a one-line ``click.ClickException`` (exit 1). Heavy imports (pdfplumber, spaCy) happen
inside the commands that need them so that `edition lookup` starts fast.
"""

from __future__ import annotations

import sys

import click

from .errors import EditionError


def fail(err: EditionError) -> click.ClickException:
    """One line for the user; tracebacks are for our bugs, not for bad input."""
    return click.ClickException(str(err))


@click.group()
@click.version_option(package_name="edition")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Build a clean bilingual (zh-Hant / English) edition of a Chinese government report.

    Inside a workspace (a folder with an edition.toml, or below one) every command finds the
    sources, translations, glossary and output folders itself; `edition init DIR` makes one.

    \b
    Example:
      edition init reports && cd reports   # a workspace; put the PDF in sources/
      edition build                        # sources/ -> output/
      edition lookup 產總研                 # look up a name in the termbase
    """
    _collect_garbage_less(ctx)


def _collect_garbage_less(ctx: click.Context) -> None:
    """Python's cycle collector run less often for the command, as it was after it: reading a
    document allocates hundreds of thousands of tuples and dicts that live to the end, and at
    the default threshold (a collection every 700) the collector walked them 390 times in a
    build of the report, 0.11 s of its 1.8 s (0.03 s at this threshold)."""
    import gc

    before = gc.get_threshold()
    gc.set_threshold(10_000, 10, 10)
    ctx.call_on_close(lambda: gc.set_threshold(*before))


@main.command("init")
@click.argument("folder", type=click.Path(file_okay=False))
def init_command(folder: str) -> None:
    """Make FOLDER a workspace: edition.toml (languages, termbase layers, drafting defaults,
    all commented) and the folders sources/, translations/, glossary/ and output/.

    Inside it (or any folder below it) every command works without path flags.

    \b
    Example:
      edition init "my reports"
      cp report.pdf "my reports/sources/" && cd "my reports" && edition build
    """
    from pathlib import Path

    from .workspace import init_workspace

    try:
        created = init_workspace(Path(folder))
    except EditionError as err:
        raise fail(err) from None
    for path in created:
        click.echo(f"created {path}{'/' if path.is_dir() else ''}")
    click.echo(f"next: put the report (PDF or text export) in {Path(folder) / 'sources'}, then run `edition build` in {folder}")


def _workspace():
    """The workspace the working directory is in, or None; a broken edition.toml is one line."""
    from .workspace import find_workspace

    try:
        return find_workspace()
    except EditionError as err:
        raise fail(err) from None


def _settings(ws, out_dir=None, translations_dir=None, glossary_dir=None, password=None, sources_root=None, **extra):
    """Build settings from the flags given, else the workspace's edition.toml, else the defaults
    of a folder without one (source_docs/, translations/, ./glossary, output/)."""
    from pathlib import Path

    from .build import BuildSettings

    if ws is not None:
        repeat = (f" --translations {translations_dir}" if translations_dir else "") + (f" --glossary {glossary_dir}" if glossary_dir else "")
        return BuildSettings(
            out_dir=Path(out_dir) if out_dir else ws.output,
            glossary_dir=Path(glossary_dir) if glossary_dir else None,
            glossary_layers=ws.layers, layers_base=ws.root,
            translations_dir=Path(translations_dir) if translations_dir else ws.translations,
            sources_root=sources_root or ws.sources, titles=dict(ws.titles), repeat_options=repeat, workspace_config=ws.config,
            password=password, **extra)
    return BuildSettings(out_dir=Path(out_dir or "output"), glossary_dir=Path(glossary_dir) if glossary_dir else None,
                         translations_dir=Path(translations_dir or "translations"), password=password,
                         sources_root=sources_root, **extra)


def _sources_root(paths: list, ws):
    """The folder whose layout names the documents: the workspace's sources/ for documents in it
    (their memories are named so); else the one folder given — a tree anywhere, mirrored under
    --out — else none (documents named by their file's stem)."""
    def under(path, folder) -> bool:
        try:
            path.resolve().relative_to(folder.resolve())
        except ValueError:
            return False
        return True

    if ws is not None and all(under(p, ws.sources) for p in paths):
        return ws.sources
    if len(paths) == 1 and paths[0].is_dir():
        return paths[0]
    return None


def _source_path(arg: str, ws):
    """A source as typed: a path from here, else a path under the workspace's sources/."""
    from pathlib import Path

    path = Path(arg)
    if not path.exists() and ws is not None and not path.is_absolute() and (ws.sources / path).exists():
        return ws.sources / path
    return path


def _workspace_sources(ws) -> list:
    from .build import discover_sources

    if ws is None:
        raise click.ClickException("give SOURCE (a PDF or a .txt/.md text export) — or run the command in a workspace (`edition init DIR`)")
    try:
        return discover_sources([ws.sources], ws.sources)
    except EditionError as err:
        raise fail(err) from None


def _one_source(ws, what: str):
    """The workspace's one document, for a command given no SOURCE."""
    files = _workspace_sources(ws)
    if len(files) != 1:
        names = ", ".join(str(f) for f in files[:5]) + (" …" if len(files) > 5 else "")
        raise click.ClickException(f"{ws.sources} holds {len(files)} documents ({names}) — give the SOURCE to {what}")
    return files[0]


@main.command()
@click.argument("source", type=click.Path(dir_okay=False))
@click.option("-o", "--output", default="-", show_default=True, help="Where to write the document JSON ('-' = stdout).")
@click.option("--password", default=None, help="Password of an encrypted PDF.")
def extract(source: str, output: str, password: str | None) -> None:
    """Extract SOURCE (a PDF or a .txt/.md text export) into the document JSON.

    \b
    Example:
      edition extract source_docs/hokkaido-report.pdf -o report.json
    """
    from .fsutil import write_text_atomic
    from pathlib import Path

    from .pipeline import extract as run_extract
    from .render.json import document_to_json

    if output != "-" and Path(output).is_dir():
        # checked before the extraction: a PDF takes seconds to read
        raise click.ClickException(f"-o {output}: is a directory — give a file name, e.g. -o {Path(output) / Path(source).stem}.json")
    from .extract.checks import structure_warnings

    try:
        doc = run_extract(source, password=password)
        text = document_to_json(doc, label=source)
        if output != "-":
            write_text_atomic(output, text)
    except EditionError as err:
        raise fail(err) from None
    for message in structure_warnings(doc):
        click.echo(f"warning: {source}: {message}", err=True)
    if output == "-":
        click.echo(text, nl=False)
    else:
        click.echo(f"wrote {output}", err=True)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
def validate(files: tuple[str, ...]) -> None:
    """Validate document JSON (and glossary / translation-memory YAML) against the package's schemas.

    Prints one line per error: file, JSON path, what is wrong; exit 1 if any file is invalid.

    \b
    Example:
      edition validate output/hokkaido-report.json glossary/institutions.yaml
    """
    from .validate import validate_file

    results = [(f, validate_file(f)) for f in files]
    problems = [line for _, errors in results for line in errors]
    if len(files) == 1 and len(problems) == 1:
        raise click.ClickException(problems[0])  # one file, one problem: one line
    for f, errors in results:
        for line in errors:
            click.echo(line, err=True)
        if not errors:
            click.echo(f"{f}: valid")
    bad = sum(1 for _, errors in results if errors)
    if bad:
        raise click.ClickException(f"{bad} of {len(files)} file(s) invalid")


_DATA_OPTIONS = [
    click.option("--translations", "translations_dir", default=None, type=click.Path(file_okay=False),
                 help="Translation-memory directory (default: the workspace's, else ./translations)."),
    click.option("--glossary", "glossary_dir", default=None, type=click.Path(),
                 help="Glossary directory, used alone (default: the workspace's termbase layers, else ./glossary)."),
    click.option("--password", default=None, help="Password for encrypted PDFs."),
]


def _data_options(f):
    for option in reversed(_DATA_OPTIONS):
        f = option(f)
    return f


class _ProgressBars:
    """A progress bar on stderr per labelled task (drafting one document after another), for a terminal."""

    def __init__(self) -> None:
        self.bar = None

    def __call__(self, label: str, total: int):
        self.close()
        self.bar = click.progressbar(length=total, label=f"drafting {label}", file=sys.stderr, show_pos=True)
        self.bar.__enter__()
        done = [0]

        def advance(drafted: int, failed: int) -> None:
            self.bar.update(drafted + failed - done[0])
            done[0] = drafted + failed

        return advance

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


# Where stderr is not a terminal (a log, CI), a plain line with the counts this often.
PROGRESS_SECONDS = 5.0


class _ProgressLines:
    """Progress as plain lines on stderr ('…: drafted 40/326, 2 failed') every few seconds, and
    once more when a document is done: a bar's carriage returns make a mess of a log file."""

    def __init__(self) -> None:
        self.last_line = None

    def __call__(self, label: str, total: int):
        import time

        self.close()
        last = [time.monotonic()]
        state = {"line": None}

        def advance(drafted: int, failed: int) -> None:
            line = f"{label}: drafted {drafted}/{total}, {failed} failed"
            state["line"] = line
            if drafted + failed >= total or time.monotonic() - last[0] >= PROGRESS_SECONDS:
                click.echo(line, err=True)
                last[0] = time.monotonic()
                state["line"] = None

        self.last_line = state
        return advance

    def close(self) -> None:
        # drafting stopped early: the counts it reached
        if self.last_line and self.last_line["line"]:
            click.echo(self.last_line["line"], err=True)
        self.last_line = None


def _draft_report_lines(report) -> list[str]:
    """What drafting one document did, for stderr: drafted, kept, and each failed segment."""
    kept = f"; kept the English written meanwhile in {report.kept} segment(s)" if report.kept else ""
    failed = f"; {len(report.failed)} failed — left missing, run the same command again to retry them" if report.failed else ""
    lines = [f"drafted {report.drafted} of {report.missing} missing segment(s) into {report.memory}{kept}{failed}"]
    shown = report.failed[:10]
    lines += [f"  failed {key}: {why}" for key, why in shown]
    if len(report.failed) > len(shown):
        lines.append(f"  … and {len(report.failed) - len(shown)} more")
    return lines


# Options that only drafting reads: given without --backend openai they would do nothing.
_DRAFTING_OPTIONS = ("endpoint", "model", "timeout", "retries", "concurrency")


@main.command()
@click.option("--source", "sources", multiple=True, type=click.Path(), help="A document or a directory of documents (repeatable). Default: the workspace's sources/, else source_docs/.")
@click.option("--out", "out_dir", default=None, type=click.Path(file_okay=False), help="Where the edition is written (default: the workspace's output/, else output/).")
@_data_options
@click.option("--no-cache", is_flag=True, help="Rebuild everything; neither read nor write the cache.")
@click.option("--cache-dir", envvar="EDITION_CACHE_DIR", default=None, type=click.Path(file_okay=False),
              help="Where built documents are cached (env EDITION_CACHE_DIR; default $XDG_CACHE_HOME/edition or ~/.cache/edition).")
@click.option("--check", is_flag=True, help="Build in memory, write nothing; exit 1 if --out differs from a fresh build, holds files no source produces, "
              "or a segment is draft, stale or missing, or the English breaks term consistency.")
@click.option("-j", "--jobs", default=0, show_default=True, help="Processes on this machine: documents built in parallel, or one document's pages read in parallel (0 = one per core).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Build the documents as tasks on a running Dask cluster, e.g. tcp://10.0.0.5:8786 (started with `dask scheduler` and"
              " `dask worker`, or Dask's deployment tools); this process writes --out and the manifest. Needs edition[cluster].")
@click.option(
    "--backend",
    type=click.Choice(["memory", "openai"]),
    default="memory",
    show_default=True,
    help="Where English comes from: the translation memory only, or first drafts from an OpenAI-compatible "
    "server for the segments the memory lacks (saved into the memory with origin: machine and the model, for review).",
)
@click.option("--endpoint", envvar="EDITION_MT_ENDPOINT", default=None, help="Base URL of the OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1 (env EDITION_MT_ENDPOINT; API key from EDITION_MT_API_KEY).")
@click.option("--model", envvar="EDITION_MT_MODEL", default="local", show_default=True, help="Model name sent to the server (env EDITION_MT_MODEL).")
@click.option("--timeout", default=60.0, show_default=True, type=float, help="Seconds to wait for each answer of the model server.")
@click.option("--retries", default=3, show_default=True, type=int, help="Further attempts of a failed request (waiting 1, 2, 4 … s) before drafting stops.")
@click.option("--concurrency", default=None, type=int, help="Drafting requests kept in flight at once (default: edition.toml's backend.concurrency, else 1).")
@click.pass_context
def build(ctx, sources, out_dir, translations_dir, glossary_dir, password, no_cache, cache_dir, check, jobs, scheduler, backend, endpoint, model, timeout, retries, concurrency) -> None:
    """Regenerate the clean JSON, the bilingual Markdown and HTML editions from source documents.

    For each document: <name>.json (validated), <name>.zh-en.md, <name>.html (its pictures in
    <name>.assets/) and <name>.qa.md in --out, where the name is the document's path under
    the sources folder without its extension (sources/a/report.pdf gives output/a/report.…).
    Each document's files are written as it finishes, with a row in --out's manifest.jsonl
    (built, cached or failed); a rerun rebuilds only what changed or was left unfinished.
    The last line counts the segments by state: translated, draft, stale, missing.

    \b
    Example:
      edition build                       # in a workspace: sources/ -> output/
      edition build --source report.txt --out /tmp/edition
      edition build --source archive/ --out editions/ -j 4     # a folder tree, 4 at a time
      edition build --source archive/ --out editions/ --scheduler tcp://10.0.0.5:8786   # on a Dask cluster
      edition build --check               # CI: is output/ up to date and fully reviewed?
      edition build --backend openai --endpoint http://127.0.0.1:8080/v1 --concurrency 4   # draft the gaps
    """
    import os
    from pathlib import Path

    from .build import Interrupted, discover_sources, draft_sources, run_build, states_line
    from .cache import default_cache_dir
    from .workspace import Backend

    ws = _workspace()
    defaults = ws.backend if ws is not None else Backend()

    def given(name: str) -> bool:
        return ctx.get_parameter_source(name) in (click.core.ParameterSource.COMMANDLINE, click.core.ParameterSource.ENVIRONMENT)

    endpoint = endpoint if given("endpoint") else defaults.endpoint
    model = model if given("model") else defaults.model
    timeout = timeout if given("timeout") else defaults.timeout
    retries = retries if given("retries") else defaults.retries
    concurrency = concurrency if concurrency is not None else defaults.concurrency

    if scheduler is not None and ctx.get_parameter_source("jobs") == click.core.ParameterSource.COMMANDLINE:
        raise click.ClickException(f"-j {jobs} is for processes on this machine; with --scheduler the cluster's workers build the"
                                   " documents — leave -j out (start each worker with `dask worker ADDRESS --nworkers N --nthreads 1`)")
    if check and backend != "memory":
        raise click.ClickException("--check writes nothing, but --backend openai writes drafts to the memory — run them separately")
    if backend != "openai":
        stray = [name for name in _DRAFTING_OPTIONS if ctx.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE]
        if stray:
            raise click.ClickException(f"--{stray[0]} is for drafting — add --backend openai to draft the missing English, or leave --{stray[0]} out")
    bars = _ProgressBars() if sys.stderr.isatty() else _ProgressLines()
    try:
        paths = [_source_path(s, ws) for s in sources] or [ws.sources if ws is not None else Path("source_docs")]
        settings = _settings(
            ws, out_dir=out_dir, translations_dir=translations_dir, glossary_dir=glossary_dir, password=password,
            sources_root=_sources_root(paths, ws),
            cache_dir=Path(cache_dir) if cache_dir else default_cache_dir(),
            jobs=jobs,
            backend=backend,
            endpoint=endpoint,
            model=model,
            api_key=os.environ.get("EDITION_MT_API_KEY") or None,
            timeout=timeout,
            retries=retries,
            concurrency=concurrency,
        )
        # directories are searched once, here; build() only checks the files it is given
        files = discover_sources(paths, settings.sources_root)
        if backend == "openai":
            try:
                reports = draft_sources(files, settings, progress_for=bars)
            finally:
                bars.close()
            for report in reports:
                if report.missing:
                    for line in _draft_report_lines(report):
                        click.echo(line, err=True)
        progress = _BuildProgress(len(files), terminal=isinstance(bars, _ProgressBars))
        try:
            totals = run_build(files, settings, use_cache=not no_cache, check=check, scheduler=scheduler, report=progress)
        except Interrupted as stop:
            progress.close()
            raise click.ClickException(f"{stop} — run the same command again to go on: what is done is kept") from None
        finally:
            progress.close()
    except EditionError as err:
        raise fail(err) from None
    if len(files) == 1 and totals.failed == 1:
        # the one document asked for failed: its reason is the whole message (one line)
        raise click.ClickException(progress.failures[0])
    ok = totals.built + totals.cached
    if check:
        for line in totals.problems:
            click.echo(line, err=True)
        if totals.problems or totals.failed:
            raise click.ClickException(f"{len(totals.problems)} problem(s), {totals.failed} failed document(s)")
        click.echo(f"{settings.out_dir} is up to date ({ok} document(s); segments: {states_line(totals.states)})")
        return
    click.echo(
        f"built {ok} document(s) ({totals.cached} from cache), wrote {totals.written} file(s) to {settings.out_dir}"
        f"; segments: {states_line(totals.states)}"
        + (f"; {totals.failed} failed" if totals.failed else ""),
        err=True,
    )
    if totals.failed:
        raise click.ClickException(f"{totals.failed} of {ok + totals.failed} document(s) failed")


class _BuildProgress:
    """What a build says on stderr as each document finishes: a failure at once (with the
    traceback when the reason is a bug of ours), its warnings, and the progress — a bar on a
    terminal, else a count line every few seconds (a bar's carriage returns make a mess of a log)."""

    def __init__(self, total: int, terminal: bool) -> None:
        import time

        self.total = total
        self.counts = {"built": 0, "cached": 0, "failed": 0}
        self.failures: list[str] = []  # only kept for the one-document build's message
        self.bar = None
        if terminal and total > 1:
            self.bar = click.progressbar(length=total, label="building", file=sys.stderr, show_pos=True)
            self.bar.__enter__()
        self.last = time.monotonic()

    def __call__(self, outcome) -> None:
        import time

        self.counts[outcome.status] += 1
        lines = []
        if outcome.status == "failed":
            if self.total == 1:
                self.failures.append(outcome.error)  # the whole message, the build's last line
            else:
                lines.append(f"failed: {outcome.error}")
            if outcome.trace:  # a bug of ours: its traceback, for the report
                lines.append(outcome.trace.rstrip("\n"))
        for message in (outcome.summary or {}).get("structure", []):
            lines.append(f"warning: {outcome.name}: {message}")
        if lines and self.bar is not None:
            click.echo("", err=True)  # off the bar's line
        for line in lines:
            click.echo(line, err=True)
        if self.bar is not None:
            self.bar.update(1)
        elif time.monotonic() - self.last >= PROGRESS_SECONDS and sum(self.counts.values()) < self.total:
            click.echo(self.line(), err=True)
            self.last = time.monotonic()

    def line(self) -> str:
        c = self.counts
        return f"building: {sum(c.values())}/{self.total} document(s) done ({c['built']} built, {c['cached']} cached, {c['failed']} failed)"

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


# --- memory commands (the translator's loop) --------------------------------------------------


@main.group("memory")
def memory_group() -> None:
    """Start, review, accept and exchange a document's translation memory
    (translations/<name>.zh-en.yaml).

    A segment is translated (reviewed English), draft (English awaiting review: a machine's,
    or a close match from another memory), stale (English written for Chinese that has
    changed since) or missing (no English yet). In a workspace SOURCE may be left out: every
    document (init, status), or the only one (accept, export).

    \b
    Example:
      edition memory init sources/new-report.pdf     # every segment, English empty
      edition memory status                          # what awaits review, every document
      edition memory accept new-report.pdf --all
      edition memory export new-report.pdf --format xliff -o new-report.xlf
      edition memory import new-report.xlf
    """


def _memory_settings(translations_dir, glossary_dir, password, ws=None):
    return _settings(ws, translations_dir=translations_dir, glossary_dir=glossary_dir, password=password, cache_dir=None)


def _memory_sources(sources, ws) -> list:
    return [_source_path(s, ws) for s in sources] if sources else _workspace_sources(ws)


@memory_group.command("init")
@click.argument("sources", nargs=-1, type=click.Path())
@click.option("--no-reuse", is_flag=True, help="Do not pre-fill from the workspace's other memories and TMX files.")
@_data_options
def memory_init_command(sources, no_reuse, translations_dir, glossary_dir, password) -> None:
    """Write the starter memory of each SOURCE: one unit per segment, Chinese filled, English
    empty — or, where a reviewed memory in the translations folder (or a TMX file there)
    already translates the same Chinese, its English: an exact match as translated, a close
    one (≥ 85 % similar) as a draft with its similarity. Says how many of each.

    An existing memory keeps every unit; only segments it lacks are added.

    \b
    Example:
      edition memory init sources/new-report.pdf
      edition memory init                  # in a workspace: every document
    """
    from .translate.review import init_memory

    ws = _workspace()
    try:
        settings = _memory_settings(translations_dir, glossary_dir, password, ws)
        for source in _memory_sources(sources, ws):
            click.echo(init_memory(source, settings, reuse=not no_reuse))
    except EditionError as err:
        raise fail(err) from None


@memory_group.command("status")
@click.argument("sources", nargs=-1, type=click.Path())
@_data_options
def memory_status_command(sources, translations_dir, glossary_dir, password) -> None:
    """List each SOURCE's draft, stale and missing segments with their Chinese (old and new),
    English and where the English came from.

    \b
    Example:
      edition memory status source_docs/hokkaido-report.pdf
      edition memory status                # in a workspace: every document
    """
    from .translate.review import memory_status

    ws = _workspace()
    try:
        settings = _memory_settings(translations_dir, glossary_dir, password, ws)
        for source in _memory_sources(sources, ws):
            click.echo(memory_status(source, settings), nl=False)
    except EditionError as err:
        raise fail(err) from None


def _source_and_keys(args: tuple[str, ...], ws, what: str):
    """accept's arguments: SOURCE then KEYs — SOURCE may be left out in a workspace with one
    document (a key has a '#', a document does not)."""
    if args:
        first = _source_path(args[0], ws)
        if first.exists() or "#" not in args[0]:
            return first, list(args[1:])
    return _one_source(ws, what), list(args)


@memory_group.command("accept")
@click.argument("args", nargs=-1, metavar="[SOURCE] [KEY]...")
@click.option("--all", "every", is_flag=True, help="Accept every draft and stale segment of SOURCE.")
@_data_options
def memory_accept_command(args, every, translations_dir, glossary_dir, password) -> None:
    """Mark reviewed English as current for its Chinese: a draft becomes reviewed (reviewed: true,
    its origin — machine, reuse — kept), a stale segment's Chinese and hash are brought up to
    date. Never edit a hash by hand.

    \b
    Example:
      edition memory accept source_docs/hokkaido-report.pdf 'ch1.formal1/p1#text'
      edition memory accept source_docs/hokkaido-report.pdf --all
    """
    from .translate.review import accept_memory

    ws = _workspace()
    try:
        source, keys = _source_and_keys(args, ws, "accept")
        click.echo(accept_memory(source, _memory_settings(translations_dir, glossary_dir, password, ws), keys, every))
    except EditionError as err:
        raise fail(err) from None


@memory_group.command("export")
@click.argument("source", required=False, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["xliff", "tmx"]), required=True, help="XLIFF 1.1 (every segment with its key and state) or TMX 1.4 (the segments with English).")
@click.option("-o", "--output", "output", required=True, type=click.Path(), help="The file to write.")
@_data_options
def memory_export_command(source, fmt, output, translations_dir, glossary_dir, password) -> None:
    """Write SOURCE's memory for a CAT tool (OmegaT, Trados, memoQ, Phrase, Weblate).

    XLIFF carries every segment: its key as the unit id, its Chinese, its English and its state
    (translated; draft = needs-review-translation; stale = needs-review-translation with the old
    Chinese in a note; missing = no target). TMX carries the segments that have English, with
    srclang zh-Hant. Both are written by translate-toolkit; `edition memory import` reads them back.

    \b
    Example:
      edition memory export sources/report.pdf --format xliff -o report.xlf
      edition memory export --format tmx -o report.tmx    # the workspace's only document
    """
    from pathlib import Path

    from .translate.exchange import export_memory

    ws = _workspace()
    try:
        path = _source_path(source, ws) if source else _one_source(ws, "export")
        for line in export_memory(path, _memory_settings(translations_dir, glossary_dir, password, ws), fmt, Path(output)):
            click.echo(line, err=True)
    except EditionError as err:
        raise fail(err) from None


@memory_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("source", required=False, type=click.Path())
@_data_options
def memory_import_command(file, source, translations_dir, glossary_dir, password) -> None:
    """Bring a CAT tool's English back from FILE (XLIFF or TMX) into a memory.

    Each unit is placed by its key, else by its Chinese. A segment without English gets the
    file's; a person's English that differs is kept and listed, never replaced silently (unless
    the memory still holds what was exported). A unit confirmed in the CAT tool (XLIFF state
    translated, final, signed-off) is marked reviewed. What could not be placed is listed.
    The document is SOURCE, else the one the file names. A TMX that names no document is
    copied into the translations folder, where `edition memory init` reuses it.

    \b
    Example:
      edition memory import report.xlf
      edition memory import old-reports.tmx          # a TMX for reuse
    """
    from pathlib import Path

    from .translate.exchange import import_file

    ws = _workspace()
    try:
        settings = _memory_settings(translations_dir, glossary_dir, password, ws)
        out, err_lines = import_file(Path(file), _source_path(source, ws) if source else None, settings, ws)
    except EditionError as err:
        raise fail(err) from None
    for line in err_lines:
        click.echo(line, err=True)
    click.echo(out)


# --- cache commands ---------------------------------------------------------------------------

_CACHE_DIR_OPTION = click.option(
    "--cache-dir", envvar="EDITION_CACHE_DIR", default=None, type=click.Path(file_okay=False),
    help="The cache directory (env EDITION_CACHE_DIR; default $XDG_CACHE_HOME/edition or ~/.cache/edition).",
)


@main.group("cache")
def cache_group() -> None:
    """The build cache: where it is, how big, and emptying it.

    It holds built documents by a hash of everything that shapes them, up to
    EDITION_CACHE_MAX_MB megabytes (default 200); the least recently used go first.

    \b
    Example:
      edition cache info
      edition cache clear
    """


def _cache_dir(cache_dir):
    from pathlib import Path

    from .cache import default_cache_dir

    return Path(cache_dir) if cache_dir else default_cache_dir()


@cache_group.command("info")
@_CACHE_DIR_OPTION
def cache_info_command(cache_dir) -> None:
    """Print where the cache is, how many documents it holds, its size and its bound.

    \b
    Example:
      edition cache info
    """
    from .cache import cache_usage, default_max_bytes, megabytes

    try:
        usage = cache_usage(_cache_dir(cache_dir))
        bound = default_max_bytes()
    except EditionError as err:
        raise fail(err) from None
    click.echo(f"{usage.path}: {usage.entries} entr{'y' if usage.entries == 1 else 'ies'}, {megabytes(usage.bytes)} of at most {megabytes(bound)}")


@cache_group.command("clear")
@_CACHE_DIR_OPTION
def cache_clear_command(cache_dir) -> None:
    """Empty the cache (the next build reads every source again).

    \b
    Example:
      edition cache clear
    """
    from .cache import cache_clear, megabytes

    try:
        usage = cache_clear(_cache_dir(cache_dir))
    except EditionError as err:
        raise fail(err) from None
    click.echo(f"removed {usage.entries} entr{'y' if usage.entries == 1 else 'ies'} ({megabytes(usage.bytes)}) from {usage.path}")


# --- glossary commands (lookup, glossary mine/export) -------------------------------------

_GLOSSARY_OPTION = click.option(
    "--glossary",
    "glossary_dir",
    type=click.Path(file_okay=True, dir_okay=True),
    default=None,
    help="Glossary directory (or one YAML file), used alone. Default: the workspace's termbase layers, else ./glossary, else the repository's glossary/.",
)


def _glossary_path(glossary_dir: str | None):
    from .glossary.termbase import default_glossary_dir

    return glossary_dir if glossary_dir is not None else default_glossary_dir()


def _termbase(glossary_dir: str | None, validate: bool = False):
    """--glossary alone, else the workspace's stacked layers, else ./glossary."""
    from .glossary.termbase import load_layers, load_termbase

    ws = _workspace() if glossary_dir is None else None
    if ws is not None:
        return load_layers(list(ws.layers), ws.root, validate=validate)
    return load_termbase(_glossary_path(glossary_dir), validate=validate)


def _reviewed(termbase) -> list:
    """The rejected candidates of every layer folder (mine-reviewed.yaml), lowest layer first."""
    from .glossary.mine import load_reviewed

    out = []
    for layer in termbase.layers:
        if not layer.packaged:
            out += load_reviewed(layer.path)
    return out


def _output_dir() -> str:
    ws = _workspace()
    return str(ws.output) if ws is not None else "output"


@main.command("lookup")
@click.argument("term")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of every matching entry, best first, with score, how it matched and where the report mentions it ([] and exit 1 when none).")
@click.option("--all", "show_all", is_flag=True, help="Show every match, not just the exact ones or the best five.")
@_GLOSSARY_OPTION
def lookup_command(term: str, as_json: bool, show_all: bool, glossary_dir: str | None) -> None:
    """Look up an institution by any name: Chinese, Japanese, English, abbreviation or variant.

    Traditional, Simplified and shinjitai spellings, variant characters (綜/總), any case,
    stray spaces, the start of an English name and small typos are accepted. Prints the
    zh / ja / en names, abbreviations and variants, and where a built document in output/
    mentions it; says how many more matches there are. Exit 1 with the closest entries when
    nothing matches.

    \b
    Example:
      edition lookup AIST
      edition lookup 产业技术综合研究所
      edition lookup "Hokkaido Univ" --all
      edition lookup 産業技術総合研究所 --json
    """
    from .glossary.lookup import NoEntryMatches, lookup_output

    try:
        click.echo(lookup_output(term, _termbase(glossary_dir), as_json=as_json, show_all=show_all, output_dir=_output_dir()))
    except NoEntryMatches as err:
        if as_json:
            click.echo("[]")  # a JSON consumer still gets JSON; the reason goes to stderr
        raise fail(err) from None
    except EditionError as err:
        raise fail(err) from None


@main.group("glossary")
def glossary_group() -> None:
    """Work on the institution termbase in glossary/*.yaml.

    \b
    Example:
      edition glossary check
      edition glossary mine source_docs/hokkaido-report.txt
      edition glossary export --format tbx -o glossary.tbx
    """


@glossary_group.command("check")
@click.argument("sources", nargs=-1, type=click.Path(dir_okay=False))
@_GLOSSARY_OPTION
def glossary_check_command(sources: tuple[str, ...], glossary_dir: str | None) -> None:
    """Validate the termbase (JSON Schema, duplicate ids and forms, parents) and charmap.yaml;
    with SOURCES, also list the parenthetical pairs in them that no entry covers.

    Prints the entry and variant counts; exit 1 with a one-line file:line message otherwise.
    A pair such as 創成研究機構(Creative Research Institution, CRIS) is covered when one entry
    holds both the Chinese and the English (or abbreviation); one line per uncovered pair, and
    exit 1 if there is any.

    \b
    Example:
      edition glossary check
      edition glossary check source_docs/hokkaido-report.txt
    """
    from .glossary.charmap import charmap_for
    from .glossary.mine import source_to_text, uncovered_pairs
    from .glossary.termbase import termbase_summary

    ws = _workspace()
    try:
        termbase = _termbase(glossary_dir, validate=True)
        charmap = charmap_for(termbase)
        reviewed = _reviewed(termbase)
        gaps = [(source, gap) for source in sources for gap in uncovered_pairs(source_to_text(_source_path(source, ws)), termbase, reviewed)]
    except EditionError as err:
        raise fail(err) from None
    click.echo(f"ok: {termbase_summary(termbase)}")
    click.echo(f"charmap: {len(charmap.simplified)} simplified, {len(charmap.shinjitai)} shinjitai characters")
    for line in termbase.overrides:
        click.echo(f"note: {line}")
    for source, gap in gaps:
        if gap.chinese_names:
            fix = f"add the English to {gap.chinese_names!r} ({termbase.by_id[gap.chinese_names].layer})"
        elif gap.english_names:
            fix = f"add the Chinese to {gap.english_names!r} ({termbase.by_id[gap.english_names].layer})"
        else:
            fix = "add an entry, or reject it in mine-reviewed.yaml"
        click.echo(f"{source}:{gap.line}: {gap.pair.form} ({gap.pair.english}): no entry covers this pair — {fix}", err=True)
    if gaps:
        raise click.ClickException(f"{len(gaps)} parenthetical pair(s) no entry covers")
    if sources:
        click.echo(f"pairs: every parenthetical pair in {len(sources)} source(s) is covered")


@glossary_group.command("mine")
@click.argument("source", type=click.Path(dir_okay=False))
@_GLOSSARY_OPTION
def glossary_mine_command(source: str, glossary_dir: str | None) -> None:
    """List institution, programme and law names in SOURCE that the termbase does not know yet.

    SOURCE is the text export (.txt/.md) or the PDF. Evidence: a parenthetical pair whose
    English reads as the name (創成研究機構(Creative Research Institution, CRIS)), a quoted
    name (「科學技術基本法」), a legal form or place opening a name (財團法人…, 北海道…), or a
    whole table cell or list member ending in 機構, 中心, 大學, 方案, 法 ... Names already
    rejected in glossary/mine-reviewed.yaml are skipped. Prints count, form, English (if the
    text gives it) and first line, most frequent first.

    \b
    Example:
      edition glossary mine source_docs/hokkaido-report.txt
    """
    from .glossary.mine import candidates_to_table, mine_candidates, source_to_text

    try:
        termbase = _termbase(glossary_dir)
        click.echo(candidates_to_table(mine_candidates(source_to_text(_source_path(source, _workspace())), termbase, _reviewed(termbase))))
    except EditionError as err:
        raise fail(err) from None


@glossary_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["tbx", "csv", "json"]), required=True, help="Output format.")
@click.option("-o", "--output", "output", required=True, help="Output file, or - for stdout.")
@click.option("--langs", default="zh-Hant,en", show_default=True, help="TBX: the languages, source first (zh-Hant, en, ja); tbx2po pairs the first two.")
@click.option("--excel", is_flag=True, help="CSV: UTF-8 with a byte-order mark and CRLF line ends, for Excel.")
@_GLOSSARY_OPTION
def glossary_export_command(fmt: str, output: str, langs: str, excel: bool, glossary_dir: str | None) -> None:
    """Export the termbase as TBX-Basic (CAT tools), CSV (spreadsheets) or JSON.

    TBX carries the chosen languages in order, the source language on the martif root; CSV
    has a note column. The file is written atomically (temporary file, then renamed).

    \b
    Example:
      edition glossary export --format tbx -o output/glossary.tbx
      edition glossary export --format tbx --langs zh-Hant,ja -o zh-ja.tbx
      edition glossary export --format csv --excel -o glossary.csv
    """
    from .fsutil import write_text_atomic
    from .glossary.export import export_termbase, parse_langs

    if excel and fmt != "csv":
        raise click.UsageError("--excel applies to --format csv")
    try:
        chosen = parse_langs(langs)
        text = export_termbase(_termbase(glossary_dir, validate=True), fmt, langs=chosen, excel=excel)
        if output == "-":
            click.echo(text, nl=False)
        else:
            write_text_atomic(output, text)
    except EditionError as err:
        raise fail(err) from None

# --- end glossary commands ----------------------------------------------------------------


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
