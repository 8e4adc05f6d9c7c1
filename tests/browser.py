"""Headless Chromium for checking the HTML pages chemsafe writes (dashboard, reports).

Debian's ``chromium`` package (``make browser`` installs it with the Korean fonts). Each
call starts a fresh browser with a throw-away profile and every background network
feature off, loads a local file and either takes a screenshot or prints the DOM after
the page's scripts ran.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

CHROMIUM_ENV = "CHEMSAFE_CHROMIUM"
CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
TIMEOUT_SECONDS = 180
BASE_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--hide-scrollbars",
    "--mute-audio",
)


class BrowserError(RuntimeError):
    pass


def find_chromium() -> str:
    """Path of the Chromium binary: $CHEMSAFE_CHROMIUM, else the first one found."""
    configured = os.environ.get(CHROMIUM_ENV)
    for candidate in ((configured,) if configured else CANDIDATES):
        found = shutil.which(candidate)
        if found:
            return found
    raise BrowserError("Chromium not found: run `make browser` (installs Debian's chromium "
                       f"and fonts-noto-cjk) or set {CHROMIUM_ENV}")


def _run(args: Sequence[str], env: Mapping[str, str] | None) -> subprocess.CompletedProcess[str]:
    run_env = dict(os.environ)
    if env:
        run_env.update(env)
    with tempfile.TemporaryDirectory(prefix="chemsafe-chromium-") as profile:
        command = [find_chromium(), *BASE_FLAGS, f"--user-data-dir={profile}", *args]
        result = subprocess.run(command, capture_output=True, text=True, env=run_env,
                                timeout=TIMEOUT_SECONDS, check=False)
    if result.returncode != 0:
        raise BrowserError(f"chromium exited {result.returncode}: {result.stderr[-2000:]}")
    return result


def screenshot(html_path: Path, png_path: Path, width: int = 1400, height: int = 2000,
               env: Mapping[str, str] | None = None) -> Path:
    """Render a local page at width x height CSS pixels into a PNG file."""
    png_path.parent.mkdir(parents=True, exist_ok=True)
    png_path.unlink(missing_ok=True)
    _run([f"--screenshot={png_path}", f"--window-size={width},{height}",
          "--force-device-scale-factor=1", html_path.resolve().as_uri()], env)
    if not png_path.is_file():
        raise BrowserError(f"chromium wrote no screenshot at {png_path}")
    return png_path


def dump_dom(html_path: Path, virtual_time_budget_ms: int = 0,
             env: Mapping[str, str] | None = None) -> str:
    """The page's DOM as HTML after loading (and after the given virtual time, for pages
    whose scripts build the content)."""
    budget = ([f"--virtual-time-budget={virtual_time_budget_ms}"]
              if virtual_time_budget_ms else [])
    result = _run(["--dump-dom", *budget, html_path.resolve().as_uri()], env)
    return result.stdout


def fonts_without_korean(folder: Path) -> dict[str, str]:
    """Environment for `screenshot` with a fontconfig that knows only DejaVu (no Korean
    glyph), so Hangul is drawn as tofu: the control that shows a font check can fail."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>'
        f"<dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{folder / 'cache'}</cachedir>"
        "</fontconfig>\n", encoding="utf-8")
    return {"FONTCONFIG_FILE": str(config)}
