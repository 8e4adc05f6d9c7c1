{#- small_quantity_calcs.csv (소량기준·혼합물 산정): references to accepted rows of other files
    (orphan_reference) and consistency between them (inconsistent_reference), as the
    extract contract declares them; see macros/staging/check_references.sql. -#}
{{ check_references('small_quantity_calcs') }}
