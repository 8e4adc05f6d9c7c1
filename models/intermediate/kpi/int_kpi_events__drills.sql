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

    {{ kpi_event('LEAD_DRILL_ADEQUACY', 'period', 'site_id', 'drill', 'drill_id', 'drill_on',
                 'null', 'true', 'is_adequate', flag('is_adequate'), 1) }}
    from drills_in_quarter

),

scenario_events as (

    {{ kpi_event('LEAD_DRILL_HIGH_SCENARIO', 'period', 'site_id', 'drill', 'drill_id',
                 'drill_on', 'null', 'true', 'is_high_scenario', flag('is_high_scenario'), 1) }}
    from drills_in_quarter

),

final as (

    select * from adequacy_events
    union all
    select * from scenario_events

)

select * from final
