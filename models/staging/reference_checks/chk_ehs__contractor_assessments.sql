{#- contractor_assessments.csv (협력사 화학안전 평가): references to accepted rows of other files
    (orphan_reference) and consistency between them (inconsistent_reference), as the
    extract contract declares them; see macros/staging/check_references.sql. -#}
{{ check_references('contractor_assessments') }}
