{#- Accepted rows of incidents.csv (사고·아차사고): typed, codes normalised, every
    contract rule passed. Rejected rows are in the quarantine model. -#}
with checked as (

    select * from {{ ref('chk_ehs__incidents') }}

),

accepted as (

    select * from checked
    where rejection_reason is null

),

final as (

    select
        incident_id,
        site_id,
        facility_id,
        occurred_on,
        incident_type,
        cas_no,
        released_kg,
        impact_scope,
        legally_reportable,
        injuries,
        lost_time_injuries,
        fatalities,
        community_evacuated,
        direct_cost_krw,
        _line as source_line
    from accepted

)

select * from final
