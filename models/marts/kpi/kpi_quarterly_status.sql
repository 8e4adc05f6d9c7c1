{#- Every KPI value with its definition, its target for the year and its movement: one row
    per (kpi_code, period, site_id) of kpi_quarterly. on_target compares value with the
    approved target of the period's year in the KPI's direction (>= for higher-is-better,
    <= for lower-is-better); NULL when there is no target or no value. change_vs_previous is
    value minus the previous quarter's value of the same KPI and site; trend says whether
    that movement is an improvement given the direction (improved / worsened / unchanged),
    NULL when either value is NULL. -#}
with kpis as (

    select * from {{ ref('kpi_quarterly') }}

),

definitions as (

    select * from {{ ref('kpi_definitions') }}

),

targets as (

    select * from {{ ref('kpi_targets') }}

),

with_previous as (

    select
        kpis.*,
        lag(kpis.value) over (
            partition by kpis.kpi_code, kpis.site_id order by kpis.period_start
        ) as previous_value,
        lag(kpis.period) over (
            partition by kpis.kpi_code, kpis.site_id order by kpis.period_start
        ) as previous_period
    from kpis

),

final as (

    select
        with_previous.kpi_code,
        with_previous.period,
        with_previous.period_start,
        with_previous.period_end,
        with_previous.site_id,
        definitions.name_ko,
        definitions.name_en,
        definitions.indicator_type,
        definitions.direction,
        with_previous.numerator,
        with_previous.denominator,
        with_previous.value,
        with_previous.unit,
        targets.target_value,
        targets.comparator as target_comparator,
        case
            when with_previous.value is null or targets.target_value is null then null
            when targets.comparator = '>=' then with_previous.value >= targets.target_value
            when targets.comparator = '<=' then with_previous.value <= targets.target_value
        end as is_on_target,
        with_previous.previous_period,
        with_previous.previous_value,
        with_previous.value - with_previous.previous_value as change_vs_previous,
        case
            when with_previous.value is null or with_previous.previous_value is null then null
            when with_previous.value = with_previous.previous_value then 'unchanged'
            when (with_previous.value > with_previous.previous_value)
                 = (definitions.direction = 'higher_is_better') then 'improved'
            else 'worsened'
        end as trend
    from with_previous
    inner join definitions
        on with_previous.kpi_code = definitions.kpi_code
    left join targets
        on with_previous.kpi_code = targets.kpi_code
        and extract(year from with_previous.period_start) = targets.target_year

)

select * from final
