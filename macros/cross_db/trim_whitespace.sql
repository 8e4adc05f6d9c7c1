{#- Trim a raw cell the way the contract means "trimmed": spaces, tabs, line breaks,
    no-break and ideographic spaces at both ends; empty after trimming is NULL. -#}
{% macro trim_whitespace(expr) -%}
    {{ return(adapter.dispatch('trim_whitespace', 'chemsafe_esg')(expr)) }}
{%- endmacro %}

{% macro default__trim_whitespace(expr) -%}
    nullif(trim({{ expr }}), '')
{%- endmacro %}

{% macro duckdb__trim_whitespace(expr) -%}
    nullif(trim({{ expr }}, ' ' || chr(9) || chr(10) || chr(13) || chr(160) || chr(12288)), '')
{%- endmacro %}

{#- Spark: the same characters as on DuckDB. Spark's char(n) is chr(n % 256), so the
    no-break and ideographic spaces are written as \u escapes in the string literal. -#}
{% macro spark__trim_whitespace(expr) -%}
    nullif(trim(both ' \t\n\r\u00A0\u3000' from {{ expr }}), '')
{%- endmacro %}
