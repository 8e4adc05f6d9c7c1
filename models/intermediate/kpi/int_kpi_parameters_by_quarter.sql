{#- The approved KPI parameters (reference seed kpi_parameters) in force on each quarter
    end of the reporting window. One row per quarter. -#}
{%- set parameters = [
    'tq_kg_release_category_1', 'tq_kg_release_category_2', 'tq_kg_release_category_3',
    'tq_kg_release_category_4', 'tq_kg_release_category_5', 'tq_kg_release_category_6',
    'tq_kg_release_category_7', 'tier1_fire_cost_krw', 'tier2_fire_cost_krw',
    'tier2_tq_fraction', 'points_safety_fatality', 'points_safety_lost_time',
    'points_safety_injury', 'cost_krw_points_9', 'cost_krw_points_3', 'cost_krw_points_1',
    'points_chemical_offsite', 'points_chemical_onsite', 'points_chemical_none',
    'points_community_evacuated', 'rate_base_hours', 'eco_base_year'
] -%}
with quarters as (

    select * from {{ ref('int_reporting_quarters') }}

),

kpi_parameters as (

    select * from {{ ref('kpi_parameters') }}

),

in_force_on_quarter_end as (

    select
        quarters.period,
        quarters.quarter_end,
        kpi_parameters.parameter,
        kpi_parameters.parameter_value,
        kpi_parameters.policy_version
    from quarters
    left join kpi_parameters
        on {{ in_force('kpi_parameters', 'quarters.quarter_end') }}

),

final as (

    select
        period,
        quarter_end,
        {{ pivot_parameters('in_force_on_quarter_end', parameters) }},
        max(case when parameter = 'rate_base_hours' then policy_version end)
            as kpi_policy_version
    from in_force_on_quarter_end
    group by period, quarter_end

)

select * from final
