{#- small_quantity_calcs.csv (소량기준·혼합물 산정): the single-file rules of the extract contract in one
    pass (trim, collapse exact duplicates, type, first failing rule, key conflicts), read
    from the contract; see macros/staging/parse_extract.sql. -#}
{{ parse_extract('small_quantity_calcs') }}
