{#- Drill-down from any KPI figure to the events behind it. Grain: one row per (kpi_code,
    period, event_type, event_id): every event a KPI counts in its denominator or numerator
    (in_denominator / in_numerator), with the amounts it adds (numerator_value,
    denominator_value; for ratios 1 or 0). Summing numerator_value and denominator_value by
    kpi_code, period and site_id gives kpi_quarterly's site rows; by kpi_code and period its
    company rows (except ECO_FACTOR_INDEX, a ratio of two ratios: its rows carry the value
    added and tonnes of its months, in_numerator the quarter's, in_denominator the base's).
    period_start / period_end place the row on the calendar (period_end is the time
    dimension of the semantic layer, models/marts/semantic), risk_tier is the facility's
    tier on event_date (NULL for events without a facility). -#}
{%- set families = kpi_event_families() -%}
with
{%- for family in families %}

{{ family }} as (

    select * from {{ ref('int_kpi_events__' ~ family) }}

),
{%- endfor %}

quarters as (

    select * from {{ ref('int_reporting_quarters') }}

),

tier_history as (

    select * from {{ ref('int_facility_tier_history') }}

),

unioned as (

    {%- for family in families %}
    select * from {{ family }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

final as (

    select
        unioned.kpi_code,
        unioned.period,
        unioned.site_id,
        unioned.event_type,
        unioned.event_id,
        unioned.event_date,
        unioned.facility_id,
        coalesce(unioned.in_denominator, false) as in_denominator,
        coalesce(unioned.in_numerator, false) as in_numerator,
        unioned.numerator_value,
        unioned.denominator_value,
        quarters.quarter_start as period_start,
        quarters.quarter_end as period_end,
        tier_history.risk_tier
    from unioned
    inner join quarters
        on unioned.period = quarters.period
    left join tier_history
        on {{ facility_tier_on('tier_history', 'unioned.facility_id', 'unioned.event_date') }}

)

select * from final
