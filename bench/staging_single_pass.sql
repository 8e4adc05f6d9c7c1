-- The staging of inspections.csv and findings.csv, written by hand as one DuckDB script:
-- what a data engineer would write without dbt, to measure the dbt staging against.
-- `chemsafe bench` runs it on the same ingested files ({load_dir}) with the built
-- warehouse attached read-only as `built` (code labels, accepted facilities), and checks
-- that it accepts the same rows and rejects the same lines for the same reasons as the
-- dbt models (base_ -> chk_ -> stg_ of the two files). The rules are the contract's
-- (docs/extract_contract.md): trim, collapse exact duplicates, required -> type -> code ->
-- range in column order, key conflicts, then references and consistency.

create or replace macro ws() as chr(32) || chr(9) || chr(10) || chr(13) || chr(160) || chr(12288);

-- trim only a cell that starts or ends with one of them (trim() with a list of characters
-- is slow; any other cell is already trimmed); empty = NULL
create or replace macro trimmed(v) as nullif(case
    when contains(ws(), v[1]) or contains(ws(), v[-1]) then trim(v, ws())
    else v
end, '');

create or replace macro as_date(v) as case
    when substr(v, 1, 4) = '0000' then null
    when regexp_full_match(v, '[0-9]{4}-[0-9]{2}-[0-9]{2}') then try_cast(v as date)
    when regexp_full_match(v, '[0-9]{4}[.][0-9]{2}[.][0-9]{2}|[0-9]{4}/[0-9]{2}/[0-9]{2}|[0-9]{8}')
    then try_cast(substr(regexp_replace(v, '[-./]', '', 'g'), 1, 4) || '-'
                  || substr(regexp_replace(v, '[-./]', '', 'g'), 5, 2) || '-'
                  || substr(regexp_replace(v, '[-./]', '', 'g'), 7, 2) as date)
end;

create or replace macro outside_window(d) as d < date '1900-01-01' or d > date '2099-12-31';

create or replace macro as_integer(v) as case
    when (regexp_full_match(v, '-?[0-9]+([.][0-9]+)?') or regexp_full_match(v, '-?[1-9][0-9]{0,2}(,[0-9]{3})+([.][0-9]+)?'))
     and regexp_full_match(replace(v, ',', ''), '-?[0-9]{1,18}([.][0-9]{1,10}0*)?')
     and try_cast(replace(v, ',', '') as decimal(38, 10)) = floor(try_cast(replace(v, ',', '') as decimal(38, 10)))
    then try_cast(try_cast(replace(v, ',', '') as decimal(38, 10)) as bigint)
end;

create or replace table labels as
select code_set, label_key, max(code) as code
from built.reference.code_labels
group by code_set, label_key;

-- inspections.csv: one pass
create or replace table inspections_checked as
with raw as (
    select * from read_csv('{load_dir}/raw_inspections.csv', header = true, all_varchar = true,
                           delim = ',', quote = '"', escape = '"')
),
trimmed as (
    select
        cast(_line as bigint) as _line,
        trimmed(inspection_id) as inspection_id,
        trimmed(facility_id) as facility_id,
        trimmed(inspection_type) as inspection_type,
        trimmed(inspected_on) as inspected_on,
        trimmed(inspector) as inspector,
        trimmed(result) as result,
        trimmed(_extras) as _extras,
        trimmed(_masked_digest) as _masked_digest
    from raw
),
collapsed as (
    select min(_line) as _line, inspection_id, facility_id, inspection_type, inspected_on,
           inspector, result, _extras, _masked_digest
    from trimmed
    group by all
),
typed as (
    select
        collapsed.*,
        type_label.code as inspection_type_code,
        as_date(inspected_on) as inspected_date,
        result_label.code as result_code
    from collapsed
    left join labels as type_label
        on type_label.code_set = 'inspection_type' and type_label.label_key = lower(collapsed.inspection_type)
    left join labels as result_label
        on result_label.code_set = 'inspection_result' and result_label.label_key = lower(collapsed.result)
),
parsed as (
    select *, case
        when inspection_id is null or facility_id is null then 'missing_required'
        when inspection_type is null then 'missing_required'
        when inspection_type_code is null then 'unknown_code'
        when inspected_on is null then 'missing_required'
        when inspected_date is null then 'bad_date'
        when outside_window(inspected_date) then 'out_of_range'
        when result is null then 'missing_required'
        when result_code is null then 'unknown_code'
    end as parse_reason
    from typed
),
keyed as (
    select *, case
        when parse_reason is not null then parse_reason
        when count(*) filter (where parse_reason is null) over (partition by inspection_id) > 1 then 'key_conflict'
    end as single_file_reason
    from parsed
)
select
    keyed.*,
    case
        when single_file_reason is not null then single_file_reason
        when facilities.facility_id is null then 'orphan_reference'
    end as reason
