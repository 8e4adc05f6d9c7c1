{#- For each quarter of the reporting window, the same quarter (Q1..Q4) of the eco-efficiency
    base year: the kpi_parameters value eco_base_year in force on the quarter end, or, when
    it is empty, the year of the first quarter of the reporting window. One row per period. -#}
with quarters as (

    select * from {{ ref('int_reporting_quarters') }}

),

parameters as (

    select * from {{ ref('int_kpi_parameters_by_quarter') }}

),

first_year as (

    select min(year) as first_window_year from quarters

),

base_years as (

    select
        quarters.period,
        quarters.quarter_of_year,
        quarters.quarter_start,
        cast(coalesce(parameters.eco_base_year, first_year.first_window_year)
             as {{ dbt.type_int() }}) as base_year
    from quarters
    inner join parameters
        on quarters.period = parameters.period
    cross join first_year

),

final as (

    select
        period,
        base_year,
        {{ add_years('quarter_start', 'base_year - extract(year from quarter_start)') }} as base_quarter_start,
        {{ quarter_end(add_years('quarter_start', 'base_year - extract(year from quarter_start)')) }}
            as base_quarter_end
    from base_years

)

select * from final
