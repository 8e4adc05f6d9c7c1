{#- inventory_system.csv: references to accepted rows of other files (orphan_reference)
    and consistency between them (inconsistent_reference); see
    macros/staging/check_references.sql. -#}
{%- set references = [
    {'column': 'facility_id', 'parent': 'stg_ehs__facilities', 'parent_key': 'facility_id'},
    {'column': 'cas_no', 'parent': 'stg_ehs__substances', 'parent_key': 'cas_no'}
] -%}
{%- set consistency = [] -%}

{{ check_references('base_erp__inventory_balances', references, consistency) }}
