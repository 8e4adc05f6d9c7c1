"""What the EHS dashboard shows, read from the (staged) serving file's marts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from chemsafe.db import first_row

COMPANY = ""  # key of the company-wide rows (site_id NULL in the marts)
TIERS = ("HIGH", "MEDIUM", "LOW")
INDICATOR_TYPES = ("leading", "lagging")
OPEN_RISK_MEASURE = "TIER_OPEN_RISK_SCORE"
INVENTORY_KPI = "LEAD_INVENTORY_ACCURACY"


@dataclass(frozen=True)
class Site:
    key: str  # site_id, or COMPANY
    label: str


@dataclass(frozen=True)
class KpiCell:
    value: float | None
    is_on_target: bool | None
    trend: str | None
    previous_value: float | None = None  # as previously published, when restated
    is_restated: bool = False
    why_missing: str | None = None  # why there is no value, shown on the "–"


@dataclass(frozen=True)
class Restatement:
    """A KPI figure this publication restated (marts.kpi_restatements)."""

    kpi_code: str
    name_ko: str
    period: str
    site_key: str
    unit: str
    previous_value: float | None
    value: float | None
    changed_extract_files: str | None
    # the fractions behind a ratio (a restated ratio can keep its value)
    previous_numerator: float | None = None
    numerator: float | None = None
    previous_denominator: float | None = None
    denominator: float | None = None


@dataclass
class KpiRow:
    kpi_code: str
    name_ko: str
    name_en: str
    indicator_type: str
    unit: str
    direction: str
    target_value: float | None
    target_comparator: str | None
    compliance_item: str = ""  # item_code of dim_compliance_indicator_map
    cells: dict[str, KpiCell] = field(default_factory=dict)  # by site key


@dataclass(frozen=True)
class ComplianceItem:
    item_code: str
    name_ko: str
    name_en: str


@dataclass(frozen=True)
class ChecklistCell:
    verdict: str
    verdict_label: str
    minimum_status: str
    recommended_status: str
    verification_status: str | None
    evidence_summary: str


@dataclass(frozen=True)
class ChecklistItem:
    item_code: str
    name_ko: str
    name_en: str
    cells: dict[str, ChecklistCell]  # by site_id


@dataclass(frozen=True)
class OnTargetShare:
    on_target: int
    with_target: int

    @property
    def share(self) -> float | None:
        return self.on_target / self.with_target if self.with_target else None


@dataclass
class DashboardData:
    publication_id: str
    published_at: str
    periods: list[str]
    latest_period: str
    sites: list[Site]  # company first
    # (site key, tier) -> value per period (None when there is no row)
    open_risk: dict[tuple[str, str], list[float | None]]
    # (period, indicator type) -> share of KPIs on target, company-wide
    on_target: dict[tuple[str, str], OnTargetShare]
    headline: list[KpiRow]  # every KPI of the latest period, leading first
    # site key -> inventory hit rate per period; target per period (company)
    inventory_accuracy: dict[str, list[float | None]]
    inventory_target: list[float | None]
    # compliance items of the guide's §5 table, in its order (headline rows group by them)
    compliance_items: list[ComplianceItem] = field(default_factory=list)
    # field-application checklist (guide §9) of the latest period, items in the guide's order
    checklist: list[ChecklistItem] = field(default_factory=list)
    # the KPI figures this publication restated, and the publication they restate
    restatements: list[Restatement] = field(default_factory=list)
    previous_publication_id: str | None = None
    # restated figures of the other KPI tables (kpi_yearly, kpi_tier_quarterly): counts
    other_restatements: dict[str, int] = field(default_factory=dict)


def why_no_value(value: float | None, denominator: float | None,
                 counted: str | None) -> str | None:
    """Why a KPI cell has no value, for the reader of the "–": a ratio whose denominator
    (what the definition sheet says it counts) had nothing in the quarter."""
    if value is not None:
        return None
    if denominator is not None and denominator == 0:
        what = (counted or "see the KPI definition").rstrip(". ")
        return (f"분모 0: 이번 분기 해당 건 없음. No value: nothing to count in the "
                f"denominator this quarter. Denominator: {what}. None this quarter.")
    return "값 없음. No value for this quarter (see the KPI definition in dim_kpi_definitions)."


def _key(site_id: str | None) -> str:
    return COMPANY if site_id is None else site_id


def read_dashboard_data(serving_file: Path) -> DashboardData:
    with duckdb.connect(str(serving_file), read_only=True) as con:
        publication = first_row(
            con,
            "select publication_id, strftime(published_at, '%Y-%m-%d %H:%M UTC') "
            "from audit.publication"
        )
        periods = [p for (p,) in con.execute(
            "select period from marts.dim_quarters order by quarter_end").fetchall()]
        latest = first_row(
            con,
            "select period from marts.dim_quarters order by is_as_of_quarter desc, "
            "quarter_end desc limit 1")
        sites = [Site(COMPANY, "전사 Company")] + [
            Site(site_id, f"{site_id} {name}" if name else site_id)
            for site_id, name in con.execute(
                "select site_id, site_name from marts.dim_sites order by site_id").fetchall()
        ]
        index = {p: i for i, p in enumerate(periods)}

        open_risk: dict[tuple[str, str], list[float | None]] = {
            (s.key, t): [None] * len(periods) for s in sites for t in TIERS
        }
        for period, site_id, tier, value in con.execute(
            "select period, site_id, risk_tier, value from marts.kpi_tier_quarterly "
            "where measure_code = ?", [OPEN_RISK_MEASURE],
        ).fetchall():
            if (_key(site_id), tier) in open_risk and period in index:
                open_risk[(_key(site_id), tier)][index[period]] = value

        on_target = {
            (period, kind): OnTargetShare(int(on), int(total))
            for period, kind, on, total in con.execute(
                "select period, indicator_type, count(*) filter (where is_on_target), "
                "count(is_on_target) from marts.kpi_quarterly_status where site_id is null "
                "group by period, indicator_type").fetchall()
        }

        latest_period = latest[0] if latest else (periods[-1] if periods else "")
        compliance_items = [
            ComplianceItem(code, name_ko, name_en) for code, name_ko, name_en in con.execute(
                "select item_code, name_ko, name_en from marts.dim_compliance_items "
                "order by display_order").fetchall()
        ]
        restatements, previous, other_restatements = _read_restatements(con)
        restated = {(r.kpi_code, r.period, r.site_key): r for r in restatements}
        rows: dict[str, KpiRow] = {}
        for (code, name_ko, name_en, kind, unit, direction, target, comparator, site_id,
             value, on, trend, item, denominator, counted) in con.execute(
            "select s.kpi_code, s.name_ko, s.name_en, s.indicator_type, s.unit, s.direction, "
            "s.target_value, s.target_comparator, s.site_id, s.value, s.is_on_target, s.trend, "
            "m.item_code, s.denominator, d.denominator "
            "from marts.kpi_quarterly_status as s "
            "left join marts.dim_compliance_indicator_map as m on s.kpi_code = m.kpi_code "
            "left join marts.dim_kpi_definitions as d on s.kpi_code = d.kpi_code "
            "where s.period = ? order by m.item_display_order, "
            "case s.indicator_type when 'leading' then 0 else 1 end, s.kpi_code",
            [latest_period],
        ).fetchall():
            row = rows.setdefault(code, KpiRow(code, name_ko or code, name_en or "", kind,
                                               unit, direction, None, None, item or ""))
            if site_id is None:
                row.target_value, row.target_comparator = target, comparator
            old = restated.get((code, latest_period, _key(site_id)))
            row.cells[_key(site_id)] = KpiCell(value, on, trend,
                                               old.previous_value if old else None,
                                               old is not None,
                                               why_no_value(value, denominator, counted))

        accuracy: dict[str, list[float | None]] = {s.key: [None] * len(periods) for s in sites}
        target: list[float | None] = [None] * len(periods)
        for period, site_id, value, target_value in con.execute(
            "select period, site_id, value, target_value from marts.kpi_quarterly_status "
            "where kpi_code = ?", [INVENTORY_KPI],
        ).fetchall():
            if _key(site_id) in accuracy and period in index:
                accuracy[_key(site_id)][index[period]] = value
                if site_id is None:
                    target[index[period]] = target_value

        checklist = _read_checklist(con, latest_period)

    return DashboardData(
        publication_id=publication[0] if publication else "",
        published_at=publication[1] if publication else "",
        periods=periods, latest_period=latest_period, sites=sites, open_risk=open_risk,
        on_target=on_target, headline=list(rows.values()),
        inventory_accuracy=accuracy, inventory_target=target,
        compliance_items=compliance_items, checklist=checklist,
        restatements=restatements, previous_publication_id=previous,
        other_restatements=other_restatements,
    )


def _read_restatements(con: duckdb.DuckDBPyConnection,
                       ) -> tuple[list[Restatement], str | None, dict[str, int]]:
    """This publication's rows of marts.kpi_restatements, in one read: the quarterly
    figures (listed on the page), the publications they restate (comma-separated) and how
    many figures of each other KPI table it restated (counted)."""
    quarterly: list[Restatement] = []
    restated_against: set[str] = set()
    others: dict[str, int] = {}
    for mart, against, code, name_ko, period, site_id, unit, old, new, files, *fractions \
            in con.execute(
                "select r.mart, r.previous_publication_id, r.kpi_code, d.name_ko, r.period, "
                "r.site_id, r.unit, r.previous_value, r.value, r.changed_extract_files, "
                "r.previous_numerator, r.numerator, r.previous_denominator, r.denominator "
                "from marts.kpi_restatements as r "
                "inner join audit.publication as p on r.publication_id = p.publication_id "
                "left join marts.dim_kpi_definitions as d on r.kpi_code = d.kpi_code "
                "order by r.mart, r.period, r.kpi_code, r.site_id nulls first").fetchall():
        if mart != "kpi_quarterly":
            others[mart] = others.get(mart, 0) + 1
            continue
        restated_against.add(against)
        quarterly.append(Restatement(code, name_ko or code, period, _key(site_id), unit, old,
                                     new, files, *fractions))
    return quarterly, ", ".join(sorted(restated_against)) or None, others


def _read_checklist(con: duckdb.DuckDBPyConnection, period: str) -> list[ChecklistItem]:
    items: dict[str, ChecklistItem] = {}
    for (code, name_ko, name_en, site_id, verdict, label, minimum, recommended, verification,
         evidence) in con.execute(
        "select item_code, name_ko, name_en, site_id, verdict, verdict_label, minimum_status, "
        "recommended_status, verification_status, evidence_summary "
        "from marts.fct_field_checklist where period = ? order by display_order, site_id",
        [period],
    ).fetchall():
        item = items.setdefault(code, ChecklistItem(code, name_ko, name_en, {}))
        item.cells[site_id] = ChecklistCell(verdict, label, minimum, recommended, verification,
                                            evidence or "")
    return list(items.values())
