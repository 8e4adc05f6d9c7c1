{#- Versioned, approved policy (reference seeds scoring_parameters, scoring_risk_weights
    and kpi_parameters). The version in force on date d is the one with
    valid_from <= d < valid_to (valid_to NULL = open). Changing policy is adding a row. -#}

{% macro in_force(table_alias, on_date) -%}
    {{ table_alias }}.valid_from <= {{ on_date }}
    and ({{ table_alias }}.valid_to is null or {{ on_date }} < {{ table_alias }}.valid_to)
{%- endmacro %}

{% macro policy_parameter(parameter, on_date, seed='scoring_parameters') -%}
    (
        select max(p.parameter_value)
        from {{ ref(seed) }} as p
        where p.parameter = '{{ parameter }}'
          and {{ in_force('p', on_date) }}
    )
{%- endmacro %}

{% macro policy_parameter_version(parameter, on_date, seed='scoring_parameters') -%}
    (
        select max(p.policy_version)
        from {{ ref(seed) }} as p
        where p.parameter = '{{ parameter }}'
          and {{ in_force('p', on_date) }}
    )
{%- endmacro %}

{% macro policy_risk_weight(risk_tier, on_date) -%}
    (
        select max(w.risk_weight)
        from {{ ref('scoring_risk_weights') }} as w
        where w.risk_tier = '{{ risk_tier }}'
          and {{ in_force('w', on_date) }}
    )
{%- endmacro %}

{% macro policy_risk_weight_version(on_date) -%}
    (
        select max(w.policy_version)
        from {{ ref('scoring_risk_weights') }} as w
        where {{ in_force('w', on_date) }}
    )
{%- endmacro %}
