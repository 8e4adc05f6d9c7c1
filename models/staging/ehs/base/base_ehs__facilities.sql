{#- facilities.csv (유해화학물질 취급시설): trimmed, de-duplicated, typed; single-file
    rejections assigned (see macros/staging/parse_extract.sql). -#}
{%- set columns = [
    {'name': 'facility_id', 'type': 'text'},
    {'name': 'site_id', 'type': 'text'},
    {'name': 'facility_name', 'type': 'text', 'required': false},
    {'name': 'facility_type', 'type': 'code', 'code_set': 'facility_type'},
    {'name': 'commissioned_on', 'type': 'date'},
    {'name': 'decommissioned_on', 'type': 'date', 'required': false}
] -%}

{{ parse_extract('facilities', columns, key=['facility_id']) }}
