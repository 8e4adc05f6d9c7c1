"""The auditor report: one self-contained HTML page per quarter.

Offline by construction: styles inline, no script, no image, no font file and no URL of
any kind; a Content-Security-Policy of ``default-src 'none'`` makes the browser refuse any
request the page might still try. Korean renders with the reader's installed Korean fonts,
named in FONT_STACK (Noto Sans CJK KR, installed with fonts-noto-cjk on the Debian
server; Malgun Gothic on Windows; Apple SD Gothic Neo on macOS). Every value from the
data goes through ``html.esc``. The exception tables are written row by row while the
rows stream from the warehouse, so a quarter with many exceptions lists all of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TextIO

from chemsafe.htmltext import CONTROL_CSS, CSP_META
from chemsafe.reconcile.gx_runner import ExpectationOutcome
from chemsafe.reconcile.html import (
    MISSING,
    Markup,
    definition_list,
    esc,
    escape_text,
    fmt,
    join,
    table,
    tag,
)
from chemsafe.reconcile.outcome import FAIL, PASS, WARN, ControlResult, Evaluation
from chemsafe.reconcile.pending import PendingApprovals, pending_approvals
from chemsafe.reconcile.warehouse import ExtractFile, Quarter, Threshold

FONT_STACK = ('"Noto Sans CJK KR", "NanumGothic", "Malgun Gothic", "Apple SD Gothic Neo", '
              "sans-serif")
RECONCILIATION_LABELS = {
    "inventory": "재고 대사 · Inventory (system vs physical count)",
    "self_inspection": "자체점검 대사 · Self-inspection (system vs paper checklist)",
    "training": "교육 대사 · Training (LMS vs sign-in sheet)",
    "field_quality": "현장 기록 품질 · Data quality of the field extracts",
}
STATUS_LABELS = {PASS: "PASS 적합", FAIL: "FAIL 부적합", WARN: "WARN 경고"}
COUNT_HEADERS = (
    ("site_id", "사업장 Site"), ("lines_total", "대사 건수 Lines"),
    ("lines_in_system", "시스템 In system"), ("lines_in_field", "현장 In field"),
    ("matched", "일치 Matched"), ("out_of_tolerance", "허용오차 초과 Out of tolerance"),
    ("missing_in_field", "현장 누락 Missing in field"),
    ("missing_in_system", "시스템 누락 Missing in system"),
    ("escalated_lines", "연속 초과 Escalated"),
    ("accident_precaution_missing_lines", "사고대비물질 누락 AP missing"),
    ("hit_rate", "적중률 Hit rate"),
)
SAMPLE_COLUMNS = (
    "reconciliation", "site_id", "stratum", "draw_rank", "stratum_lines", "line_key",
    "facility_id", "facility_name", "facility_tier", "line_date", "item_code",
    "system_record_id", "field_record_id", "quantity_kg", "counted_kg", "system_inspector",
    "field_inspector", "match_status",
    "system_source_line", "field_source_line", "sample_hash",
)

CSS = """
body { font-family: $FONTS; margin: 24px 32px; color: #1c2833; background: #fff;
       font-size: 14px; line-height: 1.45; }
