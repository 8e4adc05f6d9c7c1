{#- The line-number uniqueness test (macros/tests/unique_line.sql, a sort on DuckDB, a
    grouping on Spark) reports the repeated values with their counts, NULLs left out, as
    listed here by hand, and the same rows as dbt's own `unique`: a value twice, a value
    three times, NULL twice (not a repeat), neighbours that differ by one. Rows returned =
    one of the two reports something else. -#}
{%- set lines -%}
(
    select cast(1 as bigint) as _line
    union all select cast(2 as bigint)
    union all select cast(2 as bigint)
    union all select cast(3 as bigint)
    union all select cast(3 as bigint)
    union all select cast(3 as bigint)
    union all select cast(4 as bigint)
    union all select cast(null as bigint)
    union all select cast(null as bigint)
) as lines
{%- endset -%}

with expected as (

    select cast(2 as bigint) as _line, 2 as occurrences
    union all
    select cast(3 as bigint) as _line, 3 as occurrences

),

by_unique_line as (

    {{ test_unique_line(lines, '_line') }}

),

by_dbt_unique as (

    {{ test_unique(lines, '_line') }}

),

reported as (

    select 'unique_line' as test_name, _line, occurrences from by_unique_line
    union all
    select 'unique' as test_name, unique_field as _line, n_records as occurrences
    from by_dbt_unique

),

wanted as (

    {{ expected_for_each('test_name', ['unique_line', 'unique'], 'expected') }}

),

final as (

    {{ repeats_that_differ('wanted', 'reported', 'test_name', ['_line']) }}

)

select * from final
