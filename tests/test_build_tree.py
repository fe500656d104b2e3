"""A folder tree of reports is a corpus: `edition build --source DIR --out OUT` mirrors its
layout, writes each document as it finishes with a row in OUT/manifest.jsonl, resumes where a
run stopped, and runs on one machine with nothing but local processes.

The tree of real PDFs (two corpus reports under one file name, a report of figures in a third
folder, a cut-off PDF) is built once per session (``tree_build`` in conftest); the tests that
change what they build use tiny text exports or the generated figures PDF.
"""

from __future__ import annotations

import gc
import json
import os
import re
import signal
import subprocess
import sys
import time
import weakref
from pathlib import Path

import pytest

from conftest import GLOSSARY, ROOT, TINY_EXPORT, TREE_SOURCES, manifest_rows, run, tree_command

sys.path.insert(0, str(ROOT / "tests" / "pdfs"))
from make_figures import make_figure_report  # noqa: E402

EDITION = Path(sys.executable).parent / "edition"
STATES = {"translated", "draft", "stale", "missing"}


def progress_aside(stderr: str) -> list[str]:
    """stderr's lines without the count lines a build prints every few seconds on a log (a slow
    machine may print one where a fast one does not)."""
    return [line for line in stderr.splitlines() if not line.startswith("building: ")]


# -- the tree of real PDFs ---------------------------------------------------------------------


def test_a_tree_is_mirrored_under_out_with_a_row_per_source_and_the_corrupt_pdf_failed_alone(tree_build):
    out, result = tree_build.out, tree_build.result
    assert result.exit_code == 1, result.output
    assert progress_aside(result.stderr) == [
        f"failed: {Path('tree/corrupt.pdf')}: the PDF is truncated (no %%EOF at its end) — download or copy it again",
        f"built 3 document(s) (0 from cache), wrote {len(tree_build.files)} file(s) to out; segments: 0 translated, 0 draft, 0 stale,"
        f" {sum(r['segments']['missing'] for r in tree_build.rows.values() if 'segments' in r)} missing; 1 failed",
        "Error: 1 of 4 document(s) failed",
    ]
    assert "Traceback" not in result.output
    # the two report.pdf in two folders: each its own editions, in its own folder
    for year in ("2013", "2014"):
        assert {f for f in tree_build.files if f.startswith(f"{year}/") and "/report.assets/" not in f} == {
            f"{year}/report.json", f"{year}/report.zh-en.md", f"{year}/report.qa.md", f"{year}/report.html"}
        doc = json.loads((out / year / "report.json").read_text(encoding="utf-8"))
        assert doc["source"]["path"] == f"{year}/report.pdf"
    assert (out / "2013" / "report.json").read_bytes() != (out / "2014" / "report.json").read_bytes()
    assert not (out / "corrupt.json").exists()


def test_the_manifest_has_one_row_per_source_saying_what_became_of_it(tree_build):
    rows, out = tree_build.rows, tree_build.out
    assert sorted(rows) == sorted(TREE_SOURCES)
    assert {s: r["status"] for s, r in rows.items()} == {s: "failed" if s == "corrupt.pdf" else "built" for s in TREE_SOURCES}
    bad = rows["corrupt.pdf"]
    assert bad["error"] == f"{Path('tree/corrupt.pdf')}: the PDF is truncated (no %%EOF at its end) — download or copy it again"
    assert len(bad["sha256"]) == 64 and "outputs" not in bad
    listed = set()
    for source, row in rows.items():
        assert row["seconds"] >= 0 and row["finished"].endswith("Z")
        if row["status"] == "failed":
            continue
        name = source.rsplit(".", 1)[0]
        doc = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        assert row["sha256"] == doc["source"]["sha256"] and row["pages"] == doc["source"]["pages"] > 0
        assert row["segments"] == {s: doc["stats"][f"segments_{s}"] for s in STATES}
        kinds = [q["kind"] for q in doc["qa"]]
        assert row["qa"] == {k: kinds.count(k) for k in kinds} and row["qa"]
        for rel, size in row["outputs"].items():
            assert (out / rel).stat().st_size == size
        listed |= set(row["outputs"])
    assert listed == set(tree_build.files)  # every file written is some row's, and no row claims a file not there
    assert any(f.startswith("figures/visit.assets/") for f in listed)


