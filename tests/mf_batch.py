"""Run several `mf` commands in one process (test helper).

Each `mf` command starts dbt (`dbt debug`, the adapter, the semantic manifest) before its
query, several seconds on a busy machine; the tests need eight queries. This runs MetricFlow's
own click commands, one after the other, on one CLI configuration, so dbt starts once:

    python tests/mf_batch.py '[["query", "--metrics", "m", "--csv", "out.csv"], ...]'

from the project folder, with the environment `mf` would get. Exit code: the first
non-zero exit of a command, else 0.
"""

from __future__ import annotations

import json
import sys

from dbt_metricflow.cli.cli_configuration import CLIConfiguration
from dbt_metricflow.cli.main import cli


def main(argv: list[str]) -> int:
    commands: list[list[str]] = json.loads(argv[0])
    config = CLIConfiguration()
    for command in commands:
        try:
            cli.main(command, obj=config, standalone_mode=False)
        except SystemExit as stop:
            if stop.code:
                print(f"mf {' '.join(command)}: exit {stop.code}", file=sys.stderr)
                return int(stop.code)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
