"""Mutation check of the boundary register (tests/boundaries.toml; `make mutants`).

For every register entry that names the code implementing a boundary, each of its mutants
(the comparison flipped: ``>=`` <-> ``>``, ``<=`` <-> ``<``, or a constant shifted by one
unit, listed in the entry) is applied to a scratch copy of the dbt project, only the tests
the entry names are run, and the file is restored. A mutant that no test notices is a
*survivor*; the run exits 1 when there is any (0 survivors is the bar).

Tests are dbt unit tests (``dbt:<unit test name>``): given rows -> expected rows, run
against a warehouse built once from the hand-built fixture tests/fixtures/kpi_small, so
that their parents exist (dbt reads the input column types from them). They run in this
process (dbt's Python entry point, dbtRunner): one dbt start for the whole run instead of
one per mutant, about 2 s a mutant instead of 6. Entries may also name pytest tests
(``pytest:<node id>``), run in a child Python on the scratch copy (its ``src`` first on the
path): only cheap ones that need no fixture warehouse, since every run of a pytest test
that builds one takes minutes. Entries with no ``code`` are registered by reference (the
contract's value boundaries, decided by the fixture rows of tests/fixtures/bad_rows and
their pytest expectations) and not mutated.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from chemsafe.dbt_runner import dbt_env, dbt_on_project
from chemsafe.paths import DATA_DIR_ENV, DataPaths, project_root

REGISTER = Path("tests") / "boundaries.toml"
FIXTURE = Path("tests") / "fixtures" / "kpi_small"
COPY_IGNORE = shutil.ignore_patterns(".venv", "data", "target", "logs", ".git", "__pycache__",
                                     ".pytest_cache", ".ruff_cache", "demo", "fixtures",
                                     "bench")
# The comparison flips applied when an entry lists no mutants of its own.
FLIPS = {">=": ">", "<=": "<", ">": ">=", "<": "<="}
OPERATOR = re.compile(r">=|<=|(?<![-=<>])>(?!=)|<(?![=>])")


class RegisterError(ValueError):
    """The register does not match the code it points at."""


@dataclass(frozen=True)
class Mutant:
    entry_id: str
    file: str
    line: int
    original: str
    mutated: str


@dataclass
class Entry:
    id: str
    boundary: str
    tests: list[str]
    file: str | None = None
    line: int | None = None
    code: str | None = None
    mutants: list[str] = field(default_factory=list)

    @property
    def mutated(self) -> bool:
        return self.code is not None


def load_register(path: Path) -> list[Entry]:
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    entries = []
    for item in raw.get("boundary", []):
        entries.append(Entry(
            id=item["id"], boundary=item["boundary"], tests=list(item.get("tests", [])),
            file=item.get("file"), line=item.get("line"), code=item.get("code"),
            mutants=list(item.get("mutants", [])),
        ))
    ids = [entry.id for entry in entries]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise RegisterError(f"duplicate register ids: {', '.join(duplicates)}")
    return entries


def flip(code: str) -> str:
    """`code` with its (single) comparison operator flipped."""
    found = OPERATOR.findall(code)
    if len(found) != 1:
        raise RegisterError(f"{code!r}: expected one comparison to flip, found {found}")
    return OPERATOR.sub(lambda match: FLIPS[match.group(0)], code, count=1)


def mutants_of(entry: Entry, root: Path) -> list[Mutant]:
    """The entry's mutants, after checking that `code` occurs exactly once in `file`, on
    `line` (so the register's line numbers stay true)."""
    if entry.code is None:
        return []
    if entry.file is None or entry.line is None:
        raise RegisterError(f"{entry.id}: code without file and line")
    if not entry.tests:
        raise RegisterError(f"{entry.id}: no tests named")
    text = (root / entry.file).read_text(encoding="utf-8")
    count = text.count(entry.code)
    if count != 1:
        raise RegisterError(f"{entry.id}: {entry.code!r} occurs {count} times in {entry.file}")
    line = text[: text.index(entry.code)].count("\n") + 1
    if line != entry.line:
        raise RegisterError(f"{entry.id}: {entry.code!r} is on line {line} of {entry.file}, "
                            f"the register says {entry.line}")
    replacements = entry.mutants or [flip(entry.code)]
    return [Mutant(entry.id, entry.file, line, entry.code, replacement)
            for replacement in replacements]


dbt = dbt_on_project


def unit_test_selection(tests: list[str]) -> list[str]:
    """The dbt unit test names among `tests`."""
    return [name for kind, name in split_tests(tests) if kind == "dbt"]


def pytest_selection(tests: list[str]) -> list[str]:
    """The pytest node ids among `tests`."""
    return [name for kind, name in split_tests(tests) if kind == "pytest"]


def split_tests(tests: list[str]) -> list[tuple[str, str]]:
    out = []
    for test in tests:
        kind, _, name = test.partition(":")
        if kind not in ("dbt", "pytest") or not name:
            raise RegisterError(f"{test!r}: a test is dbt:<unit test> or pytest:<node id>")
        out.append((kind, name))
    return out


def prepare(root: Path, scratch: Path) -> tuple[Path, Path]:
    """A scratch copy of the project and a data directory with the kpi_small fixture
    ingested and the models built (the unit tests' parents); checks the baseline passes."""
    project = scratch / "project"
    data_dir = scratch / "data"
    shutil.copytree(root, project, ignore=COPY_IGNORE)
    env = dict(os.environ)
    env[DATA_DIR_ENV] = str(data_dir)
    env.pop("CHEMSAFE_PSEUDONYM_KEY", None)
    chemsafe = Path(sys.executable).parent / "chemsafe"
    ingest = subprocess.run([str(chemsafe), "ingest", str(root / FIXTURE)], cwd=root, env=env,
                            capture_output=True, text=True, check=False)
    if ingest.returncode != 0:
        raise RuntimeError(f"ingest of {FIXTURE} failed:\n{ingest.stdout}\n{ingest.stderr}")
    built = dbt(project, data_dir, "build", "--exclude", "resource_type:test",
                "resource_type:unit_test")
    if built.returncode != 0:
        raise RuntimeError(f"building the fixture warehouse failed:\n{built.stdout[-4000:]}")
    return project, data_dir


class TestRunner:
    """Runs an entry's tests on the scratch copy: dbt unit tests in this process (dbtRunner,
    with the scratch data directory's environment while it is open), pytest tests in a
    child Python whose imports resolve to the scratch copy's src."""

    def __init__(self, project: Path, data_dir: Path) -> None:
        self.project = project
        self.data_dir = data_dir
        self._saved_env: dict[str, str] | None = None
        self._dbt = None

    def __enter__(self) -> TestRunner:
        env = dbt_env(DataPaths(self.data_dir))
        env.pop("CHEMSAFE_PSEUDONYM_KEY", None)
        self._saved_env = dict(os.environ)
        os.environ.clear()
        os.environ.update(env)
        from dbt.cli.main import dbtRunner  # slow import: only when mutating

        self._dbt = dbtRunner()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._saved_env is not None:
            os.environ.clear()
            os.environ.update(self._saved_env)

    def unit_tests_pass(self, names: list[str]) -> bool:
        result = self._dbt.invoke(["test", "--select", *names, "--project-dir",
                                   str(self.project), "--profiles-dir", str(self.project),
                                   "--log-level", "none"])
        return bool(result.success)

    def pytests_pass(self, node_ids: list[str]) -> bool:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(self.project / "src"),
                                                          env.get("PYTHONPATH")]))
        result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p",
                                 "no:cacheprovider", *node_ids], cwd=self.project, env=env,
                                capture_output=True, text=True, check=False)
        if result.returncode not in (0, 1):  # 1: a test failed; else collection/usage error
            raise RuntimeError(f"pytest {' '.join(node_ids)} could not run "
                               f"(exit {result.returncode}):\n{result.stdout[-3000:]}")
        return result.returncode == 0

    def pass_(self, tests: list[str]) -> bool:
        """Whether all the named tests pass."""
        names, node_ids = unit_test_selection(tests), pytest_selection(tests)
        if names and not self.unit_tests_pass(names):
            return False
        return not node_ids or self.pytests_pass(node_ids)


