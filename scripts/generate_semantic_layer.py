"""Rewrite models/marts/semantic/_semantic__metrics.yml from the KPI definition sheets.

Usage: .venv/bin/python scripts/generate_semantic_layer.py [--check]
"""

from __future__ import annotations

import sys

from chemsafe.paths import project_root
from chemsafe.semantic_layer import METRICS_PATH, is_current, write


def main(argv: list[str]) -> int:
    root = project_root()
    if "--check" in argv:
        if is_current(root):
            return 0
        print(f"{METRICS_PATH} differs from the KPI definition sheets; run "
              "scripts/generate_semantic_layer.py", file=sys.stderr)
        return 1
    print(f"wrote {write(root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
