{#- inventory_system.csv (시스템 재고): trimmed, de-duplicated, typed; single-file
    rejections assigned (see macros/staging/parse_extract.sql). -#}
{%- set columns = [
    {'name': 'reference_date', 'type': 'date'},
    {'name': 'facility_id', 'type': 'text'},
    {'name': 'cas_no', 'type': 'cas'},
    {'name': 'quantity_kg', 'type': 'number'},
    {'name': 'max_instant_kg', 'type': 'number'}
] -%}

{{ parse_extract('inventory_system', columns, key=['reference_date', 'facility_id', 'cas_no']) }}
