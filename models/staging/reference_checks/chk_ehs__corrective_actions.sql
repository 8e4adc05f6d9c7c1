{#- corrective_actions.csv: references to accepted rows of other files (orphan_reference)
    and consistency between them (inconsistent_reference); see
    macros/staging/check_references.sql. -#}
{%- set references = [
    {'column': 'source_id', 'parent': 'stg_ehs__findings', 'parent_key': 'finding_id', 'when': "source_type = 'FINDING'"},
    {'column': 'source_id', 'parent': 'stg_ehs__drills', 'parent_key': 'drill_id', 'when': "source_type = 'DRILL'"},
    {'column': 'source_id', 'parent': 'stg_ehs__incidents', 'parent_key': 'incident_id', 'when': "source_type = 'INCIDENT'"},
    {'column': 'source_id', 'parent': 'stg_ehs__moc_records', 'parent_key': 'change_id', 'when': "source_type = 'MOC'"}
] -%}
{%- set consistency = [] -%}

{{ check_references('base_ehs__corrective_actions', references, consistency) }}
