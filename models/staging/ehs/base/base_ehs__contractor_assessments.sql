{#- contractor_assessments.csv (협력사 화학안전 평가): trimmed, de-duplicated, typed; single-file
    rejections assigned (see macros/staging/parse_extract.sql). -#}
{%- set columns = [
    {'name': 'assessment_id', 'type': 'text'},
    {'name': 'contractor_id', 'type': 'text'},
    {'name': 'assessment_type', 'type': 'code', 'code_set': 'contractor_assessment_type'},
    {'name': 'assessed_on', 'type': 'date'},
    {'name': 'passed', 'type': 'boolean'},
    {'name': 'valid_until', 'type': 'date'}
] -%}

{{ parse_extract('contractor_assessments', columns, key=['assessment_id']) }}
