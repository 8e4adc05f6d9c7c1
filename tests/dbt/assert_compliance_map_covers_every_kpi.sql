-- Every KPI with a definition sheet (reference seed kpi_definitions: the KPIs kpi_quarterly
-- reports; assert_kpi_definitions_match_implementation holds it equal to what the models
-- compute) maps to exactly one compliance item in compliance_indicator_map. Returns each
-- KPI mapped zero or several times.
with implemented as (

    select kpi_code from {{ ref('kpi_definitions') }}

),

mapped as (

    select kpi_code, count(*) as items_mapped
    from {{ ref('compliance_indicator_map') }}
    where kpi_code is not null
    group by kpi_code

),

final as (

    select
        coalesce(implemented.kpi_code, mapped.kpi_code) as kpi_code,
        coalesce(mapped.items_mapped, 0) as items_mapped,
        case
            when implemented.kpi_code is null then 'mapped but not computed'
            when mapped.kpi_code is null then 'computed but mapped to no compliance item'
            else 'mapped to more than one compliance item'
        end as problem
    from implemented
    full outer join mapped
        on implemented.kpi_code = mapped.kpi_code
    where implemented.kpi_code is null
       or mapped.kpi_code is null
       or mapped.items_mapped <> 1

)

select * from final
