"""The EHS managers' dashboard: one static HTML page, offline, Korean first.

No script and no link to anything outside the file: styles are inline, charts are inline
SVG (chemsafe.dashboard.svg), fonts are the reader's installed Korean fonts named by
family (Noto Sans CJK KR on the Debian server, Malgun Gothic on Windows, Apple SD Gothic
Neo on macOS). Every value from the data goes through chemsafe.htmltext (control and
bidirectional characters shown as their code); the page carries the same strict
Content-Security-Policy as the auditor report.
"""

from __future__ import annotations

import math

from chemsafe.dashboard.data import (
    COMPANY,
    INDICATOR_TYPES,
    TIERS,
    ChecklistCell,
    DashboardData,
    KpiCell,
    KpiRow,
    Restatement,
)
from chemsafe.dashboard.svg import Series, legend, line_chart
from chemsafe.htmltext import CONTROL_CSS, CSP_META, escape_attr, escape_html

FONT_STACK = ('"Noto Sans CJK KR", "NanumGothic", "Malgun Gothic", "Apple SD Gothic Neo", '
              "sans-serif")
TIER_COLORS = {"HIGH": "#c0392b", "MEDIUM": "#e67e22", "LOW": "#2e86c1"}
TIER_LABELS = {"HIGH": "고위험 HIGH", "MEDIUM": "중위험 MEDIUM", "LOW": "저위험 LOW"}
TYPE_LABELS = {"leading": "선행 지표 Leading", "lagging": "후행 지표 Lagging"}
TYPE_COLORS = {"leading": "#1e8449", "lagging": "#7d3c98"}
SITE_COLORS = ("#2e86c1", "#e67e22", "#16a085", "#8e44ad", "#c0392b", "#7f8c8d")
TREND_LABELS = {"improved": "↗ 개선", "worsened": "↘ 악화", "unchanged": "→ 유지"}
SHORT_TYPE_LABELS = {"leading": "선행 leading", "lagging": "후행 lagging"}
STATUS_LABELS = {"met": "충족 met", "not_met": "미충족 not met",
                 "not_evidenced": "확인 불가 not evidenced", "for_review": "수기 검토 for review"}
MISSING = "–"

CSS = """
body { font-family: $FONTS; margin: 24px 32px; color: #1c2833; background: #fbfcfc; }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 32px 0 6px; border-bottom: 2px solid #d5d8dc;
     padding-bottom: 4px; }
.en { color: #566573; font-weight: normal; font-size: 0.8em; }
.meta, .note { color: #566573; font-size: 13px; margin: 4px 0; }
/* charts share the page width: two per row on a wide screen, one on a narrow one (a
   chart alone keeps the width of one column) */
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr));
          gap: 12px 24px; }
figure { margin: 0; }
svg.chart { width: 100%; height: auto; display: block; }
svg .axis-title { font-size: 12px; fill: #34495e; font-family: $FONTS; }
figcaption { font-weight: bold; font-size: 15px; margin: 6px 0 2px; }
svg.chart { background: #fff; border: 1px solid #e5e8e8; }
svg .grid { stroke: #e5e8e8; stroke-width: 1; }
svg .tick { font-size: 11px; fill: #566573; font-family: $FONTS; }
.legend { list-style: none; padding: 0; margin: 6px 0; display: flex; gap: 18px;
          font-size: 14px; }
.swatch { display: inline-block; width: 22px; height: 0; border-top: 3px solid; margin-right: 6px;
          vertical-align: middle; }
.swatch.dashed { border-top-style: dashed; }
table { border-collapse: collapse; font-size: 13px; margin-top: 10px; background: #fff; }
th, td { border: 1px solid #e5e8e8; padding: 4px 8px; text-align: right; }
th { background: #f2f4f4; }
td.kpi, th.kpi { text-align: left; }
td.kpi small { color: #566573; display: block; }
tr.group th { text-align: left; background: #eaf2f8; font-size: 14px; }
td.on { background: #e9f7ef; }
td.off { background: #fdedec; }
td.status, td.trend { text-align: center; white-space: nowrap; }
td.verdict { text-align: left; }
td.verdict small { color: #566573; display: block; }
td.v-recommended_met { background: #d4efdf; }
td.v-minimum_met { background: #e9f7ef; }
td.v-neither { background: #fdedec; }
td.v-not_evidenced { background: #f2f3f4; }
.restated-mark { color: #b9770e; font-weight: bold; margin-left: 3px; }
footer { margin-top: 36px; color: #566573; font-size: 12px; }
$CONTROL
""".replace("$FONTS", FONT_STACK).replace("$CONTROL", CONTROL_CSS)


