{#- The improvement case of the disclosure package, chosen by a documented rule: among the
    findings closed in the period (closed_on in the quarter, or in the year for the annual
    package) that have a FINDING corrective action verified on or before the period end, the
    one with the highest finding_score (ties: higher severity, then the smaller finding_id).
    Grain: one row per (period_type, period) that has such a finding. -#}
with findings as (

    select * from {{ ref('fct_findings') }}

),

actions as (

    select * from {{ ref('stg_ehs__corrective_actions') }}

),

periods as (

    select * from {{ ref('int_reporting_periods') }}

),

verified_actions as (

    select
        source_id as finding_id,
        action_id,
        completed_on,
        verified_on
    from actions
    where source_type = 'FINDING'
      and verified_on is not null

),

candidates as (

    select
        periods.period_type,
        periods.period,
        periods.period_end,
        findings.finding_id,
        findings.site_id,
        findings.facility_id,
        findings.category,
        findings.severity,
        findings.risk_tier_on_found,
        findings.found_on,
        findings.closed_on,
        findings.lead_time_days,
        findings.finding_score,
        findings.description,
        verified_actions.action_id,
        verified_actions.completed_on as action_completed_on,
        verified_actions.verified_on as action_verified_on,
        row_number() over (
            partition by periods.period_type, periods.period
            order by findings.finding_score desc, findings.severity desc,
                     findings.finding_id asc, verified_actions.verified_on asc,
                     verified_actions.action_id asc
        ) as case_rank
    from periods
    inner join findings
        on findings.closed_on >= periods.period_start
        and findings.closed_on <= periods.period_end
    inner join verified_actions
        on findings.finding_id = verified_actions.finding_id
        and verified_actions.verified_on <= periods.period_end

),

final as (

    select
        period_type,
        period,
        finding_id,
        site_id,
        facility_id,
        category,
        severity,
        risk_tier_on_found,
        found_on,
        closed_on,
        lead_time_days,
        finding_score,
        description,
        action_id,
        action_completed_on,
        action_verified_on,
        'Highest finding_score among findings closed in the period with a corrective action '
            || 'verified by the period end (ties: severity, then finding_id).' as selection_rule
    from candidates
    where case_rank = 1

)

select * from final
