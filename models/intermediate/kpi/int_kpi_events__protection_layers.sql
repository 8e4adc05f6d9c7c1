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

    {{ kpi_event('LEAD_PL_CHECK_HIGH', 'period', 'site_id', 'protection_layer_check',
                 'check_id', 'scheduled_on', 'facility_id', 'true', 'is_performed',
                 flag('is_performed'), 1) }}
    from high_tier_checks

),

function_test_events as (

    {{ kpi_event('LEAD_PL_FUNCTION_TEST_HIGH', 'period', 'site_id', 'protection_layer_check',
                 'check_id', 'scheduled_on', 'facility_id', 'true',
                 'is_function_tested', flag('is_function_tested'), 1) }}
    from high_tier_checks
    where is_performed

),

final as (

    select * from check_events
    union all
    select * from function_test_events

)

select * from final
