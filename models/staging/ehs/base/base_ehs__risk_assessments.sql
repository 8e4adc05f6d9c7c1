{#- risk_assessments.csv (위험성평가 (three-axis facility rating)): the single-file rules of the extract contract in one
    pass (trim, collapse exact duplicates, type, first failing rule, key conflicts), read
    from the contract; see macros/staging/parse_extract.sql. -#}
{{ parse_extract('risk_assessments') }}
