"""The one reader of the reference seeds (``seeds/reference/*.csv``) for Python.

dbt loads the seeds into the warehouse; the Python that needs them outside it (the scoring
policy of ``chemsafe.policy``, the semantic layer generated from the definition sheets)
reads the same files here: every cell as the text written in the file (the callers type
what they use), in file order.
"""

from __future__ import annotations

import csv
from pathlib import Path

from chemsafe.paths import project_root

SEEDS = Path("seeds") / "reference"


def seeds_dir(root: Path | None = None) -> Path:
    """The reference seed folder of the project at `root` (default: this checkout)."""
    return (root or project_root()) / SEEDS


def seed_rows(name: str, folder: Path | None = None) -> list[dict[str, str]]:
    """The rows of the seed `name` (``<folder>/<name>.csv``; default folder: this
    checkout's seeds_dir()), one dict per row keyed by the header."""
    path = (folder or seeds_dir()) / f"{name}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
