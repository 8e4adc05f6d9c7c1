{#- incidents.csv (사고·아차사고): trimmed, de-duplicated, typed; single-file
    rejections assigned (see macros/staging/parse_extract.sql). -#}
{%- set columns = [
    {'name': 'incident_id', 'type': 'text'},
    {'name': 'site_id', 'type': 'text'},
    {'name': 'facility_id', 'type': 'text', 'required': false},
    {'name': 'occurred_on', 'type': 'date'},
    {'name': 'incident_type', 'type': 'code', 'code_set': 'incident_type'},
    {'name': 'cas_no', 'type': 'cas', 'required': false},
    {'name': 'released_kg', 'type': 'number'},
    {'name': 'impact_scope', 'type': 'code', 'code_set': 'impact_scope'},
    {'name': 'legally_reportable', 'type': 'boolean'},
    {'name': 'injuries', 'type': 'integer'},
    {'name': 'lost_time_injuries', 'type': 'integer'},
    {'name': 'fatalities', 'type': 'integer'},
    {'name': 'community_evacuated', 'type': 'boolean'},
    {'name': 'direct_cost_krw', 'type': 'number'}
] -%}

{{ parse_extract('incidents', columns, key=['incident_id']) }}
