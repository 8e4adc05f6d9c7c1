"""dbt docs as one static page analysts open from disk, without a server or a network.

``dbt docs generate --static`` embeds the manifest and the catalog in a single HTML file
(its scripts and styles are inline). The project sets send_anonymous_usage_stats false,
which is what keeps the page's tracker from loading anything; the publisher refuses a
page generated with it on.
"""

from __future__ import annotations

from pathlib import Path

from chemsafe.dbt_runner import run_dbt
from chemsafe.paths import DataPaths
from chemsafe.targets import WORKING_TARGET

STATIC_PAGE = "static_index.html"
TRACKING_OFF = '"send_anonymous_usage_stats": false'
TRACKING_OFF_COMPACT = '"send_anonymous_usage_stats":false'


class DocsError(RuntimeError):
    pass


def generate_docs(paths: DataPaths) -> Path:
    """Run dbt docs generate on the working warehouse; return the static page."""
    page = paths.dbt_target / STATIC_PAGE
    page.unlink(missing_ok=True)
    # --no-compile: the build just compiled every node and wrote the manifest.
    # On the working DuckDB file whatever engine built the marts: the page documents the
    # tables as the serving file has them (a Spark build is pulled into that file).
    code = run_dbt(paths, ["docs", "generate", "--static", "--no-compile"],
                   target=WORKING_TARGET)
    if code != 0 or not page.is_file():
        raise DocsError(f"dbt docs generate failed (exit code {code})")
    text = page.read_text(encoding="utf-8")
    if TRACKING_OFF not in text and TRACKING_OFF_COMPACT not in text:
        raise DocsError("the docs page was generated with anonymous usage stats on: it "
                        "would load a tracker from the network")
    return page
