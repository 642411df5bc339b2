# coachlib: `make demo` and `make test` work on a fresh Debian machine with Python 3.11.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
# A stamp per install kind, remade when pyproject.toml changes.
INSTALLED      := $(VENV)/.installed
TEST_INSTALLED := $(VENV)/.test-installed

.PHONY: demo test test-fast lint docs bench golden clean help

help:
	@echo "make demo   - install coachlib into $(VENV) and build a demo workspace"
	@echo "make test   - install test dependencies and run every test"
	@echo "make lint   - ruff, the import contracts between layers (lint-imports), mypy"
	@echo "make docs   - the documentation site, strict (docs/_build/html/index.html)"
	@echo "make bench  - performance against the floors (about 15 minutes)"
	@echo "make golden - re-record the golden notebooks nbval compares"
	@echo "make clean  - remove $(VENV), the demo workspace and caches"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# rfc3987-syntax comes in through jupyter-events -> jsonschema[format-nongpl] and compiles
# grammars at import: it adds 0.75-4 s to every kernel, papermill, nbconvert and jupyter
# start. Without it jsonschema only skips the "iri" format check, which nothing here uses.
$(INSTALLED): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	-$(PY) -m pip uninstall --quiet --yes rfc3987-syntax
	touch $@

$(TEST_INSTALLED): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test,collaborate,docs]'
	-$(PY) -m pip uninstall --quiet --yes rfc3987-syntax
	touch $(INSTALLED) $@

demo: $(INSTALLED)
	$(BIN)/coach demo demo-workspace --replace

# axe-core (npm) for the accessibility audit of the HTML summary; without npm that one
# test skips on a user's machine (and fails in CI, where .ci/run makes npm available).
node_modules/axe-core/axe.min.js: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent; \
	else echo "npm not found: the axe-core accessibility test will skip"; fi

test: lint docs node_modules/axe-core/axe.min.js
	$(PY) -m pytest

test-fast: $(TEST_INSTALLED)
	$(PY) -m pytest -m "not slow and not browser"

lint: $(TEST_INSTALLED)
	$(BIN)/ruff check coachlib tests benchmarks deploy docs
	$(BIN)/ruff format --check coachlib tests benchmarks deploy docs
	$(BIN)/lint-imports
	$(BIN)/mypy

# Strict: a warning (a broken link, a page in no table of contents) fails the build.
docs: $(TEST_INSTALLED)
	$(BIN)/sphinx-build -W --keep-going -n -q -b html docs docs/_build/html

bench: $(INSTALLED)
	$(PY) benchmarks/run.py

golden: $(INSTALLED)
	$(PY) tests/golden/regenerate.py

clean:
	rm -rf $(VENV) demo-workspace .pytest_cache .ruff_cache .mypy_cache build dist docs/_build
