{#- Tier history of every facility (kpi_spec "Facility risk tier"): one row per interval
    [valid_from, valid_to) during which one tier applies. Each accepted risk assessment
    rates three axes (LOW=1, MEDIUM=2, HIGH=3); risk_points is their sum; the tier follows
    the thresholds of the scoring policy in force on the assessment date. On a day with
    two assessments the greater assessment_id wins. Before its first assessment (or with
    none) a facility is HIGH and flagged unassessed: unknown risk is treated as high.
    Answer "tier of F on d" with the facility_tier_on() join macro. -#}
with facilities as (

    select * from {{ ref('stg_ehs__facilities') }}

),

assessments as (

    select * from {{ ref('stg_ehs__risk_assessments') }}

),

axis_points as (

    select * from {{ ref('risk_level_points') }}

),

scoring_parameters as (

    select * from {{ ref('scoring_parameters') }}

),

rated as (

    select
        assessments.assessment_id,
        assessments.facility_id,
        assessments.assessed_on,
        assessments.next_due_on,
        assessments.substance_hazard,
        assessments.exposure_potential,
        assessments.protection_weakness,
        substance_points.axis_points as substance_hazard_points,
        exposure_points.axis_points as exposure_potential_points,
        protection_points.axis_points as protection_weakness_points,
        substance_points.axis_points + exposure_points.axis_points
            + protection_points.axis_points as risk_points
    from assessments
    inner join axis_points as substance_points
        on assessments.substance_hazard = substance_points.risk_level
    inner join axis_points as exposure_points
        on assessments.exposure_potential = exposure_points.risk_level
    inner join axis_points as protection_points
        on assessments.protection_weakness = protection_points.risk_level

),

assessment_dates as (

    select distinct assessed_on from rated

),

thresholds_in_force as (

    select
        assessment_dates.assessed_on,
        scoring_parameters.parameter,
        scoring_parameters.parameter_value,
        scoring_parameters.policy_version
    from assessment_dates
    left join scoring_parameters
        on scoring_parameters.parameter in ('tier_high_min_points', 'tier_medium_min_points',
                                            'tier_override_min_protection_weakness')
        and {{ in_force('scoring_parameters', 'assessment_dates.assessed_on') }}

),

thresholds_by_date as (

    select
        assessed_on,
        {{ pivot_parameters('thresholds_in_force',
                            ['tier_high_min_points', 'tier_medium_min_points',
                             'tier_override_min_protection_weakness']) }},
        max(case when parameter = 'tier_high_min_points' then policy_version end)
            as tier_policy_version
    from thresholds_in_force
    group by assessed_on

),

with_thresholds as (

    select
        rated.*,
        thresholds_by_date.tier_high_min_points as high_min_points,
        thresholds_by_date.tier_medium_min_points as medium_min_points,
        thresholds_by_date.tier_override_min_protection_weakness
            as override_min_protection_weakness,
        thresholds_by_date.tier_policy_version
    from rated
    inner join thresholds_by_date
        on rated.assessed_on = thresholds_by_date.assessed_on

),

decided as (

    select
        with_thresholds.*,
        {{ risk_tier_branch('risk_points', 'substance_hazard_points', 'protection_weakness_points',
                            'high_min_points', 'medium_min_points',
                            'override_min_protection_weakness') }} as tier_branch
    from with_thresholds

),

tiered as (

    select
        decided.*,
        {{ risk_tier_of_branch('tier_branch') }} as risk_tier,
        case
            when tier_branch = 'hazard_override' then 'hazard_override'
            else 'points'
        end as tier_rule
    from decided

),

ranked_same_day as (

    select
        tiered.*,
        row_number() over (
            partition by facility_id, assessed_on
            order by assessment_id desc
        ) as same_day_rank
    from tiered

),

effective_assessments as (

    select
        ranked_same_day.*,
        lead(assessed_on) over (partition by facility_id order by assessed_on) as next_assessed_on
    from ranked_same_day
    where same_day_rank = 1

),

assessed_intervals as (

    select
        facility_id,
        assessment_id,
        assessed_on as valid_from,
        next_assessed_on as valid_to,
        risk_tier,
        tier_rule,
        false as is_unassessed,
        substance_hazard,
        exposure_potential,
        protection_weakness,
        risk_points,
        assessed_on,
        next_due_on,
        tier_policy_version
    from effective_assessments

),

first_assessment as (

    select
        facility_id,
        min(assessed_on) as first_assessed_on
    from effective_assessments
    group by facility_id

),

unassessed_intervals as (

    select
        facilities.facility_id,
        {{ dbt.safe_cast('null', dbt.type_string()) }} as assessment_id,
        {{ dbt.safe_cast('null', 'date') }} as valid_from,
        first_assessment.first_assessed_on as valid_to,
        'HIGH' as risk_tier,
        'unassessed' as tier_rule,
        true as is_unassessed,
        {{ dbt.safe_cast('null', dbt.type_string()) }} as substance_hazard,
        {{ dbt.safe_cast('null', dbt.type_string()) }} as exposure_potential,
        {{ dbt.safe_cast('null', dbt.type_string()) }} as protection_weakness,
        {{ dbt.safe_cast('null', dbt.type_int()) }} as risk_points,
        {{ dbt.safe_cast('null', 'date') }} as assessed_on,
        {{ dbt.safe_cast('null', 'date') }} as next_due_on,
        {{ dbt.safe_cast('null', dbt.type_string()) }} as tier_policy_version
    from facilities
    left join first_assessment
        on facilities.facility_id = first_assessment.facility_id

),

final as (

    select * from unassessed_intervals
    union all
    select * from assessed_intervals

)

select * from final
