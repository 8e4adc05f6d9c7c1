{#- Process-safety events (kpi_spec "Process-safety", after API RP 754 and CCPS), one row
    per release in the reporting window: an incident of type LEAK, SPILL, FIRE or EXPLOSION
    (NEAR_MISS and EXPOSURE are never Tier 1 or 2). Threshold quantity TQ from the
    substance's release_category (no cas_no or no category: the quantity criterion does not
    apply). Tier 1: fatalities, lost-time injuries, community evacuated, FIRE/EXPLOSION cost
    >= tier1 threshold, or released_kg >= TQ. Tier 2 (not Tier 1): injuries, FIRE/EXPLOSION
    cost >= tier2 threshold, or released_kg >= TQ * tier2_tq_fraction. Severity points (Tier
    1 or 2 only) = safety (highest applicable) + fire cost + chemical impact (released_kg >
    0) + community. Thresholds and points: kpi_parameters in force on the quarter end. -#}
with incidents as (

    select * from {{ ref('stg_ehs__incidents') }}

),

substances as (

    select * from {{ ref('stg_ehs__substances') }}

),

quarters as (

    select * from {{ ref('int_reporting_quarters') }}

),

parameters as (

    select * from {{ ref('int_kpi_parameters_by_quarter') }}

),

releases as (

    select
        incidents.*,
        quarters.period,
        quarters.quarter_end,
        substances.release_category,
        incidents.incident_type in ('FIRE', 'EXPLOSION') as is_fire_or_explosion
    from incidents
    inner join quarters
        on {{ in_quarter('quarters', 'incidents.occurred_on') }}
    left join substances
        on incidents.cas_no = substances.cas_no
    where incidents.incident_type in ('LEAK', 'SPILL', 'FIRE', 'EXPLOSION')

),

with_threshold as (

    select
        releases.*,
        case releases.release_category
            {%- for category in range(1, 8) %}
            when {{ category }} then parameters.tq_kg_release_category_{{ category }}
            {%- endfor %}
        end as threshold_quantity_kg,
        parameters.tier1_fire_cost_krw,
        parameters.tier2_fire_cost_krw,
        parameters.tier2_tq_fraction,
        parameters.points_safety_fatality,
        parameters.points_safety_lost_time,
        parameters.points_safety_injury,
        parameters.cost_krw_points_9,
        parameters.cost_krw_points_3,
        parameters.cost_krw_points_1,
        parameters.points_chemical_offsite,
        parameters.points_chemical_onsite,
        parameters.points_chemical_none,
        parameters.points_community_evacuated,
        parameters.kpi_policy_version
    from releases
    inner join parameters
        on releases.quarter_end = parameters.quarter_end

),

tiered as (

    select
        with_threshold.*,
        fatalities > 0
            or lost_time_injuries > 0
            or community_evacuated
            or (is_fire_or_explosion and direct_cost_krw >= tier1_fire_cost_krw)
            or (threshold_quantity_kg is not null and released_kg >= threshold_quantity_kg)
            as is_tier1_criterion,
        injuries > 0
            or (is_fire_or_explosion and direct_cost_krw >= tier2_fire_cost_krw)
            or (threshold_quantity_kg is not null
                and {{ exact_quantity('released_kg') }}
                    >= {{ exact_rate_of('tier2_tq_fraction', 'threshold_quantity_kg') }})
            as is_tier2_criterion
    from with_threshold

),

classified as (

    select
        tiered.*,
        case
            when is_tier1_criterion then 1
            when is_tier2_criterion then 2
        end as pse_tier
    from tiered

),

scored as (

    select
        classified.*,
        case when pse_tier is null then 0 else
            case
                when fatalities > 0 then points_safety_fatality
                when lost_time_injuries > 0 then points_safety_lost_time
                when injuries > 0 then points_safety_injury
                else 0
            end
        end as safety_points,
        case when pse_tier is null or not is_fire_or_explosion then 0 else
            case
                when direct_cost_krw >= cost_krw_points_9 then 9
                when direct_cost_krw >= cost_krw_points_3 then 3
                when direct_cost_krw >= cost_krw_points_1 then 1
                else 0
            end
        end as fire_cost_points,
        case when pse_tier is null or not released_kg > 0 then 0 else
            case impact_scope
                when 'OFF_SITE' then points_chemical_offsite
                when 'ENVIRONMENT' then points_chemical_offsite
                when 'ON_SITE' then points_chemical_onsite
                else points_chemical_none
            end
        end as chemical_impact_points,
        case when pse_tier is not null and community_evacuated
            then points_community_evacuated else 0
        end as community_points
    from classified

),

final as (

    select
        incident_id,
        period,
        site_id,
        facility_id,
        occurred_on,
        incident_type,
        cas_no,
        release_category,
        threshold_quantity_kg,
        released_kg,
        impact_scope,
        injuries,
        lost_time_injuries,
        fatalities,
        community_evacuated,
        direct_cost_krw,
        pse_tier,
        safety_points,
        fire_cost_points,
        chemical_impact_points,
        community_points,
        safety_points + fire_cost_points + chemical_impact_points + community_points
            as severity_points,
        kpi_policy_version
    from scored

)

select * from final
