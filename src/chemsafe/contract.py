"""The raw extract contract (``shared/extract_contract.md``) as data.

This module is the single Python description of the input files: which files exist,
their columns in contract order, each column's type, which columns form the key and
what they refer to. Ingestion validates headers against it, the demo generator writes
files that follow it, and a test checks that the dbt base models parse exactly these
columns in this order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Column types of the contract.
TEXT = "text"
DATE = "date"
NUMBER = "number"
INTEGER = "integer"
BOOLEAN = "boolean"
CODE = "code"
CAS = "cas"


@dataclass(frozen=True)
class Column:
    name: str
    type: str = TEXT
    required: bool = True
    code_set: str | None = None
    non_negative: bool = False
    min_value: float | None = None
    max_value: float | None = None
    references: str | None = None  # file (entity) the column refers to
    # NULL allowed only while this other column of the file is NULL (else missing_required);
    # set together with required=False
    required_when_present: str | None = None


@dataclass(frozen=True)
class ExtractFile:
    name: str  # file stem, e.g. "findings" for findings.csv
    system: str  # source system of the staging layer
    entity: str  # plural entity name used in stg_<system>__<entity>
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    label_ko: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def seed_name(self) -> str:
        return f"raw_{self.name}"

    @property
    def staging_model(self) -> str:
        return f"stg_{self.system}__{self.entity}"

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.file_name} has no column {name!r}")


def _t(name: str, required: bool = True, references: str | None = None) -> Column:
    return Column(name, TEXT, required=required, references=references)


def _d(name: str, required: bool = True) -> Column:
    return Column(name, DATE, required=required)


def _n(name: str, required: bool = True, non_negative: bool = True) -> Column:
    return Column(name, NUMBER, required=required, non_negative=non_negative)


def _i(name: str, required: bool = True, non_negative: bool = True) -> Column:
    return Column(name, INTEGER, required=required, non_negative=non_negative)


def _b(name: str, required: bool = True, required_when_present: str | None = None) -> Column:
    return Column(name, BOOLEAN, required=required, code_set="boolean",
                  required_when_present=required_when_present)


def _c(name: str, code_set: str, required: bool = True) -> Column:
    return Column(name, CODE, required=required, code_set=code_set)


def _free(name: str) -> Column:
    """Free-text column: may always be NULL."""
    return Column(name, TEXT, required=False)


RISK = "risk_level"

FILES: tuple[ExtractFile, ...] = (
    ExtractFile(
        "sites", "ehs", "sites",
        (_t("site_id"), _free("site_name"), _free("region"), _free("ksic_code")),
        ("site_id",), "사업장",
    ),
    ExtractFile(
        "facilities", "ehs", "facilities",
        (
            _t("facility_id"), _t("site_id", references="sites"), _free("facility_name"),
            _c("facility_type", "facility_type"), _d("commissioned_on"),
            _d("decommissioned_on", required=False),
        ),
        ("facility_id",), "유해화학물질 취급시설",
    ),
    ExtractFile(
        "risk_assessments", "ehs", "risk_assessments",
        (
            _t("assessment_id"), _t("facility_id", references="facilities"), _d("assessed_on"),
            _c("substance_hazard", RISK), _c("exposure_potential", RISK),
            _c("protection_weakness", RISK), _d("next_due_on"), _free("approved_by"),
        ),
        ("assessment_id",), "위험성평가",
    ),
    ExtractFile(
        "substances", "ehs", "substances",
        (
            Column("cas_no", CAS), _free("name_ko"), _free("name_en"), _b("acute_toxic"),
            _b("chronic_toxic"), _b("eco_toxic"), _b("accident_precaution"),
            _n("small_quantity_threshold_kg"), _b("esg_concern"),
            Column("release_category", INTEGER, required=False, min_value=1, max_value=7),
        ),
        ("cas_no",), "물질 정보",
    ),
    ExtractFile(
        "inventory_system", "erp", "inventory_balances",
        (
            _d("reference_date"), _t("facility_id", references="facilities"),
            Column("cas_no", CAS, references="substances"), _n("quantity_kg"),
            _n("max_instant_kg"),
        ),
        ("reference_date", "facility_id", "cas_no"), "시스템 재고",
    ),
    ExtractFile(
        "inventory_field", "field", "inventory_counts",
        (
            _d("reference_date"), _t("facility_id", references="facilities"),
            Column("cas_no", CAS, references="substances"), _n("counted_kg"),
            _d("counted_on"), _free("counted_by"), _t("sheet_no", required=False),
        ),
        ("reference_date", "facility_id", "cas_no"), "현장 실사 재고",
    ),
    ExtractFile(
        "inspections", "ehs", "inspections",
        (
            _t("inspection_id"), _t("facility_id", references="facilities"),
            _c("inspection_type", "inspection_type"), _d("inspected_on"), _free("inspector"),
            _c("result", "inspection_result"),
        ),
        ("inspection_id",), "검사·점검",
    ),
    ExtractFile(
        "self_inspection_field", "field", "self_inspection_checklists",
        (
            _t("checklist_no"), _t("facility_id", references="facilities"),
            _d("inspected_on"), _free("inspector"),
        ),
        ("checklist_no",), "자체점검표 대장",
    ),
    ExtractFile(
        "findings", "ehs", "findings",
        (
            _t("finding_id"), _t("inspection_id", references="inspections"),
            _t("facility_id", references="facilities"), _d("found_on"),
            _c("category", "finding_category"),
            Column("severity", INTEGER, min_value=1, max_value=5), _free("description"),
            _t("repeat_of_finding_id", required=False), _d("closed_on", required=False),
        ),
        ("finding_id",), "지적사항",
    ),
    ExtractFile(
        "corrective_actions", "ehs", "corrective_actions",
        (
            _t("action_id"), _c("source_type", "corrective_action_source"),
            _t("source_id"), _d("due_on"), _d("completed_on", required=False),
            _d("verified_on", required=False), _free("owner"),
        ),
        ("action_id",), "개선조치",
    ),
    ExtractFile(
        "protection_layer_checks", "ehs", "protection_layer_checks",
        (
            _t("check_id"), _t("facility_id", references="facilities"),
            _c("layer", "protection_layer"), _d("scheduled_on"),
            _d("performed_on", required=False),
            _b("function_tested", required=False, required_when_present="performed_on"),
            _b("defect_found", required=False, required_when_present="performed_on"),
        ),
        ("check_id",), "방호계층 점검",
    ),
    ExtractFile(
        "moc_records", "ehs", "moc_records",
        (
            _t("change_id"), _t("facility_id", references="facilities"),
            _c("change_type", "change_type"), _d("implemented_on"),
            _d("moc_approved_on", required=False), _d("effect_verified_on", required=False),
        ),
        ("change_id",), "변경관리",
    ),
    ExtractFile(
        "training_records", "lms", "training_records",
        (
            _t("record_id"), _t("employee_no"), _t("site_id", references="sites"),
            _b("high_risk_group"), _t("course_code"), _d("due_on"),
            _d("completed_on", required=False),
            Column("score", NUMBER, required=False, min_value=0, max_value=100),
            _b("passed", required=False),
        ),
        ("record_id",), "교육 이수",
    ),
    ExtractFile(
        "training_signin", "field", "training_signins",
        (_t("sheet_no"), _t("employee_no"), _t("course_code"), _d("session_on")),
        ("sheet_no", "employee_no", "course_code"), "교육 서명부",
    ),
    ExtractFile(
        "drills", "ehs", "drills",
        (
            _t("drill_id"), _t("site_id", references="sites"), _d("drill_on"),
            _free("scenario"), _c("scenario_risk", RISK), _i("participants_planned"),
            _i("participants_actual"), _c("evaluation", "drill_evaluation"),
        ),
        ("drill_id",), "비상대응 훈련",
    ),
    ExtractFile(
        "incidents", "ehs", "incidents",
        (
            _t("incident_id"), _t("site_id", references="sites"),
            _t("facility_id", required=False, references="facilities"), _d("occurred_on"),
            _c("incident_type", "incident_type"),
            Column("cas_no", CAS, required=False, references="substances"),
            _n("released_kg"), _c("impact_scope", "impact_scope"), _b("legally_reportable"),
            _i("injuries"), _i("lost_time_injuries"), _i("fatalities"),
            _b("community_evacuated"), _n("direct_cost_krw"),
        ),
        ("incident_id",), "사고·아차사고",
    ),
    ExtractFile(
        "admin_actions", "ehs", "admin_actions",
        (
            _t("action_id"), _t("site_id", references="sites"), _d("issued_on"),
            _c("action_type", "admin_action_type"), _free("legal_basis"),
            _n("amount_krw", required=False),
        ),
        ("action_id",), "행정처분",
    ),
    ExtractFile(
        "contractors", "ehs", "contractors",
        (_t("contractor_id"), _free("contractor_name")),
        ("contractor_id",), "협력사",
    ),
    ExtractFile(
        "contractor_engagements", "ehs", "contractor_engagements",
        (
            _t("engagement_id"), _t("contractor_id", references="contractors"),
            _t("facility_id", references="facilities"), _d("start_on"),
            _d("end_on", required=False),
        ),
        ("engagement_id",), "협력사 작업 투입",
    ),
    ExtractFile(
        "contractor_assessments", "ehs", "contractor_assessments",
        (
            _t("assessment_id"), _t("contractor_id", references="contractors"),
            _c("assessment_type", "contractor_assessment_type"), _d("assessed_on"),
            _b("passed"), _d("valid_until"),
        ),
        ("assessment_id",), "협력사 화학안전 평가",
    ),
    ExtractFile(
        "small_quantity_calcs", "ehs", "small_quantity_calcs",
        (
            _t("calc_id"), _t("facility_id", references="facilities"),
            Column("cas_no", CAS, references="substances"), _free("mixture_name"),
            Column("concentration_pct", NUMBER, min_value=0, max_value=100),
            _n("max_instant_kg"), _d("calculated_on"), _t("basis_doc_id", required=False),
            _d("reviewed_on", required=False), _b("review_conforming", required=False),
        ),
        ("calc_id",), "소량기준·혼합물 산정",
    ),
    ExtractFile(
        "hours_worked", "erp", "hours_worked",
        (
            _t("site_id", references="sites"), _d("month"), _n("employee_hours"),
            _n("contractor_hours"),
        ),
        ("site_id", "month"), "근로시간",
    ),
    ExtractFile(
        "production", "erp", "production_months",
        (
            _t("site_id", references="sites"), _d("month"), _n("production_t"),
            _n("value_added_krw_m", non_negative=False), _n("hazardous_chem_use_kg"),
            _n("hazardous_waste_kg"),
        ),
        ("site_id", "month"), "생산·자원",
    ),
)

FILES_BY_NAME: dict[str, ExtractFile] = {f.name: f for f in FILES}

REASON_CODES: tuple[str, ...] = (
    "malformed_row",
    "missing_required",
    "bad_date",
    "bad_number",
    "bad_integer",
    "bad_boolean",
    "unknown_code",
    "bad_cas",
    "negative_value",
    "out_of_range",
    "key_conflict",
    "orphan_reference",
    "inconsistent_reference",
)
