"""The EHS dashboard in a real headless browser: what it shows (DOM, against the serving
file's marts), how it looks (screenshots: chart lines drawn, Korean glyphs rendered and
not tofu), offline, and every data value escaped."""

from __future__ import annotations

import math
import re
import shutil
import stat
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from browser import dump_dom, fonts_without_korean, screenshot
from chemsafe.dashboard import write_dashboard
from chemsafe.paths import DataPaths
from conftest import query
from pngread import first_line_glyphs, read_png

TIER_COLORS = {"HIGH": (0xC0, 0x39, 0x2B), "MEDIUM": (0xE6, 0x7E, 0x22),
               "LOW": (0x2E, 0x86, 0xC1)}
TITLE = "화학안전 KPI 대시보드"


class Elements(HTMLParser):
    """Every start tag with its attributes, the id of the SVG it sits in, and the text."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str], str | None]] = []
        self.text: list[str] = []
        self._svg: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag == "svg":
            self._svg = attributes.get("id")
        self.elements.append((tag, attributes, self._svg))

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._svg = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def points(self, svg_id: str) -> dict[tuple[str, str], float]:
        return {(a["data-series"], a["data-period"]): float(a["data-value"])
                for tag, a, svg in self.elements if tag == "circle" and svg == svg_id}


def parse(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def paths(demo_published: Path) -> DataPaths:
    return DataPaths(demo_published)


@pytest.fixture(scope="module")
def dom(paths: DataPaths) -> Elements:
    return parse(dump_dom(paths.dashboard_html))


def test_dashboard_is_one_offline_page(paths: DataPaths) -> None:
    html = paths.dashboard_html.read_text(encoding="utf-8")
    assert not re.search(r"https?:|<script|\bsrc=|@import|url\(", html, flags=re.IGNORECASE)
    # Korean labels rendered with an installed font named by family.
    assert '"Noto Sans CJK KR"' in html


def test_dashboard_shows_the_publication_and_korean_labels(paths: DataPaths,
                                                           dom: Elements) -> None:
    text = " ".join(dom.text)
    for label in (TITLE, "위험등급별 가중 미결 위험 점수", "선행·후행 지표", "재고 기록 정확도",
                  "고위험 HIGH", "분기 주요 지표"):
        assert label in text
    for site_id, name in query(paths.serving_db, "select site_id, site_name from marts.dim_sites"):
        assert f"{site_id} {name}" in text
    (publication_id,), = query(paths.serving_db, "select publication_id from audit.publication")
    ids = {a.get("id"): a for _, a, _ in dom.elements}
    assert "publication-id" in ids
    assert publication_id in text


def test_open_risk_trend_lines_are_the_tier_mart(paths: DataPaths, dom: Elements) -> None:
    rows = query(paths.serving_db,
                 "select coalesce(site_id, 'company'), risk_tier, period, value "
                 "from marts.kpi_tier_quarterly where measure_code = 'TIER_OPEN_RISK_SCORE'")
    assert len(rows) >= 4 * 3 * 8
    for site, tier, period, value in rows:
        drawn = dom.points(f"open-risk-{site}")[(tier, period)]
        assert math.isclose(drawn, value, rel_tol=1e-12), (site, tier, period)
    lines = [a for tag, a, svg in dom.elements
             if tag == "polyline" and svg and svg.startswith("open-risk-")]
    assert {a["data-series"] for a in lines} == {"HIGH", "MEDIUM", "LOW"}


def test_inventory_hit_rate_is_the_kpi_mart(paths: DataPaths, dom: Elements) -> None:
    rows = query(paths.serving_db,
                 "select coalesce(site_id, 'company'), period, value from marts.kpi_quarterly "
                 "where kpi_code = 'LEAD_INVENTORY_ACCURACY' and value is not null")
    drawn = dom.points("inventory-accuracy")
    assert len(rows) >= 8
    for site, period, value in rows:
        assert math.isclose(drawn[(site, period)], value, rel_tol=1e-12), (site, period)


def test_leading_and_lagging_are_shown_side_by_side(paths: DataPaths, dom: Elements) -> None:
    shares = query(paths.serving_db,
                   "select indicator_type, period, count(*) filter (where is_on_target) "
                   "/ count(is_on_target) from marts.kpi_quarterly_status "
                   "where site_id is null group by all")
    drawn = dom.points("on-target-share")
    assert {kind for kind, _ in drawn} == {"leading", "lagging"}
    for kind, period, share in shares:
        assert math.isclose(drawn[(kind, period)], share, rel_tol=1e-12)
    # The headline table: every KPI of the as-of quarter, per site and company.
    cells = {(a["data-kpi"], a["data-site"]): a["data-value"]
             for tag, a, _ in dom.elements if tag == "td" and "data-kpi" in a}
    expected = query(paths.serving_db,
                     "select s.kpi_code, coalesce(s.site_id, 'company'), s.value "
                     "from marts.kpi_quarterly_status s join marts.dim_quarters q "
                     "using (period) where q.is_as_of_quarter")
    assert len(expected) > 100
    for code, site, value in expected:
        shown = cells[(code, site)]
        assert (shown == "" if value is None else math.isclose(float(shown), value)), (code, site)
    kinds = Counter(a["data-indicator-type"] for tag, a, _ in dom.elements
                    if tag == "tr" and "data-indicator-type" in a)
    assert kinds["leading"] > 0 and kinds["lagging"] > 0


def test_headline_groups_kpis_by_compliance_item(paths: DataPaths, dom: Elements) -> None:
    group_of: dict[str, str] = {}
    group = None
    for tag, a, _ in dom.elements:
        if tag == "tr" and "data-compliance-item" in a:
            group = a["data-compliance-item"]
        elif tag == "td" and "data-kpi" in a:
            group_of[a["data-kpi"]] = group or ""
    expected = dict(query(paths.serving_db,
                          "select kpi_code, item_code from marts.dim_compliance_indicator_map "
                          "where kpi_code is not null"))
    assert group_of == expected


def test_checklist_is_the_mart_of_the_as_of_quarter(paths: DataPaths, dom: Elements) -> None:
    shown = {(a["data-item"], a["data-site"]): (a["data-verdict"], a["title"])
             for tag, a, _ in dom.elements if tag == "td" and "data-verdict" in a}
    expected = query(paths.serving_db,
                     "select c.item_code, c.site_id, c.verdict, c.evidence_summary "
                     "from marts.fct_field_checklist c join marts.dim_quarters q "
                     "using (period) where q.is_as_of_quarter")
    assert len(expected) == 5 * 3  # five items, three demo sites
    assert shown == {(i, s): (v, e) for i, s, v, e in expected}


def test_every_chart_titles_both_axes(dom: Elements) -> None:
    charts = {a["id"] for tag, a, _ in dom.elements if tag == "svg"}
    assert len(charts) >= 3
    titled = {(svg, a.get("data-axis")) for tag, a, svg in dom.elements
              if tag == "text" and "axis-title" in a.get("class", "")}
    for chart in charts:
        assert {(chart, "x"), (chart, "y")} <= titled, chart
    # sized by the page (viewBox and CSS width 100%), never a fixed pixel width
    assert all("width" not in a for tag, a, _ in dom.elements if tag == "svg")


def test_a_kpi_shown_without_value_says_why(paths: DataPaths, dom: Elements) -> None:
    empty = {(a["data-kpi"], a["data-site"]): a for tag, a, _ in dom.elements
             if tag == "td" and a.get("data-value") == "" and "data-kpi" in a}
    assert empty, "the demo's as-of quarter has KPIs without a value"
    zero_denominator = {
        (code, site or "company"): counted for code, site, counted in query(
            paths.serving_db,
            "select s.kpi_code, s.site_id, d.denominator from marts.kpi_quarterly_status s "
            "join marts.dim_kpi_definitions d using (kpi_code) "
            "join marts.dim_quarters q using (period) "
            "where q.is_as_of_quarter and s.denominator = 0")}
    assert zero_denominator
    for key, a in empty.items():
        assert "no-value" in a.get("class", "").split(), key
        assert a.get("title", "").strip(), f"{key}: a dash without a reason"
    for key, counted in zero_denominator.items():
        assert key in empty, key
        assert "nothing to count in the denominator" in empty[key]["title"], key
        assert counted.rstrip(". ") in empty[key]["title"], key


# --- screenshots ----------------------------------------------------------------------------

def test_screenshot_draws_the_tier_lines(paths: DataPaths, tmp_path: Path) -> None:
    png = screenshot(paths.dashboard_html, tmp_path / "dashboard.png", 1400, 2000)
    image = read_png(png)
    assert (image.width, image.height) == (1400, 2000)
    counts = Counter()
    for y in range(0, image.height, 2):
        for x in range(image.width):
            pixel = image.rgb(x, y)
            for tier, colour in TIER_COLORS.items():
                if all(abs(a - b) <= 12 for a, b in zip(pixel, colour, strict=True)):
                    counts[tier] += 1
    # Every tier's trend line is on screen (legend swatches alone are a few dozen pixels).
    assert all(counts[tier] > 300 for tier in TIER_COLORS), counts


def test_korean_title_renders_in_real_glyphs_not_tofu(paths: DataPaths, tmp_path: Path) -> None:
    page = paths.dashboard_html
    real = first_line_glyphs(read_png(screenshot(page, tmp_path / "real.png", 1400, 200)))
    tofu = first_line_glyphs(read_png(screenshot(page, tmp_path / "tofu.png", 1400, 200,
                                                 env=fonts_without_korean(tmp_path / "fc"))))
    # Without a Korean font the 8 Hangul syllables of the title are 8 identical boxes...
    assert max(Counter(tofu).values()) >= 8
    # ...with the font installed and named in the CSS, each glyph is its own shape.
    assert len(real) >= 11  # 8 syllables (some in two parts) + K, P, I
    assert max(Counter(real).values()) <= 2


# --- escaping -------------------------------------------------------------------------------

HOSTILE_SITE = '<script>alert("site")</script> & <b>bold</b>'
HOSTILE_KPI = '"><img src=x onerror=alert(1)>'


def test_every_data_value_is_escaped(paths: DataPaths, tmp_path: Path) -> None:
    served = tmp_path / "serving.duckdb"
    shutil.copyfile(paths.serving_db, served)
    served.chmod(stat.S_IRUSR | stat.S_IWUSR)
    with duckdb.connect(str(served)) as con:
        con.execute("update marts.dim_sites set site_name = ? where site_id = 'S01'",
                    [HOSTILE_SITE])
        con.execute("update marts.kpi_quarterly_status set name_ko = ?, unit = 'x\"<u>' "
                    "where kpi_code = 'LEAD_MOC_HIGH'", [HOSTILE_KPI])
        con.execute("update audit.publication set publication_id = '<i>pub</i>'")
    page = write_dashboard(served, tmp_path / "index.html")
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(&quot;site&quot;)&lt;/script&gt; &amp; &lt;b&gt;" in html
    rendered = parse(dump_dom(page))
    tags = {tag for tag, _, _ in rendered.elements}
    assert not tags & {"script", "img", "b", "i", "u"}
    text = " ".join(rendered.text)
    assert f"S01 {HOSTILE_SITE}" in text  # shown as text, exactly as stored
    assert HOSTILE_KPI in text
    assert "<i>pub</i>" in text
