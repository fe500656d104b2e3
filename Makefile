# Two entry points (see README): `make edition` builds output/ from source_docs/, `make test` runs the tests.
# Both create the project's own virtual environment first, so nothing has to be installed by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# setup.py and the C file too: a changed C loop is compiled again before the tests run
$(STAMP): pyproject.toml setup.py src/edition/reading/_native.c
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

.PHONY: edition test check bench
edition: $(STAMP)
	$(BIN)/edition build

test: $(STAMP)
	$(BIN)/pytest

check: $(STAMP)
	$(BIN)/edition build --check
	$(BIN)/edition glossary check source_docs/hokkaido-report.txt

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_reader.py
