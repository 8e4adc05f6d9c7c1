# Two commands for a new user: `make run` and `make test`. Both bootstrap the virtual
# environment from the hashed lock file when it is missing or out of date.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.chemsafe-installed

.PHONY: run test lint sqllint lock clean help browser mutants spark

help:
	@echo "make run   - set up the environment and run the main job on the demo extracts"
	@echo "make test  - run the whole test suite (lint + pytest, dbt end to end)"
	@echo "make mutants - flip every registered rule boundary and check a test notices"
	@echo "make browser - install headless Chromium and Korean fonts (done by make test)"
	@echo "make spark - add dbt-spark and a local Spark (the spark target; done by make test)"

$(STAMP): requirements.lock pyproject.toml
	@echo "Setting up $(VENV) from requirements.lock (dbt, DuckDB, Great Expectations, pandas):"
	@echo "the first time this downloads and installs about 160 packages, a few minutes."
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/chemsafe run

# The optional `spark` target (README "Outgrowing one machine"): dbt-spark and pyspark from
# their own hashed lock (requirements-spark.lock, the main lock plus these), installed only
# by `make spark` and `make test` (the parity test), never by `make run`. Spark needs a
# Java 17+ runtime (java on the PATH or JAVA_HOME).
SPARK_STAMP := $(VENV)/.chemsafe-spark-installed
$(SPARK_STAMP): $(STAMP) requirements-spark.lock
	@echo "Adding dbt-spark and pyspark (about 450 MB) from requirements-spark.lock"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-spark.lock
	@touch $(SPARK_STAMP)

spark: $(SPARK_STAMP)

# Headless Chromium and a Korean font for the tests that look at the HTML pages (the
# EHS dashboard, reports); DejaVu (no Hangul) is the tests' tofu-only control font.
# Installed from Debian's registry once, only when missing.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BROWSER_PACKAGES := chromium fonts-noto-cjk fonts-dejavu-core
browser:
	@if [ -x /usr/bin/chromium ] && dpkg -s $(BROWSER_PACKAGES) >/dev/null 2>&1; then :; else \
		$(SUDO) apt-get update && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
			$(BROWSER_PACKAGES); \
	fi

# -v names each test as it finishes (progress you can see); --durations lists the slowest.
# The tests run in parallel, a whole test file per worker (TEST_WORKERS=auto: one worker
# per CPU, at most 4): most of a test's time is dbt's single-threaded Python, so two
# workers on two cores nearly halve the wall time. TEST_WORKERS=0 runs them serially.
# --no-loadscope-reorder: files start in collection order, the Spark parity file first
# (tests/conftest.py), so its minutes overlap the rest instead of ending the run alone.
TEST_WORKERS ?= auto
test: $(STAMP) $(SPARK_STAMP) browser
	$(BIN)/ruff check src scripts tests
	$(MAKE) --no-print-directory sqllint
	$(BIN)/python -m pytest -v --durations=15 -n $(TEST_WORKERS) --maxprocesses=4 --dist loadfile --no-loadscope-reorder
	$(BIN)/python scripts/mutants.py

# Mutation check of the boundary register tests/boundaries.toml: flips every registered
# boundary in a scratch copy of the project, runs only the tests that pin it, reports
# survivors (exit 1 if any). See README "Mutation testing".
mutants: $(STAMP)
	$(BIN)/python scripts/mutants.py

lint: $(STAMP) sqllint
	$(BIN)/ruff check src scripts tests

# SQL lint (.sqlfluff: sqlfluff's dbt templater, DuckDB dialect, jaffle-shop's rule choices).
# dbt's parse and its profile's DuckDB file go under target/ (ignored), never data/: the lint
# needs no data directory, no network and no running build. The dbt templater lints models
# as dbt compiles them and skips macro files (a macro is checked where a model or test
# renders it), so the paths are the models and the singular tests (tests/dbt).
# tests/test_sql_lint.py runs this target on a scratch copy with SQLLINT_PATHS naming a
# deliberately bad model.
SQLLINT_PATHS ?= models tests/dbt
sqllint: $(STAMP)
	@mkdir -p target/sqlfluff
	CHEMSAFE_DATA_DIR=$(CURDIR)/target/sqlfluff DBT_SEND_ANONYMOUS_USAGE_STATS=false \
		PYTHONWARNINGS=ignore:resource_tracker:UserWarning \
		$(BIN)/sqlfluff lint $(SQLLINT_PATHS) --processes 2 --disable-progress-bar

# Regenerate the lock file after changing a dependency in pyproject.toml.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools==7.6.2
	$(BIN)/pip-compile --allow-unsafe --extra=dev --generate-hashes --no-emit-find-links --no-emit-index-url \
		--output-file=requirements.lock pyproject.toml
	$(BIN)/pip-compile --allow-unsafe --extra=dev --extra=spark --generate-hashes --no-emit-find-links \
		--no-emit-index-url --constraint=requirements.lock --output-file=requirements-spark.lock pyproject.toml

clean:
	rm -rf $(VENV) data target logs
