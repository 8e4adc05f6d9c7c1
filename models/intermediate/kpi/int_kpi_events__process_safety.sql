{#- PSE_TIER1, PSE_TIER2 (counts of Tier 1 / Tier 2 events in the quarter) and the rates
    per 200,000 hours: PSE_TIER1_RATE (Tier 1 x 200,000 / hours), PSE_TOTAL_RATE ((Tier 1 +
    Tier 2) x 200,000 / hours), PSE_SEVERITY_RATE (severity points x 200,000 / hours).
    Hours of a quarter = employee + contractor hours over its months present (a missing
    month adds nothing); hour-months are denominator events of the rates. -#}
with events as (

    select * from {{ ref('int_process_safety_events') }}

),

hours as (

    select * from {{ ref('stg_erp__hours_worked') }}

),

quarters as (

    select * from {{ ref('int_reporting_quarters') }}

),

parameters as (

    select * from {{ ref('int_kpi_parameters_by_quarter') }}

),

tier_events as (

    select
        events.*,
        parameters.rate_base_hours
    from events
    inner join parameters
        on events.period = parameters.period
    where events.pse_tier is not null

),

hour_months as (

    select
        hours.site_id,
        hours.month,
        quarters.period,
        hours.employee_hours + hours.contractor_hours as hours_worked
    from hours
    inner join quarters
        on {{ in_quarter('quarters', 'hours.month') }}

),

tier1_events as (

    {{ kpi_event(
        kpi_code='PSE_TIER1', period='period', site_id='site_id',
        event_type='process_safety_event', event_id='incident_id', event_date='occurred_on',
        facility_id='facility_id', in_denominator='null', in_numerator='true',
        numerator_value=1, denominator_value='null') }}
    from tier_events
    where pse_tier = 1

),

tier2_events as (

    {{ kpi_event(
        kpi_code='PSE_TIER2', period='period', site_id='site_id',
        event_type='process_safety_event', event_id='incident_id', event_date='occurred_on',
        facility_id='facility_id', in_denominator='null', in_numerator='true',
        numerator_value=1, denominator_value='null') }}
    from tier_events
    where pse_tier = 2

),
{%- for rate in [
    {'code': 'PSE_TIER1_RATE', 'numerator': 'rate_base_hours', 'where': 'pse_tier = 1'},
    {'code': 'PSE_TOTAL_RATE', 'numerator': 'rate_base_hours', 'where': 'pse_tier in (1, 2)'},
    {'code': 'PSE_SEVERITY_RATE', 'numerator': 'severity_points * rate_base_hours', 'where': 'pse_tier in (1, 2)'}
] %}

{{ rate.code | lower }}_events as (

    {{ kpi_event(
        kpi_code=rate.code, period='period', site_id='site_id',
        event_type='process_safety_event', event_id='incident_id', event_date='occurred_on',
        facility_id='facility_id', in_denominator='false', in_numerator='true',
        numerator_value=rate.numerator, denominator_value=0) }}
    from tier_events
    where {{ rate.where }}

    union all

    {{ kpi_event(
        kpi_code=rate.code, period='period', site_id='site_id', event_type='hours_month',
        event_id="site_id || '@' || " ~ dbt.cast('month', dbt.type_string()),
        event_date='month', facility_id='null', in_denominator='true', in_numerator='false',
        numerator_value=0, denominator_value='hours_worked') }}
    from hour_months

),
{%- endfor %}

final as (

    select * from tier1_events
    union all
    select * from tier2_events
    union all
    select * from pse_tier1_rate_events
    union all
    select * from pse_total_rate_events
    union all
    select * from pse_severity_rate_events

)

select * from final
