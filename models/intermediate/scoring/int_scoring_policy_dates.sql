{#- The scoring policy in force on each date a score is computed for: every quarter end
    of the reporting window and the run's as-of date. One row per policy_date, with each
    parameter, each risk weight and the policy versions they come from. -#}
with quarters as (

    select quarter_end as policy_date from {{ ref('int_reporting_quarters') }}

),

policy_dates as (

    select policy_date from quarters
    union
    select {{ as_of_date() }} as policy_date

),

final as (

    select
        policy_date,
        {{ policy_risk_weight('LOW', 'policy_date') }} as risk_weight_low,
        {{ policy_risk_weight('MEDIUM', 'policy_date') }} as risk_weight_medium,
        {{ policy_risk_weight('HIGH', 'policy_date') }} as risk_weight_high,
        {{ policy_risk_weight_version('policy_date') }} as weight_policy_version,
        {{ policy_parameter('open_factor_days', 'policy_date') }} as open_factor_days,
        {{ policy_parameter('repeat_factor', 'policy_date') }} as repeat_factor,
        cast({{ policy_parameter('repeat_window_days', 'policy_date') }} as {{ dbt.type_int() }})
            as repeat_window_days,
        cast({{ policy_parameter('major_severity', 'policy_date') }} as {{ dbt.type_int() }})
            as major_severity,
        {{ policy_parameter_version('open_factor_days', 'policy_date') }} as parameter_policy_version
    from policy_dates

)

select * from final
