{#- LEAD_MOC_HIGH, LEAD_MOC_VERIFIED_30D. Denominator (both): changes implemented in the
    quarter at facilities whose tier on implemented_on is HIGH. MOC: numerator =
    moc_approved_on <= implemented_on. Verified: implemented_on <= effect_verified_on <=
    implemented_on + 30 days; the verification may fall up to 30 days after quarter_end
    (the spec's exception to the as-of rule), so the value settles with the next extract. -#}
with changes as (

    select * from {{ ref('stg_ehs__moc_records') }}

),

facilities as (

    select * from {{ ref('stg_ehs__facilities') }}

),

tier_history as (

    select * from {{ ref('int_facility_tier_history') }}

),

quarters as (

    select * from {{ ref('int_reporting_quarters') }}

),

high_tier_changes as (

    select
        changes.change_id,
        changes.facility_id,
        facilities.site_id,
        changes.implemented_on,
        quarters.period,
        coalesce(changes.moc_approved_on <= changes.implemented_on, false) as is_approved_before,
        coalesce(
            changes.effect_verified_on >= changes.implemented_on
            and changes.effect_verified_on <= {{ dbt.dateadd('day', 30, 'changes.implemented_on') }},
            false
        ) as is_verified_within_30d
    from changes
    inner join quarters
        on {{ in_quarter('quarters', 'changes.implemented_on') }}
    inner join facilities
        on changes.facility_id = facilities.facility_id
    inner join tier_history
        on {{ high_tier_on('tier_history', 'changes.facility_id', 'changes.implemented_on') }}

),

approval_events as (

    {{ kpi_event(
        kpi_code='LEAD_MOC_HIGH', period='period', site_id='site_id', event_type='moc_change',
        event_id='change_id', event_date='implemented_on', facility_id='facility_id',
        in_denominator='true', in_numerator='is_approved_before',
        numerator_value=flag('is_approved_before'), denominator_value=1) }}
    from high_tier_changes

),

verification_events as (

    {{ kpi_event(
        kpi_code='LEAD_MOC_VERIFIED_30D', period='period', site_id='site_id',
        event_type='moc_change', event_id='change_id', event_date='implemented_on',
        facility_id='facility_id', in_denominator='true', in_numerator='is_verified_within_30d',
        numerator_value=flag('is_verified_within_30d'), denominator_value=1) }}
    from high_tier_changes

),

final as (

    select * from approval_events
    union all
    select * from verification_events

)

select * from final
