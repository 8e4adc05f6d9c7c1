{#- substances.csv (물질 정보): trimmed, de-duplicated, typed; single-file
    rejections assigned (see macros/staging/parse_extract.sql). -#}
{%- set columns = [
    {'name': 'cas_no', 'type': 'cas'},
    {'name': 'name_ko', 'type': 'text', 'required': false},
    {'name': 'name_en', 'type': 'text', 'required': false},
    {'name': 'acute_toxic', 'type': 'boolean'},
    {'name': 'chronic_toxic', 'type': 'boolean'},
    {'name': 'eco_toxic', 'type': 'boolean'},
    {'name': 'accident_precaution', 'type': 'boolean'},
    {'name': 'small_quantity_threshold_kg', 'type': 'number'},
    {'name': 'esg_concern', 'type': 'boolean'},
    {'name': 'release_category', 'type': 'integer', 'required': false, 'min_value': 1, 'max_value': 7}
] -%}

{{ parse_extract('substances', columns, key=['cas_no']) }}
