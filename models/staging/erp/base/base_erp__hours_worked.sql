{#- hours_worked.csv (근로시간): trimmed, de-duplicated, typed; single-file
    rejections assigned (see macros/staging/parse_extract.sql). -#}
{%- set columns = [
    {'name': 'site_id', 'type': 'text'},
    {'name': 'month', 'type': 'date', 'first_of_month': true},
    {'name': 'employee_hours', 'type': 'number'},
    {'name': 'contractor_hours', 'type': 'number'}
] -%}

{{ parse_extract('hours_worked', columns, key=['site_id', 'month']) }}
