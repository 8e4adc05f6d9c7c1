{#- training_records.csv: references to accepted rows of other files (orphan_reference)
    and consistency between them (inconsistent_reference); see
    macros/staging/check_references.sql. -#}
{%- set references = [
    {'column': 'site_id', 'parent': 'stg_ehs__sites', 'parent_key': 'site_id'}
] -%}
{%- set consistency = [] -%}

{{ check_references('base_lms__training_records', references, consistency) }}
