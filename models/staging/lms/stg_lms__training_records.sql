{#- Accepted rows of training_records.csv (교육 이수): typed, codes normalised, every
    contract rule passed. Rejected rows are in the quarantine model. -#}
with checked as (

    select * from {{ ref('chk_lms__training_records') }}

),

accepted as (

    select * from checked
    where rejection_reason is null

),

final as (

    select
        record_id,
        employee_key,
        site_id,
        high_risk_group,
        course_code,
        due_on,
        completed_on,
        score,
        passed,
        _line as source_line
    from accepted

)

select * from final
