{#- risk_assessments.csv (위험성평가): trimmed, de-duplicated, typed; single-file
    rejections assigned (see macros/staging/parse_extract.sql). -#}
{%- set columns = [
    {'name': 'assessment_id', 'type': 'text'},
    {'name': 'facility_id', 'type': 'text'},
    {'name': 'assessed_on', 'type': 'date'},
    {'name': 'substance_hazard', 'type': 'code', 'code_set': 'risk_level'},
    {'name': 'exposure_potential', 'type': 'code', 'code_set': 'risk_level'},
    {'name': 'protection_weakness', 'type': 'code', 'code_set': 'risk_level'},
    {'name': 'next_due_on', 'type': 'date'},
    {'name': 'approved_by', 'type': 'text', 'required': false}
] -%}

{{ parse_extract('risk_assessments', columns, key=['assessment_id']) }}
