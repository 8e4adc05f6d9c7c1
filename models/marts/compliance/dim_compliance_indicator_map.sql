{#- Compliance item -> ESG indicator map (guide §5): one row per indicator of the reference
    seed compliance_indicator_map, with its item and, for a computed indicator, the KPI's
    name, type and unit from the definition sheets. Every KPI code of kpi_quarterly appears
    exactly once (kpi_code), so kpi_quarterly joins here to group KPIs by compliance item;
    an indicator the guide recommends and the project does not compute is a row with
    computation_status 'not_computed' and kpi_code NULL. Grain: one row per indicator_code. -#}
with indicator_map as (

    select * from {{ ref('compliance_indicator_map') }}

),

items as (

    select * from {{ ref('compliance_items') }}

),

definitions as (

    select * from {{ ref('kpi_definitions') }}

),

final as (

    select
        indicator_map.indicator_code,
        indicator_map.item_code,
        items.display_order as item_display_order,
        items.name_ko as item_name_ko,
        items.name_en as item_name_en,
        indicator_map.kpi_code,
        indicator_map.role,
        indicator_map.computation_status,
        coalesce(indicator_map.guide_indicator_ko, definitions.name_ko) as indicator_name_ko,
        coalesce(indicator_map.guide_indicator_en, definitions.name_en) as indicator_name_en,
        definitions.name_ko as kpi_name_ko,
        definitions.name_en as kpi_name_en,
        definitions.indicator_type,
        definitions.unit,
        indicator_map.note
    from indicator_map
    inner join items
        on indicator_map.item_code = items.item_code
    left join definitions
        on indicator_map.kpi_code = definitions.kpi_code

)

select * from final
