# Two commands for a new user: `make run` and `make test`. Both bootstrap the virtual
# environment from the hashed lock file when it is missing or out of date.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.chemsafe-installed

.PHONY: run test lint lock clean help

help:
	@echo "make run   - set up the environment and run the main job on the demo extracts"
	@echo "make test  - run the whole test suite (lint + pytest, dbt end to end)"

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/chemsafe run

test: $(STAMP)
	$(BIN)/ruff check src scripts tests
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src scripts tests

# Regenerate the lock file after changing a dependency in pyproject.toml.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools==7.6.2
	$(BIN)/pip-compile --allow-unsafe --extra=dev --generate-hashes --no-emit-index-url \
		--output-file=requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) data target logs
