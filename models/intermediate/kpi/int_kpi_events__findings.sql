{#- Finding-based lagging indicators. Tier = facility tier on found_on; major = severity >=
    major_severity in force on quarter_end.
    LAG_NONCONFORMITIES: findings found in the quarter from REGULAR_INSPECTION or
      SAFETY_DIAGNOSIS inspections (count).
    LAG_MAJOR_FINDING_RATIO: major / all findings found in the quarter (any inspection type).
    LAG_HIGH_MAJOR_FINDINGS: major findings found in the quarter at HIGH-tier facilities.
    LAG_LEAD_TIME_HIGH_DAYS: over findings closed in the quarter at HIGH-tier facilities,
      numerator = sum of (closed_on - found_on) days, denominator = count; value = mean.
    LAG_OPEN_RISK_SCORE: sum of finding_score as of quarter_end over findings open at it
      (from int_finding_quarter_snapshots). -#}
with findings as (

    select * from {{ ref('stg_ehs__findings') }}

),

inspections as (

    select * from {{ ref('stg_ehs__inspections') }}

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

policy as (

    select * from {{ ref('int_scoring_policy_dates') }}

),

snapshots as (

    select * from {{ ref('int_finding_quarter_snapshots') }}

),

classified as (

    select
        findings.finding_id,
        findings.facility_id,
        facilities.site_id,
        findings.found_on,
        findings.closed_on,
        findings.severity,
        inspections.inspection_type,
        tier_history.risk_tier as risk_tier_on_found
    from findings
    inner join inspections
        on findings.inspection_id = inspections.inspection_id
    inner join facilities
        on findings.facility_id = facilities.facility_id
    inner join tier_history
        on {{ facility_tier_on('tier_history', 'findings.facility_id', 'findings.found_on') }}

),

found_in_quarter as (

    select
        classified.*,
        quarters.period,
        classified.severity >= policy.major_severity as is_major
    from classified
    inner join quarters
        on {{ in_quarter('quarters', 'classified.found_on') }}
    inner join policy
        on quarters.quarter_end = policy.policy_date

),

closed_in_quarter as (

    select
        classified.*,
        quarters.period,
        {{ days_between('classified.found_on', 'classified.closed_on') }} as lead_time_days
    from classified
    inner join quarters
        on {{ in_quarter('quarters', 'classified.closed_on') }}
    where classified.risk_tier_on_found = 'HIGH'

),

nonconformity_events as (

    {{ kpi_event(
        kpi_code='LAG_NONCONFORMITIES', period='period', site_id='site_id',
        event_type='finding', event_id='finding_id', event_date='found_on',
        facility_id='facility_id', in_denominator='null', in_numerator='true',
        numerator_value=1, denominator_value='null') }}
    from found_in_quarter
    where inspection_type in ('REGULAR_INSPECTION', 'SAFETY_DIAGNOSIS')

),

major_ratio_events as (

    {{ kpi_event(
        kpi_code='LAG_MAJOR_FINDING_RATIO', period='period', site_id='site_id',
        event_type='finding', event_id='finding_id', event_date='found_on',
        facility_id='facility_id', in_denominator='true', in_numerator='is_major',
        numerator_value=flag('is_major'), denominator_value=1) }}
    from found_in_quarter

),

high_major_events as (

    {{ kpi_event(
        kpi_code='LAG_HIGH_MAJOR_FINDINGS', period='period', site_id='site_id',
        event_type='finding', event_id='finding_id', event_date='found_on',
        facility_id='facility_id', in_denominator='null', in_numerator='true',
        numerator_value=1, denominator_value='null') }}
    from found_in_quarter
    where is_major and risk_tier_on_found = 'HIGH'

),

lead_time_events as (

    {{ kpi_event(
        kpi_code='LAG_LEAD_TIME_HIGH_DAYS', period='period', site_id='site_id',
        event_type='finding', event_id='finding_id', event_date='closed_on',
        facility_id='facility_id', in_denominator='true', in_numerator='true',
        numerator_value='lead_time_days', denominator_value=1) }}
    from closed_in_quarter

),

open_risk_events as (

    {{ kpi_event(
        kpi_code='LAG_OPEN_RISK_SCORE', period='period', site_id='site_id',
        event_type='open_finding', event_id='finding_id', event_date='quarter_end',
        facility_id='facility_id', in_denominator='null', in_numerator='true',
        numerator_value='finding_score', denominator_value='null') }}
    from snapshots

),

final as (

    select * from nonconformity_events
    union all
    select * from major_ratio_events
    union all
    select * from high_major_events
    union all
    select * from lead_time_events
    union all
    select * from open_risk_events

)

select * from final
