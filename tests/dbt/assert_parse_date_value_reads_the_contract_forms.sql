{#- parse_date_value (macros/staging/parse_values.sql) on every engine: the contract's four
    forms, zero-padded, each a real calendar date (YYYY-MM-DD is cast as written, the
    others are rebuilt into it first); anything else is NULL (bad_date). Expected values
    written by hand. Rows returned = wrong results. -#}

with cases as (
    select 'dashed' as case_name, cast('2024-03-31' as {{ dbt.type_string() }}) as raw,
        cast('2024-03-31' as date) as expected
    union all
    select 'dotted' as case_name, cast('2024.03.31' as {{ dbt.type_string() }}) as raw,
        cast('2024-03-31' as date) as expected
    union all
    select 'slashed' as case_name, cast('2024/03/31' as {{ dbt.type_string() }}) as raw,
        cast('2024-03-31' as date) as expected
    union all
    select 'compact' as case_name, cast('20240331' as {{ dbt.type_string() }}) as raw,
        cast('2024-03-31' as date) as expected
    union all
    select 'leap day' as case_name, cast('2024-02-29' as {{ dbt.type_string() }}) as raw,
        cast('2024-02-29' as date) as expected
    union all
    select 'dashed, not a calendar date' as case_name, cast('2025-02-30' as {{ dbt.type_string() }}) as raw,
        cast(null as date) as expected
    union all
    select 'compact, not a calendar date' as case_name, cast('20250230' as {{ dbt.type_string() }}) as raw,
        cast(null as date) as expected
    union all
    select 'dashed, month 13' as case_name, cast('2024-13-01' as {{ dbt.type_string() }}) as raw,
        cast(null as date) as expected
    union all
    select 'year 0000' as case_name, cast('0000-01-01' as {{ dbt.type_string() }}) as raw,
        cast(null as date) as expected
    union all
    select 'not zero-padded' as case_name, cast('2024-3-31' as {{ dbt.type_string() }}) as raw,
        cast(null as date) as expected
    union all
    select 'mixed separators' as case_name, cast('2024-03/31' as {{ dbt.type_string() }}) as raw,
        cast(null as date) as expected
    union all
    select 'trailing text' as case_name, cast('2024-03-31x' as {{ dbt.type_string() }}) as raw,
        cast(null as date) as expected
    union all
    select 'time of day' as case_name, cast('2024-03-31 10:00' as {{ dbt.type_string() }}) as raw,
        cast(null as date) as expected
    union all
    select 'null' as case_name, cast(null as {{ dbt.type_string() }}) as raw,
        cast(null as date) as expected
),

parsed as (
    select
        case_name,
        raw,
        expected,
        {{ parse_date_value('raw') }} as parsed
    from cases
),

final as (
    select * from parsed
    where {{ differs('parsed', 'expected') }}
)

select * from final