def fmt_value(value: float | None, unit: str) -> str:
    if value is None:
        return MISSING
    if unit == "ratio":
        return f"{value * 100:.1f}%"
    if unit in ("count", "KRW"):
        text = f"{value:,.0f}"
        return f"{text}원" if unit == "KRW" else text
    if unit == "days":
        return f"{value:,.1f}일"
    if unit == "kg":
        return f"{value:,.1f} kg"
    if unit == "score":
        return f"{value:,.1f}"
    return f"{value:,.2f}"


def _open_risk_section(data: DashboardData) -> str:
    tiers = [Series(t, TIER_LABELS[t], TIER_COLORS[t], []) for t in TIERS]
    figures = []
    for site in data.sites:
        series = [Series(t, TIER_LABELS[t], TIER_COLORS[t], data.open_risk[(site.key, t)],
                         width=3.0 if t == "HIGH" else 2.0) for t in TIERS]
        chart_id = f"open-risk-{site.key or 'company'}"
        figures.append(
            f'<figure data-site="{escape_attr(site.key or "company")}">'
            f"<figcaption>{escape_html(site.label)}</figcaption>"
            + line_chart(chart_id, f"가중 미결 위험 점수 {site.label}", data.periods, series,
                         lambda v: f"{v:,.0f}", y_title="가중 점수 Weighted score")
            + "</figure>")
    return (
        '<section id="open-risk"><h2>위험등급별 가중 미결 위험 점수 '
        '<span class="en">Weighted open risk by facility tier</span></h2>'
        '<p class="note">분기말 미조치 지적사항의 위험가중 점수 합계 (시설 위험등급별). '
        "Sum of the risk-weighted score of the findings open at each quarter end, by the "
        "facility's tier (marts.kpi_tier_quarterly, TIER_OPEN_RISK_SCORE). 고위험 시설은 "
        "가중 점수와 재발로 관리합니다.</p>"
        + legend(tiers) + '<div class="charts">' + "".join(figures) + "</div></section>"
    )


RESTATED_MARK = "※"


def _restated_mark(previous: float | None, unit: str) -> str:
    title = f"정정 restated: previously published {fmt_value(previous, unit)}"
    return (f'<span class="restated-mark" title="{escape_attr(title)}">'
            f"{RESTATED_MARK}</span>")


def _cell(cell: KpiCell | None, unit: str, code: str, site_key: str) -> str:
    value = cell.value if cell else None
    classes = [] if cell is None or cell.is_on_target is None else (
        ["on"] if cell.is_on_target else ["off"])
    restated = cell is not None and cell.is_restated
    why = None
    if value is None:  # the "–" says why (hover, or the title a screen reader reads)
        why = cell.why_missing if cell is not None else (
            "이 사업장의 행 없음. No row for this site in the quarter.")
        classes.append("no-value")
    css = f' class="{" ".join(classes)}"' if classes else ""
    return (f'<td{css} data-kpi="{escape_attr(code)}" '
            f'data-site="{escape_attr(site_key or "company")}" '
            f'data-value="{"" if value is None else repr(value)}"'
            + (' data-restated="true"' if restated else "")
            + (f' title="{escape_attr(why)}"' if why else "") + ">"
            f"{escape_html(fmt_value(value, unit))}"
            + (_restated_mark(cell.previous_value, unit) if cell and restated else "")
            + "</td>")


