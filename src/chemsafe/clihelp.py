"""Sub-command help: every `chemsafe <command> --help` says what the command does and
shows examples, in one shape."""

from __future__ import annotations

import argparse
from collections.abc import Sequence


def add_command(subparsers: argparse._SubParsersAction,  # type: ignore[type-arg]
                name: str, *, summary: str, description: str,
                examples: Sequence[tuple[str, str]]) -> argparse.ArgumentParser:
    """A sub-command whose --help has a description and an `examples:` block of
    (command line, what it does) pairs; `summary` is its line in `chemsafe --help`."""
    lines = ["examples:"]
    for command, what in examples:
        lines.append(f"  {command}")
        lines.append(f"      {what}")
    return subparsers.add_parser(
        name, help=summary, description=description, epilog="\n".join(lines),
        formatter_class=argparse.RawDescriptionHelpFormatter)
