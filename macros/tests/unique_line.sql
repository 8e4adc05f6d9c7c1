{#- Fails for every physical line number (`_line` of the base_ and chk_ tables) held by
    more than one row, NULLs left out: dbt's `unique`, written so that it stays within
    DuckDB's memory bound while another node runs beside it.

    dbt's `unique` groups: one hash table of every distinct value, whose first allocation
    (128 MiB at 10M findings) must be had at once. When dbt ran it beside a model that had
    taken the shared bound (int_inventory_reconciliation_lines at 10M findings), the two
    ran out of memory together in about half the start times tried by hand; compared in
    sorted order, the same check passed at every start time, as fast on these integer
    line numbers (0.64 s against 0.67 s alone for chk_ehs__findings at 10M). README
    "Performance". -#}
{% test unique_line(model, column_name) %}
    {%- set present -%}
        (select {{ column_name }} from {{ model }} where {{ column_name }} is not null) as present
    {%- endset -%}
    {{ test_unique_combination_of_columns(
        present, [column_name],
        strategy=adapter.dispatch('unique_line_strategy', 'chemsafe_esg')()) }}
{% endtest %}

{#- The engine's strategy of unique_combination_of_columns for it: the sorted comparison,
    except on Spark, where a window with no partition would move every row to one task. -#}
{% macro default__unique_line_strategy() -%}
    {{ return('sort') }}
{%- endmacro %}

{% macro spark__unique_line_strategy() -%}
    {{ return('hash') }}
{%- endmacro %}
