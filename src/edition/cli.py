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
def main() -> None:
    """Build a clean bilingual (zh-Hant / English) edition of a Chinese government report.

    \b
    Example:
      edition build                 # source_docs/ -> output/
      edition lookup 產總研          # look up an institution
    """


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
    try:
        text = document_to_json(run_extract(source, password=password), label=source)
        if output != "-":
            write_text_atomic(output, text)
    except EditionError as err:
        raise fail(err) from None
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


@main.command()
@click.option("--source", "sources", multiple=True, type=click.Path(), help="A document or a directory of documents (repeatable). Default: source_docs/.")
@click.option("--out", "out_dir", default="output", show_default=True, type=click.Path(file_okay=False), help="Where the edition is written.")
@click.option("--glossary", "glossary_dir", default=None, type=click.Path(), help="Glossary directory (default: ./glossary).")
@click.option("--translations", "translations_dir", default="translations", show_default=True, type=click.Path(), help="Translation-memory directory.")
@click.option("--no-cache", is_flag=True, help="Rebuild everything; ignore the content-addressed cache.")
@click.option("--check", is_flag=True, help="Build in memory, write nothing; exit 1 if output/ differs or the English breaks term consistency.")
@click.option("-j", "--jobs", default=0, show_default=True, help="Processes: documents built in parallel, or one document's pages read in parallel (0 = one per core).")
@click.option("--password", default=None, help="Password for encrypted PDFs.")
@click.option(
    "--backend",
    type=click.Choice(["memory", "openai"]),
    default="memory",
    show_default=True,
    help="Where English comes from: the translation memory only, or first drafts from an OpenAI-compatible "
    "server for the segments the memory lacks (added to the memory with origin: machine, for review).",
)
@click.option("--endpoint", envvar="EDITION_MT_ENDPOINT", default=None, help="Base URL of the OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1 (env EDITION_MT_ENDPOINT; API key from EDITION_MT_API_KEY).")
@click.option("--model", envvar="EDITION_MT_MODEL", default="local", show_default=True, help="Model name sent to the server (env EDITION_MT_MODEL).")
def build(sources, out_dir, glossary_dir, translations_dir, no_cache, check, jobs, password, backend, endpoint, model) -> None:
    """Regenerate the clean JSON and the bilingual Markdown edition from source documents.

    For each document: <stem>.json (validated), <stem>.zh-en.md and <stem>.qa.md in --out.

    \b
    Example:
      edition build                       # source_docs/ -> output/
      edition build --source report.txt --out /tmp/edition
      edition build --source reports/ -j 4 # every document in reports/, 4 at a time
      edition build --check               # CI: is output/ up to date?
      edition build --backend openai --endpoint http://127.0.0.1:8080/v1   # draft the gaps
    """
    import os
    from pathlib import Path

    from .build import BuildSettings, build as run_build, check_outputs, qa_failures, write_outputs

    if check and backend != "memory":
        raise click.ClickException("--check writes nothing, but --backend openai writes drafts to the memory — run them separately")
    try:
        settings = BuildSettings(
            out_dir=Path(out_dir),
            glossary_dir=Path(glossary_dir) if glossary_dir else None,
            translations_dir=Path(translations_dir),
            jobs=jobs,
            password=password,
            backend=backend,
            endpoint=endpoint,
            model=model,
            api_key=os.environ.get("EDITION_MT_API_KEY") or None,
        )
        from .build import discover_sources

        # directories are searched once, here; build() only checks the files it is given
        files = discover_sources([Path(s) for s in sources] or [Path("source_docs")])
        if sys.stderr.isatty():
            with click.progressbar(length=len(files), label="building", file=sys.stderr) as bar:
                result = run_build(files, settings, use_cache=not no_cache, progress=bar.update)
        else:
            result = run_build(files, settings, use_cache=not no_cache)
    except EditionError as err:
        raise fail(err) from None
    if len(result.failures) == 1 and not result.outputs:
        # the one document asked for failed: its reason is the whole message (one line)
        raise click.ClickException(next(iter(result.failures.values())))
    for stem, why in sorted(result.failures.items()):
        click.echo(f"failed: {why}", err=True)
    if check:
        problems = check_outputs(result, settings.out_dir) + qa_failures(result, settings.out_dir)
        for line in problems:
            click.echo(line, err=True)
        if problems or result.failures:
            raise click.ClickException(f"{len(problems)} difference(s), {len(result.failures)} failed document(s)")
        click.echo(f"{settings.out_dir} is up to date ({len(result.outputs)} document(s))")
        return
    try:
        written = write_outputs(result, settings.out_dir)
    except EditionError as err:
        raise fail(err) from None
    ok = len(result.outputs)
    click.echo(
        f"built {ok} document(s) ({len(result.cached)} from cache), wrote {len(written)} file(s) to {settings.out_dir}"
        + (f"; {len(result.failures)} failed" if result.failures else ""),
        err=True,
    )
    if result.failures:
        raise click.ClickException(f"{len(result.failures)} of {ok + len(result.failures)} document(s) failed")


