"""What the last passed build was, so `chemsafe publish --reuse-build` can publish it
without building the same load with the same project a second time.

The everyday sequence after a quarter's drop is `chemsafe run` (ingest, build, publish),
`chemsafe reconcile --quarter Q`, then `chemsafe publish` so the quarter's results reach
the serving file. That publish rebuilds every model and reruns every test, though neither
the load nor the project changed: reconcile writes only its own audit tables. With
`--reuse-build` the publish skips that build when, and only when, all of this holds:

- chemsafe's last dbt build passed every node and test, with no selection or extra dbt
  argument, and recorded a stamp (this module) naming its dbt invocation;
- no dbt command that can write the warehouse ran since: chemsafe removes the stamp before
  every dbt command but `docs generate` / `ls` / `compile` / `parse` / `debug`, and a plain
  `dbt` command from the project folder (its own target folder) newer than the stamp
  counts as one;
- the build ran on the engine (dbt target) the publish asks for (`--target`);
- the warehouse still holds the load the build read, `current` still names that load, and
  the project's files (models, macros, seeds, dbt tests, dbt_project.yml, profiles.yml,
  the chemsafe package dbt loads as a plugin) hash to what they did at build time.

Anything else (and `--rekey`) builds as plain `publish` does. publication.json says
which build was published and whether it was reused.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import chemsafe
from chemsafe.atomic import write_text_atomic
from chemsafe.paths import DataPaths

STAMP_NAME = "chemsafe_passed_build.json"
# dbt commands that never write the warehouse's relations: they leave the stamp alone;
# any other command voids it, whether chemsafe runs it or it ran from the project folder.
# Each is named as typed (`dbt docs generate`, `dbt ls`, `dbt source freshness`) and as
# run_results.json records it (args.which: generate, list, freshness).
READ_ONLY_COMMANDS = frozenset({"docs", "generate", "serve", "ls", "list", "compile",
                                "parse", "debug", "show", "source", "freshness", "clean",
                                "deps"})
# What dbt reads from the project folder to build (relative to it), besides the package.
PROJECT_INPUTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds",
                  "tests/dbt", "analyses", "snapshots")


@dataclass(frozen=True)
class PassedBuild:
    invocation_id: str
    load_id: str | None
    load_folder: str | None
    project_digest: str
    built_at: str
    # The profile output the build ran on (chemsafe.targets); None in older stamps.
    target: str | None = None


def stamp_path(paths: DataPaths) -> Path:
    return paths.dbt_target / STAMP_NAME


def clear_stamp(paths: DataPaths, dbt_args: tuple[str, ...] | list[str]) -> None:
    """Forget the passed build before a dbt command that may write the warehouse."""
    if dbt_args and dbt_args[0] in READ_ONLY_COMMANDS:
        return
    stamp_path(paths).unlink(missing_ok=True)


def _project_files(root: Path) -> list[Path]:
    found: list[Path] = []
    for name in PROJECT_INPUTS:
        path = root / name
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(p for p in path.rglob("*")
                         if p.is_file() and "__pycache__" not in p.parts)
    return sorted(found)


def project_digest(root: Path) -> str:
    """sha256 over the name and content of every file dbt's build reads from the
    project, and of the chemsafe package (the dbt plugin, the contract reader)."""
    digest = hashlib.sha256()
    package = Path(chemsafe.__file__).resolve().parent
    named = [(str(p.relative_to(root)), p) for p in _project_files(root)]
    named += [(f"<chemsafe>/{p.relative_to(package)}", p)
              for p in sorted(package.rglob("*.py"))]
    for name, path in named:
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def record_passed_build(paths: DataPaths, project: Path, invocation_id: str,
                        load_id: str | None, load_folder: Path | None,
                        target: str | None = None) -> None:
    """Write the stamp right after a full build passed (see module doc)."""
    write_text_atomic(stamp_path(paths), json.dumps({
        "invocation_id": invocation_id,
        "target": target,
        "load_id": load_id,
        "load_folder": load_folder.name if load_folder else None,
        "project_digest": project_digest(project),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }, indent=2) + "\n")


def read_stamp(paths: DataPaths) -> PassedBuild | None:
    try:
        data = json.loads(stamp_path(paths).read_text(encoding="utf-8"))
        return PassedBuild(str(data["invocation_id"]), data.get("load_id"),
                           data.get("load_folder"), str(data["project_digest"]),
                           str(data["built_at"]), data.get("target"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _plain_dbt_since(project: Path, since: str) -> str | None:
    """A dbt command that writes the warehouse, run from the project folder (its own
    target/ folder, not chemsafe's) after the stamp was written."""
    results = project / "target" / "run_results.json"
    try:
        data = json.loads(results.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    which = str(data.get("args", {}).get("which", ""))
    generated = str(data.get("metadata", {}).get("generated_at", ""))
    stamped = datetime.fromisoformat(since)
    try:
        at = datetime.fromisoformat(generated.replace("Z", "+00:00"))
    except ValueError:
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    if which not in READ_ONLY_COMMANDS and at >= stamped:
        return f"`dbt {which}` ran from {project} at {generated}, after that build"
    return None


def why_not_reusable(paths: DataPaths, project: Path, invocation_id: str | None,
                     load_id: str | None, load_folder: Path | None,
                     target: str | None = None) -> str | None:
    """None when the last passed build can be published as it is; else the reason.

    invocation_id: the last dbt build recorded in chemsafe's target folder (the caller
    has checked it is a full build where nothing failed); load_id: the load the working
    warehouse holds; load_folder: the load `current` names; target: the engine (profile
    output) the caller asks for, None for any."""
    stamp = read_stamp(paths)
    if stamp is None:
        return "no passed build is recorded since the last dbt command that could write " \
               "the warehouse"
    if stamp.invocation_id != invocation_id:
        return "another dbt build ran after the recorded one"
    if target is not None and stamp.target != target:
        return f"that build ran on `{stamp.target}`, not on `{target}`"
    if stamp.load_id != load_id:
        return f"the warehouse holds load {load_id}, the build read load {stamp.load_id}"
    if stamp.load_folder != (load_folder.name if load_folder else None):
        return "`current` names another load than the one built"
    if stamp.project_digest != project_digest(project):
        return "the project's models, macros, seeds, tests or chemsafe itself changed " \
               "since that build"
    return _plain_dbt_since(project, stamp.built_at)
