{#- Drill-down from any KPI figure to the events behind it. Grain: one row per (kpi_code,
    period, event_type, event_id): every event a KPI counts in its denominator or numerator
    (in_denominator / in_numerator), with the amounts it adds (numerator_value,
    denominator_value; for ratios 1 or 0). Summing numerator_value and denominator_value by
    kpi_code, period and site_id gives kpi_quarterly's site rows; by kpi_code and period its
    company rows (ECO_FACTOR_INDEX lists its months without additive values). -#}
{%- set families = [] -%}
{%- for kpi in implemented_kpis() -%}
    {%- if kpi.family not in families -%}{%- do families.append(kpi.family) -%}{%- endif -%}
{%- endfor -%}
with
{%- for family in families %}

{{ family }} as (

    select * from {{ ref('int_kpi_events__' ~ family) }}

),
{%- endfor %}

unioned as (

    {%- for family in families %}
    select * from {{ family }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

final as (

    select
        kpi_code,
        period,
        site_id,
        event_type,
        event_id,
        event_date,
        facility_id,
        coalesce(in_denominator, false) as in_denominator,
        coalesce(in_numerator, false) as in_numerator,
        numerator_value,
        denominator_value
    from unioned

)

select * from final
