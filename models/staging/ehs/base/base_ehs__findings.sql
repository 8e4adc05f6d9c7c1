{#- findings.csv (지적사항): trimmed, de-duplicated, typed; single-file
    rejections assigned (see macros/staging/parse_extract.sql). -#}
{%- set columns = [
    {'name': 'finding_id', 'type': 'text'},
    {'name': 'inspection_id', 'type': 'text'},
    {'name': 'facility_id', 'type': 'text'},
    {'name': 'found_on', 'type': 'date'},
    {'name': 'category', 'type': 'code', 'code_set': 'finding_category'},
    {'name': 'severity', 'type': 'integer', 'min_value': 1, 'max_value': 5},
    {'name': 'description', 'type': 'text', 'required': false},
    {'name': 'repeat_of_finding_id', 'type': 'text', 'required': false},
    {'name': 'closed_on', 'type': 'date', 'required': false, 'not_before': 'found_on'}
] -%}

{{ parse_extract('findings', columns, key=['finding_id']) }}
