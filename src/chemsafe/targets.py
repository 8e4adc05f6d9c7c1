"""Which engine a chemsafe job builds on: a dbt target, i.e. an output of profiles.yml.

`local` (the default) is the embedded DuckDB working file; `spark` is Apache Spark through
dbt-spark (README "Outgrowing one machine"). The choice is `--target` of `chemsafe build`,
`run`, `publish` and `reconcile`, else CHEMSAFE_DBT_TARGET (the variable the profile
itself reads, so plain `dbt` and `chemsafe` agree), else `local`.

Whatever engine builds, analysts, `chemsafe reconcile` and `chemsafe publish` read the
working DuckDB file: after a full build on an engine other than DuckDB, chemsafe pulls
what was built there into it (chemsafe.spark_pull). The profile's `serving` output only
reads the published file; nothing builds there.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import os

import yaml

from chemsafe.paths import project_root

TARGET_ENV = "CHEMSAFE_DBT_TARGET"
WORKING_TARGET = "local"  # the output that opens the working DuckDB file
READ_ONLY_TARGETS = frozenset({"serving"})
PROFILE = "chemsafe_esg"


class TargetError(ValueError):
    """A target chemsafe cannot build on."""


@functools.cache
def output_types() -> dict[str, str]:
    """Every output of the project's profile and its adapter type (duckdb, spark, ...)."""
    text = (project_root() / "profiles.yml").read_text(encoding="utf-8")
    outputs = yaml.safe_load(text)[PROFILE]["outputs"]
    return {name: str(output.get("type", "")) for name, output in outputs.items()}


def build_targets() -> list[str]:
    """The outputs chemsafe can build on, the working DuckDB file first."""
    names = [n for n in output_types() if n not in READ_ONLY_TARGETS]
    return sorted(names, key=lambda n: (n != WORKING_TARGET, n))


# What each adapter type needs beyond the main lock (`make spark` installs it).
EXTRAS = {"spark": ("pyspark", "dbt.adapters.spark")}


def chosen_target(requested: str | None) -> str:
    """`requested` (a --target option), else CHEMSAFE_DBT_TARGET, else `local`; TargetError
    when that is not an output chemsafe can build on, or its packages are missing."""
    target = requested or os.environ.get(TARGET_ENV) or WORKING_TARGET
    if target in READ_ONLY_TARGETS:
        raise TargetError(f"the `{target}` output of profiles.yml only reads the published "
                          f"file; build on one of: {', '.join(build_targets())}"
                          + ("" if requested else f" (unset {TARGET_ENV} or set it to one)"))
    if target not in output_types():
        raise TargetError(f"profiles.yml has no output `{target}`; build on one of: "
                          f"{', '.join(build_targets())}")
    missing = [m for m in EXTRAS.get(adapter_type(target), ())
               if importlib.util.find_spec(m) is None]
    if missing:
        raise TargetError(f"the `{target}` target needs packages that are not installed "
                          f"({', '.join(missing)}): run `make spark` (README \"Outgrowing one "
                          "machine\")")
    return target


def adapter_type(target: str) -> str:
    return output_types().get(target, "")


def is_pulled(target: str) -> bool:
    """Whether a build on `target` happens outside the working DuckDB file, so that its
    results are pulled into it (chemsafe.spark_pull) after a full build."""
    return adapter_type(target) == "spark"


BUILD_TARGET_HELP = (
    f"the engine to build on: a dbt target of profiles.yml (default: {TARGET_ENV} when set, "
    f"else {WORKING_TARGET}, the embedded DuckDB file); on spark the passed build is pulled "
    "into the working DuckDB file, which publish and reconcile read (README \"Outgrowing one "
    "machine\")")


def add_target_option(parser: argparse.ArgumentParser, help_text: str = BUILD_TARGET_HELP) \
        -> None:
    """The --target option, one declaration for every command that takes it: its choices
    are the outputs chemsafe can build on; what the command does with the choice is its
    own (build, run and publish build there; reconcile checks the working file holds that
    build), so each says it in `help_text`."""
    parser.add_argument("--target", choices=build_targets(), help=help_text)
