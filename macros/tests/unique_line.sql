{#- Fails for every physical line number (`_line` of the base_ and chk_ tables) held by
    more than one row, NULLs left out: dbt's `unique`, written so that it stays within
    DuckDB's memory bound while another node runs beside it.

    dbt's `unique` groups: one hash table of every distinct value, whose first allocation
    (128 MiB at 10M findings) must be had at once. When dbt ran it beside a model that had
    taken the shared bound (int_inventory_reconciliation_lines at 10M findings), the two
    ran out of memory together in about half the start times tried by hand; compared in
    sorted order, the same check passed at every start time, as fast on these integer
    line numbers (0.64 s against 0.67 s alone for chk_ehs__findings at 10M). README
    "Performance".

    On Spark the grouping stays: a window with no partition would move every row to one
    task. -#}
{% test unique_line(model, column_name) %}
    {%- set check = adapter.dispatch('test_unique_line', 'chemsafe_esg') -%}
    {{ check(model, column_name) }}
{% endtest %}

{% macro default__test_unique_line(model, column_name) -%}
    {{ test_unique_combination_of_columns(
        present_values(model, column_name), [column_name], strategy='sort') }}
{%- endmacro %}

{% macro spark__test_unique_line(model, column_name) -%}
    {{ test_unique_combination_of_columns(
        present_values(model, column_name), [column_name], strategy='hash') }}
{%- endmacro %}

{#- The rows of `model` where `column_name` is not NULL, as a subquery to select from. -#}
{% macro present_values(model, column_name) -%}
    (select {{ column_name }} from {{ model }} where {{ column_name }} is not null) as present
{%- endmacro %}
