{#- The per-value reference test (macros/tests/relationships_of_values.sql) reports the
    child rows whose value has no parent, one row per child row, NULLs left out, as listed
    here by hand, and the same rows as dbt's own `relationships`: a value with a parent
    (twice), a value without one twice, another once, NULL twice (not checked), and a
    parent with no child. Rows returned = one of the two reports something else. -#}
{%- set children -%}
(
    select 'I1' as inspection_id
    union all select 'I1'
    union all select 'I9'
    union all select 'I9'
    union all select 'I8'
    union all select cast(null as {{ dbt.type_string() }})
    union all select cast(null as {{ dbt.type_string() }})
) as children
{%- endset -%}
{%- set parents -%}
(
    select 'I1' as inspection_id
    union all select 'I2'
) as parents
{%- endset -%}

with expected as (

    select 'I9' as inspection_id, 2 as occurrences
    union all
    select 'I8' as inspection_id, 1 as occurrences

),

by_values as (

    {{ test_relationships_of_values(children, 'inspection_id', parents, 'inspection_id') }}

),

by_dbt_relationships as (

    {{ test_relationships(children, 'inspection_id', parents, 'inspection_id') }}

),

reported_rows as (

    select 'relationships_of_values' as test_name, from_field as inspection_id
    from by_values
    union all
    select 'relationships' as test_name, from_field as inspection_id
    from by_dbt_relationships

),

reported as (

    select test_name, inspection_id, count(*) as occurrences
    from reported_rows
    group by test_name, inspection_id

),

wanted as (

    {{ expected_for_each('test_name', ['relationships_of_values', 'relationships'], 'expected') }}

),

final as (

    {{ repeats_that_differ('wanted', 'reported', 'test_name', ['inspection_id']) }}

)

select * from final
