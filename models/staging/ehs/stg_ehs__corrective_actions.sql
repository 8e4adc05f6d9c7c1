{#- Accepted rows of corrective_actions.csv (개선조치): typed, codes normalised, every
    contract rule passed. Rejected rows are in the quarantine model. -#}
with checked as (

    select * from {{ ref('chk_ehs__corrective_actions') }}

),

accepted as (

    select * from checked
    where rejection_reason is null

),

final as (

    select
        action_id,
        source_type,
        source_id,
        due_on,
        completed_on,
        verified_on,
        owner,
        _line as source_line
    from accepted

)

select * from final
