"""Mutation check of the boundary register (`make mutants`): flip every registered boundary
in a scratch copy of the project, run only the tests that pin it, report survivors.

    python scripts/mutants.py [--only ID ...] [--list]

Exit 0 when every mutant is killed, 1 when any survives, 2 on a register error.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:  # runnable without installing the package
    sys.path.insert(0, str(ROOT / "src"))

from chemsafe.mutants import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
