{#- training_records.csv (교육 이수 (LMS, system)): the single-file rules of the extract contract in one
    pass (trim, collapse exact duplicates, type, first failing rule, key conflicts), read
    from the contract; see macros/staging/parse_extract.sql. -#}
{{ parse_extract('training_records') }}
