"""What reaches HTML cannot spoof: control characters (C0, C1) and bidirectional overrides
planted in extract cells reach the EHS dashboard and the auditor report as visible escapes
(`\\u202e` in a styled span), never as the characters themselves; both pages carry the same
strict Content-Security-Policy.

Through the real job on a real data directory: the reconciliation fixture with a site name
(shown on the dashboard) and a facility name (listed in the report's exception table)
rewritten, then `chemsafe run` (ingest, build, publish) and `chemsafe reconcile`.
"""

from __future__ import annotations

import csv
import re
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import FIXTURES, chemsafe

SITE_NAME = "울산\u202eLIVE\u2066공장\u0007\u202a\u202b\u202c\u202d\u2067\u2068\u2069"
FACILITY_NAME = "반응\u202e공정\u001b[31m\u009b\u007f\u0001"
# Everything that must never reach a page raw: C0 but tab/newline/CR, DEL, C1, bidi.
SPOOFING = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"
                      "\u202a-\u202e\u2066-\u2069]")
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


class Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(html: str) -> str:
    parser = Text()
    parser.feed(html)
    return "".join(parser.parts)


def rewrite(path: Path, key: str, key_value: str, column: str, value: str) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows
    fields = list(rows[0])
    for row in rows:
        if row[key] == key_value:
            row[column] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@dataclass(frozen=True)
class Pages:
    dashboard: str
    report: str


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Pages:
    drop = tmp_path_factory.mktemp("spoof") / "extracts"
    shutil.copytree(FIXTURES / "reconciliation", drop)
    rewrite(drop / "sites.csv", "site_id", "S01", "site_name", SITE_NAME)
    rewrite(drop / "facilities.csv", "facility_id", "F02", "facility_name", FACILITY_NAME)
    data_dir = tmp_path_factory.mktemp("spoof-data")
    chemsafe(data_dir, "run", "--extracts", str(drop))
    chemsafe(data_dir, "reconcile", "--quarter", "2026-Q2", check=False)
    report = data_dir / "reports" / "2026-Q2" / "reconciliation_report_2026-Q2.html"
    return Pages((data_dir / "dashboard" / "index.html").read_text(encoding="utf-8"),
                 report.read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", ["dashboard", "report"])
def test_no_control_or_bidi_character_reaches_the_page_raw(pages: Pages, page: str) -> None:
    html = getattr(pages, page)
    found = sorted({f"U+{ord(c):04X}" for c in SPOOFING.findall(html)})
    assert found == []


@pytest.mark.parametrize(("page", "planted"), [("dashboard", SITE_NAME),
                                               ("report", FACILITY_NAME)])
def test_planted_characters_are_shown_as_visible_escapes(pages: Pages, page: str,
                                                         planted: str) -> None:
    html = getattr(pages, page)
    assert '<span class="ctl"' in html
    assert '<span class="ctl" title="U+202E">\\u202e</span>' in html
    text = visible_text(html)
    shown = "".join(f"\\u{ord(c):04x}" if SPOOFING.match(c) else c for c in planted)
    assert shown in text, f"{shown!r} not shown in the {page}"
    assert ".ctl" in html  # styled, so a reader sees it is not part of the value's text


def test_dashboard_has_the_reports_content_security_policy(pages: Pages) -> None:
    meta = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
    assert meta in pages.report
    assert meta in pages.dashboard
