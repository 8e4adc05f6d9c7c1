{#- Every KPI family model ends in the same event-level shape, one row per (kpi_code,
    event) that the KPI counts in its denominator or numerator:
      kpi_code, period, site_id, event_type, event_id, event_date, facility_id,
      in_denominator, in_numerator, numerator_value, denominator_value
    kpi_quarterly sums numerator_value and denominator_value per period and site, and per
    period for the company (from the events, never averaged), and fct_kpi_events exposes
    the rows for drill-down. Call it with named arguments (kpi_code='...', period='period',
    ..., denominator_value=1): eleven positional SQL snippets such as 'null', 'true', 1
    cannot be read or reviewed. Each argument but kpi_code and event_type (written as
    string literals) is a SQL expression. -#}
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

{#- Kilograms as tonnes (kg / 1000), every decimal kept on every engine: divided as a
    double, as DuckDB divides two decimals. Spark divides a decimal(38, 10) by 1000.0 into
    a decimal(38, 9), rounding a small quantity written to 10 decimals (0.1234567891 kg
    became 0.000123457 t); the unit test eco_tonnes_keep_every_decimal_of_the_kilograms
    holds it. -#}
{% macro kg_to_tonnes(kg) -%}
    (cast({{ kg }} as {{ type_double() }}) / 1000.0)
{%- endmacro %}

{#- A sum that does not depend on the order rows are added in: floating-point sums in a
    parallel engine can differ in the last bits from run to run, so each value is rounded
    to 12 decimals as an exact decimal first. Reruns reproduce every KPI bit for bit. -#}
{% macro exact_sum(expr) -%}
    sum(cast({{ expr }} as decimal(38, 12)))
{%- endmacro %}

{#- "Facility F is HIGH-tier on date d": join condition to int_facility_tier_history
    (facility_tier_on, keeping the HIGH interval; an unassessed facility is HIGH there) for
    the HIGH-tier leading indicators (protection layers, management of change, contractors).
    The model joins its events to their quarter (in_quarter), their facility's site and the
    tier history itself, so its FROM clause shows what it reads. -#}
{% macro high_tier_on(history_alias, facility_id, on_date) -%}
    {{ facility_tier_on(history_alias, facility_id, on_date) }}
    and {{ history_alias }}.risk_tier = 'HIGH'
{%- endmacro %}

{#- Sums of numerator_value and denominator_value of `events` per (keys..., site_id) and,
    for the company, per (keys...) with site_id NULL: computed from the events, never an
    average of the sites. Site rows need a non-NULL site_id (tested on the event models).
    Join a spine to it with scope_matches(). -#}
{% macro site_and_company_totals(events, keys) -%}
    select
        {{ keys | join(', ') }},
        site_id,
        {{ exact_sum('numerator_value') }} as numerator,
        {{ exact_sum('denominator_value') }} as denominator
    from {{ events }}
    group by {{ keys | join(', ') }}, site_id

    union all

    select
        {{ keys | join(', ') }},
        {{ dbt.safe_cast('null', dbt.type_string()) }} as site_id,
        {{ exact_sum('numerator_value') }} as numerator,
        {{ exact_sum('denominator_value') }} as denominator
    from {{ events }}
    group by {{ keys | join(', ') }}
{%- endmacro %}

{#- Join condition: the same keys and the same reporting scope (the same site, or both the
    company row, site_id NULL). -#}
{% macro scope_matches(left, right, keys) -%}
    {%- for key in keys %}
    {{ left }}.{{ key }} = {{ right }}.{{ key }} and
    {%- endfor %}
    ({{ left }}.site_id = {{ right }}.site_id
     or ({{ left }}.site_id is null and {{ right }}.site_id is null))
{%- endmacro %}
