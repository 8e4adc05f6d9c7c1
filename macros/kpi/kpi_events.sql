{#- Every KPI family model ends in the same event-level shape, one row per (kpi_code,
    event) that the KPI counts in its denominator or numerator:
      kpi_code, period, site_id, event_type, event_id, event_date, facility_id,
      in_denominator, in_numerator, numerator_value, denominator_value
    kpi_quarterly sums numerator_value and denominator_value per period and site, and per
    period for the company (from the events, never averaged), and fct_kpi_events exposes
    the rows for drill-down. -#}
{% macro kpi_event(kpi_code, period, site_id, event_type, event_id, event_date, facility_id,
                   in_denominator, in_numerator, numerator_value, denominator_value) -%}
    select
        '{{ kpi_code }}' as kpi_code,
        {{ period }} as period,
        {{ site_id }} as site_id,
        '{{ event_type }}' as event_type,
        cast({{ event_id }} as {{ dbt.type_string() }}) as event_id,
        cast({{ event_date }} as date) as event_date,
        cast({{ facility_id }} as {{ dbt.type_string() }}) as facility_id,
        cast({{ in_denominator }} as {{ dbt.type_boolean() }}) as in_denominator,
        cast({{ in_numerator }} as {{ dbt.type_boolean() }}) as in_numerator,
        cast({{ numerator_value }} as {{ type_double() }}) as numerator_value,
        cast({{ denominator_value }} as {{ type_double() }}) as denominator_value
{%- endmacro %}

{#- 1 when the condition holds, else 0 (a NULL condition counts as false). -#}
{% macro flag(condition) -%}
    (case when {{ condition }} then 1 else 0 end)
{%- endmacro %}

{#- numerator / denominator, NULL when the denominator is 0 or NULL (never 0 or 1). -#}
{% macro safe_ratio(numerator, denominator) -%}
    (case
        when {{ denominator }} is null or {{ denominator }} = 0 then null
        else cast({{ numerator }} as {{ type_double() }}) / cast({{ denominator }} as {{ type_double() }})
    end)
{%- endmacro %}

{#- The reporting-window quarter a date falls in (NULL outside the window): join the
    relation `quarters_alias` (int_reporting_quarters) on this. -#}
{% macro in_quarter(quarters_alias, date_expr) -%}
    {{ date_expr }} >= {{ quarters_alias }}.quarter_start
    and {{ date_expr }} <= {{ quarters_alias }}.quarter_end
{%- endmacro %}

{#- A sum that does not depend on the order rows are added in: floating-point sums in a
    parallel engine can differ in the last bits from run to run, so each value is rounded
    to 12 decimals as an exact decimal first. Reruns reproduce every KPI bit for bit. -#}
{% macro exact_sum(expr) -%}
    sum(cast({{ expr }} as decimal(38, 12)))
{%- endmacro %}
