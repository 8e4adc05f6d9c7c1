{#- Calendar arithmetic of the project (calendar quarters, labelled YYYY-Qn).

    Quarters and years are never computed with the adapter's dateadd/datediff: dbt-spark's
    datediff('quarter') approximates quarter boundaries by day of year (2024-12-31 to
    2026-12-31 gave 9 quarters, not 8) and its dateadd('year', expr) multiplies without
    brackets (base_year - y * 12), which silently gave NULL base quarters. Months are
    added with each engine's own month arithmetic (end of month clamped: 2024-02-29 plus
    one year is 2025-02-28 on every engine); quarter and year counts are differences of
    a running quarter number, no date arithmetic at all. tests/dbt/calendar_macros.sql
    checks every macro here against dates worked out by hand, on each engine. -#}

{#- `date_expr` plus `months` (an integer expression) calendar months, as a date. -#}
{% macro add_months(date_expr, months) -%}
    {{ return(adapter.dispatch('add_months', 'chemsafe_esg')(date_expr, months)) }}
{%- endmacro %}

{% macro default__add_months(date_expr, months) -%}
    cast({{ date_expr }} + ({{ months }}) * interval '1' month as date)
{%- endmacro %}

{% macro duckdb__add_months(date_expr, months) -%}
    cast(date_add({{ date_expr }}, to_months(cast({{ months }} as integer))) as date)
{%- endmacro %}

{% macro spark__add_months(date_expr, months) -%}
    add_months({{ date_expr }}, cast({{ months }} as int))
{%- endmacro %}

{% macro add_quarters(date_expr, quarters) -%}
    {{ add_months(date_expr, '(' ~ quarters ~ ') * 3') }}
{%- endmacro %}

{% macro add_years(date_expr, years) -%}
    {{ add_months(date_expr, '(' ~ years ~ ') * 12') }}
{%- endmacro %}

{#- `date_expr` plus `days` (an integer expression) days, as a date. -#}
{% macro add_days(date_expr, days) -%}
    {{ return(adapter.dispatch('add_days', 'chemsafe_esg')(date_expr, days)) }}
{%- endmacro %}

{% macro default__add_days(date_expr, days) -%}
    cast({{ date_expr }} + ({{ days }}) * interval '1' day as date)
{%- endmacro %}

{% macro duckdb__add_days(date_expr, days) -%}
    cast(date_add({{ date_expr }}, to_days(cast({{ days }} as integer))) as date)
{%- endmacro %}

{% macro spark__add_days(date_expr, days) -%}
    date_add({{ date_expr }}, cast({{ days }} as int))
{%- endmacro %}

{#- Days from `start_date` to `end_date` (negative when end is earlier), as a bigint on
    every engine (Spark's datediff returns int; the marts' contracts say bigint). -#}
{% macro days_between(start_date, end_date) -%}
    cast({{ dbt.datediff(start_date, end_date, 'day') }} as {{ dbt.type_bigint() }})
{%- endmacro %}

{#- Quarter boundaries crossed from `start_date` to `end_date` (DuckDB's and standard
    datediff('quarter') meaning): a difference of running quarter numbers. -#}
{% macro quarters_between(start_date, end_date) -%}
    ({{ quarter_index(end_date) }} - {{ quarter_index(start_date) }})
{%- endmacro %}

{% macro quarter_start(date_expr) -%}
    cast({{ dbt.date_trunc('quarter', date_expr) }} as date)
{%- endmacro %}

{% macro quarter_end(date_expr) -%}
    {{ add_days(add_quarters(quarter_start(date_expr), 1), -1) }}
{%- endmacro %}

{% macro quarter_label(date_expr) -%}
    cast(extract(year from {{ date_expr }}) as {{ dbt.type_string() }})
        || '-Q' || cast(extract(quarter from {{ date_expr }}) as {{ dbt.type_string() }})
{%- endmacro %}

{#- A running quarter number (year * 4 + quarter of the year), so that "the four quarters
    ending with quarter q" is index between q - 3 and q, with no date arithmetic. -#}
{% macro quarter_index(date_expr) -%}
    (cast(extract(year from {{ date_expr }}) as {{ dbt.type_int() }}) * 4
        + cast(extract(quarter from {{ date_expr }}) as {{ dbt.type_int() }}))
{%- endmacro %}
