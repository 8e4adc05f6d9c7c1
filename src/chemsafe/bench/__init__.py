"""`chemsafe bench`: dbt build against the engine floor and the pandas baseline."""

from __future__ import annotations

# The engine floor and the staging single pass run under the same memory bound as the
# build they are compared with (chemsafe.build_memory).
from chemsafe.build_memory import BUILD_MEMORY_LIMIT_DEFAULT, build_memory_limit

__all__ = ["BUILD_MEMORY_LIMIT_DEFAULT", "build_memory_limit"]
