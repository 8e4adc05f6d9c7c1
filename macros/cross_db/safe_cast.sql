{#- dbt's default safe_cast is a plain cast, which fails the whole query on one bad
    value. On DuckDB use try_cast, which yields NULL; the staging models turn that NULL
    into a rejection reason. -#}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

{#- Spark: try_cast (a plain cast fails the query under ANSI mode, Spark 4's default). -#}
{% macro spark__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
