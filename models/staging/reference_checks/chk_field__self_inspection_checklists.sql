{#- self_inspection_field.csv (자체점검표 대장 (paper checklist register)): references to accepted rows of other files
    (orphan_reference) and consistency between them (inconsistent_reference), as the
    extract contract declares them; see macros/staging/check_references.sql. -#}
{{ check_references('self_inspection_field') }}
