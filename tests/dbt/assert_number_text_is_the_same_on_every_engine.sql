-- number_text (macros/cross_db/number_text.sql) writes the same text on every engine, as
-- worked out by hand: plain digits, no trailing zeros, one digit after the point, rounded
-- half up on the decimal value. fct_field_checklist's evidence lines are written with it,
-- and a Spark build must give DuckDB's text. Returns each case that comes out otherwise.
with cases as (

    select cast(0.875 as {{ type_double() }}) as value, 4 as places, '0.875' as expected
    union all
    select cast(1 as {{ type_double() }}) as value, 4 as places, '1.0' as expected
    union all
    select cast(0 as {{ type_double() }}) as value, 4 as places, '0.0' as expected
    union all
    select cast(-0.5 as {{ type_double() }}) as value, 4 as places, '-0.5' as expected
    union all
    -- one missed check in 2,000: Spark's text of the double is 5.0E-4
    select cast(1 as {{ type_double() }}) / 2000 as value, 4 as places, '0.0005' as expected
    union all
    -- Spark's text of the double is 1.2E7
    select cast(12000000 as {{ type_double() }}) as value, 4 as places, '12000000.0' as expected
    union all
    -- 3/20000 = 0.00015 exactly: half up is 0.0002 (the double is a hair below it, and
    -- DuckDB's round of the double gives 0.0001)
    select cast(3 as {{ type_double() }}) / 20000 as value, 4 as places, '0.0002' as expected
    union all
    select cast(8 as {{ type_double() }}) / 9 as value, 4 as places, '0.8889' as expected
    union all
    select cast(0.95 as {{ type_double() }}) as value, 10 as places, '0.95' as expected

),

written as (

    select
        value,
        places,
        expected,
        case places
            when 4 then {{ number_text('value', 4) }}
            else {{ number_text('value', 10) }}
        end as actual
    from cases

),

final as (

    select value, places, expected, actual
    from written
    where actual is null or actual <> expected

)

select * from final
