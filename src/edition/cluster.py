"""Documents built as tasks on a running Dask cluster: ``edition build --scheduler ADDRESS``.

When one machine is not enough, the work goes to an existing engine rather than a scheduler
of our own: `dask.distributed`_, its cluster started by the user (``dask scheduler`` and
``dask worker``) or by Dask's deployment tools (SSH, SLURM through dask-jobqueue, Kubernetes).

    this process (the client)                        a worker (any machine)
    plan: source unchanged? → cached row               |
    else read its bytes, its memory ── task ──────────→ build_on_worker: a temporary folder,
                                                         extract → glossary → translate → render
    as_completed: write the files, append the row ←──── the outcome: files, summary or error

- A task carries the source's bytes and the memory's, so workers need no shared disk; the
  termbase goes to each worker once (a task of its own, which Dask can compute again).
- Only this process writes: OUT, the manifest and the build cache stay in one place. Workers
  keep no cache (a rerun resumes from the manifest).
- A few tasks per worker thread are in flight, more sent as results come back: the client
  holds a few sources at a time however big the archive.
- A worker lost mid-task (killed, out of memory, its machine gone) is Dask's to handle: the
  scheduler gives the task to another worker, and after ``distributed.scheduler.allowed-failures``
  losses (3) gives up on it — that document is a failed row.
- Every worker must run the same edition (code and pinned reading libraries) as the client:
  checked when the build starts, and with every result.

``dask[distributed]`` is the optional extra ``edition[cluster]``; without it ``--scheduler``
says what to install.

.. _dask.distributed: https://distributed.dask.org/
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator

from .build import FAILED, BuildSettings, Job, Outcome, _build_one, code_version, load_glossary, pass_outcomes
from .errors import EditionError

INSTALL = "pip install 'edition[cluster]'"
SAME_CODE = "install the same edition on every worker, then restart the workers (a worker reads the code once)"
# Tasks in flight per worker thread: one running, one waiting, so that no worker idles.
TASKS_PER_THREAD = 2
# How often (seconds) the cluster's size is asked again: workers come and go (dask-jobqueue, adapt).
RESIZE_SECONDS = 2.0


@dataclass(frozen=True)
class GlossaryPayload:
    """The build's termbase as it travels to the workers: the loaded Termbase pickled (with
    cloudpickle, which pickles its mapping proxies) and the bytes of the charmap it uses."""

    version: str
    termbase: bytes = field(repr=False)
    charmap: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class RemoteJob:
    """One document as a task: its name, bytes and memory, and how the client names them."""

    name: str
    suffix: str
    data: bytes = field(repr=False)
    memory: bytes | None = field(repr=False)
    memory_label: str
    label: str  # the source as the client names it (errors must name it so, not a worker's temporary path)
    key: str | None
    sha256: str | None
    settings: BuildSettings


def _distributed():
    """The distributed module, or one line saying what to install."""
    try:
        import distributed
    except ImportError:
        raise EditionError(f"--scheduler needs Dask's distributed scheduler, which is not installed — {INSTALL}"
                           " (on this machine and every worker)") from None
    return distributed


def connect(address: str):
    """A client of the Dask scheduler at ``address``, its workers checked to run our code."""
    distributed = _distributed()
    import dask

    try:
        # Dask keeps the last 1000 messages under 1 MB sent to the scheduler, for its developers;
        # ours carry sources, so that log alone would grow the client by up to 1000 of them
        with dask.config.set({"distributed.admin.low-level-log-length": 0}):
            client = distributed.Client(address, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise EditionError(f"--scheduler {address}: no Dask scheduler answers there ({why}) — start one with"
                           " `dask scheduler`, or check the address") from None
    try:
        check_workers(client, address)
    except BaseException:
        client.close()
        raise
    return client


def check_workers(client, address: str) -> None:
    """Every worker connected now runs the same code and reading libraries as this process."""
    try:
        versions = client.run(_worker_code_version)
    except Exception as exc:  # a worker that cannot even import edition
        raise EditionError(f"--scheduler {address}: the workers cannot run edition ({type(exc).__name__}: {exc}) —"
                           " install edition, the same version as here, on every worker") from None
    mine = code_version()
    other = sorted(w for w, v in versions.items() if v != mine)
    if other:
        more = f" (and {len(other) - 1} more)" if len(other) > 1 else ""
        raise EditionError(f"--scheduler {address}: worker {other[0]}{more} runs other edition code or reading libraries than"
                           f" this machine — {SAME_CODE}")


def _worker_code_version() -> str:
    """:func:`edition.build.code_version` where this runs: on a worker, the worker's."""
    return code_version()


