{#- Versioned, approved policy (reference seeds scoring_parameters, scoring_risk_weights
    and kpi_parameters). The version in force on date d is the one with
    valid_from <= d < valid_to (valid_to NULL = open). Changing policy is adding a row. -#}

{% macro in_force(table_alias, on_date) -%}
    {{ table_alias }}.valid_from <= {{ on_date }}
    and ({{ table_alias }}.valid_to is null or {{ on_date }} < {{ table_alias }}.valid_to)
{%- endmacro %}

{#- The parameters in force, one column each: select-list expressions over rows of a
    parameter seed already joined to the dates they apply on (see the models'
    `*_in_force` CTEs), grouped by date. Pure expressions: the seed and the join are in
    the model, where dbt docs and a reader see them. -#}
{% macro pivot_parameters(rows_alias, parameters, name_column='parameter',
                          value_column='parameter_value') -%}
    {%- for parameter in parameters %}
        max(case when {{ rows_alias }}.{{ name_column }} = '{{ parameter }}'
                 then {{ rows_alias }}.{{ value_column }} end) as {{ parameter }}
        {%- if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}
