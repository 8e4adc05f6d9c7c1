{#- The finding score of kpi_spec.md, the one place it is computed:

        risk_weight * severity * (1 + days_open / open_factor_days)
                    * (repeat_factor if is_repeat else 1.0)

    Real (double precision) arithmetic throughout, so 45 / 30 = 1.5 and the result equals
    the spec's Python reference to 1e-9 (tested with hypothesis). -#}
{% macro finding_score(risk_weight, severity, days_open, open_factor_days, is_repeat, repeat_factor) -%}
    (
        cast({{ risk_weight }} as {{ type_double() }})
        * cast({{ severity }} as {{ type_double() }})
        * {{ open_factor(days_open, open_factor_days) }}
        * {{ repeat_multiplier(is_repeat, repeat_factor) }}
    )
{%- endmacro %}

{% macro open_factor(days_open, open_factor_days) -%}
    (1.0 + cast({{ days_open }} as {{ type_double() }}) / cast({{ open_factor_days }} as {{ type_double() }}))
{%- endmacro %}

{% macro repeat_multiplier(is_repeat, repeat_factor) -%}
    (case when {{ is_repeat }} then cast({{ repeat_factor }} as {{ type_double() }}) else 1.0 end)
{%- endmacro %}

{#- days_open as of date A: (least(closed_on, A) if closed_on else A) - found_on, whole
    days, never below 0. -#}
{% macro days_open(found_on, closed_on, as_of) -%}
    greatest(
        {{ days_between(found_on, "case when " ~ closed_on ~ " is not null and " ~ closed_on ~ " < " ~ as_of ~ " then " ~ closed_on ~ " else " ~ as_of ~ " end") }},
        0
    )
{%- endmacro %}
