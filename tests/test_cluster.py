"""`edition build --scheduler ADDRESS`: the documents of a tree built as tasks on a real Dask
cluster — a `dask scheduler` and two `dask worker` processes started here, as a user starts
them (on this machine's loopback only) — and written by this process as they come back.

The cluster is started once for the module; the tree of real PDFs is the session's
(``tree_build`` in conftest, built with -j 2 on this machine), so the cluster's build is
compared with it byte for byte.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import TREE_SOURCES, manifest_rows, run, tree_command

distributed = pytest.importorskip("distributed", reason="dask[distributed] is not installed (`pip install 'edition[test]'` brings it)")

BIN = Path(sys.executable).parent
TIMES = ("seconds", "finished")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """`dask scheduler` and two `dask worker --nthreads 1` on 127.0.0.1: the scheduler's
    address and a client of the test's own (to look at the workers)."""
    folder = tmp_path_factory.mktemp("dask")
    log = (folder / "cluster.log").open("wb")
    processes = []

    def start(*args):
        processes.append(subprocess.Popen([str(BIN / "dask"), *map(str, args)], cwd=folder, stdin=subprocess.DEVNULL,
                                          stdout=log, stderr=log))

    scheduler_file = folder / "scheduler.json"
    start("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file", scheduler_file)
    deadline = time.monotonic() + 60
    while not scheduler_file.is_file() and time.monotonic() < deadline:
        time.sleep(0.1)
    address = json.loads(scheduler_file.read_text())["address"]
    for name in ("w1", "w2"):
        start("worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--no-dashboard", "--name", name,
              "--local-directory", folder / name)
    client = distributed.Client(address, set_as_default=False)
    try:
        client.wait_for_workers(2, timeout=60)
        yield SimpleNamespace(address=address, client=client, log=folder / "cluster.log")
    finally:
        client.close()
        # the workers first (0.5 s): stopped with their scheduler, they would try to reach it again for 8 s
        for group in (processes[1:], processes[:1]):
            for p in group:
                p.terminate()
            for p in group:
                try:
                    p.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        log.close()


def progress_aside(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if not line.startswith("building: ")]


def executed(client) -> dict[str, int]:
    """Tasks each worker has run."""
    return client.run(lambda dask_worker: dask_worker.state.executed_count)


def without_times(rows: dict[str, dict]) -> dict[str, dict]:
    return {s: {k: v for k, v in r.items() if k not in TIMES} for s, r in rows.items()}


def edition_files(out: Path) -> dict[str, str]:
    import hashlib

    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file() and p.name != "manifest.jsonl"}


def cluster_build(out: str, address: str) -> list[str]:
    """The tree's build on the cluster, as a command line (a cache of its own: every document is built)."""
    command = list(map(str, tree_command(out)))
    command[command.index("--cache-dir") + 1] = f"{out}-cache"
    return command + ["--scheduler", address]


def test_a_tree_built_on_a_dask_cluster_gives_the_same_json_and_rows_as_on_one_machine(tree_build, cluster, monkeypatch):
    monkeypatch.chdir(tree_build.root)
    before = executed(cluster.client)
    result = run(*cluster_build("on-dask", cluster.address))
    assert result.exit_code == 1, result.output  # the corrupt PDF, as on one machine
    # what it says, line for line as the build on one machine said it: the corrupt PDF's failure, the counts
    assert progress_aside(result.stderr.replace(" to on-dask;", " to out;")) == progress_aside(tree_build.result.stderr)
    assert edition_files(tree_build.root / "on-dask") == tree_build.files  # byte for byte, pictures included
    rows = manifest_rows(tree_build.root / "on-dask")
    assert sorted(rows) == sorted(TREE_SOURCES)
    assert without_times(rows) == without_times(tree_build.rows)
    # the documents ran as tasks on the two workers (the termbase was sent to each), not here
    after = executed(cluster.client)
    ran = {w: after[w] - before.get(w, 0) for w in after}
    assert sum(ran.values()) == len(TREE_SOURCES) and all(n > 0 for n in ran.values()), ran


def test_a_worker_lost_mid_task_is_retried_by_dask_and_nothing_is_lost(tree_build, cluster):
    client = cluster.client
    build = subprocess.Popen([str(BIN / "edition"), *cluster_build("worker-lost", cluster.address)],
                             cwd=tree_build.root, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        victim = None
        deadline = time.monotonic() + 60
        while victim is None and time.monotonic() < deadline and build.poll() is None:
            running = client.run(lambda dask_worker: [k for k, ts in dask_worker.state.tasks.items()
                                                      if ts.state == "executing" and str(k).startswith("build-2014/report-")])
            victim = next((w for w, keys in running.items() if keys), None)
            time.sleep(0.02)
        assert victim is not None, "the crawler report was never seen running"
        pid = client.run(os.getpid, workers=[victim])[victim]
        os.kill(pid, signal.SIGKILL)  # as the kernel's out-of-memory killer, or a machine gone
        _, stderr = build.communicate(timeout=120)
    finally:
        if build.poll() is None:
            build.kill()
    stderr = stderr.decode("utf-8")
    assert build.returncode == 1 and "Traceback" not in stderr, stderr
    assert victim not in client.scheduler_info()["workers"]  # that worker is gone (its nanny started another)
    assert edition_files(tree_build.root / "worker-lost") == tree_build.files
    assert without_times(manifest_rows(tree_build.root / "worker-lost")) == without_times(tree_build.rows)
    client.wait_for_workers(2, timeout=60)


def test_workers_running_other_code_are_refused_in_one_line(tree_build, cluster, monkeypatch):
    monkeypatch.chdir(tree_build.root)
    monkeypatch.setattr("edition.cluster.code_version", lambda: "another release")  # this side only: the workers run theirs
    result = run(*cluster_build("other-code", cluster.address))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: --scheduler {cluster.address}: worker tcp://127.0.0.1:")
    assert result.stderr.endswith(" (and 1 more) runs other edition code or reading libraries than this machine — install the same"
                                  " edition on every worker, then restart the workers (a worker reads the code once)\n")
    assert not (tree_build.root / "other-code").exists()


def test_an_address_where_no_scheduler_answers_is_one_line(tmp_path, monkeypatch):
    import socket

    import dask

    monkeypatch.chdir(tmp_path)
    (tmp_path / "tiny.txt").write_text("第一章 前言\n", encoding="utf-8")
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = run("build", "--source", "tiny.txt", "--out", "out", "--scheduler", f"tcp://127.0.0.1:{port}")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: --scheduler tcp://127.0.0.1:{port}: no Dask scheduler answers there (")
    assert result.stderr.endswith(") — start one with `dask scheduler`, or check the address\n") and result.stderr.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_jobs_with_a_scheduler_is_a_one_line_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("build", "--source", ".", "-j", "2", "--scheduler", "tcp://127.0.0.1:8786")
    assert result.exit_code == 1
    assert result.stderr == ("Error: -j 2 is for processes on this machine; with --scheduler the cluster's workers build the documents"
                             " — leave -j out (start each worker with `dask worker ADDRESS --nworkers N --nthreads 1`)\n")
