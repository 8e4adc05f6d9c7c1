{#- contractor_engagements.csv: references to accepted rows of other files (orphan_reference)
    and consistency between them (inconsistent_reference); see
    macros/staging/check_references.sql. -#}
{%- set references = [
    {'column': 'contractor_id', 'parent': 'stg_ehs__contractors', 'parent_key': 'contractor_id'},
    {'column': 'facility_id', 'parent': 'stg_ehs__facilities', 'parent_key': 'facility_id'}
] -%}
{%- set consistency = [] -%}

{{ check_references('base_ehs__contractor_engagements', references, consistency) }}
