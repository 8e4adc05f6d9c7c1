{#- Exact decimal type for quantities, amounts and hours: the inventory tolerance rule
    is evaluated in exact decimal arithmetic, never binary floating point. -#}
{% macro type_quantity() -%}
    {{ return(adapter.dispatch('type_quantity', 'chemsafe_esg')()) }}
{%- endmacro %}

{% macro default__type_quantity() -%}
    decimal(38, 10)
{%- endmacro %}

{% macro type_date() -%}
    {{ return(adapter.dispatch('type_date', 'chemsafe_esg')()) }}
{%- endmacro %}

{% macro default__type_date() -%}
    date
{%- endmacro %}

{#- 64-bit floating point (dbt.type_float() is a 32-bit float on DuckDB). -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'chemsafe_esg')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double
{%- endmacro %}

{% macro postgres__type_double() -%}
    double precision
{%- endmacro %}
