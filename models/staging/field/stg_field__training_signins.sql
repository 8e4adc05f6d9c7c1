{#- Accepted rows of training_signin.csv (교육 서명부): typed, codes normalised, every
    contract rule passed. Rejected rows are in the quarantine model. -#}
with checked as (

    select * from {{ ref('chk_field__training_signins') }}

),

accepted as (

    select * from checked
    where rejection_reason is null

),

final as (

    select
        sheet_no,
        employee_key,
        course_code,
        session_on,
        _line as source_line
    from accepted

)

select * from final
