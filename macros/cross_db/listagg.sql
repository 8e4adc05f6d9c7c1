{#- dbt-spark's listagg drops the order_by_clause (collect_list in whatever order the
    rows arrive, with only a warning), so an aggregated text differed from DuckDB's. Spark 4
    has the standard listagg ... within group (order by ...). -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if limit_num -%}
        {{ exceptions.raise_compiler_error("listagg: limit_num is not supported on Spark here") }}
    {%- endif -%}
    listagg({{ measure }}, {{ delimiter_text }})
    {%- if order_by_clause %} within group ({{ order_by_clause }}){% endif %}
{%- endmacro %}
