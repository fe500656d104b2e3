"""Atomic file writes: a reader never sees half a file, a failure leaves the old file in place.

:func:`write_files_atomic` extends that to a group: one document's JSON, Markdown and QA report
are all replaced, or none is.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .errors import EditionError


def _not_a_directory(p: Path) -> None:
    if p.is_dir():
        raise EditionError(f"{p}: is a directory — give a file name (e.g. {p / 'name'})")


def _temp_beside(p: Path, data: bytes) -> str:
    """``data`` in a new temporary file next to ``p`` (same file system, so the rename is atomic)."""
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    except OSError as exc:
        raise EditionError(f"{p}: cannot write ({exc.strerror}) — check the directory exists and is writable") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        # mkstemp creates 0600; an edition is for reading, so give it the usual 0644 less umask
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
    except BaseException as exc:
        _unlink(tmp)
        if isinstance(exc, OSError):
            raise EditionError(f"{p}: cannot write ({exc.strerror or exc}) — check the disk and the directory's permissions") from None
        raise
    return tmp


def _unlink(path: str | Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` and move it into place."""
    p = Path(path)
    _not_a_directory(p)
    _move_into_place(_temp_beside(p, data), p)


_ANY = object()


def _move_into_place(tmp: str, p: Path, expected: bytes | None | object = _ANY) -> bool:
    """Move the temporary file ``tmp`` onto ``p`` — if given ``expected``, only while ``p`` still
    holds it (False, and ``tmp`` removed, otherwise). On any failure ``tmp`` goes and an OS
    error is one line naming ``p``."""
    try:
        if expected is not _ANY and read_bytes_or_none(p) != expected:
            _unlink(tmp)
            return False
        os.replace(tmp, p)
    except BaseException as exc:
        _unlink(tmp)
        if isinstance(exc, OSError):
            raise EditionError(f"{p}: cannot write ({exc.strerror or exc}) — check that it is a writable file") from None
        raise
    return True


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to a temporary file beside ``path`` and move it into place."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_files_atomic(files: dict[Path, str | bytes]) -> None:
    """Write several files all or nothing: every new text (UTF-8) or bytes (a picture) goes to a
    temporary file first; only when all are written are they moved into place, and if a move
    fails the files already moved get their old contents back (or are removed, where there was none)."""
    for p in files:
        _not_a_directory(p)
    temps: dict[Path, str] = {}
    try:
        for p, text in files.items():
            temps[p] = _temp_beside(p, text if isinstance(text, bytes) else text.encode("utf-8"))
    except BaseException:
        for tmp in temps.values():
            _unlink(tmp)
        raise
    backups: dict[Path, str | None] = {}  # target → a copy of its old contents (None: was absent)
    moved: list[Path] = []
    current = next(iter(files), None)
    try:
        for current, tmp in temps.items():
            backups[current] = _backup(current) if current.exists() else None
            os.replace(tmp, current)
            moved.append(current)
    except BaseException as exc:
        for p in moved:  # undo: the old contents back, or no file where there was none
            old = backups[p]
            if old is not None:
                os.replace(old, p)
                backups[p] = None
            else:
                _unlink(p)
        for tmp in temps.values():
            _unlink(tmp)
        for old in backups.values():
            if old is not None:
                _unlink(old)
        if isinstance(exc, OSError):
            raise EditionError(f"{current}: cannot write ({exc.strerror or exc}) — check that it is a writable file;"
                               " none of the document's files was changed") from None
        raise
    for old in backups.values():
        if old is not None:
            _unlink(old)


def _backup(p: Path) -> str:
    """A hard link to ``p`` under a temporary name (a copy where links are not supported)."""
    fd, name = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".old", dir=p.parent)
    os.close(fd)
    os.unlink(name)
    try:
        os.link(p, name)
    except OSError:
        shutil.copy2(p, name)
    return name


# --- files a person edits while the tool runs ---------------------------------------------------


def read_bytes_or_none(path: str | Path) -> bytes | None:
    """The file's bytes, or None when it does not exist."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        return None


def replace_if_unchanged(path: str | Path, expected: bytes | None, text: str) -> bool:
    """Write ``text`` to ``path`` only if the file still holds ``expected`` (None: still absent).

    The new text goes to a temporary file first; the file is compared with what the caller read
    just before the rename, so an editor's save in between is not overwritten: False is
    returned and the caller reads again. (An editor takes no lock; this narrows the window to
    the instant between the comparison and the rename.)
    """
    p = Path(path)
    _not_a_directory(p)
    return _move_into_place(_temp_beside(p, text.encode("utf-8")), p, expected)


def _lock_path(path: Path) -> Path:
    """Where the lock of ``path`` lives: outside the user's folders (a lock file beside a
    memory would show in every `git status`), named by the file's absolute path."""
    import hashlib

    digest = hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:24]
    return Path(tempfile.gettempdir()) / f"edition-lock-{os.getuid() if hasattr(os, 'getuid') else 0}" / f"{digest}.lock"


class file_lock:
    """An inter-process lock for one file, held by `edition` commands that rewrite it (two
    drafting runs, `memory accept` while drafting runs): the second waits for the first.

    Editors do not take it — :func:`replace_if_unchanged` is what protects their saves. Where
    the platform has no ``fcntl`` (Windows), the lock is a no-op and only the comparison protects.
    """

    def __init__(self, path: str | Path, timeout: float = 60.0):
        self.path = Path(path)
        self.timeout = timeout
        self._fh = None

    def __enter__(self) -> "file_lock":
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return self
        import time

        lock = _lock_path(self.path)
        lock.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(lock, "a+b")
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(self._fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if time.monotonic() > deadline:
                    self._fh.close()
                    self._fh = None
                    raise EditionError(
                        f"{self.path}: another edition command has been writing it for {self.timeout:g} s — wait for it to finish, then run this again"
                    ) from None
                time.sleep(0.05)

    def __exit__(self, *exc) -> None:
        if self._fh is not None:
            import fcntl

            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None
