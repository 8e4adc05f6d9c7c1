{#- LEAD_SELF_INSPECTION_COVERAGE and _WEIGHTED. Weeks run Monday..Sunday and belong to
    the quarter holding their Monday. Denominator: facility-weeks of the quarter in which
    the facility was active on the Monday. Covered: at least one SELF_INSPECTION row of
    inspections.csv dated Monday..Sunday of that week (the last week's Sunday may fall after
    quarter_end; the paper register does not count here). Weighted: each facility-week
    counts risk_weight(tier on the Monday) in the version in force on quarter_end. -#}
with facilities as (

    select * from {{ ref('stg_ehs__facilities') }}

),

inspections as (

    select * from {{ ref('stg_ehs__inspections') }}

),

tier_history as (

    select * from {{ ref('int_facility_tier_history') }}

),

quarters as (

    select * from {{ ref('int_reporting_quarters') }}

),

policy as (

    select * from {{ ref('int_scoring_policy_dates') }}

),

window_bounds as (

    select
        min(quarter_start) as first_day,
        max(quarter_end) as last_day
    from quarters

),

week_offsets as (

    select {{ integer_series_value(4) }} as week_offset
    {{ integer_series(4) }}

),

mondays as (

    select
        cast({{ dbt.dateadd('week', 'week_offsets.week_offset',
                            dbt.date_trunc('week', 'window_bounds.first_day')) }} as date)
            as week_start
    from window_bounds
    cross join week_offsets
    where week_offsets.week_offset
          <= {{ dbt.datediff('window_bounds.first_day', 'window_bounds.last_day', 'week') }} + 1

),

weeks as (

    select
        mondays.week_start,
        quarters.period,
        quarters.quarter_end
    from mondays
    inner join quarters
        on {{ in_quarter('quarters', 'mondays.week_start') }}

),

inspected_weeks as (

    select distinct
        facility_id,
        cast({{ dbt.date_trunc('week', 'inspected_on') }} as date) as week_start
    from inspections
    where inspection_type = 'SELF_INSPECTION'

),

facility_weeks as (

    select
        facilities.facility_id,
        facilities.site_id,
        weeks.week_start,
        weeks.period,
        inspected_weeks.facility_id is not null as is_covered,
        {{ risk_weight('tier_history.risk_tier', 'policy') }} as risk_weight
    from facilities
    inner join weeks
        on facilities.commissioned_on <= weeks.week_start
        and (facilities.decommissioned_on is null
             or facilities.decommissioned_on > weeks.week_start)
    inner join tier_history
        on {{ facility_tier_on('tier_history', 'facilities.facility_id', 'weeks.week_start') }}
    inner join policy
        on weeks.quarter_end = policy.policy_date
    left join inspected_weeks
        on facilities.facility_id = inspected_weeks.facility_id
        and weeks.week_start = inspected_weeks.week_start

),

coverage_events as (

    {{ kpi_event(
        kpi_code='LEAD_SELF_INSPECTION_COVERAGE', period='period', site_id='site_id',
        event_type='facility_week',
        event_id="facility_id || '@' || " ~ dbt.cast('week_start', dbt.type_string()),
        event_date='week_start', facility_id='facility_id', in_denominator='true',
        in_numerator='is_covered', numerator_value=flag('is_covered'), denominator_value=1) }}
    from facility_weeks

),

weighted_events as (

    {{ kpi_event(
        kpi_code='LEAD_SELF_INSPECTION_COVERAGE_WEIGHTED', period='period', site_id='site_id',
        event_type='facility_week',
        event_id="facility_id || '@' || " ~ dbt.cast('week_start', dbt.type_string()),
        event_date='week_start', facility_id='facility_id', in_denominator='true',
        in_numerator='is_covered',
        numerator_value='case when is_covered then risk_weight else 0 end',
        denominator_value='risk_weight') }}
    from facility_weeks

),

final as (

    select * from coverage_events
    union all
    select * from weighted_events

)

select * from final
