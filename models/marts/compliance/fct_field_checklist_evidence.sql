{#- The evidence figures of the field-application checklist (guide §9), per quarter, site
    and measure, each compared with its threshold in field_checklist_thresholds (the
    version in force on the quarter end). Where a figure comes from a KPI it is the site
    row of kpi_quarterly (or the KPI's events in fct_kpi_events, split further), never
    recomputed. status: met / not_met (figure against threshold), not_evidenced (the
    extracts cannot show the criterion, or there was nothing to judge: a ratio with no
    events), for_review (the tier sample a reviewer checks by hand). fct_field_checklist
    turns these into the verdict of each item. Grain: one row per (period, site_id,
    measure_code). -#}
with quarters as (

    select * from {{ ref('int_reporting_quarters') }}

),

sites as (

    select * from {{ ref('dim_sites') }}

),

thresholds as (

    select * from {{ ref('field_checklist_thresholds') }}
    where criterion_level <> 'parameter'

),

kpis as (

    select * from {{ ref('kpi_quarterly') }}
    where site_id is not null

),

kpi_events as (

    select * from {{ ref('fct_kpi_events') }}

),

tier_sample as (

    select * from {{ ref('fct_field_checklist_tier_sample') }}

),

tier_history as (

    select * from {{ ref('int_facility_tier_history') }}

),

facilities as (

    select * from {{ ref('stg_ehs__facilities') }}

),

moc_records as (

    select * from {{ ref('stg_ehs__moc_records') }}

),

drills as (

    select * from {{ ref('stg_ehs__drills') }}

),

corrective_actions as (

    select * from {{ ref('stg_ehs__corrective_actions') }}

),

engagements as (

    select * from {{ ref('stg_ehs__contractor_engagements') }}

),

contractor_assessments as (

    select * from {{ ref('stg_ehs__contractor_assessments') }}

),

spine as (

    select
        quarters.period,
        quarters.quarter_end,
        {{ quarter_index('quarters.quarter_end') }} as quarter_index,
        sites.site_id,
        thresholds.item_code,
        thresholds.criterion_level,
        thresholds.measure_code,
        thresholds.evidence_source,
        thresholds.kpi_code,
        thresholds.comparator,
        thresholds.threshold_value,
        thresholds.unit,
        thresholds.policy_version,
        thresholds.approved_by
    from quarters
    cross join sites
    inner join thresholds
        on {{ in_force('thresholds', 'quarters.quarter_end') }}

),

-- kpi / kpi_complement: the site row of the KPI the threshold names.
kpi_figures as (

    select
        spine.period,
        spine.site_id,
        spine.measure_code,
        case
            when spine.evidence_source = 'kpi_complement'
                then kpis.denominator - kpis.numerator
            else kpis.numerator
        end as numerator,
        kpis.denominator
    from spine
    inner join kpis
        on spine.kpi_code = kpis.kpi_code
        and spine.period = kpis.period
        and spine.site_id = kpis.site_id
    where spine.evidence_source in ('kpi', 'kpi_complement')

),

-- FACILITIES_ASSESSED: active facilities (LEAD_RA_CURRENT's events) with an assessment
-- on or before the quarter end, i.e. not HIGH only by the unassessed default.
assessed_facilities as (

    select
        kpi_events.period,
        kpi_events.site_id,
        'FACILITIES_ASSESSED' as measure_code,
        sum(case when tier_history.is_unassessed then 0 else 1 end) as numerator,
        count(*) as denominator
    from kpi_events
    inner join tier_history
        on {{ facility_tier_on('tier_history', 'kpi_events.facility_id', 'kpi_events.event_date') }}
    where kpi_events.kpi_code = 'LEAD_RA_CURRENT'
    group by kpi_events.period, kpi_events.site_id

),

-- EQUIPMENT_ / OTHER_CHANGES_APPROVED: LEAD_MOC_HIGH's changes split by change type.
approved_changes as (

    select
        kpi_events.period,
        kpi_events.site_id,
        case
            when moc_records.change_type = 'EQUIPMENT' then 'EQUIPMENT_CHANGES_APPROVED'
            else 'OTHER_CHANGES_APPROVED'
        end as measure_code,
        sum(case when kpi_events.in_numerator then 1 else 0 end) as numerator,
        count(*) as denominator
    from kpi_events
    inner join moc_records
        on kpi_events.event_id = moc_records.change_id
    where kpi_events.kpi_code = 'LEAD_MOC_HIGH'
    group by
        kpi_events.period,
        kpi_events.site_id,
        case
            when moc_records.change_type = 'EQUIPMENT' then 'EQUIPMENT_CHANGES_APPROVED'
            else 'OTHER_CHANGES_APPROVED'
        end

),

-- HIGH_ENGAGEMENTS_ONSITE_CHECKED: LEAD_CONTRACTOR_PREASSESS's engagements whose
-- contractor has an ONSITE assessment dated on or before the quarter end and valid on
-- the engagement's start.
onsite_checked as (

    select distinct
        kpi_events.period,
        kpi_events.event_id as engagement_id
    from kpi_events
    inner join quarters
        on kpi_events.period = quarters.period
    inner join engagements
        on kpi_events.event_id = engagements.engagement_id
    inner join contractor_assessments
        on engagements.contractor_id = contractor_assessments.contractor_id
    where kpi_events.kpi_code = 'LEAD_CONTRACTOR_PREASSESS'
      and contractor_assessments.assessment_type = 'ONSITE'
      and contractor_assessments.assessed_on <= quarters.quarter_end
      and contractor_assessments.valid_until >= engagements.start_on

),

onsite_figures as (

    select
        kpi_events.period,
        kpi_events.site_id,
        'HIGH_ENGAGEMENTS_ONSITE_CHECKED' as measure_code,
        count(onsite_checked.engagement_id) as numerator,
        count(*) as denominator
    from kpi_events
    left join onsite_checked
        on kpi_events.period = onsite_checked.period
        and kpi_events.event_id = onsite_checked.engagement_id
    where kpi_events.kpi_code = 'LEAD_CONTRACTOR_PREASSESS'
    group by kpi_events.period, kpi_events.site_id

),

-- Drills of the four quarters ending with the quarter (quarter_index - 3 .. quarter_index).
window_drills as (

    select
        spine.period,
        spine.site_id,
        drills.drill_id,
        drills.scenario_risk,
        drills.evaluation
    from (select distinct period, site_id, quarter_index from spine) as spine
    inner join drills
        on spine.site_id = drills.site_id
        and {{ quarter_index('drills.drill_on') }}
            between spine.quarter_index - 3 and spine.quarter_index

),

drill_actions as (

    select distinct source_id as drill_id
    from corrective_actions
    where source_type = 'DRILL'

),

drill_figures as (

    select
        window_drills.period,
        window_drills.site_id,
        count(*) as drills,
        sum(case when window_drills.scenario_risk = 'HIGH' then 1 else 0 end) as high_scenario_drills,
        sum(case when window_drills.evaluation = 'INADEQUATE' then 1 else 0 end)
            as inadequate_drills,
        sum(case when window_drills.evaluation = 'INADEQUATE'
                      and drill_actions.drill_id is not null then 1 else 0 end)
            as inadequate_drills_with_action
    from window_drills
    left join drill_actions
        on window_drills.drill_id = drill_actions.drill_id
    group by window_drills.period, window_drills.site_id

),

drill_measures as (

    select period, site_id, 'DRILLS_LAST_4_QUARTERS' as measure_code,
           drills as numerator, {{ dbt.safe_cast('null', dbt.type_int()) }} as denominator
    from drill_figures
    union all
    select period, site_id, 'HIGH_SCENARIO_DRILLS_LAST_4_QUARTERS' as measure_code,
           high_scenario_drills as numerator, {{ dbt.safe_cast('null', dbt.type_int()) }} as denominator
    from drill_figures
    union all
    select period, site_id, 'INADEQUATE_DRILLS_WITH_ACTION' as measure_code,
           inadequate_drills_with_action as numerator, inadequate_drills as denominator
    from drill_figures

),

-- HIGH_RISK_REASSESSMENT_CURRENT: contractors with an engagement open on the quarter end
-- at a facility HIGH-tier on the engagement's start_on, and whether a passed PRE or RE
-- assessment is valid on the quarter end.
high_risk_contractors as (

    select distinct
        quarters.period,
        quarters.quarter_end,
        facilities.site_id,
        engagements.contractor_id
    from engagements
    inner join quarters
        on engagements.start_on <= quarters.quarter_end
        and (engagements.end_on is null or engagements.end_on >= quarters.quarter_end)
    inner join facilities
        on engagements.facility_id = facilities.facility_id
    inner join tier_history
        on {{ facility_tier_on('tier_history', 'engagements.facility_id', 'engagements.start_on') }}
    where tier_history.risk_tier = 'HIGH'

),

reassessed as (

    select distinct
        high_risk_contractors.period,
        high_risk_contractors.contractor_id
    from high_risk_contractors
    inner join contractor_assessments
        on high_risk_contractors.contractor_id = contractor_assessments.contractor_id
    where contractor_assessments.assessment_type in ('PRE', 'RE')
      and contractor_assessments.passed
      and contractor_assessments.assessed_on <= high_risk_contractors.quarter_end
      and contractor_assessments.valid_until >= high_risk_contractors.quarter_end

),

reassessment_figures as (

    select
        high_risk_contractors.period,
        high_risk_contractors.site_id,
        'HIGH_RISK_REASSESSMENT_CURRENT' as measure_code,
        count(reassessed.contractor_id) as numerator,
        count(*) as denominator
    from high_risk_contractors
    left join reassessed
        on high_risk_contractors.period = reassessed.period
        and high_risk_contractors.contractor_id = reassessed.contractor_id
    group by high_risk_contractors.period, high_risk_contractors.site_id

),

sample_figures as (

    select
        period,
        site_id,
        'TIER_CASES_DRAWN' as measure_code,
        count(*) as numerator,
        max(site_facilities) as denominator
    from tier_sample
    group by period, site_id

),

figures as (

    select period, site_id, measure_code,
           cast(numerator as {{ type_double() }}) as numerator,
           cast(denominator as {{ type_double() }}) as denominator
    from kpi_figures
    union all
    select period, site_id, measure_code,
           cast(numerator as {{ type_double() }}), cast(denominator as {{ type_double() }})
    from assessed_facilities
    union all
    select period, site_id, measure_code,
           cast(numerator as {{ type_double() }}), cast(denominator as {{ type_double() }})
    from approved_changes
    union all
    select period, site_id, measure_code,
           cast(numerator as {{ type_double() }}), cast(denominator as {{ type_double() }})
    from onsite_figures
    union all
    select period, site_id, measure_code,
           cast(numerator as {{ type_double() }}), cast(denominator as {{ type_double() }})
    from drill_measures
    union all
    select period, site_id, measure_code,
           cast(numerator as {{ type_double() }}), cast(denominator as {{ type_double() }})
    from reassessment_figures
    union all
    select period, site_id, measure_code,
           cast(numerator as {{ type_double() }}), cast(denominator as {{ type_double() }})
    from sample_figures

),

valued as (

    select
        spine.*,
        case
            when spine.evidence_source = 'not_in_extracts' then null
            when spine.unit = 'fraction' then figures.numerator
            else coalesce(figures.numerator, 0)
        end as numerator,
        case
            when spine.unit = 'fraction' or spine.evidence_source = 'sample' then figures.denominator
        end as denominator,
        case
            when spine.evidence_source in ('not_in_extracts', 'sample') then null
            when spine.unit = 'fraction'
                then {{ safe_ratio('figures.numerator', 'figures.denominator') }}
            else coalesce(figures.numerator, 0)
        end as value
    from spine
    left join figures
        on spine.period = figures.period
        and spine.site_id = figures.site_id
        and spine.measure_code = figures.measure_code

),

final as (

    select
        period,
        quarter_end,
        site_id,
        item_code,
        criterion_level,
        measure_code,
        evidence_source,
        kpi_code,
        numerator,
        denominator,
        value,
        comparator,
        threshold_value,
        unit,
        case
            when evidence_source = 'not_in_extracts' then 'not_evidenced'
            when evidence_source = 'sample' then 'for_review'
            when value is null then 'not_evidenced'
            when comparator = '>=' and value >= threshold_value then 'met'
            when comparator = '<=' and value <= threshold_value then 'met'
            else 'not_met'
        end as status,
        case
            when evidence_source = 'not_in_extracts' then 'not evidenced by the extracts'
            when evidence_source = 'sample'
                then 'apply the tier criterion by hand to the facilities of fct_field_checklist_tier_sample'
            when value is null then 'nothing to judge in the quarter (no events: denominator 0)'
        end as status_note,
        policy_version as threshold_policy_version,
        approved_by as threshold_approved_by
    from valued

)

select * from final
