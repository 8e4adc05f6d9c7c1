{#- moc_records.csv (변경관리): the single-file rules of the extract contract in one
    pass (trim, collapse exact duplicates, type, first failing rule, key conflicts), read
    from the contract; see macros/staging/parse_extract.sql. -#}
{{ parse_extract('moc_records') }}