def glossary_payload(settings: BuildSettings) -> GlossaryPayload:
    """The build's termbase, loaded (and so checked) here, for the workers."""
    import cloudpickle

    termbase = load_glossary(settings)  # DataFileError: the build's
    charmap = termbase.charmap_path.read_bytes() if termbase.charmap_path is not None else None
    return GlossaryPayload(termbase.version, cloudpickle.dumps(termbase), charmap)


def remote_job(job: Job, settings: BuildSettings) -> RemoteJob:
    """A planned job with what travels with it: the source's bytes (read by the plan) and the
    memory's. OSError: one of them cannot be read here."""
    from .translate.memory import memory_path

    mem = memory_path(settings.translations_dir, job.name)
    try:
        memory = mem.read_bytes()
    except FileNotFoundError:
        memory = None
    data = job.data if job.data is not None else job.source.read_bytes()
    # drafting is the client's: the API key never leaves this machine
    return RemoteJob(job.name, job.source.suffix, data, memory, str(mem), str(job.source), job.key, job.sha256,
                     replace(settings, api_key=None))


# --- on the worker -------------------------------------------------------------------------------

# PDFium is not thread-safe: a worker process builds one document at a time, whatever its
# --nthreads (start workers with --nthreads 1 and as many --nworkers as cores).
_LOCK = threading.Lock()
_TERMBASES: dict[str, object] = {}


def _worker_termbase(payload: GlossaryPayload):
    """The termbase of ``payload``, unpickled once per worker process; its charmap written to a
    file of the worker's own (the client's path means nothing here)."""
    import pickle
    import tempfile

    termbase = _TERMBASES.get(payload.version)
    if termbase is None:
        termbase = pickle.loads(payload.termbase)
        if payload.charmap is not None:
            folder = Path(tempfile.mkdtemp(prefix="edition-charmap-"))
            (folder / "charmap.yaml").write_bytes(payload.charmap)
            termbase = replace(termbase, charmap_path=folder / "charmap.yaml")
        _TERMBASES.clear()  # one build's termbase at a time
        _TERMBASES[payload.version] = termbase
    return termbase


def build_on_worker(job: RemoteJob, glossary: GlossaryPayload) -> Outcome:
    """The task: one document built in a temporary folder on the worker, named as on the client."""
    import tempfile

    with _LOCK:
        termbase = _worker_termbase(glossary)
        with tempfile.TemporaryDirectory(prefix="edition-task-") as tmp:
            root = Path(tmp) / "sources"
            source = root / (job.name + job.suffix)
            source.parent.mkdir(parents=True, exist_ok=True)
            source.write_bytes(job.data)
            settings = replace(job.settings, sources_root=root, translations_dir=Path(tmp) / "translations",
                               cache_dir=None, out_dir=Path(tmp) / "out")
            outcome = _build_one(Job(source, job.name, job.key, job.sha256), settings, 1, False, termbase,
                                 memory=(job.memory, job.memory_label), label=job.label)
    return _relabelled(outcome, str(source), job.label)