# --- glossary commands (lookup, glossary mine/export) -------------------------------------

_GLOSSARY_OPTION = click.option(
    "--glossary",
    "glossary_dir",
    type=click.Path(file_okay=True, dir_okay=True),
    default=None,
    help="Glossary directory (or one YAML file). Default: ./glossary, else the repository's glossary/.",
)


def _glossary_path(glossary_dir: str | None):
    from .glossary.termbase import default_glossary_dir

    return glossary_dir if glossary_dir is not None else default_glossary_dir()


@main.command("lookup")
@click.argument("term")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of matching entries, best first.")
@_GLOSSARY_OPTION
def lookup_command(term: str, as_json: bool, glossary_dir: str | None) -> None:
    """Look up an institution by any name: Chinese, Japanese, English, abbreviation or variant.

    Simplified and shinjitai spellings, any case and stray spaces are accepted. Prints the
    zh / ja / en names, abbreviations and variants, and where a built document in output/
    mentions it. Exit 1 with the closest entries when nothing matches.

    \b
    Example:
      edition lookup AIST
      edition lookup 産業技術総合研究所 --json
    """
    from .glossary.lookup import lookup_output
    from .glossary.termbase import load_termbase

    try:
        click.echo(lookup_output(term, load_termbase(_glossary_path(glossary_dir)), as_json=as_json))
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
@_GLOSSARY_OPTION
def glossary_check_command(glossary_dir: str | None) -> None:
    """Validate the termbase (JSON Schema, duplicate ids and forms, parents) and charmap.yaml.

    Prints the entry and variant counts; exit 1 with a one-line file:line message otherwise.

    \b
    Example:
      edition glossary check --glossary glossary
    """
    from .glossary.normalise import charmap_for
    from .glossary.termbase import load_termbase, termbase_summary

    try:
        termbase = load_termbase(_glossary_path(glossary_dir), validate=True)
        charmap = charmap_for(termbase)
    except EditionError as err:
        raise fail(err) from None
    click.echo(f"ok: {termbase_summary(termbase)}")
    click.echo(f"charmap: {len(charmap.simplified)} simplified, {len(charmap.shinjitai)} shinjitai characters")


@glossary_group.command("mine")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@_GLOSSARY_OPTION
def glossary_mine_command(source: str, glossary_dir: str | None) -> None:
    """List institution-like names in SOURCE that the termbase does not know yet.

    SOURCE is the text export (.txt/.md) or the PDF. Finds parenthetical pairs such as
    產業技術總合研究所(AIST) and names ending in 機構, 研究所, 中心, 大學 ... Prints count,
    form, English (if given in the text) and first line, most frequent first.

    \b
    Example:
      edition glossary mine source_docs/hokkaido-report.txt
    """
    from .glossary.mine import candidates_to_table, mine_candidates, source_to_text
    from .glossary.termbase import load_termbase

    try:
        termbase = load_termbase(_glossary_path(glossary_dir))
        click.echo(candidates_to_table(mine_candidates(source_to_text(source), termbase)))
    except EditionError as err:
        raise fail(err) from None


@glossary_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["tbx", "csv", "json"]), required=True, help="Output format.")
@click.option("-o", "--output", "output", required=True, help="Output file, or - for stdout.")
@_GLOSSARY_OPTION
def glossary_export_command(fmt: str, output: str, glossary_dir: str | None) -> None:
    """Export the termbase as TBX-Basic (CAT tools), CSV (spreadsheets) or JSON.

    The file is written atomically (temporary file, then renamed).

    \b
    Example:
      edition glossary export --format tbx -o output/glossary.tbx
      edition glossary export --format csv -o -
    """
    from .fsutil import write_text_atomic
    from .glossary.export import export_termbase
    from .glossary.termbase import load_termbase

    try:
        text = export_termbase(load_termbase(_glossary_path(glossary_dir), validate=True), fmt)
        if output == "-":
            click.echo(text, nl=False)
        else:
            write_text_atomic(output, text)
    except EditionError as err:
        raise fail(err) from None

# --- end glossary commands ----------------------------------------------------------------


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
