{#- protection_layer_checks.csv (방호계층 점검): trimmed, de-duplicated, typed; single-file
    rejections assigned (see macros/staging/parse_extract.sql). -#}
{%- set columns = [
    {'name': 'check_id', 'type': 'text'},
    {'name': 'facility_id', 'type': 'text'},
    {'name': 'layer', 'type': 'code', 'code_set': 'protection_layer'},
    {'name': 'scheduled_on', 'type': 'date'},
    {'name': 'performed_on', 'type': 'date', 'required': false},
    {'name': 'function_tested', 'type': 'boolean', 'required': false, 'required_when_present': 'performed_on'},
    {'name': 'defect_found', 'type': 'boolean', 'required': false, 'required_when_present': 'performed_on'}
] -%}

{{ parse_extract('protection_layer_checks', columns, key=['check_id']) }}
