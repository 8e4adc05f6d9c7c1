"""Deterministic demo extract drop of the fictional company 한빛케미칼 (Hanbit Chemical).

``generate(out_dir, scale, seed)`` writes one CSV per file of the extract contract
(``chemsafe.contract.FILES``) plus a README listing the planted edge cases and bad rows.
"""

from chemsafe.demo.generator import DEFAULT_SCALE, DEFAULT_SEED, generate

__all__ = ["DEFAULT_SCALE", "DEFAULT_SEED", "generate"]
