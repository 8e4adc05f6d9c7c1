{#- inventory_system.csv (시스템 재고 (ERP/EHS system)): the single-file rules of the extract contract in one
    pass (trim, collapse exact duplicates, type, first failing rule, key conflicts), read
    from the contract; see macros/staging/parse_extract.sql. -#}
{{ parse_extract('inventory_system') }}
