{#- corrective_actions.csv (개선조치): trimmed, de-duplicated, typed; single-file
    rejections assigned (see macros/staging/parse_extract.sql). -#}
{%- set columns = [
    {'name': 'action_id', 'type': 'text'},
    {'name': 'source_type', 'type': 'code', 'code_set': 'corrective_action_source'},
    {'name': 'source_id', 'type': 'text'},
    {'name': 'due_on', 'type': 'date'},
    {'name': 'completed_on', 'type': 'date', 'required': false},
    {'name': 'verified_on', 'type': 'date', 'required': false},
    {'name': 'owner', 'type': 'text', 'required': false}
] -%}

{{ parse_extract('corrective_actions', columns, key=['action_id']) }}
