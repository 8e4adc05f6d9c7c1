{#- small_quantity_calcs.csv (소량기준·혼합물 산정): trimmed, de-duplicated, typed; single-file
    rejections assigned (see macros/staging/parse_extract.sql). -#}
{%- set columns = [
    {'name': 'calc_id', 'type': 'text'},
    {'name': 'facility_id', 'type': 'text'},
    {'name': 'cas_no', 'type': 'cas'},
    {'name': 'mixture_name', 'type': 'text', 'required': false},
    {'name': 'concentration_pct', 'type': 'number', 'min_value': 0, 'max_value': 100},
    {'name': 'max_instant_kg', 'type': 'number'},
    {'name': 'calculated_on', 'type': 'date'},
    {'name': 'basis_doc_id', 'type': 'text', 'required': false},
    {'name': 'reviewed_on', 'type': 'date', 'required': false},
    {'name': 'review_conforming', 'type': 'boolean', 'required': false}
] -%}

{{ parse_extract('small_quantity_calcs', columns, key=['calc_id']) }}
