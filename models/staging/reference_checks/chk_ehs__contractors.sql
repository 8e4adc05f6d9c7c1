{#- contractors.csv: references to accepted rows of other files (orphan_reference)
    and consistency between them (inconsistent_reference); see
    macros/staging/check_references.sql. -#}
{%- set references = [] -%}
{%- set consistency = [] -%}

{{ check_references('base_ehs__contractors', references, consistency) }}
