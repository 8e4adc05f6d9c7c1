{#- The inventory tolerance in exact decimal arithmetic (kpi_spec "Inventory tolerance"): a
    line matches when |counted_kg - quantity_kg| <= max(abs_tol_kg, rel_tol x quantity_kg).

    Exact on every engine only if no intermediate result is rounded. Spark gives the
    product of two decimals p1 + p2 + 1 digits and, past 38, cuts its scale (to 6
    decimals for decimal(12, 9) x decimal(38, 10)); the difference of two decimal(38, 10)
    loses its tenth decimal. DuckDB keeps the product's 19 decimals, but rounded the
    tolerance half-up to 10 decimals when it was put beside abs_tol_kg. Each of those
    matched lines that are out of tolerance (the unit test
    inventory_tolerance_is_exact_at_ten_decimals has one of each).

    So the operands are sized so that every result fits 38 digits whole: a quantity has at
    most 18 digits before the point and 10 after (the extract contract), decimal(28, 10);
    a relative tolerance at most 8 decimals and below 10 (the seed test
    assert_inventory_tolerances_fit_exact_arithmetic), decimal(9, 8). Their product is a
    decimal(38, 18), exact. -#}

{#- A quantity of the extract contract in the narrowest decimal type holding it whole. -#}
{% macro exact_quantity(expr) -%}
    cast({{ expr }} as decimal(28, 10))
{%- endmacro %}

{#- counted - quantity, exact (decimal(29, 10) inside), as a type_quantity(). -#}
{% macro exact_difference_kg(counted_kg, quantity_kg) -%}
    cast({{ exact_quantity(counted_kg) }} - {{ exact_quantity(quantity_kg) }} as {{ type_quantity() }})
{%- endmacro %}

{#- max(abs_tol_kg, rel_tol x quantity_kg), exact, then floored to the quantities' 10
    decimals: a difference (10 decimals) is within the exact tolerance exactly when it is
    within this one, so `abs_difference_kg <= tolerance_kg`, read from the two columns,
    decides the match. NULL when the quantity is NULL. The rounded product is moved down
    one step when rounding took it above the exact one, whatever the engine's rounding. -#}
{% macro inventory_tolerance_kg(rel_tol, quantity_kg, abs_tol_kg) -%}
    {%- set product = 'cast(' ~ rel_tol ~ ' as decimal(9, 8)) * ' ~ exact_quantity(quantity_kg) -%}
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
