{#- training_signin.csv (교육 서명부): trimmed, de-duplicated, typed; single-file
    rejections assigned (see macros/staging/parse_extract.sql). -#}
{%- set columns = [
    {'name': 'sheet_no', 'type': 'text'},
    {'name': 'employee_no', 'type': 'text', 'pseudonymise': true, 'as': 'employee_key'},
    {'name': 'course_code', 'type': 'text'},
    {'name': 'session_on', 'type': 'date'}
] -%}

{{ parse_extract('training_signin', columns, key=['sheet_no', 'employee_no', 'course_code']) }}
