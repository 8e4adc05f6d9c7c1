{#- training_records.csv (교육 이수): trimmed, de-duplicated, typed; single-file
    rejections assigned (see macros/staging/parse_extract.sql). A table, not a view: the
    employee number is hashed here by a function only dbt's connection has, so the stored
    result must not need it. -#}
{{ config(materialized='table') }}
{%- set columns = [
    {'name': 'record_id', 'type': 'text'},
    {'name': 'employee_no', 'type': 'text', 'pseudonymise': true, 'as': 'employee_key'},
    {'name': 'site_id', 'type': 'text'},
    {'name': 'high_risk_group', 'type': 'boolean'},
    {'name': 'course_code', 'type': 'text'},
    {'name': 'due_on', 'type': 'date'},
    {'name': 'completed_on', 'type': 'date', 'required': false},
    {'name': 'score', 'type': 'number', 'required': false, 'min_value': 0, 'max_value': 100},
    {'name': 'passed', 'type': 'boolean', 'required': false}
] -%}

{{ parse_extract('training_records', columns, key=['record_id']) }}
