-- A target's comparator must agree with its KPI's direction of improvement:
-- '>=' for higher_is_better, '<=' for lower_is_better. Returns each disagreeing target.
with targets as (

    select * from {{ ref('kpi_targets') }}

),

definitions as (

    select * from {{ ref('kpi_definitions') }}

),

final as (

    select targets.kpi_code, targets.target_year, targets.comparator, definitions.direction
    from targets
    inner join definitions
        on targets.kpi_code = definitions.kpi_code
    where not (
        (definitions.direction = 'higher_is_better' and targets.comparator = '>=')
        or (definitions.direction = 'lower_is_better' and targets.comparator = '<=')
    )

)

select * from final
