"""Write the deterministic demo extract drop (fictional 한빛케미칼).

    python scripts/generate_demo_extracts.py --out demo/extracts --scale 1.0 --seed 20260630

Default arguments regenerate the committed drop under demo/extracts.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:  # runnable without installing the package
    sys.path.insert(0, str(ROOT / "src"))

from chemsafe.demo import DEFAULT_SCALE, DEFAULT_SEED, generate  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "demo" / "extracts",
                        help="output folder (default: demo/extracts of the repository)")
    parser.add_argument("--scale", type=float, default=DEFAULT_SCALE,
                        help="size factor; findings grow about linearly (default 1.0)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--workers", type=int, default=None,
                        help="processes that write a large drop (default: "
                             "CHEMSAFE_GENERATOR_WORKERS, else the CPUs, at most 8); the "
                             "bytes are the same whatever the number")
    args = parser.parse_args(argv)
    if not args.scale > 0:
        parser.error("--scale must be positive")
    if args.workers is not None and args.workers < 1:
        parser.error("--workers must be at least 1")
    started = time.perf_counter()
    counts = generate(args.out, scale=args.scale, seed=args.seed, workers=args.workers)
    elapsed = time.perf_counter() - started
    for name, rows in counts.items():
        print(f"{name + '.csv':<30} {rows:>12,}")
    print(f"{'total':<30} {sum(counts.values()):>12,}  ({elapsed:.1f} s, {args.out})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
