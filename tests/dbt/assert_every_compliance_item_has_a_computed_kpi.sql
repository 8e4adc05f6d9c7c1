-- Every compliance item of the guide's §5 table (and OTHER_FRAMEWORK) holds at least one
-- KPI that kpi_quarterly actually carries. Returns each item without one.
with items as (

    select * from {{ ref('compliance_items') }}

),

indicator_map as (

    select * from {{ ref('compliance_indicator_map') }}

),

kpis as (

    select distinct kpi_code from {{ ref('kpi_quarterly') }}

),

computed as (

    select distinct indicator_map.item_code
    from indicator_map
    inner join kpis
        on indicator_map.kpi_code = kpis.kpi_code

),

final as (

    select items.item_code, 'no computed KPI' as problem
    from items
    left join computed
        on items.item_code = computed.item_code
    where computed.item_code is null

)

select * from final
