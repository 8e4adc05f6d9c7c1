{#- self_inspection_field.csv (자체점검표 대장): trimmed, de-duplicated, typed; single-file
    rejections assigned (see macros/staging/parse_extract.sql). -#}
{%- set columns = [
    {'name': 'checklist_no', 'type': 'text'},
    {'name': 'facility_id', 'type': 'text'},
    {'name': 'inspected_on', 'type': 'date'},
    {'name': 'inspector', 'type': 'text', 'required': false}
] -%}

{{ parse_extract('self_inspection_field', columns, key=['checklist_no']) }}
