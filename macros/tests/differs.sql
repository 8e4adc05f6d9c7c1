{#- True when a result differs from the value expected, NULL counting as a value of its
    own (NULL and NULL are the same; NULL and any value differ): the comparison of the
    singular tests that check a macro against hand-written expected values. Standard SQL
    (DuckDB's IS DISTINCT FROM and Spark's <=> differ). -#}
{% macro differs(actual, expected) -%}
    (({{ actual }} is null and {{ expected }} is not null)
        or ({{ actual }} is not null and {{ expected }} is null)
        or {{ actual }} <> {{ expected }})
{%- endmacro %}
