{#- The scoring policy in force on each date a score is computed for: every quarter end
    of the reporting window and the run's as-of date. One row per policy_date, with each
    parameter, each risk weight and the policy versions they come from. -#}
with quarters as (

    select * from {{ ref('int_reporting_quarters') }}

),

as_of as (

    select * from {{ ref('int_as_of_date') }}

),

scoring_parameters as (

    select * from {{ ref('scoring_parameters') }}

),

scoring_risk_weights as (

    select * from {{ ref('scoring_risk_weights') }}

),

policy_dates as (

    select quarter_end as policy_date from quarters
    union
    select as_of_date as policy_date from as_of

),

parameters_in_force as (

    select
        policy_dates.policy_date,
        scoring_parameters.parameter,
        scoring_parameters.parameter_value,
        scoring_parameters.policy_version
    from policy_dates
    left join scoring_parameters
        on {{ in_force('scoring_parameters', 'policy_dates.policy_date') }}

),

weights_in_force as (

    select
        policy_dates.policy_date,
        scoring_risk_weights.risk_tier,
        scoring_risk_weights.risk_weight,
        scoring_risk_weights.policy_version
    from policy_dates
    left join scoring_risk_weights
        on {{ in_force('scoring_risk_weights', 'policy_dates.policy_date') }}

),

parameters_by_date as (

    select
        policy_date,
        {{ pivot_parameters('parameters_in_force',
                            ['open_factor_days', 'repeat_factor', 'repeat_window_days',
                             'major_severity']) }},
        max(case when parameter = 'open_factor_days' then policy_version end)
            as parameter_policy_version
    from parameters_in_force
    group by policy_date

),

weights_by_date as (

    select
        policy_date,
        max(case when risk_tier = 'LOW' then risk_weight end) as risk_weight_low,
        max(case when risk_tier = 'MEDIUM' then risk_weight end) as risk_weight_medium,
        max(case when risk_tier = 'HIGH' then risk_weight end) as risk_weight_high,
        max(policy_version) as weight_policy_version
    from weights_in_force
    group by policy_date

),

final as (

    select
        parameters_by_date.policy_date,
        weights_by_date.risk_weight_low,
        weights_by_date.risk_weight_medium,
        weights_by_date.risk_weight_high,
        weights_by_date.weight_policy_version,
        parameters_by_date.open_factor_days,
        parameters_by_date.repeat_factor,
        cast(parameters_by_date.repeat_window_days as {{ dbt.type_int() }}) as repeat_window_days,
        cast(parameters_by_date.major_severity as {{ dbt.type_int() }}) as major_severity,
        parameters_by_date.parameter_policy_version
    from parameters_by_date
    inner join weights_by_date
        on parameters_by_date.policy_date = weights_by_date.policy_date

)

select * from final
