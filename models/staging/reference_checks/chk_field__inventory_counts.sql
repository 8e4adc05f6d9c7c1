{#- inventory_field.csv (현장 실사 재고 (physical count sheets)): references to accepted rows of other files
    (orphan_reference) and consistency between them (inconsistent_reference), as the
    extract contract declares them; see macros/staging/check_references.sql. -#}
{{ check_references('inventory_field') }}
