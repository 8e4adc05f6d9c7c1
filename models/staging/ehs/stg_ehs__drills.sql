{#- Accepted rows of drills.csv (비상대응 훈련): typed, codes normalised, every
    contract rule passed. Rejected rows are in the quarantine model. -#}
with checked as (

    select * from {{ ref('chk_ehs__drills') }}

),

accepted as (

    select * from checked
    where rejection_reason is null

),

final as (

    select
        drill_id,
        site_id,
        drill_on,
        scenario,
        scenario_risk,
        participants_planned,
        participants_actual,
        evaluation,
        _line as source_line
    from accepted

)

select * from final
