{#- left = right, with NULL equal to NULL (what GROUP BY and PARTITION BY do), written in
    standard SQL for every engine (DuckDB's IS NOT DISTINCT FROM and Spark's <=> differ). -#}
{% macro null_safe_equal(left, right) -%}
    ({{ left }} = {{ right }} or ({{ left }} is null and {{ right }} is null))
{%- endmacro %}
