"""How many processes or threads a job runs at once: one rule for every such setting."""

from __future__ import annotations

import os


def workers_setting(variable: str, at_most: int) -> int:
    """The positive whole number in the environment ``variable``; else (unset, or not a
    positive whole number) the machine's CPUs, at most ``at_most``."""
    configured = os.environ.get(variable, "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return max(1, min(at_most, os.cpu_count() or 1))