h1 { font-size: 26px; margin: 0 0 6px; }
h2 { font-size: 20px; margin: 34px 0 8px; border-bottom: 2px solid #d5d8dc; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 18px 0 6px; }
table { border-collapse: collapse; margin: 8px 0 12px; font-size: 12.5px; }
th, td { border: 1px solid #d5d8dc; padding: 3px 7px; text-align: left; vertical-align: top; }
th { background: #f2f4f4; }
td.num { text-align: right; }
[class^=status-], table.controls td:first-child { white-space: nowrap; }
.status-PASS { color: #1e8449; font-weight: bold; }
.status-FAIL { color: #c0392b; font-weight: bold; }
.status-WARN { color: #b9770e; font-weight: bold; }
.banner { padding: 10px 14px; margin: 14px 0; border-radius: 4px; font-size: 15px; }
.banner.ok { background: #e9f7ef; border: 1px solid #1e8449; }
.banner.bad { background: #fdedec; border: 1px solid #c0392b; }
.banner.pending { background: #fef5e7; border: 1px solid #b9770e; }
.banner .pending-approval { display: block; margin-top: 4px; }
dl { display: grid; grid-template-columns: max-content auto; gap: 3px 14px; margin: 6px 0; }
dt { font-weight: bold; color: #566573; }
dd { margin: 0; }
pre { background: #f8f9f9; border: 1px solid #d5d8dc; padding: 8px; font-size: 12px;
      white-space: pre-wrap; }
.pending { color: #c0392b; }
div.wide { overflow-x: auto; }
.note { color: #566573; font-size: 12.5px; }
table.signoff td { height: 34px; min-width: 260px; }
table.signoff td.comment { height: 110px; }
footer { margin-top: 36px; color: #566573; font-size: 12px; }
@media print { div.wide { overflow: visible; } table.exceptions, table.sample { font-size: 8px; } }
$CONTROL
""".replace("$FONTS", FONT_STACK).replace("$CONTROL", CONTROL_CSS)


@dataclass(frozen=True)
class ReportFiles:
    html: str
    sample_csv: str
    gx_results: str  # GX's own validation results (JSON), beside the report
    exception_csv: dict[str, str]  # control id -> file name (beside the report)


@dataclass(frozen=True)
class ReportContext:
    quarter: Quarter
    previous_period: str | None
    run_id: str
    run_at: datetime
    code_version: str
    gx_version: str
    controls_version: str
    as_of_date: date | None
    load_id: str | None
    exit_code: int
    counts: dict[str, list[dict[str, object]]]
    previous_counts: dict[str, list[dict[str, object]]]
    tolerance: list[tuple]
    sampling_rules: list[tuple]
    extract_files: list[ExtractFile]
    files: ReportFiles
    gx_results_sha256: str = ""


# --------------------------------------------------------------------------- formatting

def fmt_measure(value: object, unit: str) -> str:
    if value is None:
        return f"{MISSING} (nothing to reconcile)"
    if unit == "fraction" and isinstance(value, int | float):
        return f"{value * 100:.2f} %"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return fmt(value)


def fmt_threshold(comparator: str, threshold: Threshold) -> str:
    sign = "≥" if comparator == ">=" else "≤"
    unit = "" if threshold.unit == "fraction" else f" {threshold.unit}"
    return f"{sign} {fmt_measure(threshold.value, threshold.unit)}{unit}"


def fmt_change(current: object, previous: object, unit: str) -> str:
    if not isinstance(current, int | float) or not isinstance(previous, int | float):
        return MISSING
    delta = current - previous
    if unit == "fraction":
        return f"{delta * 100:+.2f} pp"
    return f"{delta:+g}"


def approval(threshold: Threshold | None, approved_by: object = None,
             approved_on: object = None) -> Markup:
    by = threshold.approved_by if threshold else approved_by
    on = threshold.approved_on if threshold else approved_on
    if not on:
        text = str(by or "not approved")
        if "pending" not in text.lower():
            text += " (approval pending)"
        return tag("span", text, cls="pending")
    return esc(f"{by}, {fmt(on)}")


def status_cell(status: str) -> Markup:
    return tag("span", STATUS_LABELS[status], cls=f"status-{status}")


def _agreement_cell(current: Evaluation) -> Markup:
    if current.agrees:
        return tag("span", "agree 일치", cls="status-PASS")
    return tag("span", f"DISAGREE 불일치 ({len(current.only_gx)} line(s) GX only, "
                       f"{len(current.only_sql)} SQL only)", cls="status-FAIL")


def _row(texts: Iterable[str]) -> str:
    """A table row of values already formatted as text (html.fmt), escaped: the fast path
    for long exception lists."""
    return "<tr><td>" + "</td><td>".join(escape_text(text) for text in texts) + "</td></tr>\n"


# ------------------------------------------------------------------------------ the page

class AuditReport:
    """Writes the report to an open text file, section by section."""

    def __init__(self, out: TextIO, ctx: ReportContext) -> None:
        self.out = out
        self.ctx = ctx
        self.pending: PendingApprovals | None = None  # set by begin()

    def write(self, markup: Markup) -> None:
        self.out.write(markup)
        self.out.write("\n")

    # ---------------------------------------------------------------- top of the page
    def begin(self, results: Sequence[ControlResult]) -> None:
        ctx = self.ctx
        title = f"분기 대사 보고서 · Quarterly reconciliation report {ctx.quarter.period}"
        self.out.write(
            "<!DOCTYPE html>\n<html lang=\"ko\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"{CSP_META}\n"
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        )
        self.write(tag("h1", title))
        self.write(tag("p", "현장 기록(실사 재고, 자체점검표, 교육 서명부)과 시스템 데이터의 분기 "
                            "대사 결과입니다. Field records reconciled with the system data "
                            "for the quarter; every exception is listed below and in the CSV "
                            "files beside this page.", cls="note"))
        failed = [r for r in results if r.status == FAIL]
        warned = [r for r in results if r.status == WARN]
        if failed:
            text = (f"{len(failed)} critical control(s) failed: "
                    f"{', '.join(r.control.id for r in failed)}; exit code {ctx.exit_code}.")
        else:
            text = f"Every critical control passed; exit code {ctx.exit_code}."
        if warned:
            text += (f" {len(warned)} warning(s): "
                     f"{', '.join(r.control.id for r in warned)}.")
        self.pending = pending_approvals(results, ctx.sampling_rules, ctx.tolerance)
        css = "banner bad" if failed else ("banner pending" if self.pending.any else "banner ok")
        self.write(tag("div", join([
            tag("span", text),
            tag("span", self.pending.text() + " Listed in the sign-off block.",
                cls="pending-approval") if self.pending.any
            else "",
        ]), cls=css, id="banner"))
        self._disagreement_banner(results)
        self.write(definition_list([
            ("분기 Quarter", f"{ctx.quarter.period} ({fmt(ctx.quarter.quarter_start)} – "
                             f"{fmt(ctx.quarter.quarter_end)})"),
            ("기준일 As-of date", fmt(ctx.as_of_date) or MISSING),
            ("실행 시각 Run at (UTC)", fmt(ctx.run_at)),
            ("실행 ID Run id", ctx.run_id),
            ("코드 버전 Code version", ctx.code_version),
            ("통제 정의 Controls version", f"{ctx.controls_version} (expectations/controls.toml, "
                                         "expectations/gx)"),
            ("Great Expectations", ctx.gx_version),
            ("GX 검증 결과 GX validation results", join([
                tag("a", ctx.files.gx_results, href=ctx.files.gx_results),
                tag("div", f"sha256 {ctx.gx_results_sha256}", cls="note"),
                tag("div", "Great Expectations' own results of the quarter's checkpoints "
                           "(every unexpected line by line_key), as GX wrote them.",
                    cls="note"),
            ])),
            ("적재 Load id", join([
                ctx.load_id or MISSING,
                tag("div", "The load these results describe: a publication carries them "
                           "only with a build of this load (publication.json).", cls="note"),
            ])),
            ("이전 분기 Previous quarter", ctx.previous_period or
             "none in the reporting window"),
        ]))
        self._summary(results)
        self._computations(results)
        self._counts()

    def _summary(self, results: Sequence[ControlResult]) -> None:
        ctx = self.ctx
        rows = []
        for result in results:
            control, current, previous = result.control, result.current, result.previous
            unit = current.threshold.unit
            rows.append([
                tag("a", control.id, href=f"#{control.id}"),
                join([tag("div", control.title_ko), tag("div", control.title, cls="note")]),
                current.severity,
                fmt_measure(current.observed, unit),
                fmt_threshold(control.comparator, current.threshold),
                status_cell(result.status),
                current.exceptions_count,
                join([fmt_measure(previous.observed, unit), " ", status_cell(previous.status)])
                if previous else MISSING,
                fmt_change(current.observed, previous.observed, unit) if previous else MISSING,
                tag("a", ctx.files.exception_csv[control.id],
                    href=ctx.files.exception_csv[control.id]),
            ])
        self.write(tag("h2", "통제 결과 요약 · Controls"))
        self.write(table(
            ["ID", "통제 Control", "중요도 Severity", "관측값 Observed", "기준 Threshold",
             "결과 Result", "예외 Exceptions", f"전분기 Previous ({ctx.previous_period or '–'})",
             "변화 Change", "CSV"], rows, cls="controls"))
        self.write(tag("p", "A control passes when every Great Expectations expectation that "
                            "names it succeeds. FAIL = a critical control failed: the command "
                            "exits with code 1. WARN = a warning-level data-quality control "
                            "failed: reported, the exit code stays 0.", cls="note"))

    def _disagreement_banner(self, results: Sequence[ControlResult]) -> None:
        differ = [r.control.id for r in results if not r.current.agrees]
        if differ:
            self.write(tag("div", f"Great Expectations and SQL disagree on {len(differ)} "
                                  f"control(s): {', '.join(differ)}; exit code 2. The "
                                  "figures of these controls cannot be relied on until the "
                                  "difference is explained (the lines are listed in each "
                                  "control's section).", cls="banner bad"))

    def _computations(self, results: Sequence[ControlResult]) -> None:
        rows = []
        for result in results:
            current = result.current
            unit = current.threshold.unit
            rows.append([
                tag("a", result.control.id, href=f"#{result.control.id}"),
                fmt_measure(current.observed, unit), fmt_measure(current.sql_observed, unit),
                current.gx_unexpected_count, current.exceptions_count,
                _agreement_cell(current),
            ])
        self.write(tag("h2", "두 계산 · Two computations: Great Expectations and SQL"))
        self.write(table(
            ["ID", "GX 관측값 GX observed", "SQL 측정값 SQL measure",
             "GX 예외 라인 GX unexpected lines", "SQL 예외 라인 SQL exception lines",
             "일치 Agree"], rows, cls="computations"))
        self.write(tag("p", "Each control is computed twice: Great Expectations validates "
                            "every line of the quarter (its observed value and its list of "
                            "unexpected lines come from its own results, file above) and the "
                            "control's SQL computes the measure and selects the exception "
                            "lines. They must agree line for line (fractions to 1e-9); any "
                            "difference fails the run with exit code 2.", cls="note"))

    def _counts(self) -> None:
        ctx = self.ctx
        self.write(tag("h2", "대사 건수 · Reconciliation counts"))
        self.write(tag("p", "From marts.fct_reconciliation_quarter_summary: inventory lines at "
                            "the quarter end; self-inspection and training lines dated in the "
                            "quarter. The company row (site empty) is computed from the lines, "
                            "not summed from the sites. Variances are never netted.",
                       cls="note"))
        for reconciliation in ("inventory", "self_inspection", "training"):
            self.write(tag("h3", RECONCILIATION_LABELS[reconciliation]))
            rows = []
            for row in ctx.counts.get(reconciliation, []):
                rows.append([row["site_id"] or "회사 전체 Company"] + [
                    fmt_measure(row[key], "fraction") if key == "hit_rate" else row[key]
                    for key, _ in COUNT_HEADERS[1:]])
            for row in ctx.previous_counts.get(reconciliation, [])[:1]:
                rows.append([f"{ctx.previous_period} 회사 전체 Company (previous)"] + [
                    fmt_measure(row[key], "fraction") if key == "hit_rate" else row[key]
                    for key, _ in COUNT_HEADERS[1:]])
            self.write(table([label for _, label in COUNT_HEADERS], rows))
            if reconciliation == "inventory":
                self.write(self._tolerance())

    def _tolerance(self) -> Markup:
        rows = [[parameter, fmt(value), unit, version, approval(None, by, on)]
                for parameter, value, unit, version, by, on in self.ctx.tolerance]
        return join([
            tag("p", f"Tolerance in force on {fmt(self.ctx.quarter.quarter_end)} "
                     "(reference.kpi_parameters): a line is matched when both sides exist and "
                     "|counted_kg − quantity_kg| ≤ max(abs_tol_kg, rel_tol × quantity_kg), "
                     "exact decimal; rel_tol_accident_precaution replaces rel_tol for "
                     "accident-precaution substances (사고대비물질).", cls="note"),
            table(["parameter", "value", "unit", "version", "approved"], rows),
        ])

    # ------------------------------------------------------------------- one control
    def control_start(self, result: ControlResult, sql: str) -> None:
        control, current = result.control, result.current
        ctx = self.ctx
        self.write(Markup(f'<section class="control" id="{esc(control.id)}">'))
        self.write(tag("h2", join([control.id, " ", control.title_ko, " · ", control.title])))
        self.write(definition_list([
            ("대사 대상 Compared", control.compared),
            ("규칙 Rule", control.rule),
            ("기준 Threshold", join([
                fmt_threshold(control.comparator, current.threshold), " — ",
                current.threshold.source, " (parameter ", control.threshold, "); approved: ",
                approval(current.threshold)])),
            ("관측값 Observed", join([
                "Great Expectations ", fmt_measure(current.observed, current.threshold.unit),
                "; SQL ", fmt_measure(current.sql_observed, current.threshold.unit)])),
            ("두 계산 Two computations", join([
                f"GX {current.gx_unexpected_count} unexpected line(s), SQL "
                f"{current.exceptions_count} exception line(s): ", _agreement_cell(current)])),
            ("결과 Result", join([status_cell(result.status), f" (severity {current.severity})"])),
            ("전분기 Previous quarter", self._previous(result)),
            ("예외 Exceptions", f"{current.exceptions_count} — {control.exceptions_meaning}; "
                                f"CSV: {ctx.files.exception_csv[control.id]}"),
        ]))
        if control.reconciliation == "inventory":
            self.write(self._tolerance())
        self.write(tag("h3", "Great Expectations"))
        self.write(self._expectations(current.expectations))
        if not current.agrees:
            self.write(tag("h3", "불일치 라인 · Lines on which GX and SQL disagree"))
            self.write(table(["line_key", "found by"],
                             [[line, "Great Expectations only"] for line in current.only_gx]
                             + [[line, "SQL only"] for line in current.only_sql]))
        self.write(tag("h3", "예외 선택 SQL · SQL that selects the exceptions"))
        self.write(tag("pre", sql))
        self.write(tag("h3", f"예외 목록 · Exceptions ({current.exceptions_count})"))

    def _previous(self, result: ControlResult) -> Markup:
        previous = result.previous
        if previous is None:
            return esc("no previous quarter in the reporting window")
        unit = previous.threshold.unit
        return join([
            f"{result.previous_period}: ", fmt_measure(previous.observed, unit), " against ",
            fmt_threshold(result.control.comparator, previous.threshold), " ",
            status_cell(previous.status), f"; {previous.exceptions_count} exception(s); change ",
            fmt_change(result.current.observed, previous.observed, unit),
        ])

    @staticmethod
    def _expectations(outcomes: Sequence[ExpectationOutcome]) -> Markup:
        rows = [[o.suite, o.expectation_type, o.column,
                 ", ".join(f"{k}={fmt(v)}" for k, v in o.bounds.items()) or MISSING,
                 (f"{o.unexpected_count} unexpected of {o.element_count}" if o.is_map
                  else fmt(o.observed) or MISSING), o.severity,
                 status_cell(PASS if o.success else FAIL), o.meaning + (
                     f" (error: {o.error})" if o.error else "")]
                for o in outcomes]
        return table(["suite", "expectation", "column", "bounds", "GX result", "severity",
                      "success", "meaning"], rows)

    def exceptions_header(self, columns: Sequence[str]) -> None:
        self.out.write('<div class="wide"><table class="exceptions"><thead>')
        self.write(join([tag("tr", join(tag("th", c) for c in ["#", *columns]))]))
        self.out.write("</thead><tbody>\n")

    def exception_rows(self, first_no: int, rows: Sequence[Sequence[str]]) -> None:
        self.out.write("".join(_row([str(first_no + i), *row]) for i, row in enumerate(rows)))

    def control_end(self, listed: int) -> None:
        self.out.write("</tbody></table></div>\n")
        if not listed:
            self.write(tag("p", "No exception.", cls="note"))
        self.write(Markup("</section>"))

    # ------------------------------------------------------------------ the sample
    def sample_start(self) -> None:
        ctx = self.ctx
        self.write(tag("h2", "감사 표본 · Audit sample for checking against paper"))
        rules = [[rec, stratum, size if size is not None else "all (census)", version,
                  approval(None, by, on)]
                 for rec, stratum, size, version, by, on in ctx.sampling_rules]
        self.write(tag("p", join([
            "Selection rule, the same on every rerun: for the quarter, each reconciliation "
            "and each site, the reconciled lines (matched and exceptions alike) fall in "
            "strata — the facility's risk tier on the line's date (inventory, "
            "self-inspection; a facility never assessed counts as HIGH), every miss on an "
            "accident-precaution substance (inventory), or ALL (training, which has no "
            "facility). Within a stratum the lines are ordered by md5 of the text "
            "'<quarter>|<site_id>|<line_key>' (lowercase hex, ascending; site_id empty when "
            "unknown; line_key breaks a tie) and the first n are drawn; a stratum with fewer "
            "lines is taken whole. The draw is seeded by the quarter and the site: anyone can "
            "redo it with any md5 tool. Field team: check each line against the paper record "
            "named in field_record_id and fill in the blank columns of ",
            ctx.files.sample_csv, "."])))
        self.write(table(["reconciliation", "stratum", "n per site", "rule version",
                          "approved"], rules))
        self.out.write('<div class="wide"><table class="sample"><thead>')
        self.write(tag("tr", join(tag("th", c) for c in SAMPLE_COLUMNS)))
        self.out.write("</thead><tbody>\n")

    def sample_rows(self, rows: Sequence[Sequence[str]]) -> None:
        self.out.write("".join(_row(row) for row in rows))

    def sample_end(self, count: int) -> None:
        self.out.write("</tbody></table></div>\n")
        self.write(tag("p", f"{count} line(s) drawn.", cls="note"))

    # ------------------------------------------------------------ extracts, sign-off
    def _pending_for_sign_off(self) -> None:
        """What the reviewer signs off although its policy is not approved."""
        pending = self.pending
        if pending is None or not pending.any:
            self.write(tag("p", "Every threshold, sampling rule and tolerance in force was "
                                "approved.", cls="note", id="pending-approvals"))
            return
        self.write(tag("p", join([
            tag("strong", "승인 대기 정책 · Pending approval. "), pending.text(),
            " The reviewer signs off these results against the proposed values below."]),
            id="pending-approvals"))
        if pending.controls:
            self.write(table(
                ["ID", "통제 Control", "중요도 Severity", "결과 Result", "기준 Threshold",
                 "출처 Source", "승인 Approved"],
                [[r.control.id, r.control.title, r.current.severity, status_cell(r.status),
                  fmt_threshold(r.control.comparator, r.current.threshold),
                  f"{r.current.threshold.source} ({r.current.threshold.parameter})",
                  approval(r.current.threshold)] for r in pending.controls],
                cls="pending-controls"))
        if pending.sampling_rules:
            self.write(table(
                ["reconciliation", "stratum", "n per site", "rule version", "approved"],
                [[rec, stratum, size if size is not None else "all (census)", version,
                  approval(None, by, on)]
                 for rec, stratum, size, version, by, on in pending.sampling_rules],
                cls="pending-sampling"))
        if pending.tolerance:
            self.write(table(
                ["parameter", "value", "unit", "version", "approved"],
                [[parameter, fmt(value), unit, version, approval(None, by, on)]
                 for parameter, value, unit, version, by, on in pending.tolerance],
                cls="pending-tolerance"))

    def end(self) -> None:
        ctx = self.ctx
        self.write(tag("h2", "추출 파일 · Extract files of this run (SHA-256)"))
        self.write(tag("p", "audit.ingest_manifest of the load the warehouse was built from: "
                            "the SHA-256 of each original file's bytes. Hash the files you "
                            "received (sha256sum) and compare.", cls="note"))
        self.write(table(
            ["file", "sha256", "bytes", "encoding", "records", "load id", "loaded at"],
            [[f.source_file, f.sha256, f.size_bytes, f.encoding, f.records_read, f.load_id,
              f.loaded_at] for f in ctx.extract_files]))
        self.write(tag("h2", "검토 및 서명 · Auditor sign-off"))
        self._pending_for_sign_off()
        self.write(Markup(
            '<table class="signoff"><tbody>'
            "<tr><th>검토자 Reviewer</th><td></td></tr>"
            "<tr><th>일자 Date</th><td></td></tr>"
            "<tr><th>결론 Conclusion</th><td></td></tr>"
            '<tr><th>의견 Comment</th><td class="comment"></td></tr>'
            "</tbody></table>"))
        self.write(tag("footer", f"chemsafe reconcile · run {ctx.run_id} · {ctx.code_version}. "
                                 "This page is the auditor's record of the quarter; Great "
                                 "Expectations' own Data Docs are not used (they load "
                                 "assets from the network and do not escape values)."))
        self.out.write("</body>\n</html>\n")
