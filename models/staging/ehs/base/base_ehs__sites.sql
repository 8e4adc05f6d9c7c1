{#- sites.csv (사업장): trimmed, de-duplicated, typed; single-file
    rejections assigned (see macros/staging/parse_extract.sql). -#}
{%- set columns = [
    {'name': 'site_id', 'type': 'text'},
    {'name': 'site_name', 'type': 'text', 'required': false},
    {'name': 'region', 'type': 'text', 'required': false},
    {'name': 'ksic_code', 'type': 'text', 'required': false}
] -%}

{{ parse_extract('sites', columns, key=['site_id']) }}
