{#- Fails for every row where the SQL boolean expression is not true
    (after dbt-utils' expression_is_true; NULL counts as a failure). -#}
{% test expression_is_true(model, expression, where_clause=none) %}

with checked as (

    select * from {{ model }}
    {%- if where_clause %}
    where {{ where_clause }}
    {%- endif %}

),

final as (

    select * from checked
    where not coalesce({{ expression }}, false)

)

select * from final

{% endtest %}
