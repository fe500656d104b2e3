"""The build cache: one directory per user, bounded, emptied by `edition cache clear`.

Where it lives, first match wins: ``--cache-dir DIR``; ``$EDITION_CACHE_DIR``;
``$XDG_CACHE_HOME/edition``; ``~/.cache/edition``. It used to be ``./.cache`` of whatever
directory the build ran from, which scattered copies and grew without bound.

An entry is one document's built files and its summary, gzip-compressed JSON named by the cache
key (a hash of everything that shapes the output, see :func:`edition.build.cache_key`). After a
write, the least recently used entries are removed until the directory is within its bound
(``$EDITION_CACHE_MAX_MB``, default 200 MB): the report's entry is ~0.6 MB compressed, its
pictures included, so the bound holds hundreds of builds and one huge input cannot fill a disk.
"""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import EditionError
from .fsutil import write_bytes_atomic

DEFAULT_MAX_MB = 200
SUFFIX = ".json.gz"


def default_cache_dir() -> Path:
    """$EDITION_CACHE_DIR, else $XDG_CACHE_HOME/edition, else ~/.cache/edition."""
    explicit = os.environ.get("EDITION_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "edition"


def default_max_bytes() -> int:
    """$EDITION_CACHE_MAX_MB (megabytes) or 200 MB."""
    raw = os.environ.get("EDITION_CACHE_MAX_MB", "")
    try:
        mb = float(raw) if raw else DEFAULT_MAX_MB
    except ValueError:
        raise EditionError(f"EDITION_CACHE_MAX_MB={raw}: not a number — give megabytes, e.g. 200") from None
    if mb < 0:
        raise EditionError(f"EDITION_CACHE_MAX_MB={raw}: must be 0 or more (0 keeps nothing)")
    return int(mb * 1024 * 1024)


def _entry(cache_dir: Path, key: str) -> Path:
    return cache_dir / f"{key}{SUFFIX}"


def cache_read(cache_dir: Path, key: str) -> dict | None:
    """The entry stored under ``key``, or None (absent, unreadable or corrupt: a miss)."""
    f = _entry(cache_dir, key)
    try:
        data = json.loads(gzip.decompress(f.read_bytes()).decode("utf-8"))
        os.utime(f)  # recently used: eviction goes by modification time
    except (OSError, ValueError, EOFError):
        return None
    return data if isinstance(data, dict) else None


def cache_write(cache_dir: Path, key: str, entry: dict, max_bytes: int) -> None:
    """Store ``entry`` under ``key`` and keep the directory within ``max_bytes``.

    A cache that cannot be written only costs time: errors are swallowed here.
    """
    data = gzip.compress(json.dumps(entry, ensure_ascii=False, sort_keys=True).encode("utf-8"), compresslevel=5)
    if len(data) > max_bytes:
        return  # would evict everything else and still not fit
    try:
        write_bytes_atomic(_entry(cache_dir, key), data)
    except (OSError, EditionError):
        return
    evict(cache_dir, max_bytes)


def _entries(cache_dir: Path) -> list[tuple[float, int, Path]]:
    out = []
    try:
        files = list(cache_dir.iterdir())
    except OSError:
        return []
    for f in files:
        if f.name.endswith(SUFFIX):
            try:
                st = f.stat()
            except OSError:
                continue  # removed by a parallel build meanwhile
            out.append((st.st_mtime, st.st_size, f))
    return sorted(out)


def evict(cache_dir: Path, max_bytes: int) -> int:
    """Remove least recently used entries until the total is at most ``max_bytes``; how many went."""
    entries = _entries(cache_dir)
    total = sum(size for _, size, _ in entries)
    removed = 0
    for _, size, f in entries:
        if total <= max_bytes:
            break
        try:
            f.unlink()
        except OSError:
            pass
        total -= size
        removed += 1
    return removed


@dataclass(frozen=True)
class CacheUsage:
    """What the cache directory holds."""

    path: Path
    entries: int
    bytes: int


def cache_usage(cache_dir: Path) -> CacheUsage:
    entries = _entries(cache_dir)
    return CacheUsage(cache_dir, len(entries), sum(size for _, size, _ in entries))


def cache_clear(cache_dir: Path) -> CacheUsage:
    """Remove every entry (and stray temporary files of interrupted writes); what was removed."""
    usage = cache_usage(cache_dir)
    if not cache_dir.exists():
        return usage
    if not cache_dir.is_dir():
        raise EditionError(f"{cache_dir}: not a directory — check --cache-dir / EDITION_CACHE_DIR")
    for f in cache_dir.iterdir():
        if f.is_file() and (f.name.endswith(SUFFIX) or (f.name.startswith(".") and f.name.endswith(".tmp"))):
            try:
                f.unlink()
            except OSError as exc:
                raise EditionError(f"{f}: cannot remove ({exc.strerror}) — check the permissions of {cache_dir}") from None
    return usage


def megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"
