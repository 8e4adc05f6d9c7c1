{#- A relation of integers 0 .. 10^digits - 1 in a column `n`, built from plain unions and
    cross joins so it runs on any engine (no generate_series). -#}
{% macro integer_series(digits=3) -%}
    {%- for position in range(digits) %}
    {{ 'cross join' if not loop.first else 'from' }} (
        {%- for d in range(10) %}
        select {{ d }} as d{{ ' union all' if not loop.last }}
        {%- endfor %}
    ) as digit_{{ position }}
    {%- endfor %}
{%- endmacro %}

{% macro integer_series_value(digits=3) -%}
    {%- for position in range(digits) -%}
        digit_{{ position }}.d * {{ 10 ** position }}{{ ' + ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
