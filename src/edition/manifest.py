"""``OUT/manifest.jsonl``: one JSON line per source of a build, appended as each document
finishes — what a run did, and what the next run resumes from.

A row (keys sorted, UTF-8):

    source     the document's path under the sources folder ("a/report.pdf")
    sha256     of the source's bytes (absent when it could not be read)
    key        the build key: a hash of everything that shapes the outputs (the source's name and
               bytes, the code and its reading libraries, the termbase, the memory, the title;
               see :func:`edition.build.cache_key`)
    status     built | cached (nothing rebuilt) | failed
    pages      the source's pages
    seconds    time spent on the document where it was built (or found unchanged)
    finished   when its row was written (UTC, ISO 8601)
    outputs    its files, relative to OUT → size in bytes (the editions and their pictures)
    qa         QA findings by kind; segments: translation segments by state;
    warnings   what was said about it on stderr (structure findings, pictures not rendered)
    error      a failure's one-line reason

The outputs of a document are written before its row, so a row always describes files that
are there. A rerun reads the rows of the runs before it (a killed run's too) and takes a
document as unchanged — status ``cached``, nothing read or written — when its key is the same
and its files are still there, of the sizes recorded and not modified since the row was
written; anything else is built again. While a run goes on its rows follow the previous
run's; when it finishes, the file is cut down to its own rows: one per source.
"""

from __future__ import annotations

import json
import math
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .errors import EditionError

MANIFEST_NAME = "manifest.jsonl"


def iso_time(seconds: float) -> str:
    """2026-12-06T10:11:12.345678Z, rounded up to the microsecond: a file written just before
    must never look newer than the row written after it."""
    micro = math.ceil(seconds * 1_000_000)
    return (datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=micro)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _epoch(text) -> float | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except (TypeError, ValueError, AttributeError):
        return None


def row_of(outcome, finished: float) -> dict:
    """The manifest row of one document's outcome (see the module's docstring)."""
    from .build import FAILED, STATES

    row: dict = {"source": outcome.name + outcome.source.suffix, "status": outcome.status,
                 "seconds": round(outcome.seconds, 3), "finished": iso_time(finished)}
    if outcome.sha256:
        row["sha256"] = outcome.sha256
    if outcome.key:
        row["key"] = outcome.key
    if outcome.status == FAILED:
        row["error"] = outcome.error or "failed"
        return row
    if outcome.row is not None:  # unchanged since the row of a run before: its files are in place
        for k in ("outputs", "pages", "qa", "segments", "warnings"):
            if k in outcome.row:
                row[k] = outcome.row[k]
        return row
    summary = outcome.summary or {}
    row["outputs"] = {name: len(data if isinstance(data, bytes) else data.encode("utf-8")) for name, data in sorted(outcome.files.items())}
    if summary.get("pages") is not None:
        row["pages"] = summary["pages"]
    row["qa"] = dict(sorted(summary.get("qa", {}).items()))
    row["segments"] = {s: summary.get("states", {}).get(s, 0) for s in STATES}
    if summary.get("structure"):
        row["warnings"] = list(summary["structure"])
    return row


def row_line(row: dict) -> bytes:
    return (json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _parse(line: bytes) -> dict | None:
    if not line.endswith(b"\n"):
        return None  # cut off mid-write
    try:
        row = json.loads(line)
    except ValueError:
        return None
    return row if isinstance(row, dict) and isinstance(row.get("source"), str) else None


class Manifest:
    """The manifest of one build into ``out_dir``: the previous runs' rows to resume from, and
    this run's rows appended as documents finish. One build at a time writes into a folder.

    Use as a context manager; :meth:`finish` when every source has its row.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.path = out_dir / MANIFEST_NAME
        self._index: dict[str, int] = {}  # source → offset of its latest row (offsets, not rows: memory stays small)
        self._start = 0
        self._fh = None
        self._reader = None
        self._lock = None

    def __enter__(self) -> "Manifest":
        from .fsutil import file_lock

        self._lock = file_lock(self.path, timeout=0)
        try:
            self._lock.__enter__()
        except EditionError:
            self._lock = None
            raise EditionError(f"{self.out_dir}: another `edition build` is writing there — wait for it to finish, or give another --out") from None
        self._read_index()
        return self

    def __exit__(self, *exc) -> None:
        for fh in (self._fh, self._reader):
            if fh is not None:
                fh.close()
        self._fh = self._reader = None
        if self._lock is not None:
            self._lock.__exit__(*exc)
            self._lock = None

    def _read_index(self) -> None:
        try:
            fh = self.path.open("rb")
        except FileNotFoundError:
            return
        with fh:
            offset = 0
            for line in fh:
                row = _parse(line)
                if row is None and not line.endswith(b"\n"):
                    break  # a killed run's last, cut-off line: written over by this run
                if row is not None:
                    self._index[row["source"]] = offset
                offset += len(line)
        self._start = offset

    def previous(self, source: str) -> dict | None:
        """The latest row for ``source`` of the runs before this one, if any."""
        offset = self._index.get(source)
        if offset is None:
            return None
        if self._reader is None:
            self._reader = self.path.open("rb")  # the rows before this run's stay where they are until finish()
        self._reader.seek(offset)
        return _parse(self._reader.readline())

    def unchanged(self, source: str, key: str) -> dict | None:
        """The previous row of ``source`` when nothing that shapes it changed (same key) and its
        files are in place as that row left them; else None."""
        row = self.previous(source)
        if row is None or row.get("key") != key or row.get("status") == "failed" or not isinstance(row.get("outputs"), dict):
            return None
        finished = _epoch(row.get("finished"))
        if finished is None or not row["outputs"]:
            return None
        for name, size in row["outputs"].items():
            try:
                st = (self.out_dir / name).stat()
            except OSError:
                return None
            # a file edited since its row was written is not what the row describes
            if st.st_size != size or st.st_mtime > finished:
                return None
        return row

    def append(self, row: dict) -> None:
        """Add one document's row, on disk at once (a run killed after it keeps it)."""
        if self._fh is None:
            try:
                self.out_dir.mkdir(parents=True, exist_ok=True)
                self._fh = self.path.open("r+b" if self.path.exists() else "wb")
                self._fh.truncate(self._start)  # a cut-off line of a killed run goes
                self._fh.seek(self._start)
            except OSError as exc:
                raise EditionError(f"{self.path}: cannot write ({exc.strerror or exc}) — check that --out is a writable folder") from None
        try:
            self._fh.write(row_line(row))
            self._fh.flush()
        except OSError as exc:
            raise EditionError(f"{self.path}: cannot write ({exc.strerror or exc}) — check the disk") from None

    def finish(self) -> None:
        """Every source has its row: keep this run's rows only (copied, not read into memory,
        then moved into place)."""
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if self._fh is None or not self._start:
            return
        import shutil
        import tempfile

        self._fh.flush()
        self._fh.seek(self._start)
        fd, tmp = tempfile.mkstemp(prefix=f".{MANIFEST_NAME}.", suffix=".tmp", dir=self.out_dir)
        try:
            with os.fdopen(fd, "wb") as out:
                shutil.copyfileobj(self._fh, out)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; the manifest is for reading
            os.replace(tmp, self.path)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            raise EditionError(f"{self.path}: cannot write ({exc.strerror or exc}) — check the disk") from None
        self._fh.close()
        self._fh = None
        self._start = 0
