{#- drills.csv (비상대응 훈련): trimmed, de-duplicated, typed; single-file
    rejections assigned (see macros/staging/parse_extract.sql). -#}
{%- set columns = [
    {'name': 'drill_id', 'type': 'text'},
    {'name': 'site_id', 'type': 'text'},
    {'name': 'drill_on', 'type': 'date'},
    {'name': 'scenario', 'type': 'text', 'required': false},
    {'name': 'scenario_risk', 'type': 'code', 'code_set': 'risk_level'},
    {'name': 'participants_planned', 'type': 'integer'},
    {'name': 'participants_actual', 'type': 'integer'},
    {'name': 'evaluation', 'type': 'code', 'code_set': 'drill_evaluation'}
] -%}

{{ parse_extract('drills', columns, key=['drill_id']) }}
