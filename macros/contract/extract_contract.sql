{#-
    The raw extract contract: THE one declaration of the input files.

    Every file, column, type, code set, required rule (conditional ones included),
    range, key, reference and consistency rule is written here once, as YAML, and read
    by everything that needs it:
      - dbt: the base_ models parse each file with parse_extract(<file>), the
        reference_checks models check references with check_references(<file>), the
        quarantine and load summary list the files, all through extract_contract();
      - Python: chemsafe.contract reads the YAML between the markers below (ingestion
        matches headers and applies the line and cell limits; the demo generator writes
        files that follow it);
      - the user-facing document docs/extract_contract.md and the dbt sources
        models/staging/_extracts__sources.yml are generated from it by
        `chemsafe contract --write`; a test fails when either differs from the contract.
    Keep this block free of Jinja: it is plain YAML.

    Column keys: name, type (text | date | number | integer | boolean | code | cas),
    required (default true), free_text (may always be NULL), required_when_present
    (NULL allowed only while that other column is NULL), code_set (reference seed
    code_labels), non_negative (default true for number and integer without a range),
    min_value / max_value (the range rule), not_before (a date column this one may not
    precede), first_of_month, references (the file whose key it names), personal (a
    personal identifier: an employee number, or the id of a personal record, which may
    embed one; replaced by its keyed hash by `chemsafe ingest`, so no engine sees it in
    clear, and staged under the name staged_as, default its own name), masked (text that
    may quote an employee number: every match of personal_data.employee_number_pattern
    is replaced by personal_data.mask, at ingest and again in staging; free_text columns
    are always masked), note (documentation). See src/chemsafe/personal.py.
-#}
{#- Parsed once per rendering of a model or test: one staging model asks for the
    contract dozens of times (each column's masking, each number's limits), and parsing the
    YAML each time was most of the time dbt took to parse the project. The memo lives in
    the `modules` dict of the rendering's context, the one mutable object every macro of a
    rendering shares; it dies with the rendering. -#}
{% macro extract_contract() -%}
    {%- if '_chemsafe_extract_contract' not in modules -%}
        {%- do modules.update({'_chemsafe_extract_contract': fromyaml(extract_contract_yaml())}) -%}
    {%- endif -%}
    {{ return(modules['_chemsafe_extract_contract']) }}
{%- endmacro %}

{% macro extract_contract_yaml() -%}
# --- contract yaml begins ---
version: "1.3"
released_on: "2026-12-06"

limits:
  max_record_lines: 20
  max_cell_chars: 32767
  first_date: "1900-01-01"
  last_date: "2099-12-31"
  max_integer_digits: 18
  max_decimal_places: 10

personal_data:
  employee_number_pattern: "E[0-9]{3,8}"
  mask: "[employee no.]"

reason_codes: [malformed_row, missing_required, bad_date, bad_number, bad_integer, bad_boolean, unknown_code, bad_cas, negative_value, out_of_range, key_conflict, orphan_reference, inconsistent_reference]

conventions: |

  Files and headers
  - One CSV per extract, named exactly as below (`sites.csv`, ...), header row first, comma
    separated, `"` quoting. Column order may differ; header names match after trimming spaces
    and ignoring case. Extra columns are kept in raw and ignored downstream.
  - A file whose header lacks a listed column, or names a column twice, fails as a whole with a
    message naming the file and the column; nothing of that load is published.
  - Encoding, detected in this order: a UTF-8 BOM → UTF-8; bytes that decode as UTF-8 → UTF-8;
    otherwise CP949 (the superset of EUC-KR that Korean systems export); a file that decodes as
    neither fails as a whole. Never mis-decode silently.
  - Blank lines (empty or only white space) are skipped; a line of only commas is a record of
    empty cells. A record with more or fewer fields than the header is rejected
    (`malformed_row`). The line reported for a row is the physical line where its record starts,
    the header being line 1.
  - A quoted cell may hold line breaks, but one record may span at most 20 physical lines: a
    longer one (almost always a stray quote that swallows the lines after it) fails the file as a
    whole, with a message naming the file and the line where that record starts; nothing of that
    load is published. A cell longer than 32,767 characters makes its record `malformed_row`; the
    rest of the file loads.
  - (This project's reading of `"` quoting, RFC 4180.) A quote opens a cell only at its start; a
    `"` inside an unquoted cell is kept as text. A quoted cell whose closing quote is followed by
    more text (`"Acme" Ltd`) makes its record `malformed_row`, the record's physical lines shown
    as they stand; a quote still open at the end of the file fails the file as a whole, naming
    the line where its record starts, as a record over 20 lines does.
  - A file counts only when its name is exactly the contract's (case included) and it is a
    regular file inside the folder: a link that points outside the folder fails the load.

  Values (every cell is trimmed first; empty after trimming = NULL)
  - Dates: zero-padded `YYYY-MM-DD`, `YYYY.MM.DD`, `YYYY/MM/DD` or `YYYYMMDD`, and a real
    calendar date; anything else is `bad_date`. A date before 1900-01-01 or after 2099-12-31 is
    `out_of_range` (checked in the range step; `0001-01-01` and `9999-12-31` are placeholders,
    not dates).
  - Numbers: `-?digits[.digits]`, or with comma thousands grouping in groups of exactly three
    (`"1,234.5"`); no exponent, no other grouping; else `bad_number`. (This project: a grouped
    number's first group does not start with 0, so `"0,123"`, a decimal comma, is `bad_number`.) Integer columns also take a
    number whose fraction is zero (`3.0`); `3.5` is `bad_integer`. Values are stored exactly,
    never rounded: a number with more than 18 digits before the decimal point, or a non-zero
    digit after the 10th decimal place, is `bad_number` (`bad_integer` in an integer column);
    zeros there lose nothing (`2.5000000000000` is 2.5).
  - Booleans: `Y`/`N`, `1`/`0`, `TRUE`/`FALSE`, `예`/`아니오`, any case; else `bad_boolean`.
  - Codes (marked *code*): the English code or one of the Korean labels listed, matched exactly
    after trimming and ignoring case; else `unknown_code`.
  - Keys and ids are compared after trimming, case-sensitively; a key part that is a date is
    compared as the parsed date. "The greater id" means the greater by plain text comparison.
  - Quantities, counts, hours, amounts and costs may not be negative (`negative_value`);
    `value_added_krw_m` may. Ranges: severity 1..5, score 0..100, concentration_pct 0..100,
    release_category 1..7 (else `out_of_range`). `closed_on` before `found_on` is
    `out_of_range`. A CAS number must have the form `NNNNNNN-NN-N` (2 to 7 digits first) with a
    valid check digit and no leading zero, else `bad_cas`.
  - An integer column that does not hold an integer (text included) is `bad_integer`; other
    number columns use `bad_number`. Columns with a range (severity, score, concentration_pct,
    release_category) take the range rule, not the negative rule: a negative value there is
    `out_of_range`. A file whose header names any column twice fails as a whole.

  Required values
  - Every column is required (NULL is `missing_required`) unless its notes say "may be NULL".
    Free-text columns (names, descriptions, inspector, owner, scenario, approved_by, counted_by,
    legal_basis, mixture_name, region, ksic_code) may always be NULL.
  - In a KPI rule, a NULL boolean counts as false.

  References
  - A column named like another file's key refers to it (facility_id → facilities, site_id →
    sites, cas_no → substances, inspection_id → inspections, contractor_id → contractors);
    corrective_actions.source_id refers to the file its source_type names (FINDING → findings,
    DRILL → drills, INCIDENT → incidents, MOC → moc_records). A reference must resolve to an
    *accepted* row of that file, else `orphan_reference` (so a rejected parent takes its children
    with it). `repeat_of_finding_id` is the one reference that need not resolve: the earlier
    finding may predate the extract.
  - Consistency: a finding's facility_id must equal its inspection's facility_id; an incident's
    facility, when given, must belong to the incident's site_id; else `inconsistent_reference`.

  Rejection and duplicates, in this order
  1. Exact duplicate rows (every trimmed cell equal, extra columns included) collapse to one and
     are counted.
  2. Each remaining row is parsed, column by column in the order this contract lists them, each
     column through: required → type → code or CAS form → negative → range; the first failure
     is the row's reason.
  3. Among rows that parsed, rows that share a key but differ in any trimmed raw cell (even only
     in how a value is written, `HIGH` vs `고`) are all rejected (`key_conflict`).
  4. References and consistency are checked against the accepted rows of the referenced files.

  A rejected row never reaches a fact or a KPI, and is never silently dropped either: it is kept
  with its file, line, key (when it has one) and reason code where an operator and an auditor can
  see it, and it does not stop the other rows from loading. The reason codes are listed, with
  their meaning, under "Reason codes" below.

  Personal data (employee numbers)
  - Columns marked *personal* are replaced by a keyed hash (HMAC-SHA256 of the trimmed value
    under the secret `CHEMSAFE_PSEUDONYM_KEY`, in hex) when the file is ingested, before any
    engine reads it: `employee_no` (staged as `employee_key`) and the training record id
    `record_id` of training_records.csv, hashed whole because LMS record ids embed the employee
    number (`TR-E10002-03`). No engine (DuckDB, Spark) sees them in clear or needs the key, and
    `employee_key` is the same bytes whatever engine builds it. Every rule applies to the hash
    as it applied to the clear value (required, key, duplicates): hashing keeps equal values
    equal and different values different. The load folder records the key's fingerprint; a
    build under another key stops (`--rekey` ingests the files again under the new key).
  - Free-text columns and columns marked *masked* (the sign-in `sheet_no`) are kept in clear,
    except that anything matching the employee-number format `E` + 3 to 8 digits (any case,
    anywhere in the text) is replaced by `[employee no.]` at ingest; so are such matches in
    typed columns (a date, number, code, boolean or CAS value that quotes an employee number is
    rejected anyway, and shown masked), in extra columns and in a malformed record's raw text
    (withheld whole in training_records.csv and training_signin.csv). Two records that differ
    only in a masked employee number stay two records for the duplicate rule (ingest keeps a
    keyed digest of the masked cells). An employee number written in another format in free
    text is not recognised: free text must not carry personal identifiers. In a masked column
    of a file's key (the sign-in `sheet_no`, the auditor's way to the paper) each employee
    number is replaced by a keyed pseudonym instead, `[employee no. ` + 16 letters `]`, the
    same for the same number: keys are compared as delivered, so two sheet numbers that differ
    only in the employee number they quote stay two keys (two records, no `key_conflict`).
  - Ids of other records (findings, inspections, checklists, ...) are not masked: they reach
    the engine as delivered (only a rejected value the quarantine shows is masked).

  Risk level codes (*code*, used by several files): `LOW` (저, 하, 낮음, 저위험), `MEDIUM` (중,
  보통, 중위험), `HIGH` (고, 상, 높음, 고위험).

changes: |
  - 1.3 (2026-12-07): an employee number in a masked key column (the sign-in `sheet_no`) is
    replaced by a keyed pseudonym, not the plain mask, so sheet numbers that differ only in it
    stay distinct keys, as in 1.1 (under 1.2 they were one key, `key_conflict`).
  - 1.2 (2026-12-06): personal data never leaves staging: the training record id is personal
    (keyed hash, same key as the employee number); free text, the sign-in sheet number and the
    raw values the quarantine shows have every employee number (`E` + 3 to 8 digits) masked.
  - 1.1 (2026-12-05): the date window (1900-01-01 .. 2099-12-31, else `out_of_range`); numbers
    stored exactly (more than 18 integer digits or a non-zero digit past the 10th decimal is
    `bad_number` / `bad_integer`); a record spans at most 20 physical lines and a cell holds at
    most 32,767 characters; exact file names, no links out of the folder; protection-layer test
    flags required once a check is performed.

files:
  - file: sites
    title: "사업장"
    system: ehs
    entity: sites
    key: [site_id]
    columns:
      - {name: site_id, type: text, note: "key, e.g. `S01`"}
      - {name: site_name, type: text, free_text: true, note: "Korean name"}
      - {name: region, type: text, free_text: true, note: "e.g. 울산, 여수, 대산"}
      - {name: ksic_code, type: text, free_text: true, note: "Korean Standard Industrial Classification code"}
  - file: facilities
    title: "유해화학물질 취급시설"
    system: ehs
    entity: facilities
    key: [facility_id]
    columns:
      - {name: facility_id, type: text, note: "key, e.g. `F0001`"}
      - {name: site_id, type: text, references: sites, note: "→ sites"}
      - {name: facility_name, type: text, free_text: true}
      - {name: facility_type, type: code, code_set: facility_type, note: "`STORAGE` (저장), `PROCESS` (제조·사용), `LOADING` (운반·하역), `PIPING` (배관), `WASTE` (폐기)"}
      - {name: commissioned_on, type: date}
      - {name: decommissioned_on, type: date, required: false, note: "may be NULL: active"}
  - file: risk_assessments
    title: "위험성평가 (three-axis facility rating)"
    system: ehs
    entity: risk_assessments
    key: [assessment_id]
    columns:
      - {name: assessment_id, type: text, note: "key"}
      - {name: facility_id, type: text, references: facilities, note: "→ facilities"}
      - {name: assessed_on, type: date}
      - {name: substance_hazard, type: code, code_set: risk_level, note: "axis 1: hazard of the substances handled"}
      - {name: exposure_potential, type: code, code_set: risk_level, note: "axis 2: likelihood and reach of exposure"}
      - {name: protection_weakness, type: code, code_set: risk_level, note: "axis 3: weakness of the protection layers (`HIGH` = weak)"}
      - {name: next_due_on, type: date, note: "when this assessment must be renewed"}
      - {name: approved_by, type: text, free_text: true}
  - file: substances
    title: "물질 정보"
    system: ehs
    entity: substances
    key: [cas_no]
    columns:
      - {name: cas_no, type: cas, note: "key, CAS Registry Number `NNNNNNN-NN-N` (check digit valid)"}
      - {name: name_ko, type: text, free_text: true}
      - {name: name_en, type: text, free_text: true}
      - {name: acute_toxic, type: boolean, note: "인체급성유해성물질"}
      - {name: chronic_toxic, type: boolean, note: "인체만성유해성물질"}
      - {name: eco_toxic, type: boolean, note: "생태유해성물질"}
      - {name: accident_precaution, type: boolean, note: "사고대비물질"}
      - {name: small_quantity_threshold_kg, type: number, note: "소량기준"}
      - {name: esg_concern, type: boolean, note: "우려화학물질 (substance of concern)"}
      - {name: release_category, type: integer, required: false, min_value: 1, max_value: 7, note: "may be NULL; API RP 754 threshold release category 1..7"}
  - file: inventory_system
    title: "시스템 재고 (ERP/EHS system)"
    system: erp
    entity: inventory_balances
    key: [reference_date, facility_id, cas_no]
    notes: "Key: (reference_date, facility_id, cas_no)."
    columns:
      - {name: reference_date, type: date, note: "the quarter end the line reports on"}
      - {name: facility_id, type: text, references: facilities}
      - {name: cas_no, type: cas, references: substances}
      - {name: quantity_kg, type: number}
      - {name: max_instant_kg, type: number, note: "순간최대체류량 as calculated by the system"}
  - file: inventory_field
    title: "현장 실사 재고 (physical count sheets)"
    system: field
    entity: inventory_counts
    key: [reference_date, facility_id, cas_no]
    notes: "Key: (reference_date, facility_id, cas_no). A count is matched to the system by reference_date alone; counted_on (often a few days after the quarter end) does not move it."
    columns:
      - {name: reference_date, type: date, note: "the quarter end the count reconciles to"}
      - {name: facility_id, type: text, references: facilities}
      - {name: cas_no, type: cas, references: substances}
      - {name: counted_kg, type: number}
      - {name: counted_on, type: date}
      - {name: counted_by, type: text, free_text: true}
      - {name: sheet_no, type: text, required: false, note: "may be NULL; paper sheet reference"}
  - file: inspections
    title: "검사·점검 (system)"
    system: ehs
    entity: inspections
    key: [inspection_id]
    columns:
      - {name: inspection_id, type: text, note: "key"}
      - {name: facility_id, type: text, references: facilities}
      - {name: inspection_type, type: code, code_set: inspection_type, note: "`REGULAR_INSPECTION` (정기검사), `SAFETY_DIAGNOSIS` (안전진단), `SELF_INSPECTION` (자체점검)"}
      - {name: inspected_on, type: date}
      - {name: inspector, type: text, free_text: true, note: "agency or person"}
      - {name: result, type: code, code_set: inspection_result, note: "`PASS` (적합), `FAIL` (부적합)"}
  - file: self_inspection_field
    title: "자체점검표 대장 (paper checklist register)"
    system: field
    entity: self_inspection_checklists
    key: [checklist_no]
    notes: "Reconciles with the `SELF_INSPECTION` rows of inspections.csv on (facility_id, inspected_on)."
    columns:
      - {name: checklist_no, type: text, note: "key"}
      - {name: facility_id, type: text, references: facilities}
      - {name: inspected_on, type: date}
      - {name: inspector, type: text, free_text: true}
  - file: findings
    title: "지적사항"
    system: ehs
    entity: findings
    key: [finding_id]
    consistency:
      - column: facility_id
        reference: inspection_id
        parent_column: facility_id
        own_column: facility_id
        meaning: "a finding's facility must be its inspection's facility"
    columns:
      - {name: finding_id, type: text, note: "key"}
      - {name: inspection_id, type: text, references: inspections, note: "→ inspections"}
      - {name: facility_id, type: text, references: facilities}
      - {name: found_on, type: date}
      - {name: category, type: code, code_set: finding_category, note: "`PROTECTION_LAYER` (방호계층), `CONTAINMENT` (누출방지), `LABELING` (표시), `DOCUMENTATION` (서류), `STORAGE` (보관), `PPE` (보호구), `OTHER` (기타)"}
      - {name: severity, type: integer, min_value: 1, max_value: 5, note: "1 (minor) .. 5 (critical)"}
      - {name: description, type: text, free_text: true, note: "Korean free text"}
      - {name: repeat_of_finding_id, type: text, required: false, note: "may be NULL; earlier finding this one repeats, when the inspector linked it"}
      - {name: closed_on, type: date, required: false, not_before: found_on, note: "may be NULL: still open"}
  - file: corrective_actions
    title: "개선조치"
    system: ehs
    entity: corrective_actions
    key: [action_id]
    references_by_type:
      column: source_id
      type_column: source_type
      files:
        FINDING: findings
        DRILL: drills
        INCIDENT: incidents
        MOC: moc_records
    columns:
      - {name: action_id, type: text, note: "key"}
      - {name: source_type, type: code, code_set: corrective_action_source, note: "`FINDING`, `DRILL`, `INCIDENT`, `MOC`"}
      - {name: source_id, type: text, note: "id in the source file"}
      - {name: due_on, type: date}
      - {name: completed_on, type: date, required: false, note: "may be NULL"}
      - {name: verified_on, type: date, required: false, note: "may be NULL"}
      - {name: owner, type: text, free_text: true}
  - file: protection_layer_checks
    title: "방호계층 점검"
    system: ehs
    entity: protection_layer_checks
    key: [check_id]
    columns:
      - {name: check_id, type: text, note: "key"}
      - {name: facility_id, type: text, references: facilities}
      - {name: layer, type: code, code_set: protection_layer, note: "`SHUTOFF_VALVE` (긴급차단밸브), `GAS_DETECTOR` (가스누출감지기), `DIKE` (방류벽), `SCRUBBER` (스크러버), `INTERLOCK` (인터록), `ALARM` (경보설비)"}
      - {name: scheduled_on, type: date}
      - {name: performed_on, type: date, required: false, note: "may be NULL: not performed"}
      - {name: function_tested, type: boolean, required: false, required_when_present: performed_on, note: "may be NULL only when performed_on is NULL (a performed check without it is `missing_required`); a functional test, not only a visual check"}
      - {name: defect_found, type: boolean, required: false, required_when_present: performed_on, note: "may be NULL only when performed_on is NULL (else `missing_required`)"}
  - file: moc_records
    title: "변경관리"
    system: ehs
    entity: moc_records
    key: [change_id]
    columns:
      - {name: change_id, type: text, note: "key"}
      - {name: facility_id, type: text, references: facilities}
      - {name: change_type, type: code, code_set: change_type, note: "`EQUIPMENT` (설비), `SUBSTANCE` (물질), `OPERATING_CONDITION` (운전조건), `PROCEDURE` (절차)"}
      - {name: implemented_on, type: date}
      - {name: moc_approved_on, type: date, required: false, note: "may be NULL: the change went in without MOC approval"}
      - {name: effect_verified_on, type: date, required: false, note: "may be NULL; post-change effectiveness check"}
  - file: training_records
    title: "교육 이수 (LMS, system)"
    system: lms
    entity: training_records
    key: [record_id]
    columns:
      - {name: record_id, type: text, personal: true, note: "key; may embed the employee number (`TR-E10002-03`), so it is hashed whole"}
      - {name: employee_no, type: text, personal: true, staged_as: employee_key, note: "personal identifier: must not reach any mart in clear"}
      - {name: site_id, type: text, references: sites}
      - {name: high_risk_group, type: boolean, note: "works on high-risk facilities"}
      - {name: course_code, type: text}
      - {name: due_on, type: date}
      - {name: completed_on, type: date, required: false, note: "may be NULL: not completed"}
      - {name: score, type: number, required: false, min_value: 0, max_value: 100, note: "may be NULL; 0-100"}
      - {name: passed, type: boolean, required: false, note: "may be NULL: not completed"}
  - file: training_signin
    title: "교육 서명부 (field sign-in sheets)"
    system: field
    entity: training_signins
    key: [sheet_no, employee_no, course_code]
    notes: "Key: (sheet_no, employee_no, course_code). Reconciles with training_records.csv on (employee_no, course_code, completed_on = session_on)."
    columns:
      - {name: sheet_no, type: text, masked: true, note: "the session's paper sheet, kept in clear so an auditor can find it"}
      - {name: employee_no, type: text, personal: true, staged_as: employee_key, note: "personal identifier: must not reach any mart in clear"}
      - {name: course_code, type: text}
      - {name: session_on, type: date}
  - file: drills
    title: "비상대응 훈련"
    system: ehs
    entity: drills
    key: [drill_id]
    columns:
      - {name: drill_id, type: text, note: "key"}
      - {name: site_id, type: text, references: sites}
      - {name: drill_on, type: date}
      - {name: scenario, type: text, free_text: true, note: "Korean free text"}
      - {name: scenario_risk, type: code, code_set: risk_level, note: "risk level of the scenario drilled"}
      - {name: participants_planned, type: integer}
      - {name: participants_actual, type: integer}
      - {name: evaluation, type: code, code_set: drill_evaluation, note: "`ADEQUATE` (적합), `INADEQUATE` (부적합)"}
  - file: incidents
    title: "사고·아차사고"
    system: ehs
    entity: incidents
    key: [incident_id]
    consistency:
      - column: facility_id
        reference: facility_id
        parent_column: site_id
        own_column: site_id
        meaning: "an incident's facility must belong to the incident's site"
    columns:
      - {name: incident_id, type: text, note: "key"}
      - {name: site_id, type: text, references: sites}
      - {name: facility_id, type: text, required: false, references: facilities, note: "may be NULL (site-level event)"}
      - {name: occurred_on, type: date}
      - {name: incident_type, type: code, code_set: incident_type, note: "`LEAK` (누출), `SPILL` (유출), `FIRE` (화재), `EXPLOSION` (폭발), `EXPOSURE` (노출), `NEAR_MISS` (아차사고)"}
      - {name: cas_no, type: cas, required: false, references: substances, note: "may be NULL"}
      - {name: released_kg, type: number, note: "0 when nothing escaped"}
      - {name: impact_scope, type: code, code_set: impact_scope, note: "`NONE`, `ON_SITE` (사업장 내), `OFF_SITE` (사업장 외), `ENVIRONMENT` (환경)"}
      - {name: legally_reportable, type: boolean, note: "화학사고 즉시신고 대상"}
      - {name: injuries, type: integer}
      - {name: lost_time_injuries, type: integer}
      - {name: fatalities, type: integer}
      - {name: community_evacuated, type: boolean}
      - {name: direct_cost_krw, type: number}
  - file: admin_actions
    title: "행정처분"
    system: ehs
    entity: admin_actions
    key: [action_id]
    columns:
      - {name: action_id, type: text, note: "key"}
      - {name: site_id, type: text, references: sites}
      - {name: issued_on, type: date}
      - {name: action_type, type: code, code_set: admin_action_type, note: "`CORRECTIVE_ORDER` (시정명령), `IMPROVEMENT_ORDER` (개선명령), `FINE` (과태료), `SUSPENSION` (영업정지), `PROSECUTION` (고발)"}
      - {name: legal_basis, type: text, free_text: true, note: "article cited"}
      - {name: amount_krw, type: number, required: false, note: "may be NULL; fines only"}
  - file: contractors
    title: "협력사"
    system: ehs
    entity: contractors
    key: [contractor_id]
    columns:
      - {name: contractor_id, type: text, note: "key"}
      - {name: contractor_name, type: text, free_text: true}
  - file: contractor_engagements
    title: "협력사 작업 투입"
    system: ehs
    entity: contractor_engagements
    key: [engagement_id]
    columns:
      - {name: engagement_id, type: text, note: "key"}
      - {name: contractor_id, type: text, references: contractors}
      - {name: facility_id, type: text, references: facilities}
      - {name: start_on, type: date}
      - {name: end_on, type: date, required: false, note: "may be NULL: open-ended"}
  - file: contractor_assessments
    title: "협력사 화학안전 평가"
    system: ehs
    entity: contractor_assessments
    key: [assessment_id]
    columns:
      - {name: assessment_id, type: text, note: "key"}
      - {name: contractor_id, type: text, references: contractors}
      - {name: assessment_type, type: code, code_set: contractor_assessment_type, note: "`PRE` (사전평가), `ONSITE` (현장점검), `RE` (재평가)"}
      - {name: assessed_on, type: date}
      - {name: passed, type: boolean}
      - {name: valid_until, type: date}
  - file: small_quantity_calcs
    title: "소량기준·혼합물 산정"
    system: ehs
    entity: small_quantity_calcs
    key: [calc_id]
    columns:
      - {name: calc_id, type: text, note: "key"}
      - {name: facility_id, type: text, references: facilities}
      - {name: cas_no, type: cas, references: substances, note: "regulated component of the mixture"}
      - {name: mixture_name, type: text, free_text: true}
      - {name: concentration_pct, type: number, min_value: 0, max_value: 100}
      - {name: max_instant_kg, type: number, note: "순간최대체류량 of the regulated component"}
      - {name: calculated_on, type: date}
      - {name: basis_doc_id, type: text, required: false, note: "may be NULL: no basis document on file"}
      - {name: reviewed_on, type: date, required: false, note: "may be NULL: never reviewed"}
      - {name: review_conforming, type: boolean, required: false, note: "may be NULL; internal review outcome"}
  - file: hours_worked
    title: "근로시간"
    system: erp
    entity: hours_worked
    key: [site_id, month]
    notes: "Key: (site_id, month)."
    columns:
      - {name: site_id, type: text, references: sites}
      - {name: month, type: date, first_of_month: true, note: "first day of a month (another day is `out_of_range`)"}
      - {name: employee_hours, type: number}
      - {name: contractor_hours, type: number}
  - file: production
    title: "생산·자원, eco-efficiency"
    system: erp
    entity: production_months
    key: [site_id, month]
    notes: "Key: (site_id, month)."
    columns:
      - {name: site_id, type: text, references: sites}
      - {name: month, type: date, first_of_month: true, note: "first day of a month (another day is `out_of_range`)"}
      - {name: production_t, type: number, note: "output, tonnes"}
      - {name: value_added_krw_m, type: number, non_negative: false, note: "value added, million KRW"}
      - {name: hazardous_chem_use_kg, type: number}
      - {name: hazardous_waste_kg, type: number}
# --- contract yaml ends ---
{%- endmacro %}

{#- One file of the contract, by its stem (findings for findings.csv). -#}
{% macro contract_file(file_name) -%}
    {%- for extract in extract_contract().files if extract.file == file_name -%}
        {{ return(extract) }}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("the extract contract has no file '" ~ file_name ~ "'") }}
{%- endmacro %}

{#- The columns of a contract file as parse_extract() takes them: every default made
    explicit (free text and conditionally required columns are not required; a boolean's
    code set is 'boolean'; a personal identifier is pseudonymised under its staged name;
    free text and masked columns have employee numbers masked). -#}
{% macro contract_columns(extract) -%}
    {%- set columns = [] -%}
    {%- for column in extract.columns -%}
        {%- set conditional = column.get('required_when_present') -%}
        {%- do columns.append({
            'name': column.name,
            'type': column.type,
            'required': column.get('required', true) and not column.get('free_text', false) and conditional is none,
            'required_when_present': conditional,
            'code_set': 'boolean' if column.type == 'boolean' else column.get('code_set'),
            'non_negative': column.get('non_negative', true),
            'min_value': column.get('min_value'),
            'max_value': column.get('max_value'),
            'not_before': column.get('not_before'),
            'first_of_month': column.get('first_of_month', false),
            'pseudonymise': column.get('personal', false),
            'mask': column.get('masked', false) or column.get('free_text', false),
            'as': column.get('staged_as') or column.name
        }) -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}

{#- The reference checks of a contract file as check_references() applies them: plain
    references (a column naming another file's key), references by type (a column whose
    file another column names) and consistency rules. -#}
{% macro contract_references(extract) -%}
    {%- set by_file = {} -%}
    {%- for other in extract_contract().files -%}{%- do by_file.update({other.file: other}) -%}{%- endfor -%}
    {%- set references = [] -%}
    {%- for column in extract.columns if column.get('references') -%}
        {%- set parent = by_file[column.references] -%}
        {%- do references.append({'column': column.name, 'parent': 'stg_' ~ parent.system ~ '__' ~ parent.entity,
                                  'parent_key': parent.key[0]}) -%}
    {%- endfor -%}
    {%- set typed = extract.get('references_by_type') -%}
    {%- if typed -%}
        {%- for code, file in typed.files.items() -%}
            {%- set parent = by_file[file] -%}
            {%- do references.append({'column': typed.column, 'parent': 'stg_' ~ parent.system ~ '__' ~ parent.entity,
                                      'parent_key': parent.key[0], 'when': typed.type_column ~ " = '" ~ code ~ "'"}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(references) }}
{%- endmacro %}

{#- The files of the contract in contract order, with the reference-check model of each;
    `personal`: the file holds personal identifiers (employee numbers), so a malformed
    record's raw text is withheld downstream. The quarantine and the load summary read
    every file from this list. -#}
{% macro extract_files() -%}
    {%- set files = [] -%}
    {%- for extract in extract_contract().files -%}
        {%- set personal = [] -%}
        {%- for column in extract.columns if column.get('personal', false) -%}{%- do personal.append(column.name) -%}{%- endfor -%}
        {%- do files.append({'file': extract.file, 'check_model': 'chk_' ~ extract.system ~ '__' ~ extract.entity,
                             'personal': personal | length > 0}) -%}
    {%- endfor -%}
    {{ return(files) }}
{%- endmacro %}

{#- The contract's personal-data settings: employee_number_pattern (RE2, matched
    anywhere in a text, any case) and mask (what replaces a match). -#}
{% macro personal_data() -%}
    {{ return(extract_contract().personal_data) }}
{%- endmacro %}

{#- The contract's rejection reason codes, in the order rules are applied. -#}
{% macro contract_reason_codes() -%}
    {{ return(extract_contract().reason_codes) }}
{%- endmacro %}

{#- The contract's date window: a date before `first` or after `last` is out_of_range
    (checked in the range step; 0001-01-01 and 9999-12-31 are placeholders, not dates). -#}
{% macro date_window() -%}
    {%- set limits = extract_contract().limits -%}
    {{ return({'first': limits.first_date, 'last': limits.last_date}) }}
{%- endmacro %}

{#- Numbers are stored exactly, never rounded: at most max_integer_digits digits before
    the decimal point and no non-zero digit after the max_decimal_places-th decimal place
    (zeros there lose nothing). The fraction limit is the scale of type_quantity(). Applied
    to a number_pattern() match with the grouping commas removed. -#}
{% macro exact_number_pattern() -%}
    {%- set limits = extract_contract().limits -%}
    {{- '^-?[0-9]{1,' ~ limits.max_integer_digits ~ '}([.][0-9]{1,' ~ limits.max_decimal_places ~ '}0*)?$' -}}
{%- endmacro %}