def selected_entries(register: Path, only: list[str] | None) -> list[Entry]:
    entries = load_register(register)
    if only:
        unknown = sorted(set(only) - {entry.id for entry in entries})
        if unknown:
            raise RegisterError(f"not in the register: {', '.join(unknown)}")
        entries = [entry for entry in entries if entry.id in only]
    return entries


def shards(planned: list[tuple[Entry, list[Mutant]]], jobs: int) -> list[list[str]]:
    """The entry ids in at most `jobs` groups of about as many mutants each (the entries
    with most mutants placed first, each in the group with fewest so far)."""
    groups: list[list[str]] = [[] for _ in range(jobs)]
    sizes = [0] * jobs
    for entry, mutants in sorted(planned, key=lambda p: (-len(p[1]), p[0].id)):
        smallest = sizes.index(min(sizes))
        groups[smallest].append(entry.id)
        sizes[smallest] += len(mutants)
    return [group for group in groups if group]


def check_in_parallel(root: Path, register: Path, only: list[str] | None, jobs: int) -> int:
    """check() in `jobs` child processes, each on its own scratch copy and fixture
    warehouse with a share of the entries: the mutants of a 2-core machine in about half
    the time. Each child prints its verdicts as it goes; the exit code is the worst."""
    started = time.monotonic()
    planned = [(entry, mutants_of(entry, root)) for entry in selected_entries(register, only)]
    mutated = [(entry, mutants) for entry, mutants in planned if mutants]
    groups = shards(mutated, jobs)
    print(f"boundary register {register}: {len(mutated)} entries with code to mutate, "
          f"{sum(len(m) for _, m in mutated)} mutants, in {len(groups)} parallel shards",
          flush=True)
    with tempfile.TemporaryDirectory(prefix="chemsafe-mutant-shards-") as folder:
        summaries = [Path(folder) / f"shard-{i}.json" for i in range(len(groups))]
        children = [subprocess.Popen([sys.executable, "-m", "chemsafe.mutants", "--jobs", "1",
                                      "--register", str(register), "--summary", str(summary),
                                      "--only", *group])
                    for group, summary in zip(groups, summaries, strict=True)]
        try:
            codes = [child.wait() for child in children]
        finally:
            for child in children:
                if child.poll() is None:
                    child.terminate()
                    child.wait()
        results = [json.loads(s.read_text()) for s in summaries if s.exists()]
    total = sum(r["mutants"] for r in results)
    survived = sum(r["survived"] for r in results)
    print(f"all shards: {total} mutants, {total - survived} killed, {survived} survived "
          f"({time.monotonic() - started:.0f} s)")
    return 2 if 2 in codes else max(codes, default=0)


