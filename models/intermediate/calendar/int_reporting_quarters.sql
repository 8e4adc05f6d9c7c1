{#- The reporting window (kpi_spec "Time"): the quarters whose last day appears as a
    reference_date in inventory_system.csv, from the earliest to the latest, with every
    quarter in between. Reference dates that are not a quarter's last day are ignored.
    One row per quarter. -#}
with inventory_balances as (

    select * from {{ ref('stg_erp__inventory_balances') }}

),

quarter_end_dates as (

    select distinct reference_date as quarter_end
    from inventory_balances
    where reference_date = {{ quarter_end('reference_date') }}

),

bounds as (

    select
        min(quarter_end) as first_quarter_end,
        max(quarter_end) as last_quarter_end
    from quarter_end_dates

),

offsets as (

    select {{ integer_series_value(3) }} as quarter_offset
    {{ integer_series(3) }}

),

spine as (

    select
        {{ quarter_start(add_quarters('bounds.first_quarter_end', 'offsets.quarter_offset')) }}
            as quarter_start
    from bounds
    cross join offsets
    where bounds.first_quarter_end is not null
      and offsets.quarter_offset
          <= {{ quarters_between('bounds.first_quarter_end', 'bounds.last_quarter_end') }}

),

final as (

    select
        {{ quarter_label('quarter_start') }} as period,
        quarter_start,
        {{ quarter_end('quarter_start') }} as quarter_end,
        cast(extract(year from quarter_start) as {{ dbt.type_int() }}) as year,
        cast(extract(quarter from quarter_start) as {{ dbt.type_int() }}) as quarter_of_year
    from spine

)

select * from final
