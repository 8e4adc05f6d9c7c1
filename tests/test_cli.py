"""The command line itself: --version and the contract check."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from chemsafe.contract import load_contract
from conftest import BUILD_ONE_SEED, CHEMSAFE, FIXTURES, PROJECT_ROOT, copy_project


def test_version_names_the_package_and_the_contract() -> None:
    out = subprocess.run([CHEMSAFE, "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("chemsafe 0.")
    assert f"extract contract {load_contract().version}" in out.stdout


def test_contract_check_passes_on_the_committed_files() -> None:
    out = subprocess.run([CHEMSAFE, "contract"], capture_output=True, text=True,
                         cwd=PROJECT_ROOT, check=False)
    assert out.returncode == 0, out.stderr
    assert "up to date" in out.stdout


def _cli_of(checkout: Path, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The chemsafe command of another checkout of the project (its own src first)."""
    env = dict(os.environ, CHEMSAFE_DATA_DIR=str(data_dir), PYTHONPATH=str(checkout / "src"))
    env.pop("CHEMSAFE_PSEUDONYM_KEY", None)
    return subprocess.run([sys.executable, "-m", "chemsafe.cli", *args], cwd=checkout,
                          env=env, capture_output=True, text=True, check=False)


def test_a_moved_checkout_builds_on_the_same_data_directory(tmp_path):
    """dbt keeps a partial-parse cache in the data directory's dbt/target that names the
    project's files by absolute path. A checkout moved (or a second clone) pointed at the
    same CHEMSAFE_DATA_DIR failed every seed with 'No files found that match the pattern
    <old checkout>/seeds/...' (the benchmark hit it); chemsafe now drops a cache written
    for another project folder."""
    data_dir = tmp_path / "data"
    first = copy_project(tmp_path / "checkout-a", data_dir)
    assert _cli_of(first, data_dir, "ingest", str(FIXTURES / "kpi_small")).returncode == 0
    built = _cli_of(first, data_dir, *BUILD_ONE_SEED)
    assert built.returncode == 0, built.stdout[-3000:]
    assert (data_dir / "dbt" / "target" / "partial_parse.msgpack").exists()
    shutil.rmtree(first)
    second = copy_project(tmp_path / "checkout-b", data_dir)
    again = _cli_of(second, data_dir, *BUILD_ONE_SEED)
    assert again.returncode == 0, again.stdout[-3000:]
    assert "No files found" not in again.stdout


COMMANDS = ("ingest", "build", "run", "publish", "reconcile", "bench", "contract", "paths")


def test_every_command_help_describes_it_and_its_examples_parse() -> None:
    """`chemsafe <command> --help` has a description and examples, and every example is a
    command line the real parser accepts for that command."""
    import shlex

    from chemsafe.cli import build_parser

    for command in COMMANDS:
        out = subprocess.run([CHEMSAFE, command, "--help"], capture_output=True, text=True,
                             check=True).stdout
        usage, _, rest = out.partition("\n\n")
        description = rest.split("\n\n", 1)[0]
        assert usage.startswith(f"usage: chemsafe {command}"), out
        assert len(description.split()) >= 12, f"{command}: no description\n{out}"
        examples = [line.strip() for line in out.split("examples:\n", 1)[1].splitlines()
                    if line.strip().startswith(("chemsafe ", "CHEMSAFE_"))]
        assert examples, f"{command}: no examples\n{out}"
        for example in examples:
            commands = []
            for part in example.split(" && "):
                words = [w for w in shlex.split(part) if "=" not in w.split("/")[0]]
                assert words[0] == "chemsafe", example
                # as chemsafe.cli.main parses: only `build` passes unknown options to dbt
                _, unknown = build_parser().parse_known_args(words[1:])  # exits if refused
                assert not unknown or words[1] == "build", example
                commands.append(words[1])
            assert command in commands, example


def test_paths_lists_every_output_of_a_published_run(demo_published: Path) -> None:
    env = dict(os.environ, CHEMSAFE_DATA_DIR=str(demo_published))
    out = subprocess.run([CHEMSAFE, "paths"], capture_output=True, text=True, env=env,
                         check=True).stdout
    listed = {line[line.index(" /") + 1:].split("  (")[0] for line in out.splitlines()[2:]
              if " /" in line}
    for written in ("chemsafe.duckdb", "serving/chemsafe_serving.duckdb",
                    "serving/publication.json", "exports/parquet", "docs/index.html",
                    "dashboard/index.html", "dbt/logs", "ingest/current"):
        path = demo_published / written
        assert path.exists(), written  # the run wrote it ...
        assert str(path) in listed, f"{written} not listed:\n{out}"  # ... and paths shows it
    # what the run wrote is not marked missing; the reports folder (reconcile) and the
    # Spark warehouse (builds with --target spark) are
    for line in out.splitlines()[2:]:
        if " /" in line:
            assert ("not yet written" in line) == (line.split()[0] in ("reports", "spark")), \
                line


def test_dbt_run_directly_before_any_ingest_says_what_to_do_in_one_line(tmp_path) -> None:
    env = dict(os.environ, CHEMSAFE_DATA_DIR=str(tmp_path / "nothing-here"))
    out = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "build", "--select", "base_ehs__findings",
         "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False)
    assert out.returncode != 0
    text = out.stdout + out.stderr
    assert "Traceback" not in text, text[-3000:]
    assert (f"no chemsafe data directory at {tmp_path / 'nothing-here'}: run `make run`"
            in text), text[-3000:]


def test_jobs_refuse_the_read_only_serving_target_in_one_line(tmp_path) -> None:
    """CHEMSAFE_DBT_TARGET=serving (what `mf query` uses) names no engine to build on:
    build, run and publish say so in one line before touching anything; reconcile, which
    builds nothing, ignores it."""
    data_dir = tmp_path / "data"
    env = dict(os.environ, CHEMSAFE_DATA_DIR=str(data_dir), CHEMSAFE_DBT_TARGET="serving")
    for command in (["build"], ["run"], ["publish"]):
        out = subprocess.run([CHEMSAFE, *command], cwd=PROJECT_ROOT, env=env,
                             capture_output=True, text=True, check=False)
        assert out.returncode == 2, out.stdout + out.stderr
        assert out.stderr.strip().splitlines() == [
            f"chemsafe {command[0]}: error: the `serving` output of profiles.yml only reads "
            "the published file; build on one of: local, spark (unset CHEMSAFE_DBT_TARGET "
            "or set it to one)"], out.stderr
    assert not (data_dir / "ingest").exists()  # `run` stopped before ingesting
    # every command that takes --target offers the same engines (one declaration of the
    # option): the outputs of profiles.yml other than `serving`
    for command in ("build", "run", "publish", "reconcile"):
        wrong = subprocess.run([CHEMSAFE, command, "--target", "duckdb"], cwd=PROJECT_ROOT,
                               env=env, capture_output=True, text=True, check=False)
        assert wrong.returncode == 2, command
        assert "invalid choice: 'duckdb' (choose from 'local', 'spark')" in wrong.stderr, \
            (command, wrong.stderr)
