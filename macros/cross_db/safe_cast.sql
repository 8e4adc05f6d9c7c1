{#- dbt's default safe_cast is a plain cast, which fails the whole query on one bad
    value. On DuckDB use try_cast, which yields NULL; the staging models turn that NULL
    into a rejection reason. -#}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
