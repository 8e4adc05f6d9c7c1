{#- The quarters of the reporting window, labelled YYYY-Qn, with the scoring policy
    versions in force on each quarter end. One row per quarter. -#}
with quarters as (

    select * from {{ ref('int_reporting_quarters') }}

),

policy as (

    select * from {{ ref('int_scoring_policy_dates') }}

),

as_of as (

    select * from {{ ref('int_as_of_date') }}

),

final as (

    select
        quarters.period,
        quarters.year,
        quarters.quarter_of_year,
        quarters.quarter_start,
        quarters.quarter_end,
        quarters.quarter_start as period_start,
        quarters.quarter_end as period_end,
        quarters.quarter_end = as_of.as_of_date as is_as_of_quarter,
        policy.weight_policy_version,
        policy.parameter_policy_version
    from quarters
    inner join policy
        on quarters.quarter_end = policy.policy_date
    cross join as_of

)

select * from final
