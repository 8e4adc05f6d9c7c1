{#- The composite-key test (macros/tests/unique_combination_of_columns.sql) reports the
    same repeated combinations, with the same occurrence counts, whether it groups
    (strategy 'hash') or compares neighbours in sorted order (strategy 'sort', used where a
    table outgrows the memory bound), and both match the repeats listed here by hand:
    a combination three times, NULL equal to NULL in the last and in a partitioning
    column, and near misses that differ in one column only. Rows returned = a strategy
    reports something else. -#}
{%- set s = dbt.type_string() -%}
{%- set lines -%}
(
    select 'a' as reconciliation, 'q1' as period, 'k1' as line_key
    union all select 'a', 'q1', 'k1'
    union all select 'a', 'q1', 'k1'
    union all select 'a', 'q1', 'k2'
    union all select 'a', 'q2', 'k1'
    union all select 'b', 'q1', 'k1'
    union all select 'b', 'q1', cast(null as {{ s }})
    union all select 'b', 'q1', cast(null as {{ s }})
    union all select 'b', 'q2', cast(null as {{ s }})
    union all select cast(null as {{ s }}), 'q1', 'k1'
    union all select cast(null as {{ s }}), 'q1', 'k1'
    union all select 'c', 'q1', 'k9'
) as lines
{%- endset -%}
{%- set columns = ['reconciliation', 'period', 'line_key'] -%}

with expected as (

    select 'a' as reconciliation, 'q1' as period, 'k1' as line_key, 3 as occurrences
    union all
    select
        'b' as reconciliation, 'q1' as period, cast(null as {{ s }}) as line_key,
        2 as occurrences
    union all
    select
        cast(null as {{ s }}) as reconciliation, 'q1' as period, 'k1' as line_key,
        2 as occurrences

),

by_hash as (

    {{ test_unique_combination_of_columns(lines, columns, strategy='hash') }}

),

by_sort as (

    {{ test_unique_combination_of_columns(lines, columns, strategy='sort') }}

),

reported as (

    select 'hash' as strategy, * from by_hash
    union all
    select 'sort' as strategy, * from by_sort

),

wanted as (

    {{ expected_for_each('strategy', ['hash', 'sort'], 'expected') }}

),

{# a row on one side only, or a different count, is a difference #}
differences as (

    {{ repeats_that_differ('wanted', 'reported', 'strategy', columns) }}

)

select * from differences
