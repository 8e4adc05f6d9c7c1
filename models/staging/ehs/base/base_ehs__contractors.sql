{#- contractors.csv (협력사): trimmed, de-duplicated, typed; single-file
    rejections assigned (see macros/staging/parse_extract.sql). -#}
{%- set columns = [
    {'name': 'contractor_id', 'type': 'text'},
    {'name': 'contractor_name', 'type': 'text', 'required': false}
] -%}

{{ parse_extract('contractors', columns, key=['contractor_id']) }}
