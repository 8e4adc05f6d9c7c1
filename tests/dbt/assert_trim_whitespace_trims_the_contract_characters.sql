{#- trim_whitespace (macros/cross_db/trim_whitespace.sql) trims the same characters on
    every engine: space, tab, CR, LF, no-break space (U+00A0, chr(160)) and ideographic
    space (U+3000, written as the character itself: this file is UTF-8, and Spark's
    char(12288) is not U+3000), at both ends only; empty after trimming is NULL.
    dbt-spark's plain trim() trims spaces only. Rows returned = wrong results. -#}

with cases as (
    select 'spaces' as case_name, {{ trim_whitespace("('  value  ')") }} as trimmed,
        cast('value' as {{ dbt.type_string() }}) as expected
    union all
    select 'tab, CR, LF' as case_name, {{ trim_whitespace("('' || chr(9) || 'value' || chr(13) || '' || chr(10) || '')") }} as trimmed,
        cast('value' as {{ dbt.type_string() }}) as expected
    union all
    select 'no-break space U+00A0' as case_name, {{ trim_whitespace("('' || chr(160) || 'value' || chr(160) || '')") }} as trimmed,
        cast('value' as {{ dbt.type_string() }}) as expected
    union all
    select 'ideographic space U+3000' as case_name, {{ trim_whitespace("('　값　')") }} as trimmed,
        cast('값' as {{ dbt.type_string() }}) as expected
    union all
    select 'all of them' as case_name, {{ trim_whitespace("(' ' || chr(9) || '' || chr(160) || '　value with  inner  spaces　' || chr(160) || '' || chr(10) || '' || chr(13) || ' ')") }} as trimmed,
        cast('value with  inner  spaces' as {{ dbt.type_string() }}) as expected
    union all
    select 'only whitespace' as case_name, {{ trim_whitespace("(' ' || chr(9) || '' || chr(160) || '　' || chr(13) || '' || chr(10) || '')") }} as trimmed,
        cast(null as {{ dbt.type_string() }}) as expected
    union all
    select 'empty' as case_name, {{ trim_whitespace("('')") }} as trimmed,
        cast(null as {{ dbt.type_string() }}) as expected
    -- DuckDB trims only a cell whose first or last character is one of them: one end each,
    -- a multi-byte character at the other end, one character, nothing to trim, NULL
    union all
    select 'leading only' as case_name, {{ trim_whitespace("('' || chr(9) || ' value')") }} as trimmed,
        cast('value' as {{ dbt.type_string() }}) as expected
    union all
    select 'trailing only, Korean first' as case_name, {{ trim_whitespace("('값 value' || chr(160) || '　')") }} as trimmed,
        cast('값 value' as {{ dbt.type_string() }}) as expected
    union all
    select 'one space' as case_name, {{ trim_whitespace("(' ')") }} as trimmed,
        cast(null as {{ dbt.type_string() }}) as expected
    union all
    select 'one character' as case_name, {{ trim_whitespace("('x')") }} as trimmed,
        cast('x' as {{ dbt.type_string() }}) as expected
    union all
    select 'inner only' as case_name, {{ trim_whitespace("('a' || chr(160) || '　b')") }} as trimmed,
        cast('a' || chr(160) || '　b' as {{ dbt.type_string() }}) as expected
    union all
    select 'null' as case_name, {{ trim_whitespace("cast(null as " ~ dbt.type_string() ~ ")") }} as trimmed,
        cast(null as {{ dbt.type_string() }}) as expected
),

final as (
    select * from cases
    where {{ differs('trimmed', 'expected') }}
)

select * from final
