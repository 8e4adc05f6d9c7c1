{#- training_signin.csv (교육 서명부): trimmed, de-duplicated, typed; single-file
    rejections assigned (see macros/staging/parse_extract.sql). A table, not a view: the
    employee number is hashed here by a function only dbt's connection has, so the stored
    result must not need it. -#}
{{ config(materialized='table') }}
{%- set columns = [
    {'name': 'sheet_no', 'type': 'text'},
    {'name': 'employee_no', 'type': 'text', 'pseudonymise': true, 'as': 'employee_key'},
    {'name': 'course_code', 'type': 'text'},
    {'name': 'session_on', 'type': 'date'}
] -%}

{{ parse_extract('training_signin', columns, key=['sheet_no', 'employee_no', 'course_code']) }}
