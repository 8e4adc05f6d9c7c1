{#- production.csv (생산·자원): trimmed, de-duplicated, typed; single-file
    rejections assigned (see macros/staging/parse_extract.sql). -#}
{%- set columns = [
    {'name': 'site_id', 'type': 'text'},
    {'name': 'month', 'type': 'date', 'first_of_month': true},
    {'name': 'production_t', 'type': 'number'},
    {'name': 'value_added_krw_m', 'type': 'number', 'non_negative': false},
    {'name': 'hazardous_chem_use_kg', 'type': 'number'},
    {'name': 'hazardous_waste_kg', 'type': 'number'}
] -%}

{{ parse_extract('production', columns, key=['site_id', 'month']) }}