def _relabelled(outcome: Outcome, temporary: str, label: str) -> Outcome:
    """The outcome with the worker's temporary path of the source replaced by the client's."""
    def fix(text):
        return text.replace(temporary, label) if isinstance(text, str) else text

    summary = outcome.summary
    if summary is not None:
        summary = {**summary, "structure": [fix(m) for m in summary.get("structure", [])],
                   "term_findings": [fix(m) for m in summary.get("term_findings", [])]}
    return replace(outcome, error=fix(outcome.error), trace=fix(outcome.trace), summary=summary)


# --- on the client -------------------------------------------------------------------------------


def run_on_cluster(items: Iterator[Outcome | Job], settings: BuildSettings, address: str) -> Iterator[Outcome]:
    """Build the jobs of ``items`` as tasks on the cluster at ``address``, passing its outcomes
    through; outcomes come as tasks finish (``as_completed``). The cluster is asked at once —
    a wrong address is said before any source is read — and its client closed at the end."""
    client = connect(address)
    return _tasks(client, items, settings)


def _tasks(client, items: Iterator[Outcome | Job], settings: BuildSettings) -> Iterator[Outcome]:
    import time
    import uuid

    import dask
    import distributed

    mine = code_version()
    glossary = None
    in_flight: dict[str, Job] = {}
    completed = distributed.as_completed(loop=client.loop)
    source = iter(items)
    exhausted = False
    window, sized = TASKS_PER_THREAD, 0.0
    try:
        # a task carries its source's bytes by design (workers need no shared disk): a large
        # scanned report is no reason for Dask's warning about large graphs
        with dask.config.set({"distributed.admin.large-graph-warning-threshold": "2GB"}):
            while True:
                if time.monotonic() - sized > RESIZE_SECONDS:
                    window = max(TASKS_PER_THREAD, TASKS_PER_THREAD * sum(client.nthreads().values()))
                    sized = time.monotonic()
                while not exhausted and len(in_flight) < window:
                    item = yield from pass_outcomes(source)
                    if item is None:
                        exhausted = True
                        break
                    if glossary is None:
                        # on every worker at once: a task that needs it then runs wherever a
                        # thread is free, not where the termbase happens to be
                        glossary = client.scatter(glossary_payload(settings), broadcast=True, hash=False)
                    try:
                        task = remote_job(item, settings)
                    except OSError as err:  # as a local build says it
                        yield Outcome(item.name, item.source, FAILED, key=item.key, sha256=item.sha256,
                                      error=f"{err.filename or item.source}: {err.strerror or err} — check the file")
                        continue
                    future = client.submit(build_on_worker, task, glossary, key=f"build-{item.name}-{uuid.uuid4().hex}", pure=False)
                    in_flight[future.key] = replace(item, data=None)  # its bytes are the task's now
                    del task
                    completed.add(future)
                if not in_flight:
                    return
                future = next(completed)
                job = in_flight.pop(future.key)
                yield _outcome_of(future, job, mine)
                future.release()
    finally:
        client.close()


def _outcome_of(future, job: Job, mine: str) -> Outcome:
    """A finished task → the document's outcome, named by the client's source path."""
    from concurrent.futures import CancelledError

    from distributed import KilledWorker

    def failed(error: str) -> Outcome:
        return Outcome(job.name, job.source, FAILED, error=error, key=job.key, sha256=job.sha256)

    try:
        outcome = future.result()
    except KilledWorker:
        return failed(f"{job.source}: the Dask workers building it died again and again (killed: out of memory?)"
                      " — build it alone with -j 1 to see why")
    except CancelledError as exc:  # the scheduler went away, or the client lost it
        raise EditionError(f"the Dask cluster stopped building ({type(exc).__name__}) — start it again and run the same"
                           " command: the documents done so far are kept") from None
    except Exception as exc:
        return failed(f"{job.source}: the task failed on the cluster ({type(exc).__name__}: {exc}) — check that every"
                      " worker has edition installed, the same version as here")
    if outcome.code != mine:
        return failed(f"{job.source}: built by a worker running other edition code or reading libraries than this machine"
                      f" — {SAME_CODE}")
    return replace(outcome, source=job.source, name=job.name)