def _kpi_row(row: KpiRow, data: DashboardData) -> str:
    company = row.cells.get(COMPANY)
    target = MISSING if row.target_value is None else (
        f"{row.target_comparator or ''} {fmt_value(row.target_value, row.unit)}").strip()
    status = MISSING
    if company is not None and company.is_on_target is not None:
        status = "달성 on target" if company.is_on_target else "미달 off target"
    trend = TREND_LABELS.get(company.trend or "", MISSING) if company else MISSING
    cells = "".join(_cell(row.cells.get(s.key), row.unit, row.kpi_code, s.key)
                    for s in data.sites)
    return (
        f'<tr data-indicator-type="{escape_attr(row.indicator_type)}">'
        f'<td class="kpi">{escape_html(row.name_ko)}<small>{escape_html(row.kpi_code)} · '
        f"{escape_html(SHORT_TYPE_LABELS.get(row.indicator_type, row.indicator_type))} · "
        f"{escape_html(row.name_en)}</small></td>"
        f"<td>{escape_html(target)}</td>{cells}"
        f'<td class="status">{escape_html(status)}</td>'
        f'<td class="trend">{escape_html(trend)}</td></tr>'
    )


def _indicator_section(data: DashboardData) -> str:
    series = [
        Series(kind, TYPE_LABELS[kind], TYPE_COLORS[kind],
               [data.on_target[(p, kind)].share if (p, kind) in data.on_target else None
                for p in data.periods], width=3.0)
        for kind in INDICATOR_TYPES
    ]
    chart = line_chart("on-target-share", "목표 달성 지표 비율 (전사)", data.periods, series,
                       lambda v: f"{v * 100:.0f}%", y_max=1.0,
                       y_title="목표 달성 비율 Share on target")
    return (
        '<section id="leading-lagging"><h2>선행·후행 지표 '
        '<span class="en">Leading and lagging indicators</span></h2>'
        '<p class="note">선행 지표(위험을 낮추는 활동)와 후행 지표(결과)를 함께 봅니다: 사고 0건은 '
        "선행 지표와 나란히 읽어야 합니다. Share of KPIs with a target that are on target, "
        "company-wide, per quarter (marts.kpi_quarterly_status, indicator_type).</p>"
        + legend(series) + '<div class="charts">' + chart + "</div></section>"
    )


def _headline_groups(data: DashboardData) -> list[tuple[str, str, list[KpiRow]]]:
    """(item code, label, rows) per compliance item of the guide's §5 table, in its order;
    a KPI without an item (none while the map is complete) last, under its indicator type."""
    groups = [(i.item_code, f"{i.name_ko} · {i.name_en}",
               [r for r in data.headline if r.compliance_item == i.item_code])
              for i in data.compliance_items]
    known = {i.item_code for i in data.compliance_items}
    for kind in INDICATOR_TYPES:
        rest = [r for r in data.headline
                if r.compliance_item not in known and r.indicator_type == kind]
        groups.append(("", TYPE_LABELS[kind], rest))
    return [g for g in groups if g[2]]


def _headline_section(data: DashboardData) -> str:
    head = "".join(f"<th>{escape_html(s.label)}</th>" for s in data.sites)
    body = []
    for code, label, rows in _headline_groups(data):
        body.append(f'<tr class="group" data-compliance-item="{escape_attr(code)}">'
                    f'<th colspan="{len(data.sites) + 4}">'
                    f"{escape_html(label)} ({len(rows)})</th></tr>")
        body.extend(_kpi_row(r, data) for r in rows)
    return (
        f'<section id="headline"><h2>{escape_html(data.latest_period)} 분기 주요 지표 '
        '<span class="en">Headline KPIs of the quarter, by compliance item and site</span></h2>'
        '<p class="note">가이드 §5 준수 항목별로 묶었습니다 (선행 지표 먼저). 초록: 목표 달성, '
        "빨강: 목표 미달 (연간 승인 목표, 지표 방향 기준). Grouped by the compliance item of "
        "the guide's §5 table (marts.dim_compliance_indicator_map), leading indicators "
        "first. Green on target, red off target (the year's approved target in the KPI's "
        "direction); trend against the previous quarter, company-wide.</p>"
        '<table id="headline-kpis"><thead><tr><th class="kpi">지표 KPI</th><th>목표 Target</th>'
        f"{head}<th>전사 목표 Status</th><th>전분기 대비 Trend</th></tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></section>"
    )


