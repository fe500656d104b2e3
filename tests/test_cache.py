"""The build cache: one documented place (--cache-dir, EDITION_CACHE_DIR, else the user's cache
directory), bounded in size (least recently used entries go first), emptied by `edition cache clear`."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from conftest import GLOSSARY, run
from edition.cache import cache_read, cache_write, default_cache_dir, evict


@pytest.fixture
def project(tiny_project):
    return tiny_project


def build(*extra, out="out"):
    return run("build", "--source", "tiny.txt", "--out", out, "--translations", "tr", "--glossary", GLOSSARY, *extra)


def test_default_cache_dir_is_the_users_cache_not_the_working_directory(monkeypatch, tmp_path):
    monkeypatch.delenv("EDITION_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "edition"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == Path.home() / ".cache" / "edition"


def test_cache_dir_option_puts_the_cache_there_and_the_next_build_reads_it(project):
    assert build("--cache-dir", "c").exit_code == 0
    assert len(list((project / "c").glob("*.json.gz"))) == 1
    assert "(1 from cache)" in build("--cache-dir", "c").stderr


def test_environment_variable_names_the_cache_dir(project, monkeypatch):
    monkeypatch.setenv("EDITION_CACHE_DIR", str(project / "env-cache"))
    assert build().exit_code == 0
    assert len(list((project / "env-cache").glob("*.json.gz"))) == 1


def test_a_corrupt_entry_is_a_miss_and_is_rebuilt(project):
    assert build("--cache-dir", "c").exit_code == 0
    (entry,) = (project / "c").glob("*.json.gz")
    entry.write_bytes(b"not gzip")
    result = build("--cache-dir", "c", out="elsewhere")  # no manifest there saying out/ is up to date: the cache is asked
    assert result.exit_code == 0 and "(0 from cache)" in result.stderr


def test_cache_keeps_within_its_bound_by_dropping_the_least_recently_used(tmp_path):
    entry = {"files": {"a.json": "x" * 2000}, "summary": {}}
    size = len(gzip.compress(b'{"files": {"a.json": "' + b"x" * 2000 + b'"}, "summary": {}}', compresslevel=5))
    bound = 3 * size + size // 2  # room for three entries
    for i, key in enumerate(["k1", "k2", "k3"]):
        cache_write(tmp_path, key, entry, bound)
        os.utime(tmp_path / f"{key}.json.gz", (1000 + i, 1000 + i))
    assert cache_read(tmp_path, "k1") is not None  # read: now the most recently used
    cache_write(tmp_path, "k4", entry, bound)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k1.json.gz", "k3.json.gz", "k4.json.gz"]
    assert sum(p.stat().st_size for p in tmp_path.iterdir()) <= bound
    assert evict(tmp_path, 0) == 3 and not any(tmp_path.iterdir())


def test_an_entry_larger_than_the_bound_is_not_stored(tmp_path):
    cache_write(tmp_path, "big", {"files": {"a": os.urandom(64).hex() * 100}}, max_bytes=100)
    assert not any(tmp_path.iterdir())


def test_cache_size_bound_comes_from_the_environment(project, monkeypatch):
    monkeypatch.setenv("EDITION_CACHE_MAX_MB", "0")
    assert build("--cache-dir", "c").exit_code == 0
    assert not list((project / "c").glob("*.json.gz"))
    monkeypatch.setenv("EDITION_CACHE_MAX_MB", "lots")
    result = build("--cache-dir", "c")
    assert result.exit_code == 1
    assert result.stderr == "Error: EDITION_CACHE_MAX_MB=lots: not a number — give megabytes, e.g. 200\n"


def test_cache_clear_empties_it_and_says_how_much(project):
    assert build("--cache-dir", "c").exit_code == 0
    info = run("cache", "info", "--cache-dir", "c")
    assert info.exit_code == 0 and info.stdout.startswith("c: 1 entry, ") and info.stdout.endswith(" of at most 200.0 MB\n")
    result = run("cache", "clear", "--cache-dir", "c")
    assert result.exit_code == 0
    assert result.stdout.startswith("removed 1 entry (") and result.stdout.endswith(" MB) from c\n")
    assert not any((project / "c").iterdir())
    assert "(0 from cache)" in build("--cache-dir", "c", out="elsewhere").stderr


def test_cache_clear_uses_the_environment_variable_too(project, monkeypatch):
    monkeypatch.setenv("EDITION_CACHE_DIR", str(project / "env-cache"))
    assert build().exit_code == 0
    assert run("cache", "clear").stdout.startswith("removed 1 entry")


def test_clearing_a_cache_that_is_not_there_removes_nothing(project):
    result = run("cache", "clear", "--cache-dir", "nowhere")
    assert result.exit_code == 0 and result.stdout == "removed 0 entries (0.0 MB) from nowhere\n"
