{#- self_inspection_field.csv (자체점검표 대장 (paper checklist register)): the single-file rules of the extract contract in one
    pass (trim, collapse exact duplicates, type, first failing rule, key conflicts), read
    from the contract; see macros/staging/parse_extract.sql. -#}
{{ parse_extract('self_inspection_field') }}
