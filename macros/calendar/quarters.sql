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
