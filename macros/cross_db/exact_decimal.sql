{#- Exact decimal arithmetic on every engine: the inventory tolerance (kpi_spec "Inventory
    tolerance", max(abs_tol_kg, rel_tol x quantity_kg)) and the PSE Tier 2 quantity
    (threshold quantity x tier2_tq_fraction).

    A product or difference of decimals is exact on every engine only if no intermediate
    result is rounded. Spark gives the product of two decimals p1 + p2 + 1 digits and,
    past 38, cuts its scale (to 6 decimals for decimal(12, 9) x decimal(38, 10) and for
    decimal(38, 10) x decimal(38, 10)); the difference of two decimal(38, 10) loses its
    tenth decimal. DuckDB kept the inventory product exact but rounded the tolerance
    half-up to 10 decimals where it met abs_tol_kg in a CASE. Each of those matched lines
    that are out of tolerance (unit test inventory_tolerance_is_exact_at_ten_decimals) or
    missed a Tier 2 release (pse_tier2_quantity_is_exact).

    So the operands are sized so that every result fits 38 digits whole: a quantity has at
    most 18 digits before the point and 10 after (the extract contract), decimal(28, 10);
    a rate (a relative tolerance, a fraction of a threshold) is from 0 to 1 with at most 8
    decimals (the seed test assert_rate_parameters_fit_exact_arithmetic), decimal(9, 8).
    Their product is a decimal(38, 18), exact. -#}

{#- A quantity of the extract contract in the narrowest decimal type holding it whole. -#}
{% macro exact_quantity(expr) -%}
    cast({{ expr }} as decimal(28, 10))
{%- endmacro %}

{#- A rate (0 to 1, at most 8 decimals) in the narrowest decimal type holding it whole. -#}
{% macro exact_rate(expr) -%}
    cast({{ expr }} as decimal(9, 8))
{%- endmacro %}

{#- rate x quantity, exact: a decimal(38, 18). -#}
{% macro exact_rate_of(rate, quantity) -%}
    ({{ exact_rate(rate) }} * {{ exact_quantity(quantity) }})
{%- endmacro %}

{#- counted - quantity, exact (decimal(29, 10) inside), as a type_quantity(). -#}
{% macro exact_difference_kg(counted_kg, quantity_kg) -%}
    cast({{ exact_quantity(counted_kg) }} - {{ exact_quantity(quantity_kg) }} as {{ type_quantity() }})
{%- endmacro %}

{#- The inventory tolerance: max(abs_tol_kg, rel_tol x quantity_kg), exact, then floored to
    the quantities' 10 decimals: a difference (10 decimals) is within the exact tolerance
    exactly when it is within this one, so `abs_difference_kg <= tolerance_kg`, read from
    the two columns, decides the match. NULL when the quantity is NULL. The rounded product
    is moved down one step when rounding took it above the exact one, whatever the
    engine's rounding. -#}
{% macro inventory_tolerance_kg(rel_tol, quantity_kg, abs_tol_kg) -%}
    {%- set product = exact_rate_of(rel_tol, quantity_kg) -%}
    {%- set rounded = exact_quantity(product) -%}
    {%- set floored = 'case when ' ~ rounded ~ ' > ' ~ product ~ ' then ' ~ rounded
                      ~ ' - 0.0000000001 else ' ~ rounded ~ ' end' -%}
    case
        when {{ quantity_kg }} is null then null
        when {{ floored }} > {{ exact_quantity(abs_tol_kg) }}
            then cast({{ floored }} as {{ type_quantity() }})
        else cast({{ exact_quantity(abs_tol_kg) }} as {{ type_quantity() }})
    end
{%- endmacro %}
