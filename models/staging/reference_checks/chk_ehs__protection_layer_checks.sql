{#- protection_layer_checks.csv: references to accepted rows of other files (orphan_reference)
    and consistency between them (inconsistent_reference); see
    macros/staging/check_references.sql. -#}
{%- set references = [
    {'column': 'facility_id', 'parent': 'stg_ehs__facilities', 'parent_key': 'facility_id'}
] -%}
{%- set consistency = [] -%}

{{ check_references('base_ehs__protection_layer_checks', references, consistency) }}
