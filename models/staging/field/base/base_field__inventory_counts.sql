{#- inventory_field.csv (현장 실사 재고): trimmed, de-duplicated, typed; single-file
    rejections assigned (see macros/staging/parse_extract.sql). -#}
{%- set columns = [
    {'name': 'reference_date', 'type': 'date'},
    {'name': 'facility_id', 'type': 'text'},
    {'name': 'cas_no', 'type': 'cas'},
    {'name': 'counted_kg', 'type': 'number'},
    {'name': 'counted_on', 'type': 'date'},
    {'name': 'counted_by', 'type': 'text', 'required': false},
    {'name': 'sheet_no', 'type': 'text', 'required': false}
] -%}

{{ parse_extract('inventory_field', columns, key=['reference_date', 'facility_id', 'cas_no']) }}
