{#- Quarter helpers (calendar quarters, labelled YYYY-Qn). -#}

{% macro quarter_start(date_expr) -%}
    cast({{ dbt.date_trunc('quarter', date_expr) }} as date)
{%- endmacro %}

{% macro quarter_end(date_expr) -%}
    cast({{ dbt.dateadd('day', -1, dbt.dateadd('quarter', 1, dbt.date_trunc('quarter', date_expr))) }} as date)
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
