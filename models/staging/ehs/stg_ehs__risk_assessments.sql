{#- Accepted rows of risk_assessments.csv (위험성평가): typed, codes normalised, every
    contract rule passed. Rejected rows are in the quarantine model. -#}
with checked as (

    select * from {{ ref('chk_ehs__risk_assessments') }}

),

accepted as (

    select * from checked
    where rejection_reason is null

),

final as (

    select
        assessment_id,
        facility_id,
        assessed_on,
        substance_hazard,
        exposure_potential,
        protection_weakness,
        next_due_on,
        approved_by,
        _line as source_line
    from accepted

)

select * from final
