{#- contractor_engagements.csv (협력사 작업 투입): trimmed, de-duplicated, typed; single-file
    rejections assigned (see macros/staging/parse_extract.sql). -#}
{%- set columns = [
    {'name': 'engagement_id', 'type': 'text'},
    {'name': 'contractor_id', 'type': 'text'},
    {'name': 'facility_id', 'type': 'text'},
    {'name': 'start_on', 'type': 'date'},
    {'name': 'end_on', 'type': 'date', 'required': false}
] -%}

{{ parse_extract('contractor_engagements', columns, key=['engagement_id']) }}
