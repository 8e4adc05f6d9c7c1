{#- incidents.csv: references to accepted rows of other files (orphan_reference)
    and consistency between them (inconsistent_reference); see
    macros/staging/check_references.sql. -#}
{%- set references = [
    {'column': 'site_id', 'parent': 'stg_ehs__sites', 'parent_key': 'site_id'},
    {'column': 'facility_id', 'parent': 'stg_ehs__facilities', 'parent_key': 'facility_id'},
    {'column': 'cas_no', 'parent': 'stg_ehs__substances', 'parent_key': 'cas_no'}
] -%}
{%- set consistency = [
    {'column': 'facility_id', 'reference': 'facility_id', 'parent_column': 'site_id', 'own_column': 'site_id',
     'meaning': "an incident's facility must belong to the incident's site"}
] -%}

{{ check_references('base_ehs__incidents', references, consistency) }}
