{#- The compliance items of the guide's §5 table (reference seed compliance_items), with
    how many indicators each one holds in compliance_indicator_map: KPIs computed, the
    guide's recommended indicators, and recommended indicators the project does not
    compute. Grain: one row per item_code. -#}
with items as (

    select * from {{ ref('compliance_items') }}

),

indicator_map as (

    select * from {{ ref('compliance_indicator_map') }}

),

indicator_counts as (

    select
        item_code,
        count(kpi_code) as computed_kpis,
        sum(case when role = 'guide_recommended' then 1 else 0 end) as guide_recommended_indicators,
        sum(case when computation_status = 'not_computed' then 1 else 0 end)
            as not_computed_indicators
    from indicator_map
    group by item_code

),

final as (

    select
        items.item_code,
        items.display_order,
        items.guide_section,
        items.name_ko,
        items.name_en,
        items.main_data_ko,
        items.main_data_en,
        items.recommended_indicators_ko,
        items.recommended_indicators_en,
        items.formula_point_ko,
        items.formula_point_en,
        cast(coalesce(indicator_counts.computed_kpis, 0) as {{ dbt.type_int() }}) as computed_kpis,
        cast(coalesce(indicator_counts.guide_recommended_indicators, 0) as {{ dbt.type_int() }})
            as guide_recommended_indicators,
        cast(coalesce(indicator_counts.not_computed_indicators, 0) as {{ dbt.type_int() }})
            as not_computed_indicators,
        items.revision,
        items.approved_by,
        items.approved_on
    from items
    left join indicator_counts
        on items.item_code = indicator_counts.item_code

)

select * from final
