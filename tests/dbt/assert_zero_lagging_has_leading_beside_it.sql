-- "Zero accidents" alone hides risk (domain.md): the disclosure package must never report
-- a lagging count of 0 without a leading indicator of the same pair beside it, with a value.
-- Returns every (period, lagging item) that would be reported alone.
with package as (

    select * from {{ ref('esg_disclosure_package') }}

),

zero_lagging as (

    select * from package
    where role = 'lagging' and value = 0

),

leading_beside as (

    select period_type, period, pair_id, count(*) as leading_items
    from package
    where role = 'leading' and value is not null
    group by period_type, period, pair_id

),

final as (

    select
        zero_lagging.period_type,
        zero_lagging.period,
        zero_lagging.item_code,
        zero_lagging.pair_id
    from zero_lagging
    left join leading_beside
        on zero_lagging.period_type = leading_beside.period_type
        and zero_lagging.period = leading_beside.period
        and zero_lagging.pair_id = leading_beside.pair_id
    where leading_beside.leading_items is null

)

select * from final
