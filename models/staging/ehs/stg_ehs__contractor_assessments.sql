{#- Accepted rows of contractor_assessments.csv (협력사 화학안전 평가): typed, codes normalised, every
    contract rule passed. Rejected rows are in the quarantine model. -#}
with checked as (

    select * from {{ ref('chk_ehs__contractor_assessments') }}

),

accepted as (

    select * from checked
    where rejection_reason is null

),

final as (

    select
        assessment_id,
        contractor_id,
        assessment_type,
        assessed_on,
        passed,
        valid_until,
        _line as source_line
    from accepted

)

select * from final