def _inventory_section(data: DashboardData) -> str:
    series = [
        Series(site.key or "company", site.label,
               "#1c2833" if site.key == COMPANY else SITE_COLORS[i % len(SITE_COLORS)],
               data.inventory_accuracy[site.key], width=3.5 if site.key == COMPANY else 2.0)
        for i, site in enumerate(data.sites)
    ]
    series.append(Series("target", "목표 Target", "#7f8c8d", data.inventory_target,
                         width=1.5, dashed=True))
    lowest = min((v for s in series for v in s.values if v is not None), default=0.0)
    # Hit rates live near 100%: start the axis at the 20% step below the lowest value
    # (so the four tick steps stay round: 5%, 10%, 15%, 20% or 25%).
    y_min = max(0.0, math.floor(lowest * 5) / 5)
    chart = line_chart("inventory-accuracy", "재고 기록 정확도", data.periods, series,
                       lambda v: f"{v * 100:.0f}%", y_max=1.0, y_min=y_min,
                       y_title="적중률 Hit rate")
    return (
        '<section id="inventory"><h2>재고 기록 정확도: 현장 대사 적중률 '
        '<span class="en">Inventory record accuracy: reconciliation hit rate</span></h2>'
        '<p class="note">분기말 시스템 재고와 현장 실사 수량이 허용오차 안에 드는 라인의 비율 '
        "(한쪽에만 있는 라인은 불일치). Share of quarter-end inventory lines whose field "
        "count is within tolerance of the system quantity (marts.kpi_quarterly, "
        "LEAD_INVENTORY_ACCURACY).</p>"
        + legend(series) + '<div class="charts">' + chart + "</div></section>"
    )


def _checklist_cell(cell: ChecklistCell | None, item_code: str, site_id: str) -> str:
    if cell is None:
        return f"<td>{MISSING}</td>"
    levels = " · ".join(
        f"{name} {STATUS_LABELS.get(status, status)}"
        for name, status in (("최소 min", cell.minimum_status),
                             ("권장 rec", cell.recommended_status),
                             ("검증 verif", cell.verification_status))
        if status)
    return (f'<td class="verdict v-{escape_attr(cell.verdict)}" '
            f'data-item="{escape_attr(item_code)}" data-site="{escape_attr(site_id)}" '
            f'data-verdict="{escape_attr(cell.verdict)}" '
            f'title="{escape_attr(cell.evidence_summary)}">'
            f"{escape_html(cell.verdict_label)}<small>{escape_html(levels)}</small></td>")


def _checklist_section(data: DashboardData) -> str:
    sites = [s for s in data.sites if s.key != COMPANY]
    head = "".join(f"<th>{escape_html(s.label)}</th>" for s in sites)
    body = "".join(
        f'<tr><td class="kpi">{escape_html(item.name_ko)}<small>{escape_html(item.name_en)}'
        "</small></td>"
        + "".join(_checklist_cell(item.cells.get(s.key), item.item_code, s.key) for s in sites)
        + "</tr>"
        for item in data.checklist)
    return (
        f'<section id="field-checklist"><h2>{escape_html(data.latest_period)} 현장 적용 '
        '체크리스트 <span class="en">Field-application checklist (guide §9), by site</span>'
        '</h2><p class="note">최소 기준·권장 기준 충족 여부 (추출자료로 보이는 범위). 추출자료로 '
        "확인할 수 없는 기준(예: 안전서약)은 '확인 불가'로 표시합니다. Whether the extracts "
        "show the minimum or the recommended criterion met; what they cannot show (e.g. a "
        "signed safety pledge) is 'not evidenced'. Evidence figures: hover a cell, or "
        "marts.fct_field_checklist_evidence; tier sample for the hand check: "
        "marts.fct_field_checklist_tier_sample.</p>"
        '<table id="field-checklist-table"><thead><tr><th class="kpi">항목 Item</th>'
        f"{head}</tr></thead><tbody>{body}</tbody></table></section>"
    )


def _fraction(numerator: float | None, denominator: float | None) -> str:
    """' (n / d)' behind a ratio's value, so a restated ratio that kept its value shows
    what moved; nothing for a figure without a denominator."""
    if denominator is None:
        return ""
    parts = [MISSING if x is None else f"{x:,.6g}" for x in (numerator, denominator)]
    return f" <small>({escape_html(parts[0])} / {escape_html(parts[1])})</small>"