from keyed
left join built.staging.stg_ehs__facilities as facilities
    on keyed.facility_id = facilities.facility_id;

-- findings.csv: one pass
create or replace table findings_checked as
with raw as (
    select * from read_csv('{load_dir}/raw_findings.csv', header = true, all_varchar = true,
                           delim = ',', quote = '"', escape = '"')
),
trimmed as (
    select
        cast(_line as bigint) as _line,
        trimmed(finding_id) as finding_id,
        trimmed(inspection_id) as inspection_id,
        trimmed(facility_id) as facility_id,
        trimmed(found_on) as found_on,
        trimmed(category) as category,
        trimmed(severity) as severity,
        trimmed(description) as description,
        trimmed(repeat_of_finding_id) as repeat_of_finding_id,
        trimmed(closed_on) as closed_on,
        trimmed(_extras) as _extras,
        trimmed(_masked_digest) as _masked_digest
    from raw
),
collapsed as (
    select min(_line) as _line, finding_id, inspection_id, facility_id, found_on, category,
           severity, description, repeat_of_finding_id, closed_on, _extras, _masked_digest
    from trimmed
    group by all
),
typed as (
    select
        collapsed.*,
        as_date(found_on) as found_date,
        category_label.code as category_code,
        as_integer(severity) as severity_value,
        as_date(closed_on) as closed_date
    from collapsed
    left join labels as category_label
        on category_label.code_set = 'finding_category' and category_label.label_key = lower(collapsed.category)
),
parsed as (
    select *, case
        when finding_id is null or inspection_id is null or facility_id is null then 'missing_required'
        when found_on is null then 'missing_required'
        when found_date is null then 'bad_date'
        when outside_window(found_date) then 'out_of_range'
        when category is null then 'missing_required'
        when category_code is null then 'unknown_code'
        when severity is null then 'missing_required'
        when severity_value is null then 'bad_integer'
        when severity_value < 1 or severity_value > 5 then 'out_of_range'
        when closed_on is not null and closed_date is null then 'bad_date'
        when closed_on is not null and outside_window(closed_date) then 'out_of_range'
        when closed_on is not null and closed_date < found_date then 'out_of_range'
    end as parse_reason
    from typed
),
keyed as (
    select *, case
        when parse_reason is not null then parse_reason
        when count(*) filter (where parse_reason is null) over (partition by finding_id) > 1 then 'key_conflict'
    end as single_file_reason
    from parsed
),
accepted_inspections as (
    select inspection_id, facility_id from inspections_checked where reason is null
)
select
    keyed.*,
    case
        when single_file_reason is not null then single_file_reason
        when inspections.inspection_id is null then 'orphan_reference'
        when facilities.facility_id is null then 'orphan_reference'
        when inspections.facility_id <> keyed.facility_id then 'inconsistent_reference'
    end as reason
from keyed
left join accepted_inspections as inspections
    on keyed.inspection_id = inspections.inspection_id
left join built.staging.stg_ehs__facilities as facilities
    on keyed.facility_id = facilities.facility_id;
