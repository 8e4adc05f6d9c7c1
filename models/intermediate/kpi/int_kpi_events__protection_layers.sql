{#- LEAD_PL_CHECK_HIGH, LEAD_PL_FUNCTION_TEST_HIGH (kpi_spec, leading indicators).
    Denominator: protection-layer checks scheduled in the quarter at facilities whose tier
    on scheduled_on is HIGH (unassessed counts as HIGH). Checks: numerator = performed on or
    before quarter_end. Function tests: of those performed checks, function_tested = true. -#}
with checks as (

    select * from {{ ref('stg_ehs__protection_layer_checks') }}

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

high_tier_checks as (

    select
        checks.check_id,
        checks.facility_id,
        facilities.site_id,
        checks.scheduled_on,
        quarters.period,
        checks.performed_on is not null
            and checks.performed_on <= quarters.quarter_end as is_performed,
        coalesce(checks.function_tested, false) as is_function_tested
    from checks
    inner join quarters
        on {{ in_quarter('quarters', 'checks.scheduled_on') }}
    inner join facilities
        on checks.facility_id = facilities.facility_id
    inner join tier_history
        on {{ high_tier_on('tier_history', 'checks.facility_id', 'checks.scheduled_on') }}

),

check_events as (

    {{ kpi_event(
        kpi_code='LEAD_PL_CHECK_HIGH', period='period', site_id='site_id',
        event_type='protection_layer_check', event_id='check_id', event_date='scheduled_on',
        facility_id='facility_id', in_denominator='true', in_numerator='is_performed',
        numerator_value=flag('is_performed'), denominator_value=1) }}
    from high_tier_checks

),

function_test_events as (

    {{ kpi_event(
        kpi_code='LEAD_PL_FUNCTION_TEST_HIGH', period='period', site_id='site_id',
        event_type='protection_layer_check', event_id='check_id', event_date='scheduled_on',
        facility_id='facility_id', in_denominator='true', in_numerator='is_function_tested',
        numerator_value=flag('is_function_tested'), denominator_value=1) }}
    from high_tier_checks
    where is_performed

),

final as (

    select * from check_events
    union all
    select * from function_test_events

)

select * from final
