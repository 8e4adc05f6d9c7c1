{#- The reporting periods of the window at both grains the disclosure package reports:
    every quarter ('quarter', YYYY-Qn) and every year that has a quarter in the window
    ('year', YYYY; its first and last day are those of its quarters in the window). One row
    per (period_type, period). -#}
with quarters as (

    select * from {{ ref('int_reporting_quarters') }}

),

final as (

    select 'quarter' as period_type, period, quarter_start as period_start,
           quarter_end as period_end
    from quarters
    union all
    select 'year' as period_type, cast(year as {{ dbt.type_string() }}) as period,
           min(quarter_start) as period_start, max(quarter_end) as period_end
    from quarters
    group by year

)

select * from final
