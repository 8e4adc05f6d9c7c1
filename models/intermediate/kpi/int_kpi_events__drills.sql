{#- LEAD_DRILL_ADEQUACY, LEAD_DRILL_HIGH_SCENARIO. Denominator: drills in the quarter
    (site = the drill's site). Numerators: evaluation ADEQUATE; scenario_risk HIGH. -#}
with drills as (

    select * from {{ ref('stg_ehs__drills') }}

),

quarters as (

    select * from {{ ref('int_reporting_quarters') }}

),

drills_in_quarter as (

    select
        drills.drill_id,
        drills.site_id,
        drills.drill_on,
        quarters.period,
        drills.evaluation = 'ADEQUATE' as is_adequate,
        drills.scenario_risk = 'HIGH' as is_high_scenario
    from drills
    inner join quarters
        on {{ in_quarter('quarters', 'drills.drill_on') }}

),

adequacy_events as (

    {{ kpi_event(
        kpi_code='LEAD_DRILL_ADEQUACY', period='period', site_id='site_id', event_type='drill',
        event_id='drill_id', event_date='drill_on', facility_id='null', in_denominator='true',
        in_numerator='is_adequate', numerator_value=flag('is_adequate'), denominator_value=1) }}
    from drills_in_quarter

),

scenario_events as (

    {{ kpi_event(
        kpi_code='LEAD_DRILL_HIGH_SCENARIO', period='period', site_id='site_id',
        event_type='drill', event_id='drill_id', event_date='drill_on', facility_id='null',
        in_denominator='true', in_numerator='is_high_scenario',
        numerator_value=flag('is_high_scenario'), denominator_value=1) }}
    from drills_in_quarter

),

final as (

    select * from adequacy_events
    union all
    select * from scenario_events

)

select * from final
