{#- Accepted rows of contractor_engagements.csv (협력사 작업 투입): typed, codes normalised, every
    contract rule passed. Rejected rows are in the quarantine model. -#}
with checked as (

    select * from {{ ref('chk_ehs__contractor_engagements') }}

),

accepted as (

    select * from checked
    where rejection_reason is null

),

final as (

    select
        engagement_id,
        contractor_id,
        facility_id,
        start_on,
        end_on,
        _line as source_line
    from accepted

)

select * from final
