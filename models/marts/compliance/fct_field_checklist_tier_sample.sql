{#- "Apply the criterion to 5 cases" (guide §9, high-risk facility definition): per quarter
    and site, a reproducible sample of the facilities active on the quarter end (the
    population of LEAD_RA_CURRENT, fct_kpi_events) with their three axis ratings, risk
    points, tier and the rule that gave it, on the quarter end (int_facility_tier_history;
    an unassessed facility is HIGH by the precautionary rule and has no axis values), for a
    reviewer to recompute the tier by hand. The facilities of a site are ranked by
    md5('<period>|<site_id>|<facility_id>') (hex ascending; facility_id breaks a tie), the
    approach of fct_reconciliation_audit_sample: seeded by the quarter and the site, the
    same on every rerun and redoable by hand. The first TIER_SAMPLE_SIZE facilities
    (field_checklist_thresholds in force on the quarter end, default 5) are drawn, all of
    them when the site has fewer. Grain: one row per (period, site_id, facility_id). -#}
with active_facilities as (

    select * from {{ ref('fct_kpi_events') }}
    where kpi_code = 'LEAD_RA_CURRENT'

),

quarters as (

    select * from {{ ref('int_reporting_quarters') }}

),

facilities as (

    select * from {{ ref('stg_ehs__facilities') }}

),

tier_history as (

    select * from {{ ref('int_facility_tier_history') }}

),

thresholds as (

    select * from {{ ref('field_checklist_thresholds') }}
    where measure_code = 'TIER_SAMPLE_SIZE'

),

population as (

    select
        active_facilities.period,
        quarters.quarter_end,
        active_facilities.site_id,
        active_facilities.facility_id,
        {{ dbt.hash("active_facilities.period || '|' || active_facilities.site_id || '|' || active_facilities.facility_id") }}
            as sample_hash
    from active_facilities
    inner join quarters
        on active_facilities.period = quarters.period

),

ranked as (

    select
        population.*,
        count(*) over (partition by period, site_id) as site_facilities,
        row_number() over (
            partition by period, site_id
            order by sample_hash, facility_id
        ) as draw_rank
    from population

),

final as (

    select
        ranked.period,
        ranked.quarter_end,
        ranked.site_id,
        ranked.facility_id,
        facilities.facility_name,
        facilities.facility_type,
        cast(ranked.site_facilities as {{ dbt.type_int() }}) as site_facilities,
        cast(thresholds.threshold_value as {{ dbt.type_int() }}) as sample_size,
        cast(ranked.draw_rank as {{ dbt.type_int() }}) as draw_rank,
        ranked.sample_hash,
        tier_history.assessment_id,
        tier_history.assessed_on,
        tier_history.next_due_on,
        tier_history.substance_hazard,
        tier_history.exposure_potential,
        tier_history.protection_weakness,
        cast(tier_history.risk_points as {{ dbt.type_int() }}) as risk_points,
        tier_history.risk_tier,
        tier_history.tier_rule,
        tier_history.is_unassessed,
        tier_history.tier_policy_version,
        thresholds.policy_version as threshold_policy_version
    from ranked
    inner join thresholds
        on {{ in_force('thresholds', 'ranked.quarter_end') }}
    inner join facilities
        on ranked.facility_id = facilities.facility_id
    inner join tier_history
        on {{ facility_tier_on('tier_history', 'ranked.facility_id', 'ranked.quarter_end') }}
    where ranked.draw_rank <= thresholds.threshold_value

)

select * from final
