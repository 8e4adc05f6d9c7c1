{#- Trim a raw cell the way the contract means "trimmed": spaces, tabs, line breaks,
    no-break and ideographic spaces at both ends; empty after trimming is NULL. -#}
{% macro trim_whitespace(expr) -%}
    {{ return(adapter.dispatch('trim_whitespace', 'chemsafe_esg')(expr)) }}
{%- endmacro %}

{% macro default__trim_whitespace(expr) -%}
    nullif(trim({{ expr }}), '')
{%- endmacro %}

{#- DuckDB: trim() with a character list costs about three times a plain copy of the
    column (2.8M inspection rows: 1.9 s for eight columns against 0.77 s guarded), so it
    runs only on a cell whose first or last character is one of the list (x[1] and x[-1]
    are characters, not bytes): any other cell is already trimmed. -#}
{% macro duckdb__trim_whitespace(expr) -%}
    {%- set chars = "' ' || chr(9) || chr(10) || chr(13) || chr(160) || chr(12288)" -%}
    nullif(case
        when contains({{ chars }}, ({{ expr }})[1]) or contains({{ chars }}, ({{ expr }})[-1])
        then trim({{ expr }}, {{ chars }})
        else {{ expr }}
    end, '')
{%- endmacro %}

{#- Spark: the same characters as on DuckDB. Spark's char(n) is chr(n % 256), so the
    no-break and ideographic spaces are written as \u escapes in the string literal. -#}
{% macro spark__trim_whitespace(expr) -%}
    nullif(trim(both ' \t\n\r\u00A0\u3000' from {{ expr }}), '')
{%- endmacro %}
