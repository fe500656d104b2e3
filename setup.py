"""The one compiled part: the reader's per-character loops (src/edition/reading/_native.c).
Optional: where no C compiler is at hand the package installs without it and the reader runs
the same loops in Python. Everything else is in pyproject.toml."""

from setuptools import Extension, setup

setup(ext_modules=[Extension("edition.reading._native", ["src/edition/reading/_native.c"], optional=True)])