def check(root: Path, register: Path, only: list[str] | None = None,
          keep: Path | None = None, summary: Path | None = None) -> int:
    started = time.monotonic()
    entries = selected_entries(register, only)
    planned = [(entry, mutants_of(entry, root)) for entry in entries]
    for entry, _ in planned:
        if entry.mutated:
            split_tests(entry.tests)
    mutated = [(entry, mutants) for entry, mutants in planned if mutants]
    total = sum(len(mutants) for _, mutants in mutated)
    print(f"boundary register {register}: {len(entries)} entries, {len(mutated)} with code "
          f"to mutate, {total} mutants; the others are pinned by reference")
    scratch = keep or Path(tempfile.mkdtemp(prefix="chemsafe-mutants-"))
    survivors: list[Mutant] = []
    try:
        project, data_dir = prepare(root, scratch)
        all_tests = sorted({test for entry, _ in mutated for test in entry.tests})
        with TestRunner(project, data_dir) as runner:
            if not runner.pass_(all_tests):
                print("baseline: the register's tests fail on the unmutated project; "
                      "fix them first", file=sys.stderr)
                return 2
            print(f"baseline: {len(all_tests)} tests pass "
                  f"({time.monotonic() - started:.0f} s)")
            for entry, mutants in mutated:
                for mutant in mutants:
                    path = project / mutant.file
                    original = path.read_text(encoding="utf-8")
                    path.write_text(original.replace(mutant.original, mutant.mutated, 1),
                                    encoding="utf-8")
                    try:
                        passed = runner.pass_(entry.tests)
                    finally:
                        path.write_text(original, encoding="utf-8")
                    verdict = "SURVIVED" if passed else "killed"
                    print(f"{verdict:8}  {entry.id}: {mutant.file}:{mutant.line} "
                          f"{mutant.original.strip()!r} -> {mutant.mutated.strip()!r}",
                          flush=True)
                    if passed:
                        survivors.append(mutant)
    finally:
        if keep is None:
            shutil.rmtree(scratch, ignore_errors=True)
    elapsed = time.monotonic() - started
    print(f"{total} mutants, {total - len(survivors)} killed, {len(survivors)} survived "
          f"({elapsed:.0f} s)")
    if summary is not None:
        summary.write_text(json.dumps({"mutants": total, "survived": len(survivors)}))
    return 1 if survivors else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="mutants", description="Flip every registered boundary in a scratch copy of "
        "the project and check that a test notices (exit 1 if any mutant survives).")
    parser.add_argument("--register", type=Path, default=None,
                        help=f"the boundary register (default {REGISTER})")
    parser.add_argument("--only", nargs="*", default=None, metavar="ID",
                        help="only these register entries")
    parser.add_argument("--list", action="store_true",
                        help="check the register against the code and list the mutants")
    parser.add_argument("--keep", type=Path, default=None,
                        help="build the scratch copy here and keep it (for debugging; "
                             "implies --jobs 1)")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="parallel shards, each with its own scratch copy (default: "
                             "one per CPU, at most 2)")
    parser.add_argument("--summary", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    # Stopped with SIGTERM: unwind, so the scratch copy is removed (the finally in check).
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    root = project_root()
    register = args.register or root / REGISTER
    try:
        if args.list:
            for entry in load_register(register):
                for mutant in mutants_of(entry, root):
                    print(f"{entry.id}: {mutant.file}:{mutant.line} "
                          f"{mutant.original.strip()!r} -> {mutant.mutated.strip()!r}")
                if not entry.mutated:
                    print(f"{entry.id}: by reference ({', '.join(entry.tests)})")
            return 0
        if args.jobs > 1 and args.keep is None:
            return check_in_parallel(root, register, args.only, args.jobs)
        return check(root, register, args.only, args.keep, args.summary)
    except RegisterError as exc:
        print(f"mutants: register error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # the shards of check_in_parallel
    sys.exit(main())
