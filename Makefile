# `make demo` and `make test` bootstrap their own virtual environment (.venv) on a machine
# that has only python3 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,dask,docs]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python examples/lai_chau/run.py

# The suite on every core (pytest-xdist; TEST_WORKERS=0 runs it in one process). The pages of
# tests/test_docs_blocks.py share one worker (--dist loadgroup): they reuse each other's steps.
# The slowest tests are listed at the end, to keep the suite well under 10 minutes.
TEST_WORKERS ?= auto

test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup --durations=20

lint: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,dev]"
	$(BIN)/ruff check src tests benchmarks examples
	$(BIN)/mypy

docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 DISABLE_MKDOCS_2_WARNING=true $(BIN)/mkdocs build --strict

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_engine.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