def test_a_second_run_takes_every_built_document_as_cached_in_under_a_third_of_the_time(tree_build, monkeypatch):
    monkeypatch.chdir(tree_build.root)
    started = time.perf_counter()
    result = run(*tree_command(), "-j", "2")
    seconds = time.perf_counter() - started
    assert result.exit_code == 1  # the corrupt PDF is tried again, and fails again
    assert progress_aside(result.stderr)[1].startswith("built 3 document(s) (3 from cache), wrote 0 file(s) to out;")
    rows = manifest_rows(tree_build.out)
    assert {s: r["status"] for s, r in rows.items()} == {s: "failed" if s == "corrupt.pdf" else "cached" for s in TREE_SOURCES}
    for source, row in rows.items():  # a cached row says what the built one said
        before = tree_build.rows[source]
        assert {k: v for k, v in row.items() if k not in ("seconds", "finished", "status")} == \
               {k: v for k, v in before.items() if k not in ("seconds", "finished", "status")}
    assert seconds < tree_build.seconds / 3, (seconds, tree_build.seconds)


def test_a_tree_outside_the_workspace_the_build_runs_in_is_mirrored_under_its_own_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("init", "ws").exit_code == 0
    for year in ("2013", "2014"):
        (tmp_path / "tree" / year).mkdir(parents=True)
        (tmp_path / "tree" / year / "report.txt").write_text(TINY_EXPORT, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "ws")  # edition.toml here names sources/, which the tree is not in
    result = run("build", "--source", tmp_path / "tree", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert sorted(manifest_rows(tmp_path / "out")) == ["2013/report.txt", "2014/report.txt"]
    assert (tmp_path / "out" / "2013" / "report.json").is_file() and (tmp_path / "out" / "2014" / "report.json").is_file()


# -- a document in a subfolder: its pictures and the links to them -----------------------------


def test_a_document_in_a_subfolder_links_its_pictures_from_its_own_folder(tmp_path, monkeypatch):
    from html_tree import parse

    monkeypatch.chdir(tmp_path)
    (tmp_path / "tree" / "2013" / "visits").mkdir(parents=True)
    make_figure_report(tmp_path / "tree" / "2013" / "visits" / "report.pdf")
    make_figure_report(tmp_path / "tree" / "top.pdf")
    result = run("build", "--source", "tree", "--out", "out", "--translations", "tr", "--glossary", GLOSSARY, "-j", "1")
    assert result.exit_code == 0, result.output
    for name in ("2013/visits/report", "top"):
        edition = tmp_path / "out" / f"{name}.html"
        pictures = sorted((tmp_path / "out" / f"{name}.assets").iterdir())
        assert len(pictures) == 2
        srcs = [e.attrs["src"] for e in parse(edition.read_text(encoding="utf-8")).iter() if e.tag == "img"]
        markdown = (tmp_path / "out" / f"{name}.zh-en.md").read_text(encoding="utf-8")
        links = [line.split("](<", 1)[1].split(">)", 1)[0] for line in markdown.splitlines() if "![" in line]
        for links_of in (srcs, links):
            assert len(links_of) == 2 and not any(link.startswith(("/", "..")) for link in links_of)
            assert sorted((edition.parent / link).resolve() for link in links_of) == [p.resolve() for p in pictures]
    # the memory of a report in a subfolder is named by its path there, as its outputs are
    qa = (tmp_path / "out" / "2013" / "visits" / "report.qa.md").read_text(encoding="utf-8")
    assert "2013/visits/report.zh-en.yaml does not exist yet — `edition memory init 2013/visits/report.pdf` starts it" in qa


# -- resumable -------------------------------------------------------------------------------------


@pytest.fixture
def figures_tree(tmp_path, monkeypatch):
    """Four reports of figures in three folders, as the working folder's tree/."""
    monkeypatch.chdir(tmp_path)
    for rel in ("a/one.pdf", "a/two.pdf", "b/three.pdf", "c/four.pdf"):
        (tmp_path / "tree" / rel).parent.mkdir(parents=True, exist_ok=True)
        make_figure_report(tmp_path / "tree" / rel)
    (tmp_path / "tr").mkdir()
    return tmp_path


def test_a_changed_memory_rebuilds_its_document_only_and_a_deleted_output_comes_back(figures_tree):
    assert run(*tree_command(), "-j", "1").exit_code == 0
    (figures_tree / "tr" / "b").mkdir()
    (figures_tree / "tr" / "b" / "three.zh-en.yaml").write_text("schema_version: 1\nsegments: []\n", encoding="utf-8")
    (figures_tree / "out" / "c" / "four.assets" / "fig-2.webp").unlink()
    result = run(*tree_command(), "-j", "1")
    assert result.exit_code == 0, result.output
    rows = manifest_rows(figures_tree / "out")
    assert {s: r["status"] for s, r in rows.items()} == {
        "a/one.pdf": "cached", "a/two.pdf": "cached", "b/three.pdf": "built", "c/four.pdf": "cached"}
    assert (figures_tree / "out" / "c" / "four.assets" / "fig-2.webp").is_file()  # from the build cache
    # b's four editions (its memory exists now: the QA report and the editions stop saying it does not) and c's picture
    assert result.stderr.startswith("built 4 document(s) (3 from cache), wrote 5 file(s) to out;")


def test_an_output_edited_since_its_row_was_written_is_not_taken_as_up_to_date(figures_tree):
    assert run(*tree_command(), "-j", "1").exit_code == 0
    md = figures_tree / "out" / "a" / "one.zh-en.md"
    text = md.read_text(encoding="utf-8")
    time.sleep(0.01)
    md.write_text(text.replace("圖", "図", 1), encoding="utf-8")  # the same size in bytes
    result = run(*tree_command(), "-j", "1")
    assert result.stderr.startswith("built 4 document(s) (4 from cache), wrote 1 file(s) to out;")
    assert md.read_text(encoding="utf-8") == text


def build_in_a_process(*args, **kwargs) -> subprocess.Popen:
    """`edition ARGS` in a process of its own, Ctrl-C reaching it as from a terminal (a test run
    in the background, as CI may start it, inherits Ctrl-C ignored)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([str(EDITION), *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL), **kwargs)


def wait_for_rows(out: Path, n: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        manifest = out / "manifest.jsonl"
        if manifest.exists() and manifest.read_bytes().count(b"\n") >= n:
            return
        time.sleep(0.01)
    raise AssertionError(f"no {n} row(s) in {out / 'manifest.jsonl'} while the build ran")


def test_a_killed_run_is_resumed_rebuilding_only_what_it_left_unfinished(figures_tree):
    process = build_in_a_process(*tree_command(), "-j", "1")
    wait_for_rows(figures_tree / "out", 1, process)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    done = manifest_rows(figures_tree / "out")
    assert 1 <= len(done) < 4, "the run finished before it could be killed"
    assert all(r["status"] == "built" for r in done.values())
    result = run(*tree_command(), "-j", "1")
    assert result.exit_code == 0, result.output
    rows = manifest_rows(figures_tree / "out")  # one row per source again, the killed run's rows gone
    assert sorted(rows) == ["a/one.pdf", "a/two.pdf", "b/three.pdf", "c/four.pdf"]
    assert {s for s, r in rows.items() if r["status"] == "cached"} == set(done)
    assert {s for s, r in rows.items() if r["status"] == "built"} == set(rows) - set(done)


def test_ctrl_c_stops_the_build_in_one_line_and_the_next_run_goes_on(figures_tree):
    process = build_in_a_process(*tree_command(), "-j", "1")
    wait_for_rows(figures_tree / "out", 1, process)
    process.send_signal(signal.SIGINT)
    stderr = process.communicate(timeout=60)[1].decode("utf-8")
    lines = stderr.splitlines()
    assert process.returncode == 1 and "Traceback" not in stderr, stderr
    assert lines[-1].startswith("Error: interrupted after ") and lines[-1].endswith(
        " of 4 document(s) — run the same command again to go on: what is done is kept")
    done = int(lines[-1].split()[3])
    assert len(manifest_rows(figures_tree / "out")) == done < 4, stderr
    result = run(*tree_command(), "-j", "1")
    assert result.exit_code == 0, result.output
    # what the message counts comes from the cache, and perhaps the one document more that was
    # finished and cached when the interrupt came, before its outputs were written
    cached = int(re.search(r"\((\d+) from cache\)", result.stderr).group(1))
    assert done <= cached <= done + 1, result.stderr


def test_a_manifest_line_cut_off_by_a_killed_run_is_written_over(figures_tree):
    assert run(*tree_command(), "-j", "1").exit_code == 0
    manifest = figures_tree / "out" / "manifest.jsonl"
    first = manifest.read_bytes().split(b"\n")[0] + b"\n"
    manifest.write_bytes(first + b'{"source": "a/two.pdf", "sta')  # as a kill in the middle of a write leaves it
    result = run(*tree_command(), "-j", "1")
    assert result.exit_code == 0, result.output
    rows = manifest_rows(figures_tree / "out")
    assert len(rows) == 4 and all(r["status"] == "cached" for r in rows.values())  # the others from the build cache


def test_a_second_build_into_the_same_folder_at_once_is_refused(figures_tree):
    from edition.manifest import Manifest

    with Manifest(figures_tree / "out"):
        result = run(*tree_command())
    assert result.exit_code == 1
    assert result.stderr == "Error: out: another `edition build` is writing there — wait for it to finish, or give another --out\n"


# -- flat memory -------------------------------------------------------------------------------------


def test_a_documents_outputs_are_let_go_once_written(tmp_path, monkeypatch):
    """However many documents, the build holds one document's outputs at a time: each is
    written and dropped before the next is built."""
    import edition.build as build_module

    monkeypatch.chdir(tmp_path)
    for k in range(6):
        (tmp_path / "docs" / f"d{k}").mkdir(parents=True)
        (tmp_path / "docs" / f"d{k}" / "report.txt").write_text(TINY_EXPORT, encoding="utf-8")

    class Files(dict):  # a dict a weak reference can follow
        pass

    alive: list[weakref.ref] = []
    real = build_module._build_document

    def build_document(*args, **kwargs):
        files, summary = real(*args, **kwargs)
        gc.collect()
        assert all(ref() is None for ref in alive), "an earlier document's outputs are still held"
        files = Files(files)
        alive.append(weakref.ref(files))
        return files, summary

    monkeypatch.setattr(build_module, "_build_document", build_document)
    result = run("build", "--source", "docs", "--out", "out", "--translations", "tr", "--glossary", GLOSSARY, "--no-cache", "-j", "1")
    assert result.exit_code == 0, result.output
    assert len(alive) == 6 and result.stderr.startswith("built 6 document(s)")


# -- one machine: local processes, no Dask ------------------------------------------------------------


def test_one_machine_builds_with_local_processes_and_no_dask_installed(figures_tree, monkeypatch):
    for name in ("dask", "distributed"):
        monkeypatch.setitem(sys.modules, name, None)  # `import distributed` fails as where it is not installed
    result = run(*tree_command(), "-j", "2")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("built 4 document(s) (0 from cache)")
    result = run(*tree_command(out="out2"), "--scheduler", "tcp://127.0.0.1:8786")
    assert result.exit_code == 1
    assert result.stderr == ("Error: --scheduler needs Dask's distributed scheduler, which is not installed —"
                             " pip install 'edition[cluster]' (on this machine and every worker)\n")


def test_a_document_whose_process_dies_fails_alone_and_the_others_are_built(tmp_path, monkeypatch):
    """A worker killed by the system (out of memory) breaks the process pool: the documents in
    flight with it are built again one at a time, and only the one that kills its process fails."""
    import edition.build as build_module

    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    for name in ("a", "b", "c", "d"):
        (tmp_path / "docs" / f"{name}.txt").write_text(TINY_EXPORT, encoding="utf-8")
    real = build_module._build_document

    def build_document(source, *args, **kwargs):
        if source.name == "b.txt":
            os._exit(9)  # as the kernel's out-of-memory killer ends a process
        return real(source, *args, **kwargs)

    monkeypatch.setattr(build_module, "_build_document", build_document)  # the workers are forked after this
    result = run("build", "--source", "docs", "--out", "out", "--translations", "tr", "--glossary", GLOSSARY, "--no-cache", "-j", "2")
    assert result.exit_code == 1
    assert progress_aside(result.stderr) == [
        f"failed: {Path('docs/b.txt')}: the process building it died 2 times (killed by the system: out of memory?) — build it alone with -j 1 to see why",
        "built 3 document(s) (0 from cache), wrote 12 file(s) to out; segments: 0 translated, 0 draft, 0 stale, 21 missing; 1 failed",
        "Error: 1 of 4 document(s) failed",
    ]
    assert {s: r["status"] for s, r in manifest_rows(tmp_path / "out").items()} == {
        "a.txt": "built", "b.txt": "failed", "c.txt": "built", "d.txt": "built"}


# -- progress --------------------------------------------------------------------------------------


def test_progress_is_a_count_line_on_a_log(figures_tree, monkeypatch):
    monkeypatch.setattr("edition.cli.PROGRESS_SECONDS", 0)
    result = run(*tree_command(), "-j", "1")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[:3] == [
        f"building: {k}/4 document(s) done ({k} built, 0 cached, 0 failed)" for k in (1, 2, 3)]


def test_progress_is_a_bar_on_a_terminal(figures_tree):
    import pty

    main, secondary = pty.openpty()  # stderr a terminal, as when a person runs the build
    process = subprocess.Popen([str(EDITION), *map(str, tree_command()), "-j", "1"], stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=secondary)
    os.close(secondary)
    seen = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the build ended and closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    process.wait(timeout=60)
    os.close(main)
    text = seen.decode("utf-8", "replace")
    assert process.returncode == 0, text
    assert "building" in text and "4/4" in text and "\r" in text  # a bar redrawn in place
    assert "document(s) done (" not in text  # not the log's count lines
