{#- admin_actions.csv (행정처분): trimmed, de-duplicated, typed; single-file
    rejections assigned (see macros/staging/parse_extract.sql). -#}
{%- set columns = [
    {'name': 'action_id', 'type': 'text'},
    {'name': 'site_id', 'type': 'text'},
    {'name': 'issued_on', 'type': 'date'},
    {'name': 'action_type', 'type': 'code', 'code_set': 'admin_action_type'},
    {'name': 'legal_basis', 'type': 'text', 'required': false},
    {'name': 'amount_krw', 'type': 'number', 'required': false}
] -%}

{{ parse_extract('admin_actions', columns, key=['action_id']) }}
