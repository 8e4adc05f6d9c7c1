{#- findings.csv: references to accepted rows of other files (orphan_reference)
    and consistency between them (inconsistent_reference); see
    macros/staging/check_references.sql. -#}
{%- set references = [
    {'column': 'inspection_id', 'parent': 'stg_ehs__inspections', 'parent_key': 'inspection_id'},
    {'column': 'facility_id', 'parent': 'stg_ehs__facilities', 'parent_key': 'facility_id'}
] -%}
{%- set consistency = [
    {'column': 'facility_id', 'reference': 'inspection_id', 'parent_column': 'facility_id', 'own_column': 'facility_id',
     'meaning': "a finding's facility must be its inspection's facility"}
] -%}

{{ check_references('base_ehs__findings', references, consistency) }}
