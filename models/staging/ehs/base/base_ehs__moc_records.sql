{#- moc_records.csv (변경관리): trimmed, de-duplicated, typed; single-file
    rejections assigned (see macros/staging/parse_extract.sql). -#}
{%- set columns = [
    {'name': 'change_id', 'type': 'text'},
    {'name': 'facility_id', 'type': 'text'},
    {'name': 'change_type', 'type': 'code', 'code_set': 'change_type'},
    {'name': 'implemented_on', 'type': 'date'},
    {'name': 'moc_approved_on', 'type': 'date', 'required': false},
    {'name': 'effect_verified_on', 'type': 'date', 'required': false}
] -%}

{{ parse_extract('moc_records', columns, key=['change_id']) }}
