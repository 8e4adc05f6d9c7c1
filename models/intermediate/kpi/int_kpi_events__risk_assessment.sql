{#- LEAD_RA_CURRENT. Denominator: facilities active on quarter_end (commissioned_on <=
    quarter_end and not decommissioned on or before it). Numerator: the latest assessment on
    or before quarter_end (same-day tie: greater assessment_id, as in the tier history) has
    next_due_on >= quarter_end. A facility never assessed by then is not current. -#}
with facilities as (

    select * from {{ ref('stg_ehs__facilities') }}

),

tier_history as (

    select * from {{ ref('int_facility_tier_history') }}

),

quarters as (

    select * from {{ ref('int_reporting_quarters') }}

),

active_facilities as (

    select
        facilities.facility_id,
        facilities.site_id,
        quarters.period,
        quarters.quarter_end,
        not tier_history.is_unassessed
            and tier_history.next_due_on >= quarters.quarter_end as is_current
    from facilities
    inner join quarters
        on facilities.commissioned_on <= quarters.quarter_end
        and (facilities.decommissioned_on is null
             or facilities.decommissioned_on > quarters.quarter_end)
    inner join tier_history
        on {{ facility_tier_on('tier_history', 'facilities.facility_id', 'quarters.quarter_end') }}

),

final as (

    {{ kpi_event(
        kpi_code='LEAD_RA_CURRENT', period='period', site_id='site_id',
        event_type='active_facility',
        event_id="facility_id || '@' || " ~ dbt.cast('quarter_end', dbt.type_string()),
        event_date='quarter_end', facility_id='facility_id', in_denominator='true',
        in_numerator='is_current', numerator_value=flag('is_current'), denominator_value=1) }}
    from active_facilities

)

select * from final
