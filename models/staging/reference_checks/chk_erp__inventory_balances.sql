{#- inventory_system.csv (시스템 재고 (ERP/EHS system)): references to accepted rows of other files
    (orphan_reference) and consistency between them (inconsistent_reference), as the
    extract contract declares them; see macros/staging/check_references.sql. -#}
{{ check_references('inventory_system') }}
