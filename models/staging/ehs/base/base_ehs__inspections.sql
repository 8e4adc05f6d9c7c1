{#- inspections.csv (검사·점검): trimmed, de-duplicated, typed; single-file
    rejections assigned (see macros/staging/parse_extract.sql). -#}
{%- set columns = [
    {'name': 'inspection_id', 'type': 'text'},
    {'name': 'facility_id', 'type': 'text'},
    {'name': 'inspection_type', 'type': 'code', 'code_set': 'inspection_type'},
    {'name': 'inspected_on', 'type': 'date'},
    {'name': 'inspector', 'type': 'text', 'required': false},
    {'name': 'result', 'type': 'code', 'code_set': 'inspection_result'}
] -%}

{{ parse_extract('inspections', columns, key=['inspection_id']) }}
