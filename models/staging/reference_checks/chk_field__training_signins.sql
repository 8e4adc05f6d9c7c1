{#- training_signin.csv (교육 서명부 (field sign-in sheets)): references to accepted rows of other files
    (orphan_reference) and consistency between them (inconsistent_reference), as the
    extract contract declares them; see macros/staging/check_references.sql. -#}
{{ check_references('training_signin') }}
