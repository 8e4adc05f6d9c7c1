{#- Open findings scored at each quarter end: one row per finding per quarter end of the
    reporting window at which it was open (found_on <= quarter_end and not closed by then:
    closed_on NULL or after quarter_end), with days_open and the score as of that quarter
    end under the policy in force on it. Tier = the facility's tier on found_on. The one
    computation both the mart fct_finding_quarter_snapshots and the open-risk KPI events
    (int_kpi_events__findings) read. -#}
with findings as (

    select * from {{ ref('stg_ehs__findings') }}

),

facilities as (

    select * from {{ ref('stg_ehs__facilities') }}

),

quarters as (

    select * from {{ ref('int_reporting_quarters') }}

),

tier_history as (

    select * from {{ ref('int_facility_tier_history') }}

),

repeats as (

    select * from {{ ref('int_finding_repeats') }}

),

policy as (

    select * from {{ ref('int_scoring_policy_dates') }}

),

open_at_quarter_end as (

    select
        quarters.period,
        quarters.quarter_end,
        findings.finding_id,
        findings.facility_id,
        findings.category,
        findings.severity,
        findings.found_on,
        findings.closed_on,
        findings.repeat_of_finding_id
    from quarters
    inner join findings
        on findings.found_on <= quarters.quarter_end
        and (findings.closed_on is null or findings.closed_on > quarters.quarter_end)

),

with_factors as (

    select
        open_at_quarter_end.*,
        facilities.site_id,
        tier_history.risk_tier as risk_tier_on_found,
        tier_history.is_unassessed as is_unassessed_on_found,
        {{ risk_weight('tier_history.risk_tier', 'policy') }} as risk_weight,
        policy.weight_policy_version,
        policy.parameter_policy_version,
        policy.major_severity,
        policy.open_factor_days,
        policy.repeat_factor as policy_repeat_factor,
        {{ days_open('open_at_quarter_end.found_on', 'open_at_quarter_end.closed_on',
                     'open_at_quarter_end.quarter_end') }} as days_open,
        {{ repeat_rule('open_at_quarter_end.repeat_of_finding_id',
                       'repeats.days_since_previous_same_category',
                       'policy.repeat_window_days') }} is not null as is_repeat
    from open_at_quarter_end
    inner join facilities
        on open_at_quarter_end.facility_id = facilities.facility_id
    inner join tier_history
        on {{ facility_tier_on('tier_history', 'open_at_quarter_end.facility_id',
                               'open_at_quarter_end.found_on') }}
    inner join policy
        on open_at_quarter_end.quarter_end = policy.policy_date
    inner join repeats
        on open_at_quarter_end.facility_id = repeats.facility_id
        and open_at_quarter_end.category = repeats.category
        and open_at_quarter_end.found_on = repeats.found_on

),

final as (

    select
        finding_id,
        period,
        quarter_end,
        site_id,
        facility_id,
        category,
        severity,
        severity >= major_severity as is_major,
        found_on,
        closed_on,
        risk_tier_on_found,
        is_unassessed_on_found,
        risk_weight,
        weight_policy_version,
        days_open,
        open_factor_days,
        {{ open_factor('days_open', 'open_factor_days') }} as open_factor,
        is_repeat,
        {{ repeat_multiplier('is_repeat', 'policy_repeat_factor') }} as repeat_factor,
        parameter_policy_version,
        {{ finding_score('risk_weight', 'severity', 'days_open', 'open_factor_days',
                         'is_repeat', 'policy_repeat_factor') }} as finding_score
    from with_factors

)

select * from final