def _restatement_row(r: Restatement, data: DashboardData) -> str:
    site = next((s.label for s in data.sites if s.key == r.site_key), r.site_key)
    return (
        f'<tr data-kpi="{escape_attr(r.kpi_code)}" data-period="{escape_attr(r.period)}" '
        f'data-site="{escape_attr(r.site_key or "company")}">'
        f'<td class="kpi">{escape_html(r.name_ko)}<small>{escape_html(r.kpi_code)}</small></td>'
        f'<td class="kpi">{escape_html(r.period)}</td><td class="kpi">{escape_html(site)}</td>'
        f"<td>{escape_html(fmt_value(r.previous_value, r.unit))}"
        f"{_fraction(r.previous_numerator, r.previous_denominator)}</td>"
        f"<td>{escape_html(fmt_value(r.value, r.unit))}"
        f"{_fraction(r.numerator, r.denominator)}</td>"
        f'<td class="kpi">{escape_html(r.changed_extract_files or MISSING)}</td></tr>'
    )


def _restatement_section(data: DashboardData) -> str:
    others = {"kpi_yearly": "연간 yearly", "kpi_tier_quarterly": "등급별 by tier"}
    other = [f"{count} {others.get(mart, mart)}" for mart, count in
             data.other_restatements.items() if count]
    if not data.restatements and not other:
        summary = ("이번 게시에서 정정된 수치 없음. No published figure was restated by this "
                   "publication.")
    elif not data.restatements:
        summary = "이번 게시에서 정정된 분기 KPI 수치 없음. No quarterly KPI figure was restated."
    else:
        summary = (f"이번 게시에서 정정된 수치 {len(data.restatements)}건 "
                   f"(이전 게시 {data.previous_publication_id or MISSING} 대비). "
                   f"{len(data.restatements)} published KPI figure(s) restated against "
                   f"publication {data.previous_publication_id or MISSING}.")
    if other:
        summary += (f" 그 밖의 정정 Also restated: {', '.join(other)} figure(s) "
                    "(marts.kpi_restatements).")
    rows = "".join(_restatement_row(r, data) for r in data.restatements)
    table = (
        '<table id="restated-kpis"><thead><tr><th class="kpi">지표 KPI</th>'
        '<th class="kpi">분기 Quarter</th><th class="kpi">사업장 Site</th>'
        "<th>이전 게시 값 Previously published</th><th>현재 값 Now</th>"
        '<th class="kpi">변경된 추출 파일 Changed extract files</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>" if data.restatements else "")
    return (
        '<section id="restatements"><h2>정정된 수치 '
        '<span class="en">Restated figures (GRI 2-4)</span></h2>'
        f'<p class="note" id="restatement-summary">{escape_html(summary)} '
        f"{escape_html(RESTATED_MARK)} marks a restated figure in the tables; every "
        "restatement of every publication is in marts.kpi_restatements.</p>"
        + table + "</section>"
    )


def render_dashboard(data: DashboardData) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="ko"><head><meta charset="utf-8">' + CSP_META +
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>화학안전 KPI 대시보드 · Chemical-safety KPI dashboard</title>"
        f"<style>{CSS}</style></head><body>"
        '<header><h1 id="title">화학안전 KPI 대시보드</h1>'
        '<p class="en">Chemical-safety KPI dashboard for EHS managers</p>'
        f'<p class="meta">기준 분기 As-of quarter <strong id="as-of">'
        f"{escape_html(data.latest_period)}</strong> · 게시 Publication "
        f'<code id="publication-id">{escape_html(data.publication_id)}</code> · '
        f"{escape_html(data.published_at)}</p></header>"
        + _open_risk_section(data) + _indicator_section(data) + _inventory_section(data)
        + _headline_section(data) + _checklist_section(data) + _restatement_section(data)
        + "<footer>Generated by chemsafe publish from the serving warehouse "
        "(serving/chemsafe_serving.duckdb, schema marts). Definitions of every KPI: "
        "marts.dim_kpi_definitions and the dbt docs (docs/index.html).</footer>"
        "</body></html>\n"
    )
