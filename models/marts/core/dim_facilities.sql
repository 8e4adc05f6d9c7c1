{#- Handling facilities (취급시설) with their tier as of the run's as-of date: the three
    axes and risk points of the assessment in force, the unassessed flag (no assessment
    on or before the as-of date: treated as HIGH) and whether the facility is active.
    One row per accepted facility. -#}
with facilities as (

    select * from {{ ref('stg_ehs__facilities') }}

),

tier_history as (

    select * from {{ ref('int_facility_tier_history') }}

),

as_of as (

    select * from {{ ref('int_as_of_date') }}

),

final as (

    select
        facilities.facility_id,
        facilities.site_id,
        facilities.facility_name,
        facilities.facility_type,
        facilities.commissioned_on,
        facilities.decommissioned_on,
        as_of.as_of_date,
        facilities.commissioned_on <= as_of.as_of_date
            and (facilities.decommissioned_on is null
                 or facilities.decommissioned_on > as_of.as_of_date) as is_active,
        tier_history.risk_tier as current_risk_tier,
        tier_history.tier_rule as current_tier_rule,
        tier_history.is_unassessed,
        tier_history.assessment_id as current_assessment_id,
        tier_history.assessed_on as current_assessed_on,
        tier_history.next_due_on as current_assessment_due_on,
        tier_history.substance_hazard,
        tier_history.exposure_potential,
        tier_history.protection_weakness,
        tier_history.risk_points
    from facilities
    cross join as_of
    inner join tier_history
        on {{ facility_tier_on('tier_history', 'facilities.facility_id', 'as_of.as_of_date') }}

)

select * from final
