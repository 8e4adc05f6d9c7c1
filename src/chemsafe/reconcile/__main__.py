"""``python -m chemsafe.reconcile [--quarter 2026-Q2]``: the reconcile command on its own."""

from chemsafe.reconcile.cli import main

raise SystemExit(main())
