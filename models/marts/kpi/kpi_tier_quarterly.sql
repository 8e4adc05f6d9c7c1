{#- The tier view (domain.md, "different tiers, different management"): the measures that
    make sense per facility tier, by quarter, site (and company, site_id NULL) and tier
    (LOW / MEDIUM / HIGH; the tier of the facility on the event date). Long format, one row
    per (measure_code, period, site_id, risk_tier). is_management_focus marks how each tier
    is run: LOW by coverage (self-inspection), MEDIUM by lead time, HIGH by weighted open
    score and recurrence (repeat ratio).
      TIER_FINDINGS            findings found in the quarter (count)
      TIER_MAJOR_RATIO         major / all findings found in the quarter
      TIER_LEAD_TIME_DAYS      mean closed_on - found_on over findings closed in the quarter
      TIER_OPEN_RISK_SCORE     sum of finding_score over findings open at quarter end
      TIER_REPEAT_RATIO        repeat / all findings open at quarter end
      TIER_SELF_INSPECTION_COVERAGE  covered / required facility-weeks (tier on the Monday) -#}
with findings as (

    select * from {{ ref('fct_findings') }}

),

snapshots as (

    select * from {{ ref('int_finding_quarter_snapshots') }}

),

quarters as (

    select * from {{ ref('dim_quarters') }}

),

sites as (

    select * from {{ ref('dim_sites') }}

),

policy as (

    select * from {{ ref('int_scoring_policy_dates') }}

),

coverage_events as (

    select * from {{ ref('int_kpi_events__self_inspection') }}
    where kpi_code = 'LEAD_SELF_INSPECTION_COVERAGE'

),

tier_history as (

    select * from {{ ref('int_facility_tier_history') }}

),

measures as (

    select 'TIER_FINDINGS' as measure_code, 'count' as unit, '' as focus_tiers
    union all
    select 'TIER_MAJOR_RATIO' as measure_code, 'ratio' as unit, '' as focus_tiers
    union all
    select 'TIER_LEAD_TIME_DAYS' as measure_code, 'days' as unit, 'MEDIUM' as focus_tiers
    union all
    select 'TIER_OPEN_RISK_SCORE' as measure_code, 'score' as unit, 'HIGH' as focus_tiers
    union all
    select 'TIER_REPEAT_RATIO' as measure_code, 'ratio' as unit, 'HIGH' as focus_tiers
    union all
    select 'TIER_SELF_INSPECTION_COVERAGE' as measure_code, 'ratio' as unit,
           'LOW' as focus_tiers

),

tiers as (

    select 'LOW' as risk_tier
    union all
    select 'MEDIUM' as risk_tier
    union all
    select 'HIGH' as risk_tier

),

report_sites as (

    select site_id from sites
    union all
    select {{ dbt.safe_cast('null', dbt.type_string()) }} as site_id

),

found_in_quarter as (

    select
        quarters.period,
        findings.site_id,
        findings.risk_tier_on_found as risk_tier,
        findings.severity >= policy.major_severity as is_major
    from findings
    inner join quarters
        on {{ in_quarter('quarters', 'findings.found_on') }}
    inner join policy
        on quarters.quarter_end = policy.policy_date

),

closed_in_quarter as (

    select
        quarters.period,
        findings.site_id,
        findings.risk_tier_on_found as risk_tier,
        findings.lead_time_days
    from findings
    inner join quarters
        on {{ in_quarter('quarters', 'findings.closed_on') }}
    where findings.is_closed

),

measure_events as (

    select 'TIER_FINDINGS' as measure_code, period, site_id, risk_tier,
           1 as numerator_value, cast(null as {{ type_double() }}) as denominator_value
    from found_in_quarter
    union all
    select 'TIER_MAJOR_RATIO' as measure_code, period, site_id, risk_tier,
           {{ flag('is_major') }} as numerator_value, 1 as denominator_value
    from found_in_quarter
    union all
    select 'TIER_LEAD_TIME_DAYS' as measure_code, period, site_id, risk_tier,
           lead_time_days as numerator_value, 1 as denominator_value
    from closed_in_quarter
    union all
    select 'TIER_OPEN_RISK_SCORE' as measure_code, period, site_id,
           risk_tier_on_found as risk_tier, finding_score as numerator_value,
           null as denominator_value
    from snapshots
    union all
    select 'TIER_REPEAT_RATIO' as measure_code, period, site_id,
           risk_tier_on_found as risk_tier, {{ flag('is_repeat') }} as numerator_value,
           1 as denominator_value
    from snapshots
    union all
    select 'TIER_SELF_INSPECTION_COVERAGE' as measure_code, coverage_events.period,
           coverage_events.site_id,
           tier_history.risk_tier, coverage_events.numerator_value,
           coverage_events.denominator_value
    from coverage_events
    inner join tier_history
        on {{ facility_tier_on('tier_history', 'coverage_events.facility_id',
                               'coverage_events.event_date') }}

),

totals as (

    {{ site_and_company_totals('measure_events', ['measure_code', 'period', 'risk_tier']) }}

),

spine as (

    select
        measures.measure_code,
        measures.unit,
        measures.focus_tiers,
        quarters.period,
        quarters.quarter_start as period_start,
        quarters.quarter_end as period_end,
        report_sites.site_id,
        tiers.risk_tier
    from measures
    cross join quarters
    cross join report_sites
    cross join tiers

),

final as (

    select
        spine.measure_code,
        spine.period,
        spine.period_start,
        spine.period_end,
        spine.site_id,
        spine.risk_tier,
        cast(coalesce(totals.numerator, 0) as {{ type_double() }}) as numerator,
        cast(case
            when spine.unit in ('count', 'score') then null
            else coalesce(totals.denominator, 0)
        end as {{ type_double() }}) as denominator,
        cast(case
            when spine.unit in ('count', 'score') then coalesce(totals.numerator, 0)
            else {{ safe_ratio('coalesce(totals.numerator, 0)', 'totals.denominator') }}
        end as {{ type_double() }}) as value,
        spine.unit,
        {{ dbt.position('spine.risk_tier', 'spine.focus_tiers') }} > 0 as is_management_focus
    from spine
    left join totals
        on {{ scope_matches('spine', 'totals', ['measure_code', 'period', 'risk_tier']) }}

)

select * from final
