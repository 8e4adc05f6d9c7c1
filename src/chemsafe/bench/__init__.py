"""`chemsafe bench`: dbt build against the engine floor and the pandas baseline."""

from __future__ import annotations

import os

# DuckDB's memory bound for `dbt build` when CHEMSAFE_MEMORY_LIMIT is not set: the default
# of profiles.yml (tests/test_bench.py checks they match). The engine floor and the
# staging single pass run under the same bound as the build they are compared with.
BUILD_MEMORY_LIMIT_DEFAULT = "1200MB"


def build_memory_limit() -> str:
    return os.environ.get("CHEMSAFE_MEMORY_LIMIT", BUILD_MEMORY_LIMIT_DEFAULT)
