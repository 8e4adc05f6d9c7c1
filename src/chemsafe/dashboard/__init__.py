"""The static EHS dashboard written at publish time (see render.py)."""

from __future__ import annotations

from pathlib import Path

from chemsafe.dashboard.data import read_dashboard_data
from chemsafe.dashboard.render import render_dashboard


def write_dashboard(serving_file: Path, target: Path) -> Path:
    """Render the dashboard from a serving file into target (a new file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_dashboard(read_dashboard_data(serving_file)), encoding="utf-8")
    return target


__all__ = ["write_dashboard"]
