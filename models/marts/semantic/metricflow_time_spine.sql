{#- The semantic layer's time spine (MetricFlow): one row per day of the reporting window,
    from the first day of its first quarter to the last day of its last quarter. MetricFlow
    joins metrics to it to fill quarters without events and to compute trailing windows
    (trailing four quarters); it spans the window only, so no quarter outside it gets a
    row. 10,000 days (27 years) at most. -#}
with quarters as (

    select * from {{ ref('int_reporting_quarters') }}

),

bounds as (

    select
        min(quarter_start) as first_day,
        max(quarter_end) as last_day
    from quarters

),

offsets as (

    select {{ integer_series_value(4) }} as day_offset
    {{ integer_series(4) }}

),

days as (

    select cast({{ dbt.dateadd('day', 'offsets.day_offset', 'bounds.first_day') }} as date) as date_day
    from bounds
    cross join offsets
    where bounds.first_day is not null
      and offsets.day_offset <= {{ dbt.datediff('bounds.first_day', 'bounds.last_day', 'day') }}

),

final as (

    select date_day from days

)

select * from final
