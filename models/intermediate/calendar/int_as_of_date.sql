{#- The run's as-of date, one row: var as_of_date when set (YYYY-MM-DD), else the last
    quarter end of the reporting window. Never the wall clock, so a rerun reproduces the
    numbers. Models that need it read this model (an import CTE), so the dependency shows
    in the lineage. -#}
with quarters as (

    select * from {{ ref('int_reporting_quarters') }}

),

final as (

    {%- set configured = var('as_of_date', none) %}
    {%- if configured %}
    select cast('{{ configured }}' as date) as as_of_date
    {%- else %}
    select max(quarter_end) as as_of_date from quarters
    {%- endif %}

)

select * from final
